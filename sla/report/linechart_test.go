package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

func svgOf(t *testing.T, c report.LineChart) (*element, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	// An SVG is an XML document of its own.
	page := append([]byte("<!DOCTYPE html><html>"), buf.Bytes()...)
	page = append(page, "</html>"...)
	root := parseXML(t, page)
	if len(root.children) != 1 || root.children[0].name != "svg" {
		t.Fatalf("WriteSVG wrote %d elements, not one <svg>", len(root.children))
	}
	return root.children[0], buf.String()
}

func TestLineChart(t *testing.T) {
	c := report.LineChart{
		Title:  "P90 penalties against agents <staffed>",
		XLabel: "agents", YLabel: "€",
		X: []string{"10", "11", "12", "13", "14"},
		Series: []report.Series{
			{Name: "P90", Values: decs("12000", "8000.5", "4000", "1500", "200")},
			{Name: "mean", Values: decs("9000", "5000", "2000", "700", "50"), Missing: []bool{false, false, true, false, false}},
			{Name: "budget", Values: decs("3000", "3000", "3000", "3000", "3000"), Dashed: true},
		},
		YZero:  true,
		Format: report.Format{Locale: report.French, Currency: "EUR"},
	}
	c.YFormat = c.Format.Money
	svg, raw := svgOf(t, c)
	if svg.attrs["xmlns"] != "http://www.w3.org/2000/svg" || svg.attrs["role"] != "img" {
		t.Errorf("svg attributes %v", svg.attrs)
	}
	if got := svg.children[0].allText(); got != c.Title {
		t.Errorf("title %q", got)
	}
	if !strings.Contains(raw, "&lt;staffed&gt;") {
		t.Error("the title is not escaped")
	}
	desc := svg.children[1].allText()
	for _, s := range []string{"P90\u00a0:", "10 12\u202f000,00\u00a0€", "mean\u00a0:", "12 aucune", "budget\u00a0:"} {
		if !strings.Contains(desc, s) {
			t.Errorf("the description %q lacks %q", desc, s)
		}
	}
	series := svg.all(func(e *element) bool { return e.name == "path" && e.class("series") })
	if len(series) != 3 {
		t.Fatalf("%d series paths, want 3", len(series))
	}
	if series[2].attrs["stroke-dasharray"] == "" || series[0].attrs["stroke-dasharray"] != "" {
		t.Error("only the dashed series should be dashed")
	}
	// The missing value breaks the line in two.
	if d := series[1].attrs["d"]; strings.Count(d, "M") != 2 {
		t.Errorf("the series with a gap is drawn as %q", d)
	}
	// One marker per value present, none on the dashed series.
	if got := len(svg.all(func(e *element) bool { return e.class("point") })); got != 9 {
		t.Errorf("%d points, want 9", got)
	}
	// A legend, since there are several series; ticks formatted as money.
	if got := len(svg.all(func(e *element) bool { return e.class("legend") })); got != 3 {
		t.Errorf("%d legend entries, want 3", got)
	}
	ticks := svg.all(func(e *element) bool { return e.class("tick") })
	if len(ticks) < 3 || ticks[0].allText() != "0,00\u00a0€" {
		t.Errorf("ticks %d, first %q", len(ticks), ticks[0].allText())
	}
}

func TestLineChartHighlightAndScales(t *testing.T) {
	c := report.LineChart{
		Title: "availability", X: []string{"Jan", "Feb", "Mar"}, Scale: report.ScalePercent,
		Series: []report.Series{
			{Name: "achieved", Values: decs("1", "0.9912", "0.97"), Highlight: []bool{false, true, true}},
			{Name: "objective", Values: decs("0.995", "0.995", "0.995"), Dashed: true},
		},
		HighlightLabel: "breached",
	}
	svg, _ := svgOf(t, c)
	if got := len(svg.all(func(e *element) bool { return e.class("flagged") })); got != 2 {
		t.Errorf("%d flagged points, want 2", got)
	}
	var labels []string
	for _, e := range svg.all(func(e *element) bool { return e.class("tick") }) {
		labels = append(labels, e.allText())
	}
	if len(labels) < 3 || len(labels) > 7 || labels[len(labels)-1] != "100 %" || !strings.HasPrefix(labels[0], "9") {
		t.Errorf("percent ticks: %s", strings.Join(labels, " | "))
	}
	for _, l := range labels {
		if !strings.HasSuffix(l, " %") {
			t.Errorf("percent tick %q", l)
		}
	}

	d := report.LineChart{Title: "wait", X: []string{"a", "b"}, Scale: report.ScaleSeconds,
		Series: []report.Series{{Name: "ASA", Values: decs("45", "300")}}}
	svg, _ = svgOf(t, d)
	labels = nil
	for _, e := range svg.all(func(e *element) bool { return e.class("tick") }) {
		labels = append(labels, e.allText())
	}
	for _, l := range labels {
		if !strings.HasSuffix(l, "min") && !strings.HasSuffix(l, " s") {
			t.Errorf("duration ticks: %s", strings.Join(labels, " | "))
			break
		}
	}
}

func TestLineChartErrorsAndEmpty(t *testing.T) {
	bad := report.LineChart{X: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: decs("1")}}}
	if err := bad.WriteSVG(&bytes.Buffer{}); err == nil {
		t.Error("a series shorter than X should be an error")
	}
	bad = report.LineChart{X: []string{"a"}, Series: []report.Series{{Name: "s", Values: decs("1"), Missing: []bool{}}}}
	if err := bad.WriteSVG(&bytes.Buffer{}); err == nil {
		t.Error("missing flags of the wrong length should be an error")
	}
	for _, c := range []report.LineChart{
		{},
		{Title: "no series", X: []string{"a", "b"}},
		{Title: "all missing", X: []string{"a"}, Series: []report.Series{{Name: "s", Values: decs("0"), Missing: []bool{true}}}},
		{Title: "flat", X: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: decs("5", "5")}}},
		{Title: "negative", X: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: decs("-5", "-0.001")}}},
		{Title: "huge", X: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: decs("1e30", "-1e30")}}},
		{Title: "tiny", X: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: decs("1e-20", "2e-20")}}},
		{Title: "many x", X: strings.Split(strings.Repeat("2027-01,", 60), ",")[:60], Series: []report.Series{{Name: "s", Values: make([]decimal.Decimal, 60)}}},
	} {
		svg, _ := svgOf(t, c)
		if c.Title == "no series" || c.Title == "all missing" {
			if len(svg.all(func(e *element) bool { return e.class("note") })) != 1 {
				t.Errorf("%s: no 'no data' note", c.Title)
			}
		}
	}
}
