package sla_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

type update struct {
	at time.Time
	t  pacte.Ticket
}

// replay is the stream of updates of the tickets up to now, in time order:
// one per change of each ticket.
func replay(tickets []pacte.Ticket, now time.Time) []update {
	var ups []update
	for _, t := range tickets {
		for _, u := range sla.Changes(t) {
			if !u.After(now) {
				ups = append(ups, update{u, sla.KnownAt(t, u)})
			}
		}
	}
	slices.SortStableFunc(ups, func(a, b update) int { return a.at.Compare(b.at) })
	return ups
}

// missedIDs are, by rule, the items the report lists as missed.
func missedIDs(rep *sla.Report) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if out[r.ID] == nil {
				out[r.ID] = map[string]bool{}
			}
			for _, m := range r.MissedItems {
				out[r.ID][m.ID] = true
			}
		}
	}
	return out
}

// The timers of every ticket at its last update agree with the
// evaluation of the month as the tools knew it then, and so do the
// counts of the margin (the tickets running within their deadline
// aside). The tickets reopen, pause and wait for the client; the replay
// goes through every one of their versions.
func TestLiveAgreesWithTheEvaluation(t *testing.T) {
	c := loadACME(t)
	for _, seed := range []uint64{1, 2, 3} {
		d := genData(seed, 600, time.May, time.July)
		now := time.Date(2027, time.June, 17, 15, 30, 0, 0, paris)
		l, err := sla.NewLive(c)
		require.NoError(t, err)
		var known []pacte.Ticket
		ids := map[string]bool{}
		for _, up := range replay(d.tickets, now) {
			if err := l.Update(up.t); err != nil {
				continue // the evaluation rejects it too
			}
			ids[up.t.ID] = true
		}
		for _, tk := range d.tickets {
			if ids[tk.ID] {
				known = append(known, sla.KnownAt(tk, now))
			}
		}
		var calls []pacte.Call
		for _, call := range d.calls {
			if call.Offered.Before(now) {
				calls = append(calls, call)
				_ = l.AddCall(call)
			}
		}
		rep := evaluate(t, c, sla.Input{Tickets: slices.Values(known), Calls: slices.Values(calls), AsOf: now})
		missed := missedIDs(rep)
		excluded := map[string]int{}
		for _, tk := range known {
			timers, err := l.Timers(tk.ID, now)
			require.NoError(t, err)
			for _, tm := range timers {
				require.NotEqual(t, sla.StageCancelled, tm.Stage, "%s %s", tm.Ticket, tm.Rule)
				// The instant that places the item: its resolution, or the
				// clock's stop for a rule attributed so (RCA). A clock
				// stopped is placed by it; one running past its deadline is
				// placed at the deadline unless that instant comes before
				// the end of the deadline's month (it waits for its stop);
				// one running within it is not placed yet.
				attr := tk.Resolved
				if c.Rules()[ruleIndex(c, tm.Rule)].Attribution.Text == "stop" {
					attr = tm.Stop
				}
				placed := !tm.Stop.IsZero() && !attr.IsZero()
				if tm.Stop.IsZero() && tm.Breached {
					d := tm.BreachAt.In(paris)
					monthEnd := time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, paris)
					placed = attr.IsZero() || !attr.Before(monthEnd)
				}
				if tm.Stage == sla.StageExcluded {
					if placed {
						excluded[tm.Rule]++
					}
					continue
				}
				if !placed {
					require.False(t, missed[tm.Rule][tm.Ticket], "%s %s is listed missed but %s", tm.Ticket, tm.Rule, tm.Stage)
					continue
				}
				require.Equal(t, tm.Breached, missed[tm.Rule][tm.Ticket], "seed %d: %s %s %s", seed, tm.Ticket, tm.Rule, tm.Stage)
			}
		}
		for _, p := range rep.Periods {
			for _, r := range p.Rules {
				if c.Rules()[ruleIndex(c, r.ID)].Clock == nil {
					continue
				}
				for _, n := range r.Excluded {
					excluded[r.ID] -= n
				}
			}
		}
		for id, n := range excluded {
			require.Zero(t, n, "seed %d: excluded items of %s", seed, id)
		}
		mr, err := l.Margin(now)
		require.NoError(t, err)
		require.Equal(t, "2027-06", mr.Period)
		for _, m := range mr.Rules {
			r := rule(t, rep, "2027-06", m.Rule)
			require.Equal(t, r.Eligible, m.Eligible-m.Running, "seed %d: %s eligible", seed, m.Rule)
			require.Equal(t, r.Missed, m.Missed, "seed %d: %s missed", seed, m.Rule)
		}
	}
}

func ruleIndex(c *contract.Contract, id string) int {
	return slices.IndexFunc(c.Rules(), func(r contract.Rule) bool { return r.ID == id })
}

// A reopened ticket's earlier count is taken back; its new resolution is
// counted in its place.
func TestReopeningTakesTheCountBack(t *testing.T) {
	c := mini(t)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	opened := at(t, "2027-03-01 16:00")
	tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: opened, Resolved: at(t, "2027-03-01 16:30"),
		History: []pacte.StatusChange{{At: opened, Status: "new"}, {At: at(t, "2027-03-01 16:30"), Status: "resolved"}}}
	require.NoError(t, l.Update(tk))
	require.Zero(t, l.Open())
	m := marginOf(t, l, at(t, "2027-03-02 09:00"), "P1")
	require.Equal(t, 1, m.Eligible)
	require.Equal(t, 1, m.Met)

	tk.Resolved = time.Time{}
	tk.Reopened = []time.Time{at(t, "2027-03-02 09:00")}
	tk.History = append(tk.History, pacte.StatusChange{At: at(t, "2027-03-02 09:00"), Status: "in progress"})
	require.NoError(t, l.Update(tk))
	require.Equal(t, 1, l.Open())
	// Within its 4 hours (1 h on Monday, 1 h since the reopening): running,
	// counted met; the time it spent resolved counts.
	m = marginOf(t, l, at(t, "2027-03-02 10:00"), "P1")
	require.Equal(t, 1, m.Eligible)
	require.Equal(t, 1, m.Running)
	require.Equal(t, 1, m.Met)
	// Past them (the deadline was at noon): missed, in the month of its deadline.
	m = marginOf(t, l, at(t, "2027-03-02 12:30"), "P1")
	require.Equal(t, 1, m.Eligible)
	require.Equal(t, 1, m.Missed)
	require.Zero(t, m.Running)

	tk.Resolved = at(t, "2027-03-02 15:00")
	tk.History = append(tk.History, pacte.StatusChange{At: tk.Resolved, Status: "resolved"})
	require.NoError(t, l.Update(tk))
	require.Zero(t, l.Open())
	m = marginOf(t, l, at(t, "2027-03-03 09:00"), "P1")
	require.Equal(t, 1, m.Eligible)
	require.Equal(t, 1, m.Missed)
}

func marginOf(t testing.TB, l *sla.Live, now time.Time, id string) sla.Margin {
	t.Helper()
	mr, err := l.Margin(now)
	require.NoError(t, err)
	for _, m := range mr.Rules {
		if m.Rule == id {
			return m
		}
	}
	t.Fatalf("no margin of %s", id)
	return sla.Margin{}
}

// A rule whose scope took a ticket and no longer does cancels its timer.
func TestScopeLeftIsCancelled(t *testing.T) {
	c := mini(t)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: at(t, "2027-03-01 09:00")}
	require.NoError(t, l.Update(tk))
	tm, err := l.Timers("A", at(t, "2027-03-01 10:00"))
	require.NoError(t, err)
	require.Len(t, tm, 1)
	require.Equal(t, sla.StageRunning, tm[0].Stage)
	require.Equal(t, at(t, "2027-03-01 13:00"), tm[0].BreachAt)
	tk.Priority = "P2"
	require.NoError(t, l.Update(tk))
	tm, err = l.Timers("A", at(t, "2027-03-01 10:00"))
	require.NoError(t, err)
	require.Equal(t, sla.StageCancelled, tm[0].Stage)
	_, err = l.Timers("nope", at(t, "2027-03-01 10:00"))
	require.Error(t, err)
	require.Error(t, l.Update(pacte.Ticket{ID: "B"}), "no opening instant")
}

// A Live that keeps timers only forgets settled tickets and has no margin.
func TestTimersOnly(t *testing.T) {
	l, err := sla.NewLive(mini(t), sla.TimersOnly())
	require.NoError(t, err)
	require.NoError(t, l.Update(pacte.Ticket{ID: "A", Priority: "P1", Opened: at(t, "2027-03-01 09:00"), Resolved: at(t, "2027-03-01 10:00")}))
	require.Zero(t, l.Open())
	_, err = l.Margin(at(t, "2027-03-01 11:00"))
	require.ErrorIs(t, err, sla.ErrTimersOnly)
	require.ErrorIs(t, l.AddCall(pacte.Call{}), sla.ErrTimersOnly)
}

// Forget drops the settled tickets of past periods: their counts stay,
// and an update of one is counted as a new ticket.
func TestForget(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	for i, day := range []string{"2027-03-01", "2027-04-01"} {
		o := at(t, day+" 09:00")
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprint("T", i), Priority: "P1", Opened: o, Resolved: o.Add(time.Hour)}))
	}
	l.Forget(at(t, "2027-04-01 00:00"))
	require.Equal(t, 1, marginOf(t, l, at(t, "2027-03-31 12:00"), "P1").Eligible, "March keeps its count")
	require.Equal(t, 1, marginOf(t, l, at(t, "2027-04-02 12:00"), "P1").Eligible)
	// T1 is still kept: its update replaces its count.
	o := at(t, "2027-04-01 09:00")
	require.NoError(t, l.Update(pacte.Ticket{ID: "T1", Priority: "P1", Opened: o, Resolved: o.Add(5 * time.Hour)}))
	m := marginOf(t, l, at(t, "2027-04-02 12:00"), "P1")
	require.Equal(t, 1, m.Eligible)
	require.Equal(t, 1, m.Missed)
}

// The counts of the tickets Forget dropped stay when a kept ticket's
// count is taken back later (a closure, a reopening) and in the table's
// saved state: the margin of the month they lie in, and the earlier
// periods the pipeline reads, keep them.
func TestForgetKeepsCountsAfterATakeBack(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	for i, day := range []string{"2027-03-01", "2027-03-02", "2027-04-01"} {
		o := at(t, day+" 09:00")
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprint("T", i), Priority: "P1", Opened: o, Resolved: o.Add(5 * time.Hour)}))
	}
	march := marginOf(t, l, at(t, "2027-03-31 12:00"), "P1")
	require.Equal(t, 2, march.Missed)
	l.Forget(at(t, "2027-04-01 00:00"))
	o := at(t, "2027-04-01 09:00") // T2 closed: its count is taken back
	require.NoError(t, l.Update(pacte.Ticket{ID: "T2", Priority: "P1", Opened: o, Resolved: o.Add(5 * time.Hour), Closed: o.Add(48 * time.Hour)}))
	require.Equal(t, march, marginOf(t, l, at(t, "2027-03-31 12:00"), "P1"), "March keeps its counts")
	april := marginOf(t, l, at(t, "2027-04-02 12:00"), "P1")
	require.Equal(t, 1, april.Eligible)
	require.Equal(t, 1, april.Missed)
	// and so does the table's saved state
	state, err := l.MarshalBinary()
	require.NoError(t, err)
	restored, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	require.NoError(t, restored.UnmarshalBinary(state))
	require.Equal(t, march, marginOf(t, restored, at(t, "2027-03-31 12:00"), "P1"), "restored")
	require.Equal(t, april, marginOf(t, restored, at(t, "2027-04-02 12:00"), "P1"), "restored")
}

// An outage given while it goes on, then with its end (the same ID) is
// one outage: its end replaces the one going on, as the evaluation of
// the final records counts it.
func TestOutageGoingOnThenEnded(t *testing.T) {
	c := loadACME(t)
	start := time.Date(2027, 6, 7, 10, 0, 0, 0, paris) // a Monday, open on HE
	ended := pacte.Outage{ID: "OUT-1", Service: "ERP", Start: start, End: start.Add(30 * time.Minute)}
	now := start.Add(50 * time.Minute)
	want, err := sla.NewLive(c)
	require.NoError(t, err)
	require.NoError(t, want.AddOutage(ended))
	got, err := sla.NewLive(c)
	require.NoError(t, err)
	going := ended
	going.End = time.Time{}
	require.NoError(t, got.AddOutage(going))
	require.Positive(t, marginOf(t, got, now, "AVAIL-ERP").DowntimeLeft.Duration())
	require.Equal(t, marginOf(t, want, now, "AVAIL-ERP").DowntimeLeft.Duration()-20*time.Minute, marginOf(t, got, now, "AVAIL-ERP").DowntimeLeft.Duration(),
		"going on, it counts up to now: 50 min rather than 30")
	require.NoError(t, got.AddOutage(ended))
	require.Equal(t, marginOf(t, want, now, "AVAIL-ERP"), marginOf(t, got, now, "AVAIL-ERP"))
}

// Replay gives each ticket's state at the start, then one update per
// change within the span, in time order, with the ticks between.
func TestReplay(t *testing.T) {
	o := at(t, "2027-03-01 09:00")
	tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: o, Resolved: o.Add(3 * time.Hour),
		History: []pacte.StatusChange{{At: o, Status: "new"}, {At: o.Add(time.Hour), Status: "waiting"}, {At: o.Add(2 * time.Hour), Status: "in progress"}, {At: o.Add(3 * time.Hour), Status: "resolved"}}}
	var lines []string
	for x := range sla.Replay(slices.Values([]pacte.Ticket{tk}), o.Add(30*time.Minute), o.Add(150*time.Minute), time.Hour) {
		line := x.At.In(paris).Format("15:04")
		if x.Ticket != nil {
			line += " " + x.Ticket.Status
			if !x.Ticket.Resolved.IsZero() {
				line += " resolved"
			}
		}
		lines = append(lines, line)
	}
	require.Equal(t, []string{"09:30 new", "10:00 waiting", "10:30", "11:00 in progress"}, lines)
	require.Equal(t, o.Add(3*time.Hour), sla.KnownAt(tk, o.Add(3*time.Hour)).Resolved)
	require.Equal(t, []time.Time{o, o.Add(time.Hour), o.Add(2 * time.Hour), o.Add(3 * time.Hour)}, sla.Changes(tk))
}
