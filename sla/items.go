package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// outcome is what a rule did with an item.
type outcome int

const (
	skipped outcome = iota // not counted in this rule; the tally says why
	counted
	deferred // the ticket's clock runs: decided when the report is made
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
	if e.cfg.asOf.IsZero() {
		e.seen(t.Opened, t.Acknowledged, t.Resolved, t.Closed)
		for _, h := range t.History {
			e.seen(h.At)
		}
	}
	var tl tally
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
			tl.note(reasonOutOfScope)
		}
		for _, i := range e.tmemo.live {
			rt := e.ticketRules[i]
			if inScope(e, rt, &rt.t.scope, env, env.ID, &tl) && e.ticketRule(rt, env, &tl, e.cfg.asOf) == deferred {
				running = append(running, rt.idx)
			}
		}
	} else {
		// The scope is tested here rather than in ticketRule: most of a
		// ticket's rules leave it out, and then cost no call of it.
		for _, rt := range e.ticketRules {
			if inScope(e, rt, &rt.t.scope, env, env.ID, &tl) && e.ticketRule(rt, env, &tl, e.cfg.asOf) == deferred {
				running = append(running, rt.idx)
			}
		}
	}
	if !memoized {
		e.tmemo.store(e.scopes)
	}
	countVolumes(e, e.ticketUnits, env, &tl)
	if len(running) > 0 {
		e.st.running = append(e.st.running, &runningTicket{t: cloneTicket(t), rules: running, tally: tl})
		return
	}
	e.account(contract.Tickets, t.ID, &tl)
}

// ticketRule evaluates one ticket rule on a ticket in its scope. asOf is
// zero while streaming: a ticket still running in a rule with a deadline
// is then deferred.
func (e *Evaluator) ticketRule(rt *ruleRT, env *dsl.Ticket, tl *tally, asOf time.Time) outcome {
	p := rt.t
	fail := func(err error) outcome {
		e.failed(rt, env.ID, err, tl)
		return skipped
	}
	env.Clock, env.Paused = dsl.Clock{}, nil
	var at time.Time // the instant that places the ticket in a period
	var open bool
	if rt.cal != nil {
		var start, stop time.Time
		var err error
		if f := rt.clockStart.safe; f != nil {
			start = f(env)
		} else if start, err = rt.clockStart.f(env); err != nil {
			return fail(err)
		}
		if f := rt.clockStop.safe; f != nil {
			stop = f(env)
		} else if stop, err = rt.clockStop.f(env); err != nil {
			return fail(err)
		}
		if start.IsZero() {
			tl.note(reasonNoStart)
			return skipped
		}
		running := stop.IsZero()
		if running && rt.deadline != nil && asOf.IsZero() {
			return deferred
		}
		end := stop
		if running {
			end = asOf
		}
		pauses, err := e.pausesFor(rt, env.Ticket, end)
		if err != nil {
			return fail(err)
		}
		env.Paused = pauses
		env.Start, env.Stop = start, stop
		if !end.IsZero() && end.After(start) {
			env.Elapsed = clock.Elapsed(rt.cal, pauses, start, end)
		}
		if d := rt.deadline; d != nil {
			if d.OpenDays > 0 {
				env.Budget = rt.cal.OpenDaysBudget(start, d.OpenDays)
			} else {
				env.Budget = d.Open
			}
			env.Late = max(env.Elapsed-env.Budget, 0)
			env.OnTime = !running && env.Elapsed <= env.Budget
			// The deadline instant costs a search of the calendar: a ticket
			// stopped within its budget does not need it, unless the rule's
			// expressions read it or it may be listed with a per-item amount.
			if running || !env.OnTime || rt.needsDeadline {
				env.Deadline = deadlineInstant(rt.cal, start, env.Budget, pauses)
			}
			// A ticket past its deadline and still running at the end of
			// that period counts as missed there, and in no later period.
			if D := env.Deadline; D.Before(calendar.Never) && ((running && !D.After(asOf)) || (!running && stop.After(D))) {
				if pi := rt.periods.find(D); pi >= 0 {
					pEnd := rt.periods.periods[pi].End
					attr, err := p.attr.eval(env)
					if err != nil {
						return fail(err)
					}
					if (running || !stop.Before(pEnd)) && (attr.IsZero() || !attr.Before(pEnd)) {
						at, open = D, true
					}
				}
			}
		}
		if at.IsZero() && running {
			tl.note(reasonPending)
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
			tl.note(reasonNoInstant)
			return skipped
		}
		at = attr
	}
	return countItem(e, rt, p, env, env.ID, at, open, tl)
}

// inScope evaluates a rule's scope on an item; an error is reported with
// the rule and the item, and the item is left out of the rule.
func inScope[E dsl.Env](e *Evaluator, rt *ruleRT, scope *cond[E], env *E, id string, tl *tally) bool {
	if scope.f == nil {
		return true
	}
	var ok bool
	switch e.scopes[rt.scopeSlot] {
	case 1:
		ok = true
	case 0:
		var err error
		if f := scope.safe; f != nil {
			ok = f(env)
		} else if ok, err = scope.f(env); err != nil {
			e.failed(rt, id, err, tl)
			return false
		}
		e.scopes[rt.scopeSlot] = 2
		if ok {
			e.scopes[rt.scopeSlot] = 1
		}
	}
	if !ok {
		tl.note(reasonOutOfScope)
	}
	return ok
}

// failed reports a rule that failed on an item, which the rule leaves out.
func (e *Evaluator) failed(rt *ruleRT, id string, err error, tl *tally) {
	e.ruleError(rt, id, err)
	tl.note(reasonError)
	tl.err = err
}

// countItem places an item in its period, applies the exclusions and
// counts it for each objective of the rule. What most items do not need
// (exclusions, per-item amounts, the listing of missed items) is in
// functions of its own, which keeps this one small.
func countItem[E dsl.Env](e *Evaluator, rt *ruleRT, p *progs[E], env *E, id string, at time.Time, open bool, tl *tally) outcome {
	h := e.st.place(rt, at.Unix())
	if h == nil {
		tl.note(reasonOutsideTerm)
		return skipped
	}
	if len(p.excl) > 0 && excluded(e, rt, p, env, id, h, tl) {
		return skipped
	}
	if rt.shortAbandon > 0 && shortAbandon(e, rt, any(env).(*dsl.Call), h, tl) {
		return skipped
	}
	var ms [2]itemMeasure
	for j := range rt.objs {
		if err := measure(rt, j, p, env, &ms[j]); err != nil {
			e.failed(rt, id, err, tl)
			return skipped
		}
	}
	// Per-item formulas are evaluated before anything is counted, so that
	// an error leaves the accumulators as they were.
	var itemAmount decimal.Decimal
	if rt.perItem {
		var err error
		if itemAmount, err = perItemAmounts(e, rt, p, env); err != nil {
			e.failed(rt, id, err, tl)
			return skipped
		}
	}
	if !ms[0].eligible {
		tl.note(reasonOutOfScope)
		return skipped
	}
	a := h.accOf(e.st, rt)
	for j := range rt.objs {
		a.objs[j].add(&ms[j], &rt.views[j])
	}
	if rt.perItem {
		addAmounts(a, p, e.amounts)
	}
	if rt.calls {
		a.calls.add(any(env).(*dsl.Call), &rt.views[0])
	}
	if bad := counts(&ms[0], &rt.views[0]); bad || !itemAmount.IsZero() {
		listMissed(e, a, bad, env, id, at, open, &ms[0], itemAmount)
	}
	if h.reported {
		tl.counted = true
	} else {
		tl.note(e.outsideReason(rt.periods.periods[h.pi]))
	}
	return counted
}

// excluded applies the rule's exclusions to an item placed in period h;
// an exclusion that fails leaves the item out of the rule.
func excluded[E dsl.Env](e *Evaluator, rt *ruleRT, p *progs[E], env *E, id string, h *hotPeriod, tl *tally) bool {
	for i := range p.excl {
		ex := &p.excl[i]
		var ok bool
		var err error
		if f := ex.when.safe; f != nil {
			ok = f(env)
		} else if ok, err = ex.when.f(env); err != nil {
			e.failed(rt, id, err, tl)
			return true
		}
		if ok {
			h.accOf(e.st, rt).exclude(ex.reason)
			tl.note(ex.reason)
			return true
		}
	}
	return false
}

// shortAbandon leaves out a call abandoned sooner than the rule counts.
func shortAbandon(e *Evaluator, rt *ruleRT, c *dsl.Call, h *hotPeriod, tl *tally) bool {
	if isShortAbandon(rt, c) {
		leaveShortAbandon(e, rt, h, tl)
		return true
	}
	return false
}

// isShortAbandon tells whether a call is abandoned sooner than the rule
// counts.
func isShortAbandon(rt *ruleRT, c *dsl.Call) bool {
	return c.Abandoned && !c.Answered && c.Wait < rt.shortAbandon
}

// leaveShortAbandon leaves a short abandon out of the rule.
func leaveShortAbandon(e *Evaluator, rt *ruleRT, h *hotPeriod, tl *tally) {
	a := h.accOf(e.st, rt)
	a.exclude(reasonShortAband)
	a.calls.short++
	tl.note(reasonShortAband)
}

// perItemAmounts evaluates the per-item formulas of the rule's components
// into the evaluator's scratch amounts, and returns the sum of the
// penalty ones.
func perItemAmounts[E dsl.Env](e *Evaluator, rt *ruleRT, p *progs[E], env *E) (decimal.Decimal, error) {
	if cap(e.amounts) < len(p.perItem) {
		e.amounts = make([]decimal.Decimal, len(p.perItem))
	}
	amounts := e.amounts[:len(p.perItem)]
	var sum decimal.Decimal
	for k, prog := range p.perItem {
		if prog == nil {
			continue
		}
		v, err := prog.Decimal(env)
		if err != nil {
			return decimal.Decimal{}, err
		}
		amounts[k] = v
		if k < rt.nPenalty && !v.IsZero() {
			sum = sum.Add(v)
		}
	}
	return sum, nil
}

// addAmounts adds the per-item amounts perItemAmounts evaluated.
func addAmounts[E dsl.Env](a *acc, p *progs[E], amounts []decimal.Decimal) {
	for k, prog := range p.perItem {
		// Adding a decimal allocates: zeros are skipped (but for the
		// components beyond the eighth, which were always added).
		if prog != nil && (!amounts[k].IsZero() || k >= 8) {
			a.perItem[k] = a.perItem[k].Add(amounts[k])
		}
	}
}

// listMissed counts an item against the objective (bad) or with a
// per-item amount, and lists it within the configured limit.
func listMissed[E dsl.Env](e *Evaluator, a *acc, bad bool, env *E, id string, at time.Time, open bool, m *itemMeasure, amount decimal.Decimal) {
	if bad {
		a.nMissed++
		if t, ok := any(env).(*dsl.Ticket); ok {
			a.late += t.Late
		}
	}
	if e.cfg.listMissed < 0 || len(a.missed) < e.cfg.listMissed {
		a.missed = append(a.missed, missedItem(env, id, at, open, *m, amount))
	}
}

// measure classifies an item for objective j of the rule, into m, which
// is zero.
func measure[E dsl.Env](rt *ruleRT, j int, p *progs[E], env *E, m *itemMeasure) error {
	o := &rt.views[j]
	m.eligible = true // typ is set with a value, for statistics
	switch o.item {
	case contract.ItemCondition:
		c := &p.conds[j]
		if f := c.safe; f != nil {
			m.holds = f(env)
			return nil
		}
		ok, err := c.f(env)
		m.holds = ok
		return err
	case contract.ItemOnTime:
		t := any(env).(*dsl.Ticket)
		m.holds = t.OnTime
		return nil
	case contract.ItemOutage, contract.ItemNothing:
		return nil
	case contract.ItemValue:
		if arg := p.args[j]; arg.Type() == dsl.Decimal { // typed: no value boxed in an interface
			d, err := arg.Decimal(env)
			m.dec, m.typ = d, dsl.Decimal
			return err
		}
		v, err := p.args[j].Eval(env)
		if err != nil {
			return err
		}
		m.setValue(v)
		return nil
	}
	// The telephony measures.
	c := any(env).(*dsl.Call)
	switch o.item {
	case contract.ItemAnswered:
		m.holds = c.Answered
	case contract.ItemAbandoned:
		m.holds = c.Abandoned && !c.Answered
	case contract.ItemFirstContact:
		m.eligible, m.holds = c.Answered, c.FirstContact
	case contract.ItemWait:
		m.eligible = c.Answered
		m.dur, m.typ = c.Wait, dsl.Duration
	case contract.ItemAnsweredWithin:
		m.eligible, m.holds = serviceLevel(o, c)
	}
	return nil
}

func (m *itemMeasure) setValue(v any) {
	switch x := v.(type) {
	case time.Duration:
		m.dur, m.typ = x, dsl.Duration
	case int:
		m.num, m.typ, m.dec = x, dsl.Int, decimal.NewFromInt(int64(x))
	case decimal.Decimal:
		m.dec, m.typ = x, dsl.Decimal
	}
}

// counts reports whether an item counts against the objective: it fails
// a minimum, or it is one of what a maximum limits (a reopened incident
// for "share(reopened…) <= 5%").
func counts(m *itemMeasure, o *objView) bool {
	if !m.eligible {
		return false
	}
	switch o.item {
	case contract.ItemCondition, contract.ItemAnswered, contract.ItemAbandoned, contract.ItemFirstContact, contract.ItemAnsweredWithin:
		return m.holds != o.higher
	case contract.ItemOnTime:
		return !m.holds
	case contract.ItemOutage:
		return true // every counted outage is listed
	case contract.ItemNothing:
		return false
	}
	// A statistic: the item's own value misses the threshold.
	v := contract.Value{Type: m.typ, Duration: m.dur, Decimal: m.dec, Int: m.num}
	return !compare(v, o.obj.Op, o.obj.Threshold)
}

func (o *objAcc) add(m *itemMeasure, ob *objView) {
	if !m.eligible {
		return
	}
	o.eligible++
	if m.holds {
		o.holds++
	}
	if !ob.stat {
		return
	}
	o.n++
	keep := ob.keep
	switch m.typ {
	case dsl.Duration:
		o.addDuration(m.dur)
		if keep {
			o.durs = append(o.durs, m.dur)
		}
	case dsl.Int:
		o.sumInt += int64(m.num)
		o.sumDec = o.sumDec.Add(m.dec)
		if keep {
			o.ints = append(o.ints, m.num)
		}
	default:
		o.sumDec = o.sumDec.Add(m.dec)
		if keep {
			o.decs = append(o.decs, m.dec)
		}
	}
	if o.n == 1 || lessMeasure(*m, o.min) {
		o.min = *m
	}
	if o.n == 1 || lessMeasure(o.max, *m) {
		o.max = *m
	}
}

func (c *callAcc) add(call *dsl.Call, o *objView) {
	c.offered++
	switch {
	case call.Answered:
		c.answered++
		c.waitSum += call.Wait
		if o.item == contract.ItemAnsweredWithin && call.Wait <= o.within {
			c.within++
		}
	case call.Abandoned:
		c.abandoned++
	}
}

func missedItem[E dsl.Env](env *E, id string, at time.Time, open bool, m itemMeasure, amount decimal.Decimal) MissedItem {
	it := MissedItem{ID: id, At: at, Open: open}
	switch x := any(env).(type) {
	case *dsl.Ticket:
		if x.Clock.Start.IsZero() {
			break
		}
		it.Measured = exact.FormatDuration(x.Elapsed)
		if x.Budget > 0 || !x.Deadline.IsZero() {
			if x.Deadline.Before(calendar.Never) {
				it.Deadline = x.Deadline
			}
			if x.Late > 0 {
				it.Late = Duration(x.Late)
			}
		}
	case *dsl.Call:
		it.Measured = "wait " + exact.FormatDuration(x.Wait)
	case *dsl.Outage:
		it.Measured = exact.FormatDuration(x.Duration)
	}
	if m.typ != 0 && it.Measured == "" {
		it.Measured = contract.Value{Type: m.typ, Duration: m.dur, Decimal: m.dec, Int: m.num}.String()
	}
	if !amount.IsZero() {
		it.Amount = &Money{amount}
	}
	return it
}

// pausesFor returns the intervals during which the rule's clock stops for
// the ticket: its own pauses, and the spans of its history in a status the
// rule pauses on, merged. A pause still going on ends at end. The result
// lives in the evaluator's scratch space until the next call.
func (e *Evaluator) pausesFor(rt *ruleRT, t *pacte.Ticket, end time.Time) ([]pacte.Interval, error) {
	src := rt.pauseSrc
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
	if rt.pauseWhen != nil {
		for i := range t.History {
			e.status.StatusChange = &t.History[i]
			ok, err := rt.pauseWhen(&e.status)
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

// countVolumes counts the record in the work units whose volume is a
// count of its source, which are units.
func countVolumes[E dsl.Env](e *Evaluator, units []unitOf[E], env *E, tl *tally) {
	for i := range units {
		u := &units[i]
		if where := u.where; where != nil {
			var ok bool
			var err error
			if f := where.safe; f != nil {
				ok = f(env)
			} else {
				ok, err = where.f(env)
			}
			if err != nil || !ok {
				continue
			}
		}
		by := u.by
		if by == nil {
			continue
		}
		var at time.Time
		var err error
		if k := u.attrSlot; k >= 0 && e.attrDone[k] {
			at = e.attrs[k]
		} else if f := by.safe; f != nil {
			at = f(env)
		} else {
			at, err = by.f(env)
		}
		if err != nil || at.IsZero() {
			continue
		}
		mi := u.month
		if t := at.Unix(); t < u.lo || t >= u.hi {
			if mi = u.periods.findUnix(t); mi < 0 {
				continue
			}
			u.lo, u.hi = u.periods.bounds(mi)
			u.month = mi
		}
		e.st.countVolume(u.idx, mi, 1)
		if u.periods.reported[mi] {
			tl.counted = true
		} else {
			tl.note(e.outsideReason(u.periods.periods[mi]))
		}
	}
}

// callEnv is pacte.CheckCall then dsl.NewCall for the common call, in integers:
// each instant read once as unix seconds and nanoseconds, rather than
// compared and subtracted by Time's methods, which cost as much as the
// rest of the call's checks. It returns false, env untouched, for the
// calls it leaves to those two: a call pacte.CheckCall refuses, instants too
// far apart for a duration, or an offered or answered instant with a
// monotonic clock reading, which Time's methods would compare by it.
func callEnv(c *pacte.Call, env *dsl.Call) bool {
	if c.ID == "" || c.Abandoned && !c.Answered.IsZero() || c.Offered != c.Offered.Round(0) || c.Answered != c.Answered.Round(0) {
		return false
	}
	const limit = 1 << 33 // seconds: 272 years, whose nanoseconds fit in a Duration
	o := c.Offered.Unix() // a zero Offered is year 1, out of range
	if o < pacte.MinUnix || o > pacte.MaxUnix {
		return false
	}
	// since returns the time from offered to t, and whether it is in
	// range and not before offered; a zero t is none.
	since := func(t time.Time) (time.Duration, bool) {
		u := t.Unix()
		if u < pacte.MinUnix || u > pacte.MaxUnix || u-o >= limit || u-o <= -limit {
			return 0, false
		}
		d := time.Duration(u-o)*time.Second + time.Duration(t.Nanosecond()-c.Offered.Nanosecond())
		return d, d >= 0
	}
	answered, ended := !c.Answered.IsZero(), !c.Ended.IsZero()
	var toAnswer, toEnd time.Duration
	ok := true
	if answered {
		toAnswer, ok = since(c.Answered)
	}
	if ended && ok {
		toEnd, ok = since(c.Ended)
	}
	if !ok || answered && ended && toEnd < toAnswer {
		return false
	}
	*env = dsl.Call{Call: c, Answered: answered}
	switch {
	case answered:
		env.Wait = toAnswer
		if ended {
			env.Talk = toEnd - toAnswer
		}
	case ended:
		env.Wait = toEnd
	}
	return true
}

// AddCall evaluates a call against every call rule and work unit.
func (e *Evaluator) AddCall(c *pacte.Call) {
	clear(e.scopes)
	clear(e.attrDone)
	env := &e.cenv
	if !callEnv(c, env) {
		if err := pacte.CheckCall(c, e.c.Location()); err != nil {
			e.reject(contract.Calls, c.ID, err)
			return
		}
		*env = dsl.NewCall(c)
	}
	if e.cfg.asOf.IsZero() {
		e.seen(c.Offered, c.Answered, c.Ended)
	}
	var tl tally
	for _, rt := range e.callRules {
		if rt.fastCall {
			e.callRule(rt, env, c.ID, &tl)
		} else {
			simpleRule(e, rt, rt.c, env, c.ID, &tl)
		}
	}
	countVolumes(e, e.callUnits, env, &tl)
	e.account(contract.Calls, c.ID, &tl)
}

// callRule is simpleRule for the call rules most contracts have (no
// exclusion, no per-item amount, a share or a telephony measure): the
// same steps in one function, which a desk's hundreds of thousands of
// calls a year go through four times each. Its common path, a scope and
// an attribution already found for the call by another rule and one
// objective, is straight code; the rest is in functions of their own.
func (e *Evaluator) callRule(rt *ruleRT, env *dsl.Call, id string, tl *tally) {
	if slot := rt.scopeSlot; slot >= 0 {
		in := e.scopes[slot]
		if in == 0 {
			if in = e.callScope(rt, slot, env, id, tl); in == 0 {
				return
			}
		}
		if in != 1 {
			tl.note(reasonOutOfScope)
			return
		}
	}
	var u int64 // the attribution instant, unix seconds
	if k := rt.attrSlot; k >= 0 && e.attrDone[k] && e.attrUnix[k] != zeroUnix {
		u = e.attrUnix[k]
	} else {
		var ok bool
		if u, ok = e.callAttribution(rt, env, id, tl); !ok {
			return
		}
	}
	// place, by hand: the call costs more than the usual case.
	var h *hotPeriod
	if hot := e.st.hot; rt.idx < len(hot) && u >= hot[rt.idx].lo && u < hot[rt.idx].hi {
		h = &hot[rt.idx]
	} else if h = e.st.search(rt, u); h == nil {
		tl.note(reasonOutsideTerm)
		return
	}
	if isShortAbandon(rt, env) {
		leaveShortAbandon(e, rt, h, tl)
		return
	}
	// What measure would find for the main objective.
	v := &rt.views[0]
	eligible, holds := true, false
	switch v.item {
	case contract.ItemCondition:
		if f := rt.c.conds[0].safe; f != nil {
			holds = f(env)
		} else {
			ok, err := rt.c.conds[0].f(env)
			if err != nil {
				e.failed(rt, id, err, tl)
				return
			}
			holds = ok
		}
	case contract.ItemAnswered:
		holds = env.Answered
	case contract.ItemAbandoned:
		holds = env.Abandoned && !env.Answered
	case contract.ItemFirstContact:
		eligible, holds = env.Answered, env.FirstContact
	case contract.ItemAnsweredWithin:
		eligible, holds = serviceLevel(v, env)
	}
	// The fallback objective of a minimum volume, measured before
	// anything is counted: an error leaves the accumulators as they were.
	var fallback [2]bool // eligible, holds
	if rt.nObjs > 1 {
		var m itemMeasure
		if err := measure(rt, 1, rt.c, env, &m); err != nil {
			e.failed(rt, id, err, tl)
			return
		}
		fallback = [2]bool{m.eligible, m.holds}
	}
	if !eligible {
		tl.note(reasonOutOfScope)
		return
	}
	a := h.accOf(e.st, rt)
	main := &a.objs[0]
	main.eligible++
	if holds {
		main.holds++
	}
	if rt.nObjs > 1 && fallback[0] {
		a.objs[1].eligible++
		if fallback[1] {
			a.objs[1].holds++
		}
	}
	a.calls.add(env, v)
	if v.item != contract.ItemNothing && holds != v.higher {
		listMissed(e, a, true, env, id, e.callInstant(rt, env), false, &itemMeasure{eligible: true, holds: holds}, decimal.Decimal{})
	}
	if h.reported {
		tl.counted = true
	} else {
		tl.note(e.outsideReason(rt.periods.periods[h.pi]))
	}
}

// zeroUnix is the zero time.Time in unix seconds, the attribution of
// no instant (TestZeroUnix).
const zeroUnix = -62135596800

// callScope evaluates the scope of a call rule, in slot, for the call:
// 1 in scope, 2 out of it, 0 failed (reported).
func (e *Evaluator) callScope(rt *ruleRT, slot int, env *dsl.Call, id string, tl *tally) int8 {
	var ok bool
	var err error
	if e.opens != nil && e.opens[slot].cal != nil {
		ok = e.opens[slot].isOpen(env)
	} else if f := rt.c.scope.safe; f != nil {
		ok = f(env)
	} else if ok, err = rt.c.scope.f(env); err != nil {
		e.failed(rt, id, err, tl)
		return 0
	}
	in := int8(2)
	if ok {
		in = 1
	}
	e.scopes[slot] = in
	return in
}

// callAttribution evaluates the attribution of a call rule, kept in the
// rule's slot for the call's other rules, and returns it in unix seconds;
// false when it failed or is no instant (noted).
func (e *Evaluator) callAttribution(rt *ruleRT, env *dsl.Call, id string, tl *tally) (int64, bool) {
	var at time.Time
	if k := rt.attrSlot; k >= 0 && e.attrDone[k] {
		at = e.attrs[k]
	} else {
		var err error
		if f := rt.c.attr.safe; f != nil {
			at = f(env)
		} else if at, err = rt.c.attr.f(env); err != nil {
			e.failed(rt, id, err, tl)
			return 0, false
		}
		if k >= 0 {
			e.attrs[k], e.attrUnix[k], e.attrDone[k] = at, at.Unix(), true
		}
	}
	if at.IsZero() {
		tl.note(reasonNoInstant)
		return 0, false
	}
	return at.Unix(), true
}

// callInstant is the attribution instant callRule found for the call:
// the one in the rule's slot, which every call rule has (its attribution
// is at least the default, offered); evaluated again otherwise, which did
// not fail in callRule.
func (e *Evaluator) callInstant(rt *ruleRT, env *dsl.Call) time.Time {
	if k := rt.attrSlot; k >= 0 && e.attrDone[k] {
		return e.attrs[k]
	}
	at, _ := rt.c.attr.eval(env)
	return at
}

// serviceLevel is the service-level measure of a call: whether it is
// eligible and holds, within the objective's variant.
func serviceLevel(v *objView, env *dsl.Call) (eligible, holds bool) {
	within := env.Answered && env.Wait <= v.within
	abandonedWithin := !env.Answered && env.Abandoned && env.Wait <= v.within
	switch v.variant {
	case slAnswered:
		return env.Answered, within
	case slAbandonsIgnored:
		return !abandonedWithin, within
	case slAbandonsMet:
		return true, within || abandonedWithin
	}
	return true, within
}

// simpleRule evaluates a rule whose items are placed by their attribution
// instant alone: calls and samples.
func simpleRule[E dsl.Env](e *Evaluator, rt *ruleRT, p *progs[E], env *E, id string, tl *tally) {
	if !inScope(e, rt, &p.scope, env, id, tl) {
		return
	}
	var at time.Time
	if k := rt.attrSlot; k >= 0 && e.attrDone[k] {
		at = e.attrs[k]
	} else {
		var err error
		if f := p.attr.safe; f != nil {
			at = f(env)
		} else if at, err = p.attr.f(env); err != nil {
			e.failed(rt, id, err, tl)
			return
		}
		if k >= 0 {
			e.attrs[k], e.attrUnix[k], e.attrDone[k] = at, at.Unix(), true
		}
	}
	if at.IsZero() {
		tl.note(reasonNoInstant)
		return
	}
	countItem(e, rt, p, env, id, at, false, tl)
}

// AddSample evaluates a sample against every sample rule.
func (e *Evaluator) AddSample(s *pacte.Sample) {
	clear(e.scopes)
	clear(e.attrDone)
	if err := pacte.CheckSample(s, e.c.Location()); err != nil {
		e.reject(contract.Samples, s.ID, err)
		return
	}
	e.seen(s.At)
	var tl tally
	env := &e.senv
	*env = dsl.Sample{Sample: s}
	id := s.ID
	if id == "" {
		id = s.Name + "@" + s.At.Format(time.RFC3339)
	}
	for _, rt := range e.bySrc[contract.Samples] {
		simpleRule(e, rt, rt.s, env, id, &tl)
	}
	countVolumes(e, e.sampleUnits, env, &tl)
	e.account(contract.Samples, id, &tl)
}

// AddOutage evaluates an outage against every outage rule. An outage
// still going on (End zero) waits for the report, which ends it at AsOf.
func (e *Evaluator) AddOutage(o *pacte.Outage) {
	if err := pacte.CheckOutage(o, e.c.Location()); err != nil {
		e.reject(contract.Outages, o.ID, err)
		return
	}
	e.seen(o.Start, o.End, o.Announced)
	if o.End.IsZero() {
		c := *o
		e.st.ongoing = append(e.st.ongoing, &c)
		return
	}
	e.outage(o, o.End)
}

func (e *Evaluator) outage(o *pacte.Outage, end time.Time) {
	clear(e.scopes)
	var tl tally
	env := &e.oenv
	*env = dsl.NewOutage(o)
	if o.End.IsZero() {
		env.Duration = max(end.Sub(o.Start), 0)
	}
	id := o.ID
	if id == "" {
		id = o.Service + "@" + o.Start.Format(time.RFC3339)
	}
	for _, rt := range e.bySrc[contract.Outages] {
		e.outageRule(rt, env, id, end, &tl)
	}
	countVolumes(e, e.outageUnits, env, &tl)
	e.account(contract.Outages, id, &tl)
}

// outageRule counts an outage in every period of the rule it overlaps;
// its exclusions and minimum length are decided once, in the period it
// starts.
func (e *Evaluator) outageRule(rt *ruleRT, env *dsl.Outage, id string, end time.Time, tl *tally) {
	p := rt.o
	if !inScope(e, rt, &p.scope, env, id, tl) {
		return
	}
	first := rt.periods.find(env.Start)
	if first < 0 {
		// An outage that starts before the term may still overlap it.
		first = rt.periods.find(rt.periods.periods[0].Start)
		if first < 0 || !end.After(rt.periods.periods[0].Start) || env.Start.After(rt.periods.periods[0].Start) {
			tl.note(reasonOutsideTerm)
			return
		}
	}
	for _, ex := range p.excl {
		ok, err := ex.when.eval(env)
		if err != nil {
			e.failed(rt, id, err, tl)
			return
		}
		if ok {
			e.st.acc(accKey{rt.idx, first}, rt).exclude(ex.reason)
			tl.note(ex.reason)
			return
		}
	}
	if env.Duration < rt.minOutage {
		reason := reasonTooShort + " (" + exact.FormatDuration(rt.minOutage) + ")"
		e.st.acc(accKey{rt.idx, first}, rt).exclude(reason)
		tl.note(reason)
		return
	}
	for pi := first; pi < len(rt.periods.periods); pi++ {
		per := rt.periods.periods[pi]
		if !per.Start.Before(end) {
			break
		}
		s, t := env.Start, end
		if s.Before(per.Start) {
			s = per.Start
		}
		if t.After(per.End) {
			t = per.End
		}
		a := e.st.acc(accKey{rt.idx, pi}, rt)
		a.objs[0].eligible++
		a.nMissed++
		a.outages = append(a.outages, outageSpan{id: id, start: s, end: t, whole: env.Duration})
		if e.cfg.listMissed < 0 || len(a.missed) < e.cfg.listMissed {
			a.missed = append(a.missed, MissedItem{ID: id, At: env.Start, Measured: exact.FormatDuration(t.Sub(s))})
		}
		if rt.periods.reported[pi] {
			tl.counted = true
		} else {
			tl.note(e.outsideReason(per))
		}
	}
}
