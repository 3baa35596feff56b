package simulate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Where the controls' mean is their expectation, every run weighs 1/n and
// the percentiles are the plain nearest-rank ones.
func TestControlsWithoutDeviation(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400
	controls, values := make([][]float64, n), make([]float64, n)
	sum := 0.0
	for i := range n {
		c := float64(r.IntN(10))
		controls[i] = []float64{c}
		values[i] = 100*c + r.NormFloat64()*50
		sum += c
	}
	fit := independent.fitControls(controls, []float64{sum / n})
	require.NotNil(t, fit)
	for _, w := range fit.weight {
		assert.InDelta(t, 1.0/n, w, 1e-15)
	}
	v := decimals(values...)
	s := slices.Clone(v)
	slices.SortFunc(s, decimal.Decimal.Cmp)
	for _, p := range []int{10, 50, 90, 99} {
		got, _ := fit.quantile(independent, fit.cdf(v), p)
		want, _ := independent.quantile(v, s, p, nil)
		assert.True(t, want.Equal(got), "P%d: %s, want %s", p, got, want)
	}
}

// Controls are used once the runs are ten a control, and ten off each
// extreme of every control; one the others explain is left out.
func TestControlsLeftOut(t *testing.T) {
	c := make([][]float64, 29)
	for i := range c {
		c[i] = []float64{float64(i % 2), float64(i % 2)}
	}
	assert.Nil(t, independent.fitControls(c, []float64{0.5, 0.5}), "29 runs for two controls")
	c = append(c, c...)
	fit := independent.fitControls(c, []float64{0.5, 0.5})
	require.NotNil(t, fit)
	assert.Len(t, fit.chol, 1, "the second control is the first")
	assert.Equal(t, 58-2, fit.df)
	for i := range c {
		c[i][1] = 0
	}
	c[0][1] = 1 // the first run alone in its stratum
	assert.Nil(t, independent.fitControls(c, []float64{0.5, 0.1}), "one run off the second control's least value")
}

// A figure that a control explains well: Y = 100·C + noise, C Poisson of
// known mean. Over 200 simulations of 300 runs, the controlled P90 is
// nearer the truth than the plain one, its interval narrower, and it
// contains the truth about 95 % of the time.
func TestControlsNarrowThePercentile(t *testing.T) {
	const mean, noise, n, sims = 8.0, 60.0, 300, 200
	// The truth, from 2·10⁶ draws.
	r := rand.New(rand.NewPCG(7, 7))
	draw := func() (float64, float64) {
		c := float64(poisson(r, mean))
		return c, 100*c + noise*r.NormFloat64()
	}
	big := make([]float64, 2_000_000)
	for i := range big {
		_, big[i] = draw()
	}
	slices.Sort(big)
	truth := big[len(big)*9/10]
	var errPlain, errCV, widthPlain, widthCV float64
	in := 0
	for range sims {
		controls, values := make([][]float64, n), make([]float64, n)
		for i := range n {
			var c float64
			c, values[i] = draw()
			controls[i] = []float64{c}
		}
		v := decimals(values...)
		s := slices.Clone(v)
		slices.SortFunc(s, decimal.Decimal.Cmp)
		plain, piv := independent.quantile(v, s, 90, nil)
		fit := independent.fitControls(controls, []float64{mean})
		require.NotNil(t, fit)
		est, iv := fit.quantile(independent, fit.cdf(v), 90)
		errPlain += math.Abs(plain.InexactFloat64() - truth)
		errCV += math.Abs(est.InexactFloat64() - truth)
		hp, _ := piv.HalfWidth()
		hc, ok := iv.HalfWidth()
		require.True(t, ok)
		widthPlain += hp.InexactFloat64()
		widthCV += hc.InexactFloat64()
		in += b2i(contains(iv, truth))
	}
	t.Logf("mean error %.1f → %.1f, half-width %.1f → %.1f, coverage %d of %d", errPlain/sims, errCV/sims, widthPlain/sims, widthCV/sims, in, sims)
	assert.Less(t, errCV, 0.8*errPlain)
	assert.Less(t, widthCV, 0.8*widthPlain)
	assert.GreaterOrEqual(t, in, sims*90/100)
	assert.LessOrEqual(t, in, sims*99/100)
}

func TestPoissonAtLeast(t *testing.T) {
	assert.Equal(t, 1.0, poissonAtLeast(3, 0))
	assert.InDelta(t, 1-math.Exp(-1.2), poissonAtLeast(1.2, 1), 1e-15)
	assert.InDelta(t, 1-math.Exp(-1.2)*(1+1.2), poissonAtLeast(1.2, 2), 1e-15)
	assert.InDelta(t, 0, poissonAtLeast(0.01, 30), 1e-15)
}

// The probabilities of the controls are what the runs draw: the share
// of 3,000 runs of the reference contract and a small scenario in which
// each indicator is 1 is within four standard errors of it, for
// lognormal, exponential and empirical times to restore, and for
// antithetic pairs.
func TestControlProbabilities(t *testing.T) {
	sc := parse(t, tinyACME)
	require.GreaterOrEqual(t, len(sc.Tickets), 2)
	sc.Tickets[0].Controls = []TicketControl{{LongerThan: 4 * time.Hour, AtLeast: 2}, {LongerThan: 2 * time.Hour}}
	sc.Tickets[1].Restore = Exponential(90 * time.Minute)
	sc.Tickets[1].Controls = []TicketControl{{LongerThan: 3 * time.Hour, AtLeast: 2}}
	sc.Tickets = append(sc.Tickets, sc.Tickets[1].clone())
	sc.Tickets[2].Priority = "P4"
	sc.Tickets[2].Restore = Empirical(time.Hour, 2*time.Hour, 2*time.Hour, 3*time.Hour, 5*time.Hour, 8*time.Hour, 13*time.Hour, 21*time.Hour)
	sc.Tickets[2].Controls = []TicketControl{{LongerThan: 5 * time.Hour, AtLeast: 3}}
	sim, err := New(referenceContract(t), sc)
	require.NoError(t, err)
	th, cvs := sim.controls()
	require.NotEmpty(t, cvs)
	t.Log(len(cvs), "controls:", cvs[0].Name, "…", cvs[len(cvs)-1].Name)
	const runs = 3000
	for _, s := range []*Simulation{sim, sim.paired} {
		hits := make([]int, len(cvs))
		for run := range runs {
			tl := newTally(len(sim.months), th)
			s.drawTickets(3, run, func(*pacte.Ticket) bool { return true }, tl)
			for k, c := range cvs {
				hits[k] += c.value(tl)
			}
		}
		for k, c := range cvs {
			p := c.Probability
			assert.InDelta(t, p, float64(hits[k])/runs, 4*math.Sqrt(p*(1-p)/runs), "%s (pairs %v)", c.Name, s.pairs)
		}
	}
}

// Results with controls are the same on any number of workers, stop a
// precision target at the same batch, and merge exactly.
func TestControlsDeterministicAndMergeable(t *testing.T) {
	sim := coverageSimulation(t)
	run := func(first, runs, workers int) *Result {
		res, err := sim.Run(context.Background(), Options{FirstRun: first, Runs: runs, Seed: 9, Workers: workers, Controls: true})
		require.NoError(t, err)
		return res
	}
	whole := run(0, 200, 1)
	require.NotEmpty(t, whole.Controls)
	require.Len(t, whole.Figures[0].Controls, len(whole.Controls))
	want := jsonOf(t, whole)
	assert.Equal(t, want, jsonOf(t, run(0, 200, 3)))
	m, err := roundTrip(t, run(120, 80, 2)).Merge(roundTrip(t, run(0, 120, 1)))
	require.NoError(t, err)
	assert.Equal(t, want, jsonOf(t, m))
	plain, err := sim.Run(context.Background(), Options{FirstRun: 200, Runs: 10, Seed: 9})
	require.NoError(t, err)
	_, err = whole.Merge(plain)
	require.ErrorIs(t, err, ErrMerge)

	var first string
	for _, workers := range []int{1, 2} {
		res, err := sim.Run(context.Background(), Options{Runs: 2000, Seed: 9, Workers: workers, Batch: 100, Controls: true,
			Precision: decimal.RequireFromString("0.05")})
		require.NoError(t, err)
		require.True(t, res.Precision.Met)
		if first == "" {
			first = jsonOf(t, res)
			continue
		}
		assert.Equal(t, first, jsonOf(t, res))
	}
}

// The distribution of the months' weight is that of every way the months
// may fall, enumerated.
func TestWeightedMonths(t *testing.T) {
	reach := []float64{0.1, 0.5, 0.25, 0.9, 0.3, 0.6}
	w := &weightedMonths{from: 1, weight: []int{50, 100, 80, 120, 90, 110}, again: []int{100, 200, 160, 240, 180, 220}}
	want := map[int]float64{}
	for mask := range 1 << len(reach) {
		p, weight := 1.0, 0
		for i, r := range reach {
			if mask&(1<<i) == 0 {
				p *= 1 - r
				continue
			}
			p *= r
			switch {
			case i < w.from:
			case i > w.from && mask&(1<<(i-1)) != 0:
				weight += w.again[i]
			default:
				weight += w.weight[i]
			}
		}
		want[weight] += p
	}
	survival := w.distribution(reach)
	for x := range survival {
		s := 0.0
		for v, p := range want {
			if v >= x {
				s += p
			}
		}
		require.InDelta(t, s, survival[x], 1e-12, "P(weight ≥ %d)", x)
	}
}
