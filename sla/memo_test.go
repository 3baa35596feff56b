package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// The open memo answers what the calendar answers, for instants in time
// order (mostly hits), out of order, in no order at all (it stands
// aside), on window bounds to the nanosecond, across the DST changes and
// the holidays, and on a calendar that never closes.
func TestOpenMemoIsCalendar(t *testing.T) {
	for _, spec := range []string{
		"mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris",
		"mon-sun 00:30-03:30; tz Europe/Paris", // windows across the DST changes
		"24x7; tz Europe/Paris",
		"mon-fri 23:00-24:00; tue-sat 00:00-01:00; tz America/New_York", // touching windows
	} {
		t.Run(spec, func(t *testing.T) {
			cal, err := calendar.Parse(spec)
			require.NoError(t, err)
			p, err := dsl.Compile[dsl.Call](`is_open("X", offered)`, dsl.Calendars(map[string]*calendar.Calendar{"X": cal}))
			require.NoError(t, err)
			c, at, ok := p.OpenTest()
			require.True(t, ok)
			m := openMemo[dsl.Call]{cal: c, at: at, from: 1}
			r := rand.New(rand.NewPCG(1, 2))
			base := time.Date(2027, 1, 1, 0, 0, 0, 0, cal.Location())
			instant := base
			aside := 0
			for i := range 30000 {
				mixed := i >= 10000 && i < 20000 // then calls come in no order at all
				switch r.IntN(10) {
				case 0: // out of order
					instant = base.Add(time.Duration(r.Int64N(int64(3 * 366 * 24 * time.Hour))))
				case 1: // on a bound, or a nanosecond before it
					next := cal.NextClosing(instant)
					if r.IntN(2) == 0 {
						next = cal.NextOpening(instant)
					}
					if next.Before(calendar.Never) {
						instant = next.Add(-time.Duration(r.IntN(2)))
					}
				default:
					instant = instant.Add(time.Duration(r.Int64N(int64(40 * time.Minute))))
				}
				if mixed {
					instant = base.Add(time.Duration(r.Int64N(int64(3 * 366 * 24 * time.Hour))))
				}
				env := dsl.NewCall(&pacte.Call{ID: "C", Offered: instant})
				require.Equal(t, cal.IsOpen(instant), m.isOpen(&env), "call %d at %s", i, instant)
				if m.idle > 0 {
					aside++
				}
			}
			if spec != "24x7; tz Europe/Paris" { // always open: one span holds every call
				require.Greater(t, aside, 1000, "the memo should stand aside while calls come in no order")
			}
		})
	}
}

// The scope memo changes nothing the report says: tickets evaluated with
// it and without it give the same report, whether they come in runs of
// one class (the memo hits), mixed (it stands aside, then tries again),
// or in runs again.
func TestScopeMemoChangesNothing(t *testing.T) {
	acme, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	loc := acme.Location()
	r := rand.New(rand.NewPCG(3, 4))
	classes := []struct{ kind, priority, category string }{
		{"incident", "P1", ""}, {"incident", "P2", ""}, {"incident", "P3", ""},
		{"request", "P3", "standard"}, {"request", "P3", "specific"}, {"problem", "P1", ""},
	}
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
	var tickets []pacte.Ticket
	ticket := func(c int) {
		opened := start.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		tk := pacte.Ticket{ID: fmt.Sprintf("T%d", len(tickets)), Kind: classes[c].kind, Priority: classes[c].priority,
			Category: classes[c].category, Opened: opened, Acknowledged: opened.Add(time.Duration(r.IntN(60)) * time.Minute),
			Resolved: opened.Add(time.Duration(r.IntN(72*60)) * time.Minute), Level: 1 + r.IntN(3)}
		if r.IntN(50) == 0 {
			tk.Exclusion = "client"
		}
		tickets = append(tickets, tk)
	}
	for phase := range 3 {
		for range 3000 {
			if phase == 1 {
				ticket(r.IntN(len(classes))) // mixed
			} else {
				c := r.IntN(len(classes)) // a run of one class
				for range 1 + r.IntN(40) {
					ticket(c)
				}
			}
		}
	}
	var reports [2]string
	var hits, aside int
	for k, memo := range []bool{true, false} {
		e, err := NewEvaluator(acme)
		require.NoError(t, err)
		require.NotNil(t, e.tmemo)
		if !memo {
			e.tmemo = nil
		}
		for i := range tickets {
			e.AddTicket(&tickets[i])
			if memo && e.tmemo.valid && e.tmemo.credit > 0 {
				hits++
			}
			if memo && e.tmemo.idle > 0 {
				aside++
			}
		}
		rep, err := e.Report(nil, nil)
		require.NoError(t, err)
		b, err := json.Marshal(rep)
		require.NoError(t, err)
		reports[k] = string(b)
	}
	require.Greater(t, hits, len(tickets)/2, "the memo should hit on runs of one class")
	require.Greater(t, aside, 1000, "the memo should stand aside while tickets come mixed")
	require.Equal(t, reports[1], reports[0])
}

// The open memo looks a week ahead at most: a calendar that is always
// open (or never) is not searched to its last year, and instants past the
// years a calendar computes (closed) are told apart from those before.
// Regression test of a bug: on 24x7, the first call searched every year
// to 2199, and an instant in 2200 was said open.
func TestOpenMemoLooksAWeekAhead(t *testing.T) {
	for _, spec := range []string{"24x7; tz Europe/Paris", "mon-fri 08:00-18:00; tz Europe/Paris", "mon 00:00-00:00; tz UTC"} {
		cal, err := calendar.Parse(spec)
		if err != nil {
			continue // a calendar that never opens may not parse: nothing to test
		}
		p, err := dsl.Compile[dsl.Call](`is_open("X", offered + 1h)`, dsl.Calendars(map[string]*calendar.Calendar{"X": cal}))
		require.NoError(t, err)
		c, at, ok := p.OpenTest()
		require.True(t, ok)
		m := openMemo[dsl.Call]{cal: c, at: at, from: 1}
		loc := cal.Location()
		for _, offered := range []time.Time{
			time.Date(2027, 1, 1, 9, 0, 0, 0, loc),
			time.Date(2199, 12, 31, 20, 0, 0, 0, loc),
			time.Date(2199, 12, 31, 23, 30, 0, 0, loc), // offered + 1h is past 2199
			time.Date(2027, 1, 1, 9, 30, 0, 0, loc),
			time.Date(1899, 12, 31, 23, 30, 0, 0, loc), // offered + 1h is 1900
			time.Date(1899, 6, 1, 0, 0, 0, 0, loc),
		} {
			env := dsl.NewCall(&pacte.Call{ID: "C", Offered: offered})
			instant := offered.Add(time.Hour)
			require.Equal(t, cal.IsOpen(instant), m.isOpen(&env), "%s at %s", spec, instant)
			require.LessOrEqual(t, m.to-m.from, int64(openMemoHorizon/time.Second)+1, "%s at %s", spec, instant)
		}
	}
}

func TestZeroUnix(t *testing.T) {
	require.Equal(t, time.Time{}.Unix(), int64(zeroUnix))
}

// TestSharedExclusionsChangeNothing: the exclusions a ticket's rules share
// (the contract's defaults, a list of texts alone) are evaluated once for
// the ticket, and the report is the one that evaluating them in each rule
// gives, each rule naming the exclusion with its own reason; lists that
// read the clock, that may fail, or that differ keep their own evaluation. Running tickets are decided in the report.
func TestSharedExclusionsChangeNothing(t *testing.T) {
	text, err := os.ReadFile("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	extra := `
  - id: X-LATE
    source: tickets
    scope: kind == "incident"
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    exclude:
      very late: late > 2h
    objective: share(on_time) >= 90%
  - id: X-MORE
    source: tickets
    scope: kind == "incident" && priority in ["P3", "P4"]
    exclude:
      flagged: exclusion != "" && priority == "P4"
    objective: share(priority == "P3") >= 50%
  - id: X-MORE-TOO
    source: tickets
    scope: kind == "request"
    attribution: opened
    exclude:
      flagged too: exclusion != "" && priority == "P4"
    objective: share(category == "standard") >= 50%
  - id: X-FAIL
    source: tickets
    scope: kind == "request"
    exclude:
      numbered: int(exclusion) > 3
    objective: share(category == "standard") >= 50%
`
	withExtra := strings.Replace(string(text), "\nrules:\n", "\nrules:\n"+strings.TrimPrefix(extra, "\n"), 1)
	c, err := contract.Parse([]byte(withExtra), "extra.yaml")
	require.NoError(t, err)
	loc := c.Location()
	r := rand.New(rand.NewPCG(13, 14))
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
	tickets := make([]pacte.Ticket, 6000)
	for i := range tickets {
		opened := start.Add(time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour))))
		tk := pacte.Ticket{ID: fmt.Sprintf("T%d", i), Kind: pick(r, "incident", "incident", "request", "problem"),
			Priority: pick(r, "P1", "P2", "P3", "P4"), Category: pick(r, "standard", "other"), Opened: opened,
			Acknowledged: opened.Add(time.Duration(r.IntN(60)) * time.Minute),
			Exclusion:    pick(r, "", "", "", "client", "force majeure", "out of scope", "other", "7")}
		if r.IntN(10) > 0 {
			tk.Resolved = opened.Add(time.Duration(r.IntN(72*60)) * time.Minute)
		}
		tickets[i] = tk
	}
	for _, opts := range [][]Option{nil, {AsOf(time.Date(2029, 6, 1, 0, 0, 0, 0, loc))}} {
		var reports [2]string
		for k, shared := range []bool{true, false} {
			e, err := NewEvaluator(c, opts...)
			require.NoError(t, err)
			slots := map[string]int{}
			for _, rt := range e.ticketRules {
				slots[rt.r.ID] = rt.exclSlot
				if !shared {
					rt.exclSlot = -1
				}
			}
			require.Equal(t, slots["INC-P1"], slots["REQ"], "the defaults are shared")
			require.Equal(t, slots["X-MORE"], slots["X-MORE-TOO"])
			require.NotEqual(t, slots["INC-P1"], slots["X-MORE"])
			require.GreaterOrEqual(t, slots["X-MORE"], 0)
			require.Equal(t, -1, slots["X-LATE"], "an exclusion that reads the clock")
			require.Equal(t, -1, slots["X-FAIL"], "an exclusion that may fail")
			for i := range tickets {
				e.AddTicket(&tickets[i])
			}
			rep, err := e.Report(nil, nil)
			require.NoError(t, err)
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			reports[k] = string(b)
		}
		require.Equal(t, reports[1], reports[0])
		require.Contains(t, reports[0], "numbered")
		require.Contains(t, reports[0], `"flagged"`)
		require.Contains(t, reports[0], `"flagged too"`, "a shared list, each rule's reasons")
	}
}
