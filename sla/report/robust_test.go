package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

var renderers = map[string]renderer{
	"text": report.Text, "markdown": report.Markdown, "csv": report.CSV, "json": report.JSON, "html": report.HTML,
}

// oddReports are reports no evaluation gives, that renderers must take
// without panicking.
func oddReports(t *testing.T) map[string]*sla.Report {
	full := fixture(t)
	// A deep copy, to damage freely.
	copyOf := func() *sla.Report {
		b, err := json.Marshal(full)
		if err != nil {
			t.Fatal(err)
		}
		var r sla.Report
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	nilAchieved := copyOf()
	for i := range nilAchieved.Periods {
		for k := range nilAchieved.Periods[i].Rules {
			nilAchieved.Periods[i].Rules[k].Achieved = nil
		}
	}
	nilSlices := copyOf()
	for i := range nilSlices.Periods {
		p := &nilSlices.Periods[i]
		p.Steps, p.Invoice.Lines = nil, nil
		for k := range p.Rules {
			rr := &p.Rules[k]
			rr.Steps, rr.MissedItems, rr.Excluded, rr.Calls, rr.Availability = nil, nil, nil, nil, nil
			rr.Objective = sla.Quantity{}
		}
	}
	nilSlices.Records = map[string]*sla.RecordCount{"tickets": nil, "calls": {Read: 3}}
	nilSlices.Totals.ContractYears = nil
	noRules := copyOf()
	for i := range noRules.Periods {
		noRules.Periods[i].Rules = nil
	}
	weird := copyOf()
	p := &weird.Periods[0]
	p.Rules[0].Achieved = &sla.Quantity{Type: dsl.Decimal, Decimal: decimal.New(-1, 40)}
	p.Rules[1].Achieved = &sla.Quantity{Type: dsl.Duration, Duration: math.MinInt64}
	p.Rules[2].Objective = sla.Quantity{Type: dsl.Int, Int: math.MinInt}
	p.Rules[3].Objective = sla.Quantity{Type: dsl.Time}
	p.Rules[3].Measure = ""
	p.Rules[3].Status = "unheard of"
	p.Rules[4].Steps = append(p.Rules[4].Steps, sla.TraceLine{Step: "custom_step", Kind: sla.PenaltyAmount, Note: "a step no pipeline has"})
	p.Rules[5].MissedItems = append(p.Rules[5].MissedItems, sla.MissedItem{})
	p.Rules[6].MissedListed = -3
	p.Rules[6].Missed = -1
	p.ContractYear = 0
	p.Invoice.Lines = append(p.Invoice.Lines, sla.InvoiceLine{Bands: []sla.BandLine{{}}})
	weird.Periods = append(weird.Periods, sla.PeriodReport{})
	weird.Totals.ContractYears["x"] = sla.YearTotals{}
	return map[string]*sla.Report{
		"zero":         {},
		"no periods":   {Contract: "C", Currency: "EUR", Locale: "fr", Periods: []sla.PeriodReport{}, Records: map[string]*sla.RecordCount{}},
		"empty period": {Periods: []sla.PeriodReport{{Period: "2027-01", Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		"nil achieved": nilAchieved,
		"nil slices":   nilSlices,
		"no rules":     noRules,
		"weird values": weird,
	}
}

func TestRobust(t *testing.T) {
	for name, r := range oddReports(t) {
		for format, render := range renderers {
			for _, opts := range []report.Options{{}, {Locale: report.FromReport, HideMissed: true}, {Locale: report.English, MaxMissed: 1, Currency: report.CurrencyNone}} {
				var buf bytes.Buffer
				if err := render(&buf, r, opts); err != nil {
					t.Errorf("%s, %s: %v", name, format, err)
					continue
				}
				if format == "html" {
					parseXML(t, buf.Bytes())
				}
			}
		}
	}
}

func TestNilReport(t *testing.T) {
	for format, render := range renderers {
		if err := render(io.Discard, nil, report.Options{}); err == nil {
			t.Errorf("%s: no error on a nil report", format)
		}
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteErrors(t *testing.T) {
	for format, render := range renderers {
		if err := render(failingWriter{}, fixture(t), report.Options{}); !errors.Is(err, errWrite) {
			t.Errorf("%s: the writer's error is lost: %v", format, err)
		}
	}
	tbl := report.Table{Header: []string{"a"}}
	for name, write := range map[string]func(io.Writer) error{
		"text": func(w io.Writer) error { return tbl.WriteText(w, "") }, "markdown": tbl.WriteMarkdown, "html": tbl.WriteHTML,
	} {
		if err := write(failingWriter{}); !errors.Is(err, errWrite) {
			t.Errorf("table %s: the writer's error is lost: %v", name, err)
		}
	}
}

// maxFuzzReport bounds the reports the fuzzer renders. Go's fuzzer
// minimizes each new input it finds by trying to remove every span of its
// bytes, which takes time in the square of its length: with the
// reference report as a seed (half a year of rules, rendered in every
// format) it ran three inputs a second and sat a minute on each new one.
const maxFuzzReport = 1024

// fuzzFormats are the renderers in a fixed order: the first byte of a
// fuzzer's input picks one.
var fuzzFormats = []string{"text", "markdown", "csv", "json", "html"}

// fuzzReports are reports in JSON of a few hundred bytes, each with what
// renderers draw: rules met and breached, missed items, steps, an
// invoice, rejections and errors.
var fuzzReports = []string{
	`{}`,
	`{"contract":"ACME","currency":"EUR","rules":[{"id":"INC-P1","source":"tickets","period":"month","measure":"share","op":">=","objective":{"type":"decimal","value":"0.95"}}],` +
		`"periods":[{"period":"2027-05","contract_year":1,` +
		`"invoice":{"total":"25000.00","lines":[{"unit":"FORFAIT","amount":"25000.00"}]},` +
		`"rules":[{"id":"INC-P1","eligible":20,"met":17,"missed":3,"measure":"share","achieved":{"type":"decimal","value":"0.85"},"objective":{"type":"decimal","value":"0.95"},"status":"breached",` +
		`"raw_penalty":"1050.00","penalty":"1050.00","missed_items":[{"id":"INC-42","measured":"9h15min","late":"5h15min","amount":"300.00"}],"steps":[{"step":"rounding","kind":"penalty","before":"1050.004","after":"1050.00"}]},` +
		`{"id":"AVAIL","measure":"availability","achieved":{"type":"decimal","value":"0.99712"},"objective":{"type":"decimal","value":"0.995"},"status":"met"}],` +
		`"penalties":"1050.00","net":"1050.00"}],"rejected":[{"source":"tickets","line":3,"error":"bad"}],"errors":[{"rule":"INC-P1","item":"INC-7","error":"overflow"}]}`,
	`{"periods":[{"period":"2027-01","rules":[{"id":"<x>","measure":"share","achieved":{"type":"decimal","value":"1e9"},"objective":{"type":"decimal","value":"-3"},"status":"breached","missed_items":[{"id":"\u0000"}],"steps":[{"step":"year_cap","kind":"penalty","before":"5","after":"-2"}]}],"penalties":"3","bonuses":"9","net":"-6"}]}`,
	`{"periods":[{"rules":[{"measure":"mean","achieved":{"type":"duration","value":"99999999999999999999999"},"objective":{"type":"duration","value":"0.000000001"}}]}]}`,
	`{"periods":[{"period":"2027-03","rules":[{"id":"QUALITY","status":"breached","missed":5,"raw_penalty":"100","penalty":"48.98","group":{"members":["A","B"],"breached":["A"],"penalised":[]},` +
		`"steps":[{"step":"group","kind":"penalty","before":"100","after":"100","note":"1 of 2 members measured"},{"step":"rule_caps","kind":"penalty","before":"100","after":"48.98"}]}]}]}`,
}

// FuzzRenderers renders whatever report JSON decodes into, in the format
// the input's first byte picks: no renderer may panic, and the page must
// stay well-formed.
func FuzzRenderers(f *testing.F) {
	for _, r := range fuzzReports {
		if len(r) > maxFuzzReport {
			f.Fatalf("a seed report has %d bytes, more than the %d the fuzzer renders", len(r), maxFuzzReport)
		}
		for i := range fuzzFormats {
			f.Add(append([]byte{byte(i)}, r...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r sla.Report
		if len(data) < 1 || len(data) > maxFuzzReport+1 || json.Unmarshal(data[1:], &r) != nil {
			return
		}
		format := fuzzFormats[int(data[0])%len(fuzzFormats)]
		var buf bytes.Buffer
		if err := renderers[format](&buf, &r, report.Options{Locale: report.FromReport}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if format == "html" {
			parseXML(t, buf.Bytes())
		}
	})
}

// TestFuzzReportsRender: the seeds of FuzzRenderers are reports, which
// render with what they hold.
func TestFuzzReportsRender(t *testing.T) {
	for _, s := range fuzzReports[1:2] {
		var r sla.Report
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := report.Text(&buf, &r, report.Options{}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"INC-P1", "INC-42", "AVAIL"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("the text report lacks %s:\n%s", want, buf.String())
			}
		}
	}
}

// A rule measured over a longer period than the report's says so.
func TestRulePeriodShown(t *testing.T) {
	r := &sla.Report{Periods: []sla.PeriodReport{{Period: "2027-06", Rules: []sla.RuleReport{
		{ID: "QUARTERLY", Period: "2027-Q2", Measure: "share", Status: sla.StatusMet},
		{ID: "MONTHLY", Period: "2027-06", Measure: "share", Status: sla.StatusMet},
	}}}}
	var buf bytes.Buffer
	if err := report.Text(&buf, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "QUARTERLY (2027-Q2)") || strings.Contains(out, "MONTHLY (") {
		t.Errorf("the rules' own periods:\n%s", out)
	}
}
