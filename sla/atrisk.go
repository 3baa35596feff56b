package sla

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// RiskOptions are the provider's operating settings for live control:
// not clauses of the contract, but how closely the provider watches it.
// They come from an options file or flags, never from the signed
// contract file.
type RiskOptions struct {
	// Thresholds are the shares of the allowance at which a running timer
	// raises an alert, in increasing order (0.5, 0.75, 0.9 by default).
	Thresholds []decimal.Decimal `json:"thresholds" yaml:"thresholds"`
	// Targets are internal targets tighter than the contract's deadlines
	// (OLAs), by rule ID: the open time the provider allows itself.
	Targets map[string]time.Duration `json:"targets,omitempty" yaml:"targets,omitempty"`
}

// DefaultRisk returns the usual alert thresholds: 50 %, 75 % and 90 % of
// the allowance, and no internal target.
func DefaultRisk() RiskOptions {
	return RiskOptions{Thresholds: []decimal.Decimal{decimal.New(5, -1), decimal.New(75, -2), decimal.New(9, -1)}}
}

// check refuses thresholds out of (0, 1] or out of order, and targets
// that are not positive.
func (o RiskOptions) check() error {
	var errs []error
	for i, t := range o.Thresholds {
		if !t.IsPositive() || t.GreaterThan(decimal.NewFromInt(1)) {
			errs = append(errs, fmt.Errorf("sla: alert threshold %s is not in (0, 1]", t))
		}
		if i > 0 && !t.GreaterThan(o.Thresholds[i-1]) {
			errs = append(errs, fmt.Errorf("sla: alert thresholds must increase: %s after %s", t, o.Thresholds[i-1]))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(o.Targets)) {
		if o.Targets[id] <= 0 {
			errs = append(errs, fmt.Errorf("sla: internal target of %s must be positive, not %s", id, o.Targets[id]))
		}
	}
	return errors.Join(errs...)
}

// RiskItem is a running timer at risk: its breach instant, what its breach
// would add to the penalty of its period, and the provider's internal
// target when it has one.
type RiskItem struct {
	Timer
	// Cost is what the penalties of its rule would grow by if this item
	// missed, through the contract's pipeline with the earlier periods:
	// counted met now (as if it stopped), its miss takes that back and
	// lands in the period of its breach instant. Zero when that period is
	// lost already, or capped.
	Cost Money `json:"cost"`
	// Accrued is the item's own per-item penalty if it stopped now (a
	// penalty per late hour keeps accruing once breached).
	Accrued Money `json:"accrued"`
	// TargetAt is the instant the internal target is reached if the clock
	// runs on from now; zero without a target. TargetMissed says it was.
	TargetAt     time.Time `json:"target_at,omitzero"`
	TargetMissed bool      `json:"target_missed,omitempty"`
}

// MarshalJSON writes the item as its timer with the figures of the risk.
func (r RiskItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		timerJSON
		Cost         Money     `json:"cost"`
		Accrued      Money     `json:"accrued"`
		TargetAt     time.Time `json:"target_at,omitzero"`
		TargetMissed bool      `json:"target_missed,omitempty"`
	}{r.Timer.wire(), r.Cost, r.Accrued, r.TargetAt, r.TargetMissed})
}

// Projection is a rule's period projected to its end at the rates so
// far: the items it would have, and its outcome and penalty then.
type Projection struct {
	Rule     string `json:"rule"`
	Period   string `json:"period"`
	Eligible int    `json:"eligible"`
	Missed   int    `json:"missed"`
	Status   Status `json:"status"`
	Due      Money  `json:"due"`
}

// RiskReport is what is at risk at an instant: the running items, by
// breach instant, those paused with none last (ByCost orders the same by
// the euros at stake), and the
// end-of-period projection of each rule counting items.
type RiskReport struct {
	AsOf        time.Time    `json:"as_of"`
	Items       []RiskItem   `json:"items"`
	Projections []Projection `json:"projections"`
}

// ByCost returns the items ordered by what their breach would add, the
// most first, then by what they have accrued, then by breach instant.
func (r *RiskReport) ByCost() []RiskItem {
	out := slices.Clone(r.Items)
	slices.SortStableFunc(out, func(a, b RiskItem) int {
		return cmp.Or(b.Cost.Cmp(a.Cost.Decimal), b.Accrued.Cmp(a.Accrued.Decimal))
	})
	return out
}

// soonest orders breach instants, the soonest first and none (a clock
// paused within its deadline) last: it is the furthest from a breach.
func soonest(a, b time.Time) int {
	if a.IsZero() != b.IsZero() {
		if a.IsZero() {
			return 1
		}
		return -1
	}
	return a.Compare(b)
}

// FieldFilter keeps the tickets whose field has the value: id, kind,
// priority, service, category, group, status, level, exclusion, or else
// the attribute of that name (a site, a region…). A name that is neither
// keeps no ticket: a caller reading names from its users checks them.
func FieldFilter(field, value string) func(*pacte.Ticket) bool {
	get := func(t *pacte.Ticket) string {
		switch strings.ToLower(field) {
		case "id":
			return t.ID
		case "exclusion":
			return t.Exclusion
		case "kind":
			return t.Kind
		case "priority":
			return t.Priority
		case "service":
			return t.Service
		case "category":
			return t.Category
		case "group":
			return t.Group
		case "status":
			return t.Status
		case "level":
			return strconv.Itoa(t.Level)
		}
		return t.Attrs[field]
	}
	return func(t *pacte.Ticket) bool { return get(t) == value }
}

// AtRisk returns the running items of the open tickets that keep (nil:
// all), and the projection of every rule that counts items.
func (l *Live) AtRisk(now time.Time, keep func(*pacte.Ticket) bool) (*RiskReport, error) {
	w, _, err := l.stateAt(now)
	if err != nil {
		return nil, err
	}
	rr := &RiskReport{AsOf: now.In(w.c.Location()), Items: []RiskItem{}, Projections: []Projection{}}
	var aux []riskAux // by item
	for _, lt := range l.list {
		if keep == nil || keep(&lt.t) {
			rr.Items, aux = l.riskItems(rr.Items, aux, lt, now)
		}
	}
	// A miss lands in the period of the item's breach (of now, for an
	// item paused with no breach instant yet): the report reaches it.
	until := now
	for _, it := range rr.Items {
		if it.BreachAt.After(until) {
			until = it.BreachAt
		}
	}
	rep, err := l.reportAt(w, now, until)
	if err != nil {
		return nil, err
	}
	costs := map[costKey]Money{}
	for i := range rr.Items {
		it := &rr.Items[i]
		if aux[i].feeCoefs != nil {
			it.Accrued = Money{it.Accrued.Add(feeAmount(aux[i].feeCoefs, feesOf(rep, aux[i].rule, now)))}
		}
		if !it.Breached {
			if it.Cost, err = l.missCost(w, &aux[i], it.BreachAt, now, rep, costs); err != nil {
				return nil, err
			}
		}
	}
	slices.SortStableFunc(rr.Items, func(a, b RiskItem) int {
		return cmp.Or(soonest(a.BreachAt, b.BreachAt), strings.Compare(a.Ticket, b.Ticket), strings.Compare(a.Rule, b.Rule))
	})
	rr.Projections, err = l.project(w, now)
	return rr, err
}

// riskAux is what AtRisk keeps of an item beside it, for its figures.
type riskAux struct {
	rule *preparedRule
	// feeCoefs are the fee coefficients of its per-item penalty, nil when
	// it names no fee: the fee part of what it accrued.
	feeCoefs map[string]decimal.Decimal
	// counted are its measures as the state counts it at now, met in the
	// period of now as if it stopped then; counted says that it is so.
	measures [2]itemMeasure
	counted  bool
}

// costKey is what the cost of a miss depends on: the period it lands in,
// and the period the item is counted in as met now with its measures
// (from.rule < 0 when it is not counted).
type costKey struct {
	to, from accKey
	holds    [2]bool
}

// missCost is what an item's miss would add to the penalties of its rule:
// its count as met in the period of now is taken back, and a miss lands
// in the period of its breach instant (of now without one), under the
// version of its rule in force then; costs keeps those found.
func (l *Live) missCost(w *Evaluator, x *riskAux, breachAt, now time.Time, rep *Report, costs map[costKey]Money) (Money, error) {
	at := breachAt
	if at.IsZero() {
		at = now
	}
	pi := x.rule.periods.find(at)
	if pi < 0 {
		return Money{decimal.Zero}, nil
	}
	rule := x.rule.at(pi)
	k := costKey{to: accKey{rule.idx, pi}, from: accKey{-1, -1}}
	var from *preparedRule
	if pn := x.rule.periods.find(now); x.counted && pn >= 0 && !slices.ContainsFunc(x.rule.plans[:x.rule.nObjs], func(p objectivePlan) bool { return p.stat }) {
		from = x.rule.at(pn)
		k.from, k.holds = accKey{from.idx, pn}, [2]bool{x.measures[0].holds, x.measures[1].holds}
	}
	if c, ok := costs[k]; ok {
		return c, nil
	}
	c, err := l.oneMore(w, rule, pi, from, k.from.period, &x.measures, rep)
	costs[k] = c
	return c, err
}

// oneMore is what one more miss in a rule's period pi would add to the
// penalties of the rule, through the pipeline, when the item that misses
// is taken back from the period pf of the version from, where it counts
// with measures ms (from nil: it is counted nowhere).
func (l *Live) oneMore(w *Evaluator, rule *preparedRule, pi int, from *preparedRule, pf int, ms *[2]itemMeasure, rep *Report) (Money, error) {
	miss, _, ok := synthetic(rule)
	if !ok {
		return Money{decimal.Zero}, nil
	}
	b := &builder{e: w, c: w.c}
	peek := func(r *preparedRule, k accKey) *acc {
		if a := w.st.peek(k); a != nil {
			return a
		}
		return newAcc(r)
	}
	kTo := accKey{rule.idx, pi}
	origTo := peek(rule, kTo)
	defer w.st.put(kTo, origTo)
	var kFrom accKey
	if from != nil {
		kFrom = accKey{from.idx, pf}
		origFrom := peek(from, kFrom)
		defer w.st.put(kFrom, origFrom)
		pr := prober{b: b, rule: from, p: from.periods.periods[pf], a: origFrom}
		w.st.put(kFrom, pr.without(ms))
	}
	pr := prober{b: b, rule: rule, p: rule.periods.periods[pi], a: peek(rule, kTo)}
	w.st.put(kTo, pr.with(&miss, 1, true))
	more, err := w.report(l.cfg.volumes, l.cfg.indices, w.st)
	if err != nil {
		return Money{}, err
	}
	grown := func(id string, p contract.Period) decimal.Decimal {
		return penaltyIn(more, id, p).Sub(penaltyIn(rep, id, p).Decimal)
	}
	cost := grown(rule.def.ID, pr.p)
	if from != nil && kFrom != kTo {
		cost = cost.Add(grown(from.def.ID, from.periods.periods[pf]))
	}
	return Money{cost}, nil
}

// riskItems appends the running items of an open ticket, and what
// AtRisk keeps beside them; their costs, and the fee part of what they
// accrued, are left to AtRisk, which knows the fees of the period.
func (l *Live) riskItems(dst []RiskItem, aux []riskAux, lt *liveTicket, now time.Time) ([]RiskItem, []riskAux) {
	e := l.e
	env := &e.tenv
	*env = dsl.Ticket{Ticket: &lt.t}
	e.pauseFrom = nil
	clear(e.scopes)
	var tally recordTally
	for i, rule := range e.ticketRules {
		if rule.cal == nil || rule.deadline == nil || lt.marks[i]&markTaken == 0 || !rule.inForceAt(now) || !inScope(e, rule, &rule.tickets.scope, env, lt.t.ID, &tally) {
			continue
		}
		it := RiskItem{Timer: Timer{Rule: rule.def.ID, Ticket: lt.t.ID}}
		e.timer(rule, env, now, &it.Timer, true)
		if it.Stage != StageRunning && it.Stage != StagePaused {
			continue
		}
		it.CalendarChange, it.CalendarOpens = e.calendarChange(clockCalendar(rule, env), now)
		it.Cost = Money{decimal.Zero}
		x := riskAux{rule: rule}
		env.Late = max(env.Elapsed-env.Budget, 0)
		if amount, err := perItemAmounts(e, rule, rule.tickets, env); err == nil {
			it.Accrued = Money{amount}
			if e.itemFeeListed {
				x.feeCoefs = itemFeeCoefficients(e, rule)
			}
		}
		if t := l.cfg.risk.Targets[rule.def.ID]; t > 0 {
			it.TargetMissed = env.Elapsed >= t
			if at := deadlineInstant(clockCalendar(rule, env), it.Start, t, env.Paused); at.Before(calendar.Never) && (it.Stage == StageRunning || it.TargetMissed) {
				it.TargetAt = at
			}
		}
		if !it.Breached {
			x.measures, x.counted = countedMet(rule, env, now)
		}
		dst, aux = append(dst, it), append(aux, x)
	}
	return dst, aux
}

// countedMet returns the measures of a running item within its deadline
// as the live state counts it, met as if it stopped at now; ok is false
// when it is not counted so (a measure fails, or it counts as missed).
func countedMet(rule *preparedRule, env *dsl.Ticket, now time.Time) (ms [2]itemMeasure, ok bool) {
	env.Stop, env.OnTime, env.Late = now, true, 0
	for j := range rule.objs {
		if err := measure(rule, j, rule.tickets, env, &ms[j]); err != nil {
			return ms, false
		}
	}
	return ms, ms[0].eligible && !counts(&ms[0], &rule.plans[0])
}

// feesOf returns the fees of the rule's period running at now, in which
// an item stopped now would count, as the report bills them: the lines of
// the invoices of its months that the report holds.
func feesOf(rep *Report, rule *preparedRule, now time.Time) map[string]decimal.Decimal {
	fees := map[string]decimal.Decimal{}
	pi := rule.periods.find(now)
	if pi < 0 {
		return fees
	}
	p := rule.periods.periods[pi]
	for _, pr := range rep.Periods {
		if !pr.Start.Before(p.End) || !pr.End.After(p.Start) {
			continue
		}
		for _, line := range pr.Invoice.Lines {
			fees[line.Unit] = fees[line.Unit].Add(line.Amount.Decimal)
		}
	}
	return fees
}

// feeAmount is Σ coefficient × fee, what fees add to a per-item amount.
func feeAmount(coefs, fees map[string]decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for u, c := range coefs {
		sum = sum.Add(c.Mul(fees[u]))
	}
	return sum
}

// scaled is n × num ÷ den rounded down, for n, num ≥ 0 and den > 0,
// exact whatever the size of the product (items times a month in
// nanoseconds), and at most maxProbeCount: beyond, no number of items
// changes an outcome.
func scaled(n int, num, den int64) int {
	hi, lo := bits.Mul64(uint64(n), uint64(num))
	if hi >= uint64(den) {
		return maxProbeCount
	}
	q, _ := bits.Div64(hi, lo, uint64(den))
	return int(min(q, maxProbeCount))
}

// project projects each rule that counts items to the end of its period
// at the rates so far: the items grow in proportion to the period's time
// gone, missed in the same share as now.
func (l *Live) project(w *Evaluator, now time.Time) ([]Projection, error) {
	var out []Projection
	saved := map[accKey]*acc{}
	type projected struct {
		rule *preparedRule
		p    contract.Period
		k    accKey
	}
	var ps []projected
	for _, own := range w.rules {
		pi := own.periods.find(now)
		if pi < 0 || own.isVersion() {
			continue // a rule's versions follow every rule: the one in force is taken at its place
		}
		rule := own.at(pi)
		if rule.plans[0].stat || rule.plans[0].of == contract.OfUptime || rule.plans[0].of == contract.OfNothing {
			continue
		}
		miss, met, ok := synthetic(rule)
		if !ok {
			continue
		}
		p := rule.periods.periods[pi]
		k := accKey{rule.idx, pi}
		a := w.st.peek(k)
		if a == nil {
			a = newAcc(rule)
		}
		gone, whole := now.Sub(p.Start), p.End.Sub(p.Start)
		n, missed := a.objs[0].eligible, a.nMissed
		if gone <= 0 || n == 0 {
			continue
		}
		total := scaled(n, int64(whole), int64(gone))
		more := total - n
		moreMissed := scaled(more, int64(missed), int64(n))
		pr := prober{b: &builder{e: w, c: w.c}, rule: rule, p: p, a: a}
		x := pr.with(&miss, moreMissed, true)
		pr.a = x
		x = pr.with(&met, more-moreMissed, false)
		saved[k] = a
		w.st.put(k, x)
		ps = append(ps, projected{rule, p, k})
	}
	defer func() {
		for k, a := range saved {
			w.st.put(k, a)
		}
	}()
	if len(ps) == 0 {
		return []Projection{}, nil
	}
	rep, err := w.report(l.cfg.volumes, l.cfg.indices, w.st)
	if err != nil {
		return nil, err
	}
	b := &builder{e: w, c: w.c}
	for _, pj := range ps {
		x := w.st.peek(pj.k)
		main, applied, j, status := b.status(pj.rule, pj.p, x)
		r := b.ruleReport(pj.rule, pj.p, x, main, applied, j, status)
		out = append(out, Projection{Rule: pj.rule.def.ID, Period: pj.p.String(), Eligible: r.Eligible, Missed: r.Missed, Status: status,
			Due: penaltyIn(rep, pj.rule.def.ID, pj.p)})
	}
	return out, nil
}
