package sla_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// clocksContract is the body of a contract (contractOf2027 gives its
// head) with clocks on a calendar with lunch breaks and holidays,
// one open across the night of the daylight-saving changes, and one
// whose deadline is the end of an open day.
const clocksContract = `calendars:
  HO: mon-fri 08:00-12:30,13:30-18:00; holidays FR
  NIGHT: mon-sun 01:30-03:30; holidays FR
  DAYS: mon-fri 09:00-17:00; holidays FR
work_units:
  FEE: {fixed: 1000.00}
rules:
  - id: HO4
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO, pause_when: status == "waiting"}
    deadline: 4h
    objective: share(on_time) >= 90%
  - id: NIGHT3
    source: tickets
    clock: {start: opened, stop: resolved, calendar: NIGHT, pause_when: status == "waiting"}
    deadline: 3h
    objective: share(on_time) >= 90%
  - id: DAYS2
    source: tickets
    clock: {start: opened, stop: resolved, calendar: DAYS, pause_when: status == "waiting"}
    deadline: end_of_open_day(2)
    objective: share(on_time) >= 90%
`

func clocks(t testing.TB) *contract.Contract {
	t.Helper()
	return contractOf2027(t, "clocks", clocksContract)
}

// wanderingTicket draws a ticket opened around a daylight-saving change
// or in May's holidays, whose history goes through waits, explicit pauses
// and reopenings, all before now; its last status is waiting when paused.
func wanderingTicket(r *rand.Rand, i int, paused bool) (pacte.Ticket, time.Time) {
	starts := []time.Time{
		time.Date(2027, 3, 25, 0, 0, 0, 0, paris), time.Date(2027, 10, 28, 0, 0, 0, 0, paris),
		time.Date(2027, 4, 29, 0, 0, 0, 0, paris), time.Date(2027, 5, 5, 0, 0, 0, 0, paris),
	}
	opened := pick(r, starts...).Add(time.Duration(r.Int64N(int64(5 * 24 * time.Hour)))).Truncate(time.Minute)
	t := pacte.Ticket{ID: fmt.Sprintf("W%04d", i), Opened: opened, History: []pacte.StatusChange{{At: opened, Status: "new"}}}
	at := opened
	for range r.IntN(5) {
		at = at.Add(minutes(r, 1, 900))
		switch r.IntN(4) {
		case 0:
			t.History = append(t.History, pacte.StatusChange{At: at, Status: "waiting"})
		case 1:
			t.History = append(t.History, pacte.StatusChange{At: at, Status: "resolved"})
			at = at.Add(minutes(r, 1, 900))
			t.Reopened = append(t.Reopened, at)
			t.History = append(t.History, pacte.StatusChange{At: at, Status: "in progress"})
		case 2:
			p := at.Add(minutes(r, 1, 60))
			at = p.Add(minutes(r, 1, 600))
			t.Pauses = append(t.Pauses, pacte.Interval{Start: p, End: at})
		default:
			t.History = append(t.History, pacte.StatusChange{At: at, Status: "in progress"})
		}
	}
	at = at.Add(minutes(r, 1, 300))
	last := "in progress"
	if paused {
		last = "waiting"
	}
	t.History = append(t.History, pacte.StatusChange{At: at, Status: last})
	return t, at.Add(minutes(r, 0, 3000))
}

// resolvedAt is the ticket resolved at an instant, with no other change
// after now.
func resolvedAt(t pacte.Ticket, at time.Time) pacte.Ticket {
	t.Resolved = at
	t.History = append(slices.Clone(t.History), pacte.StatusChange{At: at, Status: "resolved"})
	return t
}

// missedOf evaluates one ticket and returns the rule's missed items in
// the month of at and its eligible count there.
func missedOf(t *testing.T, c *contract.Contract, tk pacte.Ticket, id string, at time.Time) (int, []sla.MissedItem) {
	t.Helper()
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values([]pacte.Ticket{tk}), AsOf: time.Date(2028, 1, 1, 0, 0, 0, 0, paris)})
	r := rule(t, rep, at.In(paris).Format("2006-01"), id)
	return r.Eligible, r.MissedItems
}

// breachHolds checks that a ticket resolved at the instant is on time,
// and one resolved a second of open time later is late by that second:
// the instant is where the evaluation's measured time reaches the
// deadline.
func breachHolds(t *testing.T, c *contract.Contract, cal *calendar.Calendar, tk pacte.Ticket, id string, b time.Time) {
	t.Helper()
	n, missed := missedOf(t, c, resolvedAt(tk, b), id, b)
	require.Equal(t, 1, n, "%s %s resolved at %s", tk.ID, id, b)
	require.Empty(t, missed, "%s %s resolved at %s", tk.ID, id, b)
	// Late, it counts in the month of its deadline: there when resolved
	// in that month, and there too when it ran past the month's end.
	later := cal.NextOpening(b).Add(time.Second)
	n, missed = missedOf(t, c, resolvedAt(tk, later), id, b)
	require.Equal(t, 1, n)
	require.Len(t, missed, 1, "%s %s resolved at %s", tk.ID, id, later)
	require.Equal(t, sla.Duration(time.Second), missed[0].Late)
}

// For a running ticket, breach_at is the instant at which the
// evaluation's measured time reaches the deadline when nothing changes
// between now and then; for a paused one, the open time left is what
// the clock may still run once it resumes. The tickets wait, pause,
// reopen, and run through holidays and daylight-saving nights.
func TestBreachAtIsWhereTheEvaluationReachesTheDeadline(t *testing.T) {
	c := clocks(t)
	r := rand.New(rand.NewPCG(7, 17))
	cals := map[string]*calendar.Calendar{}
	for _, rl := range c.Rules() {
		cals[rl.ID] = rl.Clock.Cal
	}
	seen := map[sla.Stage]int{}
	for i := range 150 {
		paused := i%3 == 0
		tk, now := wanderingTicket(r, i, paused)
		l, err := sla.NewLive(c)
		require.NoError(t, err)
		require.NoError(t, l.Update(tk))
		timers, err := l.Timers(tk.ID, now)
		require.NoError(t, err)
		require.Len(t, timers, 3)
		for _, tm := range timers {
			seen[tm.Stage]++
			cal := cals[tm.Rule]
			switch {
			case tm.Breached:
				// Breached: the evaluation at now counts it missed, in the
				// month of its breach, late by the open time past it.
				rep := evaluate(t, c, sla.Input{Tickets: slices.Values([]pacte.Ticket{tk}), AsOf: now})
				rr := rule(t, rep, tm.BreachAt.In(paris).Format("2006-01"), tm.Rule)
				require.Len(t, rr.MissedItems, 1, "%s %s", tk.ID, tm.Rule)
				require.Equal(t, sla.Duration(tm.Elapsed-tm.Budget), rr.MissedItems[0].Late)
				require.True(t, tm.UsedAtLeast(1, 1))
				require.Zero(t, tm.Remaining)
			case tm.Stage == sla.StageRunning:
				require.Equal(t, tm.Budget-tm.Elapsed, tm.Remaining)
				require.True(t, tm.BreachAt.After(now))
				breachHolds(t, c, cal, tk, tm.Rule, tm.BreachAt)
			case tm.Stage == sla.StagePaused:
				require.True(t, tm.BreachAt.IsZero())
				require.Positive(t, tm.Remaining)
				resume := now.Add(minutes(r, 0, 2000))
				resumed := tk
				resumed.History = append(slices.Clone(tk.History), pacte.StatusChange{At: resume, Status: "in progress"})
				breachHolds(t, c, cal, resumed, tm.Rule, cal.Add(resume, tm.Remaining))
			default:
				t.Fatalf("%s %s: stage %s", tk.ID, tm.Rule, tm.Stage)
			}
		}
	}
	require.Positive(t, seen[sla.StageRunning])
	require.Positive(t, seen[sla.StagePaused])
}

// The timer of a stopped, an unstarted and an excluded ticket, and the
// share of the allowance used, exactly.
func TestTimerStages(t *testing.T) {
	c := mini(t)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	opened := at(t, "2027-03-01 09:00")
	require.NoError(t, l.Update(pacte.Ticket{ID: "A", Priority: "P1", Opened: opened}))
	tm, err := l.Timers("A", at(t, "2027-03-01 12:00"))
	require.NoError(t, err)
	require.Equal(t, "0.75", tm[0].Used().String())
	require.True(t, tm[0].UsedAtLeast(3, 4))
	require.False(t, tm[0].UsedAtLeast(76, 100))
	require.Equal(t, at(t, "2027-03-01 17:00"), tm[0].CalendarChange)
	require.False(t, tm[0].CalendarOpens)

	tm, err = l.Timers("A", at(t, "2027-03-01 08:00"))
	require.NoError(t, err)
	require.Equal(t, sla.StageNotStarted, tm[0].Stage, "opened after now")
	require.True(t, tm[0].CalendarOpens)

	require.NoError(t, l.Update(pacte.Ticket{ID: "A", Priority: "P1", Opened: opened, Resolved: at(t, "2027-03-02 09:30")}))
	tm, err = l.Timers("A", at(t, "2027-03-03 12:00"))
	require.NoError(t, err)
	require.Equal(t, sla.StageStopped, tm[0].Stage)
	require.True(t, tm[0].Breached)
	require.Equal(t, 8*time.Hour+30*time.Minute, tm[0].Elapsed)
	require.Equal(t, at(t, "2027-03-01 13:00"), tm[0].BreachAt)
	require.Equal(t, "2.125", tm[0].Used().String())
}
