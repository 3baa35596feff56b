// Command evaluate shows the library at work on exports: it reads the
// sample quarter of examples/data (a ServiceNow incident export through
// its mapping, and the phone desk's calls), evaluates the reference
// contract over it, and prints each month's penalties with the service
// levels breached.
//
//	go run ./examples/evaluate
//
// The command-line tool does the same for any contract and export, in
// every report format: go run ./cmd/pacte help eval.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
)

func main() {
	if err := run(exampledir.Dir()); err != nil {
		fmt.Fprintln(os.Stderr, "evaluate:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	c, err := contract.Load(filepath.Join(dir, "contracts", "acme.yaml"))
	if err != nil {
		return err
	}
	// The tickets come from ServiceNow: its preset, and the instance's
	// custom fields, are in a mapping file.
	mapping, err := ingest.LoadMapping(filepath.Join(dir, "data", "servicenow.yaml"))
	if err != nil {
		return err
	}
	incidents, err := os.Open(filepath.Join(dir, "data", "incidents.csv"))
	if err != nil {
		return err
	}
	defer incidents.Close()
	tickets, err := ingest.ReadTickets(incidents, mapping, ingest.Options{Name: "incidents.csv", Location: c.Location()})
	if err != nil {
		return err
	}
	// The calls are in pacte's own CSV format: no mapping.
	f, err := os.Open(filepath.Join(dir, "data", "calls.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	calls, err := ingest.ReadCalls(f, nil, ingest.Options{Name: "calls.csv", Location: c.Location()})
	if err != nil {
		return err
	}

	// The engine reads each stream once; rows the readers refused are
	// accounted for in the report.
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets:  tickets.Records(),
		Calls:    calls.Records(),
		Rejected: tickets.Rejected(),
		AsOf:     time.Date(2027, time.July, 1, 6, 0, 0, 0, c.Location()),
	})
	if err != nil {
		return err
	}
	for _, p := range rep.Periods {
		fmt.Printf("%s  invoice %10s  penalties %9s  bonuses %7s  net %9s %s\n", p.Period, p.Invoice.Total.Text(),
			p.Penalties.Text(), p.Bonuses.Text(), p.Net.Text(), rep.Currency)
		for _, r := range p.Rules {
			if r.Status == sla.StatusBreached {
				fmt.Printf("         %-11s breached: %d of %d missed, %s due\n", r.ID, r.Missed, r.Eligible, r.Penalty.Text())
			}
		}
	}
	fmt.Printf("%d records rejected\n", len(rep.Rejected))
	return nil
}
