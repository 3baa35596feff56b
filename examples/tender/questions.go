package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

// answer runs what the flags ask: the risk table, or one question.
func answer(ctx context.Context, o options, sim *simulate.Simulation, opts simulate.Options) (*output, error) {
	switch {
	case o.price != "":
		return priceAnswer(ctx, o, sim, opts)
	case o.staff != "":
		return staffAnswer(ctx, o, sim, opts)
	case o.compare != "" || len(o.amend) > 0:
		return compareAnswer(ctx, o, sim, opts)
	}
	return riskAnswer(ctx, o, sim, opts)
}

func riskAnswer(ctx context.Context, o options, sim *simulate.Simulation, opts simulate.Options) (*output, error) {
	var param *simulate.Parameter
	if o.sweep != "" {
		p, err := parseSweep(o.sweep)
		if err != nil {
			return nil, usageError{err}
		}
		param = &p
	}
	res, err := sim.Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := &output{title: "Tender risk: " + res.Contract, main: res, Result: res, tables: res.Tables()}
	if o.staffing {
		out.Staffing = sim.Staffing()
		if len(out.Staffing) > 0 {
			out.tables = append(out.tables, simulate.StaffingTable(out.Staffing))
		}
	}
	if param != nil {
		s, err := simulate.Sweep(ctx, sim.Contract(), sim.Scenario(), *param, opts)
		if err != nil {
			return nil, err
		}
		out.Sensitivity = s
		out.tables = append(out.tables, s.Table())
		out.charts = append(out.charts, s.Chart())
	}
	return out, nil
}

func priceAnswer(ctx context.Context, o options, sim *simulate.Simulation, opts simulate.Options) (*output, error) {
	q := simulate.PriceQuestion{Target: o.margin, TargetRate: o.marginRate, Step: o.priceStep}
	if strings.EqualFold(o.price, "discount") {
		q.Discount = true
	} else {
		q.Unit = o.price
	}
	if o.priceRange != "" {
		lo, hi, ok := strings.Cut(o.priceRange, ":")
		parse := amountFlag
		if q.Discount {
			parse = shareFlag
		}
		if !ok || parse(&q.Low)(lo) != nil || parse(&q.High)(hi) != nil {
			return nil, usageError{fmt.Errorf("-price-range %q: want LOW:HIGH", o.priceRange)}
		}
	}
	a, err := simulate.FindPrice(ctx, sim, q, opts)
	if errors.Is(err, simulate.ErrQuestion) {
		return nil, usageError{err}
	} else if err != nil {
		return nil, err
	}
	main := a.Candidates[0].Result
	ch := a.Chart()
	return &output{title: "Tender price: " + main.Contract, main: main, Price: a, tables: a.Tables(), charts: []chart{ch}}, nil
}

func staffAnswer(ctx context.Context, o options, sim *simulate.Simulation, opts simulate.Options) (*output, error) {
	p, err := parseStaff(o.staff)
	if err != nil {
		return nil, usageError{err}
	}
	plan, err := simulate.PlanStaffing(ctx, sim.Contract(), sim.Scenario(), p, o.limit, opts)
	if errors.Is(err, simulate.ErrQuestion) {
		return nil, usageError{err}
	} else if err != nil {
		return nil, err
	}
	out := &output{title: "Tender staffing: " + sim.Contract().Name(), main: plan.Options[0].Result, StaffingPlan: plan,
		tables: []simulate.Table{plan.Table()}, notes: []string{plan.Summary()}}
	out.charts = append(out.charts, plan.Charts()...)
	return out, nil
}

// parseStaff reads -staff: 0.8,1,1.2 or sl=80%,85%.
func parseStaff(s string) (simulate.Parameter, error) {
	if list, ok := strings.CutPrefix(s, "sl="); ok {
		var levels []float64
		for _, v := range strings.Split(list, ",") {
			var d decimal.Decimal
			if err := shareFlag(&d)(v); err != nil || !d.IsPositive() || d.GreaterThanOrEqual(decimal.NewFromInt(1)) {
				return simulate.Parameter{}, fmt.Errorf("-staff %q: value %q: want a service level such as 85%%", s, v)
			}
			levels = append(levels, d.InexactFloat64())
		}
		return simulate.ServiceLevelTarget(levels...), nil
	}
	f, bad := factors(strings.Split(s, ","))
	if bad != "" || len(f) == 0 {
		return simulate.Parameter{}, fmt.Errorf("-staff %q: want factors such as 0.8,1,1.2 or service levels such as sl=80%%,85%%", s)
	}
	return simulate.StaffingScale(f...), nil
}

func compareAnswer(ctx context.Context, o options, sim *simulate.Simulation, opts simulate.Options) (*output, error) {
	var variant *contract.Contract
	var err error
	if o.compare != "" {
		variant, err = contract.Load(o.compare)
	} else {
		variant, err = simulate.Amend(sim.Contract(), nil, o.amend...)
	}
	if err != nil {
		return nil, usageError{err}
	}
	cmp, err := simulate.Compare(ctx, sim, variant, opts)
	if errors.Is(err, simulate.ErrQuestion) {
		return nil, usageError{err}
	} else if err != nil {
		return nil, err
	}
	if len(o.amend) > 0 {
		var parts []string
		for _, a := range o.amend {
			parts = append(parts, a.String())
		}
		cmp.BaseName, cmp.VariantName = "the contract", "the contract with "+strings.Join(parts, ", ")
	}
	return &output{title: "Tender what-if: " + sim.Contract().Name(), main: cmp.Base, Comparison: cmp,
		tables: []simulate.Table{cmp.Table()}, charts: []chart{cmp.Chart()}}, nil
}
