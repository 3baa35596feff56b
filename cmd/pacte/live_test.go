package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

var liveData = []string{"-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml",
	"-calls", "examples/data/calls.csv", "-outages", "examples/data/outages.csv", "-samples", "examples/data/samples.csv",
	"-volumes", "examples/data/volumes.json"}

// The JSON of timers has the stable snake_case fields of its timers and
// of its margin.
func TestTimersJSON(t *testing.T) {
	r := run1(t, append([]string{"timers", acme, "-at", "2027-05-19T11:00", "-format", "json", "-target", "INC-P2=6h"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		AsOf   time.Time                        `json:"as_of"`
		Timers []map[string]any                 `json:"timers"`
		Margin struct{ Rules []map[string]any } `json:"margin"`
		AtRisk struct{ Items []map[string]any } `json:"at_risk"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.NotEmpty(t, out.Timers)
	for _, k := range []string{"rule", "ticket", "stage", "breached", "start", "breach_at", "elapsed", "remaining", "used"} {
		require.Contains(t, out.Timers[0], k)
	}
	require.Len(t, out.Margin.Rules, 14)
	for _, k := range []string{"rule", "period", "eligible", "met", "missed", "running", "achieved", "objective", "misses_left", "met_needed", "at_stake", "due"} {
		require.Contains(t, out.Margin.Rules[0], k)
	}
	for _, it := range out.AtRisk.Items {
		if it["rule"] == "INC-P2" {
			require.Contains(t, it, "target_at")
		}
	}
}

// The text of timers: the timers, the margin table with what it counts
// and the invoice it takes, the items at risk; -filter keeps a group.
func TestTimersText(t *testing.T) {
	r := run1(t, append([]string{"timers", acme, "-at", "2027-05-19T11:00"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"Timers at 2027-05-19 11:00 CEST", "REQ     RITM0010140  running  yes", "Margin of 2027-05, invoice",
		"Counting: tickets running within their deadline count as met", "At risk, by what a miss would add", "End of period at the rates so far"} {
		require.Contains(t, r.stdout, want)
	}
	r = run1(t, append([]string{"timers", acme, "-at", "2027-05-19T11:00", "-filter", "kind=request"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "RITM0010140")
	require.NotContains(t, r.stdout, "INC0010113")
	r = run1(t, append([]string{"timers", acme, "-at", "2027-05-19T11:00", "-ticket", "INC0010078"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "ACK     INC0010078  stopped")
}

// The events of watch, one JSON object a line, within the span, and the
// margin at its end.
func TestWatchJSON(t *testing.T) {
	r := run1(t, append([]string{"watch", acme, "-from", "2027-05-17", "-to", "2027-05-21", "-tick", "30m", "-margin", "-format", "json"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Greater(t, len(lines), 10)
	kinds := map[string]int{}
	from := time.Date(2027, 5, 17, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	for _, line := range lines[:len(lines)-1] {
		var ev struct {
			Kind, Rule, Ticket string
			At                 time.Time
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
		require.False(t, ev.At.Before(from), line)
		kinds[ev.Kind]++
	}
	for _, k := range []string{"threshold", "breached", "stopped"} {
		require.Positive(t, kinds[k], "%s in %v", k, kinds)
	}
	require.True(t, strings.HasPrefix(lines[len(lines)-1], `{"margin":{"as_of":"2027-05-20T23:59:59+02:00"`), lines[len(lines)-1])
}

func TestLiveUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "options.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("thresholds: [50%]\nalerts: yes\n"), 0o644))
	unknown := filepath.Join(dir, "unknown.yaml")
	require.NoError(t, os.WriteFile(unknown, []byte("targets: {NOPE: 3h}\n"), 0o644))
	outOfRange := filepath.Join(dir, "range.yaml")
	require.NoError(t, os.WriteFile(outOfRange, []byte("thresholds: [50%, 2]\ntargets: {INC-P1: 3 hours}\n"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv"}, "-at is missing"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "soon"}, "-at: write"},
		{[]string{"timers", acme, "-at", "2027-05-19"}, "no tickets"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-target", "INC-P1"}, "write RULE=DURATION"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-thresholds", "half"}, `"half" is not a share`},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-filter", "group"}, "write field=value"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-options", bad}, "field alerts not found"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-options", unknown}, "no rule NOPE"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-thresholds", "90%,50%"}, "-thresholds: 50% after 90%: write the thresholds in increasing order"},
		// A threshold or a target is quoted as written, with where it was written.
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-thresholds", "50%,150%"}, "-thresholds: 150% is not a share of the allowance above 0 and at most 100%"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-thresholds", "0%"}, "-thresholds: 0% is not a share"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-options", outOfRange}, "range.yaml: thresholds: 2 is not a share"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-options", outOfRange}, `range.yaml: target of INC-P1: "3 hours" is not a positive duration`},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-at", "2027-05-19", "-target", "NOPE=3h"}, "-target NOPE=3h: the contract has no rule NOPE"},
		// -ticket says why it has no timers: not in the file, or not opened yet.
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml", "-at", "2027-06-17T15:30", "-ticket", "NOPE"},
			"-ticket NOPE: no ticket of examples/data/incidents.csv has this ID"},
		{[]string{"timers", acme, "-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml", "-at", "2027-06-17T14:30", "-ticket", "RITM0010216"},
			"-ticket RITM0010216: it was opened at 2027-06-17 14:51, after -at 2027-06-17 14:30"},
		{[]string{"watch", acme, "-tickets", "examples/data/incidents.csv"}, "-from and -to are needed"},
		// -tick is the replay's, as -from and -to: a feed brings its ticks.
		{[]string{"watch", acme, "-feed", "-", "-tick", "1h"}, "-from, -to and -tick are the replay's"},
		{[]string{"watch", acme, "-tickets", "examples/data/incidents.csv", "-from", "2027-05", "-to", "2027-04"}, "must come after -from"},
	} {
		r := run1(t, tc.args...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, tc.want, tc.args)
	}
}

// filteredTickets are tickets of two groups at 2027-05-19T11:00: in
// Network one running, one waiting for the client and one excluded (its
// timers stand still), and one in Apps.
const filteredTickets = `{"id":"N-RUN","kind":"incident","priority":"P2","group":"Network","opened":"2027-05-19T09:00:00+02:00"}
{"id":"N-WAIT","kind":"incident","priority":"P2","group":"Network","opened":"2027-05-19T09:00:00+02:00","history":[{"at":"2027-05-19T09:00:00+02:00","status":"new"},{"at":"2027-05-19T09:30:00+02:00","status":"waiting for client"}]}
{"id":"N-EXCL","kind":"incident","priority":"P2","group":"Network","opened":"2027-05-19T09:00:00+02:00","exclusion":"client"}
{"id":"A-RUN","kind":"incident","priority":"P2","group":"Apps","opened":"2027-05-19T09:00:00+02:00"}
`

// -filter keeps the timers of every ticket that has the value, whatever
// their stage, and those alone.
func TestTimersFilterKeepsEveryTimerOfTheGroup(t *testing.T) {
	tickets := writeFile(t, t.TempDir(), "tickets.jsonl", filteredTickets)
	timers := func(args ...string) map[string][]string {
		r := run1(t, append([]string{"timers", acme, "-tickets", tickets, "-at", "2027-05-19T11:00", "-format", "json"}, args...)...)
		require.Equal(t, 0, r.code, r.stderr)
		var out struct {
			Timers []struct{ Rule, Ticket, Stage string }
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
		got := map[string][]string{}
		for _, tm := range out.Timers {
			got[tm.Ticket] = append(got[tm.Ticket], tm.Rule+" "+tm.Stage)
		}
		return got
	}
	all := timers()
	require.Len(t, all, 4)
	require.Contains(t, all["N-EXCL"], "INC-P2 excluded")
	require.Contains(t, all["N-WAIT"], "INC-P2 paused")
	network := timers("-filter", "group=Network")
	delete(all, "A-RUN")
	require.Equal(t, all, network)
}

// -filter keeps the events of the tickets that have the value.
func TestWatchFilter(t *testing.T) {
	dir := t.TempDir()
	tickets := writeFile(t, dir, "tickets.jsonl", filteredTickets)
	var feed strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(filteredTickets), "\n") {
		feed.WriteString(`{"at":"2027-05-19T09:00:00+02:00","ticket":` + line + "}\n")
	}
	feed.WriteString(`{"at":"2027-05-20T18:00:00+02:00"}` + "\n")
	fed := writeFile(t, dir, "feed.jsonl", feed.String())
	for _, args := range [][]string{
		{"-tickets", tickets, "-from", "2027-05-19", "-to", "2027-05-21"},
		{"-feed", fed},
	} {
		events := func(more ...string) map[string]int {
			r := run1(t, append(append([]string{"watch", acme, "-format", "json"}, args...), more...)...)
			require.Equal(t, 0, r.code, r.stderr)
			got := map[string]int{}
			for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				var ev sla.Event
				require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
				got[ev.Ticket]++
			}
			return got
		}
		all := events()
		require.Positive(t, all["N-RUN"], args)
		require.Positive(t, all["A-RUN"], args)
		network := events("-filter", "group=Network")
		delete(all, "A-RUN")
		require.Equal(t, all, network, args)
	}
}

// A feed that brings no input has no instant to give the margin at: it
// says so, and gives no margin of year 1.
func TestFeedMarginWithoutInput(t *testing.T) {
	for _, tc := range []struct {
		feed string
		code int
		want string
	}{
		{"", 1, "-margin: the feed brought no input"},
		{"\n\n", 1, "-margin: the feed brought no input"},
		{`{"at":"2027-06-10T10:00:00+02:00"}` + "\n", 0, "Margin of 2027-06"},
	} {
		fed := writeFile(t, t.TempDir(), "feed.jsonl", tc.feed)
		r := run1(t, "watch", acme, "-feed", fed, "-margin")
		require.Equal(t, tc.code, r.code, "%q: %s", tc.feed, r.stderr)
		require.Contains(t, r.stdout+r.stderr, tc.want, tc.feed)
		require.NotContains(t, r.stdout, "0001-01")
	}
}

// A -filter on a field no ticket has, a misspelt one, is refused with the
// fields and attributes there are: it kept no ticket and said nothing. One
// on an attribute some ticket has keeps those that have the value.
func TestFilterUnknownField(t *testing.T) {
	dir := t.TempDir()
	tickets := writeFile(t, dir, "tickets.jsonl", filteredTickets+
		`{"id":"A-LYON","kind":"incident","priority":"P2","group":"Apps","opened":"2027-05-19T09:00:00+02:00","attrs":{"site":"Lyon"}}`+"\n")
	data, err := os.ReadFile(tickets)
	require.NoError(t, err)
	var feed strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		feed.WriteString(`{"at":"2027-05-19T09:00:00+02:00","ticket":` + line + "}\n")
	}
	feed.WriteString(`{"at":"2027-05-20T18:00:00+02:00"}` + "\n")
	fed := writeFile(t, dir, "feed.jsonl", feed.String())
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"timers", "-at", "2027-05-19T11:00", "-filter", "grp=Network"}, 2,
			`-filter grp=Network: no ticket has a field or attribute "grp" (fields: id, kind, priority, service, category, group, status, level, exclusion; the tickets' attributes: site)`},
		{[]string{"watch", "-from", "2027-05-19", "-to", "2027-05-21", "-filter", "grp=Network"}, 2, `no ticket has a field or attribute "grp"`},
		{[]string{"timers", "-at", "2027-05-19T11:00", "-filter", "site=Lyon", "-format", "json"}, 0, `"ticket": "A-LYON"`},
		// A feed says it once it has ended: an attribute may come with any line.
		{[]string{"watch", "-feed", fed, "-filter", "grp=Network"}, 1, `-filter grp=Network: no ticket has a field or attribute "grp"`},
		{[]string{"watch", "-feed", fed, "-filter", "site=Lyon", "-format", "json"}, 0, `"ticket":"A-LYON"`},
		{[]string{"timers", "-at", "2027-05-19T11:00", "-filter", "ID=N-RUN", "-format", "json"}, 0, `"ticket": "N-RUN"`},
	} {
		args := append([]string{tc.args[0], acme}, tc.args[1:]...)
		if tc.args[1] != "-feed" {
			args = append(args, "-tickets", tickets)
		}
		r := run1(t, args...)
		require.Equal(t, tc.code, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stdout+r.stderr, tc.want, tc.args)
	}
}

// What watch's -filter reads of the tickets follows the table's open
// tickets: the settled ones a feed's table forgets are forgotten too.
func TestWatchFilterForgets(t *testing.T) {
	c, err := contract.Load(filepath.Join(root, acme))
	require.NoError(t, err)
	l, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	o := watchOptions{liveOptions: liveOptions{filters: listFlag{"group=Network"}}}
	filter := o.eventFilter(l)
	start := time.Date(2027, 5, 17, 9, 0, 0, 0, c.Location())
	in := func(yield func(sla.WatchInput) bool) {
		for i := range 5000 {
			at := start.Add(time.Duration(i) * time.Minute)
			tk := pacte.Ticket{ID: fmt.Sprint("T", i), Kind: "incident", Priority: "P3", Group: "Network", Opened: at, Acknowledged: at, Resolved: at}
			if !yield(sla.WatchInput{At: at, Ticket: &tk}) {
				return
			}
		}
	}
	events, err := l.Watch(filter.inputs(in))
	require.NoError(t, err)
	for range filter.events(events) {
	}
	require.Zero(t, l.Open())
	require.Less(t, len(filter.read), 2100)
}

// Timers given the tickets alone: the margins of the rules of the other
// sources are no_data, with no misses left, no downtime left and nothing
// at stake (before, an availability with no outage given read 100 % with
// its whole downtime left), and the text says which were not evaluated.
func TestTimersSourcesNotGiven(t *testing.T) {
	tickets := []string{"-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml"}
	r := run1(t, append([]string{"timers", acme, "-at", "2027-05-31T16:00", "-format", "json"}, tickets...)...)
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		Margin struct{ Rules []sla.Margin } `json:"margin"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.Len(t, out.Margin.Rules, 14)
	for _, m := range out.Margin.Rules {
		if m.Source == "tickets" {
			require.NotEqual(t, sla.StatusNoData, m.Status, m.Rule)
			continue
		}
		require.Equal(t, sla.StatusNoData, m.Status, m.Rule)
		require.Equal(t, "no "+m.Source+" given: not evaluated", m.Note, m.Rule)
		require.Nil(t, m.Achieved, m.Rule)
		require.Nil(t, m.MissesLeft, m.Rule)
		require.Nil(t, m.DowntimeLeft, m.Rule)
		require.Nil(t, m.Slack, m.Rule)
		require.True(t, m.AtStake.IsZero(), m.Rule)
	}

	r = run1(t, append([]string{"timers", acme, "-at", "2027-05-31T16:00"}, tickets...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "\nNot evaluated: TEL-ANSWER, TEL-SL, TEL-ABANDON, FCR (no calls given); CSAT (no samples given); AVAIL-ERP, AVAIL-MAIL (no outages given).\n")
	r = run1(t, append([]string{"timers", acme, "-at", "2027-05-31T16:00"}, liveData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.NotContains(t, r.stdout, "Not evaluated")
}
