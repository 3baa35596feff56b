package sla

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// state is everything an evaluator has accumulated. Its size grows with
// rules × periods, plus the listed missed items, the values of percentile
// objectives, and the tickets and outages still running.
type state struct {
	accs     [][]*acc // by rule, then period of the rule; nil until counted
	records  records
	rejected []Rejection
	errors   []RuleError
	volumes  [][]int // by work unit, then month of the term
	maxSeen  time.Time
	running  []*runningTicket
	ongoing  []*pacte.Outage

	// hot is, by rule, the period in which the rule last placed an item
	// and that period's accumulator: records mostly come in time order,
	// so most items skip the search and the lookup. It lives in the state,
	// whose accumulators it points to, and starts empty in a new one.
	hot []hotPeriod
}

// hotPeriod is a rule's period found last: [lo, hi) in unix seconds, its
// index, and its accumulator once there is one.
type hotPeriod struct {
	lo, hi   int64
	pi       int
	a        *acc
	reported bool // the period is in the report's range
}

// hotOf returns the rule's last period, empty (lo > hi) the first time.
func (s *state) hotOf(rule int) *hotPeriod {
	if rule >= len(s.hot) {
		for len(s.hot) <= rule {
			s.hot = append(s.hot, hotPeriod{lo: math.MaxInt64, hi: math.MinInt64})
		}
	}
	return &s.hot[rule]
}

// place finds the period of the rule that contains u (unix seconds), or
// returns nil when u is outside every period. Its common case, the
// period of the rule's previous item, is small enough to inline.
func (s *state) place(rule *preparedRule, u int64) *hotPeriod {
	if r := rule.idx; r < len(s.hot) {
		if h := &s.hot[r]; u >= h.lo && u < h.hi {
			return h
		}
	}
	return s.search(rule, u)
}

// search is place when the period is not the previous one.
func (s *state) search(rule *preparedRule, u int64) *hotPeriod {
	h := s.hotOf(rule.idx)
	if u >= h.lo && u < h.hi {
		return h
	}
	pi := rule.periods.findUnix(u)
	if pi < 0 {
		return nil
	}
	lo, hi := rule.periods.bounds(pi)
	*h = hotPeriod{lo: lo, hi: hi, pi: pi, a: s.peek(accKey{rule.idx, pi}), reported: rule.periods.reported[pi]}
	return h
}

// acc returns the accumulator of the period, created on first use.
func (h *hotPeriod) accOf(s *state, rule *preparedRule) *acc {
	if h.a == nil {
		h.a = s.acc(accKey{rule.idx, h.pi}, rule)
	}
	return h.a
}

type accKey struct{ rule, period int }

func newState() *state {
	return &state{}
}

// countVolume adds n to a work unit's volume of a month.
func (s *state) countVolume(unit, month, n int) {
	for len(s.volumes) <= unit {
		s.volumes = append(s.volumes, nil)
	}
	for len(s.volumes[unit]) <= month {
		s.volumes[unit] = append(s.volumes[unit], 0)
	}
	s.volumes[unit][month] += n
}

// volume returns a work unit's counted volume of a month.
func (s *state) volume(unit, month int) int {
	if unit < len(s.volumes) && month < len(s.volumes[unit]) {
		return s.volumes[unit][month]
	}
	return 0
}

// peek returns the accumulator of a rule's period, or nil.
func (s *state) peek(k accKey) *acc {
	if k.rule < len(s.accs) && k.period < len(s.accs[k.rule]) {
		return s.accs[k.rule][k.period]
	}
	return nil
}

// each calls f on every accumulator.
func (s *state) each(f func(k accKey, a *acc)) {
	for r, byPeriod := range s.accs {
		for p, a := range byPeriod {
			if a != nil {
				f(accKey{r, p}, a)
			}
		}
	}
}

func (s *state) record(src contract.Source) *tallies { return s.records.of(src) }

// records is the accounting of the records of each source. The four
// sources have their slots, looked up without a map for every record.
type records struct {
	tickets, calls, outages, samples tallies
	others                           map[contract.Source]*tallies // rows a reader could not place
}

func (r *records) of(src contract.Source) *tallies {
	switch src {
	case contract.Tickets:
		return &r.tickets
	case contract.Calls:
		return &r.calls
	case contract.Outages:
		return &r.outages
	case contract.Samples:
		return &r.samples
	}
	if r.others == nil {
		r.others = map[contract.Source]*tallies{}
	}
	t := r.others[src]
	if t == nil {
		t = &tallies{}
		r.others[src] = t
	}
	return t
}

// each calls f on the sources that have records, in a fixed order.
func (r *records) each(f func(src contract.Source, t *tallies)) {
	for _, s := range []struct {
		src contract.Source
		t   *tallies
	}{{contract.Tickets, &r.tickets}, {contract.Calls, &r.calls}, {contract.Outages, &r.outages}, {contract.Samples, &r.samples}} {
		if s.t.read > 0 {
			f(s.src, s.t)
		}
	}
	for _, src := range slices.Sorted(maps.Keys(r.others)) {
		f(src, r.others[src])
	}
}

// tallies count the records of one source.
type tallies struct {
	read, counted, excluded, rejected int
	reasons                           []reasonCount // few, so a list beats a map
	inferred                          []reasonCount // by field a reader inferred ("resolved")
}

// infer counts a record whose fields a reader inferred, named as
// pacte.AttrInferred names them.
func (t *tallies) infer(fields string, n int) {
	for f := range strings.SplitSeq(fields, ",") {
		i := slices.IndexFunc(t.inferred, func(r reasonCount) bool { return r.reason == f })
		if i < 0 {
			t.inferred = append(t.inferred, reasonCount{f, 0})
			i = len(t.inferred) - 1
		}
		t.inferred[i].n += n
	}
}

type reasonCount struct {
	reason string
	n      int
}

func (t *tallies) exclude(reason string, n int) {
	t.excluded += n
	for i := range t.reasons {
		if t.reasons[i].reason == reason {
			t.reasons[i].n += n
			return
		}
	}
	t.reasons = append(t.reasons, reasonCount{reason, n})
}

func (t *tallies) merge(o *tallies) {
	t.read += o.read
	t.counted += o.counted
	t.rejected += o.rejected
	for _, r := range o.reasons {
		t.exclude(r.reason, r.n)
	}
	for _, r := range o.inferred {
		t.infer(r.reason, r.n)
	}
}

func (t *tallies) report() *RecordCount {
	rc := &RecordCount{Read: t.read, Counted: t.counted, Excluded: t.excluded, Rejected: t.rejected, Reasons: map[string]int{}}
	for _, r := range t.reasons {
		rc.Reasons[r.reason] = r.n
	}
	for _, r := range t.inferred {
		if rc.Inferred == nil {
			rc.Inferred = map[string]int{}
		}
		rc.Inferred[r.reason] = r.n
	}
	return rc
}

func (s *state) acc(k accKey, rule *preparedRule) *acc {
	if a := s.peek(k); a != nil {
		return a
	}
	s.put(k, newAcc(rule))
	return s.accs[k.rule][k.period]
}

func newAcc(rule *preparedRule) *acc {
	return &acc{objs: make([]objAcc, len(rule.objs)), perItem: make([]decimal.Decimal, len(rule.components))}
}

func (s *state) put(k accKey, a *acc) {
	for len(s.accs) <= k.rule {
		s.accs = append(s.accs, nil)
	}
	for len(s.accs[k.rule]) <= k.period {
		s.accs[k.rule] = append(s.accs[k.rule], nil)
	}
	s.accs[k.rule][k.period] = a
}

// acc is what one rule has counted in one of its periods.
type acc struct {
	// What every item updates first, in a cache line or two.
	objs    []objAcc
	nMissed int // items that counted against the main objective
	calls   callAcc

	excluded map[string]int
	late     time.Duration
	perItem  []decimal.Decimal // per component of the rule, the sum of its per-item formula
	// perItemFees: per component, per unit of its fee() calls, the sum of
	// the items' coefficients of that fee (their amount is perItem plus
	// these times the period's fees).
	perItemFees [][]decimal.Decimal
	missed      []MissedItem // listed items, up to the configured limit
	// excludedItems are the items an exclusion left out, listed up to
	// the same limit; short abandons are only counted.
	excludedItems []ExcludedItem
	outages       []outageSpan
}

func (a *acc) exclude(reason string) {
	if a.excluded == nil {
		a.excluded = map[string]int{}
	}
	a.excluded[reason]++
}

// objAcc counts one objective: its denominator, the items whose condition
// holds, and what statistics need.
type objAcc struct {
	eligible int
	holds    int
	n        int
	sumHi    int64  // the sum of durations, as a 128-bit integer
	sumLo    uint64 // (its low word)
	sumDec   decimal.Decimal
	sumInt   int64
	durs     []time.Duration // kept for medians and percentiles only
	decs     []decimal.Decimal
	ints     []int
	min, max itemMeasure
}

// addDuration adds to the 128-bit sum of durations: a million waits of an
// hour overflow an int64 of nanoseconds.
func (o *objAcc) addDuration(d time.Duration) {
	var carry uint64
	o.sumLo, carry = bits.Add64(o.sumLo, uint64(d), 0)
	hi := int64(0)
	if d < 0 {
		hi = -1
	}
	o.sumHi += hi + int64(carry)
}

// sumDuration returns the sum as a decimal number of nanoseconds.
func (o *objAcc) sumDuration() decimal.Decimal {
	hi := decimal.NewFromInt(o.sumHi).Mul(decimal.NewFromInt(1 << 32)).Mul(decimal.NewFromInt(1 << 32))
	lo := decimal.NewFromUint64(o.sumLo)
	return hi.Add(lo)
}

func (o *objAcc) merge(p *objAcc) {
	o.eligible += p.eligible
	o.holds += p.holds
	o.n += p.n
	var carry uint64
	o.sumLo, carry = bits.Add64(o.sumLo, p.sumLo, 0)
	o.sumHi += p.sumHi + int64(carry)
	o.sumDec = o.sumDec.Add(p.sumDec)
	o.sumInt += p.sumInt
	o.durs = append(o.durs, p.durs...)
	o.decs = append(o.decs, p.decs...)
	o.ints = append(o.ints, p.ints...)
	if p.n > 0 {
		if o.n == p.n || lessMeasure(p.min, o.min) {
			o.min = p.min
		}
		if o.n == p.n || lessMeasure(o.max, p.max) {
			o.max = p.max
		}
	}
}

func lessMeasure(a, b itemMeasure) bool {
	switch a.typ {
	case dsl.Duration:
		return a.dur < b.dur
	case dsl.Int:
		return a.num < b.num
	}
	return a.dec.LessThan(b.dec)
}

// callAcc holds the telephony figures of a call rule.
type callAcc struct {
	offered, answered, abandoned, short, within int
	waitSum                                     time.Duration
}

// outageSpan is the part of a counted outage within a period.
type outageSpan struct {
	id         string
	start, end time.Time
	whole      time.Duration // the outage's own duration, for MTTR
}

// runningTicket is a ticket whose clock was still running in a rule with
// a deadline: whether it is missed depends on the instant the data was
// extracted, known only when the report is made.
type runningTicket struct {
	t     *pacte.Ticket
	rules []int
	tally recordTally // what the other rules made of it
}

func (s *state) merge(o *state) {
	o.each(func(k accKey, a *acc) {
		if mine := s.peek(k); mine != nil {
			mine.merge(a)
			return
		}
		s.put(k, a)
	})
	o.records.each(func(src contract.Source, t *tallies) { s.record(src).merge(t) })
	s.rejected = append(s.rejected, o.rejected...)
	s.errors = append(s.errors, o.errors...)
	for u, months := range o.volumes {
		for m, n := range months {
			if n > 0 {
				s.countVolume(u, m, n)
			}
		}
	}
	if o.maxSeen.After(s.maxSeen) {
		s.maxSeen = o.maxSeen
	}
	s.running = append(s.running, o.running...)
	s.ongoing = append(s.ongoing, o.ongoing...)
}

func (a *acc) merge(b *acc) {
	for i := range a.objs {
		a.objs[i].merge(&b.objs[i])
	}
	if len(b.excluded) > 0 && a.excluded == nil {
		a.excluded = map[string]int{}
	}
	for r, n := range b.excluded {
		a.excluded[r] += n
	}
	a.late += b.late
	for i := range a.perItem {
		a.perItem[i] = a.perItem[i].Add(b.perItem[i])
	}
	addCoefficients(&a.perItemFees, b.perItemFees)
	a.missed = append(a.missed, b.missed...)
	a.excludedItems = append(a.excludedItems, b.excludedItems...)
	a.nMissed += b.nMissed
	a.calls.offered += b.calls.offered
	a.calls.answered += b.calls.answered
	a.calls.abandoned += b.calls.abandoned
	a.calls.short += b.calls.short
	a.calls.within += b.calls.within
	a.calls.waitSum += b.calls.waitSum
	a.outages = append(a.outages, b.outages...)
}

// cloneTicket copies a ticket deeply: a reader may reuse its buffers for
// the next record, and a running ticket is kept until the report.
func cloneTicket(t *pacte.Ticket) *pacte.Ticket {
	c := *t
	c.History = slices.Clone(t.History)
	c.Pauses = slices.Clone(t.Pauses)
	c.Reopened = slices.Clone(t.Reopened)
	c.Links = slices.Clone(t.Links)
	c.Attrs = maps.Clone(t.Attrs)
	return &c
}

// addCoefficients adds the fee coefficients of per-item amounts from into
// *to, per component and unit.
func addCoefficients(to *[][]decimal.Decimal, from [][]decimal.Decimal) {
	if len(from) == 0 {
		return
	}
	if *to == nil {
		*to = make([][]decimal.Decimal, len(from))
	}
	for k, cs := range from {
		if len((*to)[k]) < len(cs) {
			(*to)[k] = append((*to)[k], make([]decimal.Decimal, len(cs)-len((*to)[k]))...)
		}
		for j, c := range cs {
			(*to)[k][j] = (*to)[k][j].Add(c)
		}
	}
}
