package simulate

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
)

// StaffingScale multiplies the desk's agents in every half hour, however
// the scenario staffs it (a number of agents, a rota, or a target), by
// each factor: ×0.8 to ×1.2 around the plan.
func StaffingScale(factors ...float64) Parameter {
	p := Parameter{Name: "staffing"}
	for _, f := range factors {
		p.Values = append(p.Values, "×"+strconv.FormatFloat(f, 'f', -1, 64))
	}
	p.Set = func(s *Scenario, i int) error {
		if s.Calls == nil {
			return errors.New("the scenario has no calls")
		}
		f := factors[i]
		if !(f > 0) {
			return fmt.Errorf("a staffing factor is > 0, not %v", f)
		}
		if s.Calls.Staffing.Scale > 0 {
			f *= s.Calls.Staffing.Scale
		}
		s.Calls.Staffing.Scale = f
		return nil
	}
	return p
}

// ServiceLevelTarget staffs the desk, half hour by half hour, for each
// service level (the share of calls answered within the target's answer
// time, by Erlang C or A); the scenario must staff it by a target.
func ServiceLevelTarget(levels ...float64) Parameter {
	p := Parameter{Name: "service level target"}
	for _, l := range levels {
		p.Values = append(p.Values, strconv.FormatFloat(100*l, 'f', -1, 64)+" %")
	}
	p.Set = func(s *Scenario, i int) error {
		if s.Calls == nil || s.Calls.Staffing.Target == nil {
			return errors.New("the scenario does not staff the desk by a target")
		}
		if s.Calls.Staffing.Target.Within == 0 {
			return errors.New("the scenario's target has no answer time (within)")
		}
		s.Calls.Staffing.Target.ServiceLevel = levels[i]
		return nil
	}
	return p
}

// StaffingPlan is how penalties and margin move with the desk's
// staffing, each staffing on the same runs, and the cheapest staffing
// whose P90 of the span's net penalty stays under a limit.
type StaffingPlan struct {
	Parameter string          `json:"parameter"`
	Limit     decimal.Decimal `json:"limit"`
	Currency  string          `json:"currency"`
	Runs      int             `json:"runs"`
	Seed      uint64          `json:"seed"`
	// Antithetic is true when the runs were drawn in antithetic pairs.
	Antithetic bool             `json:"antithetic,omitempty"`
	Options    []StaffingOption `json:"options"`
	// Cheapest is the index in Options of the cheapest staffing whose P90
	// is at most Limit; −1 when none is.
	Cheapest int `json:"cheapest"`
}

// StaffingOption is one staffing: its agent hours and cost over the span
// (the agents at the cost model's hourly rate, plus the fixed monthly
// costs), and the risk with it.
type StaffingOption struct {
	Value      string          `json:"value"`
	AgentHours decimal.Decimal `json:"agent_hours"`
	Cost       decimal.Decimal `json:"cost"`
	Penalties  Distribution    `json:"penalties"`
	Net        Distribution    `json:"net"`
	Margin     Distribution    `json:"margin"`
	// WithinLimit says whether the P90 of the net penalty is at most the
	// limit; SurelyWithin whether its 95 % interval is too, all of it.
	WithinLimit  bool    `json:"within_limit"`
	SurelyWithin bool    `json:"surely_within"`
	Result       *Result `json:"-"`
}

// PlanStaffing runs the scenario at each value of a staffing parameter
// ([StaffingScale], [ServiceLevelTarget], [Agents]) with the same runs,
// and finds the cheapest staffing whose P90 of the span's net penalty is
// at most limit.
func PlanStaffing(ctx context.Context, c *contract.Contract, sc *Scenario, p Parameter, limit decimal.Decimal, opts Options) (*StaffingPlan, error) {
	if p.Set == nil {
		return nil, questionError("a staffing parameter needs a Set function")
	}
	for i, v := range p.Values { // a parameter the scenario cannot take is a question, not a failed run
		if err := p.Set(sc.Clone(), i); err != nil {
			return nil, questionError("%s = %s: %v", p.Name, v, err)
		}
	}
	sens, err := Sweep(ctx, c, sc, p, opts)
	if err != nil {
		return nil, err
	}
	plan := &StaffingPlan{Parameter: sens.Parameter, Limit: limit, Currency: sens.Currency, Runs: sens.Runs, Seed: sens.Seed, Antithetic: sens.Antithetic, Cheapest: -1}
	for i, pt := range sens.Points {
		r := pt.Result
		o := StaffingOption{Value: pt.Value, AgentHours: pt.AgentHours, Cost: r.Term.Cost, Penalties: r.Term.Penalties, Net: r.Term.Net,
			Margin: r.Term.Margin, Result: r}
		o.WithinLimit = !o.Net.P90.GreaterThan(limit)
		o.SurelyWithin = o.Net.P90CI.High != nil && !o.Net.P90CI.High.GreaterThan(limit)
		plan.Options = append(plan.Options, o)
		if o.WithinLimit && (plan.Cheapest < 0 || o.Cost.LessThan(plan.Options[plan.Cheapest].Cost)) {
			plan.Cheapest = i
		}
	}
	return plan, nil
}
