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

// An amendment shortens the deadline of P1 incidents from 8 to 4 hours of
// business time from March: the same 5-hour restorations meet the clause
// in February and miss it in March, and March's row says which version
// applied.
func Example_amendedRule() {
	c, err := contract.Parse([]byte(`
contract: Amended
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00; holidays FR
rules:
  - id: INC-P1
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 90%
    penalty: 500.00
    versions: [{from: 2027-03-01, deadline: 4h}]
`), "amended.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	paris := c.Location()
	var tickets []pacte.Ticket
	for i, day := range []time.Time{time.Date(2027, 2, 9, 9, 0, 0, 0, paris), time.Date(2027, 3, 9, 9, 0, 0, 0, paris)} {
		tickets = append(tickets, pacte.Ticket{ID: fmt.Sprint("T", i), Opened: day, Resolved: day.Add(5 * time.Hour)})
	}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(tickets),
		From:    time.Date(2027, 2, 1, 0, 0, 0, 0, paris), To: time.Date(2027, 4, 1, 0, 0, 0, 0, paris),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range rep.Periods {
		r := p.Rules[0]
		fmt.Printf("%s %s %s version from %q\n", p.Period, r.ID, r.Status, r.VersionFrom)
	}
	// Output:
	// 2027-02 INC-P1 met version from ""
	// 2027-03 INC-P1 breached version from "2027-03-01"
}
