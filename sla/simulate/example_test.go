package simulate_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

// A quarter of a small desk under the reference contract: what the SLAs
// cost over 20 runs.
const quarter = `
scenario: a quiet quarter
start: 2027-04-01
months: 3
tickets:
  - {kind: incident, priority: P1, per_month: 4, calendar: HE, restore: {median: 2h, p90: 6h}, acknowledge: {median: 5m, p90: 15m}}
  - {kind: incident, priority: P2, per_month: 30, calendar: HO, restore: {median: 3h, p90: 7h}, acknowledge: 10m}
calls:
  per_month: 1500
  arrivals: {weekdays: {mon: 1, tue: 1, wed: 1, thu: 1, fri: 1}, hours: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]}
  handling: {mean: 4m}
  patience: {mean: 2m}
  first_contact: 70%
  staffing: {agents: 2}
costs: {agent_hour: 25, monthly: 5000}
`

func ExampleRun() {
	c, sc := quarterFiles()
	res, err := simulate.Run(context.Background(), c, sc, simulate.Options{Runs: 20, Seed: 1})
	if err != nil {
		panic(err)
	}
	p := res.Term.Penalties
	fmt.Printf("penalties over %d runs: mean %s, P50 %s, P90 %s, max %s %s\n", res.Runs, p.Mean, p.P50, p.P90, p.Max, res.Currency)
	for _, r := range res.Rules {
		if r.ExpectedPenalty.IsPositive() {
			fmt.Printf("%-11s breached in %5s%% of runs, %5s%% of the expected penalty\n", r.ID, r.BreachProbability.Shift(2), r.Share.Shift(2))
		}
	}
	// Output:
	// penalties over 20 runs: mean 2490.25, P50 2325.85, P90 3400, max 4012.78 EUR
	// INC-P1      breached in    45% of runs, 35.77% of the expected penalty
	// ACK         breached in   100% of runs, 64.23% of the expected penalty
}

// A scenario file with mistakes: every error, with its line.
func ExampleParseScenario() {
	_, err := simulate.ParseScenario([]byte(`
tickets:
  - kind: incident
    per_month: 12
    restore: {medain: 2h, p90: 5h}
    acknowledge: 2d
calls:
  per_month: 100
`), "tender.yaml")
	fmt.Println(err)
	// Output:
	// tender.yaml:5:15: tickets[0].restore: unknown key "medain" (did you mean "median"?)
	// tender.yaml:6:18: tickets[0].acknowledge: want a duration in h, m or s, not "2d": a day is 24h of wall-clock time but 9h of HO time, so write the hours
}

// The risk as the desk's staffing varies: the same runs at each point.
// One agent is not enough (the telephony rules are breached); a third
// costs more than the penalties it saves.
func ExampleSweep() {
	c, sc := quarterFiles()
	s, err := simulate.Sweep(context.Background(), c, sc, simulate.Agents(1, 2, 3), simulate.Options{Runs: 10, Seed: 1})
	if err != nil {
		panic(err)
	}
	if err := s.Table().WriteText(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// Penalties over the span as agents varies, EUR, 10 runs per value (seed 1)
	// agents   mean    P50    P90    P99    max    net  margin  margin P10
	// ------  -----  -----  -----  -----  -----  -----  ------  ----------
	// 1       3,785  3,928  4,097  4,104  4,104  3,785  33,311      32,892
	// 2       2,529  2,324  3,216  4,013  4,013  2,529  22,091      20,547
	// 3       2,536  2,330  3,234  4,034  4,034  2,536   6,488       4,876
}

// Summaries are exact: the mean to the cent, percentiles read from the
// values by nearest rank.
func ExampleSummarize() {
	var penalties []decimal.Decimal
	for _, s := range []string{"0", "0", "500", "1200.50", "0", "300", "4800", "0", "0", "650"} {
		penalties = append(penalties, decimal.RequireFromString(s))
	}
	d := simulate.Summarize(penalties)
	fmt.Println("mean", d.Mean, "P50", d.P50, "P90", d.P90, "max", d.Max)
	// Output: mean 745.05 P50 0 P90 1200.5 max 4800
}

// The records of one run, as the engine reads them.
func ExampleSimulation_Records() {
	sim := quarterSimulation()
	in := sim.Records(1, 0)
	for t := range in.Tickets {
		fmt.Println(t.ID, t.Kind, t.Priority, "opened", t.Opened.Format(time.DateTime), "restored", t.Resolved.Format(time.DateTime))
		break
	}
	answered, abandoned := 0, 0
	for call := range in.Calls {
		switch {
		case !call.Answered.IsZero():
			answered++
		case call.Abandoned:
			abandoned++
		}
	}
	fmt.Println(answered, "calls answered,", abandoned, "abandoned")
	for _, m := range sim.Staffing()[:1] {
		fmt.Printf("%s: %.0f calls expected, %s agent hours, Erlang A forecast %.1f %% answered within %v\n",
			m.Month, m.Calls, m.AgentHours, 100*m.ServiceLevel, m.Within)
	}
	// Output:
	// INC-P1-1 incident P1 opened 2027-04-11 03:47:08 restored 2027-04-12 07:37:48
	// 4220 calls answered, 169 abandoned
	// 2027-04: 1500 calls expected, 440 agent hours, Erlang A forecast 94.8 % answered within 1m0s
}

// How precise a P90 is: its 95 % interval, from order statistics. And a
// precision asked for rather than a number of runs: batches of 20 runs
// until the interval is within ±15 % of the P90.
func ExampleSimulation_Run_precision() {
	sim := quarterSimulation()
	res, err := sim.Run(context.Background(), simulate.Options{Runs: 100, Seed: 1})
	if err != nil {
		panic(err)
	}
	p := res.Term.Penalties
	fmt.Printf("P90 %s, 95 %% interval %s to %s\n", p.P90, p.P90CI.Low, p.P90CI.High)
	res, err = sim.Run(context.Background(), simulate.Options{Seed: 1, Batch: 20, Runs: 1000, Precision: decimal.RequireFromString("0.15")})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d runs for a net P90 of %s within ±%s%%\n", res.Runs, res.Term.Net.P90, res.Precision.Reached.Shift(2))
	// Output:
	// P90 3835.68, 95 % interval 3400 to 4276.28
	// 40 runs for a net P90 of 3761.04 within ±14.77%
}

// Two ranges of runs, simulated apart (on two machines, say), merge into
// the result of all the runs, byte for byte.
func ExampleResult_Merge() {
	sim := quarterSimulation()
	run := func(first, runs int) *simulate.Result {
		res, err := sim.Run(context.Background(), simulate.Options{FirstRun: first, Runs: runs, Seed: 9})
		if err != nil {
			panic(err)
		}
		return res
	}
	merged, err := run(0, 6).Merge(run(6, 4))
	if err != nil {
		panic(err)
	}
	whole := run(0, 10)
	fmt.Println(merged.Runs, merged.Ranges, merged.Term.Penalties.P90.Equal(whole.Term.Penalties.P90))
	// Output:
	// 10 [{0 9}] true
}

// What a relaxed deadline on P1 incidents is worth: the same runs under
// both versions of the contract, the difference run by run.
func ExampleCompare() {
	sim := quarterSimulation()
	relaxed, err := simulate.Amend(sim.Contract(), nil, simulate.Amendment{Path: "rules.INC-P1.deadline", Value: "6h"})
	if err != nil {
		panic(err)
	}
	cmp, err := simulate.Compare(context.Background(), sim, relaxed, simulate.Options{Runs: 20, Seed: 1})
	if err != nil {
		panic(err)
	}
	for _, d := range []simulate.Difference{cmp.Differences[0], cmp.Differences[2]} {
		fmt.Printf("%s: %s → %s, difference %s (95 %%: %s to %s)\n", d.Figure, d.Base, d.Variant, d.Difference, d.DifferenceCI.Low, d.DifferenceCI.High)
	}
	// Output:
	// penalties, mean: 2490.25 → 2129.86, difference -360.39 (95 %: -616.99 to -103.79)
	// penalties, P90: 3400 → 3215.72, difference -184.28 (95 %: -1111.04 to 0)
}

// The fixed fee at which the margin over the quarter reaches 60,000 EUR,
// to the euro, on average and in 90 % of the runs.
func ExampleFindPrice() {
	sim := quarterSimulation()
	a, err := simulate.FindPrice(context.Background(), sim, simulate.PriceQuestion{Unit: "FORFAIT-APP", Target: decimal.NewFromInt(60000)},
		simulate.Options{Runs: 20, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %s for the mean, %s for the P90\n", a.What, a.Expected.Price, a.P90.Price)
	// Output:
	// fixed fee of FORFAIT-APP: 30710 for the mean, 31537 for the P90
}

// quarterSimulation is the quarter under the reference contract.
func quarterSimulation() *simulate.Simulation {
	sim, err := simulate.New(quarterFiles())
	if err != nil {
		panic(err)
	}
	return sim
}

// quarterFiles are the reference contract and the quarter's scenario.
func quarterFiles() (*contract.Contract, *simulate.Scenario) {
	c, err := contract.Load("../../examples/contracts/acme.yaml")
	if err != nil {
		panic(err)
	}
	sc, err := simulate.ParseScenario([]byte(quarter), "quarter.yaml")
	if err != nil {
		panic(err)
	}
	return c, sc
}
