package sla

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// Live follows a contract while its periods run: the open tickets in a
// table keyed by ticket ID, each updated as often as its tool changes it,
// and the records already settled counted in the period figures. It
// answers at an instant given as a parameter, never the wall clock: the
// timers of a ticket ([Live.Timers]), the margin left in the current
// period ([Live.Margin]) and the items at risk ([Live.AtRisk]).
//
// Live measures with the evaluator's own prepared rules: the same scopes,
// clocks, pauses, exclusions and objectives as [Evaluate], so that what it
// says of a ticket at its last update is what the month's evaluation
// says of it.
//
// A ticket is counted once it is settled: every clock of the rules that
// take it has stopped (or has no start). An update of a counted ticket (a
// reopening, a closure, a late satisfaction score) takes its count back
// and counts the new version. Live is not safe for concurrent use.
type Live struct {
	e   *Evaluator // the prepared rules, and the scratch space the measures use
	cfg liveConfig

	open map[string]*liveTicket // the tickets not yet settled
	list []*liveTicket          // the same, in a slice to go through them in order of memory
	// done are the settled tickets, kept so that a later update can take
	// their count back; nil when Live does not count (a watch).
	done    map[string]*liveTicket
	counted *Evaluator // the settled tickets
	// others are the calls, outages and samples, and the settled tickets
	// Forget dropped: the records whose counts are never taken back.
	others *Evaluator
	// dirty says that a settled ticket changed: counted is rebuilt from
	// done before it is read.
	dirty bool
	free  []*liveTicket // entries to reuse, so that steady updates allocate nothing
	read  fieldSet      // the optional fields the rules may read (see sameTexts)
	// order are the indices of the ticket rules in the contract's order:
	// the versions of a rule, which come after every rule, at its place;
	// nil when that is their own order (no rule has versions).
	order []int
	// inFull evaluates every update in full, unchanged or not: the
	// reference the tests compare the shortcut with.
	inFull bool
}

// liveTicket is a ticket of the table: its latest version, in buffers of
// its own that later updates reuse.
type liveTicket struct {
	t     pacte.Ticket
	pos   int         // its index in Live.list while open, −1 otherwise
	marks []ruleMarks // by ticket rule
	// known says that facts are those of the ticket's version.
	known bool
	// facts are, by ticket rule, what the rule's scope and clock bounds
	// say of the latest version: they read the ticket alone, so the
	// timers of every instant until the next update share them.
	facts []ruleFacts
	// watch is what a watch keeps of its timers, by ticket rule, then
	// the timer of the ticket's next dated instant; nil outside a watch.
	watch []ruleWatch
	// The outcomes of the scopes that read text fields alone, and those
	// texts, at the last update: the next update of the ticket most often
	// has the same, and skips those scopes (the evaluator's scope memo,
	// kept per ticket).
	scopeKey   []string
	scopeOut   []scopeOutcome
	scopeKnown bool
}

// ruleMarks is what a ticket rule's scope says of an entry's ticket, in
// a byte: going through the rules reads the marks, and the facts of the
// rules that take the ticket alone.
type ruleMarks uint8

const (
	// markTaken: the scope took the ticket at one of its updates; a rule
	// that no longer takes it is cancelled.
	markTaken  ruleMarks = 1 << iota
	markIn               // the scope takes the latest version
	markFailed           // the scope failed on the latest version (see ruleFacts.scopeErr)
)

// ruleFacts is what a ticket rule's scope and clock bounds say of a
// version of a ticket.
type ruleFacts struct {
	scopeErr    error // the scope failed on it (markFailed)
	bounded     bool  // start, stop and boundsErr are known
	start, stop time.Time
	boundsErr   error // the start or the stop failed
	// textExcl marks the exclusions that read text fields alone and hold
	// (the first 64), once textKnown.
	textExcl  uint64
	textKnown bool
}

// exclusion returns the index of the first exclusion of a rule with a
// clock that holds on the ticket of env, measured; −1 when none does. The
// exclusions that read text fields alone are evaluated once a version.
func (f *ruleFacts) exclusion(rule *preparedRule, env *dsl.Ticket) int {
	excl := rule.tickets.excl
	if !f.textKnown {
		f.textExcl, f.textKnown = 0, true
		for i := range min(len(excl), 64) {
			if excl[i].textOnly && excl[i].when.safe(env) {
				f.textExcl |= 1 << i
			}
		}
	}
	for i := range excl {
		ex := &excl[i]
		if ex.textOnly && i < 64 {
			if f.textExcl&(1<<i) != 0 {
				return i
			}
			continue
		}
		if ok, err := ex.when.eval(env); err == nil && ok {
			return i
		}
	}
	return -1
}

// bounds returns the facts of a rule with a clock whose scope takes the
// ticket of env, its clock's bounds evaluated once.
func (f *ruleFacts) bounds(e *Evaluator, rule *preparedRule, env *dsl.Ticket) *ruleFacts {
	if !f.bounded {
		env.Clock, env.Paused = dsl.Clock{}, nil
		f.start, f.stop, f.boundsErr = e.clockBounds(rule, env)
		f.bounded = true
	}
	return f
}

// LiveOption configures a [Live].
type LiveOption func(*liveConfig) error

type liveConfig struct {
	volumes map[string]map[string]decimal.Decimal
	indices contract.Indices
	count   bool
	risk    RiskOptions
	given   []Option // the evaluator's Given, when LiveGiven set it
}

// LiveVolumes gives the reported volumes of the work units whose volume
// is given (by month, then unit), for the invoice the penalties read.
func LiveVolumes(v map[string]map[string]decimal.Decimal) LiveOption {
	return func(c *liveConfig) error {
		c.volumes = v
		return nil
	}
}

// LiveIndices gives the index values of the price revision.
func LiveIndices(ix contract.Indices) LiveOption {
	return func(c *liveConfig) error {
		c.indices = ix
		return nil
	}
}

// LiveGiven names the sources whose records the table is fed, as [Given]
// does for an evaluator: the margin of a rule of any other source is
// no_data ("no calls given: not evaluated"), where it would read an empty
// period as one in which nothing was missed. Without it every source is
// taken as given.
func LiveGiven(sources ...contract.Source) LiveOption {
	return func(c *liveConfig) error {
		c.given = []Option{Given(sources...)}
		return nil
	}
}

// TimersOnly keeps only the open tickets: settled tickets are forgotten
// rather than counted, so that memory follows the open tickets alone. A
// Live made so answers Timers but not Margin.
func TimersOnly() LiveOption {
	return func(c *liveConfig) error {
		c.count = false
		return nil
	}
}

// WithRisk sets the provider's operating settings: alert thresholds and
// internal targets (see [RiskOptions]).
func WithRisk(o RiskOptions) LiveOption {
	return func(c *liveConfig) error {
		if err := o.check(); err != nil {
			return err
		}
		c.risk = o
		return nil
	}
}

// ErrTimersOnly is returned by the methods that need the settled records
// of a Live made with [TimersOnly].
var ErrTimersOnly = errors.New("sla: this Live keeps open tickets only (TimersOnly)")

// NewLive prepares the live control of a contract.
func NewLive(c *contract.Contract, opts ...LiveOption) (*Live, error) {
	cfg := liveConfig{count: true, risk: DefaultRisk()}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cfg.risk.Targets)) {
		// A target of a rule the contract lacks, or one without a clock,
		// would never be reached, and say nothing.
		if !slices.ContainsFunc(c.Rules(), func(r contract.Rule) bool { return r.ID == id && r.Clock != nil }) {
			return nil, fmt.Errorf("sla: the internal target of %s: the contract has no rule %s with a clock", id, id)
		}
	}
	e, err := NewEvaluator(c, cfg.given...)
	if err != nil {
		return nil, err
	}
	l := &Live{e: e, cfg: cfg, open: map[string]*liveTicket{}, read: readFields(e), order: contractOrder(e)}
	if cfg.count {
		l.done = map[string]*liveTicket{}
		l.counted, l.others = e.worker(newState()), e.worker(newState())
	}
	return l, nil
}

// contractOrder returns the indices of the ticket rules in the contract's
// order, each rule's versions after it; nil when that is their order.
func contractOrder(e *Evaluator) []int {
	order := make([]int, len(e.ticketRules))
	for i := range order {
		order[i] = i
	}
	byOwn := func(a, b int) int { return cmp.Compare(e.ticketRules[a].own.idx, e.ticketRules[b].own.idx) }
	if slices.IsSortedFunc(order, byOwn) {
		return nil
	}
	slices.SortStableFunc(order, byOwn)
	return order
}

// worker is an evaluator of the same prepared rules over another state,
// with scratch space of its own.
func (e *Evaluator) worker(st *state) *Evaluator {
	return &Evaluator{c: e.c, cfg: e.cfg, rules: e.rules, bySrc: e.bySrc, ticketRules: e.ticketRules, callRules: e.callRules, units: e.units,
		unitsOf: e.unitsOf, ticketUnits: e.ticketUnits, callUnits: e.callUnits, outageUnits: e.outageUnits, sampleUnits: e.sampleUnits,
		scopes: make([]scopeOutcome, len(e.scopes)), attrs: make([]time.Time, len(e.attrs)), attrUnix: make([]int64, len(e.attrUnix)), attrDone: make([]bool, len(e.attrDone)), st: st}
}

// Contract returns the contract Live follows.
func (l *Live) Contract() *contract.Contract { return l.e.c }

// Open returns the number of open tickets in the table.
func (l *Live) Open() int { return len(l.open) }

// Update records the latest version of a ticket: it replaces the one the
// table holds under its ID. A ticket the engine would reject (no ID, no
// opening instant…) is refused with the same error, and the table is left
// as it was. An update has no instant: the version given is the ticket as
// known, a stop dated later included, which settles it. To ask of a
// ticket as it stood at an earlier instant, give [KnownAt] of its record;
// a watch, whose inputs have instants, settles a ticket at its last stop.
func (l *Live) Update(t pacte.Ticket) error {
	_, err := l.update(&t)
	return err
}

// update is Update on a ticket the caller keeps; it returns the entry
// that holds it now, nil when it was settled and forgotten.
func (l *Live) update(t *pacte.Ticket) (*liveTicket, error) {
	lt, settled, _, err := l.upsert(t)
	if err != nil {
		return nil, err
	}
	return l.settle(lt, settled), nil
}

// upsert copies a ticket into its entry, found or new, and evaluates the
// rules' scopes on it; settled says that no clock of them runs. same says
// that the entry was open and the update changed nothing the rules read:
// its facts are kept as they were.
func (l *Live) upsert(t *pacte.Ticket) (lt *liveTicket, settled, same bool, err error) {
	lt = l.open[t.ID]
	textsSame := lt != nil && lt.known && !l.inFull && l.sameTexts(&lt.t, t)
	if textsSame && sameDates(&lt.t, t) {
		// The checks of the ticket read its ID and dates, those of the
		// version the table holds, which passed them.
		lt.copyFields(t)
		return lt, false, true, nil
	}
	if err := pacte.CheckTicket(t, l.e.c.Location()); err != nil {
		return nil, false, false, err
	}
	if textsSame {
		lt.copyFrom(t)
		return lt, l.scope(lt, true), false, nil
	}
	if lt == nil && l.done != nil {
		if lt = l.done[t.ID]; lt != nil {
			delete(l.done, t.ID) // its count is taken back
			l.dirty = true
		}
	}
	if lt == nil {
		lt = l.entry()
	}
	lt.copyFrom(t)
	return lt, l.scope(lt, false), false, nil
}

// settle files an entry: among the open tickets, or counted and kept, or
// forgotten (TimersOnly), when it returns nil.
func (l *Live) settle(lt *liveTicket, settled bool) *liveTicket {
	switch {
	case !settled:
		if lt.pos < 0 {
			l.open[lt.t.ID] = lt
			lt.pos = len(l.list)
			l.list = append(l.list, lt)
		}
		return lt
	case l.done == nil:
		l.close(lt)
		l.free = append(l.free, lt)
		return nil
	}
	l.close(lt)
	l.done[lt.t.ID] = lt
	if !l.dirty {
		l.counted.AddTicket(&lt.t)
	}
	return lt
}

// close takes an entry out of the open tickets, if it is there.
func (l *Live) close(lt *liveTicket) {
	if lt.pos < 0 {
		return
	}
	delete(l.open, lt.t.ID)
	last := l.list[len(l.list)-1]
	l.list[lt.pos], last.pos = last, lt.pos
	l.list[len(l.list)-1] = nil
	l.list = l.list[:len(l.list)-1]
	lt.pos = -1
}

// entry returns an entry to fill, reused when one is free.
func (l *Live) entry() *liveTicket {
	if n := len(l.free); n > 0 {
		lt := l.free[n-1]
		l.free = l.free[:n-1]
		clear(lt.marks)
		lt.scopeKnown, lt.known = false, false
		return lt
	}
	n := len(l.e.ticketRules)
	return &liveTicket{pos: -1, marks: make([]ruleMarks, n), facts: make([]ruleFacts, n)}
}

// copyFrom copies a ticket into the entry's own buffers, which it reuses.
func (lt *liveTicket) copyFrom(t *pacte.Ticket) {
	history, pauses, reopened, links := lt.t.History[:0], lt.t.Pauses[:0], lt.t.Reopened[:0], lt.t.Links[:0]
	lt.copyFields(t)
	lt.t.History = append(history, t.History...)
	lt.t.Pauses = append(pauses, t.Pauses...)
	lt.t.Reopened = append(reopened, t.Reopened...)
	lt.t.Links = append(links, t.Links...)
}

// copyFields copies the fields of a ticket but its lists, which the entry
// keeps as they are: those of a version equal on them (see sameDates).
func (lt *liveTicket) copyFields(t *pacte.Ticket) {
	history, pauses, reopened, links, attrs := lt.t.History, lt.t.Pauses, lt.t.Reopened, lt.t.Links, lt.t.Attrs
	lt.t = *t
	lt.t.History, lt.t.Pauses, lt.t.Reopened, lt.t.Links = history, pauses, reopened, links
	switch {
	case len(t.Attrs) == 0:
		clear(attrs)
		lt.t.Attrs = attrs
	case attrs == nil:
		lt.t.Attrs = maps.Clone(t.Attrs)
	default:
		clear(attrs)
		maps.Copy(attrs, t.Attrs)
		lt.t.Attrs = attrs
	}
}

// scope evaluates the ticket rules' scopes on the entry's ticket, marks
// the rules that take it, and tells whether it is settled: every rule
// that takes it has a clock that stopped or never started, or none. With
// textsSame (the update changed no text the rules read, see sameTexts),
// the scopes that read text fields alone keep their outcomes, and the
// exclusions that do keep theirs.
func (l *Live) scope(lt *liveTicket, textsSame bool) bool {
	e := l.e
	env := &e.tenv
	*env = dsl.Ticket{Ticket: &lt.t}
	e.pauseFrom = nil
	m := e.tmemo
	if textsSame {
		m = nil // its keys and outcomes are those of the entry
	}
	hit := false
	if m != nil {
		if lt.scopeKey == nil {
			lt.scopeKey, lt.scopeOut = make([]string, len(m.fields)), make([]scopeOutcome, len(e.scopes))
		}
		hit = lt.scopeKnown
		for i, f := range m.fields {
			if s := f(env); s != lt.scopeKey[i] {
				lt.scopeKey[i], hit = s, false
			}
		}
	}
	clear(e.scopes)
	if hit {
		for slot, ok := range m.memo {
			if ok {
				e.scopes[slot] = lt.scopeOut[slot]
			}
		}
	}
	var tally recordTally
	settled := true
	for i, rule := range e.ticketRules {
		mark := &lt.marks[i]
		if !textsSame || !rule.tickets.scopeTextOnly {
			in := inScope(e, rule, &rule.tickets.scope, env, lt.t.ID, &tally)
			*mark &^= markIn | markFailed
			if tally.err != nil {
				*mark |= markFailed
				lt.facts[i].scopeErr, tally.err = tally.err, nil
			}
			if !in {
				continue
			}
			*mark |= markIn | markTaken
			lt.facts[i].textKnown = false
		} else if *mark&markIn == 0 {
			continue
		}
		f := &lt.facts[i]
		f.bounded = false
		if rule.cal == nil || !settled {
			continue // the timers evaluate the bounds they need
		}
		if f.bounds(e, rule, env); f.boundsErr == nil && !f.start.IsZero() && f.stop.IsZero() {
			settled = false
		}
	}
	if m != nil {
		copy(lt.scopeOut, e.scopes)
		lt.scopeKnown = true
	}
	lt.known = true
	return settled
}

// Forget drops the settled tickets whose every count lies in periods that
// ended before the instant: their counts stay, but a later update of one
// of them is counted as a new ticket. It bounds the memory of a Live that
// runs for months.
func (l *Live) Forget(before time.Time) {
	if l.done == nil {
		return
	}
	for id, lt := range l.done {
		if l.settledBefore(lt, before) {
			// Its count moves to the records never taken back: counted is
			// rebuilt from the tickets kept when one is taken back.
			delete(l.done, id)
			l.others.AddTicket(&lt.t)
			l.dirty = true
		}
	}
}

// settledBefore tells whether every instant that may place the ticket in
// a period is before the instant.
func (l *Live) settledBefore(lt *liveTicket, before time.Time) bool {
	t := &lt.t
	for _, at := range []time.Time{t.Opened, t.Acknowledged, t.Resolved, t.Closed} {
		if !at.IsZero() && !at.Before(before) {
			return false
		}
	}
	for _, h := range t.History {
		if !h.At.Before(before) {
			return false
		}
	}
	return true
}

// AddCall counts a call in the period figures. A call the engine
// refuses (pacte.CheckCall) is returned its error, and not counted, as
// Update does with a ticket.
func (l *Live) AddCall(c pacte.Call) error {
	if l.others == nil {
		return ErrTimersOnly
	}
	if err := pacte.CheckCall(&c, l.e.c.Location()); err != nil {
		return err
	}
	l.others.AddCall(&c)
	return nil
}

// AddOutage counts an outage in the period figures; one still going on
// (no end) counts up to the instant the figures are asked at, until a
// later version of it (the same ID, or without one the same service and
// start) replaces it: with its end, or still going on.
func (l *Live) AddOutage(o pacte.Outage) error {
	if l.others == nil {
		return ErrTimersOnly
	}
	if err := pacte.CheckOutage(&o, l.e.c.Location()); err != nil {
		return err
	}
	id := outageID(&o)
	st := l.others.st
	st.ongoing = slices.DeleteFunc(st.ongoing, func(x *pacte.Outage) bool { return outageID(x) == id })
	l.others.AddOutage(&o)
	return nil
}

// AddSample counts a sample (a survey score, a count) in the period
// figures; one the engine refuses (pacte.CheckSample) is returned its
// error.
func (l *Live) AddSample(s pacte.Sample) error {
	if l.others == nil {
		return ErrTimersOnly
	}
	if err := pacte.CheckSample(&s, l.e.c.Location()); err != nil {
		return err
	}
	l.others.AddSample(&s)
	return nil
}

// stateAt is the evaluator's state at now: the settled records, and the
// open tickets as they stand. An open ticket past its deadline counts as
// missed in the period of its deadline, as the evaluation counts it; one
// still within its deadline counts as met in the period of now, as if it
// stopped now (running, by rule). The result is the caller's.
func (l *Live) stateAt(now time.Time) (w *Evaluator, running map[int]int, err error) {
	if l.done == nil {
		return nil, nil, ErrTimersOnly
	}
	if l.dirty {
		l.counted.st = newState()
		for _, lt := range l.done {
			l.counted.AddTicket(&lt.t)
		}
		l.dirty = false
	}
	st := l.counted.st.clone()
	st.merge(l.others.st.clone())
	w = l.e.worker(st)
	w.cfg.asOf = now
	running = map[int]int{}
	for _, lt := range l.list {
		w.addOpen(&lt.t, now, running)
	}
	w.finalize(now) // the outages still going on
	return w, running, nil
}

// addOpen counts an open ticket at now (see stateAt); running counts, by
// rule, the tickets counted as met because their clock still runs within
// its deadline.
func (e *Evaluator) addOpen(t *pacte.Ticket, now time.Time, running map[int]int) {
	env := &e.tenv
	*env = dsl.Ticket{Ticket: t}
	e.pauseFrom = nil
	clear(e.scopes)
	var tally recordTally
	for _, rule := range e.ticketRules {
		if !inScope(e, rule, &rule.tickets.scope, env, t.ID, &tally) {
			continue
		}
		if placed, met := e.pendingMet(rule, env, now, &tally); placed {
			if met {
				running[rule.idx]++
			}
			continue
		}
		e.ticketRule(rule, env, &tally, now)
	}
	countVolumes(e, e.ticketUnits, env, &tally)
	e.account(contract.Tickets, t.ID, &tally)
}

// pendingMet counts a ticket whose clock runs within its deadline at now
// as met in the period of now, as if it stopped then. placed says that
// the ticket's clock runs so, and the rule has placed it: counted (met),
// or left out with its reason noted (an exclusion, an error), which the
// rule's own count must not note again.
func (e *Evaluator) pendingMet(rule *preparedRule, env *dsl.Ticket, now time.Time, tally *recordTally) (placed, met bool) {
	if rule.cal == nil || rule.deadline == nil {
		return false, false
	}
	env.Clock, env.Paused = dsl.Clock{}, nil
	start, stop, err := e.clockBounds(rule, env)
	if err != nil || start.IsZero() || !stop.IsZero() || start.After(now) {
		return false, false
	}
	if err := e.measureClock(rule, env, start, stop, now); err != nil || !env.Deadline.After(now) {
		return false, false
	}
	env.Stop, env.OnTime, env.Late = now, true, 0
	return true, countItem(e, rule, rule.tickets, env, env.ID, now, false, tally) == counted
}

// ticketOf returns the open ticket of an ID.
func (l *Live) ticketOf(id string) (*liveTicket, error) {
	lt := l.open[id]
	if lt == nil && l.done != nil {
		lt = l.done[id]
	}
	if lt == nil {
		return nil, fmt.Errorf("sla: no ticket %q in the live table", id)
	}
	return lt, nil
}
