package slabeam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
)

// Simulation is what the simulation pipeline reads: the contract, the
// scenario, and the runs to draw. Like [Evaluation], it travels inside
// the pipeline.
type Simulation struct {
	// Contract and Scenario are the files' contents, with their names.
	Contract     []byte
	ContractName string
	Scenario     []byte
	ScenarioName string

	// Seed, FirstRun and Runs are simulate.Options': the runs FirstRun to
	// FirstRun + Runs − 1 of the seed (Runs zero: simulate.DefaultRuns).
	Seed     uint64
	FirstRun int
	Runs     int
	// Antithetic draws the runs in antithetic pairs; FirstRun and Runs
	// must then be even.
	Antithetic bool

	// ShardRuns is the number of runs of a shard, a seed range run on one
	// worker; default [DefaultShardRuns]. Rounded up to even with
	// Antithetic, so that no pair is cut.
	ShardRuns int
}

// DefaultShardRuns is the number of runs of a shard when
// Simulation.ShardRuns is zero: some seconds of a core for the reference
// contract's three years, long enough that a shard's start costs little.
const DefaultShardRuns = 20

// SeedRange is a shard of a simulation: the runs First to First+Runs−1.
type SeedRange struct {
	First, Runs int
}

// Shards cuts the runs of the simulation into seed ranges.
func (sm *Simulation) Shards() []SeedRange {
	runs := sm.Runs
	if runs == 0 {
		runs = simulate.DefaultRuns
	}
	size := sm.ShardRuns
	if size <= 0 {
		size = DefaultShardRuns
	}
	if sm.Antithetic && size%2 == 1 {
		size++
	}
	var out []SeedRange
	for first := sm.FirstRun; first < sm.FirstRun+runs; first += size {
		out = append(out, SeedRange{First: first, Runs: min(size, sm.FirstRun+runs-first)})
	}
	return out
}

// Simulate adds to the pipeline the simulation, its runs spread over the
// workers by seed range, and returns a PCollection of one element: the
// merged result, the same as simulate.Run's for all the runs, as
// []Document (simulation.json: the result's JSON, its runs' figures
// included, so that it merges with the result of other runs).
func Simulate(s beam.Scope, sm Simulation) (beam.PCollection, error) {
	if _, err := sm.prepare(); err != nil {
		return beam.PCollection{}, err
	}
	if sm.Runs < 0 || sm.FirstRun < 0 {
		return beam.PCollection{}, fmt.Errorf("slabeam: the first run (%d) and the runs (%d) must be ≥ 0", sm.FirstRun, sm.Runs)
	}
	if sm.Antithetic && (sm.FirstRun%2 != 0 || sm.Runs%2 != 0) {
		return beam.PCollection{}, errors.New("slabeam: antithetic runs come in pairs: the first run and the runs must be even")
	}
	s = s.Scope("pacte.Simulate")
	ranges := beam.Reshuffle(s, beam.CreateList(s, sm.Shards()))
	return beam.Combine(s, &simulateFn{Simulation: sm}, ranges), nil
}

func (sm *Simulation) prepare() (*simulate.Simulation, error) {
	c, err := contract.Parse(sm.Contract, sm.ContractName)
	if err != nil {
		return nil, err
	}
	sc, err := simulate.ParseScenario(sm.Scenario, sm.ScenarioName)
	if err != nil {
		return nil, err
	}
	return simulate.New(c, sc)
}

// runs is the simulation's accumulator: the result of the runs drawn so
// far (nil: none). It travels as the result's JSON, which keeps every
// run's figures, what merging needs.
type runs struct {
	result *simulate.Result
}

func encodeRuns(r runs) ([]byte, error) {
	if r.result == nil {
		return nil, nil
	}
	return json.Marshal(r.result)
}

func decodeRuns(data []byte) (runs, error) {
	if len(data) == 0 {
		return runs{}, nil
	}
	var res simulate.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return runs{}, fmt.Errorf("slabeam: a simulation accumulator: %w", err)
	}
	return runs{result: &res}, nil
}

// merge merges the runs of a and b.
func merge(a, b runs) (runs, error) {
	switch {
	case a.result == nil:
		return b, nil
	case b.result == nil:
		return a, nil
	}
	res, err := a.result.Merge(b.result)
	return runs{result: res}, err
}

// simulateFn is the CombineFn of the simulation: it adds seed ranges,
// each run where it is added, and merges their results.
type simulateFn struct {
	Simulation Simulation
	sim        *simulate.Simulation
}

func (fn *simulateFn) Setup() error {
	var err error
	fn.sim, err = fn.Simulation.prepare()
	return err
}

func (fn *simulateFn) CreateAccumulator() runs { return runs{} }

func (fn *simulateFn) AddInput(ctx context.Context, acc runs, r SeedRange) (runs, error) {
	res, err := fn.sim.Run(ctx, simulate.Options{FirstRun: r.First, Runs: r.Runs, Seed: fn.Simulation.Seed,
		Antithetic: fn.Simulation.Antithetic})
	if err != nil {
		return acc, err
	}
	return merge(acc, runs{result: res})
}

func (fn *simulateFn) MergeAccumulators(a, b runs) (runs, error) { return merge(a, b) }

func (fn *simulateFn) ExtractOutput(acc runs) ([]Document, error) {
	if acc.result == nil {
		return nil, errors.New("slabeam: the simulation drew no run")
	}
	data, err := json.MarshalIndent(acc.result, "", "  ")
	if err != nil {
		return nil, err
	}
	return []Document{{Name: "simulation.json", Data: append(data, '\n')}}, nil
}
