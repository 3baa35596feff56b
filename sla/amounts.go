package sla

import (
	"fmt"
	"slices"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

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
	results               dsl.RuleResults // what result() reads
}

// components computes a penalty or a bonus: the sum of its components,
// each capped by its max, over the environment of the rule's measure.
func (b *builder) components(rule *preparedRule, comps []contract.Component, offset int, a *acc, f figures, bonus bool, status Status) (decimal.Decimal, error) {
	perItem := slices.Clone(a.perItem[offset : offset+len(comps)])
	for k := range perItem {
		perItem[k] = perItem[k].Add(feeShare(rule.itemFees[offset+k], a.perItemFees, offset+k, f.fees))
	}
	switch rule.objs[0].Type() {
	case dsl.Duration:
		return sumComponents(comps, periodEnv(f, durationOf), perItem, f, bonus, status)
	case dsl.Int:
		return sumComponents(comps, periodEnv(f, intOf), perItem, f, bonus, status)
	}
	return sumComponents(comps, periodEnv(f, decimalOf), perItem, f, bonus, status)
}

// sumComponents adds up the components over env; perItem are their sums
// of per-item amounts.
func sumComponents[E dsl.Env](comps []contract.Component, env *E, perItem []decimal.Decimal, f figures, bonus bool, status Status) (decimal.Decimal, error) {
	var total decimal.Decimal
	for k, comp := range comps {
		v, err := component(comp, env, perItem[k], f, bonus, status)
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

// ruleFormula evaluates a formula of a rule over a cell's period.
func ruleFormula(cl *cell, x contract.Expr) (decimal.Decimal, error) {
	switch cl.rule.objs[0].Type() {
	case dsl.Duration:
		return amount(x, periodEnv(cl.fig, durationOf))
	case dsl.Int:
		return amount(x, periodEnv(cl.fig, intOf))
	}
	return amount(x, periodEnv(cl.fig, decimalOf))
}

// spanFormula evaluates a cap over a span with its invoice.
func (b *builder) spanFormula(x contract.Expr, span contract.Period, invoice decimal.Decimal, fees map[string]decimal.Decimal) (decimal.Decimal, error) {
	return amount(x, &dsl.Period[decimal.Decimal]{Start: span.Start, End: span.End, Month: int(span.Start.Month()), Year: span.Start.Year(),
		ContractYear: b.c.ContractYear(span.Start), Invoice: invoice, Fees: fees})
}

// amount evaluates an amount formula over env: zero when it is absent.
func amount[E dsl.Env](x contract.Expr, env *E) (decimal.Decimal, error) {
	p, err := program[E](x)
	if err != nil || p == nil {
		return decimal.Zero, err
	}
	return dsl.EvalAs[decimal.Decimal](p, env)
}

// The measure of a rule, as the environment of its formulas holds it.
func durationOf(v contract.Value) time.Duration  { return v.Duration }
func intOf(v contract.Value) int                 { return v.Int }
func decimalOf(v contract.Value) decimal.Decimal { return v.Decimal }

// periodEnv builds the environment of the formulas of a period.
func periodEnv[M dsl.Measure](f figures, get func(contract.Value) M) *dsl.Period[M] {
	env := &dsl.Period[M]{
		Start: f.p.Start, End: f.p.End, Month: int(f.p.Start.Month()), Year: f.p.Start.Year(), ContractYear: f.cy,
		Eligible: f.eligible, Met: f.met, Missed: f.missed, Excluded: f.excluded,
		Breached: f.breached, Consecutive: f.consecutive, Late: f.late, Invoice: f.invoice, Fees: f.fees, Results: f.results,
	}
	o := f.objective
	env.Objective = get(o.Threshold)
	if f.main.ok {
		env.Achieved = get(f.main.value)
		env.Shortfall = get(shortfall(f.main, o))
	}
	return env
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
	var v decimal.Decimal
	var err error
	switch comp.Form {
	case contract.FormAmount:
		v, err = amount(comp.Amount, env)
	case contract.FormPerMissed:
		v, err = amount(comp.Amount, env)
		v = v.Mul(decimal.NewFromInt(int64(f.missed)))
	case contract.FormPerPoint:
		v, err = amount(comp.Amount, env)
		num, den := shortfallRatio(f.main, f.objective)
		v = v.Mul(startedPoints(num, den))
	case contract.FormPerItem:
		v = perItem
	case contract.FormTiers:
		for _, t := range comp.Tiers {
			if tierContains(t.Range, f.main) {
				v, err = amount(t.Amount, env)
				break
			}
		}
	}
	if err != nil {
		return decimal.Zero, err
	}
	if !comp.Max.IsZero() {
		limit, err := amount(comp.Max, env)
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

// feeShare is what the fees of a period add to the per-item amounts of
// component k: its coefficients times the fees of its units.
func feeShare(units []string, coefs [][]decimal.Decimal, k int, fees map[string]decimal.Decimal) decimal.Decimal {
	var sum decimal.Decimal
	if k >= len(coefs) {
		return sum
	}
	for j, u := range units {
		if j < len(coefs[k]) {
			sum = sum.Add(coefs[k][j].Mul(fees[u]))
		}
	}
	return sum
}
