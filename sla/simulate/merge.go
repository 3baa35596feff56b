package simulate

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// ErrMerge is the error of results that cannot be merged: different
// simulations, runs in both, or figures missing.
var ErrMerge = errors.New("simulate: results do not merge")

// ErrQuestion is the error of a bid question that cannot be asked: a
// work unit the contract lacks or priced by bands, bounds the wrong way
// round, a second contract that is not a version of the first, a
// staffing parameter the scenario cannot take.
var ErrQuestion = errors.New("simulate: the question cannot be asked")

func questionError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrQuestion, fmt.Sprintf(format, args...))
}

// Merge returns the result of the runs of r and o together, which must
// be disjoint runs of the same simulation: the same contract, scenario
// and history (their Digest), span, seed and sampling (antithetic or
// not, control variates or not), each with its runs' figures. A result
// without a digest (written before results had one) is compared by its
// names alone. The merged result is computed from the figures of all the
// runs, as [Simulation.Run] computes it: the result of runs 0 to 499
// merged with that of runs 500 to 999 is the result of runs 0 to 999,
// byte for byte, whatever the order of the merge. Neither r nor o is
// changed. The merged result has no Precision: its runs were not chosen
// by one precision target.
//
// Merging needs every run's figures: about 3.2 KB of memory a run of the
// reference contract (three contract years, fourteen rules, five caps),
// 1 KB of JSON.
func (r *Result) Merge(o *Result) (*Result, error) {
	if r == nil || o == nil {
		return nil, fmt.Errorf("%w: a result is nil", ErrMerge)
	}
	for _, x := range []*Result{r, o} {
		if len(x.Figures) != x.Runs || x.Runs == 0 {
			return nil, fmt.Errorf("%w: a result of %d runs has the figures of %d (figures dropped?)", ErrMerge, x.Runs, len(x.Figures))
		}
	}
	m, err := r.meta()
	if err != nil {
		return nil, err
	}
	mo, err := o.meta()
	if err != nil {
		return nil, err
	}
	if err := m.sameAs(mo); err != nil {
		return nil, err
	}
	runs := make([]RunFigures, 0, r.Runs+o.Runs)
	runs = append(append(runs, r.Figures...), o.Figures...)
	slices.SortStableFunc(runs, func(a, b RunFigures) int { return a.Run - b.Run })
	for i := 1; i < len(runs); i++ {
		if runs[i].Run == runs[i-1].Run {
			return nil, fmt.Errorf("%w: run %d is in both", ErrMerge, runs[i].Run)
		}
	}
	return summarise(m, runs), nil
}

// meta reads what the result says besides its figures, and checks that
// its figures have its shape.
func (r *Result) meta() (resultMeta, error) {
	m := resultMeta{contract: r.Contract, scenario: r.Scenario, digest: r.Digest, currency: r.Currency, from: r.From, to: r.To,
		seed: r.Seed, antithetic: r.Antithetic, termCost: r.Term.Cost, controls: r.Controls}
	for _, ru := range r.Rules {
		m.rules = append(m.rules, RuleRisk{ID: ru.ID, Name: ru.Name})
	}
	for _, c := range r.Caps {
		m.caps = append(m.caps, CapRisk{Step: c.Step, Rule: c.Rule})
	}
	for _, y := range r.Years {
		m.years = append(m.years, y.Year)
		m.yearCost = append(m.yearCost, y.Cost)
	}
	for i := range r.Figures {
		f := &r.Figures[i]
		if len(f.Controls) != len(m.controls) {
			return m, fmt.Errorf("%w: run %d has %d control counts; the result %d", ErrMerge, f.Run, len(f.Controls), len(m.controls))
		}
		if len(f.Rules) != len(m.rules) || len(f.Caps) != len(m.caps) || len(f.Years) != len(m.years) {
			return m, fmt.Errorf("%w: run %d has %d rules, %d caps and %d years; the result %d, %d and %d",
				ErrMerge, f.Run, len(f.Rules), len(f.Caps), len(f.Years), len(m.rules), len(m.caps), len(m.years))
		}
		if i > 0 && f.Run <= r.Figures[i-1].Run {
			return m, fmt.Errorf("%w: the figures are not in run order (run %d after %d)", ErrMerge, f.Run, r.Figures[i-1].Run)
		}
		if m.antithetic && i%2 == 1 && (f.Run%2 != 1 || r.Figures[i-1].Run != f.Run-1) {
			return m, fmt.Errorf("%w: antithetic runs come in pairs (2k, 2k+1); run %d is alone", ErrMerge, f.Run)
		}
	}
	if m.antithetic && len(r.Figures)%2 == 1 {
		return m, fmt.Errorf("%w: antithetic runs come in pairs; run %d is alone", ErrMerge, r.Figures[len(r.Figures)-1].Run)
	}
	return m, nil
}

// sameAs reports how two results' simulations differ, or nil.
func (m resultMeta) sameAs(o resultMeta) error {
	differ := func(what string, a, b any) error {
		return fmt.Errorf("%w: the %s differ (%v, %v)", ErrMerge, what, a, b)
	}
	switch {
	case m.contract != o.contract:
		return differ("contracts", m.contract, o.contract)
	case m.scenario != o.scenario:
		return differ("scenarios", m.scenario, o.scenario)
	case m.currency != o.currency:
		return differ("currencies", m.currency, o.currency)
	case !m.from.Equal(o.from) || !m.to.Equal(o.to):
		return differ("spans", m.from.String()+" to "+m.to.String(), o.from.String()+" to "+o.to.String())
	case m.seed != o.seed:
		return differ("seeds", m.seed, o.seed)
	case m.antithetic != o.antithetic:
		return differ("samplings (antithetic)", m.antithetic, o.antithetic)
	case !slices.EqualFunc(m.controls, o.controls, func(a, b ControlVariate) bool {
		return a.Name == b.Name && a.Probability == b.Probability
	}):
		return fmt.Errorf("%w: the control variates differ", ErrMerge)
	case !slices.EqualFunc(m.rules, o.rules, func(a, b RuleRisk) bool { return a.ID == b.ID && a.Name == b.Name }):
		return fmt.Errorf("%w: the rules differ", ErrMerge)
	case !slices.EqualFunc(m.caps, o.caps, func(a, b CapRisk) bool { return a.Step == b.Step && a.Rule == b.Rule }):
		return fmt.Errorf("%w: the caps differ", ErrMerge)
	case !slices.Equal(m.years, o.years):
		return differ("contract years", m.years, o.years)
	case !m.termCost.Equal(o.termCost) || !slices.EqualFunc(m.yearCost, o.yearCost, decimal.Decimal.Equal):
		return differ("costs", m.termCost, o.termCost)
	case m.digest != "" && o.digest != "" && m.digest != o.digest:
		// The same names, other contents: a scenario's volumes, durations
		// or history, or the contract's clauses, changed between the runs.
		return fmt.Errorf("%w: the simulations differ (digests %.12s…, %.12s…): the contract, the scenario or its history file of one was changed", ErrMerge, m.digest, o.digest)
	}
	return nil
}
