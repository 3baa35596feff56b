package simulate

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Table is a result laid out for people: a title, a header and rows of
// text, with the numeric columns aligned right. It renders as text,
// Markdown or an HTML fragment; the figures behind it are in [Result].
type Table struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
	Right  []bool     `json:"-"` // per column: align right
}

// WriteText writes the table in columns padded with spaces.
func (t Table) WriteText(w io.Writer) error {
	width := make([]int, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i, cell := range row {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(cell))
			}
		}
	}
	var b strings.Builder
	b.WriteString(t.Title)
	b.WriteByte('\n')
	line := func(row []string) {
		for i := range width {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right(i) {
				b.WriteString(pad + cell)
			} else if i < len(width)-1 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(cell)
			}
		}
		b.WriteByte('\n')
	}
	line(t.Header)
	rule := make([]string, len(width))
	for i, n := range width {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule)
	for _, row := range t.Rows {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t Table) right(i int) bool { return i < len(t.Right) && t.Right[i] }

// WriteMarkdown writes the table as a GitHub-flavoured Markdown table
// under a bold title.
func (t Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintf(&b, "**%s**\n\n|", esc(t.Title))
	for _, h := range t.Header {
		b.WriteString(" " + esc(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Header {
		if t.right(i) {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteByte('\n')
	for _, row := range t.Rows {
		b.WriteByte('|')
		for _, c := range row {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteHTML writes the table as an HTML <table> element, escaped.
func (t Table) WriteHTML(w io.Writer) error {
	var b strings.Builder
	b.WriteString("<table>\n<caption>" + html.EscapeString(t.Title) + "</caption>\n<thead><tr>")
	for i, h := range t.Header {
		b.WriteString("<th" + t.align(i) + ">" + html.EscapeString(h) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range row {
			b.WriteString("<td" + t.align(i) + ">" + html.EscapeString(c) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (t Table) align(i int) string {
	if t.right(i) {
		return ` style="text-align:right"`
	}
	return ""
}

// amount formats an amount rounded to the unit, with thousands separated
// by commas: 1,284,383.
func amount(d decimal.Decimal) string {
	s := d.Round(0).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percent formats a share (0.1234) as a percentage with one decimal.
func percent(d decimal.Decimal) string {
	return d.Shift(2).StringFixed(1) + " %"
}

func rightFrom(n, from int) []bool {
	r := make([]bool, n)
	for i := from; i < n; i++ {
		r[i] = true
	}
	return r
}

// Tables lays the result out as four tables: the risk per contract year
// and over the span, the precision of its figures, the rules by expected
// penalty, and the caps. Amounts are rounded to the unit of currency.
func (r *Result) Tables() []Table {
	return []Table{r.RiskTable(), r.PrecisionTable(), r.RulesTable(), r.CapsTable()}
}

// RiskTable is the distribution of penalties, bonuses, net and margin per
// contract year and over the span.
func (r *Result) RiskTable() Table {
	t := Table{
		Title: fmt.Sprintf("Penalties and margin, %s, %d runs (seed %d): mean and percentiles over the runs", r.Currency, r.Runs, r.Seed),
		Header: []string{"span", "invoice", "penalties", "P50", "P90", "P99", "max", "bonuses",
			"net", "net P90", "cost", "margin", "margin P10"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	row := func(name string, k Risk) []string {
		return []string{name, amount(k.Invoice.Mean), amount(k.Penalties.Mean), amount(k.Penalties.P50), amount(k.Penalties.P90),
			amount(k.Penalties.P99), amount(k.Penalties.Max), amount(k.Bonuses.Mean), amount(k.Net.Mean), amount(k.Net.P90),
			amount(k.Cost), amount(k.Margin.Mean), amount(k.Margin.P10)}
	}
	for _, y := range r.Years {
		t.Rows = append(t.Rows, row("year "+strconv.Itoa(y.Year), y.Risk))
	}
	t.Rows = append(t.Rows, row("term", r.Term))
	return t
}

// PrecisionTable gives the 95 % confidence interval of the risk table's
// main figures, and how far it reaches from the estimate on its farther
// side, as a share of the estimate: how far the figures may be from what
// infinitely many runs would give.
func (r *Result) PrecisionTable() Table {
	method := "order statistics for percentiles, Student's t for means"
	if r.Antithetic {
		method = "antithetic pairs: Woodruff's for percentiles, Student's t over pairs for means"
	}
	if len(r.Controls) > 0 {
		method = fmt.Sprintf("percentiles corrected by %d control variates, Woodruff's; Student's t for means", len(r.Controls))
		if r.Antithetic {
			method = "antithetic pairs, " + method + " over pairs"
		}
	}
	t := Table{
		Title:  fmt.Sprintf("Precision: 95 %% confidence intervals, %s, %d runs (%s)", r.Currency, r.Runs, method),
		Header: []string{"span", "figure", "estimate", "95 % interval", "±"},
	}
	t.Right = rightFrom(len(t.Header), 2)
	add := func(span string, k Risk) {
		for _, f := range []struct {
			name string
			est  decimal.Decimal
			iv   Interval
		}{
			{"penalties, mean", k.Penalties.Mean, k.Penalties.MeanCI},
			{"penalties, P50", k.Penalties.P50, k.Penalties.P50CI},
			{"penalties, P90", k.Penalties.P90, k.Penalties.P90CI},
			{"penalties, P99", k.Penalties.P99, k.Penalties.P99CI},
			{"net, mean", k.Net.Mean, k.Net.MeanCI},
			{"net, P90", k.Net.P90, k.Net.P90CI},
			{"margin, mean", k.Margin.Mean, k.Margin.MeanCI},
			{"margin, P10", k.Margin.P10, k.Margin.P10CI},
		} {
			t.Rows = append(t.Rows, []string{span, f.name, amount(f.est), intervalText(f.iv, amount), relativeHalfWidth(f.est, f.iv)})
		}
	}
	for _, y := range r.Years {
		add("year "+strconv.Itoa(y.Year), y.Risk)
	}
	add("term", r.Term)
	return t
}

// intervalText writes an interval as "low – high", with ≥ or ≤ when a side is
// unbounded, and "–" when neither is known.
func intervalText(iv Interval, f func(decimal.Decimal) string) string {
	switch {
	case iv.Low != nil && iv.High != nil:
		return f(*iv.Low) + " – " + f(*iv.High)
	case iv.Low != nil:
		return "≥ " + f(*iv.Low)
	case iv.High != nil:
		return "≤ " + f(*iv.High)
	}
	return "–"
}

// relativeHalfWidth is how far the interval reaches from the estimate,
// on its farther side, as a percentage of the estimate: "±2.1 %".
func relativeHalfWidth(est decimal.Decimal, iv Interval) string {
	h, ok := iv.Reach(est)
	if !ok || est.IsZero() {
		return "–"
	}
	return "±" + h.Div(est.Abs()).Shift(2).StringFixed(1) + " %"
}

// percentIn formats a share and its interval: "12.3 % (11.0–13.5)".
func percentIn(d decimal.Decimal, iv Interval) string {
	if iv.Low == nil || iv.High == nil {
		return percent(d)
	}
	return fmt.Sprintf("%s (%s–%s)", percent(d), iv.Low.Shift(2).StringFixed(1), iv.High.Shift(2).StringFixed(1))
}

// RulesTable lists the rules by expected penalty, the largest first, with
// the 95 % intervals of the shares and the breach probability.
func (r *Result) RulesTable() Table {
	t := Table{
		Title:  "Rules by expected penalty over the span: share of the mean, and of the runs at or above the P90 (95 % intervals)",
		Header: []string{"rule", "breached in", "months breached", "expected penalty", "95 % interval", "share", "share of P90 tail", "expected bonus"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	rules := slices.Clone(r.Rules)
	slices.SortStableFunc(rules, func(a, b RuleRisk) int {
		return cmp.Or(b.ExpectedPenalty.Cmp(a.ExpectedPenalty), b.ExpectedBonus.Cmp(a.ExpectedBonus))
	})
	for _, ru := range rules {
		t.Rows = append(t.Rows, []string{ru.ID, percentIn(ru.BreachProbability, ru.BreachProbabilityCI) + " of runs", ru.MeanBreaches.StringFixed(1),
			amount(ru.ExpectedPenalty), intervalText(ru.ExpectedPenaltyCI, amount), percentIn(ru.Share, ru.ShareCI),
			percentIn(ru.TailShare, ru.TailShareCI), amount(ru.ExpectedBonus)})
	}
	return t
}

// CapsTable lists the contract's caps and how often they bite.
func (r *Result) CapsTable() Table {
	t := Table{
		Title:  "Caps: how often each is reached (95 % interval), and what it saves",
		Header: []string{"cap", "reached in", "periods (mean)", "expected cut"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	for _, c := range r.Caps {
		t.Rows = append(t.Rows, []string{c.Label(), percentIn(c.Probability, c.ProbabilityCI) + " of runs", c.MeanTimes.StringFixed(2), amount(c.ExpectedCut)})
	}
	return t
}

// Label names the cap for people.
func (c CapRisk) Label() string {
	switch c.Step {
	case "rule_caps":
		return "rule cap " + c.Rule
	case "month_cap":
		return "monthly cap"
	case "year_cap":
		return "contract-year cap"
	case "bonus":
		return "bonus cap"
	}
	return c.Step
}

// Table lays the sensitivity out: one row per value of the parameter.
func (s *Sensitivity) Table() Table {
	t := Table{
		Title:  fmt.Sprintf("Penalties over the span as %s varies, %s, %d runs per value (seed %d)", s.Parameter, s.Currency, s.Runs, s.Seed),
		Header: []string{s.Parameter, "mean", "P50", "P90", "P99", "max", "net", "margin", "margin P10"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	for _, p := range s.Points {
		t.Rows = append(t.Rows, []string{p.Value, amount(p.Penalties.Mean), amount(p.Penalties.P50), amount(p.Penalties.P90),
			amount(p.Penalties.P99), amount(p.Penalties.Max), amount(p.Net.Mean), amount(p.Margin.Mean), amount(p.Margin.P10)})
	}
	return t
}

// StaffingTable lays out the desk's staffing month by month, with what
// the queueing formulas forecast for it.
func StaffingTable(ms []MonthStaffing) Table {
	t := Table{
		Title:  "Phone desk: staffing and the forecast of the queueing formulas (Erlang C, or A when callers hang up)",
		Header: []string{"month", "calls", "agent hours", "cost", "answered in time", "abandoned", "ASA", "occupancy"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	f := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + " %" }
	for _, m := range ms {
		t.Rows = append(t.Rows, []string{m.Month, strconv.FormatFloat(m.Calls, 'f', 0, 64), amount(m.AgentHours), amount(m.Cost),
			f(m.ServiceLevel) + " ≤ " + m.Within.String(), f(m.Abandon), m.ASA.Round(100 * time.Millisecond).String(), f(m.Occupancy)})
	}
	return t
}
