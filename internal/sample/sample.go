// Package sample holds the records that the tests of several packages
// share: the language's tests and those of the closures it compiles to
// evaluate the same expressions on the same ticket.
package sample

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/shopspring/decimal"
)

// Ticket is a P1 incident opened on Wednesday 5 May 2027 at 16:00 and
// resolved on Friday 7 May at 10:00, Paris time, waiting for the client
// from Wednesday 17:00 to Friday 08:30, with a problem, a satisfaction
// score and attributes. Each call returns a new one.
func Ticket() *pacte.Ticket {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // the tests need the zone database
	}
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2027, month, day, hour, minute, 0, 0, paris)
	}
	opened, resolved := at(time.May, 5, 16, 0), at(time.May, 7, 10, 0)
	return &pacte.Ticket{
		ID: "INC-1", Kind: "incident", Priority: "P1", Service: "ERP", Category: "software", Group: "N2", Level: 2,
		Opened: opened, Acknowledged: opened.Add(10 * time.Minute), Resolved: resolved, Closed: resolved.Add(48 * time.Hour),
		Status: "closed",
		History: []pacte.StatusChange{
			{At: opened, Status: "new"},
			{At: opened.Add(10 * time.Minute), Status: "in progress"},
			{At: at(time.May, 5, 17, 0), Status: "Waiting for client"},
			{At: at(time.May, 7, 8, 30), Status: "in progress"},
			{At: resolved, Status: "resolved"},
		},
		Pauses:       []pacte.Interval{{Start: at(time.May, 5, 17, 0), End: at(time.May, 7, 8, 30)}},
		Satisfaction: decimal.RequireFromString("4.5"),
		Links:        []pacte.Link{{ID: "PRB-7", Kind: "problem", Priority: "P2", Resolved: at(time.May, 20, 12, 0)}},
		Attrs:        map[string]string{"cause": "network", "site": "Lyon", "amount": "12,50"},
	}
}
