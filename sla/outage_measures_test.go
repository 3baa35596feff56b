package sla_test

import (
	"slices"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// The measures of outages other than availability measure them: a sum
// of their durations, a count of them, the longest. An outage across
// two months has in each its duration within it, so that the months'
// sums add up to the outage. They read "nothing measured" before.
func TestOutageMeasures(t *testing.T) {
	c := contractOf2027(t, "outage-measures", `rules:
  - {id: DOWN-TIME, source: outages, objective: sum(duration) <= 2h, penalty: 100.00}
  - {id: ERP-OUTAGES, source: outages, scope: service == "ERP", objective: count(true) <= 1, penalty: 100.00}
  - {id: LONGEST, source: outages, objective: max(duration) <= 90min, penalty: 100.00}
  - {id: PLANNED, source: outages, objective: share(planned) <= 50%, penalty: 100.00}
`)
	outages := []pacte.Outage{
		{ID: "O1", Service: "ERP", Start: at(t, "2027-06-10 10:00"), End: at(t, "2027-06-10 11:00")},
		{ID: "O2", Service: "ERP", Start: at(t, "2027-06-30 23:00"), End: at(t, "2027-07-01 02:00"), Planned: true},
		{ID: "O3", Service: "mail", Start: at(t, "2027-07-20 08:00"), End: at(t, "2027-07-20 08:30")},
	}
	rep, err := sla.Evaluate(t.Context(), c, sla.Input{Outages: slices.Values(outages)})
	require.NoError(t, err)
	require.Empty(t, rep.Errors)
	for _, tc := range []struct {
		period, rule string
		achieved     string
		status       sla.Status
	}{
		{"2027-06", "DOWN-TIME", "7200", sla.StatusMet}, // seconds: 1h, and the hour of O2 within June
		{"2027-07", "DOWN-TIME", "9000", sla.StatusBreached},
		{"2027-06", "ERP-OUTAGES", "2", sla.StatusBreached},
		{"2027-07", "ERP-OUTAGES", "1", sla.StatusMet},
		{"2027-06", "LONGEST", "3600", sla.StatusMet},
		{"2027-07", "LONGEST", "7200", sla.StatusBreached},
		{"2027-06", "PLANNED", "0.5", sla.StatusMet},
	} {
		r := rule(t, rep, tc.period, tc.rule)
		require.NotNil(t, r.Achieved, "%s %s: %s", tc.period, tc.rule, r.Note)
		require.Equal(t, tc.achieved, r.Achieved.Text(), "%s %s", tc.period, tc.rule)
		require.Equal(t, tc.status, r.Status, "%s %s", tc.period, tc.rule)
	}
	// The outages that break a count or a threshold are listed, each with
	// its duration within the period.
	longest := rule(t, rep, "2027-07", "LONGEST")
	require.Len(t, longest.MissedItems, 1)
	require.Equal(t, "O2", longest.MissedItems[0].ID)
	require.Equal(t, "2h", longest.MissedItems[0].Measured)
}
