package sla

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
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
			named := map[string]*calendar.Calendar{"X": cal}
			p, err := dsl.Compile[dsl.Call](`is_open("X", offered)`, dsl.Calendars(named))
			require.NoError(t, err)
			c, at, ok := fast.Compile(p, fast.Calendars{Named: named}).OpenTest()
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
		named := map[string]*calendar.Calendar{"X": cal}
		p, err := dsl.Compile[dsl.Call](`is_open("X", offered + 1h)`, dsl.Calendars(named))
		require.NoError(t, err)
		c, at, ok := fast.Compile(p, fast.Calendars{Named: named}).OpenTest()
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
