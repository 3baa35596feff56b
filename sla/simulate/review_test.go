package simulate

import (
	"context"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// A precision target of ±20 % is met only when the P90's interval lies
// within 20 % of it on both sides: an order-statistic interval is
// lopsided, and the half of its width may be under 20 % while a side is
// 22.7 % away (tiny ACME, seed 2, after 100 runs). The precision
// reported is the farther side's.
func TestPrecisionHoldsOnBothSides(t *testing.T) {
	target := decimal.RequireFromString("0.2")
	res, err := tinySimulation(t).Run(context.Background(), Options{Runs: 400, Seed: 2, Precision: target, Batch: 20})
	require.NoError(t, err)
	net := res.Term.Net
	require.True(t, res.Precision.Met, "the budget of 400 runs is enough")
	require.NotNil(t, net.P90CI.Low)
	require.NotNil(t, net.P90CI.High)
	below := net.P90.Sub(*net.P90CI.Low).Div(net.P90.Abs())
	above := net.P90CI.High.Sub(net.P90).Div(net.P90.Abs())
	require.True(t, below.LessThanOrEqual(target), "P90 %s, interval %s to %s: %s below", net.P90, net.P90CI.Low, net.P90CI.High, below)
	require.True(t, above.LessThanOrEqual(target), "P90 %s, interval %s to %s: %s above", net.P90, net.P90CI.Low, net.P90CI.High, above)
	require.Equal(t, decimal.Max(below, above).RoundCeil(ratioPlaces).String(), res.Precision.Reached.String())
}

// A sweep compares its points on the same runs: a precision target
// would stop each point after its own number of runs (and the sweep
// reported the budget, 20,000, as its runs per value). Sweep and
// PlanStaffing refuse it, as FindPrice does.
func TestSweepRefusesAPrecision(t *testing.T) {
	c, sc := referenceContract(t), parse(t, tinyACME)
	opts := Options{Runs: 40, Seed: 1, Precision: decimal.RequireFromString("0.3"), Batch: 20}
	_, err := Sweep(context.Background(), c, sc, Volume(1, 1.2), opts)
	require.ErrorIs(t, err, ErrQuestion)
	require.ErrorContains(t, err, "give a number of runs, not a precision")
	_, err = PlanStaffing(context.Background(), c, sc, Agents(2, 3), decimal.NewFromInt(1000), opts)
	require.ErrorIs(t, err, ErrQuestion)
}

// What Compare says of an amended contract is what a fresh simulation of
// that contract gives, run for run, and its base is the contract's own
// simulation: the variant differs by its clause alone.
func TestCompareAmendedIsAFreshRun(t *testing.T) {
	sim := tinySimulation(t)
	variant, err := Amend(sim.Contract(), nil, Amendment{"rules.INC-P1.deadline", "6h"})
	require.NoError(t, err)
	opts := Options{Runs: 20, Seed: 3}
	cmp, err := Compare(context.Background(), sim, variant, opts)
	require.NoError(t, err)
	fresh, err := Run(context.Background(), variant, parse(t, tinyACME), opts)
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, fresh), jsonOf(t, cmp.Variant))
	base, err := sim.Run(context.Background(), opts)
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, base), jsonOf(t, cmp.Base))
}

// A P99's upper bound needs 368 independent runs: with 367, all of them
// fall at or below the P99 with probability 0.99³⁶⁷ ≈ 2.501 %, more
// than the 2.5 % a side may miss.
func TestP99UpperBoundNeeds368Runs(t *testing.T) {
	_, hi := orderRanks(367, 0.99)
	require.Zero(t, hi)
	_, hi = orderRanks(368, 0.99)
	require.Equal(t, 368, hi)
}

// A number of runs no memory holds is an error, not a crash: -runs 10¹²
// asked for 240 TB of figures at once (out of memory), and the largest
// int panicked in makeslice. So are runs whose indices overflow.
func TestHugeRunCountsAreErrors(t *testing.T) {
	sim := tinySimulation(t)
	for _, o := range []Options{
		{Runs: MaxRuns + 1},
		{Runs: math.MaxInt},
		{Runs: 2, FirstRun: math.MaxInt - 1},
		{Precision: decimal.RequireFromString("0.02"), Runs: math.MaxInt},
	} {
		_, err := sim.Run(context.Background(), o)
		require.Error(t, err, "%+v", o)
		require.ErrorContains(t, err, "runs", "%+v", o)
	}
}

// A lognormal's median given as zero is named as such: "median: 0s" read
// "a lognormal needs both median and p90" to someone who had given both.
func TestZeroDurationsAreNamed(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"tickets:\n  - {kind: incident, per_month: 8, restore: {median: 0s, p90: 4h}}\n",
			"test.yaml:3:45: tickets[0].restore: a lognormal needs a median and a p90, both above 0"},
	} {
		_, err := ParseScenario([]byte("scenario: t\n"+tc.yaml), "test.yaml")
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.want)
	}
}
