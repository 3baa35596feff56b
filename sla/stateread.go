package sla

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// stateReader reads what stateWriter wrote. Its first error sticks: every
// read after it returns zero values. It accepts only the bytes the writer
// gives (lists as long as what follows can hold, keys in order, booleans
// 0 or 1), so that what it reads writes back to the same bytes.
type stateReader struct {
	buf   []byte
	err   error
	zones map[string]*time.Location
	home  *time.Location // the contract's zone, most instants'
}

func (r *stateReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrCorruptState, fmt.Sprintf(format, args...))
	}
}

// minimal tells whether a varint's bytes are its shortest encoding, the
// one the writer makes: a last byte of zero adds nothing. A state has one
// encoding of each value, so that equal states are equal bytes.
func minimal(v []byte) bool { return len(v) == 1 || v[len(v)-1] != 0 }

func (r *stateReader) uint() uint64 { return r.varint("bad unsigned number") }

// int reads what binary.Varint reads: the unsigned varint of the number
// zigzag-encoded.
func (r *stateReader) int() int64 {
	u := r.varint("bad number")
	return int64(u>>1) ^ -int64(u&1)
}

// varint reads an unsigned varint in its shortest encoding; bad says
// what was expected otherwise.
func (r *stateReader) varint(bad string) uint64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.buf)
	if k <= 0 || !minimal(r.buf[:k]) {
		r.fail("%s", bad)
		return 0
	}
	r.buf = r.buf[k:]
	return n
}

// count reads the length of a list whose items take at least one byte
// each: a length beyond what is left is corrupt, and allocates nothing.
func (r *stateReader) count() int {
	n := r.uint()
	if n > uint64(len(r.buf)) {
		r.fail("a list of %d items in %d bytes", n, len(r.buf))
		return 0
	}
	return int(n)
}

func (r *stateReader) bool() bool {
	if r.err != nil {
		return false
	}
	if len(r.buf) == 0 || r.buf[0] > 1 {
		r.fail("bad boolean")
		return false
	}
	b := r.buf[0] == 1
	r.buf = r.buf[1:]
	return b
}

func (r *stateReader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.buf) {
		r.fail("truncated")
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

func (r *stateReader) str() string { return string(r.bytes(r.count())) }

// small reads an int that fits in an int32, as counts and indices do.
func (r *stateReader) small() int {
	n := r.int()
	if n < math.MinInt32 || n > math.MaxInt32 {
		r.fail("number %d out of range", n)
		return 0
	}
	return int(n)
}

// index reads an index below n.
func (r *stateReader) index(n int, what string) int {
	i := r.uint()
	if r.err == nil && i >= uint64(n) {
		r.fail("%s %d out of range (%d)", what, i, n)
		return 0
	}
	return int(i)
}

// instant reads a time: its zone is the named one the state gives when
// it has the same offset at that instant, a fixed zone otherwise.
func (r *stateReader) instant() time.Time {
	name, off := r.str(), r.int()
	if name == "" && off == -1 {
		return time.Time{}
	}
	ns := r.int()
	if r.err != nil {
		return time.Time{}
	}
	if off < -24*3600 || off > 24*3600 {
		r.fail("zone offset %d out of range", off)
		return time.Time{}
	}
	t := time.Unix(0, ns)
	if loc := r.zone(name); loc != nil {
		if _, o := t.In(loc).Zone(); int64(o) == off {
			return t.In(loc)
		}
	}
	return t.In(time.FixedZone(name, int(off)))
}

// zone loads a named time zone once per state; nil for names that are not
// of the tz database's form.
func (r *stateReader) zone(name string) *time.Location {
	if name == "UTC" {
		return time.UTC
	}
	if r.home != nil && name == r.home.String() {
		return r.home
	}
	if len(name) == 0 || len(name) > 64 || name == "Local" {
		return nil
	}
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '-' || c == '+') {
			return nil
		}
	}
	if loc, ok := r.zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	if r.zones == nil {
		r.zones = map[string]*time.Location{}
	}
	r.zones[name] = loc
	return loc
}

func (r *stateReader) dec() decimal.Decimal {
	exp, sign, mag := r.small(), r.int(), r.str()
	if r.err != nil {
		return decimal.Decimal{}
	}
	if sign < -1 || sign > 1 || (sign == 0) != (len(mag) == 0) || (len(mag) > 0 && mag[0] == 0) {
		r.fail("bad decimal")
		return decimal.Decimal{}
	}
	c := new(big.Int).SetBytes([]byte(mag))
	if sign < 0 {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, int32(exp))
}

func (r *stateReader) ints() []int {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(r.int())
	}
	return out
}

// keys reads a key of a map written in order: each after the one before.
func (r *stateReader) key(prev *string, i int) string {
	k := r.str()
	if i > 0 && k <= *prev {
		r.fail("keys out of order")
	}
	*prev = k
	return k
}

func (r *stateReader) counts() map[string]int {
	return readMap(r, func() int { return int(r.int()) })
}

func (r *stateReader) strings() map[string]string { return readMap(r, r.str) }

// readMap reads a map written with its keys in order, its values read by
// value.
func readMap[V any](r *stateReader, value func() V) map[string]V {
	n := r.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]V, n)
	var prev string
	for i := range n {
		k := r.key(&prev, i)
		m[k] = value()
	}
	return m
}

func (r *stateReader) config() config {
	c := config{from: r.instant(), to: r.instant(), asOf: r.instant(), listMissed: r.small()}
	switch {
	case c.listMissed < -1:
		r.fail("bad missed-item limit %d", c.listMissed)
	case (!c.from.IsZero() || !c.to.IsZero()) && !c.to.After(c.from):
		r.fail("the report range ends (%s) before it starts (%s)", c.to, c.from)
	case !pacte.InRange(c.from) || !pacte.InRange(c.to) || !pacte.InRange(c.asOf):
		r.fail("an instant of the configuration is out of range")
	}
	if r.bool() {
		c.given = map[contract.Source]bool{}
		var prev string
		for i := range r.count() {
			c.given[contract.Source(r.key(&prev, i))] = true
		}
	}
	return c
}

// state reads a state for the rules and work units of e.
func (r *stateReader) state(e *Evaluator) *state {
	s := newState()
	prev := accKey{-1, -1}
	for range r.count() {
		k := accKey{r.index(len(e.rules), "rule"), 0}
		rule := e.rules[k.rule]
		k.period = r.index(len(rule.periods.periods), "period")
		if r.err == nil && (k.rule < prev.rule || k.rule == prev.rule && k.period <= prev.period) {
			r.fail("accumulators out of order")
		}
		a := r.acc(rule)
		if r.err != nil {
			return nil
		}
		s.put(k, a)
		prev = k
	}
	r.records(&s.records)
	for range r.count() {
		s.rejected = append(s.rejected, Rejection{Source: r.str(), Line: r.small(), Column: r.str(), ID: r.str(), Error: r.str()})
	}
	for range r.count() {
		s.errors = append(s.errors, RuleError{Rule: r.str(), Item: r.str(), Period: r.str(), Error: r.str()})
	}
	r.volumes(e, s)
	s.maxSeen = r.instant()
	for range r.count() {
		s.running = append(s.running, r.running(e))
	}
	for range r.count() {
		o := r.outage()
		if r.err == nil {
			if err := pacte.CheckOutage(o, e.c.Location()); err != nil || !o.End.IsZero() {
				r.fail("outage %q is not one going on", o.ID)
			}
		}
		s.ongoing = append(s.ongoing, o)
	}
	return s
}

// volumes reads the counted volumes: of the work units counted from
// records, by month of the term, none negative.
func (r *stateReader) volumes(e *Evaluator, s *state) {
	n := r.count()
	if r.err == nil && n > len(e.c.WorkUnits()) {
		r.fail("volumes of %d work units, the contract has %d", n, len(e.c.WorkUnits()))
		return
	}
	if n > 0 {
		s.volumes = make([][]int, n)
	}
	months := make([]int, n) // the months of each unit counted
	for _, u := range e.units {
		if u.idx < n {
			months[u.idx] = len(u.periods.periods)
		}
	}
	for i := range s.volumes {
		s.volumes[i] = r.ints()
		if r.err == nil && len(s.volumes[i]) > months[i] {
			r.fail("volumes of %d months for work unit %d, which has %d", len(s.volumes[i]), i, months[i])
		}
		for _, v := range s.volumes[i] {
			if r.err == nil && v < 0 {
				r.fail("a negative volume")
			}
		}
	}
}

func (r *stateReader) records(rs *records) {
	for _, t := range []*tallies{&rs.tickets, &rs.calls, &rs.outages, &rs.samples} {
		r.tallies(t)
	}
	var prev string
	for i := range r.count() {
		src := r.key(&prev, i)
		if r.err == nil {
			switch contract.Source(src) {
			case contract.Tickets, contract.Calls, contract.Outages, contract.Samples:
				r.fail("source %q among the others", src)
			}
		}
		t := &tallies{}
		r.tallies(t)
		if rs.others == nil {
			rs.others = map[contract.Source]*tallies{}
		}
		rs.others[contract.Source(src)] = t
	}
}

func (r *stateReader) tallies(t *tallies) {
	t.read, t.counted, t.excluded, t.rejected = int(r.int()), int(r.int()), int(r.int()), int(r.int())
	for _, list := range []*[]reasonCount{&t.reasons, &t.inferred} {
		for range r.count() {
			*list = append(*list, reasonCount{r.str(), int(r.int())})
		}
	}
}

// acc reads an accumulator of the rule: as many objectives and per-item
// sums as the rule has.
func (r *stateReader) acc(rule *preparedRule) *acc {
	a := &acc{}
	if n := r.count(); r.err == nil && n != len(rule.objs) {
		r.fail("rule %s has %d objectives, the state %d", rule.def.ID, len(rule.objs), n)
		return a
	}
	a.objs = make([]objAcc, len(rule.objs))
	for i := range a.objs {
		r.objAcc(&a.objs[i])
	}
	a.nMissed = int(r.int())
	c := &a.calls
	for _, n := range []*int{&c.offered, &c.answered, &c.abandoned, &c.short, &c.within} {
		*n = int(r.int())
	}
	c.waitSum = time.Duration(r.int())
	a.excluded = r.counts()
	a.late = time.Duration(r.int())
	if n := r.count(); r.err == nil && n != len(rule.components) {
		r.fail("rule %s has %d penalty and bonus components, the state %d", rule.def.ID, len(rule.components), n)
		return a
	}
	a.perItem = make([]decimal.Decimal, len(rule.components))
	for i := range a.perItem {
		a.perItem[i] = r.dec()
	}
	a.perItemFees = r.feeCoefficients(rule)
	for range r.count() {
		a.missed = append(a.missed, r.missed())
	}
	a.excludedItems = r.excludedItems(a.excluded)
	for range r.count() {
		a.outages = append(a.outages, outageSpan{id: r.str(), start: r.instant(), end: r.instant(), whole: time.Duration(r.int())})
	}
	return a
}

func (r *stateReader) objAcc(o *objAcc) {
	o.eligible, o.holds, o.n = int(r.int()), int(r.int()), int(r.int())
	o.sumHi, o.sumLo = r.int(), r.uint()
	o.sumDec, o.sumInt = r.dec(), r.int()
	for range r.count() {
		o.durs = append(o.durs, time.Duration(r.int()))
	}
	for range r.count() {
		o.decs = append(o.decs, r.dec())
	}
	o.ints = r.ints()
	o.min, o.max = r.measure(), r.measure()
}

func (r *stateReader) measure() itemMeasure {
	m := itemMeasure{eligible: r.bool(), holds: r.bool(), dur: time.Duration(r.int()), dec: r.dec(), num: int(r.int())}
	m.typ = dsl.Type(r.small())
	return m
}

func (r *stateReader) missed() MissedItem {
	m := MissedItem{ID: r.str(), At: r.instant(), Measured: r.str(), Deadline: r.instant(), Late: Duration(r.int())}
	if r.bool() {
		m.Amount = &Money{r.dec()}
	}
	m.Open = r.bool()
	m.Adjustment = r.str()
	if r.bool() {
		m.feeCoefs = map[string]decimal.Decimal{}
		var prev string
		for i := range r.count() {
			k := r.key(&prev, i)
			m.feeCoefs[k] = r.dec()
		}
	}
	return m
}

// excludedItems reads the excluded items listed in an accumulator whose
// exclusions, by reason, are excluded: no reason lists more items than it
// counts.
func (r *stateReader) excludedItems(excluded map[string]int) []ExcludedItem {
	var out []ExcludedItem
	listed := map[string]int{}
	for range r.count() {
		x := ExcludedItem{ID: r.str(), At: r.instant(), Reason: r.str(), Adjustment: r.str()}
		if listed[x.Reason]++; r.err == nil && listed[x.Reason] > excluded[x.Reason] {
			r.fail("%d items listed as excluded for %q, %d counted", listed[x.Reason], x.Reason, excluded[x.Reason])
		}
		out = append(out, x)
	}
	return out
}

// feeCoefficients reads the fee coefficients of the per-item amounts of
// an accumulator of the rule: none, or per component the coefficient of
// each work unit its formula names (none for those that name none).
func (r *stateReader) feeCoefficients(rule *preparedRule) [][]decimal.Decimal {
	n := r.count()
	if n == 0 {
		return nil
	}
	if r.err == nil && n != len(rule.itemFees) {
		r.fail("rule %s has %d components, the state's fee coefficients %d", rule.def.ID, len(rule.itemFees), n)
		return nil
	}
	out := make([][]decimal.Decimal, n)
	for k := range out {
		m := r.count()
		if r.err == nil && m != 0 && m != len(rule.itemFees[k]) {
			r.fail("component %d of rule %s names %d fees, the state %d", k, rule.def.ID, len(rule.itemFees[k]), m)
			return nil
		}
		for range m {
			out[k] = append(out[k], r.dec())
		}
	}
	return out
}

// running reads a ticket whose clock was running in ticket rules of e
// with a deadline, as AddTicket would have kept it.
func (r *stateReader) running(e *Evaluator) *runningTicket {
	rt := &runningTicket{t: r.ticket()}
	n := r.count()
	for range n {
		i := r.index(len(e.rules), "rule")
		if r.err == nil && (e.rules[i].def.Source != contract.Tickets || e.rules[i].tickets == nil) {
			r.fail("rule %s, of a running ticket, is not a ticket rule", e.rules[i].def.ID)
		}
		rt.rules = append(rt.rules, i)
	}
	rt.tally.counted, rt.tally.reason = r.bool(), r.str()
	if r.bool() {
		rt.tally.err = errors.New(r.str())
	}
	if r.err == nil {
		if err := pacte.CheckTicket(rt.t, e.c.Location()); err != nil {
			r.fail("running ticket %q: %v", rt.t.ID, err)
		}
	}
	return rt
}

func (r *stateReader) ticket() *pacte.Ticket {
	t := &pacte.Ticket{ID: r.str(), Kind: r.str(), Priority: r.str(), Service: r.str(), Category: r.str(), Group: r.str(), Level: r.small()}
	t.Opened, t.Acknowledged, t.Resolved, t.Closed = r.instant(), r.instant(), r.instant(), r.instant()
	t.Status = r.str()
	for range r.count() {
		t.History = append(t.History, pacte.StatusChange{At: r.instant(), Status: r.str()})
	}
	for range r.count() {
		t.Pauses = append(t.Pauses, pacte.Interval{Start: r.instant(), End: r.instant()})
	}
	for range r.count() {
		t.Reopened = append(t.Reopened, r.instant())
	}
	t.Satisfaction = r.dec()
	for range r.count() {
		t.Links = append(t.Links, pacte.Link{ID: r.str(), Kind: r.str(), Priority: r.str(), Resolved: r.instant()})
	}
	t.Exclusion = r.str()
	t.ReopenCount, t.ReassignmentCount = r.small(), r.small()
	t.Attrs = r.strings()
	return t
}

func (r *stateReader) outage() *pacte.Outage {
	return &pacte.Outage{ID: r.str(), Service: r.str(), Start: r.instant(), End: r.instant(), Planned: r.bool(), Announced: r.instant(), Attrs: r.strings()}
}
