package sla

import (
	"cmp"
	"errors"
	"iter"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// WatchInput is one item of a watch's input: a ticket update (its latest
// version, as a tool's change feed or the event-log replay of package
// sla/ingest gives it) or, with no ticket, a clock tick. At is the
// instant of the update or the tick.
type WatchInput struct {
	At     time.Time
	Ticket *pacte.Ticket // nil: a tick
}

// EventKind is what happened to a timer.
type EventKind string

// The events of a watch.
const (
	EventThreshold EventKind = "threshold" // the share of the allowance used reached an alert threshold
	EventTarget    EventKind = "target"    // the open time reached the provider's internal target (OLA)
	EventBreached  EventKind = "breached"  // the deadline was reached, the clock running
	EventPaused    EventKind = "paused"
	EventResumed   EventKind = "resumed"
	EventStopped   EventKind = "stopped"
	EventReopened  EventKind = "reopened"  // a stopped clock runs again
	EventCancelled EventKind = "cancelled" // the rule no longer takes the ticket
	// EventLate is an update that came later than the lateness allowed:
	// it is applied at the instant the watch had reached, and said so.
	EventLate EventKind = "late"
	// EventRejected is an update the engine refuses (no ID, no opening…);
	// Error says why.
	EventRejected EventKind = "rejected"
)

// Event is what a watch emits: a rule's timer on a ticket changed at an
// instant. At is the instant it happened, computed on the rule's
// calendar (a crossing at 03:00 is at 03:00, whatever instant the update
// or the tick that revealed it came).
type Event struct {
	Kind   EventKind `json:"kind"`
	Rule   string    `json:"rule,omitempty"`
	Ticket string    `json:"ticket"`
	At     time.Time `json:"at"`
	// Threshold is the share crossed (threshold events).
	Threshold *Number `json:"threshold,omitempty"`
	Error     string  `json:"error,omitempty"`
}

// WatchOption configures a watch.
type WatchOption func(*watchConfig) error

type watchConfig struct {
	lateness time.Duration
}

// Lateness lets updates come out of order by up to d: an update is
// applied once the watch has seen an input d after it, and events are
// emitted once they are d old. Zero (the default) applies each update as
// it comes, in the order given.
func Lateness(d time.Duration) WatchOption {
	return func(c *watchConfig) error {
		if d < 0 {
			return errors.New("sla: a negative lateness")
		}
		c.lateness = d
		return nil
	}
}

// Watch turns a stream of ticket updates and clock ticks into the events
// a tool acts on, in the order of the input. It keeps the timers of the
// open tickets in l: with [TimersOnly] its memory follows the open
// tickets, not the updates, and an update of a ticket already in the
// table allocates nothing. The input is read as the output is consumed.
// Between two inputs (in the input sequence, before it gives the next),
// l may be read (Timers, Margin, AtRisk) and given calls, outages and
// samples; its tickets go through the watch alone, and nothing else may
// use l while the watch runs.
//
// The tickets l holds when the watch starts (given by [Live.Update], read
// from a saved state, or left by an earlier watch) have their timers
// scheduled at the first input: what they reached by then is taken as
// emitted, as a watch that restarts from a saved table has emitted it.
// The settled tickets a table that counts holds are taken as they stood
// at their next update, which says what changes from them.
func (l *Live) Watch(in iter.Seq[WatchInput], opts ...WatchOption) (iter.Seq[Event], error) {
	var cfg watchConfig
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	return func(yield func(Event) bool) {
		w := l.watcher(cfg)
		first := true
		for x := range in {
			if first {
				w.adopt(x.At)
				first = false
			}
			if !w.take(x, yield) {
				return
			}
		}
		w.flush(yield)
	}, nil
}

// watcher is the state of a watch.
type watcher struct {
	l   *Live
	cfg watchConfig
	// thresholds are the alert thresholds as fractions num/den, for the
	// integer arithmetic of an update.
	thr    []fraction
	thrDec []Number
	target []time.Duration // by ticket rule: the internal target, or 0
	// clockExcl says that an exclusion may read a clock's measures: an
	// unchanged ticket is then observed at each of its updates.
	clockExcl bool
	// family lists, by ticket rule, the other versions of its rule; nil
	// when no rule has versions. What a watch said of a rule's timer
	// under one version is said once, whichever version comes next.
	family [][]int
	// versionStarts are the instants another version of a ticket rule
	// comes into force, in order: the watch observes the tickets then,
	// as at a dated instant of theirs.
	versionStarts []time.Time
	queue         []*ruleWatch // the next crossings, a min-heap on their instant
	// pending are the updates held until the lateness has passed, a
	// min-heap on their instant; spare are their buffers, reused.
	pending []*heldUpdate
	spare   []*heldUpdate
	stamp   uint64    // the order of arrival of the held updates
	seen    time.Time // the latest instant of the input
	done    time.Time // the instant the watch has reached
	out     []Event   // the events of one input, reused
}

type fraction struct{ num, den uint64 }

// ruleWatch is what a watch keeps of one rule's timer on one ticket.
type ruleWatch struct {
	lt      *liveTicket
	rule    int // index among the ticket rules
	stage   Stage
	crossed int  // alert thresholds crossed
	target  bool // internal target reached
	breach  bool
	// runs says that the clock runs: its crossings are scheduled. With
	// exclusions that read the clock, that of an excluded timer too, as
	// the exclusion may cease to hold by its next crossing.
	runs bool
	// The clock when last observed (base), for the crossings to come:
	// from base on it runs without pause until the ticket's next dated
	// instant (see watcher.wake) or its next update.
	base            time.Time
	elapsed, budget time.Duration
	at              time.Time          // the next crossing
	idx             int                // its index in the queue, −1 when not there
	cal             *calendar.Calendar // the calendar the clock measured the ticket on
}

type heldUpdate struct {
	at  time.Time
	seq uint64
	t   liveTicket
}

func (l *Live) watcher(cfg watchConfig) *watcher {
	w := &watcher{l: l, cfg: cfg, target: make([]time.Duration, len(l.e.ticketRules)), clockExcl: readsClock(l.e)}
	for _, t := range l.cfg.risk.Thresholds {
		w.thr = append(w.thr, fractionOf(t))
		w.thrDec = append(w.thrDec, Number{t})
	}
	for i, rule := range l.e.ticketRules {
		w.target[i] = l.cfg.risk.Targets[rule.def.ID]
		w.versions(i, rule)
	}
	slices.SortFunc(w.versionStarts, time.Time.Compare)
	w.versionStarts = slices.CompactFunc(w.versionStarts, time.Time.Equal)
	return w
}

// versions notes the other versions of a ticket rule with a clock and,
// for a rule's own, the instants its versions come into force.
func (w *watcher) versions(i int, rule *preparedRule) {
	own := rule.own
	if own.inForce == nil || rule.cal == nil {
		return
	}
	if w.family == nil {
		w.family = make([][]int, len(w.l.e.ticketRules))
	}
	for j, other := range w.l.e.ticketRules {
		if j != i && other.own == own {
			w.family[i] = append(w.family[i], j)
		}
	}
	if rule.isVersion() {
		return
	}
	ps := own.periods.periods
	for pi := 1; pi < len(ps); pi++ {
		if own.at(pi) != own.at(pi-1) {
			w.versionStarts = append(w.versionStarts, ps[pi].Start)
		}
	}
	if last := len(ps) - 1; last >= 0 && own.at(last) != own { // its own again after the term
		w.versionStarts = append(w.versionStarts, ps[last].End)
	}
}

// fractionOf is a threshold in (0, 1] as num/den with den a power of ten.
func fractionOf(d decimal.Decimal) fraction {
	exp := max(-d.Exponent(), 0)
	den := uint64(1)
	for range min(exp, 18) {
		den *= 10
	}
	return fraction{uint64(d.Shift(int32(min(exp, 18))).IntPart()), den}
}

// of returns the open time at which the share of budget reaches f:
// ⌈budget × num / den⌉.
func (f fraction) of(budget time.Duration) time.Duration {
	hi, lo := bits.Mul64(uint64(budget), f.num)
	q, r := bits.Div64(hi, lo, f.den)
	if r > 0 {
		q++
	}
	return time.Duration(q)
}

// take reads one input.
func (w *watcher) take(x WatchInput, yield func(Event) bool) bool {
	if x.At.After(w.seen) {
		w.seen = x.At
	}
	if x.Ticket != nil {
		switch {
		case w.cfg.lateness == 0 && !x.At.Before(w.done):
			if !w.advance(x.At, yield) {
				return false
			}
			return w.apply(x.Ticket, x.At, false, yield)
		case x.At.Before(w.done):
			return w.apply(x.Ticket, w.done, true, yield)
		}
		w.hold(x)
	}
	return w.release(w.seen.Add(-w.cfg.lateness), yield)
}

// flush applies what is held and emits what is due at the last instant
// seen.
func (w *watcher) flush(yield func(Event) bool) {
	w.release(w.seen, yield)
}

// release applies the updates held up to the instant, in order, with the
// crossings due before each, then the crossings due up to the instant.
func (w *watcher) release(upTo time.Time, yield func(Event) bool) bool {
	for len(w.pending) > 0 && !w.pending[0].at.After(upTo) {
		h := w.popHeld()
		if !w.advance(h.at, yield) || !w.apply(&h.t.t, h.at, false, yield) {
			return false
		}
		w.spare = append(w.spare, h)
	}
	return w.advance(upTo, yield)
}

// advance emits the crossings due up to the instant, in time order.
func (w *watcher) advance(upTo time.Time, yield func(Event) bool) bool {
	for len(w.queue) > 0 && !w.queue[0].at.After(upTo) {
		rw := w.queue[0]
		if rw.rule == wakeRule {
			w.out = w.wake(rw.lt, rw.at, w.out[:0])
		} else {
			w.out = w.cross(rw, w.out[:0])
		}
		if !w.emit(yield) {
			return false
		}
	}
	if upTo.After(w.done) {
		w.done = upTo
	}
	return true
}

func (w *watcher) emit(yield func(Event) bool) bool {
	for _, ev := range w.out {
		if !yield(ev) {
			return false
		}
	}
	return true
}

// cross emits the crossings of a running timer at its next instant, and
// schedules the one after.
func (w *watcher) cross(rw *ruleWatch, out []Event) []Event {
	at, rule := rw.at, w.l.e.ticketRules[rw.rule]
	if !rule.inForceAt(at) || (w.clockExcl && w.excludedAt(rw, rule, at)) {
		// Another version of the rule is in force: this one's crossings
		// are said when it comes into force, if it does (see observe). Or
		// an exclusion that reads the clock holds then: they are said
		// when an observation finds it no longer holds, if one does.
		w.unqueue(rw)
		return out
	}
	next := w.nextAmount(rw)
	id := rw.lt.t.ID
	for rw.crossed < len(w.thr) && w.thr[rw.crossed].of(rw.budget) <= next {
		out = append(out, Event{Kind: EventThreshold, Rule: rule.def.ID, Ticket: id, At: at, Threshold: &w.thrDec[rw.crossed]})
		rw.crossed++
	}
	if t := w.target[rw.rule]; t > 0 && !rw.target && t <= next {
		out = append(out, Event{Kind: EventTarget, Rule: rule.def.ID, Ticket: id, At: at})
		rw.target = true
	}
	if !rw.breach && rw.budget > 0 && rw.budget <= next {
		out = append(out, Event{Kind: EventBreached, Rule: rule.def.ID, Ticket: id, At: at})
		rw.breach = true
	}
	w.schedule(rw, rule)
	return out
}

// nextAmount is the open time of the timer's next crossing: the next
// threshold, its internal target or its deadline; −1 when none is left.
func (w *watcher) nextAmount(rw *ruleWatch) time.Duration {
	next := time.Duration(-1)
	consider := func(d time.Duration) {
		if next < 0 || d < next {
			next = d
		}
	}
	if rw.budget > 0 {
		if rw.crossed < len(w.thr) {
			consider(w.thr[rw.crossed].of(rw.budget))
		}
		if !rw.breach {
			consider(rw.budget)
		}
	}
	if t := w.target[rw.rule]; t > 0 && !rw.target {
		consider(t)
	}
	return next
}

// schedule places a running timer's next crossing in the queue, or takes
// it out when it has none or does not run.
func (w *watcher) schedule(rw *ruleWatch, rule *preparedRule) {
	next := w.nextAmount(rw)
	if !rw.runs || next < 0 {
		w.unqueue(rw)
		return
	}
	cal := rw.cal
	if cal == nil {
		cal = rule.cal
	}
	at := cal.Add(rw.base, next-rw.elapsed)
	if next <= rw.elapsed {
		at = rw.base
	}
	w.enqueue(rw, at)
}

// enqueue places a timer in the queue at the instant, or takes it out
// when the instant is Never.
func (w *watcher) enqueue(rw *ruleWatch, at time.Time) {
	if at.Equal(calendar.Never) {
		w.unqueue(rw)
		return
	}
	rw.at = at
	if rw.idx < 0 {
		rw.idx = len(w.queue)
		w.queue = append(w.queue, rw)
	}
	w.fix(rw.idx)
}

// wakeRule is the rule of the timer that wakes a watch at a ticket's
// next dated instant: a pause the tool gave ahead that starts or ends, a
// status change or a clock's start dated later than the update that
// brought it. The ticket's clocks change then, and the watch observes
// them again, as at an update: crossings the clocks reach between those
// instants come from their own timers.
const wakeRule = -1

// wake observes an entry's timers at its next dated instant, and
// schedules the one after; at its last stop, it settles the entry.
func (w *watcher) wake(lt *liveTicket, at time.Time, out []Event) []Event {
	out = w.observe(lt, at, out)
	w.enqueue(lt.wake(), w.nextWake(lt, at))
	if w.settledAt(lt, at) {
		kept := w.l.settle(lt, true)
		w.retire(lt, kept == nil)
	}
	return out
}

// settledAt tells whether an observed entry is settled at an instant:
// every clock of the rules that take its ticket has stopped by then, or
// never starts. A stop the tool dated ahead of the update is not known
// until it comes (see Evaluator.timer): the watch keeps the ticket, and
// its wake at the stop settles it.
func (w *watcher) settledAt(lt *liveTicket, at time.Time) bool {
	for i, rule := range w.l.e.ticketRules {
		if rule.cal == nil || lt.marks[i]&markIn == 0 {
			continue
		}
		f := &lt.facts[i]
		if !f.bounded || (f.boundsErr == nil && !f.start.IsZero() && (f.stop.IsZero() || f.stop.After(at))) {
			return false
		}
	}
	return true
}

// wake is the entry's timer of its next dated instant, after those of its
// rules.
func (lt *liveTicket) wake() *ruleWatch { return &lt.watch[len(lt.watch)-1] }

// apply applies an update at the instant: the ticket's entry changes, and
// each of its rules' timers says what changed.
func (w *watcher) apply(t *pacte.Ticket, at time.Time, late bool, yield func(Event) bool) bool {
	out := w.out[:0]
	if late {
		out = append(out, Event{Kind: EventLate, Ticket: t.ID, At: at})
	}
	l := w.l
	if l.done != nil {
		w.adoptSettled(t.ID, at)
	}
	lt, settled, same, err := l.upsert(t)
	if err != nil {
		w.out = append(out, Event{Kind: EventRejected, Ticket: t.ID, At: at, Error: err.Error()})
		return w.emit(yield)
	}
	if same && lt.watch != nil && !w.clockExcl {
		// Nothing the timers read changed, and every dated instant of the
		// ticket up to now woke the watch: their clocks ran on as they
		// were since, and an observation would find the same stages and
		// crossings.
		w.out = out
		return w.emit(yield)
	}
	if lt.watch == nil {
		w.newTimers(lt)
	}
	out = w.observe(lt, at, out)
	w.enqueue(lt.wake(), w.nextWake(lt, at))
	settled = settled && w.settledAt(lt, at)
	kept := l.settle(lt, settled)
	if settled {
		w.retire(lt, kept == nil)
	}
	w.out = out
	return w.emit(yield)
}

// newTimers gives an entry the timers of a watch, none observed yet.
func (w *watcher) newTimers(lt *liveTicket) {
	if lt.watch == nil {
		lt.watch = make([]ruleWatch, len(w.l.e.ticketRules)+1)
	}
	for i := range lt.watch {
		lt.watch[i] = ruleWatch{lt: lt, rule: i, idx: -1}
	}
	lt.wake().rule = wakeRule
}

// adopt schedules the timers of the open tickets the table holds at the
// watch's first input, at its instant, taking what they reached by then
// as emitted.
func (w *watcher) adopt(at time.Time) {
	for _, lt := range w.l.list {
		w.newTimers(lt)
		w.observe(lt, at, nil)
		w.enqueue(lt.wake(), w.nextWake(lt, at))
	}
}

// adoptSettled adopts a settled ticket the table held with no timers of
// a watch (given by Update, or read from a saved state) at its update, as
// adopt does the open ones at the first input: what its version reached
// by then is taken as emitted, and the update says what changes from it
// (a reopening, a rule that no longer takes it), as it would to a watch
// that had followed the ticket.
func (w *watcher) adoptSettled(id string, at time.Time) {
	lt := w.l.done[id]
	if lt == nil || lt.watch != nil {
		return
	}
	w.newTimers(lt)
	w.observe(lt, at, nil)
	w.retire(lt, false) // settled: no timer of it runs until the update takes it back
}

// retire takes the timers of a settled entry out of the queue, and makes
// them anew when the entry goes back to be reused. The timers of the
// rules that never took the ticket were never observed: they are as they
// were made.
func (w *watcher) retire(lt *liveTicket, reused bool) {
	for i, mark := range lt.marks {
		if mark&markTaken == 0 {
			continue
		}
		w.unqueue(&lt.watch[i])
		if reused {
			lt.watch[i] = ruleWatch{lt: lt, rule: i, idx: -1}
		}
	}
	w.unqueue(lt.wake())
}

// observe measures the timers of an entry at an update, or at its next
// dated instant, and appends the events of what changed since the last.
func (w *watcher) observe(lt *liveTicket, at time.Time, out []Event) []Event {
	e := w.l.e
	env := &e.tenv
	*env = dsl.Ticket{Ticket: &lt.t}
	e.pauseFrom = nil
	// lt.facts holds the outcomes of the scopes and the clocks' bounds on
	// this ticket, which upsert has just evaluated.
	for i, rule := range e.ticketRules {
		if rule.cal == nil || lt.marks[i]&markTaken == 0 {
			continue
		}
		rw := &lt.watch[i]
		tm := Timer{Stage: StageCancelled}
		if lt.marks[i]&markIn != 0 {
			f := &lt.facts[i]
			e.timerFrom(rule, env, at, &tm, false, f.bounds(e, rule, env))
		}
		// Every version of a rule is watched; only the one in force says
		// what happens, and what it has not said yet of its clock.
		inForce := rule.inForceAt(at)
		if inForce {
			w.inherit(lt, rw)
			out = w.changes(rw, rule, env, &tm, at, out)
		}
		rw.stage, rw.base, rw.elapsed, rw.budget = tm.Stage, at, tm.Elapsed, tm.Budget
		rw.runs = tm.Stage == StageRunning ||
			(w.clockExcl && tm.Stage == StageExcluded && tm.Stop.IsZero() && !e.pausedAt(rule, env.Ticket, at))
		rw.cal = clockCalendar(rule, env)
		if tm.Stage == StageCancelled {
			rw.crossed, rw.target, rw.breach = 0, false, false
		}
		if inForce {
			w.schedule(rw, rule)
		} else {
			w.unqueue(rw)
		}
	}
	return out
}

// excludedAt tells whether an exclusion of the rule holds on a timer's
// ticket at an instant, its clock measured then.
func (w *watcher) excludedAt(rw *ruleWatch, rule *preparedRule, at time.Time) bool {
	e, lt := w.l.e, rw.lt
	env := &e.tenv
	*env = dsl.Ticket{Ticket: &lt.t}
	e.pauseFrom = nil
	var tm Timer
	e.timerFrom(rule, env, at, &tm, false, lt.facts[rw.rule].bounds(e, rule, env))
	return tm.Stage == StageExcluded
}

// inherit gives a version of a rule in force the crossings said of the
// rule's timer under its other versions: each is said once for the rule.
func (w *watcher) inherit(lt *liveTicket, rw *ruleWatch) {
	if w.family == nil {
		return
	}
	for _, j := range w.family[rw.rule] {
		o := &lt.watch[j]
		rw.crossed = max(rw.crossed, o.crossed)
		rw.target = rw.target || o.target
		rw.breach = rw.breach || o.breach
	}
}

// nextWake is the instant the watch observes an entry next: its next
// dated instant, or the next instant a version of a rule comes into
// force, whichever comes first.
func (w *watcher) nextWake(lt *liveTicket, from time.Time) time.Time {
	next := nextDated(lt, from)
	if len(w.versionStarts) == 0 {
		return next
	}
	i, found := slices.BinarySearchFunc(w.versionStarts, from, time.Time.Compare)
	if found {
		i++
	}
	if i < len(w.versionStarts) && w.versionStarts[i].Before(next) {
		next = w.versionStarts[i]
	}
	return next
}

// changes appends the events between a timer's last stage and its timer
// now: a change of stage, then the crossings it went through.
func (w *watcher) changes(rw *ruleWatch, rule *preparedRule, env *dsl.Ticket, tm *Timer, at time.Time, out []Event) []Event {
	ev := Event{Rule: rule.def.ID, Ticket: env.ID, At: at}
	prev, now := rw.stage, tm.Stage
	runs := now == StageRunning || now == StagePaused
	switch {
	case now == StageCancelled:
		if prev != "" && prev != StageCancelled {
			ev.Kind = EventCancelled
		}
	case runs && (prev == StageStopped || (prev == "" && len(env.Reopened) > 0)):
		ev.Kind, ev.At = EventReopened, lastBefore(env.Reopened, at)
	case prev == StageRunning && now == StagePaused:
		ev.Kind, ev.At = EventPaused, pauseEdge(env.Paused, at, true)
	case prev == StagePaused && now == StageRunning:
		ev.Kind, ev.At = EventResumed, pauseEdge(env.Paused, at, false)
	case now == StageStopped && prev != StageStopped:
		ev.Kind, ev.At = EventStopped, tm.Stop
	}
	if ev.Kind != "" {
		out = append(out, ev)
	}
	if now == StageCancelled || now == StageNotStarted || now == StageExcluded {
		return out
	}
	// A ticket first seen stopped or reopened is one whose earlier life a
	// watch that keeps open tickets only has forgotten: its crossings up
	// to now were emitted then, and are taken as known.
	silent := prev == "" && (now == StageStopped || len(env.Reopened) > 0)
	if silent && ev.Kind == EventStopped {
		out = out[:len(out)-1]
	}
	// The crossings the clock went through up to the update, at the
	// instants they happened.
	crossing := func(amount time.Duration) time.Time {
		return deadlineInstant(clockCalendar(rule, env), tm.Start, amount, env.Paused)
	}
	for rw.crossed < len(w.thr) && tm.Budget > 0 && w.thr[rw.crossed].of(tm.Budget) <= tm.Elapsed {
		if !silent {
			out = append(out, Event{Kind: EventThreshold, Rule: rule.def.ID, Ticket: env.ID, At: crossing(w.thr[rw.crossed].of(tm.Budget)), Threshold: &w.thrDec[rw.crossed]})
		}
		rw.crossed++
	}
	if t := w.target[rw.rule]; t > 0 && !rw.target && t <= tm.Elapsed {
		if !silent {
			out = append(out, Event{Kind: EventTarget, Rule: rule.def.ID, Ticket: env.ID, At: crossing(t)})
		}
		rw.target = true
	}
	if tm.Breached && !rw.breach {
		if !silent {
			out = append(out, Event{Kind: EventBreached, Rule: rule.def.ID, Ticket: env.ID, At: tm.BreachAt})
		}
		rw.breach = true
	}
	return out
}

// lastBefore is the last instant of a list at or before at; at itself
// when there is none.
func lastBefore(ts []time.Time, at time.Time) time.Time {
	last := at
	found := false
	for _, t := range ts {
		if !t.After(at) && (!found || t.After(last)) {
			last, found = t, true
		}
	}
	return last
}

// pauseEdge is the start of the pause going on at at (start) or the end
// of the last pause before it; at when there is none.
func pauseEdge(pauses []pacte.Interval, at time.Time, start bool) time.Time {
	edge := at
	for _, p := range pauses {
		if p.Start.After(at) {
			break
		}
		if start && !p.End.Before(at) {
			return p.Start
		}
		if !start && !p.End.After(at) {
			edge = p.End
		}
	}
	return edge
}

// The queue of crossings: a binary min-heap on (instant, ticket, rule),
// each timer knowing its index.
func (w *watcher) less(i, j int) bool {
	a, b := w.queue[i], w.queue[j]
	if c := a.at.Compare(b.at); c != 0 {
		return c < 0
	}
	if c := strings.Compare(a.lt.t.ID, b.lt.t.ID); c != 0 {
		return c < 0
	}
	return a.rule < b.rule
}

func (w *watcher) swap(i, j int) {
	w.queue[i], w.queue[j] = w.queue[j], w.queue[i]
	w.queue[i].idx, w.queue[j].idx = i, j
}

// fix restores the heap after the element at i changed.
func (w *watcher) fix(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !w.less(i, p) {
			break
		}
		w.swap(i, p)
		i = p
	}
	n := len(w.queue)
	for {
		l, small := 2*i+1, i
		if l < n && w.less(l, small) {
			small = l
		}
		if r := l + 1; r < n && w.less(r, small) {
			small = r
		}
		if small == i {
			return
		}
		w.swap(i, small)
		i = small
	}
}

// unqueue takes a timer out of the queue.
func (w *watcher) unqueue(rw *ruleWatch) {
	i := rw.idx
	if i < 0 {
		return
	}
	last := len(w.queue) - 1
	if i != last {
		w.swap(i, last)
	}
	w.queue[last] = nil
	w.queue = w.queue[:last]
	rw.idx = -1
	if i < last {
		w.fix(i)
	}
}

// hold keeps a copy of an update until the lateness has passed.
func (w *watcher) hold(x WatchInput) {
	var h *heldUpdate
	if n := len(w.spare); n > 0 {
		h, w.spare = w.spare[n-1], w.spare[:n-1]
	} else {
		h = &heldUpdate{}
	}
	h.at = x.At
	h.t.copyFrom(x.Ticket)
	w.pending = append(w.pending, h)
	// Sift up, on (instant, order of arrival) so that updates of one
	// instant keep their order.
	i := len(w.pending) - 1
	w.stamp++
	h.seq = w.stamp
	for i > 0 {
		p := (i - 1) / 2
		if heldLess(w.pending[p], w.pending[i]) {
			break
		}
		w.pending[i], w.pending[p] = w.pending[p], w.pending[i]
		i = p
	}
}

func heldLess(a, b *heldUpdate) bool {
	return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq)) < 0
}

// popHeld takes the earliest held update.
func (w *watcher) popHeld() *heldUpdate {
	q := w.pending
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q[last] = nil
	q = q[:last]
	i := 0
	for {
		l, small := 2*i+1, i
		if l < len(q) && heldLess(q[l], q[small]) {
			small = l
		}
		if r := l + 1; r < len(q) && heldLess(q[r], q[small]) {
			small = r
		}
		if small == i {
			break
		}
		q[i], q[small] = q[small], q[i]
		i = small
	}
	w.pending = q
	return top
}
