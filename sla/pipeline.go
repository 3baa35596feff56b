package sla

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/shopspring/decimal"
)

// rowState is what the pipeline keeps of a row of the table.
type rowState struct {
	steps     []TraceLine
	penalties decimal.Decimal
	bonuses   decimal.Decimal
	net       decimal.Decimal
}

// pipeline applies the contract's penalty pipeline to every cell of the
// table, leaving a trace line for each amount a step looks at. The steps
// the order gives before any cap (observation, franchise, repeat,
// rounding) act on each cell alone: they run cell by cell, in the order
// of what reads what (amounts computes each cell's amounts then), so that
// what a rule carried before the caps is known to the groups and rules
// that read it. The de minimis franchise, which adds up a whole span, is
// decided once every cell is known (deMinimis). The other steps then run
// one after the other over every cell.
func (b *builder) pipeline() {
	pl := b.c.Pipeline()
	b.rowStates = make([]rowState, len(b.rowsAll))
	pre, rest := splitOrder(pl.Order)
	b.beforeCaps(pl, pre)
	for _, st := range rest {
		switch st {
		case contract.StepObservation:
			o := observedOf(pl)
			b.each(func(_ int, cl *cell) { observation(o, cl) })
		case contract.StepFranchise:
			b.franchise(pl)
		case contract.StepRepeat:
			b.each(func(_ int, cl *cell) { repeat(pl, cl) })
		case contract.StepRounding:
			b.each(func(_ int, cl *cell) { rounding(pl.Rounding, cl) })
		case contract.StepRuleCaps:
			b.ruleCaps(pl.Rounding)
		case contract.StepMonthCap:
			b.monthCap(pl)
		case contract.StepYearCap:
			b.yearCap(pl)
		case contract.StepBonus:
			b.bonusStep(pl)
		}
	}
	for ri, cells := range b.cells {
		rs := &b.rowStates[ri]
		rs.penalties, rs.bonuses = decimal.Zero, decimal.Zero
		for _, cl := range cells {
			rs.penalties = rs.penalties.Add(cl.penalty)
			rs.bonuses = rs.bonuses.Add(cl.bonus)
		}
		rs.net = rs.penalties
		if pl.Netting {
			rs.net = rs.penalties.Sub(rs.bonuses)
		}
	}
}

// splitOrder splits the order of the steps into the steps that act on
// each cell alone and come first, and the rest.
func splitOrder(order []contract.Step) (pre, rest []contract.Step) {
	for i, st := range order {
		switch st {
		case contract.StepObservation, contract.StepFranchise, contract.StepRepeat, contract.StepRounding:
			continue
		}
		return order[:i], order[i:]
	}
	return order, nil
}

// beforeCaps computes the amounts of every cell, in time order then in
// the order of what reads what, each followed by the steps pre, then the
// de minimis franchise when pre holds it.
func (b *builder) beforeCaps(pl contract.Pipeline, pre []contract.Step) {
	used := map[string]bool{} // the first breaches waived, by rule and span
	o := observedOf(pl)
	for _, cl := range b.evaluationOrder() {
		b.amounts(cl)
		for _, st := range pre {
			switch st {
			case contract.StepObservation:
				observation(o, cl)
			case contract.StepFranchise:
				if fb := pl.FirstBreach; fb != nil {
					b.firstBreach(fb, cl, used)
				}
				cl.base, cl.dmAt = cl.penalty, len(cl.rep.Steps)
			case contract.StepRepeat:
				repeat(pl, cl)
			case contract.StepRounding:
				rounding(pl.Rounding, cl)
			}
		}
		cl.carried, cl.carriedBonus = cl.penalty, cl.bonus
	}
	if dm := pl.DeMinimis; dm != nil && slices.Contains(pre, contract.StepFranchise) {
		b.deMinimis(dm, true)
	}
}

func (cl *cell) trace(step contract.Step, kind AmountKind, before, after decimal.Decimal, note string) {
	if before.IsZero() && after.IsZero() {
		return
	}
	cl.rep.Steps = append(cl.rep.Steps, TraceLine{Step: step, Kind: kind, Before: Money{before}, After: Money{after}, Note: note})
}

// each calls f on every cell, in time order then rule order.
func (b *builder) each(f func(ri int, cl *cell)) {
	for ri, cells := range b.cells {
		for _, cl := range cells {
			f(ri, cl)
		}
	}
}

// observed is the observation period as its step reads it: the instant
// after its last day, and the note of its trace lines.
type observed struct {
	end  time.Time
	note string
}

// observedOf is the contract's observation period; nil without one.
func observedOf(pl contract.Pipeline) *observed {
	if pl.Observation == nil {
		return nil
	}
	return &observed{end: pl.Observation.Until.AddDate(0, 0, 1),
		note: "observation period until " + pl.Observation.Until.Format(time.DateOnly) + ": measured, not charged"}
}

func observation(o *observed, cl *cell) {
	if o == nil || !cl.period.Start.Before(o.end) {
		return
	}
	cl.trace(contract.StepObservation, PenaltyAmount, cl.penalty, decimal.Zero, o.note)
	cl.trace(contract.StepObservation, BonusAmount, cl.bonus, decimal.Zero, o.note)
	cl.penalty, cl.bonus = decimal.Zero, decimal.Zero
}

// spanKey names the period of a franchise or a cap a cell falls in.
func (b *builder) spanKey(cl *cell, per contract.PeriodKind) string {
	switch per {
	case contract.ContractYear:
		return "contract year " + strconv.Itoa(cl.cy)
	case contract.Year:
		return "year " + strconv.Itoa(cl.period.Start.Year())
	case contract.Term:
		return "the term"
	}
	return cl.period.String()
}

func (b *builder) franchise(pl contract.Pipeline) {
	if fb := pl.FirstBreach; fb != nil {
		used := map[string]bool{}
		b.each(func(_ int, cl *cell) { b.firstBreach(fb, cl, used) })
	}
	if dm := pl.DeMinimis; dm != nil {
		b.each(func(_ int, cl *cell) { cl.base, cl.dmAt = cl.penalty, len(cl.rep.Steps) })
		b.deMinimis(dm, false)
	}
}

// firstBreach waives the first breach of a rule in each span that
// carries a penalty; used holds the spans of each rule already waived. A
// group has no first breach of its own.
func (b *builder) firstBreach(fb *contract.FirstBreach, cl *cell, used map[string]bool) {
	if cl.group != nil || !cl.breached || !cl.penalty.IsPositive() || slices.Contains(fb.Except, cl.rule.def.ID) {
		return
	}
	key := cl.rule.def.ID + "|" + b.spanKey(cl, fb.Per)
	if used[key] {
		return
	}
	used[key] = true
	cl.trace(contract.StepFranchise, PenaltyAmount, cl.penalty, decimal.Zero, "first breach of "+b.spanKey(cl, fb.Per)+": waived")
	cl.penalty = decimal.Zero
}

// deMinimis waives the penalties of each span whose total is not above
// the threshold, the total taken over every period of the span with data,
// reported or not, of each cell's amount where the step stands in the
// order (its base). While the span is not over, or its data begins after
// its start, the total may still grow: the waiver is provisional, and the
// trace says so. The waiver is all or nothing for a span: decided after
// the steps that follow it (later, when they ran cell by cell), it takes
// its place in the trace, and the penalty lines of those steps, which
// would have seen nothing to act on, go.
func (b *builder) deMinimis(dm *contract.DeMinimis, later bool) {
	totals := map[string]decimal.Decimal{}
	b.each(func(_ int, cl *cell) {
		k := b.spanKey(cl, dm.Per)
		totals[k] = totals[k].Add(cl.base)
	})
	b.each(func(_ int, cl *cell) {
		k := b.spanKey(cl, dm.Per)
		if totals[k].GreaterThan(dm.Below) || !cl.base.IsPositive() {
			return
		}
		note := fmt.Sprintf("penalties of %s total %s, not above the de minimis %s: not due", k, totals[k].StringFixed(2), dm.Below.StringFixed(2))
		span := b.c.PeriodOf(dm.Per, cl.period.Start)
		partial := b.asOf.Before(span.End) || (len(b.rowsAll) > 0 && b.rowsAll[0].Start.After(span.Start))
		if partial {
			note += fmt.Sprintf("; the data given covers it from %s up to %s: provisional until %s", clock.Later(span.Start, b.rowsAll[0].Start).Format(time.DateOnly),
				clock.Earlier(b.asOf, span.End).In(b.c.Location()).Format("2006-01-02 15:04"), span.End.AddDate(0, 0, -1).Format(time.DateOnly))
		}
		line := TraceLine{Step: contract.StepFranchise, Kind: PenaltyAmount, Before: Money{cl.base}, After: Money{decimal.Zero}, Note: note, Provisional: partial}
		steps := append(slices.Clone(cl.rep.Steps[:cl.dmAt]), line)
		if later {
			for _, st := range cl.rep.Steps[cl.dmAt:] {
				if st.Kind != PenaltyAmount {
					steps = append(steps, st)
				}
			}
		}
		cl.rep.Steps = steps
		cl.penalty = decimal.Zero
	})
}

// repeat escalates the penalty of a rule breached periods in a row; a
// group's own repeat, when it has one, replaces the pipeline's.
func repeat(pl contract.Pipeline, cl *cell) {
	rp := pl.Repeat
	if cl.group != nil && cl.group.def.Repeat != nil {
		rp = cl.group.def.Repeat
	}
	if rp == nil || !cl.breached || cl.consecutive < rp.Consecutive || !cl.penalty.IsPositive() {
		return
	}
	after := cl.penalty.Mul(rp.Factor)
	cl.trace(contract.StepRepeat, PenaltyAmount, cl.penalty, after,
		fmt.Sprintf("breached %d periods in a row: × %s", cl.consecutive, rp.Factor))
	cl.penalty = after
}

func rounding(r contract.Rounding, cl *cell) {
	// The note says what the step did: the exact amount, the amount it
	// became, and the contract's rule.
	note := func(before, after decimal.Decimal) string {
		return fmt.Sprintf("%s rounded to %s (to %s, %s)", Money{before}.Text(), Money{after}.Text(), r.To, strings.ReplaceAll(string(r.Mode), "_", " "))
	}
	if p := r.Round(cl.penalty); !p.Equal(cl.penalty) {
		cl.trace(contract.StepRounding, PenaltyAmount, cl.penalty, p, note(cl.penalty, p))
		cl.penalty = p
	}
	if x := r.Round(cl.bonus); !x.Equal(cl.bonus) {
		cl.trace(contract.StepRounding, BonusAmount, cl.bonus, x, note(cl.bonus, x))
		cl.bonus = x
	}
}

// ruleCaps brings each rule's and group's penalty down to its own cap,
// rounded as the month's cap is: the amount it leaves is a multiple of
// the rounding's unit, as every amount after the rounding step, and never
// below zero.
func (b *builder) ruleCaps(r contract.Rounding) {
	b.each(func(_ int, cl *cell) {
		x, what := capOf(cl)
		if x.IsZero() || !cl.penalty.IsPositive() {
			return
		}
		limit, err := b.capLimit(cl, x)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: cl.node, Period: cl.period.String(), Error: "cap: " + err.Error()})
			return
		}
		limit = r.Round(limit)
		if cl.penalty.GreaterThan(limit) {
			// A cap below zero leaves nothing due, as the month's does.
			after := decimal.Max(limit, decimal.Zero)
			cl.trace(contract.StepRuleCaps, PenaltyAmount, cl.penalty, after, fmt.Sprintf("%s cap %s = %s", what, x.Text, limit.StringFixed(2)))
			cl.penalty = after
		}
	})
}

// reduce brings the penalties (or bonuses) of cells down to limit, in
// proportion to each, to the unit of the pipeline's rounding (the cent by
// default) by largest remainder: each share is first cut down to the
// unit, then the units left to reach the limit go one each to the shares
// whose cut took the most (the larger amount first when two cut the same,
// then the first in rule order). Each share is so its exact proportion
// rounded down or up, and the shares add up to the limit.
func reduce(cells []*cell, limit decimal.Decimal, bonus bool, r contract.Rounding) []decimal.Decimal {
	get := func(cl *cell) decimal.Decimal {
		if bonus {
			return cl.bonus
		}
		return cl.penalty
	}
	total := decimal.Zero
	for _, cl := range cells {
		total = total.Add(get(cl))
	}
	out := make([]decimal.Decimal, len(cells))
	if !total.IsPositive() || limit.IsNegative() {
		return out
	}
	unit := r.To
	if unit.IsZero() {
		unit = decimal.New(1, -2)
	}
	// share i is v × limit / total; its cut is the remainder of v × limit
	// over total × unit, compared exactly since the divisor is common.
	cuts := make([]decimal.Decimal, len(cells))
	sum := decimal.Zero
	for i, cl := range cells {
		q, rem := get(cl).Mul(limit).QuoRem(total.Mul(unit), 0)
		out[i], cuts[i] = q.Mul(unit), rem
		sum = sum.Add(out[i])
	}
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cuts[b].Cmp(cuts[a]); c != 0 {
			return c
		}
		return get(cells[b]).Cmp(get(cells[a]))
	})
	left := limit.Sub(sum)
	for _, i := range order {
		if left.LessThan(unit) {
			break
		}
		out[i] = out[i].Add(unit)
		left = left.Sub(unit)
	}
	if left.IsPositive() { // a limit that is not a multiple of the unit
		out[order[0]] = out[order[0]].Add(left)
	}
	return out
}

func (b *builder) rowBill(ri int) (decimal.Decimal, map[string]decimal.Decimal) {
	return b.bill(b.rowsAll[ri])
}

func (b *builder) monthCap(pl contract.Pipeline) {
	if pl.MonthCap.IsZero() {
		return
	}
	for ri, cells := range b.cells {
		total := decimal.Zero
		for _, cl := range cells {
			total = total.Add(cl.penalty)
		}
		if !total.IsPositive() {
			continue
		}
		inv, fees := b.rowBill(ri)
		limit, err := b.spanFormula(pl.MonthCap, b.rowsAll[ri], inv, fees)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: "penalties", Period: b.rowsAll[ri].String(), Error: "month cap: " + err.Error()})
			continue
		}
		limit = pl.Rounding.Round(limit)
		rs := &b.rowStates[ri]
		if !total.GreaterThan(limit) {
			rs.steps = append(rs.steps, TraceLine{Step: contract.StepMonthCap, Kind: PenaltyAmount, Before: Money{total}, After: Money{total},
				Note: fmt.Sprintf("within the monthly cap %s = %s", pl.MonthCap.Text, limit.StringFixed(2))})
			continue
		}
		note := fmt.Sprintf("monthly cap %s = %s: %s reduced in proportion", pl.MonthCap.Text, limit.StringFixed(2), total.StringFixed(2))
		rs.steps = append(rs.steps, TraceLine{Step: contract.StepMonthCap, Kind: PenaltyAmount, Before: Money{total}, After: Money{limit}, Note: note})
		for i, v := range reduce(cells, limit, false, pl.Rounding) {
			cells[i].trace(contract.StepMonthCap, PenaltyAmount, cells[i].penalty, v, note)
			cells[i].penalty = v
		}
	}
}

// yearCap applies the caps that add up over a span longer than a period:
// the contract year's, then the whole term's.
func (b *builder) yearCap(pl contract.Pipeline) {
	b.spanCap(pl, pl.YearCap, contract.ContractYear)
	b.spanCap(pl, pl.TermCap, contract.Term)
}

// capSpan is a contract year or the term, as its cap sees it.
type capSpan struct {
	label   string
	invoice decimal.Decimal
	fees    map[string]decimal.Decimal
	span    contract.Period
	months  int // the months of the span whose invoice the table holds
	cum     decimal.Decimal
	limit   decimal.Decimal
	ok      bool
	partial string // why the cap may still change, when it may
}

// capSpans computes the cap x of each span of kind per the table touches,
// from the invoices of the span's months in the table. A span the table
// does not cover whole has a cap that may still change: its trace says
// so.
func (b *builder) capSpans(x contract.Expr, per contract.PeriodKind) map[string]*capSpan {
	spans := map[string]*capSpan{}
	for ri, row := range b.rowsAll {
		key := b.spanKey(&cell{cy: b.c.ContractYear(row.Start), period: row}, per)
		y := spans[key]
		if y == nil {
			y = &capSpan{label: key, fees: map[string]decimal.Decimal{}, span: b.c.PeriodOf(per, row.Start)}
			spans[key] = y
		}
		inv, fees := b.rowBill(ri)
		y.invoice = y.invoice.Add(inv)
		for k, v := range fees {
			y.fees[k] = y.fees[k].Add(v)
		}
		for _, m := range b.months {
			if row.Contains(m.Start) {
				y.months++
			}
		}
	}
	for _, y := range spans {
		limit, err := b.spanFormula(x, y.span, y.invoice, y.fees)
		if err != nil {
			b.errors = append(b.errors, RuleError{Rule: "penalties", Period: y.label, Error: y.label + " cap: " + err.Error()})
			continue
		}
		y.limit, y.ok = b.c.Pipeline().Rounding.Round(limit), true
		if all := len(b.c.Periods(contract.Month, y.span.Start, y.span.End)); y.months < all || b.asOf.Before(y.span.End) {
			y.partial = fmt.Sprintf("; computed on the invoices of %d of its %d months, provisional until %s", y.months, all,
				y.span.End.AddDate(0, 0, -1).Format(time.DateOnly))
		}
	}
	return spans
}

// spanCap stops the penalties of each span of kind per at the span's cap
// x: the periods in time order take what the cap allows, and a period
// that would go beyond is reduced in proportion to what is left.
func (b *builder) spanCap(pl contract.Pipeline, x contract.Expr, per contract.PeriodKind) {
	if x.IsZero() || len(b.rowsAll) == 0 {
		return
	}
	spans := b.capSpans(x, per)
	for ri, cells := range b.cells {
		row := b.rowsAll[ri]
		y := spans[b.spanKey(&cell{cy: b.c.ContractYear(row.Start), period: row}, per)]
		if y == nil || !y.ok {
			continue
		}
		total := decimal.Zero
		for _, cl := range cells {
			total = total.Add(cl.penalty)
		}
		if !total.IsPositive() {
			continue
		}
		allowed := decimal.Max(y.limit.Sub(y.cum), decimal.Zero)
		rs := &b.rowStates[ri]
		if !total.GreaterThan(allowed) {
			y.cum = y.cum.Add(total)
			rs.steps = append(rs.steps, TraceLine{Step: contract.StepYearCap, Kind: PenaltyAmount, Before: Money{total}, After: Money{total},
				Note: fmt.Sprintf("%s: %s of the cap %s = %s used%s", y.label, y.cum.StringFixed(2), x.Text, y.limit.StringFixed(2), y.partial), Provisional: y.partial != ""})
			continue
		}
		note := fmt.Sprintf("%s cap %s = %s reached: %s of %s due%s", y.label, x.Text, y.limit.StringFixed(2), allowed.StringFixed(2), total.StringFixed(2), y.partial)
		rs.steps = append(rs.steps, TraceLine{Step: contract.StepYearCap, Kind: PenaltyAmount, Before: Money{total}, After: Money{allowed}, Note: note, Provisional: y.partial != ""})
		for i, v := range reduce(cells, allowed, false, pl.Rounding) {
			cells[i].trace(contract.StepYearCap, PenaltyAmount, cells[i].penalty, v, note)
			cells[i].penalty = v
		}
		y.cum = y.cum.Add(allowed)
	}
}

func (b *builder) bonusStep(pl contract.Pipeline) {
	for ri, cells := range b.cells {
		rs := &b.rowStates[ri]
		bonuses, penalties := decimal.Zero, decimal.Zero
		for _, cl := range cells {
			bonuses = bonuses.Add(cl.bonus)
			penalties = penalties.Add(cl.penalty)
		}
		if bonuses.IsPositive() && !pl.BonusCap.IsZero() {
			inv, fees := b.rowBill(ri)
			limit, err := b.spanFormula(pl.BonusCap, b.rowsAll[ri], inv, fees)
			if err != nil {
				b.errors = append(b.errors, RuleError{Rule: "penalties", Period: b.rowsAll[ri].String(), Error: "bonus cap: " + err.Error()})
			} else if limit = pl.Rounding.Round(limit); bonuses.GreaterThan(limit) {
				note := fmt.Sprintf("bonus cap %s = %s: %s reduced in proportion", pl.BonusCap.Text, limit.StringFixed(2), bonuses.StringFixed(2))
				rs.steps = append(rs.steps, TraceLine{Step: contract.StepBonus, Kind: BonusAmount, Before: Money{bonuses}, After: Money{limit}, Note: note})
				for i, v := range reduce(cells, limit, true, pl.Rounding) {
					cells[i].trace(contract.StepBonus, BonusAmount, cells[i].bonus, v, note)
					cells[i].bonus = v
				}
				bonuses = limit
			}
		}
		if !bonuses.IsPositive() {
			continue
		}
		if pl.Netting {
			net := penalties.Sub(bonuses)
			note := fmt.Sprintf("bonuses %s set off against penalties %s: net %s", bonuses.StringFixed(2), penalties.StringFixed(2), net.StringFixed(2))
			if net.IsNegative() {
				note += " (a net bonus, paid)"
			}
			rs.steps = append(rs.steps, TraceLine{Step: contract.StepBonus, Kind: NetAmount, Before: Money{penalties}, After: Money{net}, Note: note})
		} else {
			rs.steps = append(rs.steps, TraceLine{Step: contract.StepBonus, Kind: BonusAmount, Before: Money{bonuses}, After: Money{bonuses},
				Note: "bonuses paid on their own, not set off against penalties"})
		}
	}
}
