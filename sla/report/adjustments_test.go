package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/stretchr/testify/require"
)

// TestAdjustmentsInEveryFormat: a missed item that went through an agreed
// adjustment is marked so, with what was agreed, and the report lists the
// adjustments of its provenance with the records each matched.
func TestAdjustmentsInEveryFormat(t *testing.T) {
	data, err := json.Marshal(fixture(t))
	require.NoError(t, err)
	var rep sla.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	marked := ""
	for pi := range rep.Periods {
		for ri := range rep.Periods[pi].Rules {
			rr := &rep.Periods[pi].Rules[ri]
			if rr.Status == sla.StatusBreached && len(rr.MissedItems) > 0 && marked == "" {
				rr.MissedItems[0].Adjustment = "reclassify priority=P2: one user affected (agreed by COPIL, 2027-05-06)"
				marked = rr.MissedItems[0].ID
			}
		}
	}
	require.NotEmpty(t, marked)
	rep.Provenance = &sla.Provenance{Adjustments: []sla.Adjustment{
		{Item: marked, Source: "tickets", Decision: "reclassify priority=P2", Reason: "one user affected", AgreedBy: "COPIL", Date: "2027-05-06", Matched: 1},
		{Item: "INC-GHOST", Source: "tickets", Decision: "exclude", Reason: "typo", AgreedBy: "COPIL", Date: "2027-05-06", Matched: 0},
	}}
	for _, tc := range []struct {
		name   string
		render renderer
		opts   report.Options
		want   []string
	}{
		{"text", report.Text, report.Options{}, []string{marked + " (adjusted)", marked + ": reclassify priority=P2: one user affected", "Agreed adjustments", "INC-GHOST"}},
		{"text fr", report.Text, report.Options{Locale: "fr"}, []string{marked + " (ajusté)", "Ajustements convenus", "convenu par"}},
		{"markdown", report.Markdown, report.Options{}, []string{"(adjusted)", "Agreed adjustments"}},
		{"html", report.HTML, report.Options{}, []string{"(adjusted)", "Agreed adjustments", "INC-GHOST"}},
		{"json", report.JSON, report.Options{}, []string{`"adjustment": "reclassify priority=P2`, `"matched": 0`}},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, &rep, tc.opts), tc.name)
		for _, w := range tc.want {
			require.Contains(t, buf.String(), w, tc.name)
		}
	}
}
