package main

import (
	"testing"

	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/require"
)

// TestSimulateSeeds: the JSON results of disjoint -seeds ranges merge into
// the result of the runs of them all, byte for byte.
func TestSimulateSeeds(t *testing.T) {
	sim := func(args ...string) *simulate.Result {
		t.Helper()
		return simulated(t, run1(t, append([]string{"simulate", "examples/contracts/acme.yaml", "examples/scenarios/acme.yaml", "-format", "json", "-seed", "7"}, args...)...))
	}
	whole := sim("-runs", "3", "-figures")
	first, second := sim("-seeds", "1-2"), sim("-seeds", "0-0")
	require.Equal(t, 2, first.Runs)
	requireMergesTo(t, whole, first, second)

	for _, bad := range [][]string{{"-seeds", "3"}, {"-seeds", "2-1"}, {"-seeds", "a-b"}, {"-seeds", "-1-2"}, {"-seeds", "0-1", "-runs", "2"}} {
		r := run1(t, append([]string{"simulate", "examples/contracts/acme.yaml", "examples/scenarios/acme.yaml"}, bad...)...)
		require.Equal(t, exitUsage, r.code, bad)
		require.Contains(t, r.stderr, "-seeds")
	}
}
