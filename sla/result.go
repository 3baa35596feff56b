package sla

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// Report computes the report from what the evaluator has read, with the
// volumes reported for the work units (by month, then unit) and the index
// values of the price revision. It does not change the evaluator: more
// records may be added and Report called again.
func (e *Evaluator) Report(volumes map[string]map[string]decimal.Decimal, indices contract.Indices) (*Report, error) {
	// Work on a copy: finalizing running tickets and ongoing outages
	// counts them, which must not happen twice.
	return e.report(volumes, indices, e.st.clone())
}

// report computes the report over st, which it changes: a copy of the
// evaluator's state, or the state itself when nothing will be added
// after (Evaluate).
func (e *Evaluator) report(volumes map[string]map[string]decimal.Decimal, indices contract.Indices, st *state) (*Report, error) {
	w := &Evaluator{c: e.c, cfg: e.cfg, rules: e.rules, bySrc: e.bySrc, ticketRules: e.ticketRules, callRules: e.callRules, units: e.units,
		unitsOf: e.unitsOf, ticketUnits: e.ticketUnits, callUnits: e.callUnits, outageUnits: e.outageUnits, sampleUnits: e.sampleUnits,
		scopes: make([]int8, len(e.scopes)), attrs: make([]time.Time, len(e.attrs)), attrUnix: make([]int64, len(e.attrUnix)), attrDone: make([]bool, len(e.attrDone)), st: st}
	asOf := w.cfg.asOf
	if asOf.IsZero() {
		asOf = w.st.maxSeen
	}
	if asOf.IsZero() {
		asOf = w.c.Start()
	}
	w.finalize(asOf)

	b := &builder{e: w, c: w.c, asOf: asOf, volumes: volumes, indices: indices, invoices: map[int]*contract.Invoice{}}
	if err := b.rows(); err != nil {
		return nil, err
	}
	b.evaluate()
	b.pipeline()
	return b.report(), nil
}

// finalize decides the tickets whose clock was running and the outages
// still going on, now that the extraction instant is known.
func (e *Evaluator) finalize(asOf time.Time) {
	running := e.st.running
	e.st.running = nil
	for _, r := range running {
		env := &e.tenv
		*env = dsl.Ticket{Ticket: r.t}
		e.pauseFrom = nil
		clear(e.scopes)
		tl := r.tally
		for _, idx := range r.rules {
			if rt := e.rules[idx]; inScope(e, rt, &rt.t.scope, env, r.t.ID, &tl) {
				e.ticketRule(rt, env, &tl, asOf)
			}
		}
		e.account(contract.Tickets, r.t.ID, &tl)
	}
	ongoing := e.st.ongoing
	e.st.ongoing = nil
	for _, o := range ongoing {
		end := asOf
		if end.Before(o.Start) {
			end = o.Start
		}
		e.outage(o, end)
	}
}

func (s *state) clone() *state {
	c := newState()
	c.merge(&state{
		records:  s.records,
		rejected: s.rejected,
		errors:   s.errors,
		volumes:  s.volumes,
		maxSeen:  s.maxSeen,
		running:  s.running,
		ongoing:  s.ongoing,
	})
	c.rejected = slices.Clone(s.rejected)
	c.errors = slices.Clone(s.errors)
	c.running = slices.Clone(s.running)
	c.ongoing = slices.Clone(s.ongoing)
	s.each(func(k accKey, a *acc) {
		n := &acc{objs: make([]objAcc, len(a.objs)), perItem: make([]decimal.Decimal, len(a.perItem))}
		n.merge(a)
		c.put(k, n)
	})
	return c
}

// builder assembles a report.
type builder struct {
	e        *Evaluator
	c        *contract.Contract
	asOf     time.Time
	volumes  map[string]map[string]decimal.Decimal
	indices  contract.Indices
	invoices map[int]*contract.Invoice // by month index from the term's start

	months    []contract.Period // every month of the term
	rowsAll   []contract.Period // the periods of the table, from the first with data to the end of the range
	first     int               // index in rowsAll of the first period reported
	cells     [][]*cell         // by row, the rules that land in it
	rowStates []rowState
	warnings  []string
	errors    []RuleError
}

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

func (b *builder) rows() error {
	c := b.c
	b.months = c.Periods(contract.Month, c.Start(), c.End())
	kind := c.Period()
	from, to := b.e.cfg.from, b.e.cfg.to
	// The span the data touches, within the term.
	var lo, hi time.Time
	touch := func(p contract.Period) {
		if lo.IsZero() || p.Start.Before(lo) {
			lo = p.Start
		}
		if hi.IsZero() || p.End.After(hi) {
			hi = p.End
		}
	}
	b.e.st.each(func(k accKey, _ *acc) { touch(b.e.rules[k.rule].periods.periods[k.period]) })
	for _, months := range b.e.st.volumes {
		for m, n := range months {
			if n > 0 {
				touch(b.months[m])
			}
		}
	}
	if from.IsZero() {
		from, to = lo, hi
		if lo.IsZero() {
			return nil // no data and no range: an empty report
		}
	}
	if from.Before(c.Start()) {
		from = c.Start()
	}
	if to.After(c.End()) {
		to = c.End()
	}
	if !to.After(from) {
		b.warnings = append(b.warnings, "the range reported is outside the term")
		return nil
	}
	start := from
	if !lo.IsZero() && lo.Before(start) {
		start = lo // earlier periods decide franchises, repeats and yearly caps
	}
	b.rowsAll = c.Periods(kind, start, to)
	b.first = len(b.rowsAll)
	for i, p := range b.rowsAll {
		if p.End.After(from) {
			b.first = i
			break
		}
	}
	return nil
}

// row returns the index of the table row a rule period lands in: the
// row that contains its last instant.
func (b *builder) row(p contract.Period) int {
	last := p.End.Add(-time.Nanosecond)
	for i, r := range b.rowsAll {
		if r.Contains(last) {
			return i
		}
	}
	return -1
}

// invoice returns the bill of a month, counted volumes and reported ones.
func (b *builder) invoice(mi int) *contract.Invoice {
	if inv, ok := b.invoices[mi]; ok {
		return inv
	}
	month := b.months[mi]
	vols := map[string]decimal.Decimal{}
	for _, u := range b.e.units {
		if n := b.e.st.volume(u.idx, mi); n > 0 {
			vols[u.u.ID] = decimal.NewFromInt(int64(n))
		}
	}
	maps.Copy(vols, b.volumes[month.String()])
	inv, err := b.c.Invoice(month, vols, b.indices)
	if err != nil {
		b.warnings = append(b.warnings, err.Error())
		inv = contract.Invoice{Period: month}
	}
	b.invoices[mi] = &inv
	return &inv
}

// bill sums the invoices of the months of a period.
func (b *builder) bill(p contract.Period) (decimal.Decimal, map[string]decimal.Decimal) {
	total := decimal.Decimal{}
	fees := map[string]decimal.Decimal{}
	for mi, m := range b.months {
		if !m.Start.Before(p.End) || !m.End.After(p.Start) {
			continue
		}
		inv := b.invoice(mi)
		total = total.Add(inv.Total)
		for _, l := range inv.Lines {
			fees[l.Unit] = fees[l.Unit].Add(l.Amount)
		}
	}
	return total, fees
}

// evaluate computes every rule over every period of the table.
func (b *builder) evaluate() {
	b.cells = make([][]*cell, len(b.rowsAll))
	if len(b.rowsAll) == 0 {
		return
	}
	tableStart, tableEnd := b.rowsAll[0].Start, b.rowsAll[len(b.rowsAll)-1].End
	for _, rt := range b.e.rules {
		consecutive := 0
		for pi, p := range rt.periods.periods {
			if !p.End.After(tableStart) || p.End.After(tableEnd) {
				continue
			}
			ri := b.row(p)
			if ri < 0 {
				continue
			}
			a := b.e.st.peek(accKey{rt.idx, pi})
			if a == nil {
				a = newAcc(rt)
			}
			cl := b.rulePeriod(rt, pi, p, a, &consecutive)
			b.cells[ri] = append(b.cells[ri], cl)
		}
	}
}

// measured is what a rule achieved on one objective in a period.
type measured struct {
	ok       bool // something was measured
	value    contract.Value
	num, den decimal.Decimal // a share, exactly: num / den
	share    bool
	eligible int
	met      int
}

func (b *builder) measure(rt *ruleRT, j int, p contract.Period, a *acc) measured {
	o, v := rt.objs[j], &rt.views[j]
	oa := a.objs[j]
	m := measured{eligible: oa.eligible}
	// The items that met the rule: those for which the item measure holds,
	// but when what holds is what a maximum limits (share(reopened) <= 5%).
	met := oa.holds
	if v.item != contract.ItemOnTime && !v.higher {
		met = oa.eligible - oa.holds
	}
	switch v.of {
	case contract.OfNothing:
		return m
	case contract.OfRatio:
		m.share = true
		m.num, m.den = decimal.NewFromInt(int64(oa.holds)), decimal.NewFromInt(int64(oa.eligible))
		m.ok = oa.eligible > 0
		if m.ok {
			m.value = contract.Value{Type: dsl.Decimal, Decimal: m.num.DivRound(m.den, dsl.QuotientPlaces)}
		}
		m.met = met
		return m
	case contract.OfCount, contract.OfCountNot:
		m.ok = oa.eligible > 0
		n := oa.holds
		if v.of == contract.OfCountNot {
			n = oa.eligible - oa.holds
		}
		m.value = contract.Value{Type: dsl.Int, Int: n, Decimal: decimal.NewFromInt(int64(n))}
		m.met = met
		return m
	case contract.OfUptime:
		service := rt.availCal.Between(p.Start, p.End)
		down := downtime(rt, a.outages)
		m.ok = service > 0
		m.share = true
		m.num, m.den = decimal.NewFromInt(int64(service-down)), decimal.NewFromInt(int64(service))
		if m.ok {
			m.value = contract.Value{Type: dsl.Decimal, Decimal: m.num.DivRound(m.den, dsl.QuotientPlaces)}
		}
		return m
	}
	// Statistics.
	m.ok = oa.n > 0
	m.met = oa.eligible - a.nMissed
	if !m.ok {
		return m
	}
	value, err := statistic(o, v.of, &oa)
	if err != nil {
		b.errors = append(b.errors, RuleError{Rule: rt.r.ID, Period: p.String(), Error: err.Error()})
		m.ok = false
		return m
	}
	m.value = value
	return m
}

// statistic is the value of a statistic of the items' values.
func statistic(o contract.Objective, of contract.Aggregate, oa *objAcc) (contract.Value, error) {
	t := o.Type()
	n := decimal.NewFromInt(int64(oa.n))
	switch of {
	case contract.OfMean:
		if t == dsl.Duration {
			return contract.Value{Type: t, Duration: time.Duration(oa.sumDuration().DivRound(n, 0).IntPart())}, nil
		}
		return contract.Value{Type: dsl.Decimal, Decimal: oa.sumDec.DivRound(n, dsl.QuotientPlaces)}, nil
	case contract.OfSum:
		switch t {
		case dsl.Duration:
			s := oa.sumDuration()
			if s.Abs().GreaterThan(decimal.NewFromInt(1<<63 - 1)) {
				return contract.Value{}, errors.New("sum of durations is out of range")
			}
			return contract.Value{Type: t, Duration: time.Duration(s.IntPart())}, nil
		case dsl.Int:
			return contract.Value{Type: t, Int: int(oa.sumInt), Decimal: decimal.NewFromInt(oa.sumInt)}, nil
		}
		return contract.Value{Type: t, Decimal: oa.sumDec}, nil
	case contract.OfMin, contract.OfMax:
		x := oa.min
		if of == contract.OfMax {
			x = oa.max
		}
		return contract.Value{Type: t, Duration: x.dur, Int: x.num, Decimal: x.dec}, nil
	}
	// Median and percentiles, by nearest rank.
	switch t {
	case dsl.Duration:
		v, err := exact.PercentileDuration(oa.durs, o.Percentile)
		return contract.Value{Type: t, Duration: v}, err
	case dsl.Int:
		v, err := exact.PercentileDecimal(intsToDecimals(oa.ints), o.Percentile)
		return contract.Value{Type: t, Int: int(v.IntPart()), Decimal: v}, err
	}
	v, err := exact.PercentileDecimal(oa.decs, o.Percentile)
	return contract.Value{Type: t, Decimal: v}, err
}

func intsToDecimals(is []int) []decimal.Decimal {
	out := make([]decimal.Decimal, len(is))
	for i, v := range is {
		out[i] = decimal.NewFromInt(int64(v))
	}
	return out
}

// downtime merges the outage spans of a period, so that overlaps count
// once, and returns their open time on the service calendar.
func downtime(rt *ruleRT, spans []outageSpan) time.Duration {
	ivs := make([]struct{ s, e time.Time }, len(spans))
	for i, sp := range spans {
		ivs[i].s, ivs[i].e = sp.start, sp.end
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].s.Before(ivs[j].s) })
	var total time.Duration
	var cs, ce time.Time
	for i, iv := range ivs {
		if i > 0 && !iv.s.After(ce) {
			if iv.e.After(ce) {
				ce = iv.e
			}
			continue
		}
		if i > 0 {
			total += rt.availCal.Between(cs, ce)
		}
		cs, ce = iv.s, iv.e
	}
	if len(ivs) > 0 {
		total += rt.availCal.Between(cs, ce)
	}
	return total
}

// compare tells whether a value meets an objective's comparison.
func compare(v contract.Value, op string, threshold contract.Value) bool {
	c := v.Cmp(threshold)
	return compareResult(c, op)
}

func compareResult(c int, op string) bool {
	switch op {
	case ">=":
		return c >= 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case "<":
		return c < 0
	case "==":
		return c == 0
	}
	return false
}

// meets tells exactly whether a measure meets its objective: a share is
// compared as num op threshold × den, without dividing.
func meets(m measured, o contract.Objective) bool {
	if m.share {
		return compareResult(m.num.Cmp(o.Threshold.Decimal.Mul(m.den)), o.Op)
	}
	v := m.value
	if o.Threshold.Type == dsl.Decimal && v.Type == dsl.Int {
		v = contract.Value{Type: dsl.Decimal, Decimal: decimal.NewFromInt(int64(v.Int))}
	}
	return compare(v, o.Op, o.Threshold)
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

// figures are what the penalty formulas of a rule see of a period.
type figures struct {
	p                     contract.Period
	cy                    int
	eligible, met, missed int
	excluded              int
	breached              bool
	consecutive           int
	late                  time.Duration
	invoice               decimal.Decimal
	fees                  map[string]decimal.Decimal
	main                  measured
	objective             contract.Objective
}

// components computes a penalty or a bonus: the sum of its components,
// each capped by its max.
func (b *builder) components(rt *ruleRT, comps []contract.Component, offset int, a *acc, f figures, bonus bool, status Status) (decimal.Decimal, error) {
	var total decimal.Decimal
	for k, comp := range comps {
		var v decimal.Decimal
		var err error
		switch rt.objs[0].Type() {
		case dsl.Duration:
			v, err = component(comp, periodEnv[time.Duration](f, func(v contract.Value) time.Duration { return v.Duration }), a.perItem[offset+k], f, bonus, status)
		case dsl.Int:
			v, err = component(comp, periodEnv[int](f, func(v contract.Value) int { return v.Int }), a.perItem[offset+k], f, bonus, status)
		default:
			v, err = component(comp, periodEnv[decimal.Decimal](f, func(v contract.Value) decimal.Decimal { return v.Decimal }), a.perItem[offset+k], f, bonus, status)
		}
		if err != nil {
			return total, err
		}
		if v.IsNegative() {
			return total, fmt.Errorf("a formula gave a negative amount, %s", v)
		}
		total = total.Add(v)
	}
	return total, nil
}

// periodEnv builds the environment of the formulas of a period.
func periodEnv[M dsl.Measure](f figures, get func(contract.Value) M) *dsl.Period[M] {
	env := &dsl.Period[M]{
		Start: f.p.Start, End: f.p.End, Month: int(f.p.Start.Month()), Year: f.p.Start.Year(), ContractYear: f.cy,
		Eligible: f.eligible, Met: f.met, Missed: f.missed, Excluded: f.excluded,
		Breached: f.breached, Consecutive: f.consecutive, Late: f.late, Invoice: f.invoice, Fees: f.fees,
	}
	o := f.objective
	env.Objective = get(o.Threshold)
	if f.main.ok {
		env.Achieved = get(f.main.value)
		env.Shortfall = get(shortfall(f.main, o))
	}
	return env
}

// shortfall is how far the achieved value is from the objective on the
// wrong side, zero when it is met.
func shortfall(m measured, o contract.Objective) contract.Value {
	v := contract.Value{Type: o.Threshold.Type}
	if meets(m, o) {
		return v
	}
	switch o.Threshold.Type {
	case dsl.Duration:
		v.Duration = m.value.Duration - o.Threshold.Duration
		if o.HigherIsBetter() {
			v.Duration = -v.Duration
		}
	case dsl.Int:
		v.Int = m.value.Int - o.Threshold.Int
		if o.HigherIsBetter() {
			v.Int = -v.Int
		}
		v.Decimal = decimal.NewFromInt(int64(v.Int))
	default:
		num, den := shortfallRatio(m, o)
		v.Decimal = num.DivRound(den, dsl.QuotientPlaces)
	}
	return v
}

// shortfallRatio is the shortfall of a decimal measure as an exact
// fraction, for counting started points without rounding.
func shortfallRatio(m measured, o contract.Objective) (decimal.Decimal, decimal.Decimal) {
	num, den := m.num, m.den
	if !m.share {
		num, den = m.value.Decimal, decimal.NewFromInt(1)
	}
	diff := o.Threshold.Decimal.Mul(den).Sub(num) // (threshold − achieved) × den
	if !o.HigherIsBetter() {
		diff = diff.Neg()
	}
	if diff.IsNegative() {
		diff = decimal.Zero
	}
	return diff, den
}

var onePoint = decimal.New(1, -2)

// component computes one component of a penalty or a bonus.
func component[E dsl.Env](comp contract.Component, env *E, perItem decimal.Decimal, f figures, bonus bool, status Status) (decimal.Decimal, error) {
	applies := status == StatusBreached
	if bonus {
		applies = status == StatusMet
	}
	if p, err := program[E](comp.When); err != nil {
		return decimal.Zero, err
	} else if p != nil {
		ok, err := dsl.EvalAs[bool](p, env)
		if err != nil {
			return decimal.Zero, err
		}
		applies = ok
	}
	if !applies {
		return decimal.Zero, nil
	}
	amount := func() (decimal.Decimal, error) {
		p, err := program[E](comp.Amount)
		if err != nil || p == nil {
			return decimal.Zero, err
		}
		return dsl.EvalAs[decimal.Decimal](p, env)
	}
	var v decimal.Decimal
	var err error
	switch comp.Form {
	case contract.FormAmount:
		v, err = amount()
	case contract.FormPerMissed:
		v, err = amount()
		v = v.Mul(decimal.NewFromInt(int64(f.missed)))
	case contract.FormPerPoint:
		v, err = amount()
		num, den := shortfallRatio(f.main, f.objective)
		v = v.Mul(startedPoints(num, den))
	case contract.FormPerItem:
		v = perItem
	case contract.FormTiers:
		for _, t := range comp.Tiers {
			if tierContains(t.Range, f.main) {
				p, perr := program[E](t.Amount)
				if perr != nil {
					return decimal.Zero, perr
				}
				v, err = dsl.EvalAs[decimal.Decimal](p, env)
				break
			}
		}
	}
	if err != nil {
		return decimal.Zero, err
	}
	if p, err := program[E](comp.Max); err != nil {
		return decimal.Zero, err
	} else if p != nil {
		limit, err := dsl.EvalAs[decimal.Decimal](p, env)
		if err != nil {
			return decimal.Zero, err
		}
		v = decimal.Min(v, limit)
	}
	return v, nil
}

// startedPoints counts the started points (1%) of a shortfall num / den:
// 1.5 points is 2 started points, exactly 1 point is 1.
func startedPoints(num, den decimal.Decimal) decimal.Decimal {
	if !num.IsPositive() || !den.IsPositive() {
		return decimal.Zero
	}
	q, r := num.QuoRem(onePoint.Mul(den), 0)
	if r.IsPositive() {
		q = q.Add(decimal.NewFromInt(1))
	}
	return q
}

// tierContains tells whether a tier's range contains the achieved value,
// exactly for shares.
func tierContains(r contract.Range, m measured) bool {
	if !m.ok {
		return false
	}
	if !m.share {
		return r.Contains(m.value)
	}
	cmp := func(bound contract.Value) int { return m.num.Cmp(bound.Decimal.Mul(m.den)) }
	if !r.LowUnbounded {
		c := cmp(r.Low)
		if c < 0 || (c == 0 && !r.LowInclusive) {
			return false
		}
	}
	if !r.HighUnbounded {
		c := cmp(r.High)
		if c > 0 || (c == 0 && !r.HighInclusive) {
			return false
		}
	}
	return true
}

// report assembles the report from the rows in range.
func (b *builder) report() *Report {
	c := b.c
	rep := &Report{
		Contract: c.Name(), File: c.File(), Currency: c.Currency(), Locale: c.Locale(), AsOf: b.asOf.In(c.Location()),
		Netting: c.Pipeline().Netting, Rules: ruleInfos(c),
		Periods: []PeriodReport{}, Records: map[string]*RecordCount{}, Rejected: []Rejection{}, Errors: []RuleError{}, Warnings: []string{},
		Totals: Totals{ContractYears: map[string]YearTotals{}},
	}
	warned := map[string]bool{}
	warn := func(w string) {
		if !warned[w] {
			warned[w] = true
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	for _, w := range b.warnings {
		warn(w)
	}
	for ri := b.first; ri < len(b.rowsAll); ri++ {
		p := b.rowsAll[ri]
		if rep.From.IsZero() {
			rep.From = p.Start
		}
		rep.To = p.End
		pr := PeriodReport{Period: p.String(), Start: p.Start, End: p.End, ContractYear: c.ContractYear(p.Start),
			Rules: []RuleReport{}, Steps: []TraceLine{}}
		pr.Invoice = b.invoiceReport(p, warn)
		for _, cl := range b.cells[ri] {
			r := cl.rep
			r.Penalty, r.Bonus = Money{cl.penalty}, Money{cl.bonus}
			if r.Steps == nil {
				r.Steps = []TraceLine{}
			}
			pr.Rules = append(pr.Rules, r)
		}
		rs := b.rowStates[ri]
		if rs.steps != nil {
			pr.Steps = rs.steps
		}
		pr.Penalties, pr.Bonuses, pr.Net = Money{rs.penalties}, Money{rs.bonuses}, Money{rs.net}
		rep.Periods = append(rep.Periods, pr)

		t := &rep.Totals
		t.Invoice.Decimal = t.Invoice.Add(pr.Invoice.Total.Decimal)
		t.Penalties.Decimal = t.Penalties.Add(rs.penalties)
		t.Bonuses.Decimal = t.Bonuses.Add(rs.bonuses)
		t.Net.Decimal = t.Net.Add(rs.net)
		key := strconv.Itoa(pr.ContractYear)
		y := t.ContractYears[key]
		y.Invoice.Decimal = y.Invoice.Add(pr.Invoice.Total.Decimal)
		y.Penalties.Decimal = y.Penalties.Add(rs.penalties)
		y.Bonuses.Decimal = y.Bonuses.Add(rs.bonuses)
		y.Net.Decimal = y.Net.Add(rs.net)
		t.ContractYears[key] = y
	}
	b.e.st.records.each(func(src contract.Source, t *tallies) { rep.Records[string(src)] = t.report() })
	rep.Rejected = append(rep.Rejected, b.e.st.rejected...)
	slices.SortFunc(rep.Rejected, func(x, y Rejection) int {
		return strings.Compare(fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", x.Source, x.Line, x.ID, x.Column, x.Error),
			fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", y.Source, y.Line, y.ID, y.Column, y.Error))
	})
	rep.Errors = append(append(rep.Errors, b.e.st.errors...), b.errors...)
	slices.SortFunc(rep.Errors, func(x, y RuleError) int {
		return strings.Compare(x.Rule+"\x00"+x.Period+"\x00"+x.Item+"\x00"+x.Error, y.Rule+"\x00"+y.Period+"\x00"+y.Item+"\x00"+y.Error)
	})
	rep.Errors = slices.Compact(rep.Errors)
	return rep
}

func ruleInfos(c *contract.Contract) []RuleInfo {
	var out []RuleInfo
	for _, r := range c.Rules() {
		out = append(out, RuleInfo{ID: r.ID, Name: r.Name, Clause: r.Clause, Source: string(r.Source), Period: string(r.Period),
			Measure: r.Objective.Measure, Unit: r.Objective.Unit(), Op: r.Objective.Op, Objective: quantityOf(r.Objective.Threshold), ObjectiveText: r.Objective.Text})
	}
	return out
}

// invoiceReport is the bill of a row, month by month added up.
func (b *builder) invoiceReport(p contract.Period, warn func(string)) InvoiceReport {
	ir := InvoiceReport{Lines: []InvoiceLine{}}
	idx := map[string]int{}
	for mi, m := range b.months {
		if !m.Start.Before(p.End) || !m.End.After(p.Start) {
			continue
		}
		inv := b.invoice(mi)
		for _, w := range inv.Warnings {
			ir.Warnings = append(ir.Warnings, w)
			warn(w)
		}
		ir.Total.Decimal = ir.Total.Add(inv.Total)
		for _, l := range inv.Lines {
			i, ok := idx[l.Unit]
			if !ok {
				i = len(ir.Lines)
				idx[l.Unit] = i
				ir.Lines = append(ir.Lines, InvoiceLine{Unit: l.Unit, Name: l.Name, Revision: Number{l.Revision}, Fixed: l.Fixed})
				if !l.Fixed && len(l.Bands) == 0 {
					ir.Lines[i].UnitPrice = &Money{l.UnitPrice}
				}
			}
			line := &ir.Lines[i]
			line.Quantity.Decimal = line.Quantity.Add(l.Quantity)
			line.Amount.Decimal = line.Amount.Add(l.Amount)
			for _, bl := range l.Bands {
				line.Bands = append(line.Bands, BandLine{From: Number{bl.From}, To: Number{bl.To}, Quantity: Number{bl.Quantity},
					UnitPrice: Money{bl.UnitPrice}, Amount: Money{bl.Amount}})
			}
		}
	}
	return ir
}
