package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReplaysMay(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run("..", &b, 0))
	out := b.String()
	require.Contains(t, out, "== margin of 2027-05 at Mon 05-03 00:00")
	require.Contains(t, out, "== margin of 2027-05 at Mon 05-31 23:59")
	for _, want := range []string{"threshold", "breached", "stopped", "INC-P2", "misses left", "next ≥ ", " down "} {
		require.Contains(t, out, want)
	}
}
