package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/stretchr/testify/require"
)

// TestNoDataInEveryFormat: without the outages, the availability rules
// have no data, and every format says so rather than "100 % met".
func TestNoDataInEveryFormat(t *testing.T) {
	rep, err := evaluate(contractPath, referenceData, "2027-07-01T00:00:00+02:00", contract.Outages)
	require.NoError(t, err)
	n := 0
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if r.Status == sla.StatusNoData {
				n++
				require.True(t, r.Penalty.IsZero() && r.Bonus.IsZero(), r.ID)
				require.Nil(t, r.Achieved, r.ID)
			}
		}
	}
	require.Positive(t, n)
	for _, tc := range []struct {
		name   string
		render renderer
		want   []string
	}{
		{"text", report.Text, []string{"no data", "were not given"}},
		{"markdown", report.Markdown, []string{"no data", "were not given"}},
		{"html", report.HTML, []string{`<tr class="nodata">`, "no data", "were not given"}},
		{"csv", report.CSV, []string{",no_data,"}},
		{"json", report.JSON, []string{`"status": "no_data"`, `"note": "no outages given: not evaluated"`}},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, rep, report.Options{}), tc.name)
		for _, w := range tc.want {
			require.Contains(t, buf.String(), w, tc.name)
		}
		require.NotContains(t, strings.ToLower(buf.String()), "availability: 100", tc.name)
	}
}

// TestProvisionalInEveryFormat: as of mid-June, June has not ended, and
// every format marks it provisional; May, ended, is not.
func TestProvisionalInEveryFormat(t *testing.T) {
	rep, err := evaluate(contractPath, referenceData, "2027-06-15T12:00:00+02:00")
	require.NoError(t, err)
	last := rep.Periods[len(rep.Periods)-1]
	require.Equal(t, "2027-06", last.Period)
	require.True(t, last.Provisional)
	for _, r := range last.Rules {
		require.True(t, r.Provisional, r.ID)
	}
	for _, p := range rep.Periods[:len(rep.Periods)-1] {
		require.False(t, p.Provisional, p.Period)
	}
	for _, tc := range []struct {
		name   string
		render renderer
		want   []string
	}{
		{"text", report.Text, []string{"2027-06 (provisional)", "2027-06, contract year 1 (provisional)", "Provisional: the period ends on 2027-07-01 00:00"}},
		{"markdown", report.Markdown, []string{"## 2027-06, contract year 1 (provisional)", "Provisional: the period ends on"}},
		{"html", report.HTML, []string{"2027-06, contract year 1 (provisional)", "Provisional: the period ends on"}},
		{"csv", report.CSV, []string{",provisional\n", ",true\n"}},
		{"json", report.JSON, []string{`"provisional": true`}},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, rep, report.Options{}), tc.name)
		for _, w := range tc.want {
			require.Contains(t, buf.String(), w, tc.name)
		}
		require.NotContains(t, buf.String(), "2027-05 (provisional)", tc.name)
	}
}
