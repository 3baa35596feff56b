package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/sla/report"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

type chart = report.LineChart

// simulateOutput is what simulate writes, in every format: the risk
// table's result, or the answer to a question.
type simulateOutput struct {
	Result       *simulate.Result         `json:"result,omitempty"`
	Staffing     []simulate.MonthStaffing `json:"staffing,omitempty"`
	Sensitivity  *simulate.Sensitivity    `json:"sensitivity,omitempty"`
	Price        *simulate.PriceAnswer    `json:"price,omitempty"`
	StaffingPlan *simulate.StaffingPlan   `json:"staffing_plan,omitempty"`
	Comparison   *simulate.Comparison     `json:"comparison,omitempty"`

	title  string
	main   *simulate.Result // for the heading: span, runs, records
	tables []simulate.Table
	charts []chart
	notes  []string // the answer's sentences
}

// dropFigures drops the runs' figures from the results the JSON holds.
func (o *simulateOutput) dropFigures() {
	if o.Result != nil {
		o.Result.Figures = nil
	}
	if o.Comparison != nil {
		o.Comparison.Base.Figures, o.Comparison.Variant.Figures = nil, nil
	}
}

// heading is the line under the title: the span, the runs, the records.
func (o *simulateOutput) heading() string {
	r := o.main
	from, to := r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly)
	runs := grouped(int64(r.Runs)) + " runs"
	if len(r.Ranges) == 1 && r.Ranges[0].First > 0 {
		runs += fmt.Sprintf(" (%d to %d)", r.Ranges[0].First, r.Ranges[0].Last)
	}
	if r.Antithetic {
		runs += " in antithetic pairs"
	}
	switch {
	case len(r.Controls) > 0 && o.Comparison != nil:
		// The differences are run by run: a what-if's percentiles are
		// the runs' own.
		runs += fmt.Sprintf(", the differences' percentiles from the runs alone (not corrected by the %d control variates)", len(r.Controls))
	case len(r.Controls) > 0:
		runs += fmt.Sprintf(", percentiles corrected by %d control variates", len(r.Controls))
	}
	if p := r.Precision; p != nil {
		reached := "no bound yet"
		if p.Reached != nil {
			reached = "±" + percent(*p.Reached)
		}
		state := "met"
		if !p.Met {
			state = "not met within " + grouped(int64(p.Budget)) + " runs"
		}
		runs += fmt.Sprintf(" (precision target ±%s on the term's net P90: %s, %s)", percent(p.Target), reached, state)
	}
	return fmt.Sprintf("%s to %s, %s, seed %d; records per run: %s", from, to, runs, r.Seed, recordsPerRun(r))
}

// namedResult is a result of the answer besides the main one, with what
// it is the result of.
type namedResult struct {
	name string
	res  *simulate.Result
}

// others are the answer's results besides the main one: the variant
// compared, the sweep's values, the prices or the staffings evaluated.
// Their runs are the main one's, but the engine may reject records or
// fail on rules under one and not the other.
func (o *simulateOutput) others() []namedResult {
	var out []namedResult
	add := func(name string, r *simulate.Result) {
		if r != nil && r != o.main {
			out = append(out, namedResult{name, r})
		}
	}
	if c := o.Comparison; c != nil {
		add(c.VariantName, c.Variant)
	}
	if s := o.Sensitivity; s != nil {
		for _, p := range s.Points {
			add(s.Parameter+" "+p.Value, p.Result)
		}
	}
	if a := o.Price; a != nil {
		for _, c := range a.Candidates {
			add("price "+c.Price.String(), c.Result)
		}
	}
	if p := o.StaffingPlan; p != nil {
		for _, s := range p.Options {
			add(p.Parameter+" "+s.Value, s.Result)
		}
	}
	return out
}

// errors are the engine's rejections and rule failures over every
// result of the answer, and their first messages, named after the result
// when it is not the main one.
func (o *simulateOutput) errors() (rejected, failed int, messages []string) {
	rejected, failed, messages = o.main.Rejected, o.main.RuleErrors, slices.Clone(o.main.Messages)
	for _, r := range o.others() {
		rejected, failed = rejected+r.res.Rejected, failed+r.res.RuleErrors
		for _, m := range r.res.Messages {
			messages = append(messages, r.name+": "+m)
		}
	}
	return rejected, failed, messages
}

// allNotes are the answer's sentences, then the warnings (each once) and
// errors of the runs.
func (o *simulateOutput) allNotes() []string {
	out := append([]string(nil), o.notes...)
	seen := map[string]bool{}
	for _, r := range append([]namedResult{{res: o.main}}, o.others()...) {
		for _, w := range r.res.Warnings {
			if !seen[w] {
				seen[w] = true
				out = append(out, "warning: "+w)
			}
		}
	}
	_, _, messages := o.errors()
	for _, m := range messages {
		out = append(out, "error: "+m)
	}
	return out
}

// percent writes a share as a percentage with up to two decimals: 2 %,
// 1.98 %.
func percent(d decimal.Decimal) string {
	return d.Shift(2).Round(2).String() + " %"
}

// recordsPerRun describes the mean records of a run.
func recordsPerRun(r *simulate.Result) string {
	var parts []string
	for _, src := range []string{"tickets", "calls", "outages", "samples"} {
		if n, ok := r.Records[src]; ok {
			parts = append(parts, grouped(n.Round(0).IntPart())+" "+src)
		}
	}
	return strings.Join(parts, ", ")
}

// grouped writes a count with its thousands separated by commas.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// writeSimulation writes the output in its format: its tables as text,
// Markdown or an HTML page with the charts, or the figures as JSON.
func writeSimulation(w io.Writer, format string, out *simulateOutput) error {
	var b strings.Builder
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "html":
		err = writeSimulationHTML(&b, out)
	default:
		err = writeSimulationText(&b, format == "md", out)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func writeSimulationText(b *strings.Builder, md bool, out *simulateOutput) error {
	if md {
		fmt.Fprintf(b, "# %s\n\n", out.title)
	} else {
		fmt.Fprintf(b, "%s\n", out.title)
	}
	if s := out.main.Scenario; s != "" {
		if md {
			fmt.Fprintf(b, "Scenario: %s.  \n", s)
		} else {
			fmt.Fprintf(b, "Scenario: %s\n", s)
		}
	}
	b.WriteString(out.heading())
	if md {
		b.WriteString(".")
	}
	b.WriteString("\n\n")
	for _, t := range out.tables {
		var err error
		if md {
			err = t.WriteMarkdown(b)
		} else {
			err = t.WriteText(b)
		}
		if err != nil {
			return err
		}
		b.WriteByte('\n')
	}
	for _, m := range out.allNotes() {
		if md {
			b.WriteString("- ")
		}
		b.WriteString(m + "\n")
	}
	return nil
}

// writeSimulationHTML writes a page that is well-formed XML too, as the
// reports' pages are: XML tools can read it.
func writeSimulationHTML(b *strings.Builder, out *simulateOutput) error {
	title := html.EscapeString(out.title)
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n<p>",
		title, pageStyle, title)
	if s := out.main.Scenario; s != "" {
		fmt.Fprintf(b, "Scenario: %s.<br/>\n", html.EscapeString(s))
	}
	fmt.Fprintf(b, "%s. Amounts in %s, rounded to the unit.</p>\n", html.EscapeString(out.heading()), html.EscapeString(out.main.Currency))
	for _, t := range out.tables {
		if err := t.WriteHTML(b); err != nil {
			return err
		}
	}
	for _, c := range out.charts {
		b.WriteString("<figure>\n")
		if err := c.WriteSVG(b); err != nil {
			return err
		}
		b.WriteString("\n</figure>\n")
	}
	if n := out.allNotes(); len(n) > 0 {
		b.WriteString("<ul>\n")
		for _, m := range n {
			b.WriteString("<li>" + html.EscapeString(m) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return nil
}

const pageStyle = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0 2em; }
caption { text-align: left; font-weight: 600; padding-bottom: .4em; }
th, td { padding: .25em .6em; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
td { font-variant-numeric: tabular-nums; }
`
