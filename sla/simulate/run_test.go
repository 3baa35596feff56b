package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jsonOf(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return string(b)
}

// The same seed gives the same result, to the byte, on 1, 2 or 4 workers.
func TestDeterminismAcrossWorkers(t *testing.T) {
	sim := tinySimulation(t)
	var want string
	for _, workers := range []int{1, 2, 4} {
		res, err := sim.Run(context.Background(), Options{Runs: 6, Seed: 42, Workers: workers})
		require.NoError(t, err)
		got := jsonOf(t, res)
		if want == "" {
			want = got
			continue
		}
		assert.Equal(t, want, got, "%d workers", workers)
	}
	other, err := sim.Run(context.Background(), Options{Runs: 6, Seed: 43, Workers: 2})
	require.NoError(t, err)
	assert.NotEqual(t, want, jsonOf(t, other), "another seed, other runs")
}

// A run's records are the same however often and from wherever they are
// read.
func TestRecordsAreReproducible(t *testing.T) {
	sim := tinySimulation(t)
	read := func() string {
		in := sim.Records(7, 3)
		var all []any
		for x := range in.Tickets {
			all = append(all, x)
		}
		for x := range in.Calls {
			all = append(all, x)
		}
		for x := range in.Outages {
			all = append(all, x)
		}
		for x := range in.Samples {
			all = append(all, x)
		}
		return jsonOf(t, all)
	}
	first := read()
	var wg sync.WaitGroup
	results := make([]string, 3)
	for i := range results {
		wg.Go(func() { results[i] = read() })
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, first, r)
	}
}

// The result is what the engine says of each run: Run summarises the
// reports of sla.Evaluate, nothing else.
func TestRunSummarisesTheEngine(t *testing.T) {
	sim := tinySimulation(t)
	const runs = 4
	res, err := sim.Run(context.Background(), Options{Runs: runs, Seed: 9})
	require.NoError(t, err)
	var pen, inv, net []decimal.Decimal
	ruleSum := map[string]decimal.Decimal{}
	for i := range runs {
		rep, err := sim.Evaluate(context.Background(), 9, i)
		require.NoError(t, err)
		pen = append(pen, rep.Totals.Penalties.Decimal)
		inv = append(inv, rep.Totals.Invoice.Decimal)
		net = append(net, rep.Totals.Net.Decimal)
		for _, p := range rep.Periods {
			for _, r := range p.Rules {
				ruleSum[r.ID] = ruleSum[r.ID].Add(r.Penalty.Decimal)
			}
		}
		assert.Empty(t, rep.Rejected, "the generator makes valid records")
		assert.Empty(t, rep.Errors)
	}
	assert.Equal(t, jsonOf(t, Summarize(pen)), jsonOf(t, res.Term.Penalties))
	assert.Equal(t, jsonOf(t, Summarize(inv)), jsonOf(t, res.Term.Invoice))
	assert.Equal(t, jsonOf(t, Summarize(net)), jsonOf(t, res.Term.Net))
	for _, r := range res.Rules {
		assert.True(t, ruleSum[r.ID].DivRound(decimal.NewFromInt(runs), 2).Equal(r.ExpectedPenalty), r.ID)
	}
	assert.Zero(t, res.Rejected)
	assert.Zero(t, res.RuleErrors)
	assert.Len(t, res.Years, 1, "three months of the first contract year")
	// Cost: 3 months of 9,000 plus the agent hours at 30.
	hours := decimal.Zero
	for _, m := range sim.Staffing() {
		hours = hours.Add(m.AgentHours)
	}
	assert.Equal(t, decimal.NewFromInt(27000).Add(hours.Mul(decimal.NewFromInt(30))).String(), res.Term.Cost.String())
}

// Simulation.Evaluate is sla.Evaluate over Records, to the byte, and
// reading the records twice gives the same report.
func TestEvaluateIsSlaEvaluate(t *testing.T) {
	sim := tinySimulation(t)
	for run := range 2 {
		ours, err := sim.Evaluate(context.Background(), 5, run)
		require.NoError(t, err)
		theirs, err := sla.Evaluate(context.Background(), sim.Contract(), sim.Records(5, run), sla.ListMissed(0))
		require.NoError(t, err)
		assert.Equal(t, jsonOf(t, theirs), jsonOf(t, ours))
	}
}

func TestProgress(t *testing.T) {
	sim := tinySimulation(t)
	var calls [][2]int
	_, err := sim.Run(context.Background(), Options{Runs: 5, Seed: 1, Workers: 3, Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total}) // called from one goroutine at a time
	}})
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{1, 5}, {2, 5}, {3, 5}, {4, 5}, {5, 5}}, calls)
}

func TestCancellation(t *testing.T) {
	sim := tinySimulation(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := sim.Run(ctx, Options{Runs: 3, Seed: 1})
	assert.Nil(t, res)
	require.ErrorIs(t, err, context.Canceled)

	// Cancelled after the first run: the others stop, promptly.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	done := 0
	res, err = sim.Run(ctx, Options{Runs: 1000, Seed: 1, Workers: 2, Progress: func(d, _ int) {
		done = d
		cancel()
	}})
	assert.Nil(t, res)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, done, 10)
	assert.Less(t, time.Since(start), 20*time.Second)

	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err = sim.Run(ctx, Options{Runs: 1000, Seed: 1})
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestOptions(t *testing.T) {
	sim := tinySimulation(t)
	_, err := sim.Run(context.Background(), Options{Runs: -1})
	require.EqualError(t, err, "simulate: runs (-1), first run (0), workers (0) and batch (0) must be ≥ 0")
	o, err := Options{}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, DefaultRuns, o.Runs)
	assert.Positive(t, o.Workers)
}

// Summaries are exact: the mean to the cent, the percentiles read from
// the values by nearest rank.
func TestSummarize(t *testing.T) {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	var vals []decimal.Decimal
	for i := 1; i <= 200; i++ { // 0.01 … 2.00, shuffled
		vals = append(vals, decimal.New(int64((i*37)%200+1), -2))
	}
	s := Summarize(vals)
	assert.Equal(t, "1.01", s.Mean.String()) // 201/2 cents
	assert.Equal(t, "0.01", s.Min.String())
	assert.Equal(t, "0.2", s.P10.String())  // 20th of 200
	assert.Equal(t, "1", s.P50.String())    // 100th
	assert.Equal(t, "1.8", s.P90.String())  // 180th
	assert.Equal(t, "1.98", s.P99.String()) // 198th
	assert.Equal(t, "2", s.Max.String())

	// Three runs: the mean rounds half away from zero; P90 and P99 are
	// the largest.
	s = Summarize([]decimal.Decimal{d("100"), d("0.005"), d("200")})
	assert.Equal(t, "100", s.Mean.String()) // 300.005/3 = 100.00166…
	assert.Equal(t, "100", s.P50.String())
	assert.Equal(t, "200", s.P90.String())
	assert.Equal(t, "0.005", s.Min.String())
	s = Summarize([]decimal.Decimal{d("0.01"), d("0.02")})
	assert.Equal(t, "0.02", s.Mean.String()) // 0.015 → 0.02
	s = Summarize([]decimal.Decimal{d("-0.01"), d("-0.02")})
	assert.Equal(t, "-0.02", s.Mean.String())

	assert.Equal(t, Distribution{}, Summarize(nil))
	one := Summarize([]decimal.Decimal{d("42.42")})
	assert.Equal(t, "42.42", one.P99.String())
	assert.Equal(t, "42.42", one.P10.String())

	for _, c := range []struct{ p, n, want int }{{50, 1000, 499}, {90, 1000, 899}, {99, 1000, 989}, {99, 10, 9}, {10, 10, 0}, {50, 3, 1}, {1, 1, 0}} {
		assert.Equal(t, c.want, nearestRank(c.p, c.n), "P%d of %d", c.p, c.n)
	}
}

// The caps of a contract whose every ticket is late: the rule cap, the
// monthly cap and the yearly cap are reached in every run, the bonus cap
// never; the yearly cap holds the year's penalties to 6 % of 120,000.
func TestCapProbabilities(t *testing.T) {
	c, err := contract.Load("testdata/small-contract.yaml")
	require.NoError(t, err)
	sc, err := LoadScenario("testdata/small-scenario.yaml")
	require.NoError(t, err)
	res, err := Run(context.Background(), c, sc, Options{Runs: 4, Seed: 5})
	require.NoError(t, err)

	byStep := map[string]CapRisk{}
	for _, cr := range res.Caps {
		byStep[cr.Step+cr.Rule] = cr
	}
	require.Len(t, res.Caps, 4)
	assert.Equal(t, []string{"rule_caps", "month_cap", "year_cap", "bonus"},
		[]string{res.Caps[0].Step, res.Caps[1].Step, res.Caps[2].Step, res.Caps[3].Step})
	assert.Equal(t, "LATE-INC", res.Caps[0].Rule)
	assert.Equal(t, "1", byStep["rule_capsLATE-INC"].Probability.String())
	assert.Equal(t, "12", byStep["rule_capsLATE-INC"].MeanTimes.String())
	assert.Equal(t, "1", byStep["month_cap"].Probability.String())
	assert.Equal(t, "12", byStep["month_cap"].MeanTimes.String())
	// 1,000 a month (10 % of 10,000) reach the 7,200 of the year in the
	// eighth month: the cap cuts 200 then, and 1,000 in each of the four
	// months after.
	assert.Equal(t, "1", byStep["year_cap"].Probability.String())
	assert.Equal(t, "5", byStep["year_cap"].MeanTimes.String())
	assert.Equal(t, "4800", byStep["year_cap"].ExpectedCut.String())
	assert.Equal(t, "0", byStep["bonus"].Probability.String())
	assert.Equal(t, "Caps: how often each is reached (95 % interval), and what it saves", res.CapsTable().Title)

	for _, v := range []decimal.Decimal{res.Term.Penalties.Min, res.Term.Penalties.Max, res.Term.Penalties.Mean} {
		assert.Equal(t, "7200", v.String())
	}
	assert.Equal(t, "112800", res.Term.Margin.Mean.String(), "120,000 − 7,200, no cost")
}

// Generated records are valid, and as the scenario describes.
func TestGeneratedRecords(t *testing.T) {
	sim := tinySimulation(t)
	in := sim.Records(1, 0)
	kinds := map[string]int{}
	problems := 0
	var p1IDs = map[string]bool{}
	for tk := range in.Tickets {
		kinds[tk.Kind+tk.Priority]++
		require.False(t, tk.Resolved.Before(tk.Opened), tk.ID)
		if tk.Kind != "problem" {
			require.False(t, tk.Acknowledged.Before(tk.Opened), tk.ID)
			require.False(t, tk.Resolved.Before(tk.Acknowledged), tk.ID)
		}
		require.False(t, tk.Opened.Before(time.Date(2027, 3, 1, 0, 0, 0, 0, sim.loc)), tk.ID)
		require.True(t, tk.Opened.Before(time.Date(2027, 6, 1, 0, 0, 0, 0, sim.loc)), tk.ID)
		if tk.Kind == "incident" && tk.Priority == "P1" {
			p1IDs[tk.ID] = true
		}
		if tk.Kind == "problem" {
			problems++
			require.Len(t, tk.Links, 1)
			assert.True(t, p1IDs[tk.Links[0].ID], "a problem follows its incident")
			assert.Equal(t, "known error", tk.History[1].Status)
		}
		if len(tk.History) > 0 && tk.Kind == "incident" {
			assert.Equal(t, "waiting for client", tk.History[1].Status)
			assert.True(t, tk.History[2].At.After(tk.History[1].At) || tk.History[2].At.Equal(tk.History[1].At))
		}
	}
	assert.Equal(t, len(p1IDs), problems, "every P1 gets its problem")
	// Poisson volumes: 3 months of 60 P3 incidents is 180 ± 4σ (σ ≈ 13.4).
	assert.InDelta(t, 180, kinds["incidentP3"], 54)
	assert.InDelta(t, 240, kinds["request"], 62)

	var answered, abandoned, closed int
	ids := map[string]bool{}
	for c := range in.Calls {
		require.False(t, ids[c.ID], "unique call IDs")
		ids[c.ID] = true
		switch {
		case !c.Answered.IsZero():
			answered++
			require.False(t, c.Answered.Before(c.Offered))
			require.True(t, c.Ended.After(c.Answered))
		case c.Abandoned:
			abandoned++
			require.True(t, c.Ended.After(c.Offered) || c.Ended.Equal(c.Offered))
		default:
			closed++
		}
		local := c.Offered.In(sim.loc)
		require.True(t, local.Hour() >= 8 && local.Hour() < 18, "calls come in office hours: %s", local)
		require.NotEqual(t, time.Saturday, local.Weekday())
	}
	// 900 calls a month on two agents at 5 minutes each: busy but stable.
	assert.InDelta(t, 2700, answered+abandoned+closed, 4*52)
	assert.Positive(t, abandoned)
	assert.Positive(t, answered)

	var outages []pacte.Outage
	for o := range in.Outages {
		outages = append(outages, o)
		require.True(t, o.End.After(o.Start))
		if o.Planned {
			assert.True(t, o.Announced.Before(o.Start))
		}
	}
	n := 0
	for s := range in.Samples {
		n++
		assert.Equal(t, "csat", s.Name)
		assert.True(t, s.Value.GreaterThanOrEqual(decimal.NewFromInt(1)) && s.Value.LessThanOrEqual(decimal.NewFromInt(5)))
	}
	// 30 % of 166 tickets a month over 3 months: 149 ± 4σ.
	assert.InDelta(t, 149, n, 49)
	assert.Equal(t, "240", in.Volumes["2027-05"]["UO-POSTE"].String())
	assert.Len(t, in.Volumes, 3)
}

func TestRunNeedsAValidScenario(t *testing.T) {
	_, err := Run(context.Background(), referenceContract(t), &Scenario{Months: -1}, Options{})
	require.Error(t, err)
	var list ErrorList
	require.True(t, errors.As(err, &list))
	_, err = New(nil, nil)
	require.Error(t, err)
}

// A reader that stops early gets the first records of the stream, the
// same as a reader that reads it all, wherever it stops: inside a batch of
// tickets, at its end, or past it.
func TestStreamsStopWhereTheReaderStops(t *testing.T) {
	sim := loadReference(t)
	in := sim.Records(3, 1)
	var tickets, calls []string
	for x := range in.Tickets {
		tickets = append(tickets, x.ID)
	}
	for x := range in.Calls {
		calls = append(calls, x.ID)
	}
	require.Greater(t, len(tickets), 100000)
	require.Greater(t, len(calls), 400000)
	for _, n := range []int{1, 2, 30, 31, 32, 33, 64, 199} {
		var got []string
		for x := range in.Tickets {
			got = append(got, x.ID)
			if len(got) == n {
				break
			}
		}
		require.Equal(t, tickets[:n], got, "tickets, stopped after %d", n)
		got = got[:0]
		for x := range in.Calls {
			got = append(got, x.ID)
			if len(got) == n {
				break
			}
		}
		require.Equal(t, calls[:n], got, "calls, stopped after %d", n)
	}
}

// A precision target stops at the same run, and gives the same result to
// the byte, on one worker or three: it is checked by batches.
func TestPrecisionIsDeterministic(t *testing.T) {
	sim := tinySimulation(t)
	var want string
	for _, workers := range []int{1, 3} {
		res, err := sim.Run(context.Background(), Options{Runs: 300, Seed: 6, Workers: workers, Batch: 10,
			Precision: decimal.RequireFromString("0.4")})
		require.NoError(t, err)
		require.NotNil(t, res.Precision)
		assert.True(t, res.Precision.Met)
		assert.Zero(t, res.Runs%10, "whole batches")
		assert.Less(t, res.Runs, 300)
		assert.False(t, res.Precision.Reached.GreaterThan(decimal.RequireFromString("0.4")))
		if want == "" {
			want = jsonOf(t, res)
			continue
		}
		assert.Equal(t, want, jsonOf(t, res))
	}
	// The same runs without the target give the same figures.
	var got Result
	require.NoError(t, json.Unmarshal([]byte(want), &got))
	plain, err := sim.Run(context.Background(), Options{Runs: got.Runs, Seed: 6})
	require.NoError(t, err)
	plain.Precision = got.Precision
	assert.Equal(t, want, jsonOf(t, plain))

	_, err = sim.Run(context.Background(), Options{Precision: decimal.NewFromInt(1)})
	require.EqualError(t, err, "simulate: a precision is a share between 0 and 1 (0.02 for 2 %), not 1")
	_, err = sim.Run(context.Background(), Options{Runs: 3, Antithetic: true})
	require.EqualError(t, err, "simulate: antithetic runs come in pairs: the first run (0), the runs (3) and the batch (100) must be even")
}

// Antithetic pairs draw each run from the scenario as an independent run
// is drawn, the second of a pair from the complements of the first's
// uniforms: its restoration times are long where the first's are short.
func TestAntitheticPairs(t *testing.T) {
	sim := tinySimulation(t).paired
	durations := func(run int) []time.Duration {
		var out []time.Duration
		sim.drawTickets(11, run, func(tk *pacte.Ticket) bool {
			if tk.Kind == "incident" && tk.Priority == "P3" {
				out = append(out, tk.Resolved.Sub(tk.Opened))
			}
			return true
		}, nil)
		return out
	}
	a, b := durations(0), durations(1)
	require.NotEmpty(t, a)
	require.NotEmpty(t, b)
	// The first tickets of the month pair up: a long one with a short one
	// (their calendars stretch both, so compare ranks, not sums).
	longShort := 0
	n := min(len(a), len(b), 20)
	med := func(v []time.Duration) time.Duration {
		s := slices.Clone(v)
		slices.Sort(s)
		return s[len(s)/2]
	}
	ma, mb := med(a), med(b)
	for i := range n {
		if (a[i] > ma) != (b[i] > mb) {
			longShort++
		}
	}
	assert.GreaterOrEqual(t, longShort, n*3/4, "a long restoration in one run is a short one in the other")
	assert.NotEqual(t, durations(2), a, "the next pair draws other tickets")
}
