package simulate

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestT975(t *testing.T) {
	assert.InDelta(t, 12.706204736, t975(1), 1e-9)
	assert.InDelta(t, 2.042272456, t975(30), 1e-9)
	// The expansion takes over where the table ends, within 3·10⁻⁸.
	assert.InDelta(t, 2.0395134464, t975(31), 3e-8)
	assert.InDelta(t, 2.0002978220, t975(60), 1e-9)
	assert.InDelta(t, 1.9623390808, t975(1000), 1e-10)
	assert.True(t, math.IsInf(t975(0), 1))
	for df := 1; df < 200; df++ {
		assert.Greater(t, t975(df), t975(df+1), "decreasing in the degrees of freedom")
	}
}

func TestNormalQuantile(t *testing.T) {
	assert.InDelta(t, z975, normalQuantile(0.975), 1e-15)
	assert.InDelta(t, z90, normalQuantile(0.9), 1e-15)
	assert.InDelta(t, -3.090232306167813, normalQuantile(0.001), 1e-14)
	assert.InDelta(t, -8.222082216130435, normalQuantile(1e-16), 1e-12) // the far tail
	assert.Zero(t, normalQuantile(0.5))
	// Odd about ½, as antithetic draws need, exactly on the grid of
	// midUniform, where 1 − u is exact.
	for _, k := range []uint64{0, 1, 1 << 20, 1 << 40, 1 << 50, 3 << 49, 1<<51 - 1, 1 << 51, 1<<52 - 1} {
		u := (float64(k) + 0.5) / (1 << 52)
		assert.Equal(t, 1-u, (float64(1<<52-1-k)+0.5)/(1<<52), "the complement's draw is 1 − u")
		assert.Equal(t, -normalQuantile(u), normalQuantile(1-u), "u = %v", u)
	}
}

func TestBinomialPMF(t *testing.T) {
	for _, c := range []struct {
		n int
		p float64
	}{{1, 0.5}, {10, 0.1}, {100, 0.9}, {20000, 0.99}, {5, 0}, {5, 1}} {
		pmf := binomialPMF(c.n, c.p)
		sum := 0.0
		for _, x := range pmf {
			sum += x
		}
		assert.InDelta(t, 1, sum, 1e-9, "%+v", c)
	}
	assert.InDelta(t, 0.9*0.9*0.1*3, binomialPMF(3, 0.9)[2], 1e-15)
}

// The distribution-free interval of a quantile: the textbook ranks.
func TestOrderRanks(t *testing.T) {
	for _, c := range []struct {
		n      int
		p      float64
		lo, hi int
	}{
		{100, 0.5, 40, 61}, // the median of 100: x₍₄₀₎ to x₍₆₁₎
		{100, 0.9, 84, 96},
		{1000, 0.9, 881, 919},
		{5, 0.5, 0, 0}, // too few for either side
		{10, 0.5, 2, 9},
		{367, 0.99, 359, 0}, // a P99 needs 368 runs for an upper bound
		{368, 0.99, 360, 368},
	} {
		lo, hi := orderRanks(c.n, c.p)
		assert.Equal(t, [2]int{c.lo, c.hi}, [2]int{lo, hi}, "%+v", c)
		if lo > 0 && hi > 0 {
			pmf := binomialPMF(c.n, c.p)
			cover := 0.0
			for k := lo; k < hi; k++ {
				cover += pmf[k]
			}
			assert.GreaterOrEqual(t, cover, 0.95, "%+v", c)
		}
	}
}

func TestWilson(t *testing.T) {
	lo, hi := wilson(0.2, 100) // 20 of 100
	assert.InDelta(t, 0.1333, lo, 1e-4)
	assert.InDelta(t, 0.2888, hi, 1e-4)
	lo, hi = wilson(0, 50)
	assert.Zero(t, lo)
	assert.InDelta(t, 0.0713, hi, 1e-4) // not 0: none in 50 is not never
	lo, hi = wilson(1, 50)
	assert.InDelta(t, 1-0.0713, lo, 1e-4)
	assert.Equal(t, 1.0, hi)
}

func decimals(xs ...float64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(xs))
	for i, x := range xs {
		out[i] = decimal.NewFromFloat(x)
	}
	return out
}

func TestMeanInterval(t *testing.T) {
	// 1 … 10: mean 5.5, s = 3.0277, t(9) = 2.2622: ± 2.1659.
	m, iv := independent.mean(decimals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 2)
	assert.Equal(t, "5.5", m.String())
	require.NotNil(t, iv.Low)
	assert.Equal(t, "3.33", iv.Low.String()) // 5.50 − 2.17, rounded outward
	assert.Equal(t, "7.67", iv.High.String())
	// In pairs, the units are (1, 2), (3, 4)…: means 1.5, 3.5 … 9.5,
	// s = 3.1623, t(4) = 2.7764: ± 3.9265.
	_, iv = pairs.mean(decimals(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 2)
	assert.Equal(t, "1.57", iv.Low.String())
	assert.Equal(t, "9.43", iv.High.String())
	// One value: no interval.
	_, iv = independent.mean(decimals(3), 2)
	assert.Nil(t, iv.Low)
}

// A ratio's interval by the delta method, on runs whose numerator is a
// fixed share of the denominator: no uncertainty at all.
func TestRatioInterval(t *testing.T) {
	r, iv := independent.ratio(decimals(1, 2, 3, 4), decimals(4, 8, 12, 16))
	assert.Equal(t, "0.25", r.String())
	assert.Equal(t, "0.25", iv.Low.String())
	assert.Equal(t, "0.25", iv.High.String())
	r, iv = independent.ratio(decimals(1, 3, 2, 4), decimals(4, 8, 12, 16))
	assert.Equal(t, "0.25", r.String())
	assert.True(t, iv.Low.LessThan(r) && iv.High.GreaterThan(r))
	_, iv = independent.ratio(decimals(0, 0), decimals(0, 0))
	assert.Nil(t, iv.Low, "no penalties: no share")
}

// Woodruff's interval for pairs falls back to what any pairing allows
// when the pairs happen to agree perfectly.
func TestWoodruffFloor(t *testing.T) {
	var v []decimal.Decimal
	for i := range 100 { // pairs (i, 99−i): every pair has one run ≤ the median
		if i%2 == 0 {
			v = append(v, decimal.NewFromInt(int64(i/2)))
		} else {
			v = append(v, decimal.NewFromInt(int64(99-i/2)))
		}
	}
	lo, hi := pairs.woodruffRanks(v, decimal.NewFromInt(49), 0.5)
	// The variance between pairs is zero; the floor is the independent
	// variance times (1 − 1) for p = ½: the ranks close on the median.
	assert.Equal(t, 50, lo)
	assert.Equal(t, 50, hi)
	lo, hi = pairs.woodruffRanks(v, decimal.NewFromInt(89), 0.9)
	assert.Less(t, lo, 90)
	assert.Greater(t, hi, 90)
}
