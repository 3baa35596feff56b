package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/clock"
)

// AddTicket evaluates a ticket against every ticket rule and work unit.
// The ticket is read, not kept, unless its clock still runs in a rule with
// a deadline: then a copy waits for the report. The texts its scopes read
// (its kind, priority…) are remembered until the next ticket, which skips
// those scopes when it has the same.
func (e *Evaluator) AddTicket(t *pacte.Ticket) {
	if err := pacte.CheckTicket(t, e.c.Location()); err != nil {
		e.reject(contract.Tickets, t.ID, err)
		return
	}
	if f := t.Attrs[pacte.AttrInferred]; f != "" {
		e.st.record(contract.Tickets).infer(f, 1)
	}
	if e.cfg.asOf.IsZero() {
		e.seen(t.Opened, t.Acknowledged, t.Resolved, t.Closed)
		for _, h := range t.History {
			e.seen(h.At)
		}
	}
	var tally recordTally
	var running []int
	env := &e.tenv
	*env = dsl.Ticket{Ticket: t}
	e.pauseFrom = nil
	memoized := e.tmemo.load(env, e.scopes)
	// When the extraction instant is known, a running ticket is decided at
	// once; otherwise it waits for the report, which knows the latest
	// instant of the data.
	if memoized {
		// The rules whose scope the memo knows leaves the ticket out, most
		// of a ticket's, are noted at once.
		if e.tmemo.out {
			tally.note(reasonOutOfScope)
		}
		for _, i := range e.tmemo.live {
			rule := e.ticketRules[i]
			if inScope(e, rule, &rule.tickets.scope, env, env.ID, &tally) && e.ticketRule(rule, env, &tally, e.cfg.asOf) == deferred {
				running = append(running, rule.idx)
			}
		}
	} else {
		// The scope is tested here rather than in ticketRule: most of a
		// ticket's rules leave it out, and then cost no call of it.
		for _, rule := range e.ticketRules {
			if inScope(e, rule, &rule.tickets.scope, env, env.ID, &tally) && e.ticketRule(rule, env, &tally, e.cfg.asOf) == deferred {
				running = append(running, rule.idx)
			}
		}
	}
	if !memoized {
		e.tmemo.store(e.scopes)
	}
	countVolumes(e, e.ticketUnits, env, &tally)
	if len(running) > 0 {
		e.st.running = append(e.st.running, &runningTicket{t: cloneTicket(t), rules: running, tally: tally})
		return
	}
	e.account(contract.Tickets, t.ID, &tally)
}

// ticketRule evaluates one ticket rule on a ticket in its scope. asOf is
// zero while streaming: a ticket still running in a rule with a deadline
// is then deferred.
func (e *Evaluator) ticketRule(rule *preparedRule, env *dsl.Ticket, tally *recordTally, asOf time.Time) outcome {
	p := rule.tickets
	fail := func(err error) outcome {
		e.failed(rule, env.ID, err, tally)
		return skipped
	}
	env.Clock, env.Paused = dsl.Clock{}, nil
	var at time.Time // the instant that places the ticket in a period
	var open bool
	if rule.cal != nil {
		start, stop, err := e.clockBounds(rule, env)
		if err != nil {
			return fail(err)
		}
		if start.IsZero() {
			tally.note(reasonNoStart)
			return skipped
		}
		running := stop.IsZero()
		if running && rule.deadline != nil && asOf.IsZero() {
			return deferred
		}
		end := stop
		if running {
			end = asOf
		}
		if err := e.measureClock(rule, env, start, stop, end); err != nil {
			return fail(err)
		}
		if rule.deadline != nil {
			if at, open, err = lateOpen(rule, env, running, stop, asOf); err != nil {
				return fail(err)
			}
		}
		if at.IsZero() && running && !open {
			tally.note(reasonPending)
			return skipped
		}
	}
	if at.IsZero() {
		var attr time.Time
		var err error
		if f := p.attr.safe; f != nil {
			attr = f(env)
		} else if attr, err = p.attr.f(env); err != nil {
			return fail(err)
		}
		if attr.IsZero() {
			if open {
				tally.note(reasonLateOpen)
			} else {
				tally.note(reasonNoInstant)
			}
			return skipped
		}
		at = attr
	}
	return countItem(e, rule, p, env, env.ID, at, open, tally)
}

// lateOpen places a ticket past its deadline: still running at the end
// of the period its deadline passed in, it counts as missed there (at is
// the deadline), and in no later period; unless the rule counts it in its
// attribution period, where open says it was still running at asOf.
func lateOpen(rule *preparedRule, env *dsl.Ticket, running bool, stop, asOf time.Time) (at time.Time, open bool, err error) {
	D := env.Deadline
	if !D.Before(calendar.Never) {
		return at, false, nil
	}
	if rule.def.LateOpen == contract.LateOpenAttribution {
		return at, running && !D.After(asOf), nil
	}
	if (running && !D.After(asOf)) || (!running && stop.After(D)) {
		if pi := rule.periods.find(D); pi >= 0 {
			pEnd := rule.periods.periods[pi].End
			attr, err := rule.tickets.attr.eval(env)
			if err != nil {
				return at, false, err
			}
			if (running || !stop.Before(pEnd)) && (attr.IsZero() || !attr.Before(pEnd)) {
				return D, true, nil
			}
		}
	}
	return at, false, nil
}

// clockBounds evaluates the start and stop instants of the rule's clock on
// the ticket in env.
func (e *Evaluator) clockBounds(rule *preparedRule, env *dsl.Ticket) (start, stop time.Time, err error) {
	if f := rule.clockStart.safe; f != nil {
		start = f(env)
	} else if start, err = rule.clockStart.f(env); err != nil {
		return start, stop, err
	}
	if f := rule.clockStop.safe; f != nil {
		stop = f(env)
	} else if stop, err = rule.clockStop.f(env); err != nil {
		return start, stop, err
	}
	return start, stop, nil
}

// measureClock measures the rule's clock on the ticket in env, started at
// start and measured up to end (its stop, or the instant a running clock
// is looked at): its pauses, elapsed open time and, with a deadline, its
// budget, lateness, whether it stopped on time and, when needed, its
// deadline instant. The live timers measure with it too.
func (e *Evaluator) measureClock(rule *preparedRule, env *dsl.Ticket, start, stop, end time.Time) error {
	if err := e.measureElapsed(rule, env, start, stop, end); err != nil {
		return err
	}
	// The deadline instant costs a search of the calendar: a ticket
	// stopped within its budget does not need it, unless the rule's
	// expressions read it or it may be listed with a per-item amount.
	if rule.deadline != nil && (stop.IsZero() || !env.OnTime || rule.needsDeadline) {
		env.Deadline = deadlineInstant(env.Calendar, start, env.Budget, env.Paused)
	}
	return nil
}

// measureElapsed is measureClock but for the deadline instant.
func (e *Evaluator) measureElapsed(rule *preparedRule, env *dsl.Ticket, start, stop, end time.Time) error {
	pauses, err := e.pausesFor(rule, env.Ticket, end)
	if err != nil {
		return err
	}
	cal, d, err := rule.clockOf(env)
	if err != nil {
		return err
	}
	env.Paused, env.Calendar = pauses, cal
	env.Start, env.Stop = start, stop
	if !end.IsZero() && end.After(start) {
		env.Elapsed = clock.Elapsed(cal, pauses, start, end)
	}
	if d == nil {
		return nil
	}
	if d.OpenDays > 0 {
		env.Budget = cal.OpenDaysBudget(start, d.OpenDays)
	} else {
		env.Budget = d.Open
	}
	running := stop.IsZero()
	env.Late = max(env.Elapsed-env.Budget, 0)
	env.OnTime = !running && env.Elapsed <= env.Budget
	return nil
}

// pausesFor returns the intervals during which the rule's clock stops for
// the ticket: its own pauses, and the spans of its history in a status the
// rule pauses on, merged. A pause still going on ends at end. The result
// lives in the evaluator's scratch space until the next call.
func (e *Evaluator) pausesFor(rule *preparedRule, t *pacte.Ticket, end time.Time) ([]pacte.Interval, error) {
	src := rule.pauseSrc
	if e.pauseFrom == t && e.pauseSrc == src && e.pauseEnd.Equal(end) {
		return e.pauses, nil // the previous rule had the same pauses
	}
	buf := e.pauses[:0]
	for _, p := range t.Pauses {
		if p.End.IsZero() {
			p.End = end
		}
		buf = append(buf, p)
	}
	if rule.pauseWhen != nil {
		for i := range t.History {
			e.status.StatusChange = &t.History[i]
			ok, err := rule.pauseWhen(&e.status)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			until := end
			if i+1 < len(t.History) {
				until = t.History[i+1].At
			}
			buf = append(buf, pacte.Interval{Start: t.History[i].At, End: until})
		}
	}
	e.pauses = clock.MergeInPlace(buf)
	e.pauseFrom, e.pauseSrc, e.pauseEnd = t, src, end
	return e.pauses, nil
}

// deadlineInstant is the instant at which a clock started at start has
// run budget of open time, the pauses not counting.
func deadlineInstant(cal *calendar.Calendar, start time.Time, budget time.Duration, pauses []pacte.Interval) time.Time {
	cur, rem := start, budget
	for _, p := range pauses {
		if !p.End.After(cur) {
			continue
		}
		if p.Start.After(cur) {
			if t := cal.Add(cur, rem); !t.After(p.Start) {
				return t
			}
			rem -= cal.Between(cur, p.Start)
		}
		cur = p.End
	}
	return cal.Add(cur, rem)
}
