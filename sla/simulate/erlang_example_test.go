package simulate_test

import (
	"fmt"
	"time"

	"github.com/pacte-sla/pacte/sla/simulate"
)

// The textbook check: 48 Erlangs offered to 55 agents.
func ExampleErlangC() {
	wait, err := simulate.ErlangC(48, 55)
	if err != nil {
		panic(err)
	}
	fmt.Printf("P(wait) = %.3f\n", wait)
	// Output: P(wait) = 0.239
}

// Blocking in a loss system: what a trunk of 10 lines refuses at 10 Erlangs.
func ExampleErlangB() {
	blocked, err := simulate.ErlangB(10, 10)
	if err != nil {
		panic(err)
	}
	fmt.Printf("10 lines at 10 Erlangs: %.1f %% of calls blocked\n", 100*blocked)
	// Output: 10 lines at 10 Erlangs: 21.5 % of calls blocked
}

// 360 calls in a half hour at 4 minutes each are 48 Erlangs; 55 agents
// answer 84.6 % of them within 15 seconds.
func ExampleCallQueue_Metrics() {
	q := simulate.CallQueue{Calls: 360, Interval: 30 * time.Minute, AHT: 240 * time.Second}
	m, err := q.Metrics(55, 15*time.Second)
	if err != nil {
		panic(err)
	}
	fmt.Printf("load %.0f Erlangs, %d agents\n", m.Load, m.Agents)
	fmt.Printf("P(wait) %.3f, SL %.1f %% within %v, ASA %.1fs, occupancy %.1f %%\n",
		m.WaitProbability, 100*m.ServiceLevel, m.AnswerWithin, m.ASA.Seconds(), 100*m.Occupancy)
	// Output:
	// load 48 Erlangs, 55 agents
	// P(wait) 0.239, SL 84.6 % within 15s, ASA 8.2s, occupancy 87.3 %
}

// The same desk with callers who hang up after 3 minutes on average
// (Erlang A), under-staffed at 46 agents: Erlang C would call this queue
// unstable, but the callers who leave keep it finite, at a price.
func ExampleCallQueue_Metrics_abandonment() {
	q := simulate.CallQueue{
		Calls:    360,
		Interval: 30 * time.Minute,
		AHT:      240 * time.Second,
		Patience: 3 * time.Minute,
	}
	for _, agents := range []int{46, 55} {
		m, err := q.Metrics(agents, 15*time.Second)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d agents: P(wait) %.3f, abandoned %.1f %%, SL %.1f %%, ASA %.1fs\n",
			agents, m.WaitProbability, 100*m.AbandonProbability, 100*m.ServiceLevel, m.ASA.Seconds())
	}
	// Output:
	// 46 agents: P(wait) 0.592, abandoned 8.5 %, SL 58.4 %, ASA 14.7s
	// 55 agents: P(wait) 0.164, abandoned 1.4 %, SL 92.3 %, ASA 2.4s
}

// How many agents answer 80 % of calls within 20 seconds?
func ExampleCallQueue_Staff() {
	q := simulate.CallQueue{Calls: 360, Interval: 30 * time.Minute, AHT: 240 * time.Second}
	m, err := q.Staff(simulate.StaffingTarget{ServiceLevel: 0.80, AnswerWithin: 20 * time.Second})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d agents: SL %.1f %%, ASA %.1fs\n", m.Agents, 100*m.ServiceLevel, m.ASA.Seconds())
	// Output: 54 agents: SL 81.7 %, ASA 12.1s
}

// A morning's rota, half hour by half hour, for 80 % of calls answered
// within 60 seconds.
func ExampleCallProfile_Staff() {
	opening := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	p := simulate.CallProfile{
		Slot:  30 * time.Minute,
		Calls: []float64{40, 95, 160, 185, 170, 120},
		AHT:   5 * time.Minute,
	}
	staffed, err := p.Staff(simulate.StaffingTarget{ServiceLevel: 0.80, AnswerWithin: 60 * time.Second})
	if err != nil {
		panic(err)
	}
	for i, m := range staffed {
		start := opening.Add(time.Duration(i) * p.Slot)
		fmt.Printf("%s  %5.1f Erlangs  %2d agents  SL %.1f %%\n",
			start.Format("15:04"), m.Load, m.Agents, 100*m.ServiceLevel)
	}
	// Output:
	// 08:00    6.7 Erlangs   9 agents  SL 80.4 %
	// 08:30   15.8 Erlangs  19 agents  SL 81.5 %
	// 09:00   26.7 Erlangs  31 agents  SL 86.5 %
	// 09:30   30.8 Erlangs  35 agents  SL 84.1 %
	// 10:00   28.3 Erlangs  32 agents  SL 80.7 %
	// 10:30   20.0 Erlangs  24 agents  SL 86.6 %
}
