// Command clausetest shows how a contract author checks one clause of a
// contract against a handful of records, before the parties sign: here,
// INC-P1 of the reference contract. The same check, written as a Go test
// with testify, is in clause_test.go; `go test ./examples/clausetest`
// runs it.
//
//	go run ./examples/clausetest
package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

func main() {
	c, err := contract.Load("examples/contracts/acme.yaml")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	penalty, err := inc1Penalty(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("INC-P1, April 2027, three P1 incidents: %s %s\n", penalty, c.Currency())
	if penalty != "150.00" {
		fmt.Println("FAIL: the clause should cost exactly 150.00")
		os.Exit(1)
	}
	fmt.Println("PASS: fewer than 20 P1 incidents and one missed meet the objective, so the 3 % penalty is not due;")
	fmt.Println("      the one restored after 8 h 30 of HE time costs 150.00 for its started hour beyond 8 h.")
}

// threeP1 are three P1 incidents of April 2027, after the observation
// period: two restored within 4 hours of HE time, one after 8 h 30.
func threeP1(paris *time.Location) []pacte.Ticket {
	at := func(day, hour, min int) time.Time { return time.Date(2027, time.April, day, hour, min, 0, 0, paris) }
	return []pacte.Ticket{
		{ID: "INC-1", Kind: "incident", Priority: "P1", Opened: at(5, 9, 0), Resolved: at(5, 11, 30)},
		{ID: "INC-2", Kind: "incident", Priority: "P1", Opened: at(6, 14, 0), Resolved: at(6, 17, 45)},
		{ID: "INC-3", Kind: "incident", Priority: "P1", Opened: at(7, 8, 0), Resolved: at(7, 16, 30)},
	}
}

// inc1Penalty evaluates the three incidents and returns what INC-P1 costs
// in April 2027, after every step of the penalty pipeline.
func inc1Penalty(c *contract.Contract) (string, error) {
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(threeP1(c.Location())),
		AsOf:    time.Date(2027, time.May, 1, 0, 0, 0, 0, c.Location()),
	})
	if err != nil {
		return "", err
	}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if p.Period == "2027-04" && r.ID == "INC-P1" {
				return r.Penalty.StringFixed(2), nil
			}
		}
	}
	return "", fmt.Errorf("no INC-P1 in April 2027")
}
