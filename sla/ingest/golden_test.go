package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// outcome is everything a read produced, in a stable form for golden files.
type outcome[T any] struct {
	Stats    Stats    `json:"stats"`
	Records  []T      `json:"records"`
	Rejected []string `json:"rejected"`
	Err      string   `json:"err,omitempty"`
}

func collect[T any](t *testing.T, rd *Reader[T]) outcome[T] {
	t.Helper()
	var o outcome[T]
	for rec := range rd.Records() {
		o.Records = append(o.Records, rec)
	}
	for e := range rd.Rejected() {
		o.Rejected = append(o.Rejected, e.Error())
	}
	if err := rd.Err(); err != nil {
		o.Err = err.Error()
	}
	o.Stats = rd.Stats()
	require.Equal(t, o.Stats.Rows, o.Stats.Accepted+o.Stats.Rejected, "every row is accepted or rejected")
	require.Equal(t, o.Stats.Records, len(o.Records))
	return o
}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return loc
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	checkGoldenFile(t, filepath.Join("testdata", "golden", name+".json"), got)
}

// checkGoldenFile compares got, as indented JSON, with the file at path.
func checkGoldenFile(t *testing.T, path string, got any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(got))
	golden.Check(t, path, buf.Bytes(), *update)
}

func TestGoldenPresets(t *testing.T) {
	loc := paris(t)
	tickets := func(file string, m *Mapping) func(t *testing.T) any {
		return func(t *testing.T) any {
			rd, err := ReadTickets(openFixture(t, file), m, Options{Name: file, Location: loc})
			require.NoError(t, err)
			return collect(t, rd)
		}
	}
	callsMapping, err := LoadMapping(filepath.Join("testdata", "calls_mapping.yaml"))
	require.NoError(t, err)
	apiMapping := &Mapping{Columns: Columns{
		ID: "number", Priority: "priority", Status: "state", Opened: "opened_at",
		Resolved: "resolved_at", Group: "assignment_group.display_value",
	}, Ignore: []string{"assignment_group.value"}}

	for _, tc := range []struct {
		name string
		read func(t *testing.T) any
	}{
		{"servicenow_incident", tickets("servicenow_incident.csv", ServiceNowIncidents())},
		{"servicenow_eventlog", tickets("servicenow_eventlog.csv", ServiceNowEventLog())},
		{"glpi", tickets("glpi.csv", GLPITickets())},
		{"itop", tickets("itop.csv", ITopTickets())},
		{"jira", tickets("jira.csv", JiraServiceManagement())},
		{"tickets_api", tickets("tickets_api.jsonl", apiMapping)},
		{"tickets_native", tickets("tickets_native.jsonl", nil)},
		{"calls", func(t *testing.T) any {
			rd, err := ReadCalls(openFixture(t, "calls.csv"), callsMapping, Options{Name: "calls.csv", Location: loc})
			require.NoError(t, err)
			return collect(t, rd)
		}},
		{"outages", func(t *testing.T) any {
			rd, err := ReadOutages(openFixture(t, "outages.csv"), nil, Options{Name: "outages.csv", Location: loc})
			require.NoError(t, err)
			return collect(t, rd)
		}},
		{"samples", func(t *testing.T) any {
			rd, err := ReadSamples(openFixture(t, "samples.csv"), nil, Options{Name: "samples.csv", Location: loc})
			require.NoError(t, err)
			return collect(t, rd)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkGolden(t, tc.name, tc.read(t))
		})
	}
}

// The golden files are only as good as their review; these assertions
// pin the semantics that matter most, independently of them.
func TestEventLogSemantics(t *testing.T) {
	loc := paris(t)
	rd, err := ReadTickets(openFixture(t, "servicenow_eventlog.csv"), ServiceNowEventLog(),
		Options{Name: "servicenow_eventlog.csv", Location: loc})
	require.NoError(t, err)
	o := collect(t, rd)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		require.NoError(t, err)
		return tm
	}
	byID := map[string]pacte.Ticket{}
	for _, tk := range o.Records {
		byID[tk.ID] = tk
	}
	require.Len(t, o.Records, 4)
	require.Equal(t, Stats{Rows: 22, Records: 4, Accepted: 18, Rejected: 4}, o.Stats)

	t45 := byID["INC0000045"]
	require.Equal(t, []pacte.Interval{{Start: at("2016-02-29 09:10"), End: at("2016-02-29 10:40")}}, t45.Pauses)
	require.Empty(t, t45.Reopened)
	require.Equal(t, at("2016-02-29 11:29"), t45.Resolved)
	require.Equal(t, at("2016-03-05 12:00"), t45.Closed)
	require.Equal(t, "Closed", t45.Status)
	require.Len(t, t45.History, 6)
	require.Equal(t, "Resolver 89", t45.Attrs["assigned_to"])
	require.Equal(t, "incident", t45.Kind)

	t47 := byID["INC0000047"]
	require.Equal(t, []time.Time{at("2016-03-02 08:00")}, t47.Reopened, "one reopening, seen by the status and by reopen_count")
	require.Equal(t, "P2", t47.Priority, "last known priority")
	require.Equal(t, "Group 70", t47.Group)
	require.Equal(t, "false", t47.Attrs["made_sla"])
	require.Equal(t, []pacte.Link{{ID: "Problem ID  2", Kind: "problem"}}, t47.Links)

	t57 := byID["INC0000057"]
	require.Equal(t, []pacte.StatusChange{
		{At: at("2016-03-01 10:00"), Status: "New"},
		{At: at("2016-03-01 10:30"), Status: "Active"},
		{At: at("2016-03-01 10:30"), Status: "Awaiting Vendor"},
		{At: at("2016-03-02 09:00"), Status: "Resolved"},
	}, t57.History, "rows sorted by update, ties by sys_mod_count")
	require.Equal(t, []pacte.Interval{{Start: at("2016-03-01 10:30"), End: at("2016-03-02 09:00")}}, t57.Pauses)
	require.Equal(t, at("2016-03-02 09:00"), t57.Resolved, "derived from the status when resolved_at is missing")
	require.True(t, t57.Closed.IsZero())
	require.Equal(t, "Configuration item 33", t57.Service)

	t60 := byID["INC0000060"]
	require.Equal(t, []pacte.Interval{{Start: at("2016-03-03 10:00")}}, t60.Pauses, "pause still running")
	require.True(t, t60.Resolved.IsZero())

	var rejected []*pacte.RecordError
	for e := range rd.Rejected() {
		rejected = append(rejected, e)
	}
	require.Len(t, rejected, 3)
	require.ErrorIs(t, rejected[0], ErrDate)
	require.Equal(t, "sys_updated_at", rejected[0].Column)
	require.Equal(t, 19, rejected[0].Line)
	require.ErrorIs(t, rejected[1], ErrSplitTicket)
	require.Equal(t, "INC0000045", rejected[1].ID)
	require.ErrorIs(t, rejected[2], ErrOrder)
	require.Equal(t, "INC0000061", rejected[2].ID)
	require.Equal(t, "resolved_at", rejected[2].Column)
	require.NoError(t, rd.Err())
}
