package slabeam

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
)

// copies writes each file of the reference data copies times into one
// shard of its source, the record IDs made distinct, and returns the
// folder and the number of rows.
func copies(b *testing.B, copies int) (string, int) {
	b.Helper()
	dir := b.TempDir()
	id := regexp.MustCompile(`"id": *"([^"]*)"`)
	rows := 0
	for _, src := range sources {
		data, err := os.ReadFile(filepath.Join(h1, string(src)+".jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		var out strings.Builder
		for k := range copies {
			out.WriteString(id.ReplaceAllString(string(data), fmt.Sprintf(`"id": "${1}-%d"`, k)))
		}
		rows += copies * strings.Count(string(data), "\n")
		if err := os.WriteFile(filepath.Join(dir, string(src)+"-0.jsonl"), []byte(out.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir, rows
}

// BenchmarkAddInput is a worker's work on the evaluation: shards of
// exports read through sla/ingest into the accumulator's evaluator (the
// reference data's four files, each copied 50 times: 18,800 rows), then
// the accumulator coded. Run with -cpu 1 for the rate of one core.
func BenchmarkAddInput(b *testing.B) {
	dir, rows := copies(b, 50)
	e := evaluation(b, dir, time.Time{})
	fn := &evaluateFn{Evaluation: e}
	if err := fn.Setup(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpuSeconds(b)
	for b.Loop() {
		acc, err := fn.CreateAccumulator()
		if err != nil {
			b.Fatal(err)
		}
		for _, src := range sources {
			if acc, err = fn.AddInput(ctx, acc, Shard{Source: string(src), Path: filepath.Join(dir, string(src)+"-0.jsonl")}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := encodePartial(acc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(rows)*float64(b.N)/(cpuSeconds(b)-cpu), "records/cpu-s")
}

// BenchmarkSimulatedTerm is a worker's work on the simulation: one run of
// the reference scenario over the contract's term (three years), on one
// goroutine.
func BenchmarkSimulatedTerm(b *testing.B) {
	c, err := contract.Load(contractFile)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := simulate.LoadScenario(scenarioFile)
	if err != nil {
		b.Fatal(err)
	}
	sim, err := simulate.New(c, sc)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpuSeconds(b)
	run := 0
	for b.Loop() {
		if _, err := sim.Run(ctx, simulate.Options{FirstRun: run, Runs: 1, Seed: 7, Workers: 1}); err != nil {
			b.Fatal(err)
		}
		run++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "terms/s")
	b.ReportMetric(float64(b.N)/(cpuSeconds(b)-cpu), "terms/cpu-s")
}

// cpuSeconds is the processor time the process has used: on a machine
// shared with other work, the rate per processor second says what a core
// of its own would do, which the rate per second of the wall clock does
// not.
func cpuSeconds(b *testing.B) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
