package simulate

import (
	"context"
	"flag"
	"syscall"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
)

// benchRuns is the number of runs of each benchmark iteration. The
// target of issue 6 is measured with -bench.runs=1000 -benchtime=1x.
var benchRuns = flag.Int("bench.runs", 8, "runs per iteration of the simulation benchmarks")

func loadReference(tb testing.TB) *Simulation {
	tb.Helper()
	c, err := contract.Load("../../examples/contracts/acme.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := LoadScenario("../../examples/scenarios/acme.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	sim, err := New(c, sc)
	if err != nil {
		tb.Fatal(err)
	}
	return sim
}

// cpuTime is the CPU time the process has used, user and system: on a
// machine that other work loads, it says what the runs cost better than
// the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSimulate runs the reference contract against the reference
// scenario (three years, about 3,000 tickets and 12,000 calls a month)
// on GOMAXPROCS workers. runs/s is the wall-clock rate; cpu-ms/run the
// CPU time of a run, garbage collection included.
func BenchmarkSimulate(b *testing.B) {
	sim := loadReference(b)
	b.ReportAllocs()
	var records float64
	cpu0 := cpuTime()
	for b.Loop() {
		res, err := sim.Run(context.Background(), Options{Runs: *benchRuns, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		records = 0
		for _, n := range res.Records {
			records += n.InexactFloat64()
		}
	}
	runs := float64(b.N * *benchRuns)
	b.ReportMetric(runs/b.Elapsed().Seconds(), "runs/s")
	b.ReportMetric(records*runs/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/runs, "cpu-ms/run")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkScaling runs the same runs on one worker, then on two, and
// reports the efficiency of the second: speed-up / 2.
func BenchmarkScaling(b *testing.B) {
	sim := loadReference(b)
	var t1, t2 time.Duration
	for b.Loop() {
		for _, w := range []int{1, 2} {
			start := time.Now()
			if _, err := sim.Run(context.Background(), Options{Runs: *benchRuns, Seed: 1, Workers: w}); err != nil {
				b.Fatal(err)
			}
			if w == 1 {
				t1 += time.Since(start)
			} else {
				t2 += time.Since(start)
			}
		}
	}
	runs := float64(b.N * *benchRuns)
	b.ReportMetric(runs/t1.Seconds(), "runs/s-1w")
	b.ReportMetric(runs/t2.Seconds(), "runs/s-2w")
	b.ReportMetric(100*t1.Seconds()/t2.Seconds()/2, "%efficiency")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkGenerate reads the records of one run without evaluating
// them: the generator's own cost.
func BenchmarkGenerate(b *testing.B) {
	sim := loadReference(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		in := sim.Records(1, 0)
		n = 0
		for range in.Tickets {
			n++
		}
		for range in.Calls {
			n++
		}
		for range in.Outages {
			n++
		}
		for range in.Samples {
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}
