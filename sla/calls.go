package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

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
	var tally recordTally
	for _, rule := range e.callRules {
		if rule.fastCall {
			e.callRule(rule, env, c.ID, &tally)
		} else {
			simpleRule(e, rule, rule.calls, env, c.ID, &tally)
		}
	}
	countVolumes(e, e.callUnits, env, &tally)
	e.account(contract.Calls, c.ID, &tally)
}

// callRule is simpleRule for the call rules most contracts have (no
// exclusion, no per-item amount, a share or a telephony measure): the
// same steps in one function, which a desk's hundreds of thousands of
// calls a year go through four times each. Its common path, a scope and
// an attribution already found for the call by another rule and one
// objective, is straight code; the rest is in functions of their own.
func (e *Evaluator) callRule(rule *preparedRule, env *dsl.Call, id string, tally *recordTally) {
	if slot := rule.scopeSlot; slot >= 0 {
		in := e.scopes[slot]
		if in == scopeUnknown {
			if in = e.callScope(rule, slot, env, id, tally); in == scopeUnknown {
				return
			}
		}
		if in != scopeIn {
			tally.note(reasonOutOfScope)
			return
		}
	}
	var u int64 // the attribution instant, unix seconds
	if k := rule.attrSlot; k >= 0 && e.attrDone[k] && e.attrUnix[k] != zeroUnix {
		u = e.attrUnix[k]
	} else {
		var ok bool
		if u, ok = e.callAttribution(rule, env, id, tally); !ok {
			return
		}
	}
	// place, by hand: the call costs more than the usual case.
	var h *hotPeriod
	if hot := e.st.hot; rule.idx < len(hot) && u >= hot[rule.idx].lo && u < hot[rule.idx].hi {
		h = &hot[rule.idx]
	} else if h = e.st.search(rule, u); h == nil {
		tally.note(reasonOutsideTerm)
		return
	}
	if isShortAbandon(rule, env) {
		leaveShortAbandon(e, rule, h, tally)
		return
	}
	// What measure would find for the main objective.
	plan := &rule.plans[0]
	eligible, holds := true, false
	switch plan.item {
	case contract.ItemCondition:
		if f := rule.calls.conds[0].safe; f != nil {
			holds = f(env)
		} else {
			ok, err := rule.calls.conds[0].f(env)
			if err != nil {
				e.failed(rule, id, err, tally)
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
		eligible, holds = serviceLevel(plan, env)
	}
	// The fallback objective of a minimum volume, measured before
	// anything is counted: an error leaves the accumulators as they were.
	var fallback [2]bool // eligible, holds
	if rule.nObjs > 1 {
		var m itemMeasure
		if err := measure(rule, 1, rule.calls, env, &m); err != nil {
			e.failed(rule, id, err, tally)
			return
		}
		fallback = [2]bool{m.eligible, m.holds}
	}
	if !eligible {
		tally.note(reasonOutOfScope)
		return
	}
	a := h.accOf(e.st, rule)
	main := &a.objs[0]
	main.eligible++
	if holds {
		main.holds++
	}
	if rule.nObjs > 1 && fallback[0] {
		a.objs[1].eligible++
		if fallback[1] {
			a.objs[1].holds++
		}
	}
	a.calls.add(env, plan)
	if plan.item != contract.ItemNothing && holds != plan.higher {
		listMissed(e, a, true, env, id, e.callInstant(rule, env), false, &itemMeasure{eligible: true, holds: holds}, decimal.Decimal{})
	}
	if h.reported {
		tally.counted = true
	} else {
		tally.note(e.outsideReason(rule.periods.periods[h.pi]))
	}
}

// zeroUnix is the zero time.Time in unix seconds, the attribution of
// no instant (TestZeroUnix).
const zeroUnix = -62135596800

// callScope evaluates the scope of a call rule, in slot, for the call;
// unknown when it failed (reported).
func (e *Evaluator) callScope(rule *preparedRule, slot int, env *dsl.Call, id string, tally *recordTally) scopeOutcome {
	var ok bool
	var err error
	if e.opens != nil && e.opens[slot].cal != nil {
		ok = e.opens[slot].isOpen(env)
	} else if f := rule.calls.scope.safe; f != nil {
		ok = f(env)
	} else if ok, err = rule.calls.scope.f(env); err != nil {
		e.failed(rule, id, err, tally)
		return 0
	}
	in := scopeOut
	if ok {
		in = scopeIn
	}
	e.scopes[slot] = in
	return in
}

// callAttribution evaluates the attribution of a call rule, kept in the
// rule's slot for the call's other rules, and returns it in unix seconds;
// false when it failed or is no instant (noted).
func (e *Evaluator) callAttribution(rule *preparedRule, env *dsl.Call, id string, tally *recordTally) (int64, bool) {
	var at time.Time
	if k := rule.attrSlot; k >= 0 && e.attrDone[k] {
		at = e.attrs[k]
	} else {
		var err error
		if f := rule.calls.attr.safe; f != nil {
			at = f(env)
		} else if at, err = rule.calls.attr.f(env); err != nil {
			e.failed(rule, id, err, tally)
			return 0, false
		}
		if k >= 0 {
			e.attrs[k], e.attrUnix[k], e.attrDone[k] = at, at.Unix(), true
		}
	}
	if at.IsZero() {
		tally.note(reasonNoInstant)
		return 0, false
	}
	return at.Unix(), true
}

// callInstant is the attribution instant callRule found for the call:
// the one in the rule's slot, which every call rule has (its attribution
// is at least the default, offered); evaluated again otherwise, which did
// not fail in callRule.
func (e *Evaluator) callInstant(rule *preparedRule, env *dsl.Call) time.Time {
	if k := rule.attrSlot; k >= 0 && e.attrDone[k] {
		return e.attrs[k]
	}
	at, _ := rule.calls.attr.eval(env)
	return at
}

// serviceLevel is the service-level measure of a call: whether it is
// eligible and holds, within the objective's variant.
func serviceLevel(plan *objectivePlan, env *dsl.Call) (eligible, holds bool) {
	within := env.Answered && env.Wait <= plan.within
	abandonedWithin := !env.Answered && env.Abandoned && env.Wait <= plan.within
	switch plan.variant {
	case variantAnswered:
		return env.Answered, within
	case variantAbandonsIgnored:
		return !abandonedWithin, within
	case variantAbandonsMet:
		return true, within || abandonedWithin
	}
	return true, within
}

// shortAbandon leaves out a call abandoned sooner than the rule counts.
func shortAbandon(e *Evaluator, rule *preparedRule, c *dsl.Call, h *hotPeriod, tally *recordTally) bool {
	if isShortAbandon(rule, c) {
		leaveShortAbandon(e, rule, h, tally)
		return true
	}
	return false
}

// isShortAbandon tells whether a call is abandoned sooner than the rule
// counts.
func isShortAbandon(rule *preparedRule, c *dsl.Call) bool {
	return c.Abandoned && !c.Answered && c.Wait < rule.shortAbandon
}

// leaveShortAbandon leaves a short abandon out of the rule.
func leaveShortAbandon(e *Evaluator, rule *preparedRule, h *hotPeriod, tally *recordTally) {
	a := h.accOf(e.st, rule)
	a.exclude(reasonShortAband)
	a.calls.short++
	tally.note(reasonShortAband)
}

func (c *callAcc) add(call *dsl.Call, plan *objectivePlan) {
	c.offered++
	switch {
	case call.Answered:
		c.answered++
		c.waitSum += call.Wait
		if plan.item == contract.ItemAnsweredWithin && call.Wait <= plan.within {
			c.within++
		}
	case call.Abandoned:
		c.abandoned++
	}
}
