package simulate

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runRange(tb testing.TB, sim *Simulation, first, runs int, antithetic bool) *Result {
	tb.Helper()
	res, err := sim.Run(context.Background(), Options{FirstRun: first, Runs: runs, Seed: 5, Antithetic: antithetic})
	require.NoError(tb, err)
	return res
}

// roundTrip sends a result through JSON, as it would cross processes.
func roundTrip(tb testing.TB, r *Result) *Result {
	tb.Helper()
	b, err := json.Marshal(r)
	require.NoError(tb, err)
	var out Result
	require.NoError(tb, json.Unmarshal(b, &out))
	return &out
}

// Runs 0–3 merged with runs 4–9 are runs 0–9, byte for byte, in either
// order, directly or through JSON, and so are three parts merged in any
// grouping.
func TestMergeIsExact(t *testing.T) {
	sim := tinySimulation(t)
	for _, antithetic := range []bool{false, true} {
		whole := jsonOf(t, runRange(t, sim, 0, 10, antithetic))
		a, b := runRange(t, sim, 0, 4, antithetic), runRange(t, sim, 4, 6, antithetic)
		for name, parts := range map[string][2]*Result{
			"a+b": {a, b}, "b+a": {b, a}, "through JSON": {roundTrip(t, a), roundTrip(t, b)},
		} {
			m, err := parts[0].Merge(parts[1])
			require.NoError(t, err, name)
			assert.Equal(t, whole, jsonOf(t, m), "%s, antithetic %v", name, antithetic)
		}
		x, y, z := runRange(t, sim, 0, 2, antithetic), runRange(t, sim, 2, 6, antithetic), runRange(t, sim, 8, 2, antithetic)
		xz, err := x.Merge(z) // not contiguous: runs 0–1 and 8–9
		require.NoError(t, err)
		assert.Equal(t, []RunRange{{0, 1}, {8, 9}}, xz.Ranges)
		all, err := y.Merge(xz)
		require.NoError(t, err)
		assert.Equal(t, whole, jsonOf(t, all), "antithetic %v", antithetic)
	}
}

func TestMergeRefuses(t *testing.T) {
	sim := tinySimulation(t)
	a := runRange(t, sim, 0, 4, false)
	for _, c := range []struct {
		name  string
		other func() *Result
		want  string
	}{
		{"overlap", func() *Result { return runRange(t, sim, 2, 4, false) }, "run 2 is in both"},
		{"seed", func() *Result {
			r, err := sim.Run(context.Background(), Options{FirstRun: 4, Runs: 2, Seed: 6})
			require.NoError(t, err)
			return r
		}, "the seeds differ (5, 6)"},
		{"sampling", func() *Result { return runRange(t, sim, 4, 2, true) }, "the samplings (antithetic) differ"},
		{"figures dropped", func() *Result {
			r := runRange(t, sim, 4, 2, false)
			r.Figures = nil
			return r
		}, "a result of 2 runs has the figures of 0"},
		{"contract", func() *Result {
			r := runRange(t, sim, 4, 2, false)
			r.Contract = "another"
			return r
		}, "the contracts differ"},
		{"odd pair", func() *Result {
			r := runRange(t, sim, 4, 2, true)
			r.Figures = r.Figures[:1]
			r.Runs = 1
			return r
		}, "antithetic runs come in pairs"},
	} {
		_, err := a.Merge(c.other())
		require.ErrorIs(t, err, ErrMerge, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	_, err := a.Merge(nil)
	require.ErrorIs(t, err, ErrMerge)
}
