package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

// Parameter is one knob of a scenario that a sensitivity analysis turns
// over a range: the P1 restoration median from 2h to 6h, the agents from
// 10 to 20. Values label the points; Set puts point i into a copy of the
// scenario. [RestoreMedian], [Agents] and [Volume] build the usual ones;
// any other is a Set function away.
type Parameter struct {
	Name   string
	Values []string
	Set    func(s *Scenario, i int) error
}

// RestoreMedian varies the restoration median of the ticket classes of a
// kind and priority, keeping the spread: the P90 (or every value of an
// empirical distribution) is scaled by the same factor, a fixed duration
// becomes the median, a mean is scaled. A scenario with no such class is
// an error.
func RestoreMedian(kind, priority string, medians ...time.Duration) Parameter {
	p := Parameter{Name: fmt.Sprintf("%s %s restore median", kind, priority)}
	for _, m := range medians {
		p.Values = append(p.Values, m.String())
	}
	p.Set = func(s *Scenario, i int) error {
		found := false
		for k := range s.Tickets {
			t := &s.Tickets[k]
			if !strings.EqualFold(t.Kind, kind) || !strings.EqualFold(t.Priority, priority) {
				continue
			}
			found = true
			d, err := withMedian(t.Restore, medians[i])
			if err != nil {
				return fmt.Errorf("tickets[%d].restore: %w", k, err)
			}
			t.Restore = d
		}
		if !found {
			return fmt.Errorf("the scenario has no ticket class of kind %q and priority %q", kind, priority)
		}
		return nil
	}
	return p
}

// withMedian scales a distribution to a new median.
func withMedian(d Dist, median time.Duration) (Dist, error) {
	scale := func(x time.Duration, f float64) time.Duration { return time.Duration(math.Round(float64(x) * f)) }
	switch {
	case d.Median > 0:
		f := float64(median) / float64(d.Median)
		return Lognormal(median, scale(d.P90, f)), nil
	case d.Mean > 0:
		return Exponential(scale(d.Mean, float64(median)/(float64(d.Mean)*math.Ln2))), nil
	case len(d.Values) > 0:
		old := medianOf(d.Values)
		if old <= 0 {
			return d, errors.New("cannot scale an empirical distribution whose median is 0")
		}
		out := make([]time.Duration, len(d.Values))
		for i, v := range d.Values {
			out[i] = scale(v, float64(median)/float64(old))
		}
		return Empirical(out...), nil
	case d.History:
		return d, errors.New("cannot change the median of the history's durations: give them as values")
	}
	return Fixed(median), nil
}

func medianOf(v []time.Duration) time.Duration {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// Agents staffs the phone desk with a constant number of agents in every
// half hour with calls, in place of its rota or target.
func Agents(counts ...int) Parameter {
	p := Parameter{Name: "agents"}
	for _, n := range counts {
		p.Values = append(p.Values, strconv.Itoa(n))
	}
	p.Set = func(s *Scenario, i int) error {
		if s.Calls == nil {
			return errors.New("the scenario has no calls")
		}
		s.Calls.Staffing = Staffing{Agents: counts[i]}
		return nil
	}
	return p
}

// Volume multiplies every volume of the scenario (tickets, calls,
// outages) by a factor; a target staffing follows the calls, a fixed one
// does not.
func Volume(factors ...float64) Parameter {
	p := Parameter{Name: "volume"}
	for _, f := range factors {
		p.Values = append(p.Values, "×"+strconv.FormatFloat(f, 'f', -1, 64))
	}
	p.Set = func(s *Scenario, i int) error {
		f := factors[i]
		if !(f >= 0) {
			return fmt.Errorf("a volume factor is ≥ 0, not %v", f)
		}
		for k := range s.Tickets {
			s.Tickets[k].PerMonth *= f
		}
		if s.Calls != nil {
			s.Calls.PerMonth *= f
		}
		for k := range s.Outages {
			s.Outages[k].PerMonth *= f
		}
		return nil
	}
	return p
}

// Sensitivity is how the risk moves as one parameter varies: one
// simulation per value, all with the same runs and seed. Since each run
// draws its records from the same generators whatever the parameter,
// the points differ by the parameter and not by luck (common random
// numbers): a penalty curve is smooth with a few hundred runs.
type Sensitivity struct {
	Parameter string `json:"parameter"`
	Runs      int    `json:"runs"`
	Seed      uint64 `json:"seed"`
	// Antithetic is true when the runs were drawn in antithetic pairs.
	Antithetic bool               `json:"antithetic,omitempty"`
	Currency   string             `json:"currency"`
	Points     []SensitivityPoint `json:"points"`
}

// SensitivityPoint is the risk over the span at one value of the
// parameter; Result has the rest.
type SensitivityPoint struct {
	Value string `json:"value"`
	// AgentHours are the phone desk's agent hours over the span.
	AgentHours decimal.Decimal `json:"agent_hours"`
	Penalties  Distribution    `json:"penalties"`
	Net        Distribution    `json:"net"`
	Margin     Distribution    `json:"margin"`
	Result     *Result         `json:"-"`
}

// Sweep runs the scenario once per value of the parameter, each on the
// same runs: a precision target, which would stop each after its own
// number of runs, is an [ErrQuestion]. Progress, when set, counts the
// runs of every point: total is values × runs.
func Sweep(ctx context.Context, c *contract.Contract, sc *Scenario, p Parameter, opts Options) (*Sensitivity, error) {
	if p.Set == nil || len(p.Values) == 0 {
		return nil, errors.New("simulate: a parameter needs values and a Set function")
	}
	if opts.Precision.IsPositive() {
		return nil, questionError("a sweep evaluates every value on the same runs: give a number of runs, not a precision")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	out := &Sensitivity{Parameter: p.Name, Runs: opts.Runs, Seed: opts.Seed, Antithetic: opts.Antithetic, Currency: c.Currency()}
	total := opts.Runs * len(p.Values)
	for i, v := range p.Values {
		s := sc.Clone()
		if err := p.Set(s, i); err != nil {
			return nil, fmt.Errorf("simulate: %s = %s: %w", p.Name, v, err)
		}
		sim, err := New(c, s)
		if err != nil {
			return nil, fmt.Errorf("simulate: %s = %s: %w", p.Name, v, err)
		}
		o := opts
		if opts.Progress != nil {
			base := i * opts.Runs
			o.Progress = func(done, _ int) { opts.Progress(base+done, total) }
		}
		res, err := sim.Run(ctx, o)
		if err != nil {
			return nil, err
		}
		hours := decimal.Zero
		for _, m := range sim.staffing {
			hours = hours.Add(m.AgentHours)
		}
		out.Points = append(out.Points, SensitivityPoint{Value: v, AgentHours: hours, Penalties: res.Term.Penalties, Net: res.Term.Net,
			Margin: res.Term.Margin, Result: res})
	}
	return out, nil
}

// Chart draws the sensitivity through package sla/report: the mean, P90
// and P99 of the penalties over the span at each value of the parameter.
// Its WriteSVG method writes an SVG element an HTML page can inline.
func (s *Sensitivity) Chart() report.LineChart {
	f := report.Format{Locale: report.English, Currency: s.Currency}
	c := report.LineChart{
		Title:   fmt.Sprintf("Penalties over the span as %s varies (%d runs per value)", s.Parameter, s.Runs),
		XLabel:  s.Parameter,
		YLabel:  "penalties (" + s.Currency + ")",
		YFormat: func(d decimal.Decimal) string { return f.Money(d.Round(0)) },
		YZero:   true,
	}
	mean := report.Series{Name: "mean"}
	p90 := report.Series{Name: "P90", Dashed: true}
	p99 := report.Series{Name: "P99", Dashed: true}
	for _, p := range s.Points {
		c.X = append(c.X, p.Value)
		mean.Values = append(mean.Values, p.Penalties.Mean)
		p90.Values = append(p90.Values, p.Penalties.P90)
		p99.Values = append(p99.Values, p.Penalties.P99)
	}
	c.Series = []report.Series{mean, p90, p99}
	return c
}
