package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

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

// outageID is what names an outage in the records' accounting: its ID,
// or its service and start when it has none.
func outageID(o *pacte.Outage) string {
	if o.ID != "" {
		return o.ID
	}
	return o.Service + "@" + o.Start.Format(time.RFC3339)
}

func (e *Evaluator) outage(o *pacte.Outage, end time.Time) {
	clear(e.scopes)
	var tally recordTally
	env := &e.oenv
	*env = dsl.NewOutage(o)
	if o.End.IsZero() {
		env.Duration = max(end.Sub(o.Start), 0)
	}
	id := outageID(o)
	for _, rule := range e.bySrc[contract.Outages] {
		e.outageRule(rule, env, id, end, &tally)
	}
	countVolumes(e, e.outageUnits, env, &tally)
	e.account(contract.Outages, id, &tally)
}

// outageRule counts an outage in every period of the rule it overlaps;
// its exclusions and minimum length are decided once, in the period it
// starts.
func (e *Evaluator) outageRule(rule *preparedRule, env *dsl.Outage, id string, end time.Time, tally *recordTally) {
	p := rule.outages
	if !inScope(e, rule, &p.scope, env, id, tally) {
		return
	}
	first := rule.periods.find(env.Start)
	if first < 0 {
		// An outage that starts before the term may still overlap it.
		first = rule.periods.find(rule.periods.periods[0].Start)
		if first < 0 || !end.After(rule.periods.periods[0].Start) || env.Start.After(rule.periods.periods[0].Start) {
			tally.note(reasonOutsideTerm)
			return
		}
	}
	if reason, ok := agreedExclusion(env.Attrs); ok {
		e.excludeItem(e.st.acc(accKey{rule.idx, first}, rule), reason, id, env.Start, env.Attrs)
		tally.note(reason)
		return
	}
	for _, ex := range p.excl {
		ok, err := ex.when.eval(env)
		if err != nil {
			e.failed(rule, id, err, tally)
			return
		}
		if ok {
			e.excludeItem(e.st.acc(accKey{rule.idx, first}, rule), ex.reason, id, env.Start, env.Attrs)
			tally.note(ex.reason)
			return
		}
	}
	if env.Duration < rule.minOutage {
		reason := reasonTooShort + " (" + exact.FormatDuration(rule.minOutage) + ")"
		e.excludeItem(e.st.acc(accKey{rule.idx, first}, rule), reason, id, env.Start, env.Attrs)
		tally.note(reason)
		return
	}
	parts := e.outageParts(rule, env, id, first, end, tally)
	if parts == nil {
		return
	}
	for i, part := range parts {
		pi := first + i
		a := e.st.acc(accKey{rule.idx, pi}, rule)
		if rule.plans[0].item == contract.ItemOutage {
			a.objs[0].eligible++
			a.nMissed++
			a.outages = append(a.outages, outageSpan{id: id, start: part.start, end: part.end, whole: env.Duration})
			if e.cfg.listMissed < 0 || len(a.missed) < e.cfg.listMissed {
				a.missed = append(a.missed, MissedItem{ID: id, At: env.Start, Measured: exact.FormatDuration(part.end.Sub(part.start)),
					Adjustment: env.Attrs[pacte.AttrAdjustment]})
			}
		} else {
			for j := range rule.objs {
				a.objs[j].add(&part.ms[j], &rule.plans[j])
			}
			if counts(&part.ms[0], &rule.plans[0]) {
				whole := env.Duration
				env.Duration = part.end.Sub(part.start)
				listMissed(e, a, true, env, id, env.Start, false, &part.ms[0], decimal.Decimal{})
				env.Duration = whole
			}
		}
		if rule.periods.reported[pi] {
			tally.counted = true
		} else {
			tally.note(e.outsideReason(rule.periods.periods[pi]))
		}
	}
}

// outagePart is the part of an outage within one period of a rule, and
// what the rule's objectives measure of it.
type outagePart struct {
	start, end time.Time
	ms         [2]itemMeasure
}

// outageParts cuts an outage by the rule's periods from first on, and
// measures each part for the rule's objectives other than availability
// (a sum or a count of outages, their longest): an outage across two
// months has in each its duration within it, so that the months' sums
// add up to the outage. Every part is measured before any is counted, so
// that an error leaves the accumulators as they were: nil then.
func (e *Evaluator) outageParts(rule *preparedRule, env *dsl.Outage, id string, first int, end time.Time, tally *recordTally) []outagePart {
	parts := e.parts[:0]
	defer func() { e.parts = parts[:0] }()
	whole := env.Duration
	defer func() { env.Duration = whole }()
	for pi := first; pi < len(rule.periods.periods); pi++ {
		per := rule.periods.periods[pi]
		if !per.Start.Before(end) {
			break
		}
		part := outagePart{start: env.Start, end: end}
		if part.start.Before(per.Start) {
			part.start = per.Start
		}
		if part.end.After(per.End) {
			part.end = per.End
		}
		if rule.plans[0].item != contract.ItemOutage {
			env.Duration = part.end.Sub(part.start)
			for j := range rule.objs {
				if err := measure(rule, j, rule.outages, env, &part.ms[j]); err != nil {
					e.failed(rule, id, err, tally)
					return nil
				}
			}
		}
		parts = append(parts, part)
	}
	return parts
}
