package exact

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mins(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Minute
	}
	return out
}

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

func TestSumDurations(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
		err  bool
	}{
		{"empty", nil, 0, false},
		{"one", mins(5), 5 * time.Minute, false},
		{"several", mins(5, 10, 45), time.Hour, false},
		{"negative", []time.Duration{time.Hour, -90 * time.Minute}, -30 * time.Minute, false},
		{"the largest", []time.Duration{math.MaxInt64}, math.MaxInt64, false},
		{"overflow", []time.Duration{math.MaxInt64, 1}, 0, true},
		{"negative overflow", []time.Duration{math.MinInt64, -1}, 0, true},
		{"overflow on the way, not at the end", []time.Duration{math.MaxInt64, math.MaxInt64, math.MinInt64, math.MinInt64 + 2}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SumDurations(tt.in)
			if tt.err {
				require.EqualError(t, err, "sum of durations is out of range")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestMeanDuration(t *testing.T) {
	tests := []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"one", mins(7), 7 * time.Minute},
		{"exact", mins(60, 120, 240), 140 * time.Minute},
		{"half a nanosecond rounds up", []time.Duration{1, 2}, 2},
		{"half a nanosecond rounds away from zero", []time.Duration{-1, -2}, -2},
		{"a third rounds down", []time.Duration{1, 1, 2}, 1},
		{"two thirds round up", []time.Duration{1, 2, 2}, 2},
		{"no overflow of the sum", []time.Duration{math.MaxInt64, math.MaxInt64}, math.MaxInt64},
		{"no overflow of a negative sum", []time.Duration{math.MinInt64, math.MinInt64}, math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MeanDuration(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err := MeanDuration(nil)
	require.ErrorIs(t, err, ErrNoValues)
	require.EqualError(t, err, "mean: no values")
}

// TestPercentileNearestRank: the p-th percentile of n values is the value
// at rank ceil(p/100 × n) of the sorted values, never an interpolation.
func TestPercentileNearestRank(t *testing.T) {
	ten := mins(10, 1, 9, 2, 8, 3, 7, 4, 6, 5) // 1..10 minutes, unsorted
	orig := slices.Clone(ten)
	tests := []struct {
		p    int
		want time.Duration
	}{
		{0, 1 * time.Minute},   // the minimum
		{1, 1 * time.Minute},   // ceil(0.1) = 1
		{10, 1 * time.Minute},  // rank 1
		{11, 2 * time.Minute},  // ceil(1.1) = 2
		{50, 5 * time.Minute},  // the median of an even count is the lower middle
		{51, 6 * time.Minute},  // ceil(5.1) = 6
		{90, 9 * time.Minute},  // p90 of 10 values is the 9th
		{91, 10 * time.Minute}, // ceil(9.1) = 10
		{95, 10 * time.Minute},
		{100, 10 * time.Minute}, // the maximum
	}
	for _, tt := range tests {
		got, err := PercentileDuration(ten, tt.p)
		require.NoError(t, err)
		require.Equal(t, tt.want, got, "p%d", tt.p)

		d, err := PercentileDecimal(decs("10", "1", "9", "2", "8", "3", "7", "4", "6", "5"), tt.p)
		require.NoError(t, err)
		require.True(t, decimal.NewFromInt(int64(tt.want/time.Minute)).Equal(d), "p%d: %s", tt.p, d)
	}
	require.Equal(t, orig, ten, "the input is not sorted in place")

	three := mins(30, 10, 20)
	for p, want := range map[int]time.Duration{0: 10 * time.Minute, 33: 10 * time.Minute, 34: 20 * time.Minute, 50: 20 * time.Minute, 67: 30 * time.Minute, 100: 30 * time.Minute} {
		got, err := PercentileDuration(three, p)
		require.NoError(t, err)
		require.Equal(t, want, got, "p%d of 3", p)
	}
	one, err := PercentileDuration(mins(4), 90)
	require.NoError(t, err)
	require.Equal(t, 4*time.Minute, one)

	for _, p := range []int{-1, 101} {
		_, err := PercentileDuration(ten, p)
		require.EqualError(t, err, "percentile "+strconv.Itoa(p)+" is not between 0 and 100")
		_, err = PercentileDecimal(decs("1"), p)
		require.Error(t, err)
	}
	_, err = PercentileDuration(nil, 50)
	require.ErrorIs(t, err, ErrNoValues)
	_, err = PercentileDecimal(nil, 0)
	require.ErrorIs(t, err, ErrNoValues)
}

func TestDecimalAggregates(t *testing.T) {
	for _, tt := range []struct {
		in   []decimal.Decimal
		want string
	}{
		{decs("0.1", "0.2"), "0.3"},
		{nil, "0"},
		{decs("11.00", "17989"), "18000"},
	} {
		got, err := SumDecimals(tt.in)
		require.NoError(t, err)
		require.True(t, dec(tt.want).Equal(got), "%v", tt.in)
	}
	_, err := SumDecimals(decs("1e999", "9e999"))
	require.ErrorIs(t, err, ErrLimit, "the sum has 1,001 digits")

	for _, tt := range []struct {
		in   []decimal.Decimal
		want string
	}{
		{decs("0.1", "0.2"), "0.15"},
		{decs("1", "2", "2"), "1.6666666666666667"}, // QuotientPlaces, the last rounded half away from zero
		{decs("-1", "-2", "-2"), "-1.6666666666666667"},
		{decs("1", "1", "2"), "1.3333333333333333"},
		{decs("4.5"), "4.5"},
		{decs("1.10", "1.1"), "1.1"},
	} {
		got, err := MeanDecimal(tt.in)
		require.NoError(t, err)
		require.Equal(t, tt.want, got.String(), "%v", tt.in)
	}
	_, err = MeanDecimal(nil)
	require.ErrorIs(t, err, ErrNoValues)

	// Values equal as numbers sort together whatever their representation.
	got, err := PercentileDecimal(decs("2", "1.10", "1.1", "1.0"), 75)
	require.NoError(t, err)
	require.True(t, dec("1.1").Equal(got))
	got, err = PercentileDecimal(decs("2", "1.10", "1.1", "1.0"), 100)
	require.NoError(t, err)
	require.True(t, dec("2").Equal(got))
}
