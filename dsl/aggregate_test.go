package dsl

import (
	"math"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestAggregateDispatch covers the dispatch of the language's sum, mean,
// median and percentile over the list types they accept.
func TestAggregateDispatch(t *testing.T) {
	v, err := aggregate("sum", []time.Duration{5 * time.Minute, 10 * time.Minute}, 0)
	require.NoError(t, err)
	require.Equal(t, 15*time.Minute, v)
	v, err = aggregate("mean", []time.Duration{5 * time.Minute, 10 * time.Minute}, 0)
	require.NoError(t, err)
	require.Equal(t, 7*time.Minute+30*time.Second, v)
	v, err = aggregate("percentile", []time.Duration{5 * time.Minute, 10 * time.Minute, time.Minute}, 50)
	require.NoError(t, err)
	require.Equal(t, 5*time.Minute, v)

	v, err = aggregate("sum", []decimal.Decimal{dec("0.1"), dec("0.2")}, 0)
	require.NoError(t, err)
	requireDecimal(t, "0.3", v)
	v, err = aggregate("mean", []decimal.Decimal{dec("1"), dec("2")}, 0)
	require.NoError(t, err)
	requireDecimal(t, "1.5", v)
	v, err = aggregate("percentile", []decimal.Decimal{dec("3"), dec("1"), dec("2")}, 90)
	require.NoError(t, err)
	requireDecimal(t, "3", v)

	v, err = aggregate("sum", []int{1, 2, 3}, 0)
	require.NoError(t, err)
	require.Equal(t, 6, v)
	v, err = aggregate("mean", []int{1, 2}, 0)
	require.NoError(t, err)
	requireDecimal(t, "1.5", v)
	v, err = aggregate("percentile", []int{3, 1, 2}, 50)
	require.NoError(t, err)
	require.Equal(t, 2, v)

	_, err = aggregate("mean", []int{}, 0)
	require.ErrorIs(t, err, exact.ErrNoValues)
	_, err = aggregate("sum", []string{"a"}, 0)
	require.Error(t, err)
	_, err = aggregate("sum", []time.Duration{math.MaxInt64, 1}, 0)
	require.Error(t, err)
}

// TestAggregatesInExpressions: the environments have no typed lists of
// durations or decimals, so sum, mean, median and percentile can only be
// given list literals.
func TestAggregatesInExpressions(t *testing.T) {
	// Regression test of a bug: sum, mean, median and percentile, documented in doc.go, accept no list an expression can write: sum([1h, 2h]) fails with "cannot use []interface {} as argument (type []int)", and no environment has a typed list
	env := sampleTicket()
	for src, want := range map[string]any{
		"sum([1h, 2h])":                         3 * time.Hour,
		"mean([1.5, 2.5])":                      dec("2"),
		"median([10min, 1min, 5min])":           5 * time.Minute,
		"percentile([1, 2, 3, 4], 90)":          4,
		"sum([0.1, 0.2]) == 0.3":                true,
		"mean(map(history, .at - opened)) > 0s": true,
	} {
		p, err := Compile[Ticket](src)
		require.NoError(t, err, src)
		requireSameValue(t, want, evalT(t, p, env), src)
	}
}
