package exact

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"time"
)

// Integer and duration arithmetic that fails rather than wraps:
// 9223372036854775807 + 1 is an error, not a negative number.

// AddInt is a + b.
func AddInt(a, b int) (int, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, intOverflow(a, "+", b)
	}
	return s, nil
}

// SubInt is a − b.
func SubInt(a, b int) (int, error) {
	s := a - b
	if (s < a) != (b > 0) {
		return 0, intOverflow(a, "-", b)
	}
	return s, nil
}

// MulInt is a × b.
func MulInt(a, b int) (int, error) {
	p, ok := mul64(int64(a), int64(b))
	if !ok {
		return 0, intOverflow(a, "*", b)
	}
	return int(p), nil
}

// NegInt is −a.
func NegInt(a int) (int, error) {
	if a == math.MinInt {
		return 0, fmt.Errorf("integer overflow: -(%d)", a)
	}
	return -a, nil
}

// AbsInt is |a|.
func AbsInt(a int) (int, error) {
	if a < 0 {
		return NegInt(a)
	}
	return a, nil
}

func intOverflow(a int, op string, b int) error {
	return fmt.Errorf("integer overflow: %d %s %s", a, op, parenthesized(strconv.Itoa(b)))
}

// AddDuration is a + b.
func AddDuration(a, b time.Duration) (time.Duration, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, durationOverflow(a, "+", b)
	}
	return s, nil
}

// SubDuration is a − b.
func SubDuration(a, b time.Duration) (time.Duration, error) {
	s := a - b
	if (s < a) != (b > 0) {
		return 0, durationOverflow(a, "-", b)
	}
	return s, nil
}

// MulDuration is d × n.
func MulDuration(d time.Duration, n int) (time.Duration, error) {
	p, ok := mul64(int64(d), int64(n))
	if !ok {
		return 0, fmt.Errorf("duration overflow: %s * %s", FormatDuration(d), parenthesized(strconv.Itoa(n)))
	}
	return time.Duration(p), nil
}

// NegDuration is −d.
func NegDuration(d time.Duration) (time.Duration, error) {
	if d == math.MinInt64 {
		return 0, fmt.Errorf("duration overflow: -(%s)", FormatDuration(d))
	}
	return -d, nil
}

// AbsDuration is |d|.
func AbsDuration(d time.Duration) (time.Duration, error) {
	if d < 0 {
		return NegDuration(d)
	}
	return d, nil
}

func durationOverflow(a time.Duration, op string, b time.Duration) error {
	return fmt.Errorf("duration overflow: %s %s %s", FormatDuration(a), op, parenthesized(FormatDuration(b)))
}

// parenthesized writes a negative operand in parentheses: 1 - (-2).
func parenthesized(s string) string {
	if len(s) > 0 && s[0] == '-' {
		return "(" + s + ")"
	}
	return s
}

// mul64 is a × b and whether it fits in an int64.
func mul64(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	if hi != 0 {
		return 0, false
	}
	if neg {
		if lo > 1<<63 {
			return 0, false
		}
		return -int64(lo), true // −2⁶³ included: −int64(1<<63) wraps to itself
	}
	if lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}

// abs64 is |a| as an unsigned integer, −2⁶³ included.
func abs64(a int64) uint64 {
	if a < 0 {
		return uint64(-a) // −2⁶³ wraps to itself, which is 2⁶³ unsigned
	}
	return uint64(a)
}
