package sla

import (
	"cmp"
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
	rule        *preparedRule
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

	node  string     // the rule's or group's id
	acc   *acc       // what the rule read of the period
	main  measured   // the rule's main objective, measured
	group *groupCell // set in a group's cell, whose rule is nil
	// base and dmAt are the penalty where the de minimis franchise
	// stands in the order, and the length of the trace then.
	base decimal.Decimal
	dmAt int
	// carried and carriedBonus are the amounts after the steps before
	// the caps: what result() and the groups read.
	carried, carriedBonus decimal.Decimal
}

// rulePeriod evaluates a rule over one of its periods: the objective that
// applies and the status; amounts computes its penalty and bonus later,
// once what its formulas read is known. consecutive counts the rule's
// breaches in a row up to this period.
func (b *builder) rulePeriod(rule *preparedRule, pi int, p contract.Period, a *acc, consecutive *int) *cell {
	cl := &cell{rule: rule, period: p, pi: pi, cy: b.c.ContractYear(p.Start), node: rule.def.ID, acc: a}
	main, applied, j, status := b.status(rule, p, a)
	cl.status = status
	if !b.e.cfg.givenSource(rule.def.Source) {
		cl.status = StatusNoData
	}
	cl.breached = cl.status == StatusBreached
	if cl.breached {
		*consecutive++
	} else {
		*consecutive = 0
	}
	cl.consecutive = *consecutive
	cl.rep = b.ruleReport(rule, p, a, main, applied, j, cl.status)
	cl.main = main
	return cl
}

// applied measures the rule's main objective over a period and the one
// that applies: the main one, or below the rule's minimum volume its
// fallback, whose index j is 1. Below the minimum without an objective
// (none), the counts are the main one's, and nothing applies.
func (b *builder) applied(rule *preparedRule, p contract.Period, a *acc) (main, applied measured, j int) {
	main = b.measure(rule, 0, p, a)
	applied = main
	if sv := rule.def.SmallVolume; sv != nil && main.eligible < sv.Below {
		j = 1
		if rule.plans[1].of != contract.OfNothing {
			applied = b.measure(rule, 1, p, a)
		}
	}
	return main, applied, j
}

// status measures the rule over a period (see applied) and says whether
// the objective that applies is met, breached or not applicable.
func (b *builder) status(rule *preparedRule, p contract.Period, a *acc) (main, applied measured, j int, status Status) {
	main, applied, j = b.applied(rule, p, a)
	status = StatusNotApplicable
	if rule.plans[j].of != contract.OfNothing && applied.ok {
		status = StatusBreached
		if meets(applied, rule.objs[j]) {
			status = StatusMet
		}
	}
	return main, applied, j, status
}

// ruleReport is the report of a rule over a period, but for its amounts.
func (b *builder) ruleReport(rule *preparedRule, p contract.Period, a *acc, main, applied measured, j int, status Status) RuleReport {
	r, o := rule.def, rule.objs[j]
	uptime := rule.plans[0].of == contract.OfUptime // what is counted is outages
	eligible := applied.eligible
	if uptime {
		eligible = a.objs[0].eligible
	}
	rep := RuleReport{
		ID: r.ID, Name: r.Name, Period: p.String(), Start: p.Start, End: p.End,
		Eligible: eligible, Met: applied.met, Missed: eligible - applied.met,
		Excluded: maps.Clone(a.excluded), Measure: o.Measure, Unit: o.Unit(), ObjectiveText: o.Text,
		SmallVolume: j == 1, Status: status, Objective: quantityOf(o.Threshold), Provisional: p.End.After(b.asOf),
		VersionFrom: rule.versionFromOf(rule.periods.find(p.Start)),
	}
	if uptime {
		rep.Met, rep.Missed = 0, a.nMissed
	}
	if rep.Excluded == nil {
		rep.Excluded = map[string]int{}
	}
	rep.Op = o.Op
	rep.Note = note(rule, main, j, status)
	if applied.ok && rule.plans[j].of != contract.OfNothing && status != StatusNoData {
		v := quantityOf(applied.value)
		rep.Achieved = &v
	}
	rep.MissedItems = sortedMissed(a.missed, b.c.Location())
	rep.MissedListed = len(rep.MissedItems)
	rep.ExcludedItems = sortedExcluded(a.excludedItems, b.c.Location())
	rep.ExcludedListed = len(rep.ExcludedItems)
	if slices.ContainsFunc(rep.MissedItems, func(m MissedItem) bool { return m.Open }) {
		rep.LateOpen = r.LateOpen
	}
	if r.Source == contract.Calls {
		rep.Calls = callFigures(&a.calls)
	}
	if rule.availCal != nil && status != StatusNoData {
		rep.Availability = availabilityFigures(rule, p, a.outages)
	}
	return rep
}

// note says why a rule is not applicable in a period, or that the
// objective below its minimum volume (j is 1) applies.
func note(rule *preparedRule, main measured, j int, status Status) string {
	small := j == 1
	switch {
	case status == StatusNoData:
		return fmt.Sprintf("no %s given: not evaluated", rule.def.Source)
	case main.eligible == 0 && status == StatusNotApplicable:
		return "nothing measured"
	case small && rule.plans[j].of == contract.OfNothing:
		return fmt.Sprintf("not measured: %d items, fewer than the minimum of %d", main.eligible, rule.def.SmallVolume.Below)
	case small:
		return fmt.Sprintf("%d items, fewer than %d: the objective %s applies", main.eligible, rule.def.SmallVolume.Below, rule.objs[j].Text)
	case status == StatusNotApplicable:
		return "nothing measured"
	}
	return ""
}

func callFigures(c *callAcc) *CallFigures {
	cf := &CallFigures{Offered: c.offered, Answered: c.answered, Abandoned: c.abandoned, ShortAbandons: c.short, AnsweredWithin: c.within}
	if c.answered > 0 {
		cf.MeanWait = Seconds(c.waitSum / time.Duration(c.answered))
	}
	return cf
}

// availabilityFigures are the service time of a period, its downtime,
// and the outages that caused it: their number and their mean duration.
func availabilityFigures(rule *preparedRule, p contract.Period, spans []outageSpan) *AvailabilityFigures {
	af := &AvailabilityFigures{ServiceTime: Seconds(rule.availCal.Between(p.Start, p.End)), Downtime: Seconds(downtime(rule, spans))}
	ids := map[string]time.Duration{}
	for _, sp := range spans {
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
	return af
}

// rawAmounts computes a cell's penalty and bonus as the rule's formulas
// give them, from the period's figures.
func (b *builder) rawAmounts(cl *cell, a *acc, main measured) {
	rule, p, rep := cl.rule, cl.period, &cl.rep
	total, fees := b.bill(p)
	for i := range rep.MissedItems {
		if it := &rep.MissedItems[i]; it.feeCoefs != nil {
			v := decimal.Zero
			if it.Amount != nil {
				v = it.Amount.Decimal
			}
			for u, c := range it.feeCoefs {
				v = v.Add(c.Mul(fees[u]))
			}
			it.Amount = &Money{v}
		}
	}
	cl.fig = figures{
		p: p, cy: cl.cy, eligible: rep.Eligible, met: rep.Met, missed: rep.Missed, excluded: sumExcluded(a.excluded),
		breached: cl.breached, consecutive: cl.consecutive, late: a.late, invoice: total, fees: fees,
		main: main, objective: rule.objs[0], results: b.resultsOf(cl),
	}
	if cl.status == StatusMet || cl.status == StatusBreached {
		var err error
		cl.penalty, err = b.components(rule, rule.def.Penalty, 0, a, cl.fig, false, cl.status)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: rule.def.ID, Period: p.String(), Error: "penalty: " + err.Error()})
		}
		cl.bonus, err = b.components(rule, rule.def.Bonus, rule.nPenalty, a, cl.fig, true, cl.status)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: rule.def.ID, Period: p.String(), Error: "bonus: " + err.Error()})
		}
	}
	rep.RawPenalty, rep.RawBonus = Money{cl.penalty}, Money{cl.bonus}
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

// sortedExcluded orders excluded items as sortedMissed orders missed
// ones, then by reason and adjustment: two records of one ID at one
// instant list the same whatever their order.
func sortedExcluded(items []ExcludedItem, loc *time.Location) []ExcludedItem {
	if len(items) == 0 {
		return nil
	}
	out := slices.Clone(items)
	for i := range out {
		out[i].At = out[i].At.In(loc)
	}
	slices.SortFunc(out, func(a, b ExcludedItem) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Reason, b.Reason), strings.Compare(a.Adjustment, b.Adjustment))
	})
	return out
}
