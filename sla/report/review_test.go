package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// copyReport is a deep copy of the fixture, to change freely.
func copyReport(t *testing.T) *sla.Report {
	t.Helper()
	b, err := json.Marshal(fixture(t))
	require.NoError(t, err)
	var r sla.Report
	require.NoError(t, json.Unmarshal(b, &r))
	return &r
}

// TestCSVFormulaInjection: a text cell of the CSV that a spreadsheet would
// read as a formula (a rule name or an objective beginning with =, +, -,
// @, a tab or a carriage return) is written with a leading apostrophe, so
// that Excel or LibreOffice shows it as text; the other cells are written
// as they are.
func TestCSVFormulaInjection(t *testing.T) {
	r := copyReport(t)
	names := []string{`=HYPERLINK("http://x.example/","y")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "plain = 1"}
	p := &r.Periods[0]
	for i, n := range names {
		p.Rules[i].Name = n
	}
	p.Rules[0].ObjectiveText = "=1+1"
	var buf bytes.Buffer
	require.NoError(t, report.CSV(&buf, r, report.Options{}))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	col := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	name, objective := col("name"), col("objective_text")
	for i, n := range names[:6] {
		require.Equal(t, "'"+n, rows[1+i][name], "row %d", i)
	}
	require.Equal(t, "plain = 1", rows[7][name])
	require.Equal(t, "'=1+1", rows[1][objective])
	require.Equal(t, p.Rules[1].ObjectiveText, rows[2][objective])
}

// TestFrenchPunctuation: a French report puts a no-break space before a
// colon and a narrow no-break space before a semicolon, in its own texts
// and where it joins the engine's (an exclusion's rule and reasons), so
// that no line of the text report begins with ":" or ";" and no ordinary
// space or none at all stands before them. An English report keeps "a: b; c".
func TestFrenchPunctuation(t *testing.T) {
	r := fixture(t)
	for name, render := range map[string]renderer{"text": report.Text, "markdown": report.Markdown, "html": report.HTML} {
		var buf bytes.Buffer
		require.NoError(t, render(&buf, r, report.Options{Locale: report.French}))
		out := buf.String()
		bads := []string{" :", " ;", "\n:", "\n;"}
		if name == "html" {
			bads = bads[:2] // a line of its style sheet begins with :root
		}
		for _, bad := range bads {
			if i := strings.Index(out, bad); i >= 0 {
				t.Errorf("%s: %q in %q", name, bad, out[max(i-60, 0):min(i+20, len(out))])
			}
		}
		require.Contains(t, out, "Exclus\u00a0: ", name)
		require.Contains(t, out, "TEL-ANSWER\u00a0: short abandon", name)
		require.Contains(t, out, "\u202f; ", name)
		if name == "html" {
			require.Contains(t, out, `:lang(fr)::before { content: attr(data-label) "\a0: "`)
			require.Regexp(t, `atteint\x{00a0}: 20`, out)
		}
		buf.Reset()
		require.NoError(t, render(&buf, r, report.Options{Locale: report.English}))
		require.NotContains(t, buf.String(), "\u00a0:", name)
		require.Contains(t, buf.String(), "Excluded: ", name)
	}
}

// TestFrenchWait: the measured wait of a missed call reads in the report's
// language ("attente 1min17s" in French), as the column's legend does.
func TestFrenchWait(t *testing.T) {
	for _, c := range []struct {
		locale    report.Locale
		want, not string
	}{{report.French, "attente\u00a01min17s", "wait "}, {report.English, "wait 1min17s", "attente"}} {
		var buf bytes.Buffer
		require.NoError(t, report.Text(&buf, fixture(t), report.Options{Locale: c.locale}))
		require.Contains(t, buf.String(), c.want)
		require.NotContains(t, buf.String(), c.not)
	}
}

// TestObjectiveShownExactly: an objective with more decimals than the
// table's two (five nines, 99.999 %) reads as the contract writes it, not
// rounded to "≥ 100 %", an objective no service could meet; the achieved
// value next to it still shows the decimals that tell them apart.
func TestObjectiveShownExactly(t *testing.T) {
	r := copyReport(t)
	rr := &r.Periods[0].Rules[len(r.Periods[0].Rules)-1]
	require.Equal(t, "AVAIL-MAIL", rr.ID)
	rr.Objective = sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.99999")}
	rr.ObjectiveText = "availability >= 99.999%"
	rr.Achieved = &sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.9999849")}
	rr.Status = sla.StatusBreached
	for _, c := range []struct {
		locale              report.Locale
		objective, achieved string
	}{{report.French, "≥ 99,999\u202f%", "99,998\u202f%"}, {report.English, "≥ 99.999 %", "99.998 %"}} {
		var buf bytes.Buffer
		require.NoError(t, report.Text(&buf, r, report.Options{Locale: c.locale}))
		var row string
		for _, l := range strings.Split(buf.String(), "\n") {
			if strings.HasPrefix(l, "AVAIL-MAIL ") && strings.Contains(l, "%") && !strings.Contains(l, ">=") {
				row = l
				break
			}
		}
		require.Contains(t, row, c.objective)
		require.Contains(t, row, c.achieved)
		require.NotContains(t, row, "100")
	}
}

// TestMissedItemsOfAChargedRule: a rule met that still carries a penalty
// (INC-P1 in May: one P1 late, within "missed ≤ 1", charged 300.00 per
// late P1 before the caps) lists its missed items with their amounts, as a
// breached rule does: otherwise nothing in the report says which incident
// the penalty is for.
func TestMissedItemsOfAChargedRule(t *testing.T) {
	r := fixture(t)
	var may *sla.PeriodReport
	for i := range r.Periods {
		if r.Periods[i].Period == "2027-05" {
			may = &r.Periods[i]
		}
	}
	require.NotNil(t, may)
	var p1 *sla.RuleReport
	for i := range may.Rules {
		if may.Rules[i].ID == "INC-P1" {
			p1 = &may.Rules[i]
		}
	}
	require.NotNil(t, p1)
	require.Equal(t, sla.StatusMet, p1.Status)
	require.True(t, p1.Penalty.IsPositive())
	require.NotEmpty(t, p1.MissedItems)
	var buf bytes.Buffer
	require.NoError(t, report.Text(&buf, r, report.Options{Locale: report.English}))
	_, section, _ := strings.Cut(buf.String(), "\n2027-05, contract year 1\n")
	section, _, _ = strings.Cut(section, "\nDue for 2027-05\n")
	_, items, ok := strings.Cut(section, "\nMissed items of the rules breached or charged\n")
	require.True(t, ok, "no missed items heading naming the rules charged")
	require.Regexp(t, `\nINC-P1 +`+p1.MissedItems[0].ID+" ", items)
}
