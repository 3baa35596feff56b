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
