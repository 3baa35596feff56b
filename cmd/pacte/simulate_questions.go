package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/shopspring/decimal"
)

// answer runs what the command line asks: the risk table, or one question.
func (o *simulateOptions) answer(ctx context.Context, q question, sim *simulate.Simulation, opts simulate.Options) (*simulateOutput, error) {
	switch {
	case q.price != nil:
		a, err := simulate.FindPrice(ctx, sim, *q.price, opts)
		if err != nil {
			return nil, err
		}
		return &simulateOutput{title: "Tender price: " + sim.Contract().Name(), main: a.Candidates[0].Result, Price: a,
			tables: a.Tables(), charts: []chart{a.Chart()}}, nil
	case q.staff != nil:
		plan, err := simulate.PlanStaffing(ctx, sim.Contract(), sim.Scenario(), *q.staff, o.limit, opts)
		if err != nil {
			return nil, err
		}
		return &simulateOutput{title: "Tender staffing: " + sim.Contract().Name(), main: plan.Options[0].Result, StaffingPlan: plan,
			tables: []simulate.Table{plan.Table()}, charts: plan.Charts(), notes: []string{plan.Summary()}}, nil
	case q.what:
		return o.whatIf(ctx, sim, opts)
	}
	res, err := sim.Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	out := &simulateOutput{title: "Tender risk: " + res.Contract, main: res, Result: res, tables: res.Tables()}
	if o.staffing {
		if out.Staffing = sim.Staffing(); len(out.Staffing) > 0 {
			out.tables = append(out.tables, simulate.StaffingTable(out.Staffing))
		}
	}
	if q.sweep != nil {
		// Every value on the same runs: those a precision target chose.
		opts.Runs, opts.Precision = res.Runs, decimal.Zero
		s, err := simulate.Sweep(ctx, sim.Contract(), sim.Scenario(), *q.sweep, opts)
		if err != nil {
			return nil, err
		}
		out.Sensitivity = s
		out.tables = append(out.tables, s.Table())
		out.charts = append(out.charts, s.Chart())
	}
	return out, nil
}

// whatIf compares the contract with the version of -compare, or with the
// clauses of -amend changed, on the same runs.
func (o *simulateOptions) whatIf(ctx context.Context, sim *simulate.Simulation, opts simulate.Options) (*simulateOutput, error) {
	var variant *contract.Contract
	var err error
	if o.compare != "" {
		if variant, err = contract.Load(o.compare); err != nil {
			return nil, inputError{err}
		}
	} else if variant, err = simulate.Amend(sim.Contract(), nil, o.amend...); err != nil {
		return nil, usageError{err}
	}
	cmp, err := simulate.Compare(ctx, sim, variant, opts)
	if err != nil {
		return nil, err
	}
	if len(o.amend) > 0 {
		parts := make([]string, len(o.amend))
		for i, a := range o.amend {
			parts[i] = a.String()
		}
		cmp.BaseName, cmp.VariantName = "the contract", "the contract with "+strings.Join(parts, ", ")
	}
	return &simulateOutput{title: "Tender what-if: " + sim.Contract().Name(), main: cmp.Base, Comparison: cmp,
		tables: []simulate.Table{cmp.Table()}, charts: []chart{cmp.Chart()}}, nil
}

// parseStaff reads -staff: factors on the desk's staffing (0.8,1,1.2) or
// the service levels a target staffing meets (sl=80%,85%).
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
	f, bad := factors(strings.Split(s, ","), false)
	if bad != "" {
		return simulate.Parameter{}, fmt.Errorf("-staff %q: value %q: want factors such as 0.8,1,1.2 or service levels such as sl=80%%,85%%", s, bad)
	}
	return simulate.StaffingScale(f...), nil
}

// factors reads factors, ≥ 0 when zero is allowed, else > 0; bad is the
// first value that is not one.
func factors(values []string, zero bool) (f []float64, bad string) {
	f = make([]float64, len(values))
	for i, v := range values {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(x > 0 || zero && x == 0) {
			return nil, v
		}
		f[i] = x
	}
	return f, ""
}

// parseSweep reads -sweep: agents=10,12 | restore:KIND:PRIORITY=2h,4h |
// volume=0.8,1.2.
func parseSweep(s string) (simulate.Parameter, error) {
	name, list, ok := strings.Cut(s, "=")
	if !ok || list == "" {
		return simulate.Parameter{}, fmt.Errorf("-sweep %q: want name=value,value…", s)
	}
	values := strings.Split(list, ",")
	bad := func(v, want string) error { return fmt.Errorf("-sweep %q: value %q: want %s", s, v, want) }
	parts := strings.Split(name, ":")
	switch {
	case name == "agents":
		n := make([]int, len(values))
		for i, v := range values {
			x, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || x < 1 {
				return simulate.Parameter{}, bad(v, "a number of agents ≥ 1")
			}
			n[i] = x
		}
		return simulate.Agents(n...), nil
	case name == "volume":
		f, v := factors(values, true)
		if v != "" {
			return simulate.Parameter{}, bad(v, "a factor ≥ 0")
		}
		return simulate.Volume(f...), nil
	case parts[0] == "restore" && len(parts) == 3:
		d := make([]time.Duration, len(values))
		for i, v := range values {
			x, err := slatest.Duration(strings.TrimSpace(v))
			if err != nil || x <= 0 {
				return simulate.Parameter{}, bad(v, "a duration such as 4h or 1h30min")
			}
			d[i] = x
		}
		return simulate.RestoreMedian(parts[1], parts[2], d...), nil
	}
	return simulate.Parameter{}, fmt.Errorf("-sweep %q: unknown parameter %q: want agents, restore:KIND:PRIORITY or volume", s, name)
}
