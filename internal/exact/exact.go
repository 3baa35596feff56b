// Package exact is the arithmetic of the contract language on decimals
// and durations, written once for expr's VM (package dsl), the compiled
// closures (package internal/fast) and the engine (package sla): quotients
// to [QuotientPlaces] places, durations scaled, divided and rounded to the
// nanosecond, sums, means and nearest-rank percentiles, and durations
// written as the language writes them. Nothing here computes in floating
// point.
package exact

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// QuotientPlaces is the number of decimal places a division keeps, the
// last one rounded half away from zero (see dsl.QuotientPlaces).
const QuotientPlaces = 16

// maxPlaces bounds round(x, places): more would cost time without a use.
const maxPlaces = 30

const maxDuration = time.Duration(math.MaxInt64)

// ErrDivisionByZero is the error of x / 0.
var ErrDivisionByZero = errors.New("division by zero")

// Div is a / b to [QuotientPlaces] places, within [MaxDigits].
func Div(a, b decimal.Decimal) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, ErrDivisionByZero
	}
	if err := operands(a, b); err != nil {
		return decimal.Decimal{}, err
	}
	return bounded(a.DivRound(b, QuotientPlaces))
}

// DivDurations is the exact ratio a / b of two durations, as a decimal.
func DivDurations(a, b time.Duration) (decimal.Decimal, error) {
	return Div(decimal.NewFromInt(int64(a)), decimal.NewFromInt(int64(b)))
}

// DivDurationInt is d / n, rounded to the nanosecond half away from zero.
func DivDurationInt(d time.Duration, n int) (time.Duration, error) {
	if n == 0 {
		return 0, ErrDivisionByZero
	}
	if d == math.MinInt64 && n == -1 {
		return 0, fmt.Errorf("duration overflow: %s / (-1)", FormatDuration(d))
	}
	q := decimal.NewFromInt(int64(d)).DivRound(decimal.NewFromInt(int64(n)), 0)
	return time.Duration(q.IntPart()), nil
}

// DivDurationDecimal is d / k, rounded to the nanosecond half away from
// zero.
func DivDurationDecimal(d time.Duration, k decimal.Decimal) (time.Duration, error) {
	if k.IsZero() {
		return 0, ErrDivisionByZero
	}
	if !exponentInRange(k) {
		return 0, errTooManyDigits
	}
	return ScaleDuration(d, decimal.NewFromInt(1).DivRound(k, QuotientPlaces*2))
}

// ScaleDuration multiplies a duration by a decimal, rounding to the
// nanosecond half away from zero.
func ScaleDuration(d time.Duration, k decimal.Decimal) (time.Duration, error) {
	if !exponentInRange(k) {
		return 0, errTooManyDigits
	}
	v := decimal.NewFromInt(int64(d)).Mul(k).Round(0)
	if !v.IsInteger() || v.Abs().GreaterThan(decimal.NewFromInt(int64(maxDuration))) {
		return 0, fmt.Errorf("duration %s × %s is out of range", d, k)
	}
	return time.Duration(v.IntPart()), nil
}

// RoundDecimal is round(x, places): half away from zero, to between −30
// and 30 places.
func RoundDecimal(x decimal.Decimal, places int) (decimal.Decimal, error) {
	if places < -maxPlaces || places > maxPlaces {
		return decimal.Decimal{}, fmt.Errorf("round: %d places is out of range (%d to %d)", places, -maxPlaces, maxPlaces)
	}
	if !exponentInRange(x) {
		return decimal.Decimal{}, errTooManyDigits
	}
	return bounded(x.Round(int32(places)))
}

// RoundDuration rounds d to a multiple of unit, in integer arithmetic:
// mode "ceil" and "floor" toward the infinities, "round" half away from
// zero.
func RoundDuration(d, unit time.Duration, mode string) (time.Duration, error) {
	if unit <= 0 {
		return 0, fmt.Errorf("%s(%s, %s): the unit must be positive", mode, FormatDuration(d), FormatDuration(unit))
	}
	q, r := d/unit, d%unit // truncated toward zero
	switch mode {
	case "ceil":
		if r > 0 {
			q++
		}
	case "floor":
		if r < 0 {
			q--
		}
	default:
		if r >= 0 && r >= unit-r {
			q++
		} else if r < 0 && -r >= unit+r {
			q--
		}
	}
	if q > maxDuration/unit || q < -maxDuration/unit {
		return 0, fmt.Errorf("%s(%s, %s) is out of range", mode, FormatDuration(d), FormatDuration(unit))
	}
	return q * unit, nil
}

// ParseDecimal reads a decimal written with a dot or a decimal comma,
// spaces as thousands separators: "4,5", "1 000.25"; within [MaxDigits].
func ParseDecimal(s string) (decimal.Decimal, error) {
	if len(s) > 2*MaxDigits { // room for separators: a longer text is no decimal of the language
		return decimal.Decimal{}, errTooManyDigits
	}
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("not a decimal number: %q", s)
	}
	return bounded(d)
}

// CalendarDays is n × 24 hours of calendar time, for n from 0 to 100,000.
func CalendarDays(n int) (time.Duration, error) {
	if n < 0 || n > 100000 {
		return 0, fmt.Errorf("calendar_days(%d): out of range", n)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}
