package ingest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A flat ServiceNow export's reopen and reassignment counts land in the
// ticket's typed fields, by field name or by label; a bad count rejects
// the row with its column; without the columns, the counts are zero.
func TestFlatExportCounts(t *testing.T) {
	o := readTickets(t, "number,priority,opened_at,resolved_at,reopen_count,reassignment_count,short_description\n"+
		"INC1,1 - Critical,2027-03-01 08:00:00,2027-03-01 10:00:00,2,3,printer\n"+
		"INC2,1 - Critical,2027-03-01 08:00:00,2027-03-01 10:00:00,0,,screen\n"+
		"INC3,1 - Critical,2027-03-01 08:00:00,2027-03-01 10:00:00,two,0,mouse\n", ServiceNowIncidents(), Options{Location: time.UTC})
	require.Len(t, o.Records, 2)
	require.Equal(t, 2, o.Records[0].ReopenCount)
	require.Equal(t, 3, o.Records[0].ReassignmentCount)
	require.NotContains(t, o.Records[0].Attrs, "reopen_count", "a typed field, not an attribute")
	require.Equal(t, 0, o.Records[1].ReassignmentCount, "an empty cell is no count")
	require.Len(t, o.Rejected, 1)
	require.Contains(t, o.Rejected[0], "reopen_count")

	o = readTickets(t, "Number,Priority,Opened,Reopen count,Reassignment count\nINC1,2 - High,2027-03-01 08:00:00,1,4\n", ServiceNowIncidents(), Options{Location: time.UTC})
	require.Len(t, o.Records, 1)
	require.Equal(t, 1, o.Records[0].ReopenCount)
	require.Equal(t, 4, o.Records[0].ReassignmentCount)

	o = readTickets(t, "number,priority,opened_at\nINC1,2 - High,2027-03-01 08:00:00\n", ServiceNowIncidents(), Options{Location: time.UTC})
	require.Zero(t, o.Records[0].ReopenCount+o.Records[0].ReassignmentCount)
}

// The replay of an event log counts the reopenings it sees and the
// changes of assignment group between its rows; an export's counts,
// which may include what happened before the log starts, win when they
// are more.
func TestEventLogCounts(t *testing.T) {
	m := eventMapping()
	m.Columns.Group = "g"
	header := "n,s,u,o,seq,rc,r,p,g\n"
	o := readTickets(t, header+
		"A,New,1/3/2027 08:00,1/3/2027 08:00,0,?,?,?,Desk\n"+
		"A,Active,1/3/2027 09:00,1/3/2027 08:00,1,?,?,?,Network\n"+
		"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,2,?,?,?,?\n"+
		"A,Active,2/3/2027 09:00,1/3/2027 08:00,3,?,?,?,Network\n"+
		"A,Active,2/3/2027 10:00,1/3/2027 08:00,4,?,?,?,Desk\n"+
		"A,Resolved,2/3/2027 11:00,1/3/2027 08:00,5,?,?,?,Desk\n", m, Options{})
	require.Empty(t, o.Rejected)
	require.Len(t, o.Records, 1)
	require.Equal(t, 1, o.Records[0].ReopenCount)
	require.Equal(t, 2, o.Records[0].ReassignmentCount, "Desk → Network → Desk")

	m.Columns.ReassignmentCount = "ra"
	o = readTickets(t, "n,s,u,o,seq,rc,r,p,g,ra\n"+
		"B,Active,1/3/2027 08:00,1/3/2027 08:00,0,3,?,?,Desk,5\n"+
		"B,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,3,?,?,Network,6\n", m, Options{})
	require.Empty(t, o.Rejected)
	require.Equal(t, 3, o.Records[0].ReopenCount, "the export's count, before the log")
	require.Equal(t, 6, o.Records[0].ReassignmentCount, "the export's count, last known")
}
