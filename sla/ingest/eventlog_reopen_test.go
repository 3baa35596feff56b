package ingest

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

// A resolution the rows gave before the last reopening is taken back,
// whether the tool cleared its column or kept it: a reopened ticket is
// open until it enters a done status again, and the engine would stop its
// clocks at the old resolution.
func TestEventLogReopeningTakesTheResolutionBack(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rows     string
		resolved time.Time // zero: open
		inferred string
	}{
		{
			name: "the column cleared, the ticket still open",
			rows: "A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
				"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,0,1/3/2027 10:00,?\n" +
				"A,Active,1/3/2027 12:00,1/3/2027 08:00,2,?,?,?\n",
		},
		{
			name: "the column kept by the tool, the ticket still open",
			rows: "A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,0,1/3/2027 10:00,?\n" +
				"A,Active,1/3/2027 12:00,1/3/2027 08:00,2,1,1/3/2027 10:00,?\n",
		},
		{
			name: "the column kept by the tool, resolved again",
			rows: "A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
				"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,0,1/3/2027 10:00,?\n" +
				"A,Active,1/3/2027 12:00,1/3/2027 08:00,2,1,1/3/2027 10:00,?\n" +
				"A,Resolved,1/3/2027 14:00,1/3/2027 08:00,3,1,1/3/2027 10:00,?\n",
			resolved: at(1, 14), // the last time it entered Resolved
			inferred: "resolved",
		},
		{
			name: "resolved again, given by the column",
			rows: "A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,0,1/3/2027 10:00,?\n" +
				"A,Active,1/3/2027 12:00,1/3/2027 08:00,2,1,?,?\n" +
				"A,Resolved,1/3/2027 14:00,1/3/2027 08:00,3,1,1/3/2027 13:00,?\n",
			resolved: at(1, 13),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := readTickets(t, eventHeader+tc.rows, eventMapping(), Options{})
			require.Empty(t, o.Rejected)
			require.Len(t, o.Records, 1)
			tk := o.Records[0]
			require.Equal(t, []time.Time{at(1, 12)}, tk.Reopened)
			require.Equal(t, tc.resolved, tk.Resolved)
			require.Equal(t, tc.inferred, tk.Attrs[pacte.AttrInferred])
		})
	}
}
