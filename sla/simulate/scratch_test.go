package simulate

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScratchAmend(t *testing.T) {
	sim := tinySimulation(t)
	v, err := Amend(sim.Contract(), nil, Amendment{"rules.INC-P1.deadline", "6h"})
	require.NoError(t, err)
	opts := Options{Runs: 20, Seed: 3}
	cmp, err := Compare(context.Background(), sim, v, opts)
	require.NoError(t, err)
	fresh, err := Run(context.Background(), v, parse(t, tinyACME), opts)
	require.NoError(t, err)
	a, b := jsonOf(t, cmp.Variant), jsonOf(t, fresh)
	require.Equal(t, b, a)
	base, err := sim.Run(context.Background(), opts)
	require.NoError(t, err)
	require.Equal(t, jsonOf(t, base), jsonOf(t, cmp.Base))
}
