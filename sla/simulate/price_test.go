package simulate

import (
	"context"
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
