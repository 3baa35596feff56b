package simulate

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fee found reaches the target, and one euro less does not: checked
// by evaluating the contract at both fees again, on the same runs.
func TestFindPriceToTheEuro(t *testing.T) {
	sim := tinySimulation(t)
	opts := Options{Runs: 4, Seed: 3}
	base, err := sim.Run(context.Background(), opts)
	require.NoError(t, err)
	// Ask for 30,000 more margin than the contract gives on average.
	target := base.Term.Margin.Mean.Add(decimal.NewFromInt(30000))
	a, err := FindPrice(context.Background(), sim, PriceQuestion{Unit: "FORFAIT-APP", Target: target}, opts)
	require.NoError(t, err)
	assert.Equal(t, "fixed fee of FORFAIT-APP", a.What)
	assert.Equal(t, "18000", a.Current.String())
	require.True(t, a.Expected.Found, a.Expected.Note)
	require.True(t, a.P90.Found, a.P90.Note)
	t.Logf("expected at %s, P90 at %s, %d passes, %d candidates", a.Expected.Price, a.P90.Price, a.Passes, len(a.Candidates))
	assert.LessOrEqual(t, a.Passes, 5)
	at := func(fee decimal.Decimal) *Result {
		c, err := repriceUnit(mustRead(t, referenceContractFile), referenceContractFile, "FORFAIT-APP", fee)
		require.NoError(t, err)
		rs, err := sim.runContracts(context.Background(), []*contract.Contract{c}, opts)
		require.NoError(t, err)
		return rs[0]
	}
	one := decimal.NewFromInt(1)
	assert.False(t, at(a.Expected.Price).Term.Margin.Mean.LessThan(target))
	assert.True(t, at(a.Expected.Price.Sub(one)).Term.Margin.Mean.LessThan(target))
	assert.False(t, at(a.P90.Price).Term.Margin.P10.LessThan(target))
	assert.True(t, at(a.P90.Price.Sub(one)).Term.Margin.P10.LessThan(target))
	assert.True(t, a.P90.Price.GreaterThan(a.Expected.Price), "the P90 asks more than the mean")
	// Three months: the fee rises by about a third of the margin wanted.
	assert.InDelta(t, 18000+30000/3, a.Expected.Price.InexactFloat64(), 1500)
}

// A contract repriced at its own prices, or discounted by nothing, gives
// the same run the same report: the YAML goes through untouched but for
// the prices.
func TestRepriceIsFaithful(t *testing.T) {
	sim := tinySimulation(t)
	src := mustRead(t, referenceContractFile)
	same, err := repriceUnit(src, referenceContractFile, "FORFAIT-APP", decimal.NewFromInt(18000))
	require.NoError(t, err)
	none, err := discounted(src, referenceContractFile, decimal.Zero)
	require.NoError(t, err)
	ten, err := discounted(src, referenceContractFile, decimal.RequireFromString("0.1"))
	require.NoError(t, err)
	rs, err := sim.runContracts(context.Background(), []*contract.Contract{sim.Contract(), same, none, ten}, Options{Runs: 2, Seed: 1})
	require.NoError(t, err)
	assert.Equal(t, jsonOf(t, rs[0]), jsonOf(t, rs[1]))
	assert.Equal(t, jsonOf(t, rs[0]), jsonOf(t, rs[2]))
	// A tenth off every price: the invoice falls by about a tenth (the
	// prices are rounded to the cent one by one).
	ratio := rs[3].Term.Invoice.Mean.Div(rs[0].Term.Invoice.Mean).InexactFloat64()
	assert.InDelta(t, 0.9, ratio, 0.001)
	u, ok := ten.WorkUnit("UO-TEL")
	require.True(t, ok)
	assert.Equal(t, "3.78", u.Price.String()) // 4.20 × 0.9
	b, _ := ten.WorkUnit("UO-TKT")
	assert.Equal(t, "9.9", b.Bands[0].Price.String()) // 11.00 × 0.9

	_, err = repriceUnit(src, referenceContractFile, "UO-TKT", decimal.NewFromInt(1))
	require.EqualError(t, err, "work unit UO-TKT is priced by bands: ask for a discount instead")
	_, err = repriceUnit(src, referenceContractFile, "NOPE", decimal.NewFromInt(1))
	require.ErrorContains(t, err, "the contract has no work unit NOPE")
}

func TestFindPriceQuestions(t *testing.T) {
	sim := tinySimulation(t)
	opts := Options{Runs: 2, Seed: 1}
	for _, c := range []struct {
		q    PriceQuestion
		want string
	}{
		{PriceQuestion{}, "say which work unit's price varies, or ask for a discount"},
		{PriceQuestion{Unit: "UO-TEL", Discount: true}, "ask for a unit's price or for a discount, not both"},
		{PriceQuestion{Unit: "UO-TKT"}, "work unit UO-TKT is priced by bands"},
		{PriceQuestion{Unit: "FORFAIT-APP", Low: decimal.NewFromInt(5), High: decimal.NewFromInt(1)}, "price bounds 5 to 1 by 1: want low < high"},
	} {
		_, err := FindPrice(context.Background(), sim, c.q, opts)
		require.ErrorIs(t, err, ErrQuestion, c.want)
		assert.ErrorContains(t, err, c.want)
	}
	_, err := FindPrice(context.Background(), sim, PriceQuestion{Unit: "FORFAIT-APP"}, Options{Precision: decimal.RequireFromString("0.1")})
	require.ErrorIs(t, err, ErrQuestion)

	// A target out of reach: said so, with the most the bounds give.
	a, err := FindPrice(context.Background(), sim, PriceQuestion{Unit: "FORFAIT-APP", Target: decimal.NewFromInt(1e9)}, opts)
	require.NoError(t, err)
	assert.False(t, a.Expected.Found)
	assert.Equal(t, "not reached within the bounds", a.Expected.Note)
	assert.Equal(t, "54000", a.Expected.Price.String())
	assert.Equal(t, 1, a.Passes, "the grid tells at once")

	// A discount: the largest at which the target is reached.
	base, err := sim.Run(context.Background(), opts)
	require.NoError(t, err)
	a, err = FindPrice(context.Background(), sim, PriceQuestion{Discount: true, Target: base.Term.Margin.Mean.Sub(decimal.NewFromInt(5000))}, opts)
	require.NoError(t, err)
	require.True(t, a.Expected.Found, a.Expected.Note)
	assert.True(t, a.Expected.Price.IsPositive(), "a lower margin allows a discount: %s", a.Expected.Price)
	assert.True(t, a.Expected.Missed.LessThan(a.Expected.Margin))
	assert.Len(t, a.Tables(), 2)
	assert.NoError(t, a.Chart().WriteSVG(io.Discard))
}

// The search settles in a few passes on the shapes a margin takes:
// nearly linear in the price, a percentile of such lines, which jumps
// from one run's value to another's, a kink where a cap starts to bite;
// and in not many more on curves no margin follows.
func TestFalsiSettles(t *testing.T) {
	for name, f := range map[string]func(k int) float64{
		"linear":  func(k int) float64 { return 200*float64(k) - 1_731_000 },
		"jumps":   func(k int) float64 { return 100*float64(k) - 870_300 + 3500*float64(k/17%3) },
		"kink":    func(k int) float64 { return math.Min(50*float64(k)-300_000, 500*float64(k)-4_000_000) },
		"convex":  func(k int) float64 { return math.Exp(float64(k)/1500) - 300 },
		"concave": func(k int) float64 { return 300 - math.Exp(float64(14000-k)/1500) },
	} {
		lo, hi, passes := 0, 14000, 0
		var w falsi
		for hi-lo > 1 && passes < maxPricePasses {
			c := w.next(lo, hi, f(lo), f(hi))
			passes++
			for _, k := range []int{c - 1, c} {
				if k > lo && k < hi {
					if f(k) < 0 {
						lo = k
					} else {
						hi = k
					}
				}
			}
		}
		assert.Equal(t, 1, hi-lo, name)
		assert.LessOrEqual(t, passes, 8, name)
		t.Logf("%s: %d passes", name, passes)
	}
}
