package sla_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// catalogueHead declares, after the head contractOf2027 gives, the
// calendars of three sites and the tables of a service catalogue: a delay
// per category, a calendar per site.
const catalogueHead = `calendars:
  HO: mon-fri 08:00-12:30,13:30-18:00; holidays FR
  HO-ALSACE: mon-fri 08:00-12:30,13:30-18:00; holidays FR FR-67
  HO-REUNION: mon-fri 07:30-16:30; holidays FR FR-974; tz Indian/Reunion
tables:
  delay_by_category:
    values: {PC: 4h, SOFTWARE: 16h, ACCOUNT: end_of_open_day(2)}
    default: 9h
  calendar_by_site:
    values: {STRASBOURG: HO-ALSACE, SAINT-DENIS: HO-REUNION}
    default: HO
rules:
  - id: CATALOGUE
    source: tickets
    clock: {start: opened, stop: resolved, calendar: 'lookup("calendar_by_site", attrs["site"])', pause_when: status == "waiting"}
    deadline: lookup("delay_by_category", attrs["category"])
    objective: share(on_time) >= 90%
`

// catalogueSites and catalogueDelays are what the tables give each
// category and site, the defaults last.
var (
	catalogueSites  = [][2]string{{"STRASBOURG", "HO-ALSACE"}, {"SAINT-DENIS", "HO-REUNION"}, {"PARIS", "HO"}}
	catalogueDelays = [][2]string{{"PC", "4h"}, {"SOFTWARE", "16h"}, {"ACCOUNT", "end_of_open_day(2)"}, {"OTHER", "9h"}}
)

// catalogue returns the contract of the catalogue, with one rule of a
// constant deadline and calendar for each category and site beside the
// rule that looks them up.
func catalogue(t testing.TB) *contract.Contract {
	t.Helper()
	var b strings.Builder
	b.WriteString(catalogueHead)
	for _, s := range catalogueSites {
		for _, d := range catalogueDelays {
			fmt.Fprintf(&b, `  - id: FIXED-%s-%s
    source: tickets
    scope: attrs["category"] == %q && attrs["site"] == %q
    clock: {start: opened, stop: resolved, calendar: %s, pause_when: status == "waiting"}
    deadline: %s
    objective: share(on_time) >= 90%%
`, d[0], s[0], d[0], s[0], s[1], d[1])
		}
	}
	return contractOf2027(t, "catalogue", b.String())
}

// catalogueTickets draws tickets of every category and site around Good
// Friday (a holiday in Alsace only) and Christmas, waiting and reopened.
func catalogueTickets(r *rand.Rand, n int) []pacte.Ticket {
	out := make([]pacte.Ticket, n)
	for i := range out {
		tk, _ := wanderingTicket(r, i, i%4 == 0)
		tk.Opened = pick(r, time.Date(2027, 3, 24, 0, 0, 0, 0, paris), time.Date(2027, 12, 22, 0, 0, 0, 0, paris)).
			Add(time.Duration(r.Int64N(int64(6 * 24 * time.Hour)))).Truncate(time.Minute)
		tk.History[0].At = tk.Opened
		for j := 1; j < len(tk.History); j++ {
			tk.History[j].At = tk.History[j-1].At.Add(minutes(r, 10, 300))
		}
		tk.Pauses, tk.Reopened = nil, nil
		if r.IntN(5) > 0 {
			tk.Resolved = tk.History[len(tk.History)-1].At.Add(minutes(r, 1, 4000))
		}
		tk.Attrs = map[string]string{"category": pick(r, catalogueDelays...)[0], "site": pick(r, catalogueSites...)[0]}
		out[i] = tk
	}
	return out
}

// missedKey is a missed item as the report lists it.
func missedKeys(rr sla.RuleReport) []string {
	var out []string
	for _, m := range rr.MissedItems {
		out = append(out, fmt.Sprintf("%s %s %s %v %v", m.ID, m.At.UTC(), m.Deadline.UTC(), m.Late, m.Open))
	}
	sort.Strings(out)
	return out
}

// A rule whose deadline and calendar are looked up per ticket counts,
// period by period, what the rules of each category and site count
// together: the same tickets eligible and missed, with the same
// deadlines and lateness.
func TestLookupEqualsOneRulePerRow(t *testing.T) {
	c := catalogue(t)
	r := rand.New(rand.NewPCG(16, 8))
	tickets := catalogueTickets(r, 400)
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: time.Date(2028, 1, 1, 0, 0, 0, 0, paris)})
	require.Empty(t, rep.Errors)
	missed := 0
	for _, p := range rep.Periods {
		var eligible int
		var keys []string
		var table sla.RuleReport
		for _, rr := range p.Rules {
			if rr.ID == "CATALOGUE" {
				table = rr
				continue
			}
			eligible += rr.Eligible
			keys = append(keys, missedKeys(rr)...)
		}
		sort.Strings(keys)
		require.Equal(t, eligible, table.Eligible, p.Period)
		require.Equal(t, keys, missedKeys(table), p.Period)
		missed += len(keys)
	}
	require.Greater(t, missed, 20, "the draw misses deadlines")
}

// The live timers, the margin and the at-risk list measure a ticket on
// the calendar and against the deadline its row gives, as the evaluation
// does.
func TestLookupTimersAgree(t *testing.T) {
	c := catalogue(t)
	r := rand.New(rand.NewPCG(3, 14))
	now := time.Date(2027, 3, 29, 11, 0, 0, 0, paris)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	var known []pacte.Ticket
	for _, tk := range catalogueTickets(r, 300) {
		if tk.Opened.After(now) {
			continue
		}
		tk = sla.KnownAt(tk, now)
		require.NoError(t, l.Update(tk))
		known = append(known, tk)
	}
	require.NotEmpty(t, known)
	breached := 0
	for _, tk := range known {
		timers, err := l.Timers(tk.ID, now)
		require.NoError(t, err)
		byRule := map[string]sla.Timer{}
		for _, tm := range timers {
			byRule[tm.Rule] = tm
		}
		fixed := byRule["FIXED-"+tk.Attrs["category"]+"-"+tk.Attrs["site"]]
		got := byRule["CATALOGUE"]
		require.Equal(t, fixed.Stage, got.Stage, tk.ID)
		require.Equal(t, fixed.Budget, got.Budget, tk.ID)
		require.Equal(t, fixed.Elapsed, got.Elapsed, tk.ID)
		require.Equal(t, fixed.Breached, got.Breached, tk.ID)
		require.True(t, fixed.BreachAt.Equal(got.BreachAt), "%s: %s and %s", tk.ID, fixed.BreachAt, got.BreachAt)
		require.True(t, fixed.CalendarChange.Equal(got.CalendarChange), tk.ID)
		if got.Breached {
			breached++
		}
	}
	require.Positive(t, breached)

	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(known), AsOf: now})
	mr, err := l.Margin(now)
	require.NoError(t, err)
	running := 0
	for _, m := range mr.Rules {
		rr := rule(t, rep, "2027-03", m.Rule)
		require.Equal(t, rr.Eligible, m.Eligible-m.Running, m.Rule)
		require.Equal(t, rr.Missed, m.Missed, m.Rule)
		if m.Rule != "CATALOGUE" {
			running += m.Running
		} else {
			defer func(n int) { require.Equal(t, n, running) }(m.Running)
		}
	}
}

// A key the table lists not, in a table without a default, is an error
// of the item, reported with it: the item is not counted met or missed.
func TestLookupMissingKeyIsAnItemError(t *testing.T) {
	c := contractOf2027(t, "nodefault", `
calendars:
  HO: mon-fri 09:00-17:00
tables:
  delays: {values: {PC: 4h}}
  sites: {values: {PARIS: HO}}
rules:
  - id: R
    source: tickets
    clock: {start: opened, stop: resolved, calendar: 'lookup("sites", attrs["site"])'}
    deadline: lookup("delays", attrs["category"])
    objective: share(on_time) >= 90%
`)
	opened := at(t, "2027-03-01 09:00")
	tickets := []pacte.Ticket{
		{ID: "OK", Opened: opened, Resolved: opened.Add(time.Hour), Attrs: map[string]string{"category": "PC", "site": "PARIS"}},
		{ID: "NO-DELAY", Opened: opened, Resolved: opened.Add(time.Hour), Attrs: map[string]string{"category": "SERVER", "site": "PARIS"}},
		{ID: "NO-SITE", Opened: opened, Resolved: opened.Add(time.Hour), Attrs: map[string]string{"category": "PC"}},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-04-01 00:00")})
	require.Equal(t, 1, rule(t, rep, "2027-03", "R").Eligible)
	require.Len(t, rep.Errors, 2)
	require.Equal(t, sla.RuleError{Rule: "R", Item: "NO-DELAY", Period: "", Error: `deadline: table delays has no value for "SERVER", and no default`}, withoutPeriod(rep.Errors[0]))
	require.Equal(t, sla.RuleError{Rule: "R", Item: "NO-SITE", Period: "", Error: `calendar: table sites has no value for "", and no default`}, withoutPeriod(rep.Errors[1]))

	l, err := sla.NewLive(c)
	require.NoError(t, err)
	require.NoError(t, l.Update(pacte.Ticket{ID: "RUN", Opened: opened, Attrs: map[string]string{"category": "SERVER", "site": "PARIS"}}))
	tm, err := l.Timers("RUN", opened.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, sla.StageNotStarted, tm[0].Stage)
	require.Contains(t, tm[0].Error, `table delays has no value for "SERVER"`)
}

func withoutPeriod(e sla.RuleError) sla.RuleError {
	e.Period = ""
	return e
}

// A watch sends the events of a rule whose calendar and deadline are
// looked up at the instants of the rule of the ticket's row.
func TestLookupWatchAgrees(t *testing.T) {
	c := catalogue(t)
	l, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 26))
	var in feed
	for _, tk := range catalogueTickets(r, 60) {
		if tk.Opened.Month() == time.March {
			in.update(tk.Opened, sla.KnownAt(tk, tk.Opened))
		}
	}
	slices.SortStableFunc(in, func(a, b sla.WatchInput) int { return a.At.Compare(b.At) })
	in.ticks(time.Date(2027, 3, 24, 0, 0, 0, 0, paris), time.Date(2027, 4, 6, 0, 0, 0, 0, paris), 5*time.Hour)
	slices.SortStableFunc(in, func(a, b sla.WatchInput) int { return a.At.Compare(b.At) })
	events := watchAll(t, l, in)
	var table, rows []string
	for _, ev := range events {
		line := fmt.Sprintf("%s %s %s %v", ev.At.UTC(), ev.Ticket, ev.Kind, ev.Threshold)
		if ev.Rule == "CATALOGUE" {
			table = append(table, line)
		} else {
			rows = append(rows, line)
		}
	}
	sort.Strings(table)
	sort.Strings(rows)
	require.NotEmpty(t, table)
	require.Equal(t, rows, table)
}
