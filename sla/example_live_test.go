package sla_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// liveContract is a P1 clause: restored within 4 hours of business
// time, 90 % of them in the month, 1,000.00 a breached month.
const liveContract = `
contract: example
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 09:00-17:00; holidays FR
work_units:
  FEE: {fixed: 20000.00}
rules:
  - id: P1
    source: tickets
    scope: priority == "P1"
    clock: {start: opened, stop: resolved, calendar: HO, pause_when: status == "waiting"}
    deadline: 4h
    objective: share(on_time) >= 90%
    penalty: 1000.00
`

func exampleLive() (*sla.Live, *time.Location) {
	c, err := contract.Parse([]byte(liveContract), "example.yaml")
	if err != nil {
		panic(err)
	}
	l, err := sla.NewLive(c)
	if err != nil {
		panic(err)
	}
	return l, c.Location()
}

// The timer of a ticket opened on Friday afternoon: its breach falls on
// Monday morning, the weekend closed.
func ExampleLive_Timers() {
	l, paris := exampleLive()
	opened := time.Date(2027, 3, 5, 15, 0, 0, 0, paris) // a Friday
	_ = l.Update(pacte.Ticket{ID: "INC1", Priority: "P1", Opened: opened})
	timers, _ := l.Timers("INC1", time.Date(2027, 3, 5, 16, 30, 0, 0, paris))
	tm := timers[0]
	fmt.Println(tm.Rule, tm.Stage, "breached:", tm.Breached)
	fmt.Println("breach at", tm.BreachAt.Format("Mon 2006-01-02 15:04"))
	fmt.Println("elapsed", tm.Elapsed, "remaining", tm.Remaining, "used", tm.Used())
	// Output:
	// P1 running breached: false
	// breach at Mon 2027-03-08 11:00
	// elapsed 1h30m0s remaining 2h30m0s used 0.375
}

// The margin of the month: 18 P1 tickets restored on time and one late;
// one more miss would still meet 90 % (18 of 20), a second would not.
func ExampleLive_Margin() {
	l, paris := exampleLive()
	for i := range 19 {
		opened := time.Date(2027, 3, 1, 9, 0, 0, 0, paris).AddDate(0, 0, i)
		took := time.Hour
		if i == 0 {
			took = 6 * time.Hour
		}
		_ = l.Update(pacte.Ticket{ID: fmt.Sprint("INC", i), Priority: "P1", Opened: opened, Resolved: opened.Add(took)})
	}
	m, _ := l.Margin(time.Date(2027, 3, 22, 12, 0, 0, 0, paris))
	r := m.Rules[0]
	fmt.Println(r.Rule, r.Period, r.Eligible, "items,", r.Missed, "missed,", r.Status)
	fmt.Println("misses left:", *r.MissesLeft, "at stake:", r.AtStake.Text(), "due:", r.Due.Text())
	// Output:
	// P1 2027-03 19 items, 1 missed, met
	// misses left: 1 at stake: 1000.00 due: 0.00
}

// A watch over a ticket's updates and the ticks of a clock: the alert
// thresholds and the breach at the instants they are reached.
func ExampleLive_Watch() {
	l, paris := exampleLive()
	opened := time.Date(2027, 3, 1, 10, 0, 0, 0, paris)
	t := pacte.Ticket{ID: "INC1", Priority: "P1", Opened: opened}
	in := []sla.WatchInput{{At: opened, Ticket: &t}}
	for h := 11; h <= 17; h++ {
		in = append(in, sla.WatchInput{At: time.Date(2027, 3, 1, h, 0, 0, 0, paris)})
	}
	events, _ := l.Watch(slices.Values(in))
	for ev := range events {
		fmt.Println(ev.At.Format("15:04"), ev.Kind, ev.Rule, ev.Ticket, ev.Threshold)
	}
	// Output:
	// 12:00 threshold P1 INC1 0.5
	// 13:00 threshold P1 INC1 0.75
	// 13:36 threshold P1 INC1 0.9
	// 14:00 breached P1 INC1 <nil>
}
