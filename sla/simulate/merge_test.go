package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pacte-sla/pacte/contract"

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

// Results of simulations that share their names but not their contents
// do not merge: a scenario's volumes, a contract's clause or a history
// file changed between the machines that ran them.
func TestMergeRefusesAnotherSimulationOfTheSameName(t *testing.T) {
	a := runRange(t, tinySimulation(t), 0, 4, false)
	require.Len(t, a.Digest, 64)
	require.Equal(t, a.Digest, runRange(t, tinySimulation(t), 4, 2, false).Digest, "the same scenario prepared twice")

	busier := func(c *contract.Contract) *Simulation {
		s := parse(t, tinyACME)
		s.Tickets[0].PerMonth = 7
		return mustNew(t, c, s)
	}
	clauses, err := os.ReadFile(referenceContractFile)
	require.NoError(t, err)
	require.Contains(t, string(clauses), "penalty: 500.00")
	path := filepath.Join(t.TempDir(), "acme.yaml")
	require.NoError(t, os.WriteFile(path, bytes.Replace(clauses, []byte("penalty: 500.00"), []byte("penalty: 600.00"), 1), 0o600))
	amended, err := contract.Load(path)
	require.NoError(t, err)
	require.Equal(t, referenceContract(t).Name(), amended.Name())

	// history is a scenario drawing its restoration times from a history
	// of one ticket, restored at the instant given.
	history := func(restored string) *Simulation {
		dir := t.TempDir()
		csv := "id,kind,priority,opened,resolved\nH-1,incident,P1,2027-01-04T10:00:00+01:00," + restored + "\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "history.csv"), []byte(csv), 0o600))
		s, err := ParseScenario([]byte("scenario: past\nmonths: 1\nhistory: {file: history.csv}\n"+
			"tickets:\n  - {kind: incident, priority: P1, per_month: 5, restore: history, calendar: 24x7}\n"), filepath.Join(dir, "s.yaml"))
		require.NoError(t, err)
		return mustNew(t, referenceContract(t), s)
	}
	past := runRange(t, history("2027-01-04T11:00:00+01:00"), 0, 2, false)
	undigested := runRange(t, busier(referenceContract(t)), 4, 2, false)
	undigested.Digest = "" // as a result written before results had digests

	for _, c := range []struct {
		name    string
		a, b    *Result
		refused bool
	}{
		{"the volume of a class", a, runRange(t, busier(referenceContract(t)), 4, 2, false), true},
		{"a clause of the contract", a, runRange(t, mustNew(t, amended, parse(t, tinyACME)), 4, 2, false), true},
		{"the history file", past, runRange(t, history("2027-01-04T12:00:00+01:00"), 2, 2, false), true},
		{"the same history", past, runRange(t, history("2027-01-04T11:00:00+01:00"), 2, 2, false), false},
		{"a result without a digest: the names alone", a, undigested, false},
	} {
		_, err := c.a.Merge(c.b)
		if !c.refused {
			require.NoError(t, err, c.name)
			continue
		}
		require.ErrorIs(t, err, ErrMerge, c.name)
		require.ErrorContains(t, err, "the simulations differ", c.name)
		_, err = roundTrip(t, c.b).Merge(roundTrip(t, c.a))
		require.ErrorContains(t, err, "the simulations differ", c.name+", through JSON")
	}
}

func mustNew(tb testing.TB, c *contract.Contract, s *Scenario) *Simulation {
	tb.Helper()
	sim, err := New(c, s)
	require.NoError(tb, err)
	return sim
}
