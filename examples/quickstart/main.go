// Command quickstart evaluates the reference contract (ACME Industrie,
// examples/contracts/acme.yaml) over the first half of 2027 and prints the
// report: per month and per service level, what was counted, the achieved
// value against the objective, the penalties and bonuses through the
// contract's pipeline, and the items that missed.
//
// The data is generated, deterministically: a service desk of about 300
// tickets, 1,200 calls and 40 satisfaction surveys a month, a few outages
// of the ERP and the e-mail, and the monthly counts of workstations and
// servers. Every run prints the same report.
//
//	go run ./examples/quickstart            # text, French number format
//	go run ./examples/quickstart -format md # or html, csv, json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
)

func main() {
	format := flag.String("format", "text", "text, md, csv, json or html")
	flag.Parse()
	if err := run(*format); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(format string) error {
	c, err := contract.Load(exampledir.Path("contracts/acme.yaml"))
	if err != nil {
		return err
	}
	d := generate(c.Location())
	rep, err := sla.Evaluate(context.Background(), c, d.input())
	if err != nil {
		return err
	}
	opts := report.Options{Locale: report.FromReport, MaxMissed: 5}
	switch format {
	case "text":
		return report.Text(os.Stdout, rep, opts)
	case "md":
		return report.Markdown(os.Stdout, rep, opts)
	case "csv":
		return report.CSV(os.Stdout, rep, opts)
	case "json":
		return report.JSON(os.Stdout, rep, opts)
	case "html":
		return report.HTML(os.Stdout, rep, opts)
	}
	return fmt.Errorf("unknown format %q: text, md, csv, json or html", format)
}

// asOf is when the data is taken: the morning of 1 July 2027.
func asOfIn(loc *time.Location) time.Time { return time.Date(2027, time.July, 1, 6, 0, 0, 0, loc) }
