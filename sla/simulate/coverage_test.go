package simulate

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The closed forms of the coverage scenario (testdata/coverage-*.yaml):
// N ~ Poisson(12) tickets, each costing 10 × an exponential of mean 1, so
// the penalty is S = 10 · Σ_{i ≤ N} E_i and P(S ≤ x) = P(M ≥ N) with
// M ~ Poisson(x/10) independent of N (a sum of k exponentials is at most
// y when at least k events of a unit Poisson process fall before y).
const (
	coverageTickets = 12.0
	coverageCost    = 10.0 // a minute of restoration
	coverageLimit   = 14   // the rule is breached above
)

// poissonPMF returns P(X = 0 … upTo) for X ~ Poisson(mean).
func poissonPMF(mean float64, upTo int) []float64 {
	out := make([]float64, upTo+1)
	for k := range out {
		lg, _ := math.Lgamma(float64(k) + 1)
		out[k] = math.Exp(float64(k)*math.Log(mean) - mean - lg)
	}
	return out
}

func coverageCDF(x float64) float64 {
	const upTo = 150 // P(N > 150) is below 10⁻⁵⁰
	n, m := poissonPMF(coverageTickets, upTo), poissonPMF(x/coverageCost, upTo)
	p, below := 0.0, 0.0 // below is P(M < k)
	for k := range n {
		p += n[k] * (1 - below)
		below += m[k]
	}
	return p
}

// coverageQuantile solves P(S ≤ x) = p by bisection.
func coverageQuantile(p float64) float64 {
	lo, hi := 0.0, 2000.0
	for range 100 {
		mid := (lo + hi) / 2
		if coverageCDF(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func coverageSimulation(tb testing.TB) *Simulation {
	tb.Helper()
	c, err := contract.Load("testdata/coverage-contract.yaml")
	require.NoError(tb, err)
	sc, err := LoadScenario("testdata/coverage-scenario.yaml")
	require.NoError(tb, err)
	sim, err := New(c, sc)
	require.NoError(tb, err)
	return sim
}

func contains(iv Interval, truth float64) bool {
	return iv.Low != nil && iv.High != nil && iv.Low.InexactFloat64() <= truth && truth <= iv.High.InexactFloat64()
}

// The closed forms are right: checked against their own moments.
func TestCoverageTruth(t *testing.T) {
	assert.InDelta(t, 1, coverageCDF(5000), 1e-12)
	assert.InDelta(t, math.Exp(-coverageTickets), coverageCDF(1e-9), 1e-9) // no ticket
	// The median of S is near its mean, 120, a little below (skewed right).
	med := coverageQuantile(0.5)
	assert.Greater(t, med, 110.0)
	assert.Less(t, med, 120.0)
	// Normal approximation of the P90: 120 + 1.28 · √(12 · 2 · 100).
	assert.InDelta(t, 120+1.2816*math.Sqrt(2400), coverageQuantile(0.9), 10)
}

// On a scenario whose distribution is known in closed form, the 95 %
// intervals contain the truth in 92 % to 98 % of 400 simulations with
// fixed seeds: the P90's order-statistic interval (Woodruff's for
// antithetic pairs), the breach probability's Wilson interval and the
// mean's t interval.
func TestCoverage(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("400 simulations of 100 runs: not in short mode, nor under the race detector, which adds nothing to a statistical test")
	}
	sim := coverageSimulation(t)
	mean := coverageTickets * coverageCost
	p90 := coverageQuantile(0.9)
	notBreached := 0.0
	for _, p := range poissonPMF(coverageTickets, coverageLimit) {
		notBreached += p
	}
	breach := 1 - notBreached
	const replications = 400
	for _, sampling := range []struct{ antithetic, controls bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		runs := 100
		if sampling.controls {
			runs = 200 // ten units a control at least, for pairs
		}
		var mu sync.Mutex
		var inMean, inP90, inBreach int
		var width, plainWidth float64
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Go(func() {
				for rep := w; rep < replications; rep += 2 {
					res, err := sim.Run(context.Background(), Options{Runs: runs, Seed: uint64(1000 + rep), Workers: 1,
						Antithetic: sampling.antithetic, Controls: sampling.controls})
					if !assert.NoError(t, err) {
						return
					}
					pen, rule := res.Term.Penalties, res.Rules[0]
					h, _ := pen.P90CI.HalfWidth()
					values := make([]decimal.Decimal, len(res.Figures))
					for i, f := range res.Figures {
						values[i] = f.Term.Penalties
					}
					d := independent
					if res.Antithetic {
						d = pairs
					}
					ph, _ := d.summarize(values, nil, true).P90CI.HalfWidth()
					mu.Lock()
					inMean += b2i(contains(pen.MeanCI, mean))
					inP90 += b2i(contains(pen.P90CI, p90))
					inBreach += b2i(contains(rule.BreachProbabilityCI, breach))
					width += h.InexactFloat64() / replications
					plainWidth += ph.InexactFloat64() / replications
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		t.Logf("%+v, %d runs: the P90's mean half-width %.2f (%.2f without the controls)", sampling, runs, width, plainWidth)
		for name, in := range map[string]int{"mean": inMean, "P90": inP90, "breach probability": inBreach} {
			t.Logf("%+v: %s: %d of %d", sampling, name, in, replications)
			assert.GreaterOrEqual(t, in, replications*92/100, "%s, %+v", name, sampling)
			assert.LessOrEqual(t, in, replications*98/100, "%s, %+v", name, sampling)
		}
		if sampling.controls {
			assert.Less(t, width, 0.9*plainWidth, "the controls narrow the P90's interval")
		}
	}
}
