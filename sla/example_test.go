package sla_test

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// exampleContract is a contract of one clause: P1 incidents restored
// within 4 hours of business time, 90 % of them each month, or 500 €.
const exampleContract = `
contract: Example
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00; holidays FR
rules:
  - id: INC-P1
    source: tickets
    scope: priority == "P1"
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 4h
    objective: share(on_time) >= 90%
    penalty: 500.00
`

// exampleTickets are ten P1 incidents of March 2027, opened on Monday
// mornings at 9:00; the last two are restored 5 and 6 business hours
// later, past their deadline.
func exampleTickets() []pacte.Ticket {
	paris, _ := time.LoadLocation("Europe/Paris")
	var out []pacte.Ticket
	for i := range 10 {
		opened := time.Date(2027, 3, 1+7*(i%4), 9, 0, 0, 0, paris)
		took := 2 * time.Hour
		if i >= 8 {
			took = time.Duration(i-3) * time.Hour
		}
		out = append(out, pacte.Ticket{ID: fmt.Sprintf("INC-%d", i+1), Kind: "incident", Priority: "P1",
			Opened: opened, Resolved: opened.Add(took)})
	}
	return out
}

func ExampleEvaluate() {
	c, err := contract.Parse([]byte(exampleContract), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	paris := c.Location()
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(exampleTickets()),
		AsOf:    time.Date(2027, 4, 1, 0, 0, 0, 0, paris),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			fmt.Printf("%s %s: %d of %d on time, %s, penalty %s\n", p.Period, r.ID, r.Met, r.Eligible, r.Status, r.Penalty.Text())
			for _, it := range r.MissedItems {
				fmt.Printf("  %s measured %s, late %s\n", it.ID, it.Measured, it.Late)
			}
		}
	}
	// Output:
	// 2027-03 INC-P1: 8 of 10 on time, breached, penalty 500.00
	//   INC-9 measured 5h, late 1h
	//   INC-10 measured 6h, late 2h
}

// Two evaluators fed each with half of the records, merged, give the
// report of the whole: what lets the work be shared out.
func ExampleEvaluator_Merge() {
	c, err := contract.Parse([]byte(exampleContract), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	asOf := sla.AsOf(time.Date(2027, 4, 1, 0, 0, 0, 0, c.Location()))
	tickets := exampleTickets()
	var shards []*sla.Evaluator
	for _, half := range [][]pacte.Ticket{tickets[:5], tickets[5:]} {
		e, err := sla.NewEvaluator(c, asOf)
		if err != nil {
			fmt.Println(err)
			return
		}
		for i := range half {
			e.AddTicket(&half[i])
		}
		shards = append(shards, e)
	}
	if err := shards[0].Merge(shards[1]); err != nil {
		fmt.Println(err)
		return
	}
	rep, err := shards[0].Report(nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Periods[0].Rules[0]
	fmt.Printf("%s %s: %s achieved, %s, penalty %s\n", rep.Periods[0].Period, r.ID, r.Achieved.Text(), r.Status, r.Penalty.Text())
	// Output:
	// 2027-03 INC-P1: 0.8 achieved, breached, penalty 500.00
}

// The items an exclusion left out are named with their reason, so that
// the client can check each: here a ticket the tool flags as caused by the
// client, which the contract's exclusion leaves out of the objective.
func ExampleExcludedItem() {
	c, err := contract.Parse([]byte(exampleContract+`    exclude:
      caused by the client: exclusion == "client"
`), "example.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	tickets := exampleTickets()
	tickets[9].Exclusion = "client" // INC-10, restored 6 hours later
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(tickets),
		AsOf:    time.Date(2027, 4, 1, 0, 0, 0, 0, c.Location()),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Periods[0].Rules[0]
	fmt.Printf("%s %s: %d of %d on time, %d excluded, %s\n", rep.Periods[0].Period, r.ID, r.Met, r.Eligible, r.ExcludedListed, r.Status)
	for _, it := range r.ExcludedItems {
		fmt.Printf("  %s at %s: %s\n", it.ID, it.At.Format("2006-01-02 15:04"), it.Reason)
	}
	// Output:
	// 2027-03 INC-P1: 8 of 9 on time, 1 excluded, breached
	//   INC-10 at 2027-03-08 15:00: caused by the client
}
