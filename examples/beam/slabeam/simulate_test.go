package slabeam

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/require"
)

const scenarioFile = root + "/examples/scenarios/acme.yaml"

func simulation(t *testing.T) Simulation {
	t.Helper()
	c, err := os.ReadFile(contractFile)
	require.NoError(t, err)
	sc, err := os.ReadFile(scenarioFile)
	require.NoError(t, err)
	return Simulation{Contract: c, ContractName: contractFile, Scenario: sc, ScenarioName: scenarioFile}
}

// simulated is simulate.Run's result for the same runs, as the pipeline
// writes it.
func simulated(t *testing.T, sm Simulation) []byte {
	t.Helper()
	c, err := contract.Load(contractFile)
	require.NoError(t, err)
	sc, err := simulate.LoadScenario(scenarioFile)
	require.NoError(t, err)
	res, err := simulate.Run(context.Background(), c, sc, simulate.Options{Runs: sm.Runs, FirstRun: sm.FirstRun,
		Seed: sm.Seed, Antithetic: sm.Antithetic})
	require.NoError(t, err)
	data, err := json.MarshalIndent(res, "", "  ")
	require.NoError(t, err)
	return append(data, '\n')
}

// TestSimulatePipeline: the simulation spread over seed ranges on Prism
// is simulate.Run's for the same seeds, byte for byte.
func TestSimulatePipeline(t *testing.T) {
	for name, tc := range map[string]struct {
		first, runs, shard int
		antithetic         bool
	}{
		"ranges of 2":          {0, 5, 2, false},
		"one range":            {0, 2, 10, false},
		"from run 5":           {5, 3, 2, false},
		"antithetic, ranges 1": {2, 4, 1, true},
	} {
		t.Run(name, func(t *testing.T) {
			sm := simulation(t)
			sm.Seed, sm.FirstRun, sm.Runs, sm.ShardRuns, sm.Antithetic = 7, tc.first, tc.runs, tc.shard, tc.antithetic
			out := run(t, func(s beam.Scope) (beam.PCollection, error) { return Simulate(s, sm) })
			got, err := os.ReadFile(filepath.Join(out, "simulation.json"))
			require.NoError(t, err)
			requireSame(t, simulated(t, sm), got, "simulation.json")
		})
	}
}

func TestShards(t *testing.T) {
	for _, tc := range []struct {
		sm   Simulation
		want []SeedRange
	}{
		{Simulation{Runs: 7, ShardRuns: 3}, []SeedRange{{0, 3}, {3, 3}, {6, 1}}},
		{Simulation{FirstRun: 10, Runs: 4, ShardRuns: 4}, []SeedRange{{10, 4}}},
		{Simulation{Runs: 8, ShardRuns: 3, Antithetic: true}, []SeedRange{{0, 4}, {4, 4}}},
		{Simulation{}, []SeedRange{{0, 20}, {20, 20}}},
	} {
		got := tc.sm.Shards()
		if tc.sm.Runs == 0 {
			require.Len(t, got, simulate.DefaultRuns/DefaultShardRuns)
			got = got[:2]
		}
		require.Equal(t, tc.want, got)
	}
}

func TestSimulateRefuses(t *testing.T) {
	for name, mutate := range map[string]func(*Simulation){
		"bad scenario":    func(sm *Simulation) { sm.Scenario = []byte("volumes: [") },
		"negative runs":   func(sm *Simulation) { sm.Runs = -1 },
		"antithetic, odd": func(sm *Simulation) { sm.Antithetic, sm.Runs = true, 7 },
	} {
		t.Run(name, func(t *testing.T) {
			sm := simulation(t)
			mutate(&sm)
			_, s := beam.NewPipelineWithRoot()
			_, err := Simulate(s, sm)
			require.Error(t, err)
		})
	}
}
