package exact

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                            "0s",
		4 * time.Hour:                "4h",
		90 * time.Minute:             "1h30min",
		45 * time.Second:             "45s",
		-90 * time.Minute:            "-1h30min",
		time.Hour + time.Millisecond: "1h1ms",
		1500 * time.Nanosecond:       "1us500ns",
	} {
		require.Equal(t, want, FormatDuration(d))
	}
}

// RoundDuration divides in integers: it does not read the package-level
// decimal.DivisionPrecision another package may set.
func TestRoundDurationIgnoresDivisionPrecision(t *testing.T) {
	// Regression test of a bug: with decimal.DivisionPrecision = 1, ceil(61min, 1h) is 1h
	old := decimal.DivisionPrecision
	decimal.DivisionPrecision = 1
	defer func() { decimal.DivisionPrecision = old }()
	d, err := RoundDuration(61*time.Minute, time.Hour, "ceil")
	require.NoError(t, err)
	require.Equal(t, 2*time.Hour, d)
}
