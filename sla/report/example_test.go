package report_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

func money(s string) sla.Money { return sla.Money{Decimal: decimal.RequireFromString(s)} }

func ptr[T any](v T) *T { return &v }

// ratio is a decimal quantity: a share, as a fraction.
func ratio(s string) sla.Quantity {
	return sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString(s)}
}

// A report as sla.Evaluate returns it, cut down to one month and two
// rules.
func smallReport() *sla.Report {
	paris, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2027, 5, 1, 0, 0, 0, 0, paris)
	late := money("300.00")
	return &sla.Report{
		Contract: "ACME Industrie", Currency: "EUR", Locale: "fr",
		AsOf: time.Date(2027, 6, 1, 9, 0, 0, 0, paris),
		Periods: []sla.PeriodReport{{
			Period: "2027-05", Start: start, End: start.AddDate(0, 1, 0), ContractYear: 1,
			Invoice: sla.InvoiceReport{Total: money("25000.00"), Lines: []sla.InvoiceLine{
				{Unit: "FORFAIT-APP", Name: "Application operations", Amount: money("25000.00")},
			}},
			Rules: []sla.RuleReport{
				{ID: "INC-P1", Eligible: 20, Met: 17, Missed: 3, Measure: "share",
					Achieved: ptr(ratio("0.85")), Objective: ratio("0.95"), ObjectiveText: "share(on_time) >= 95%",
					Status: sla.StatusBreached, RawPenalty: money("1050.00"), Penalty: money("1050.00"),
					MissedItems: []sla.MissedItem{{ID: "INC-0042", At: time.Date(2027, 5, 11, 16, 45, 0, 0, paris),
						Measured: "9h15min", Deadline: time.Date(2027, 5, 11, 11, 30, 0, 0, paris), Late: sla.Duration(5*time.Hour + 15*time.Minute), Amount: &late}},
					MissedListed: 1},
				{ID: "AVAIL-ERP", Measure: "availability", Achieved: ptr(ratio("0.99712")),
					Objective: ratio("0.995"), ObjectiveText: "availability >= 99.5%", Status: sla.StatusMet},
			},
			Penalties: money("1050.00"), Net: money("1050.00"),
		}},
		Totals: sla.Totals{Invoice: money("25000.00"), Penalties: money("1050.00"), Net: money("1050.00"),
			ContractYears: map[string]sla.YearTotals{"1": {Invoice: money("25000.00"), Penalties: money("1050.00"), Net: money("1050.00")}}},
		Records: map[string]*sla.RecordCount{"tickets": {Read: 21, Counted: 20, Excluded: 1, Reasons: map[string]int{"caused by the client": 1}}},
	}
}

func ExampleText() {
	if err := report.Text(os.Stdout, smallReport(), report.Options{Locale: report.English, HideTrace: true}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ACME Industrie
	// ==============
	//
	// Periods   2027-05 (1)
	// As of     2027-06-01 09:00 CEST
	// Currency  EUR
	//
	// Summary
	// =======
	//
	// period   contract year  invoice €  penalties €  bonuses €     net €
	// -------  -------------  ---------  -----------  ---------  --------
	// 2027-05              1  25,000.00     1,050.00       0.00  1,050.00
	// -------  -------------  ---------  -----------  ---------  --------
	// total                   25,000.00     1,050.00       0.00  1,050.00
	//
	// Penalties and bonuses are due after every step of the contract's pipeline; net is what the provider
	// owes (negative: a bonus paid).
	//
	// Rules
	// =====
	//
	// rule       objective              name
	// ---------  ---------------------  ----
	// INC-P1     share(on_time) >= 95%
	// AVAIL-ERP  availability >= 99.5%
	//
	// 2027-05, contract year 1
	// ========================
	//
	// Invoice: €25,000.00
	// -------------------
	//
	// unit         name                    quantity  unit price €   amount €
	// -----------  ----------------------  --------  ------------  ---------
	// FORFAIT-APP  Application operations                   fixed  25,000.00
	//
	// Service levels
	// --------------
	//
	// rule       elig  met  miss  excl  achieved  objective  status       raw €  penalty €  bonus €
	// ---------  ----  ---  ----  ----  --------  ---------  --------  --------  ---------  -------
	// INC-P1       20   17     3     0      85 %  ≥ 95 %     BREACHED  1,050.00   1,050.00
	// AVAIL-ERP     0    0     0     0   99.71 %  ≥ 99.5 %   met
	//
	// elig: items counted; miss: items that missed; excl: items excluded; raw: the penalty as the rule's
	// formulas give it, before the pipeline; amounts to the cent (the pipeline's trace and the JSON report
	// keep them exact); blank amounts are zero; n/a: not applicable (nothing measured, or too few items).
	//
	// Missed items of the rules breached
	// ----------------------------------
	//
	// rule    item      at                measured  deadline             late  amount €
	// ------  --------  ----------------  --------  ----------------  -------  --------
	// INC-P1  INC-0042  2027-05-11 16:45   9h15min  2027-05-11 11:30  5h15min    300.00
	//
	// at: the instant that placed the item in this period (a ticket's resolution, a call's offer, an
	// outage's start, unless the rule names another); measured: the open time its clock ran, the call's
	// wait or the outage's duration, to the second, rounded up; deadline: when its clock ran out; late:
	// open time beyond the deadline, rounded up to the second; (open): still running at the end of the
	// period.
	//
	// INC-P1: 1 of 3 missed items listed.
	//
	// Due for 2027-05
	// ---------------
	//
	// Penalties  €1,050.00
	// Bonuses    €0.00
	// Net        €1,050.00
	//
	// Totals
	// ======
	//
	//                  invoice €  penalties €  bonuses €     net €
	// ---------------  ---------  -----------  ---------  --------
	// contract year 1  25,000.00     1,050.00       0.00  1,050.00
	// ---------------  ---------  -----------  ---------  --------
	// total            25,000.00     1,050.00       0.00  1,050.00
	//
	// Net due  €1,050.00
	//
	// Records
	// =======
	//
	// source   read  counted  excluded  rejected  why excluded
	// -------  ----  -------  --------  --------  ----------------------
	// tickets    21       20         1         0  caused by the client 1
	// -------  ----  -------  --------  --------  ----------------------
	// total      21       20         1         0
	//
	// Every record read is counted by some rule or work unit, excluded, or rejected: read = counted +
	// excluded + rejected.
	//
	// Rejected records
	// ================
	//
	// None.
	//
	// Rule errors
	// ===========
	//
	// None.
}

func ExampleFormat() {
	d := decimal.RequireFromString
	fr := report.Format{Locale: report.French, Currency: "EUR"}
	// French uses a narrow no-break space between thousands and before
	// %, a no-break space before €: %q shows them.
	fmt.Printf("%q\n", fr.Money(d("1234.56")))
	fmt.Printf("%q\n", fr.Percent(d("0.952381"), 2))
	en := report.Format{Locale: report.English, Currency: "EUR"}
	fmt.Println(en.Money(d("1234.56")), en.Percent(d("0.952381"), 2))
	fmt.Println(en.Duration(d("16200")), en.Duration(d("27.5")))
	fmt.Println(report.Format{Currency: "EUR"}.Money(d("1234.5")))
	// Output:
	// "1\u202f234,56\u00a0€"
	// "95,24\u202f%"
	// €1,234.56 95.24 %
	// 4h30min 27.5 s
	// 1234.50 EUR
}

func ExampleLineChart() {
	d := decimal.RequireFromString
	chart := report.LineChart{
		Title: "Penalties at P90 against the agents staffed", XLabel: "agents", YLabel: "€",
		X: []string{"10", "11", "12", "13"},
		Series: []report.Series{
			{Name: "P90", Values: []decimal.Decimal{d("12000"), d("8000"), d("4000"), d("1500")}},
			{Name: "budget", Values: []decimal.Decimal{d("5000"), d("5000"), d("5000"), d("5000")}, Dashed: true},
		},
		YZero: true,
	}
	var buf bytes.Buffer
	if err := chart.WriteSVG(&buf); err != nil {
		fmt.Println(err)
	}
	svg := buf.String()
	fmt.Println(strings.HasPrefix(svg, "<svg "), strings.Count(svg, `class="point"`), strings.Count(svg, "stroke-dasharray"))
	// Output: true 4 2
}

func ExampleTable() {
	t := report.Table{
		Header: []string{"queue", "calls", "answered"},
		Rows:   [][]string{{"desk", "1 204", "93.4 %"}, {"VIP", "88", "100 %"}},
		Align:  []report.Align{report.Left, report.Right, report.Right},
	}
	_ = t.WriteText(os.Stdout, "  ")
	// Output:
	//   queue  calls  answered
	//   -----  -----  --------
	//   desk   1 204    93.4 %
	//   VIP       88     100 %
}
