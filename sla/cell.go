package sla

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// cell is one rule over one of its periods, landing in the row of the
// report period where it ends.
type cell struct {
	rt          *ruleRT
	period      contract.Period
	pi          int
	rep         RuleReport
	fig         figures // what the rule's formulas see of the period
	penalty     decimal.Decimal
	bonus       decimal.Decimal
	breached    bool
	consecutive int
	status      Status
	cy          int
}

// rulePeriod evaluates a rule over one of its periods: the objective that
// applies, the status, and the raw penalty and bonus.
func (b *builder) rulePeriod(rt *ruleRT, pi int, p contract.Period, a *acc, consecutive *int) *cell {
	r := rt.r
	cl := &cell{rt: rt, period: p, pi: pi, cy: b.c.ContractYear(p.Start)}
	main := b.measure(rt, 0, p, a)
	applied, j := main, 0
	small := false
	if r.SmallVolume != nil && main.eligible < r.SmallVolume.Below {
		j, small = 1, true
		if rt.views[1].of != contract.OfNothing {
			applied = b.measure(rt, 1, p, a)
		} // below the minimum without an objective: the counts are the main one's, the status not applicable
	}
	o := rt.objs[j]
	status := StatusNotApplicable
	if rt.views[j].of != contract.OfNothing && applied.ok {
		status = StatusBreached
		if meets(applied, o) {
			status = StatusMet
		}
	}
	cl.status = status
	cl.breached = status == StatusBreached
	if cl.breached {
		*consecutive++
	} else {
		*consecutive = 0
	}
	cl.consecutive = *consecutive

	uptime := rt.views[0].of == contract.OfUptime // what is counted is outages
	eligible := applied.eligible
	if uptime {
		eligible = a.objs[0].eligible
	}
	rep := RuleReport{
		ID: r.ID, Name: r.Name, Period: p.String(), Start: p.Start, End: p.End,
		Eligible: eligible, Met: applied.met, Missed: eligible - applied.met,
		Excluded: maps.Clone(a.excluded), Measure: o.Measure, Unit: o.Unit(), ObjectiveText: o.Text,
		SmallVolume: small, Status: status, Objective: quantityOf(o.Threshold),
	}
	if uptime {
		rep.Met, rep.Missed = 0, a.nMissed
	}
	if rep.Excluded == nil {
		rep.Excluded = map[string]int{}
	}
	rep.Op = o.Op
	switch {
	case main.eligible == 0 && status == StatusNotApplicable:
		rep.Note = "nothing measured"
	case small && rt.views[j].of == contract.OfNothing:
		rep.Note = fmt.Sprintf("not measured: %d items, fewer than the minimum of %d", main.eligible, r.SmallVolume.Below)
	case small:
		rep.Note = fmt.Sprintf("%d items, fewer than %d: the objective %s applies", main.eligible, r.SmallVolume.Below, o.Text)
	case status == StatusNotApplicable:
		rep.Note = "nothing measured"
	}
	if applied.ok && rt.views[j].of != contract.OfNothing {
		v := quantityOf(applied.value)
		rep.Achieved = &v
	}
	rep.MissedItems = sortedMissed(a.missed, b.c.Location())
	rep.MissedListed = len(rep.MissedItems)
	if r.Source == contract.Calls {
		cf := &CallFigures{Offered: a.calls.offered, Answered: a.calls.answered, Abandoned: a.calls.abandoned,
			ShortAbandons: a.calls.short, AnsweredWithin: a.calls.within}
		if a.calls.answered > 0 {
			cf.MeanWait = Seconds(a.calls.waitSum / time.Duration(a.calls.answered))
		}
		rep.Calls = cf
	}
	if rt.availCal != nil {
		af := &AvailabilityFigures{ServiceTime: Seconds(rt.availCal.Between(p.Start, p.End)), Downtime: Seconds(downtime(rt, a.outages))}
		ids := map[string]time.Duration{}
		for _, sp := range a.outages {
			ids[sp.id] = sp.whole
		}
		af.Outages = len(ids)
		if len(ids) > 0 {
			var sum time.Duration
			for _, d := range ids {
				sum += d
			}
			af.MTTR = Seconds(sum / time.Duration(len(ids)))
		}
		rep.Availability = af
	}

	// The period's figures for the penalty and bonus formulas.
	total, fees := b.bill(p)
	fig := figures{
		p: p, cy: cl.cy, eligible: rep.Eligible, met: rep.Met, missed: rep.Missed, excluded: sumExcluded(a.excluded),
		breached: cl.breached, consecutive: *consecutive, late: a.late, invoice: total, fees: fees,
		main: main, objective: rt.objs[0],
	}
	cl.fig = fig
	if status != StatusNotApplicable {
		var err error
		cl.penalty, err = b.components(rt, rt.r.Penalty, 0, a, fig, false, status)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: r.ID, Period: p.String(), Error: "penalty: " + err.Error()})
		}
		cl.bonus, err = b.components(rt, rt.r.Bonus, rt.nPenalty, a, fig, true, status)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: r.ID, Period: p.String(), Error: "bonus: " + err.Error()})
		}
	}
	rep.RawPenalty, rep.RawBonus = Money{cl.penalty}, Money{cl.bonus}
	cl.rep = rep
	return cl
}

func sumExcluded(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// quantityOf is a value of the contract as the report holds it.
func quantityOf(v contract.Value) Quantity {
	switch v.Type {
	case dsl.Duration:
		return Quantity{Type: dsl.Duration, Duration: v.Duration}
	case dsl.Int:
		return Quantity{Type: dsl.Int, Int: v.Int}
	}
	return Quantity{Type: dsl.Decimal, Decimal: v.Decimal}
}

// sortedMissed orders missed items by instant then id, with their
// instants in the contract's zone: the report does not depend on the zone
// the records were read in.
func sortedMissed(items []MissedItem, loc *time.Location) []MissedItem {
	out := slices.Clone(items)
	for i := range out {
		out[i].At = out[i].At.In(loc)
		if !out[i].Deadline.IsZero() {
			out[i].Deadline = out[i].Deadline.In(loc)
		}
	}
	slices.SortFunc(out, func(a, b MissedItem) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if out == nil {
		out = []MissedItem{}
	}
	return out
}
