package simulate

import (
	"math"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The simulated phone desk against the queueing formulas, on a
// stationary profile: calls at a constant rate all day every day of
// January 2027 (a flat profile on a 24x7 contract), exponential handling
// times, a constant number of agents. Without abandonment this is the
// M/M/N queue of Erlang C; with exponential patience, the M/M/N+M queue
// of Erlang A. The formulas give the long-run figures; the simulation
// estimates them from its calls.
//
// Tolerance. Successive calls in a queue are strongly correlated (a busy
// minute makes every caller in it wait), so the binomial standard error
// of a service level, √(p(1−p)/n), understates the noise several times
// over. The test measures the noise instead, by batch means: each day of
// each replication is a batch (days are hours longer than the queue's
// memory of a few minutes, so batches are nearly independent), and the
// standard error is that of the mean of the batches. Each figure must be
// within 4 standard errors of the formula (a correct simulator fails
// such a check about once in 15,000 seeds), and the standard errors must
// themselves be small, so that the check means something: below half a
// point for shares and 1.5 s for the ASA with the 8 replications here
// (about 710,000 calls). The figures measured are logged (go test -v).

// deskStats accumulates a simulated desk's calls, a batch per day.
type deskStats struct {
	within time.Duration
	days   []dayStats
}

type dayStats struct {
	n, within, waited, abandoned, answered int
	waitSum                                float64
}

func dateOf(y int, m time.Month, d int) calendar.Date {
	return calendar.Date{Year: y, Month: m, Day: d}
}

// run simulates January 2027 with one seed and adds its days.
func (ds *deskStats) run(t *testing.T, c *contract.Contract, calls *Calls, seed uint64) {
	t.Helper()
	sim, err := New(c, &Scenario{Start: dateOf(2027, 1, 1), Months: 1, Calls: calls})
	require.NoError(t, err)
	start, _ := sim.Span()
	days := make([]dayStats, 31)
	for call := range sim.Records(seed, 0).Calls {
		d := &days[int(call.Offered.Sub(start)/(24*time.Hour))]
		d.n++
		switch {
		case !call.Answered.IsZero():
			w := call.Answered.Sub(call.Offered)
			d.answered++
			d.waitSum += w.Seconds()
			if w <= ds.within {
				d.within++
			}
			if w > 0 {
				d.waited++
			}
		case call.Abandoned:
			d.abandoned++
			d.waited++
		default:
			t.Fatalf("call %s neither answered nor abandoned on a desk always open", call.ID)
		}
	}
	ds.days = append(ds.days, days...)
}

// stat returns a ratio over every call and the standard error of the
// daily ratios' mean.
func (ds *deskStats) stat(f func(d dayStats) (num, den float64)) (ratio, se float64) {
	var num, den, mean float64
	xs := make([]float64, len(ds.days))
	for i, d := range ds.days {
		x, y := f(d)
		num, den = num+x, den+y
		xs[i] = x / y
		mean += xs[i]
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return num / den, math.Sqrt(v / float64(len(xs)-1) / float64(len(xs)))
}

func (ds *deskStats) calls() int {
	n := 0
	for _, d := range ds.days {
		n += d.n
	}
	return n
}

// check compares a simulated figure with the formula's.
func check(t *testing.T, name string, sim, se, want, maxSE float64) {
	t.Helper()
	t.Logf("%-14s simulated %8.4f ± %.4f, formula %8.4f, difference %+.2f standard errors", name, sim, se, want, (sim-want)/se)
	assert.LessOrEqual(t, se, maxSE, "%s: the standard error is too large for the check to mean anything", name)
	assert.LessOrEqual(t, math.Abs(sim-want), 4*se, "%s: simulated %v, formula %v", name, sim, want)
}

const replications = 8

// 8 Erlangs (2 calls a minute, 4 minutes each): the desk's simulated
// calls against Erlang C on 10 agents (80 % occupancy, 41 % of calls
// wait), and against Erlang A on 8 agents with callers hanging up after 2
// minutes on average (Erlang C would never settle, Erlang A does).
func TestDeskAgreesWithErlang(t *testing.T) {
	c, err := contract.Load("testdata/small-contract.yaml")
	require.NoError(t, err)
	for _, tc := range []struct {
		name     string
		agents   int
		patience time.Duration // 0: callers wait as long as it takes
		seed     uint64        // of the first replication
	}{
		{"ErlangC", 10, 0, 0},
		{"ErlangA", 8, 2 * time.Minute, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := &Calls{PerMonth: 2 * 60 * 24 * 31, Handling: Exponential(4 * time.Minute), Staffing: Staffing{Agents: tc.agents}}
			if tc.patience > 0 {
				calls.Patience = Exponential(tc.patience)
			}
			ds := &deskStats{within: 20 * time.Second}
			for seed := range uint64(replications) {
				ds.run(t, c, calls, tc.seed+seed)
			}
			q := CallQueue{Calls: 60, Interval: 30 * time.Minute, AHT: 4 * time.Minute, Patience: tc.patience}
			m, err := q.Metrics(tc.agents, 20*time.Second)
			require.NoError(t, err)
			t.Logf("%d calls, %d daily batches", ds.calls(), len(ds.days))

			sl, se := ds.stat(func(d dayStats) (float64, float64) { return float64(d.within), float64(d.n) })
			check(t, "service level", sl, se, m.ServiceLevel, 0.005)
			if tc.patience > 0 {
				ab, se := ds.stat(func(d dayStats) (float64, float64) { return float64(d.abandoned), float64(d.n) })
				check(t, "abandoned", ab, se, m.AbandonProbability, 0.005)
			}
			w, se := ds.stat(func(d dayStats) (float64, float64) { return float64(d.waited), float64(d.n) })
			check(t, "P(wait)", w, se, m.WaitProbability, 0.005)
			asa, se := ds.stat(func(d dayStats) (float64, float64) { return d.waitSum, float64(d.answered) })
			check(t, "ASA (s)", asa, se, m.ASA.Seconds(), 1.5)
		})
	}
}
