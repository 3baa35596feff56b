// Command tender shows a program pricing the SLA risk of a bid with
// package sla/simulate: it draws runs of the reference contract's term
// against a workload scenario until the P90 of the term's net penalty is
// known to ±5 %, prints the penalties and margin per contract year and
// their precision, then asks at which fixed fee of the application
// support the margin over the term reaches 20 % of the invoice, every fee
// evaluated on the same runs.
//
//	go run ./examples/tender                    # the reference scenario: a minute or two on two cores
//	go run ./examples/tender -scenario examples/scenarios/quarter.yaml -precision 20%
//
// The command-line tool asks every question (price, staffing, what-if on
// a clause) in every format: go run ./cmd/pacte help simulate.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

func main() {
	scenario := flag.String("scenario", exampledir.Path("scenarios/acme.yaml"), "the workload scenario")
	precision := flag.String("precision", "5%", "the precision wanted on the P90 of the term's net penalty")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p, err := decimal.NewFromString(strings.TrimSuffix(*precision, "%"))
	if err == nil {
		err = run(ctx, os.Stdout, *scenario, p.Shift(-2))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tender:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, scenario string, precision decimal.Decimal) error {
	c, err := contract.Load(exampledir.Path("contracts/acme.yaml"))
	if err != nil {
		return err
	}
	sc, err := simulate.LoadScenario(scenario)
	if err != nil {
		return err
	}
	// New prepares the scenario once; its runs and questions share it.
	sim, err := simulate.New(c, sc)
	if err != nil {
		return err
	}
	// A precision rather than a number of runs: batches of runs until the
	// 95 % interval of the P90 is narrow enough. The seed makes the
	// result the same on any number of cores.
	res, err := sim.Run(ctx, simulate.Options{Seed: 1, Precision: precision})
	if err != nil {
		return err
	}
	if p := res.Precision; p != nil && p.Reached != nil {
		fmt.Fprintf(w, "%d runs: the term's net P90 known to ±%s %% (target met: %t)\n\n", res.Runs, p.Reached.Shift(2).Round(1), p.Met)
	}
	for _, t := range []simulate.Table{res.RiskTable(), res.PrecisionTable()} {
		if err := t.WriteText(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}

	// The price question, on a fixed number of runs: each pass of the
	// search draws them once and evaluates every fee it tries on them.
	a, err := simulate.FindPrice(ctx, sim, simulate.PriceQuestion{Unit: "FORFAIT-APP", TargetRate: decimal.RequireFromString("0.2")},
		simulate.Options{Seed: 1, Runs: 100})
	if err != nil {
		return err
	}
	return a.Tables()[0].WriteText(w)
}
