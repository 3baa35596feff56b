package contract_test

import (
	"fmt"
	"log"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
)

// Load reads, validates and compiles a contract file; its rules are data.
func ExampleLoad() {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name())
	fmt.Println(c.Start().Format(time.DateOnly), "to", c.End().AddDate(0, 0, -1).Format(time.DateOnly), c.Location())
	for _, id := range []string{"INC-P1", "INC-P3", "AVAIL-ERP"} {
		r, _ := c.Rule(id)
		fmt.Printf("%s: %s (%s)\n", r.ID, r.Objective.Text, r.Name)
	}
	// Output:
	// ACME Industrie — managed services 2027-2029
	// 2027-01-01 to 2029-12-31 Europe/Paris
	// INC-P1: share(on_time) >= 95% (P1 incidents restored within 4 hours of HE time)
	// INC-P3: share(on_time) >= 90% (P3 incidents resolved by the end of the third HO open day)
	// AVAIL-ERP: availability >= 99.5% (ERP availability during HE)
}

// Parse compiles a contract from its text, here with one rule.
func ExampleParse() {
	c, err := contract.Parse([]byte(`
contract: Service desk
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00; holidays FR
rules:
  - id: INC-P2
    source: tickets
    scope: kind == "incident" && priority == "P2"
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 90%
    penalty:
      tiers:
        - {range: "[85%, 90%)", amount: 1% * invoice}
        - {range: "[0%, 85%)", amount: 2% * invoice}
`), "desk.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range c.Rules() {
		o := r.Objective
		fmt.Printf("%s at %s: %s %s %s within %s of %s time\n", r.ID, r.Pos, o.Measure, o.Op, o.Threshold, r.Deadline.Text, r.Clock.Calendar)
		for _, tier := range r.Penalty[0].Tiers {
			fmt.Printf("  %s: %s\n", tier.Range.Text, tier.Amount.Text)
		}
	}
	// Output:
	// INC-P2 at desk.yaml:8:5: share >= 0.9 within 8h of HO time
	//   [85%, 90%): 1% * invoice
	//   [0%, 85%): 2% * invoice
}

// An error names the file, line and column, shows the line with a caret
// under the fault, and hints at the fix.
func ExampleParse_error() {
	_, err := contract.Parse([]byte(`contract: Service desk
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
rules:
  - id: INC-P1
    source: tickets
    scope: kind == "incident" && priorty == "P1"
    objective: share(level == 1) >= 90%
`), "desk.yaml")
	fmt.Println(err)
	// Output:
	// desk.yaml:7:34: rule INC-P1, scope: unknown name priorty
	//         scope: kind == "incident" && priorty == "P1"
	//                                      ^
	//     did you mean "priority"?
}

// Invoice bills a month: volumes at the revised prices, split over their
// bands, and the fixed fees.
func ExampleContract_Invoice() {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	if err != nil {
		log.Fatal(err)
	}
	january := c.PeriodOf(contract.Month, time.Date(2028, 1, 15, 0, 0, 0, 0, c.Location()))
	volumes := map[string]decimal.Decimal{
		"UO-TEL":   decimal.NewFromInt(2000),
		"UO-TKT":   decimal.NewFromInt(3200),
		"UO-POSTE": decimal.NewFromInt(850),
		"UO-SRV":   decimal.NewFromInt(40),
	}
	syntec := contract.Indices{"Syntec": {
		"2026-09": decimal.RequireFromString("280.0"),
		"2027-09": decimal.RequireFromString("291.2"),
	}}
	inv, err := c.Invoice(january, volumes, syntec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("invoice of", inv.Period)
	for _, l := range inv.Lines {
		switch {
		case l.Fixed:
			fmt.Printf("%-11s %26s\n", l.Unit, l.Amount.StringFixed(2))
		case len(l.Bands) > 0:
			for _, b := range l.Bands {
				fmt.Printf("%-11s %5s × %6s = %9s\n", l.Unit, b.Quantity, b.UnitPrice.StringFixed(2), b.Amount.StringFixed(2))
			}
		default:
			fmt.Printf("%-11s %5s × %6s = %9s\n", l.Unit, l.Quantity, l.UnitPrice.StringFixed(2), l.Amount.StringFixed(2))
		}
	}
	fmt.Printf("%-11s %26s\n", "total", inv.Total.StringFixed(2))
	fmt.Println("revision coefficient", inv.Lines[0].Revision)
	// Output:
	// invoice of 2028-01
	// UO-TEL       2000 ×   4.34 =   8680.00
	// UO-TKT       1500 ×  11.37 =  17055.00
	// UO-TKT       1500 ×   9.82 =  14730.00
	// UO-TKT        200 ×   8.48 =   1696.00
	// UO-POSTE      850 ×  18.10 =  15385.00
	// UO-SRV         40 × 144.76 =   5790.40
	// FORFAIT-APP                   18612.00
	// total                         81948.40
	// revision coefficient 1.034
}
