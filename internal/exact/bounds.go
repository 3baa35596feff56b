package exact

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// The bounds of the values the language computes. Decimals are exact, so
// nothing but a bound keeps 1e10000 squared a few times from growing to
// numbers of millions of digits, each operation slower than the last.

// MaxDigits is the largest number of digits of a decimal the language
// computes, written out in full, before and after the point together:
// 1e999 and 0.001 × 1e-996 are in range, 1e1000 is not. Integer parts
// of invoices and fractions of quotients use a few dozen.
const MaxDigits = 1000

// MaxText is the largest text, in bytes, an expression builds by
// concatenation, repeat, replace or join.
const MaxText = 1 << 20

// ErrLimit is what the errors of values beyond [MaxDigits] and [MaxText]
// match with errors.Is.
var ErrLimit = errors.New("value out of bounds")

// LimitError is a value beyond the language's bounds.
type LimitError struct{ Msg string }

func (e *LimitError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrLimit) hold.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Digits is the number of digits of d written out in full, before and
// after the point: 3 for 1.25 and for 100, 4 for 0.0001.
func Digits(d decimal.Decimal) int {
	e := int(d.Exponent())
	n := 1
	if !d.IsZero() {
		n = d.NumDigits()
	}
	return max(n+e, 0) + max(-e, 0)
}

// CheckDecimal returns an error when d has more than [MaxDigits] digits.
func CheckDecimal(d decimal.Decimal) error {
	if !exponentInRange(d) || Digits(d) > MaxDigits {
		return errTooManyDigits
	}
	return nil
}

// exponentInRange is the cheap part of CheckDecimal, which operands are
// checked with before an operation that would rescale them: a decimal
// that passes it costs at most MaxDigits digits to rescale.
func exponentInRange(d decimal.Decimal) bool {
	e := d.Exponent()
	return e >= -MaxDigits && e <= MaxDigits
}

var errTooManyDigits = &LimitError{fmt.Sprintf("a decimal of more than %d digits, beyond what the language computes", MaxDigits)}

// operands returns an error when a or b cannot be an operand: the
// results the language computes never are, but a record may hold one.
func operands(a, b decimal.Decimal) error {
	if !exponentInRange(a) {
		return errTooManyDigits
	}
	if !exponentInRange(b) {
		return errTooManyDigits
	}
	return nil
}

// bounded returns d, or the error of a result of more than MaxDigits
// digits.
func bounded(d decimal.Decimal) (decimal.Decimal, error) {
	if err := CheckDecimal(d); err != nil {
		return decimal.Decimal{}, err
	}
	return d, nil
}

// Add is a + b, within [MaxDigits].
func Add(a, b decimal.Decimal) (decimal.Decimal, error) {
	if err := operands(a, b); err != nil {
		return decimal.Decimal{}, err
	}
	return bounded(a.Add(b))
}

// Sub is a − b, within [MaxDigits].
func Sub(a, b decimal.Decimal) (decimal.Decimal, error) {
	if err := operands(a, b); err != nil {
		return decimal.Decimal{}, err
	}
	return bounded(a.Sub(b))
}

// Mul is a × b, within [MaxDigits].
func Mul(a, b decimal.Decimal) (decimal.Decimal, error) {
	if err := operands(a, b); err != nil {
		return decimal.Decimal{}, err
	}
	return bounded(a.Mul(b))
}

// Cmp compares a and b exactly, as a.Cmp(b), but without rescaling one of
// them to the other's exponent when they are far apart: 1e100000000 is
// greater than 4 by its number of digits, not by writing it out.
func Cmp(a, b decimal.Decimal) int {
	if d := int64(a.Exponent()) - int64(b.Exponent()); d >= -2*MaxDigits && d <= 2*MaxDigits {
		return a.Cmp(b)
	}
	sa, sb := a.Sign(), b.Sign()
	switch {
	case sa != sb:
		return cmp.Compare(sa, sb)
	case sa == 0:
		return 0
	}
	// Same sign: the larger magnitude has more digits before the point
	// (the coefficient's digits plus the exponent).
	ma := int64(a.NumDigits()) + int64(a.Exponent())
	mb := int64(b.NumDigits()) + int64(b.Exponent())
	if ma == mb { // the exponents differ by the coefficients' digits at most
		return a.Cmp(b)
	}
	return sa * cmp.Compare(ma, mb)
}

// Ceil is the smallest integer not below x.
func Ceil(x decimal.Decimal) (decimal.Decimal, error) {
	if !exponentInRange(x) {
		return decimal.Decimal{}, errTooManyDigits
	}
	return x.Ceil(), nil
}

// Floor is the largest integer not above x.
func Floor(x decimal.Decimal) (decimal.Decimal, error) {
	if !exponentInRange(x) {
		return decimal.Decimal{}, errTooManyDigits
	}
	return x.Floor(), nil
}
