package exact

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Aggregates. expr's own sum, mean and median work in floating point or
// fail on durations; these are exact. Percentiles are by nearest rank:
// the p-th percentile of n sorted values is the value at rank ceil(p/100 ×
// n), so it is always an observed value (the 90th percentile of 10 waits is
// the 9th shortest), and nothing is interpolated.

// ErrNoValues is the error of a mean or a percentile of an empty list.
var ErrNoValues = errors.New("no values")

// SumDurations returns the exact sum, or an error when it does not fit in
// a time.Duration (about 292 years).
func SumDurations(ds []time.Duration) (time.Duration, error) {
	var sum big.Int
	var v big.Int
	for _, d := range ds {
		sum.Add(&sum, v.SetInt64(int64(d)))
	}
	if !sum.IsInt64() {
		return 0, errors.New("sum of durations is out of range")
	}
	return time.Duration(sum.Int64()), nil
}

// MeanDuration returns the mean, rounded to the nanosecond half away from
// zero.
func MeanDuration(ds []time.Duration) (time.Duration, error) {
	if len(ds) == 0 {
		return 0, fmt.Errorf("mean: %w", ErrNoValues)
	}
	var sum, v big.Int
	for _, d := range ds {
		sum.Add(&sum, v.SetInt64(int64(d)))
	}
	mean := decimal.NewFromBigInt(&sum, 0).DivRound(decimal.NewFromInt(int64(len(ds))), 0)
	return time.Duration(mean.IntPart()), nil
}

// PercentileDuration returns the p-th percentile by nearest rank, for p
// from 0 (the minimum) to 100 (the maximum).
func PercentileDuration(ds []time.Duration, p int) (time.Duration, error) {
	return percentile(ds, p)
}

// SumDecimals returns the exact sum, within [MaxDigits].
func SumDecimals(ds []decimal.Decimal) (decimal.Decimal, error) {
	var sum decimal.Decimal
	for _, d := range ds {
		var err error
		if sum, err = Add(sum, d); err != nil {
			return decimal.Decimal{}, err
		}
	}
	return sum, nil
}

// SumInts returns the exact sum, or an error when it does not fit in an
// int.
func SumInts(ns []int) (int, error) {
	sum := 0
	for _, n := range ns {
		var err error
		if sum, err = AddInt(sum, n); err != nil {
			return 0, err
		}
	}
	return sum, nil
}

// MeanDecimal returns the mean with [QuotientPlaces] decimal places.
func MeanDecimal(ds []decimal.Decimal) (decimal.Decimal, error) {
	if len(ds) == 0 {
		return decimal.Decimal{}, fmt.Errorf("mean: %w", ErrNoValues)
	}
	sum, err := SumDecimals(ds)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return Div(sum, decimal.NewFromInt(int64(len(ds))))
}

// MeanInt returns the mean of integers with [QuotientPlaces] decimal
// places, exactly: the sum of integers may exceed an int.
func MeanInt(ns []int) (decimal.Decimal, error) {
	if len(ns) == 0 {
		return decimal.Decimal{}, fmt.Errorf("mean: %w", ErrNoValues)
	}
	var sum, v big.Int
	for _, n := range ns {
		sum.Add(&sum, v.SetInt64(int64(n)))
	}
	return Div(decimal.NewFromBigInt(&sum, 0), decimal.NewFromInt(int64(len(ns))))
}

// PercentileInt returns the p-th percentile of integers by nearest rank.
func PercentileInt(ns []int, p int) (int, error) {
	return percentile(ns, p)
}

// percentile returns the p-th percentile of xs by nearest rank.
func percentile[T cmp.Ordered](xs []T, p int) (T, error) {
	i, err := rank(len(xs), p)
	if err != nil {
		var zero T
		return zero, err
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	return sorted[i], nil
}

// PercentileDecimal returns the p-th percentile by nearest rank.
func PercentileDecimal(ds []decimal.Decimal, p int) (decimal.Decimal, error) {
	i, err := rank(len(ds), p)
	if err != nil {
		return decimal.Decimal{}, err
	}
	sorted := slices.Clone(ds)
	slices.SortFunc(sorted, Cmp)
	return sorted[i], nil
}

// rank returns the 0-based index of the p-th percentile of n values.
func rank(n, p int) (int, error) {
	if n == 0 {
		return 0, fmt.Errorf("percentile: %w", ErrNoValues)
	}
	if p < 0 || p > 100 {
		return 0, fmt.Errorf("percentile %d is not between 0 and 100", p)
	}
	r := (p*n + 99) / 100 // ceil(p/100 × n)
	return max(r, 1) - 1, nil
}
