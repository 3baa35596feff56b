package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
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
	for pi := first; pi < len(rule.periods.periods); pi++ {
		per := rule.periods.periods[pi]
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
		a := e.st.acc(accKey{rule.idx, pi}, rule)
		a.objs[0].eligible++
		a.nMissed++
		a.outages = append(a.outages, outageSpan{id: id, start: s, end: t, whole: env.Duration})
		if e.cfg.listMissed < 0 || len(a.missed) < e.cfg.listMissed {
			a.missed = append(a.missed, MissedItem{ID: id, At: env.Start, Measured: exact.FormatDuration(t.Sub(s)), Adjustment: env.Attrs[pacte.AttrAdjustment]})
		}
		if rule.periods.reported[pi] {
			tally.counted = true
		} else {
			tally.note(e.outsideReason(per))
		}
	}
}
