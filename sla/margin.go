package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// MarginReport is the margin left in the periods running at an instant:
// per rule, what the period holds so far and how much more it can take.
type MarginReport struct {
	AsOf   time.Time `json:"as_of"`
	Period string    `json:"period"` // the contract's period of AsOf
	// Invoice is the invoice of that period as the volumes so far give it
	// (the volumes counted up to AsOf, and those given): the base of the
	// penalties in percent of the invoice. InvoiceBasis says so.
	Invoice      Money  `json:"invoice"`
	InvoiceBasis string `json:"invoice_basis"`
	// Counting says how the tickets still running are counted.
	Counting string   `json:"counting"`
	Rules    []Margin `json:"rules"`
}

// Margin is one rule in its period running at an instant.
type Margin struct {
	Rule   string    `json:"rule"`
	Period string    `json:"period"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Source string    `json:"source"` // tickets, calls, outages or samples: what the counts count

	Eligible int `json:"eligible"`
	Met      int `json:"met"`
	Missed   int `json:"missed"`
	// Running are the tickets whose clock still runs within its deadline,
	// counted in Eligible and Met as if they stopped now.
	Running int `json:"running"`

	Unit          contract.Unit `json:"unit,omitempty"` // how the values read: ratio, duration, integer or number
	Achieved      *Quantity     `json:"achieved"`
	Op            string        `json:"op"`
	Objective     Quantity      `json:"objective"`
	ObjectiveText string        `json:"objective_text"`
	SmallVolume   bool          `json:"small_volume"`
	// Status is the period's if it ended now; no_data when the rule's
	// source was not given (see [LiveGiven]), with no margin then.
	Status Status `json:"status"`

	// Miss says what one more miss is in the rule's terms: a ticket past
	// its deadline, a call of the service level's variant answered late…
	Miss string `json:"miss,omitempty"`
	// MissesLeft is the largest k such that the objective still holds
	// with k more missed items (and k + 1 breaks it); nil when the period
	// is breached already, when no number of misses breaks it, when its
	// records were not given, and for measures that do not count items
	// (means, availability).
	MissesLeft *int `json:"misses_left"`
	// MetNeeded is, for a breached period, the least number of items on
	// time that would make it met again (the minimum volume's objective
	// may give way to the main one); nil when no number would.
	MetNeeded *int `json:"met_needed"`
	// Slack is, for a mean, the value the next item may have at most (at
	// least, for a minimum) with the objective still met.
	Slack *Quantity `json:"slack,omitempty"`
	// DowntimeLeft is, for an availability, the downtime the period can
	// still take against its whole service time, known in advance.
	DowntimeLeft *Seconds `json:"downtime_left,omitempty"`

	// Due is the penalty of the period as it stands, through the
	// contract's pipeline with the earlier periods Live has counted.
	Due Money `json:"due"`
	// AtStake is the penalty if the period ended breached now, by the
	// least further misses (or downtime, or the next mean's item) that
	// breach it, through the same pipeline: Due when it is breached.
	AtStake Money  `json:"at_stake"`
	Note    string `json:"note,omitempty"`
}

// The statements a margin report makes of its bases.
const (
	countingRunning = "tickets running within their deadline count as met, as if they stopped now; " +
		"those past it count as missed in the period of their deadline"
	invoiceBasis = "the volumes counted up to as_of and the volumes given for the period"
)

// Margin returns, for every rule with a period running at now, the margin
// left in it (see [Margin]). It needs the settled records: a Live made
// with [TimersOnly] returns [ErrTimersOnly].
func (l *Live) Margin(now time.Time) (*MarginReport, error) {
	w, running, err := l.stateAt(now)
	if err != nil {
		return nil, err
	}
	c := w.c
	mr := &MarginReport{AsOf: now.In(c.Location()), Counting: countingRunning, InvoiceBasis: invoiceBasis, Rules: []Margin{}}
	cp := c.PeriodOf(c.Period(), now)
	mr.Period = cp.String()
	rep, err := l.reportAt(w, now, now)
	if err != nil {
		return nil, err
	}
	for _, pr := range rep.Periods {
		if pr.Start.Equal(cp.Start) {
			mr.Invoice = pr.Invoice.Total
		}
	}
	b := &builder{e: w, c: c}
	for _, own := range w.rules {
		pi := own.periods.find(now)
		if pi < 0 || own.isVersion() {
			continue // a rule's versions follow every rule: the one in force is taken at its place
		}
		rule := own.at(pi)
		m, err := l.margin(w, b, rule, pi, rep, now)
		if err != nil {
			return nil, err
		}
		m.Running = running[rule.idx]
		mr.Rules = append(mr.Rules, m)
	}
	return mr, nil
}

// margin is the margin of one rule in its period pi.
func (l *Live) margin(w *Evaluator, b *builder, rule *preparedRule, pi int, rep *Report, now time.Time) (Margin, error) {
	p := rule.periods.periods[pi]
	k := accKey{rule.idx, pi}
	a := w.st.peek(k)
	if a == nil {
		a = newAcc(rule)
	}
	main, applied, j, status := b.status(rule, p, a)
	if !w.cfg.givenSource(rule.def.Source) {
		status = StatusNoData
	}
	rr := b.ruleReport(rule, p, a, main, applied, j, status)
	m := Margin{Rule: rule.def.ID, Period: p.String(), Start: p.Start, End: p.End, Source: string(rule.def.Source),
		Eligible: rr.Eligible, Met: rr.Met, Missed: rr.Missed, Unit: rr.Unit, Achieved: rr.Achieved, Op: rr.Op, Objective: rr.Objective,
		ObjectiveText: rr.ObjectiveText, SmallVolume: rr.SmallVolume, Status: status, Note: rr.Note}
	m.Miss = missText(&rule.plans[0], rule.objs[0])
	m.Due = penaltyIn(rep, rule.def.ID, p)
	m.AtStake = m.Due
	if status == StatusNoData {
		return m, nil // no margin to speak of: the period's records were not given
	}
	pr := prober{b: b, rule: rule, p: p, a: a}
	var breaching *acc // the least breach, for the penalty at stake
	switch plan := rule.plans[0]; {
	case plan.of == contract.OfUptime:
		breaching = pr.downtimeLeft(&m, now)
	case plan.of == contract.OfMean:
		breaching = pr.slack(&m)
	case plan.of == contract.OfNothing:
	default:
		breaching = pr.misses(&m, status)
	}
	if status == StatusBreached || breaching == nil {
		return m, nil
	}
	w.st.put(k, breaching)
	defer w.st.put(k, a)
	stake, err := w.report(l.cfg.volumes, l.cfg.indices, w.st)
	if err != nil {
		return m, err
	}
	m.AtStake = penaltyIn(stake, rule.def.ID, p)
	return m, nil
}

// reportAt is the report of the state of w, through the pipeline, whose
// range is the periods running from now to until: the contract's, and
// the longer ones of its rules.
func (l *Live) reportAt(w *Evaluator, now, until time.Time) (*Report, error) {
	w.cfg.from, w.cfg.to = w.c.PeriodOf(w.c.Period(), now).Start, w.c.PeriodOf(w.c.Period(), until).End
	for _, rule := range w.rules {
		if pi := rule.periods.find(until); pi >= 0 && rule.periods.periods[pi].End.After(w.cfg.to) {
			w.cfg.to = rule.periods.periods[pi].End
		}
		if pi := rule.periods.find(now); pi >= 0 && rule.periods.periods[pi].End.After(w.cfg.to) {
			w.cfg.to = rule.periods.periods[pi].End
		}
	}
	return w.report(l.cfg.volumes, l.cfg.indices, w.st)
}

// missText says what one more miss of an objective is.
func missText(plan *objectivePlan, o contract.Objective) string {
	within := exact.FormatDuration(plan.within)
	switch plan.item {
	case contract.ItemOnTime:
		return "an item past its deadline"
	case contract.ItemCondition:
		if strings.TrimSpace(o.Arg.Text) == "on_time" && plan.higher {
			return "an item past its deadline"
		}
		if plan.higher {
			return "an item for which " + o.Arg.Text + " does not hold"
		}
		return "an item for which " + o.Arg.Text + " holds"
	case contract.ItemAnswered:
		return "an offered call not answered (short abandons are not offered)"
	case contract.ItemAbandoned:
		return "an offered call abandoned (short abandons are not offered)"
	case contract.ItemFirstContact:
		return "an answered call not resolved at first contact"
	case contract.ItemAnsweredWithin:
		switch plan.variant {
		case variantAnswered:
			return "an answered call answered after " + within
		case variantAbandonsIgnored:
			return "a call not answered within " + within + " (calls abandoned within it are not counted)"
		case variantAbandonsMet:
			return "a call neither answered nor abandoned within " + within
		}
		return "an offered call not answered within " + within + " (short abandons are not offered)"
	case contract.ItemValue, contract.ItemWait:
		if plan.of == contract.OfMean {
			return "" // a mean has its slack instead
		}
		threshold := o.Threshold.String()
		if o.Threshold.Type == dsl.Duration {
			threshold = exact.FormatDuration(o.Threshold.Duration)
		}
		what := "value"
		if arg := strings.TrimSpace(o.Arg.Text); arg != "" {
			what = arg
		}
		return "an item whose " + what + " misses " + o.Op + " " + threshold
	}
	return ""
}

// penaltyIn is the penalty due of a rule's period in a report.
func penaltyIn(rep *Report, id string, p contract.Period) Money {
	for _, pr := range rep.Periods {
		for _, r := range pr.Rules {
			if r.ID == id && r.Start.Equal(p.Start) {
				return r.Penalty
			}
		}
	}
	return Money{decimal.Zero}
}

// prober asks the evaluation what a rule's period would be with more
// items: the objectives are measured and compared by the engine's own
// functions, over a copy of the period's accumulator with the items added.
type prober struct {
	b    *builder
	rule *preparedRule
	p    contract.Period
	a    *acc
}

// The most items a search adds: beyond it, no number of items changes
// the outcome. Statistics add their items one by one, counts at once.
const (
	maxProbeCount = 1 << 40
	maxProbeStat  = 1 << 20
)

// with returns a copy of the accumulator with n items of measures ms (one
// per objective) added; bad says that they count against the objective.
func (pr *prober) with(ms *[2]itemMeasure, n int, bad bool) *acc {
	a := pr.a
	x := &acc{objs: make([]objAcc, len(a.objs)), nMissed: a.nMissed, calls: a.calls, excluded: a.excluded, late: a.late,
		perItem: a.perItem, missed: a.missed, excludedItems: a.excludedItems, outages: a.outages}
	if bad {
		x.nMissed += n
	}
	for j := range a.objs {
		o := a.objs[j]
		plan := &pr.rule.plans[j]
		if plan.keep {
			o.durs, o.decs, o.ints = slices.Clone(o.durs), slices.Clone(o.decs), slices.Clone(o.ints)
		}
		o.addN(&ms[j], plan, n)
		x.objs[j] = o
	}
	return x
}

// addN adds n items of one measure.
func (o *objAcc) addN(m *itemMeasure, plan *objectivePlan, n int) {
	if n <= 0 || !m.eligible {
		return
	}
	if !plan.stat {
		o.eligible += n
		if m.holds {
			o.holds += n
		}
		return
	}
	for range n {
		o.add(m, plan)
	}
}

// breached tells whether the period with n more items of ms is breached.
func (pr *prober) breached(ms *[2]itemMeasure, n int, bad bool) bool {
	_, _, _, st := pr.b.status(pr.rule, pr.p, pr.with(ms, n, bad))
	return st == StatusBreached
}

// synthetic returns, per objective of the rule, the measure of an item
// that misses it and of one that meets it; ok is false for measures that
// do not count items.
func synthetic(rule *preparedRule) (miss, met [2]itemMeasure, ok bool) {
	for j := range rule.objs {
		plan := &rule.plans[j]
		switch plan.item {
		case contract.ItemOnTime:
			miss[j], met[j] = itemMeasure{eligible: true}, itemMeasure{eligible: true, holds: true}
		case contract.ItemCondition, contract.ItemAnswered, contract.ItemAbandoned, contract.ItemFirstContact, contract.ItemAnsweredWithin:
			miss[j], met[j] = itemMeasure{eligible: true, holds: !plan.higher}, itemMeasure{eligible: true, holds: plan.higher}
		case contract.ItemNothing:
			miss[j], met[j] = itemMeasure{eligible: true}, itemMeasure{eligible: true}
		case contract.ItemValue, contract.ItemWait:
			if plan.of == contract.OfMean {
				return miss, met, false
			}
			bad, good := around(rule.objs[j])
			miss[j], met[j] = valueMeasure(bad), valueMeasure(good)
		default:
			return miss, met, false
		}
	}
	return miss, met, true
}

// around returns a value that misses an objective's threshold by the
// least unit of its type (a nanosecond, 1), and one that meets it.
func around(o contract.Objective) (bad, good contract.Value) {
	t := o.Threshold
	step := func(v contract.Value, sign int64) contract.Value {
		switch v.Type {
		case dsl.Duration:
			v.Duration += time.Duration(sign)
		case dsl.Int:
			v.Int += int(sign)
			v.Decimal = decimal.NewFromInt(int64(v.Int))
		default:
			v.Decimal = v.Decimal.Add(decimal.NewFromInt(sign))
		}
		return v
	}
	worse := int64(1)
	if o.HigherIsBetter() {
		worse = -1
	}
	bad, good = step(t, worse), t
	if !compare(good, o.Op, t) {
		good = step(t, -worse)
	}
	return bad, good
}

func valueMeasure(v contract.Value) itemMeasure {
	m := itemMeasure{eligible: true, typ: v.Type, dur: v.Duration, num: v.Int, dec: v.Decimal}
	if v.Type == dsl.Int {
		m.dec = decimal.NewFromInt(int64(v.Int))
	}
	return m
}

// misses fills the margin of a measure that counts items: misses left,
// and the items on time needed when breached. It returns the accumulator
// of the least breach.
func (pr *prober) misses(m *Margin, status Status) *acc {
	miss, met, ok := synthetic(pr.rule)
	if !ok {
		return nil
	}
	limit := maxProbeCount
	if pr.rule.plans[0].stat {
		limit = maxProbeStat
	}
	if status == StatusBreached {
		if n, found := pr.first(limit, func(n int) bool { return !pr.breached(&met, n, false) }); found {
			m.MetNeeded = &n
		}
		return nil
	}
	k, found := pr.first(limit, func(n int) bool { return pr.breached(&miss, n, true) })
	if !found {
		m.Note = joinNote(m.Note, "no number of misses breaches the objective")
		return nil
	}
	left := k - 1
	m.MissesLeft = &left
	return pr.with(&miss, k, true)
}

// first returns the least n in [0, limit] for which f holds. Over the
// items added, f is monotone on either side of the minimum volume (below
// it the fallback objective applies, from it the main one), so each side
// is searched by doubling then halving.
func (pr *prober) first(limit int, f func(int) bool) (int, bool) {
	segments := [][2]int{{0, limit}}
	if sv := pr.rule.def.SmallVolume; sv != nil {
		if e0 := pr.a.objs[0].eligible; e0 < sv.Below {
			s := sv.Below - e0
			segments = [][2]int{{0, s - 1}, {s, limit}}
		}
	}
	for _, seg := range segments {
		if n, ok := firstIn(seg[0], seg[1], f); ok {
			return n, true
		}
	}
	return 0, false
}

// firstIn returns the least n in [lo, hi] for which f holds, f being
// false then true over the range.
func firstIn(lo, hi int, f func(int) bool) (int, bool) {
	if lo > hi {
		return 0, false
	}
	if f(lo) {
		return lo, true
	}
	prev, step := lo, 1 // f(prev) is false
	for {
		n := min(lo+step, hi)
		if f(n) {
			for n-prev > 1 { // f(prev) false, f(n) true
				mid := prev + (n-prev)/2
				if f(mid) {
					n = mid
				} else {
					prev = mid
				}
			}
			return n, true
		}
		if n == hi {
			return 0, false
		}
		prev, step = n, step*2
	}
}

// slack fills the margin of a mean: the value the next item may have.
// It returns the accumulator of the least breach.
func (pr *prober) slack(m *Margin) *acc {
	o := pr.rule.objs[0]
	oa := pr.a.objs[0]
	if sv := pr.rule.def.SmallVolume; sv != nil && oa.eligible+1 < sv.Below {
		// With one more item the period is still below its minimum
		// volume: the main objective does not apply to it yet.
		return nil
	}
	n := decimal.NewFromInt(int64(oa.n + 1))
	var sum decimal.Decimal
	switch o.Type() {
	case dsl.Duration:
		sum = oa.sumDuration()
	case dsl.Int:
		sum = decimal.NewFromInt(oa.sumInt)
	default:
		sum = oa.sumDec
	}
	// The value that brings the mean to the threshold exactly; the
	// engine's rounding of the mean moves the limit by less than n units
	// of the value, which the search below settles.
	v0 := o.Threshold.Decimal.Mul(n).Sub(sum)
	if o.Type() == dsl.Duration {
		v0 = decimal.NewFromInt(int64(o.Threshold.Duration)).Mul(n).Sub(sum)
	}
	ok := func(v decimal.Decimal) bool {
		ms := [2]itemMeasure{valueMeasure(valueOf(o.Type(), v))}
		if pr.rule.nObjs > 1 {
			ms[1] = itemMeasure{eligible: true}
		}
		return !pr.breached(&ms, 1, false)
	}
	higher := o.HigherIsBetter()
	var best decimal.Decimal
	found := false
	if o.Type() == dsl.Decimal {
		best, found = v0, ok(v0)
	} else {
		// The integer values around v0: the largest that holds (the least,
		// for a minimum).
		span := oa.n + 2
		base := v0.Floor().IntPart()
		lo, hi := base-int64(span), base+int64(span)
		for v := hi; v >= lo; v-- {
			x := v
			if higher {
				x = lo + hi - v
			}
			if ok(decimal.NewFromInt(x)) {
				best, found = decimal.NewFromInt(x), true
				break
			}
		}
	}
	if !found {
		return nil
	}
	q := quantityOf(valueOf(o.Type(), best))
	m.Slack = &q
	worse := decimal.NewFromInt(1)
	if higher {
		worse = worse.Neg()
	}
	ms := [2]itemMeasure{valueMeasure(valueOf(o.Type(), best.Add(worse)))}
	if pr.rule.nObjs > 1 {
		ms[1] = itemMeasure{eligible: true}
	}
	return pr.with(&ms, 1, true)
}

// valueOf is a decimal as a value of a type.
func valueOf(t dsl.Type, d decimal.Decimal) contract.Value {
	switch t {
	case dsl.Duration:
		return contract.Value{Type: t, Duration: time.Duration(d.IntPart())}
	case dsl.Int:
		return contract.Value{Type: t, Int: int(d.IntPart()), Decimal: d.Truncate(0)}
	}
	return contract.Value{Type: dsl.Decimal, Decimal: d}
}

// downtimeLeft fills the margin of an availability: the downtime the
// period can still take, against its whole service time. It returns the
// accumulator of the least breach, an outage from now on, or nil when the
// service time left in the period cannot hold it.
func (pr *prober) downtimeLeft(m *Margin, now time.Time) *acc {
	rule, p, o := pr.rule, pr.p, pr.rule.objs[0]
	service := rule.availCal.Between(p.Start, p.End)
	if service <= 0 {
		return nil
	}
	down := downtime(rule, pr.a.outages)
	meetsWith := func(extra int64) bool {
		num := decimal.NewFromInt(int64(service - down)).Sub(decimal.NewFromInt(extra))
		return meets(measured{ok: true, share: true, num: num, den: decimal.NewFromInt(int64(service))}, o)
	}
	if !meetsWith(0) {
		zero := Seconds(0)
		m.DowntimeLeft = &zero
		return nil
	}
	// The allowance service × (1 − objective), less the downtime so far;
	// the comparison of the engine settles the last nanosecond.
	allowed := decimal.NewFromInt(int64(service)).Mul(decimal.NewFromInt(1).Sub(o.Threshold.Decimal)).Floor().IntPart() - int64(down)
	x := max(allowed+1, 0)
	for x > 0 && !meetsWith(x) {
		x--
	}
	for meetsWith(x + 1) {
		x++
	}
	left := Seconds(x)
	m.DowntimeLeft = &left
	from := now
	if from.Before(p.Start) {
		from = p.Start
	}
	to := rule.availCal.Add(from, time.Duration(x+1))
	if to.Equal(calendar.Never) || to.After(p.End) {
		m.Note = joinNote(m.Note, fmt.Sprintf("the service time left in %s cannot hold the downtime that would breach it", p))
		return nil
	}
	a := pr.a
	x2 := *a
	x2.outages = append(slices.Clone(a.outages), outageSpan{id: "(at stake)", start: from, end: to, whole: to.Sub(from)})
	return &x2
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
