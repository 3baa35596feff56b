package sla

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// GroupFigures are a group's members over a period: which were breached,
// and which carried a penalty (their amount after observation, franchise,
// repeat and rounding, before the caps, above zero).
type GroupFigures struct {
	Members   []string `json:"members"`
	Breached  []string `json:"breached"`
	Penalised []string `json:"penalised"`
}

// GroupInfo describes a rule group of the contract.
type GroupInfo struct {
	ID      string   `json:"id"`
	Name    string   `json:"name,omitempty"`
	Clause  string   `json:"clause,omitempty"`
	Period  string   `json:"period"`
	Members []string `json:"members"`
}

func groupInfos(c *contract.Contract) []GroupInfo {
	var out []GroupInfo
	for _, g := range c.Groups() {
		out = append(out, GroupInfo{ID: g.ID, Name: g.Name, Clause: g.Clause, Period: string(g.Period), Members: g.Members})
	}
	return out
}

// groupCell is what a group's cell holds besides a rule's.
type groupCell struct {
	def     contract.Group
	members []*cell
	env     dsl.Group // what its formulas read, once its members are known
}

// groupCells adds to the table a cell for each group in each period its
// members have one, after the rules of the row, and indexes every cell.
func (b *builder) groupCells() {
	if len(b.c.Groups()) == 0 && len(b.c.References()) == 0 {
		return // nothing reads another rule: no index, no order to keep
	}
	b.byNode = map[string]map[int]*cell{}
	b.each(func(_ int, cl *cell) { b.index(cl) })
	for _, g := range b.c.Groups() {
		consecutive := 0
		for _, first := range sortedByPeriod(b.byNode[g.Members[0]]) {
			gc := &groupCell{def: g}
			for _, id := range g.Members {
				gc.members = append(gc.members, b.byNode[id][first.pi])
			}
			cl := &cell{period: first.period, pi: first.pi, cy: first.cy, node: g.ID, group: gc, status: StatusNotApplicable}
			noData := true // every member's source was not given: nor was the group's
			for _, m := range gc.members {
				if m == nil {
					continue
				}
				noData = noData && m.status == StatusNoData
				if m.status == StatusBreached {
					cl.breached = true
				}
				if m.status == StatusMet || m.status == StatusBreached {
					cl.status = StatusMet
				}
			}
			if noData {
				cl.status = StatusNoData
			}
			if cl.breached {
				cl.status = StatusBreached
				consecutive++
			} else {
				consecutive = 0
			}
			cl.consecutive = consecutive
			ri := b.row(cl.period)
			b.cells[ri] = append(b.cells[ri], cl)
			b.index(cl)
		}
	}
}

func (b *builder) index(cl *cell) {
	if b.byNode[cl.node] == nil {
		b.byNode[cl.node] = map[int]*cell{}
	}
	b.byNode[cl.node][cl.pi] = cl
}

// sortedByPeriod lists a node's cells in time order.
func sortedByPeriod(m map[int]*cell) []*cell {
	out := make([]*cell, 0, len(m))
	for _, cl := range m {
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b *cell) int { return cmp.Compare(a.pi, b.pi) })
	return out
}

// evaluationOrder lists every cell in the order its amounts are
// computed: by the end of its period, then in the contract's order of
// what reads what, so that a cell comes after every cell it reads.
func (b *builder) evaluationOrder() []*cell {
	var out []*cell
	b.each(func(_ int, cl *cell) { out = append(out, cl) })
	if b.byNode == nil {
		return out // each rule's cells are in time order already
	}
	rank := map[string]int{}
	for i, id := range b.c.EvaluationOrder() {
		rank[id] = i
	}
	slices.SortStableFunc(out, func(x, y *cell) int {
		if c := x.period.End.Compare(y.period.End); c != 0 {
			return c
		}
		return cmp.Compare(rank[x.node], rank[y.node])
	})
	return out
}

// amounts computes a cell's penalty and bonus as its formulas give them.
func (b *builder) amounts(cl *cell) {
	if cl.group != nil {
		b.groupAmounts(cl)
		return
	}
	b.rawAmounts(cl, cl.acc, cl.main)
}

// cellResults is what result() reads from a cell's formulas.
type cellResults struct {
	b  *builder
	pi int
}

func (b *builder) resultsOf(cl *cell) dsl.RuleResults {
	if b.byNode == nil {
		return nil
	}
	return cellResults{b: b, pi: cl.pi}
}

// RuleResult is the result of rule or group id in the period offset
// periods from the one evaluated: what it carried before the caps.
func (r cellResults) RuleResult(id string, offset int) dsl.RuleResult {
	cl := r.b.byNode[id][r.pi+offset]
	if cl == nil {
		return dsl.RuleResult{}
	}
	res := dsl.RuleResult{
		Measured: cl.status == StatusMet || cl.status == StatusBreached, Breached: cl.breached, Consecutive: cl.consecutive,
		Penalty: cl.carried, Bonus: cl.carriedBonus, Eligible: cl.rep.Eligible, Met: cl.rep.Met, Missed: cl.rep.Missed,
	}
	res.Penalised = res.Penalty.IsPositive()
	if g := cl.group; g != nil {
		res.Penalised = g.env.Penalised
	}
	if cl.rule != nil && cl.main.ok && res.Measured {
		switch v := cl.main.value; v.Type {
		case dsl.Duration:
			res.AchievedDuration = v.Duration
		case dsl.Int:
			res.Achieved = decimal.NewFromInt(int64(v.Int))
		default:
			res.Achieved = v.Decimal
		}
	}
	return res
}

// groupAmounts computes a group's measures from its members' results,
// then its penalty and bonus, and says in the trace which members were
// breached and which carried a penalty.
func (b *builder) groupAmounts(cl *cell) {
	gc := cl.group
	inv, fees := b.bill(cl.period)
	env := dsl.Group{Start: cl.period.Start, End: cl.period.End, Month: int(cl.period.Start.Month()), Year: cl.period.Start.Year(), ContractYear: cl.cy,
		Members: len(gc.def.Members), Breached: cl.breached, Consecutive: cl.consecutive, Invoice: inv, Fees: fees, Results: b.resultsOf(cl)}
	fig := &GroupFigures{Members: slices.Clone(gc.def.Members), Breached: []string{}, Penalised: []string{}}
	var carried []string
	rep := RuleReport{ID: gc.def.ID, Name: gc.def.Name, Period: cl.period.String(), Start: cl.period.Start, End: cl.period.End,
		Excluded: map[string]int{}, MissedItems: []MissedItem{}, Status: cl.status, Provisional: cl.period.End.After(b.asOf), Group: fig}
	for _, m := range gc.members {
		if m == nil {
			continue
		}
		if m.status == StatusMet || m.status == StatusBreached {
			env.Measured++
		}
		if m.breached {
			env.BreachedCount++
			fig.Breached = append(fig.Breached, m.node)
		}
		if m.carried.IsPositive() {
			env.PenalisedCount++
			env.MembersPenalty = env.MembersPenalty.Add(m.carried)
			fig.Penalised = append(fig.Penalised, m.node)
			carried = append(carried, fmt.Sprintf("%s (%s)", m.node, m.carried.StringFixed(2)))
		}
		rep.Eligible += m.rep.Eligible
		rep.Met += m.rep.Met
		rep.Missed += m.rep.Missed
	}
	env.Penalised = env.PenalisedCount > 0
	if env.Penalised {
		env.PenalisedInARow = 1
		if prev := b.byNode[gc.def.ID][cl.pi-1]; prev != nil {
			env.PenalisedInARow += prev.group.env.PenalisedInARow
		}
	}
	gc.env = env
	if cl.status == StatusMet || cl.status == StatusBreached {
		var err error
		zeros := make([]decimal.Decimal, max(len(gc.def.Penalty), len(gc.def.Bonus)))
		if cl.penalty, err = sumComponents(gc.def.Penalty, &gc.env, zeros, figures{}, false, cl.status); err != nil {
			b.errors = append(b.errors, RuleError{Rule: gc.def.ID, Period: cl.period.String(), Error: "penalty: " + err.Error()})
		}
		bonusStatus := StatusNotApplicable
		if env.Measured == env.Members && !env.Breached {
			bonusStatus = StatusMet
		}
		if cl.bonus, err = sumComponents(gc.def.Bonus, &gc.env, zeros, figures{}, true, bonusStatus); err != nil {
			b.errors = append(b.errors, RuleError{Rule: gc.def.ID, Period: cl.period.String(), Error: "bonus: " + err.Error()})
		}
	}
	rep.RawPenalty, rep.RawBonus = Money{cl.penalty}, Money{cl.bonus}
	rep.Note = groupNote(env, fig, carried)
	rep.Steps = []TraceLine{{Step: contract.StepGroup, Kind: PenaltyAmount, Before: Money{cl.penalty}, After: Money{cl.penalty}, Note: rep.Note}}
	cl.rep = rep
}

// groupNote says which members were breached and which carried a
// penalty.
func groupNote(env dsl.Group, fig *GroupFigures, carried []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d of %d members measured; ", env.Measured, env.Members)
	if len(fig.Breached) == 0 {
		sb.WriteString("none breached")
	} else {
		fmt.Fprintf(&sb, "breached: %s", strings.Join(fig.Breached, ", "))
	}
	if len(carried) == 0 {
		sb.WriteString("; none carried a penalty (after observation, franchise, repeat and rounding, before the caps)")
	} else {
		fmt.Fprintf(&sb, "; carried a penalty (after observation, franchise, repeat and rounding, before the caps): %s; penalised %s in a row",
			strings.Join(carried, ", "), plural(env.PenalisedInARow, "period"))
	}
	return sb.String()
}

// capOf is a cell's own cap, and what it is the cap of.
func capOf(cl *cell) (contract.Expr, string) {
	if cl.group != nil {
		return cl.group.def.Cap, "group"
	}
	return cl.rule.def.Cap, "rule"
}

// capLimit computes a cell's own cap.
func (b *builder) capLimit(cl *cell, x contract.Expr) (decimal.Decimal, error) {
	if cl.group != nil {
		return amount(x, &cl.group.env)
	}
	return ruleFormula(cl, x)
}

// plural is n things, in words.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
