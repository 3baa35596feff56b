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
	// Cost is what the penalty of the period its miss would land in (that
	// of its breach instant) would grow by if this item missed (one more
	// miss, through the contract's pipeline with the earlier periods):
	// zero when that period is lost already, or capped.
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
	var rules []*preparedRule                 // by item
	var feeCoefs []map[string]decimal.Decimal // by item: the fee part of its accrued penalty
	for _, lt := range l.list {
		if keep == nil || keep(&lt.t) {
			rr.Items, rules, feeCoefs = l.riskItems(rr.Items, rules, feeCoefs, lt, now)
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
	costs := map[accKey]Money{}
	for i := range rr.Items {
		it := &rr.Items[i]
		if feeCoefs[i] != nil {
			it.Accrued = Money{it.Accrued.Add(feeAmount(feeCoefs[i], feesOf(rep, rules[i], now)))}
		}
		if !it.Breached {
			if it.Cost, err = l.missCost(w, rules[i], it.BreachAt, now, rep, costs); err != nil {
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

// missCost is what an item's miss would add to the penalty of the period
// it would land in, that of its breach instant (of now without one),
// under the version of its rule in force then; costs keeps those found.
func (l *Live) missCost(w *Evaluator, rule *preparedRule, breachAt, now time.Time, rep *Report, costs map[accKey]Money) (Money, error) {
	at := breachAt
	if at.IsZero() {
		at = now
	}
	pi := rule.periods.find(at)
	if pi < 0 {
		return Money{decimal.Zero}, nil
	}
	rule = rule.at(pi)
	k := accKey{rule.idx, pi}
	if c, ok := costs[k]; ok {
		return c, nil
	}
	c, err := l.oneMore(w, rule, pi, rep)
	costs[k] = c
	return c, err
}

// oneMore is what one more miss would add to a rule's penalty in period
// pi, through the pipeline.
func (l *Live) oneMore(w *Evaluator, rule *preparedRule, pi int, rep *Report) (Money, error) {
	p := rule.periods.periods[pi]
	k := accKey{rule.idx, pi}
	a := w.st.peek(k)
	if a == nil {
		a = newAcc(rule)
	}
	miss, _, ok := synthetic(rule)
	if !ok {
		return Money{decimal.Zero}, nil
	}
	pr := prober{b: &builder{e: w, c: w.c}, rule: rule, p: p, a: a}
	w.st.put(k, pr.with(&miss, 1, true))
	defer w.st.put(k, a)
	more, err := w.report(l.cfg.volumes, l.cfg.indices, w.st)
	if err != nil {
		return Money{}, err
	}
	return Money{penaltyIn(more, rule.def.ID, p).Sub(penaltyIn(rep, rule.def.ID, p).Decimal)}, nil
}

// riskItems appends the running items of an open ticket, their rules to
// rules, and to feeCoefs the fee coefficients of their per-item penalty
// (nil when it names no fee); their costs, and the fee part of what they
// accrued, are left to AtRisk, which knows the fees of the period.
func (l *Live) riskItems(dst []RiskItem, rules []*preparedRule, feeCoefs []map[string]decimal.Decimal, lt *liveTicket,
	now time.Time) ([]RiskItem, []*preparedRule, []map[string]decimal.Decimal) {
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
		env.Late = max(env.Elapsed-env.Budget, 0)
		var coefs map[string]decimal.Decimal
		if amount, err := perItemAmounts(e, rule, rule.tickets, env); err == nil {
			it.Accrued = Money{amount}
			if e.itemFeeListed {
				coefs = itemFeeCoefficients(e, rule)
			}
		}
		if t := l.cfg.risk.Targets[rule.def.ID]; t > 0 {
			it.TargetMissed = env.Elapsed >= t
			if at := deadlineInstant(clockCalendar(rule, env), it.Start, t, env.Paused); at.Before(calendar.Never) && (it.Stage == StageRunning || it.TargetMissed) {
				it.TargetAt = at
			}
		}
		dst, rules, feeCoefs = append(dst, it), append(rules, rule), append(feeCoefs, coefs)
	}
	return dst, rules, feeCoefs
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
