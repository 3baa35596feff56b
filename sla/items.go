package sla

import (
	"github.com/pacte-sla/pacte/internal/fast"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
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

// scopeOutcome is what a scope made of the record being evaluated.
type scopeOutcome int8

const (
	scopeUnknown scopeOutcome = iota // not evaluated yet, or failed
	scopeIn                          // the record is in the scope
	scopeOut                         // it is not
)

// inScope evaluates a rule's scope on an item; an error is reported with
// the rule and the item, and the item is left out of the rule.
func inScope[E dsl.Env](e *Evaluator, rule *preparedRule, scope *cond[E], env *E, id string, tally *recordTally) bool {
	if scope.f == nil {
		return true
	}
	var ok bool
	switch e.scopes[rule.scopeSlot] {
	case scopeIn:
		ok = true
	case scopeUnknown:
		var err error
		if f := scope.safe; f != nil {
			ok = f(env)
		} else if ok, err = scope.f(env); err != nil {
			e.failed(rule, id, err, tally)
			return false
		}
		e.scopes[rule.scopeSlot] = scopeOut
		if ok {
			e.scopes[rule.scopeSlot] = scopeIn
		}
	}
	if !ok {
		tally.note(reasonOutOfScope)
	}
	return ok
}

// failed reports a rule that failed on an item, which the rule leaves out.
func (e *Evaluator) failed(rule *preparedRule, id string, err error, tally *recordTally) {
	e.ruleError(rule, id, err)
	tally.note(reasonError)
	tally.err = err
}

// countItem places an item in its period, applies the exclusions and
// counts it for each objective of the rule. What most items do not need
// (exclusions, per-item amounts, the listing of missed items) is in
// functions of its own, which keeps this one small.
func countItem[E dsl.Env](e *Evaluator, rule *preparedRule, p *programs[E], env *E, id string, at time.Time, open bool, tally *recordTally) outcome {
	h := e.st.place(rule, at.Unix())
	if h == nil {
		tally.note(reasonOutsideTerm)
		return skipped
	}
	if reason, ok := agreedExclusion(attrsOf(env)); ok {
		e.excludeItem(h.accOf(e.st, rule), reason, id, at, attrsOf(env))
		tally.note(reason)
		return skipped
	}
	if len(p.excl) > 0 && excluded(e, rule, p, env, id, at, h, tally) {
		return skipped
	}
	if rule.shortAbandon > 0 && shortAbandon(e, rule, any(env).(*dsl.Call), h, tally) {
		return skipped
	}
	var ms [2]itemMeasure
	for j := range rule.objs {
		if err := measure(rule, j, p, env, &ms[j]); err != nil {
			e.failed(rule, id, err, tally)
			return skipped
		}
	}
	// Per-item formulas are evaluated before anything is counted, so that
	// an error leaves the accumulators as they were.
	var itemAmount decimal.Decimal
	if rule.perItem {
		var err error
		if itemAmount, err = perItemAmounts(e, rule, p, env); err != nil {
			e.failed(rule, id, err, tally)
			return skipped
		}
	}
	if !ms[0].eligible {
		tally.note(reasonOutOfScope)
		return skipped
	}
	a := h.accOf(e.st, rule)
	for j := range rule.objs {
		a.objs[j].add(&ms[j], &rule.plans[j])
	}
	if rule.perItem {
		addAmounts(a, rule, p, e.amounts, e.coefs)
	}
	if rule.countsCalls {
		a.calls.add(any(env).(*dsl.Call), &rule.plans[0])
	}
	if bad := counts(&ms[0], &rule.plans[0]); bad || !itemAmount.IsZero() || (rule.perItem && e.itemFeeListed) {
		listMissed(e, a, bad, env, id, at, open, &ms[0], itemAmount)
		if rule.perItem && e.itemFeeListed && len(a.missed) > 0 && a.missed[len(a.missed)-1].ID == id {
			a.missed[len(a.missed)-1].feeCoefs = itemFeeCoefficients(e, rule)
		}
	}
	if h.reported {
		tally.counted = true
	} else {
		tally.note(e.outsideReason(rule.periods.periods[h.pi]))
	}
	return counted
}

// excluded applies the rule's exclusions to an item placed in period h
// at instant at; an exclusion that fails leaves the item out of the rule.
func excluded[E dsl.Env](e *Evaluator, rule *preparedRule, p *programs[E], env *E, id string, at time.Time, h *hotPeriod, tally *recordTally) bool {
	for i := range p.excl {
		ex := &p.excl[i]
		var ok bool
		var err error
		if f := ex.when.safe; f != nil {
			ok = f(env)
		} else if ok, err = ex.when.f(env); err != nil {
			e.failed(rule, id, err, tally)
			return true
		}
		if ok {
			e.excludeItem(h.accOf(e.st, rule), ex.reason, id, at, attrsOf(env))
			tally.note(ex.reason)
			return true
		}
	}
	return false
}

// perItemAmounts evaluates the per-item formulas of the rule's components
// into the evaluator's scratch amounts, and returns the sum of the
// penalty ones.
func perItemAmounts[E dsl.Env](e *Evaluator, rule *preparedRule, p *programs[E], env *E) (decimal.Decimal, error) {
	if cap(e.amounts) < len(p.perItem) {
		e.amounts = make([]decimal.Decimal, len(p.perItem))
	}
	amounts := e.amounts[:len(p.perItem)]
	var sum decimal.Decimal
	e.itemFeeListed = false
	for k, prog := range p.perItem {
		if prog == nil {
			continue
		}
		var v decimal.Decimal
		var err error
		if len(rule.itemFees[k]) > 0 {
			v, err = feeCoefficients(e, rule, k, prog, env)
		} else {
			v, err = prog.Decimal(env)
		}
		if err != nil {
			return decimal.Decimal{}, err
		}
		amounts[k] = v
		if k < rule.nPenalty && !v.IsZero() {
			sum = sum.Add(v)
		}
	}
	return sum, nil
}

// feeCoefficients evaluates per-item formula k, which names fees, as
// base + Σ coefficient × fee: base with every fee at 0, each coefficient
// with its fee at 1 and the others at 0 (the contract checked that the
// formula is so). The coefficients go to e.coefs[k].
func feeCoefficients[E dsl.Env](e *Evaluator, rule *preparedRule, k int, prog *fast.Program[E], env *E) (decimal.Decimal, error) {
	defer setFees(env, nil)
	setFees(env, nil)
	base, err := prog.Decimal(env)
	if err != nil {
		return base, err
	}
	for len(e.coefs) <= k {
		e.coefs = append(e.coefs, nil)
	}
	cs := e.coefs[k][:0]
	for _, u := range rule.itemFees[k] {
		setFees(env, rule.unitFee[u])
		v, err := prog.Decimal(env)
		if err != nil {
			return base, err
		}
		c := v.Sub(base)
		cs = append(cs, c)
		if !c.IsZero() && k < rule.nPenalty {
			e.itemFeeListed = true
		}
	}
	e.coefs[k] = cs
	return base, nil
}

// setFees gives an item's environment the fees fee() reads.
func setFees[E dsl.Env](env *E, fees map[string]decimal.Decimal) {
	switch x := any(env).(type) {
	case *dsl.Ticket:
		x.Fees = fees
	case *dsl.Call:
		x.Fees = fees
	case *dsl.Outage:
		x.Fees = fees
	case *dsl.Sample:
		x.Fees = fees
	}
}

// itemFeeCoefficients sums, per work unit, the fee coefficients of the
// penalty components of the item just evaluated: what its listed amount
// adds once the period's fees are known.
func itemFeeCoefficients(e *Evaluator, rule *preparedRule) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for k, units := range rule.itemFees[:rule.nPenalty] {
		for j, u := range units {
			out[u] = out[u].Add(e.coefs[k][j])
		}
	}
	return out
}

// addAmounts adds the per-item amounts perItemAmounts evaluated, and the
// fee coefficients of those that name fees.
func addAmounts[E dsl.Env](a *acc, rule *preparedRule, p *programs[E], amounts []decimal.Decimal, coefs [][]decimal.Decimal) {
	for k, units := range rule.itemFees {
		if len(units) == 0 {
			continue
		}
		if a.perItemFees == nil {
			a.perItemFees = make([][]decimal.Decimal, len(rule.itemFees))
		}
		if a.perItemFees[k] == nil {
			a.perItemFees[k] = make([]decimal.Decimal, len(units))
		}
		for j, c := range coefs[k] {
			a.perItemFees[k][j] = a.perItemFees[k][j].Add(c)
		}
	}
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
		if attrs := attrsOf(env); len(attrs) > 0 {
			a.missed[len(a.missed)-1].Adjustment = attrs[adjustmentAttr]
		}
	}
}

// excludeItem counts an item an exclusion left out of the rule for a
// reason, and lists it within the configured limit, with the agreed
// adjustment its attributes carry.
func (e *Evaluator) excludeItem(a *acc, reason, id string, at time.Time, attrs map[string]string) {
	a.exclude(reason)
	if e.cfg.listMissed < 0 || len(a.excludedItems) < e.cfg.listMissed {
		a.excludedItems = append(a.excludedItems, ExcludedItem{ID: id, At: at, Reason: reason, Adjustment: attrs[adjustmentAttr]})
	}
}

// measure classifies an item for objective j of the rule, into m, which
// is zero.
func measure[E dsl.Env](rule *preparedRule, j int, p *programs[E], env *E, m *itemMeasure) error {
	plan := &rule.plans[j]
	m.eligible = true // typ is set with a value, for statistics
	switch plan.item {
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
	switch plan.item {
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
		m.eligible, m.holds = serviceLevel(plan, c)
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
func counts(m *itemMeasure, plan *objectivePlan) bool {
	if !m.eligible {
		return false
	}
	switch plan.item {
	case contract.ItemCondition, contract.ItemAnswered, contract.ItemAbandoned, contract.ItemFirstContact, contract.ItemAnsweredWithin:
		return m.holds != plan.higher
	case contract.ItemOnTime:
		return !m.holds
	case contract.ItemOutage:
		return true // every counted outage is listed
	case contract.ItemNothing:
		return false
	}
	// A statistic: the item's own value misses the threshold.
	v := contract.Value{Type: m.typ, Duration: m.dur, Decimal: m.dec, Int: m.num}
	return !compare(v, plan.obj.Op, plan.obj.Threshold)
}

func (o *objAcc) add(m *itemMeasure, plan *objectivePlan) {
	if !m.eligible {
		return
	}
	o.eligible++
	if m.holds {
		o.holds++
	}
	if !plan.stat {
		return
	}
	o.n++
	keep := plan.keep
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

// countVolumes counts the record in the work units whose volume is a
// count of its source, which are units.
func countVolumes[E dsl.Env](e *Evaluator, units []unitOf[E], env *E, tally *recordTally) {
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
			tally.counted = true
		} else {
			tally.note(e.outsideReason(u.periods.periods[mi]))
		}
	}
}

// simpleRule evaluates a rule whose items are placed by their attribution
// instant alone: calls and samples.
func simpleRule[E dsl.Env](e *Evaluator, rule *preparedRule, p *programs[E], env *E, id string, tally *recordTally) {
	if !inScope(e, rule, &p.scope, env, id, tally) {
		return
	}
	var at time.Time
	if k := rule.attrSlot; k >= 0 && e.attrDone[k] {
		at = e.attrs[k]
	} else {
		var err error
		if f := p.attr.safe; f != nil {
			at = f(env)
		} else if at, err = p.attr.f(env); err != nil {
			e.failed(rule, id, err, tally)
			return
		}
		if k >= 0 {
			e.attrs[k], e.attrUnix[k], e.attrDone[k] = at, at.Unix(), true
		}
	}
	if at.IsZero() {
		tally.note(reasonNoInstant)
		return
	}
	countItem(e, rule, p, env, id, at, false, tally)
}
