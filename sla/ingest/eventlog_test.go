package ingest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

func eventMapping() *Mapping {
	return &Mapping{
		EventLog: true,
		Columns: Columns{ID: "n", Status: "s", Updated: "u", Opened: "o", Sequence: "seq",
			ReopenCount: "rc", Resolved: "r", Priority: "p"},
		Missing:          []string{"?"},
		PauseStatuses:    []string{"Waiting"},
		ResolvedStatuses: []string{"Resolved"},
		ClosedStatuses:   []string{"Closed"},
	}
}

const eventHeader = "n,s,u,o,seq,rc,r,p\n"

func at(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }

func TestEventLogRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rows  string
		check func(t *testing.T, tk pacte.Ticket)
	}{
		{
			name: "reopened by the count alone",
			rows: "A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
				"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,0,?,?\n" +
				"A,Resolved,2/3/2027 10:00,1/3/2027 08:00,2,1,?,?\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				require.Equal(t, []time.Time{at(2, 10)}, tk.Reopened)
				require.Equal(t, at(1, 10), tk.Resolved, "derived: the last time it entered Resolved")
			},
		},
		{
			name: "a count that starts above zero is a baseline",
			rows: "A,Active,1/3/2027 08:00,1/3/2027 08:00,0,2,?,?\n" +
				"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,1,2,?,?\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				require.Empty(t, tk.Reopened)
			},
		},
		{
			name: "reopened from closed, counted once",
			rows: "A,Closed,1/3/2027 10:00,1/3/2027 08:00,1,0,?,?\n" +
				"A,Active,2/3/2027 09:00,1/3/2027 08:00,2,?,?,?\n" +
				"A,Active,2/3/2027 10:00,1/3/2027 08:00,3,1,?,?\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				require.Equal(t, []time.Time{at(2, 9)}, tk.Reopened)
				require.True(t, tk.Resolved.IsZero() && tk.Closed.IsZero(), "open again")
			},
		},
		{
			name: "consecutive pausing statuses make one pause",
			rows: "A,Waiting,1/3/2027 09:00,1/3/2027 08:00,1,0,?,?\n" +
				"A,waiting,1/3/2027 10:00,1/3/2027 08:00,2,0,?,?\n" +
				"A,Active,1/3/2027 11:00,1/3/2027 08:00,3,0,?,?\n" +
				"A,Waiting,1/3/2027 12:00,1/3/2027 08:00,4,0,?,?\n" +
				"A,Closed,1/3/2027 13:00,1/3/2027 08:00,5,0,?,?\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				require.Equal(t, []pacte.Interval{{Start: at(1, 9), End: at(1, 11)}, {Start: at(1, 12), End: at(1, 13)}}, tk.Pauses)
				require.Len(t, tk.History, 4, "a change of case is not a change of status")
				require.Equal(t, at(1, 13), tk.Resolved)
				require.Equal(t, at(1, 13), tk.Closed)
			},
		},
		{
			name: "rows in any order, ties broken by the sequence",
			rows: "A,Closed,1/3/2027 12:00,1/3/2027 08:00,3,0,?,?\n" +
				"A,Resolved,1/3/2027 12:00,1/3/2027 08:00,2,0,?,?\n" +
				"A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,3\n" +
				"A,Active,1/3/2027 09:00,1/3/2027 08:00,1,0,?,1\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				var statuses []string
				for _, h := range tk.History {
					statuses = append(statuses, h.Status)
				}
				require.Equal(t, []string{"New", "Active", "Resolved", "Closed"}, statuses)
				require.Equal(t, "P1", tk.Priority, "last known by time, not by file order")
				require.Equal(t, "Closed", tk.Status)
			},
		},
		{
			name: "a resolution column wins over the status",
			rows: "A,Resolved,1/3/2027 12:00,1/3/2027 08:00,0,0,1/3/2027 11:00,?\n",
			check: func(t *testing.T, tk pacte.Ticket) {
				require.Equal(t, at(1, 11), tk.Resolved)
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := readTickets(t, eventHeader+tc.rows, eventMapping(), Options{})
			require.Empty(t, o.Rejected)
			require.Len(t, o.Records, 1)
			tc.check(t, o.Records[0])
		})
	}
}

// A value of zero is a value: a satisfaction of 0 given after one of 8
// is the ticket's last known satisfaction, as a level 0 after a level 2.
func TestEventLogLastValueZero(t *testing.T) {
	m := eventMapping()
	m.Columns.Satisfaction, m.Columns.Level = "sat", "lvl"
	input := "n,s,u,o,sat,lvl\n" +
		"A,New,1/3/2027 08:00,1/3/2027 08:00,8,2\n" +
		"A,Resolved,1/3/2027 10:00,1/3/2027 08:00,0,0\n" +
		"A,Closed,1/3/2027 11:00,1/3/2027 08:00,?,?\n" +
		"B,New,1/3/2027 08:00,1/3/2027 08:00,0,0\n" +
		"B,Resolved,1/3/2027 10:00,1/3/2027 08:00,7,3\n"
	o := readTickets(t, input, m, Options{})
	require.Empty(t, o.Rejected)
	require.Len(t, o.Records, 2)
	require.True(t, o.Records[0].Satisfaction.IsZero(), "A: %s", o.Records[0].Satisfaction)
	require.Equal(t, 0, o.Records[0].Level)
	require.Equal(t, "7", o.Records[1].Satisfaction.String())
	require.Equal(t, 3, o.Records[1].Level)
}

func TestEventLogRefusals(t *testing.T) {
	input := eventHeader +
		"A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
		",Active,1/3/2027 09:00,1/3/2027 08:00,1,0,?,?\n" + // no number: refused alone
		"A,Active,1/3/2027 09:00,1/3/2027 08:00,1,0,?,?\n" +
		"B,New,?,1/3/2027 08:00,0,0,?,?\n" + // no update instant: refused alone
		"C,New,1/3/2027 08:00,?,0,0,?,?\n" + // never opened: the ticket is refused
		"C,Active,1/3/2027 09:00,?,1,0,?,?\n" +
		"B,Active,1/3/2027 09:00,1/3/2027 08:00,1,0,?,?\n" + // B's first run was refused, but B was met
		"D,New,1/3/2027 08:00,1/3/2027 08:00,x,0,?,?\n" // bad sequence: refused alone
	o := readTickets(t, input, eventMapping(), Options{Name: "log.csv"})
	require.Equal(t, Stats{Rows: 8, Records: 1, Accepted: 2, Rejected: 6}, o.Stats)
	require.Equal(t, "A", o.Records[0].ID)
	require.Equal(t, []string{
		`log.csv:3: column "n": missing value`,
		`log.csv:5: B: column "u": missing value`,
		`log.csv:6: C: column "o": missing value (ticket refused with its 2 rows)`,
		`log.csv:8: B: ticket rows are not contiguous: rows of B already appeared from line 5, with rows of other tickets since; sort or group the export by ticket`,
		`log.csv:9: D: column "seq": not a number: count "x"`,
	}, o.Rejected)
}

func TestEventLogStops(t *testing.T) {
	input := eventHeader +
		"A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
		"B,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\n" +
		"B,Active,1/3/2027 09:00,1/3/2027 08:00,1,0,?,?\n" +
		"B,Active,never,1/3/2027 08:00,2,0,?,?\n" +
		"B,Resolved,1/3/2027 10:00,1/3/2027 08:00,3,0,?,?\n"

	// Strict: the bad row stops reading; B's rows so far are refused too,
	// as B may be incomplete.
	o := readTickets(t, input, eventMapping(), Options{Strict: true, Name: "log.csv"})
	require.Equal(t, Stats{Rows: 4, Records: 1, Accepted: 1, Rejected: 3}, o.Stats)
	require.Len(t, o.Rejected, 3)
	require.Contains(t, o.Rejected[0], `log.csv:5: B: column "u": not a date`)
	require.Contains(t, o.Rejected[1], `log.csv:3: B: reading stopped before the end of the input: ticket not built from its 2 rows`)
	require.Contains(t, o.Rejected[2], `log.csv:5: reading stopped before the end of the input: strict mode`)

	// A consumer that stops early leaves the counts consistent.
	rd, err := ReadTickets(strings.NewReader(input), eventMapping(), Options{Location: time.UTC})
	require.NoError(t, err)
	for range rd.Records() {
		break
	}
	st := rd.Stats()
	require.Equal(t, Stats{Rows: 1, Records: 1, Accepted: 1}, st)
	require.NoError(t, rd.Err())
}

func TestEventLogJSONLines(t *testing.T) {
	input := `{"n":"A","s":"New","u":"2027-03-01T08:00:00Z","o":"2027-03-01T08:00:00Z","extra":"x"}
{"n":"A","s":"Waiting","u":"2027-03-01T09:00:00Z","o":"2027-03-01T08:00:00Z","extra":"y","more":"z"}
{"n":"A","s":"Resolved","u":"2027-03-01T10:00:00Z"}
`
	o := readTickets(t, input, eventMapping(), Options{})
	require.Empty(t, o.Rejected)
	tk := o.Records[0]
	require.Equal(t, at(1, 8), tk.Opened, "last known value, though the last row lacks it")
	require.Equal(t, []pacte.Interval{{Start: at(1, 9), End: at(1, 10)}}, tk.Pauses)
	require.Equal(t, map[string]string{"extra": "y", "more": "z", pacte.AttrInferred: "resolved"}, tk.Attrs,
		"the resolution taken from the status history is said so")
	require.Equal(t, at(1, 10), tk.Resolved)
}

func TestEventLogTooManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a ticket of MaxEventRows rows")
	}
	var b strings.Builder
	b.WriteString(eventHeader)
	for i := range MaxEventRows + 2 {
		fmt.Fprintf(&b, "A,Active,1/3/2027 08:00,1/3/2027 08:00,%d,0,?,?\n", i)
	}
	o := readTickets(t, b.String(), eventMapping(), Options{})
	require.Equal(t, Stats{Rows: MaxEventRows + 2, Records: 1, Accepted: MaxEventRows, Rejected: 2}, o.Stats)
	require.Contains(t, o.Rejected[0], "too many rows for one ticket")
}
