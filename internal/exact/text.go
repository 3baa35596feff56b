package exact

import (
	"fmt"
	"strings"
)

// The functions that build text, each refusing to build more than
// [MaxText] bytes: the size of the result is known before it is built.

func textTooLong(n uint64) error {
	return &LimitError{fmt.Sprintf("a text of %d bytes, more than the %d an expression may build", n, MaxText)}
}

// Concat is a + b.
func Concat(a, b string) (string, error) {
	if n := uint64(len(a)) + uint64(len(b)); n > MaxText {
		return "", textTooLong(n)
	}
	return a + b, nil
}

// Repeat is s repeated n times.
func Repeat(s string, n int) (string, error) {
	if n < 0 {
		return "", fmt.Errorf("repeat: a negative count (%d)", n)
	}
	if size := uint64(len(s)) * uint64(n); n > 0 && (size/uint64(n) != uint64(len(s)) || size > MaxText) {
		return "", textTooLong(max(size, MaxText+1))
	}
	return strings.Repeat(s, n), nil
}

// Replace is strings.Replace(s, old, new, n); n < 0 replaces every
// occurrence.
func Replace(s, old, new string, n int) (string, error) {
	m := strings.Count(s, old)
	if n >= 0 && n < m {
		m = n
	}
	if m > 0 && len(new) > MaxText {
		return "", textTooLong(uint64(len(new)))
	}
	if size := uint64(len(s)) + uint64(m)*uint64(len(new)) - uint64(m)*uint64(len(old)); size > MaxText {
		return "", textTooLong(size)
	}
	return strings.Replace(s, old, new, n), nil
}

// Join is strings.Join(parts, sep).
func Join(parts []string, sep string) (string, error) {
	if len(parts) == 0 {
		return "", nil
	}
	size := uint64(len(sep)) * uint64(len(parts)-1)
	for _, p := range parts {
		size += uint64(len(p))
	}
	if size > MaxText {
		return "", textTooLong(size)
	}
	return strings.Join(parts, sep), nil
}
