package sla

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
	"github.com/shopspring/decimal"
)

// Input is what Evaluate reads: streams of records, the volumes reported
// rather than counted, the index values of the price revision, and the
// range of periods to report.
//
// A nil stream is a source not given: the rules that read it have the
// status no_data in every period, with no penalty and no bonus, since
// nothing says how the service did. A given stream that yields nothing
// (slices.Values of an empty slice) is a source without records: an
// availability rule then reads 100 %.
type Input struct {
	Tickets iter.Seq[pacte.Ticket]
	Calls   iter.Seq[pacte.Call]
	Outages iter.Seq[pacte.Outage]
	Samples iter.Seq[pacte.Sample]
	// Rejected are the rows a reader could not turn into records. It is
	// read after the record streams, so a reader can fill it as it goes.
	Rejected iter.Seq[*pacte.RecordError]

	// Volumes are the reported volumes of the work units whose volume is
	// given, by month ("2027-03") then work unit.
	Volumes map[string]map[string]decimal.Decimal
	// Indices complete the index values of the contract file.
	Indices contract.Indices

	// From and To bound the periods reported: those overlapping
	// [From, To). Zero: every period the data touches, within the term.
	From, To time.Time
	// AsOf is the instant the data was extracted. A ticket still running
	// then and past its deadline is missed; one not yet past it is
	// pending. Zero: the latest instant found in the data.
	AsOf time.Time
}

// given lists the sources whose streams are not nil.
func (in *Input) given() []contract.Source {
	var out []contract.Source
	for src, ok := range map[contract.Source]bool{contract.Tickets: in.Tickets != nil, contract.Calls: in.Calls != nil,
		contract.Outages: in.Outages != nil, contract.Samples: in.Samples != nil} {
		if ok {
			out = append(out, src)
		}
	}
	return out
}

// Option configures an evaluation.
type Option func(*config) error

type config struct {
	from, to   time.Time
	asOf       time.Time
	listMissed int                      // −1: every missed item
	given      map[contract.Source]bool // nil: every source is given
}

// ErrOtherSettings is the error (errors.Is) of [Evaluator.Merge] given an
// evaluator whose report range, extraction instant or listing limit differ.
var ErrOtherSettings = errors.New("sla: cannot merge evaluators with other settings")

// sameSettings says how another evaluator's settings differ, if they do,
// but for the sources given, which merge.
func (c *config) sameSettings(o *config) error {
	instant := func(t time.Time) string {
		if t.IsZero() {
			return "none"
		}
		return t.Format(time.RFC3339)
	}
	limit := func(n int) string {
		if n < 0 {
			return "none"
		}
		return strconv.Itoa(n)
	}
	switch {
	case !c.from.Equal(o.from) || !c.to.Equal(o.to):
		return fmt.Errorf("%w: the report range is [%s, %s) in the evaluator merged into, [%s, %s) in the one merged",
			ErrOtherSettings, instant(c.from), instant(c.to), instant(o.from), instant(o.to))
	case !c.asOf.Equal(o.asOf):
		return fmt.Errorf("%w: the extraction instant is %s in the evaluator merged into, %s in the one merged", ErrOtherSettings, instant(c.asOf), instant(o.asOf))
	case c.listMissed != o.listMissed:
		return fmt.Errorf("%w: the listing limit of missed items is %s in the evaluator merged into, %s in the one merged", ErrOtherSettings, limit(c.listMissed), limit(o.listMissed))
	}
	return nil
}

// givenSource tells whether the records of a source are given.
func (c *config) givenSource(src contract.Source) bool { return c.given == nil || c.given[src] }

// Given names the sources whose records the evaluator is fed; the rules
// of any other source have the status no_data (see [Input]). Without it,
// every source is taken as given. [Evaluate] sets it from its Input.
func Given(sources ...contract.Source) Option {
	return func(c *config) error {
		c.given = map[contract.Source]bool{}
		for _, s := range sources {
			c.given[s] = true
		}
		return nil
	}
}

// Between reports the periods that overlap [from, to).
func Between(from, to time.Time) Option {
	return func(c *config) error {
		if !to.After(from) {
			return fmt.Errorf("sla: the report range ends (%s) before it starts (%s)", to, from)
		}
		c.from, c.to = from, to
		return nil
	}
}

// AsOf sets the instant the data was extracted (see [Input].AsOf).
func AsOf(t time.Time) Option {
	return func(c *config) error {
		c.asOf = t
		return nil
	}
}

// ListMissed lists at most n missed items, and at most n excluded items,
// per rule and period; the counts stay exact. Without it every missed and
// excluded item is listed, which is what both parties need to check a
// penalty and the items left out of it, and costs memory in proportion to
// those items. One limit bounds both lists: it is what bounds the memory
// of an evaluation, and an evaluation that lists no item (ListMissed(0),
// a simulation's) lists neither.
func ListMissed(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("sla: ListMissed needs a count ≥ 0")
		}
		c.listMissed = n
		return nil
	}
}

// Evaluate evaluates the input against the contract. It reads each stream
// once; the memory it needs grows with the rules and periods, not with the
// records (but for the items listed as missed, percentile objectives and
// tickets still running). The context stops it between records, and in
// the middle of an expression evaluated on expr's VM (a predicate over a
// long list).
func Evaluate(ctx context.Context, c *contract.Contract, in Input, opts ...Option) (*Report, error) {
	e, err := accumulate(ctx, c, in, opts...)
	if err != nil {
		return nil, err
	}
	return e.report(in.Volumes, in.Indices, e.st) // e is discarded: no copy of its state
}

// Accumulate is Evaluate but for the report: it returns the evaluator
// that read the input, whose state can be marshalled (see
// [Evaluator.MarshalBinary]), merged with others, or reported with the
// input's volumes and indices.
func Accumulate(ctx context.Context, c *contract.Contract, in Input, opts ...Option) (*Evaluator, error) {
	e, err := accumulate(ctx, c, in, opts...)
	if err != nil {
		return nil, err
	}
	e.ctx = nil
	return e, nil
}

// accumulate reads the input into a new evaluator, which keeps ctx.
func accumulate(ctx context.Context, c *contract.Contract, in Input, opts ...Option) (*Evaluator, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !in.From.IsZero() || !in.To.IsZero() {
		opts = append([]Option{Between(in.From, in.To)}, opts...)
	}
	if !in.AsOf.IsZero() {
		opts = append([]Option{AsOf(in.AsOf)}, opts...)
	}
	opts = append(opts, Given(in.given()...))
	e, err := NewEvaluator(c, opts...)
	if err != nil {
		return nil, err
	}
	// The evaluations on the VM ask the context as they go; once it is
	// cancelled they fail at once, and the records left to the next test
	// below go by quickly.
	e.ctx = ctx
	n := uint(0)
	if err := feed(ctx, in.Tickets, e.AddTicket, &n); err != nil {
		return nil, err
	}
	if err := feed(ctx, in.Calls, e.AddCall, &n); err != nil {
		return nil, err
	}
	if err := feed(ctx, in.Outages, e.AddOutage, &n); err != nil {
		return nil, err
	}
	if err := feed(ctx, in.Samples, e.AddSample, &n); err != nil {
		return nil, err
	}
	if in.Rejected != nil {
		for r := range in.Rejected {
			e.Reject(r)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

// feed gives add the records of a stream, if any. n counts the records
// of every stream: ctx is asked every 1,024 records, by a test small
// enough to be inlined in the loop, as asking it of each record costs
// more.
func feed[T any](ctx context.Context, records iter.Seq[T], add func(*T), n *uint) error {
	if records == nil {
		return nil
	}
	const checkEvery = 1024
	// One variable, reused: the evaluator keeps a pointer to the record
	// while it evaluates it, so a loop variable would escape to the heap,
	// one allocation per record.
	var v T
	for v = range records {
		add(&v)
		if *n++; *n%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// Evaluator evaluates records one at a time, for embedders that stream
// from their own storage or shard the work: evaluators fed with parts of
// the data and merged give the report of the whole. An Evaluator is not
// safe for concurrent use; use one per goroutine and Merge them.
type Evaluator struct {
	c     *contract.Contract
	cfg   config
	rules []*preparedRule
	bySrc map[contract.Source][]*preparedRule
	// The rules of each source, looked up once rather than per record.
	ticketRules, callRules []*preparedRule
	units                  []*countedUnit
	unitsOf                map[contract.Source][]*countedUnit // the units counted from each source
	// The units of each source with their programs typed, once.
	ticketUnits []unitOf[dsl.Ticket]
	callUnits   []unitOf[dsl.Call]
	outageUnits []unitOf[dsl.Outage]
	sampleUnits []unitOf[dsl.Sample]
	st          *state

	// scopes caches the outcome of each distinct scope for the record
	// being evaluated.
	scopes []scopeOutcome
	// tmemo keeps the outcomes of the ticket scopes that read text fields
	// alone from one ticket to the next (nil: none does).
	tmemo *scopeMemo[dsl.Ticket]
	// opens keeps, per scope slot, the outcome of the call scopes that are
	// is_open(cal, t) for the span of instants it holds for (nil: none).
	opens []openMemo[dsl.Call]
	// attrs caches the attribution instant of each distinct attribution
	// of the call and sample rules for the record being evaluated: those
	// rules' environments do not change from rule to rule.
	attrs    []time.Time
	attrUnix []int64 // attrs in unix seconds
	attrDone []bool

	// contractDigest is c's digest once a state has needed it.
	contractDigest *[32]byte

	// ctx stops the evaluations on expr's VM; nil but within Evaluate.
	ctx context.Context

	// Scratch space reused from record to record, so that evaluating a
	// record allocates nothing in the steady state.
	tenv      dsl.Ticket
	cenv      dsl.Call
	oenv      dsl.Outage
	senv      dsl.Sample
	status    dsl.StatusChange
	pauses    []pacte.Interval
	pauseSrc  string
	pauseFrom *pacte.Ticket
	pauseEnd  time.Time
	amounts   []decimal.Decimal // the per-item amounts of the item being counted
	change    [4]calendarChange // the last changes of calendars timers asked for, one per calendar
	// coefs are, per component whose per-item formula names fees, the
	// item's coefficients of them; itemFeeListed, that one of a penalty
	// is not zero.
	coefs         [][]decimal.Decimal
	itemFeeListed bool
}

// NewEvaluator prepares the evaluation of a contract.
func NewEvaluator(c *contract.Contract, opts ...Option) (*Evaluator, error) {
	if c == nil {
		return nil, errors.New("sla: nil contract")
	}
	cfg := config{listMissed: -1}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	e := &Evaluator{c: c, cfg: cfg, bySrc: map[contract.Source][]*preparedRule{}, st: newState()}
	// Rules share a slot when their expressions are the same text over
	// the same source and the same rule calendar, which functions such as
	// is_open(t) use when they name none.
	type exprKey struct {
		src  contract.Source
		text string
		cal  *calendar.Calendar
	}
	slotOf := func(slots map[exprKey]int, k exprKey) int {
		slot, ok := slots[k]
		if !ok {
			slot = len(slots)
			slots[k] = slot
		}
		return slot
	}
	slots, attrSlots := map[exprKey]int{}, map[exprKey]int{}
	interrupt := fast.Interrupt(func() context.Context { return e.ctx })
	named := map[string]*calendar.Calendar{}
	for _, name := range c.CalendarNames() {
		named[name], _ = c.Calendar(name)
	}
	prepared, err := prepareRules(c, named, interrupt)
	if err != nil {
		return nil, err
	}
	for _, rule := range prepared {
		r := rule.def
		rule.periods.markReported(&e.cfg)
		cal := ruleCalendar(r)
		rule.scopeSlot = -1
		if !r.Scope.IsZero() {
			rule.scopeSlot = slotOf(slots, exprKey{r.Source, r.Scope.Text, cal})
		}
		rule.attrSlot = -1
		if (r.Source == contract.Calls || r.Source == contract.Samples) && !r.Attribution.IsZero() {
			rule.attrSlot = slotOf(attrSlots, exprKey{r.Source, r.Attribution.Text, cal})
		}
		e.rules = append(e.rules, rule)
		e.bySrc[r.Source] = append(e.bySrc[r.Source], rule)
	}
	e.scopes = make([]scopeOutcome, len(slots))
	e.attrs, e.attrUnix, e.attrDone = make([]time.Time, len(attrSlots)), make([]int64, len(attrSlots)), make([]bool, len(attrSlots))
	e.ticketRules, e.callRules = e.bySrc[contract.Tickets], e.bySrc[contract.Calls]
	e.tmemo = newScopeMemo(e.ticketRules, len(slots), func(rule *preparedRule) *fast.Program[dsl.Ticket] { return rule.tickets.scopeProg })
	e.opens = newOpenMemos(e.callRules, len(slots), func(rule *preparedRule) *fast.Program[dsl.Call] { return rule.calls.scopeProg })
	months := c.Periods(contract.Month, c.Start(), c.End())
	for i, u := range c.WorkUnits() {
		if u.Volume.Source == "" {
			continue
		}
		ut := &countedUnit{idx: i, u: u, periods: newPeriodIndex(months)}
		ut.periods.markReported(&e.cfg)
		e.units = append(e.units, ut)
		if e.unitsOf == nil {
			e.unitsOf = map[contract.Source][]*countedUnit{}
		}
		e.unitsOf[u.Volume.Source] = append(e.unitsOf[u.Volume.Source], ut)
	}
	// A unit counted by the attribution of call or sample rules reads the
	// instant those rules found for the record. Only calls and samples
	// have attribution slots, cleared for each record.
	none := func(contract.Expr) int { return -1 }
	shared := func(src contract.Source) func(contract.Expr) int {
		return func(by contract.Expr) int {
			if slot, ok := attrSlots[exprKey{src, by.Text, nil}]; ok && !by.IsZero() {
				return slot
			}
			return -1
		}
	}
	units := fast.Calendars{Named: named} // a volume has no rule, nor its calendar
	e.ticketUnits = unitsFor[dsl.Ticket](e.unitsOf[contract.Tickets], none, units, interrupt)
	e.callUnits = unitsFor[dsl.Call](e.unitsOf[contract.Calls], shared(contract.Calls), units, interrupt)
	e.outageUnits = unitsFor[dsl.Outage](e.unitsOf[contract.Outages], none, units, interrupt)
	e.sampleUnits = unitsFor[dsl.Sample](e.unitsOf[contract.Samples], shared(contract.Samples), units, interrupt)
	e.st.volumes = make([][]int, len(c.WorkUnits()))
	for _, u := range e.units {
		e.st.volumes[u.idx] = make([]int, len(months))
	}
	return e, nil
}

// prepareRules prepares the contract's rules, in its order, then the
// versions of each.
func prepareRules(c *contract.Contract, named map[string]*calendar.Calendar, interrupt fast.Option) ([]*preparedRule, error) {
	rules := c.Rules()
	var prepared []*preparedRule
	for i, r := range rules {
		rule, err := prepareRule(c, i, r, named, interrupt)
		if err != nil {
			return nil, err
		}
		prepared = append(prepared, rule)
	}
	for _, rule := range prepared[:len(rules)] {
		vs, err := prepareVersions(c, rule, len(prepared), named, interrupt)
		if err != nil {
			return nil, err
		}
		prepared = append(prepared, vs...)
	}
	return prepared, nil
}

// periodIndex finds the period of an instant by binary search over the
// periods' starts, which the contract computed once.
type periodIndex struct {
	periods  []contract.Period
	starts   []int64 // unix seconds
	end      int64   // end of the last period
	reported []bool  // the period is in the range the report shows
	last     int     // the period found last: records mostly come in time order
	scale    float64 // periods per second, for the first guess
}

func newPeriodIndex(ps []contract.Period) periodIndex {
	pi := periodIndex{periods: ps, starts: make([]int64, len(ps))}
	for i, p := range ps {
		pi.starts[i] = p.Start.Unix()
	}
	if len(ps) > 0 {
		pi.end = ps[len(ps)-1].End.Unix()
		if span := pi.end - pi.starts[0]; span > 0 {
			pi.scale = float64(len(ps)) / float64(span)
		}
	}
	return pi
}

// find returns the index of the period containing t, or −1 when t is
// outside every period.
func (pi *periodIndex) find(t time.Time) int { return pi.findUnix(t.Unix()) }

// findUnix is find for an instant in unix seconds. The periods of a
// contract are of nearly equal lengths (months, quarters, years), so the
// proportional guess is the period or one next to it; other cases fall
// back to a binary search.
func (pi *periodIndex) findUnix(u int64) int {
	n := len(pi.starts)
	if n == 0 || u < pi.starts[0] || u >= pi.end {
		return -1
	}
	if l := pi.last; pi.holds(l, u) {
		return l
	}
	g := int(float64(u-pi.starts[0]) * pi.scale) // no integer division: it costs more than the rest
	for _, i := range [3]int{g, g - 1, g + 1} {
		if i >= 0 && i < n && pi.holds(i, u) {
			pi.last = i
			return i
		}
	}
	lo, hi := 0, n // the last start ≤ u is in [lo, hi)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if pi.starts[mid] <= u {
			lo = mid
		} else {
			hi = mid
		}
	}
	pi.last = lo
	return lo
}

// holds tells whether period i, which exists, contains u (unix seconds).
func (pi *periodIndex) holds(i int, u int64) bool {
	lo, hi := pi.bounds(i)
	return u >= lo && u < hi
}

// bounds returns the span of period i in unix seconds, [lo, hi): from its
// start to the next period's.
func (pi *periodIndex) bounds(i int) (lo, hi int64) {
	hi = pi.end
	if i+1 < len(pi.starts) {
		hi = pi.starts[i+1]
	}
	return pi.starts[i], hi
}

// countedUnit is a work unit whose volume is counted from records.
type countedUnit struct {
	idx     int
	u       contract.WorkUnit
	periods periodIndex
}

// unitOf is a work unit counted from the records of E, with the fastest
// evaluators of its programs, typed once: asserting their types for each
// record costs more than the rest.
type unitOf[E dsl.Env] struct {
	*countedUnit
	where *cond[E]    // nil: every record
	by    *instant[E] // nil: no record counts
	// attrSlot is the attribution slot of the call or sample rules whose
	// text by has (offered or at, the defaults), whose instant the
	// record's rules may have found already; −1: none.
	attrSlot int
	// The month in which the unit last counted a record, [lo, hi) in unix
	// seconds, and its index: records mostly come in time order.
	lo, hi int64
	month  int
}

func unitsFor[E dsl.Env](units []*countedUnit, attrSlot func(by contract.Expr) int, cals fast.Calendars, interrupt fast.Option) []unitOf[E] {
	out := make([]unitOf[E], len(units))
	for i, u := range units {
		out[i].countedUnit = u
		out[i].attrSlot = attrSlot(u.u.Volume.By)
		out[i].lo, out[i].hi = 1, 0
		if p := fast.Compile(contract.Program[E](u.u.Volume.Where), cals, interrupt); p != nil {
			c := condOf(p)
			out[i].where = &c
		}
		if p := fast.Compile(contract.Program[E](u.u.Volume.By), cals, interrupt); p != nil {
			x := instantOf(p)
			out[i].by = &x
		}
	}
	return out
}

// reported tells whether a period is in the range the report shows. Items
// counted in earlier periods still feed the franchise, repeat and yearly
// cap steps, but the accounting does not count them as reported.
func (c *config) reported(p contract.Period) bool {
	if c.from.IsZero() {
		return true
	}
	return p.End.After(c.from) && p.Start.Before(c.to)
}

// markReported flags the periods of an index the report shows, once.
func (pi *periodIndex) markReported(c *config) {
	pi.reported = make([]bool, len(pi.periods))
	for i, p := range pi.periods {
		pi.reported[i] = c.reported(p)
	}
}

func (e *Evaluator) outsideReason(p contract.Period) string {
	if !p.End.After(e.cfg.from) {
		return reasonBefore
	}
	return reasonAfter
}

// record accounting keys.
const (
	reasonOutOfScope  = "out of scope of every rule"
	reasonOutsideTerm = "outside the term"
	reasonPending     = "open, not yet due"
	reasonLateOpen    = "open past its deadline, counted when it ends"
	reasonNoStart     = "clock never started"
	reasonNoInstant   = "no instant to place it in a period"
	reasonError       = "evaluation error"
	reasonShortAband  = "short abandon"
	reasonTooShort    = "shorter than the minimum outage"
	reasonBefore      = "before the reported periods"
	reasonAfter       = "after the reported periods"
)

// recordTally is the accounting of one record across rules: counted somewhere,
// or the reason it counts nowhere.
type recordTally struct {
	counted bool
	reason  string
	err     error
}

// note records why a rule did not count the record; the most telling
// reason wins: an exclusion of the contract, then pending, then the rest.
func (t *recordTally) note(reason string) {
	if t.reason != reason { // the usual case: the reason it has
		t.rank(reason)
	}
}

// rank keeps the more telling of the tally's reason and another: note's
// slow path, kept out of line so that note stays small where it is
// inlined, in every rule's path.
//
//go:noinline
func (t *recordTally) rank(reason string) {
	if t.reason == "" || reasonRank(reason) < reasonRank(t.reason) {
		t.reason = reason
	}
}

func reasonRank(r string) int {
	switch r {
	case reasonOutOfScope:
		return 6
	case reasonOutsideTerm, reasonBefore, reasonAfter:
		return 5
	case reasonNoInstant, reasonNoStart:
		return 4
	case reasonPending, reasonLateOpen:
		return 3
	case reasonError:
		return 2
	}
	return 1 // the contract's own exclusion reasons
}

func (e *Evaluator) account(src contract.Source, id string, t *recordTally) {
	rc := e.st.record(src)
	rc.read++
	switch {
	case t.counted:
		rc.counted++
	case t.reason == reasonError && t.err != nil:
		rc.rejected++
		e.st.rejected = append(e.st.rejected, Rejection{Source: string(src), ID: id, Error: t.err.Error()})
	default:
		reason := t.reason
		if reason == "" {
			reason = reasonOutOfScope
		}
		rc.exclude(reason, 1)
	}
}

// reject refuses a record the engine cannot evaluate.
func (e *Evaluator) reject(src contract.Source, id string, err error) {
	rc := e.st.record(src)
	rc.read++
	rc.rejected++
	e.st.rejected = append(e.st.rejected, Rejection{Source: string(src), ID: id, Error: err.Error()})
}

// Reject records a row a reader could not turn into a record, so that the
// report lists it and its source's accounting includes it.
func (e *Evaluator) Reject(r *pacte.RecordError) {
	if r == nil {
		return
	}
	src := contract.Source(r.Kind)
	if src == "" {
		src = "unknown"
	}
	rc := e.st.record(src)
	rc.read++
	rc.rejected++
	msg := "refused"
	if r.Err != nil {
		msg = r.Err.Error()
	}
	source := r.Source
	if source == "" {
		source = string(src)
	}
	e.st.rejected = append(e.st.rejected, Rejection{Source: source, Line: r.Line, Column: r.Column, ID: r.ID, Error: msg})
}

func (e *Evaluator) ruleError(rule *preparedRule, item string, err error) {
	var de *dsl.Error
	msg := err.Error()
	if errors.As(err, &de) {
		msg = fmt.Sprintf("%s: %s", de.Field, de.Msg)
		if de.Field == "" {
			msg = de.Msg
		}
	}
	re := RuleError{Rule: rule.def.ID, Item: item, Error: msg}
	if rule.isVersion() {
		// A version fails as its rule does where they share an expression
		// (the scope, the clock): the item's error is reported once.
		for _, prev := range slices.Backward(e.st.errors) {
			if prev.Item != item {
				break
			}
			if prev == re {
				return
			}
		}
	}
	e.st.errors = append(e.st.errors, re)
}

// seen widens the span of instants the data describes, the default AsOf;
// when AsOf is given, there is nothing to find.
func (e *Evaluator) seen(ts ...time.Time) {
	if !e.cfg.asOf.IsZero() {
		return
	}
	for _, t := range ts {
		if !t.IsZero() && t.After(e.st.maxSeen) && t.Year() < 2200 {
			e.st.maxSeen = t
		}
	}
}

// Merge adds the state of another evaluator of the same contract, which
// must not be used afterwards. The sources given to the merged evaluator
// (see [Given]) are those given to either. Both must have the same report
// range ([Between]), extraction instant ([AsOf]) and listing limit
// ([ListMissed]): parts of one evaluation are evaluated alike, and an
// evaluator with other settings is refused ([ErrOtherSettings]), as its
// figures would not add up to those of one evaluation. Evaluating two
// halves of the data and merging gives the report of the whole.
func (e *Evaluator) Merge(other *Evaluator) error {
	if other == nil {
		return nil
	}
	if other.c != e.c {
		return errors.New("sla: cannot merge evaluators of different contracts")
	}
	if err := e.cfg.sameSettings(&other.cfg); err != nil {
		return err
	}
	e.st.merge(other.st)
	other.st = newState()
	// The sources given are those given to either: evaluators of the
	// calls and of the tickets merge into the evaluation of both.
	switch {
	case other.cfg.given == nil:
		e.cfg.given = nil
	case e.cfg.given != nil:
		e.cfg.given = maps.Clone(e.cfg.given)
		maps.Copy(e.cfg.given, other.cfg.given)
	}
	return nil
}
