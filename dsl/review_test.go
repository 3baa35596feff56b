package dsl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Regression test of a bug: the Greek small letter mu (U+03BC), which
// some keyboards and tools write for "micro", was an unknown unit while
// the micro sign (U+00B5) was read; Go's time.ParseDuration reads both.
func TestMicrosecondsWithGreekMu(t *testing.T) {
	for _, src := range []string{"3\u00b5s", "3\u03bcs"} {
		p := compileT[Ticket](t, src, Expect(Duration))
		d, err := EvalAs[time.Duration](p, &Ticket{})
		require.NoError(t, err, src)
		require.Equal(t, 3*time.Microsecond, d, src)
	}
}

// Regression test of a bug: a duration compared with a number without its
// unit (elapsed <= 4, the author meaning 4 hours) was refused with expr's
// "mismatched types" and no hint of the fix. The hint names the duration
// and writes the number with units.
func TestDurationComparedWithNumberHint(t *testing.T) {
	for src, hint := range map[string]string{
		"elapsed <= 4":     "elapsed is a duration: write the unit: 4h, 4min or 4s; a number of hours is elapsed / 1h",
		"4.5 > elapsed":    "elapsed is a duration: write the unit: 4.5h, 4.5min or 4.5s; a number of hours is elapsed / 1h",
		"elapsed + 1 > 4h": "elapsed is a duration: write the unit: 1h, 1min or 1s; a number of hours is elapsed / 1h",
		"(late - 1h) > 2":  "write the unit: 2h, 2min or 2s",
		"elapsed > level":  "a duration goes with durations: write the unit, 4h or 30min; a number of hours is elapsed / 1h",
	} {
		_, err := Compile[Ticket](src)
		var e *Error
		require.ErrorAs(t, err, &e, src)
		require.ErrorIs(t, err, ErrType, src)
		require.Equal(t, hint, e.Hint, src)
	}
	_, err := Compile[Period[time.Duration]]("achieved > 4")
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "achieved is a duration: write the unit: 4h, 4min or 4s; a number of hours is achieved / 1h", e.Hint)
}
