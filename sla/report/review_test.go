package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
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
