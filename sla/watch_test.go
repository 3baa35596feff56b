package sla_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// feed is a watch's input: updates and ticks, in the order given.
type feed []sla.WatchInput

func (f *feed) update(at time.Time, t pacte.Ticket) {
	*f = append(*f, sla.WatchInput{At: at, Ticket: &t})
}

func (f *feed) ticks(from, to time.Time, every time.Duration) {
	for t := from; !t.After(to); t = t.Add(every) {
		*f = append(*f, sla.WatchInput{At: t})
	}
}

// watchedMini is a table of the mini contract's open tickets, for a watch.
func watchedMini(t testing.TB) *sla.Live {
	t.Helper()
	l, err := sla.NewLive(mini(t), sla.TimersOnly())
	require.NoError(t, err)
	return l
}

// openedP1 is a P1 incident "A" of the mini contract, new at its opening.
func openedP1(opened time.Time) pacte.Ticket {
	return pacte.Ticket{ID: "A", Priority: "P1", Opened: opened, History: []pacte.StatusChange{{At: opened, Status: "new"}}}
}

func watchAll(t testing.TB, l *sla.Live, in []sla.WatchInput, opts ...sla.WatchOption) []sla.Event {
	t.Helper()
	events, err := l.Watch(slices.Values(in), opts...)
	require.NoError(t, err)
	return slices.Collect(events)
}

func eventLines(evs []sla.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "%s %s %s %s", ev.At.In(paris).Format("01-02 15:04"), ev.Ticket, ev.Rule, ev.Kind)
		if ev.Threshold != nil {
			fmt.Fprintf(&b, " %s", ev.Threshold)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// A ticket's life, in events at the instants they happened: crossings
// found by ticks (overnight, at the next opening), a wait, a reopening,
// and a rule that lets it go.
func TestWatchEvents(t *testing.T) {
	l := watchedMini(t)
	opened := at(t, "2027-03-01 15:00") // a Monday; HO 09:00-17:00, 4 h
	tk := openedP1(opened)
	var in feed
	in.update(opened, tk)
	in.ticks(at(t, "2027-03-01 16:00"), at(t, "2027-03-02 10:00"), 3*time.Hour)
	tk.History = append(tk.History, pacte.StatusChange{At: at(t, "2027-03-02 10:15"), Status: "waiting"})
	in.update(at(t, "2027-03-02 10:20"), tk)
	in.ticks(at(t, "2027-03-02 11:00"), at(t, "2027-03-02 12:00"), time.Hour)
	tk.History = append(tk.History, pacte.StatusChange{At: at(t, "2027-03-02 12:00"), Status: "in progress"})
	in.update(at(t, "2027-03-02 12:05"), tk)
	in.ticks(at(t, "2027-03-02 13:00"), at(t, "2027-03-02 14:00"), time.Hour)
	tk.Resolved = at(t, "2027-03-02 14:30")
	tk.History = append(tk.History, pacte.StatusChange{At: tk.Resolved, Status: "resolved"})
	in.update(tk.Resolved, tk)
	tk.Resolved = time.Time{}
	tk.Reopened = []time.Time{at(t, "2027-03-03 09:10")}
	tk.History = append(tk.History, pacte.StatusChange{At: at(t, "2027-03-03 09:10"), Status: "in progress"})
	in.update(at(t, "2027-03-03 09:12"), tk)
	tk.Priority = "P2"
	in.update(at(t, "2027-03-03 09:30"), tk)
	in.ticks(at(t, "2027-03-03 10:00"), at(t, "2027-03-04 10:00"), time.Hour)
	// 2 h on Monday, 1 h 15 on Tuesday morning, 45 min after the wait:
	// 50 % at 17:00, 75 % at 10:00, 90 % (3 h 36) at 12:21, 4 h at 12:45.
	require.Equal(t, `03-01 17:00 A P1 threshold 0.5
03-02 10:00 A P1 threshold 0.75
03-02 10:15 A P1 paused
03-02 12:00 A P1 resumed
03-02 12:21 A P1 threshold 0.9
03-02 12:45 A P1 breached
03-02 14:30 A P1 stopped
03-03 09:10 A P1 reopened
03-03 09:30 A P1 cancelled
`, eventLines(watchAll(t, l, in)))
	require.Zero(t, l.Open(), "the ticket left every rule")
}

// The events of a replayed month agree with the timers: a timer breached
// at the end had its breached event at its breach instant, each threshold
// once and in order before it; and updates shuffled within the lateness
// give the same events as in order.
func TestWatchAgreesWithTimers(t *testing.T) {
	c := loadACME(t)
	d := genData(11, 400, time.June, time.July)
	now := time.Date(2027, 6, 25, 18, 0, 0, 0, paris)
	ups := replay(d.tickets, now)
	var in feed
	tick := time.Date(2027, 6, 1, 0, 0, 0, 0, paris)
	for _, up := range ups {
		for ; tick.Before(up.at); tick = tick.Add(30 * time.Minute) {
			in = append(in, sla.WatchInput{At: tick})
		}
		in.update(up.at, up.t)
	}
	in.ticks(tick, now, 30*time.Minute)

	l, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	evs := watchAll(t, l, in)
	type key struct{ ticket, rule string }
	breachedAt := map[key]time.Time{}
	thresholds := map[key][]string{}
	for _, ev := range evs {
		k := key{ev.Ticket, ev.Rule}
		switch ev.Kind {
		case sla.EventBreached:
			require.NotContains(t, breachedAt, k, "breached twice: %v", k)
			breachedAt[k] = ev.At
		case sla.EventThreshold:
			require.NotContains(t, breachedAt, k, "a threshold after the breach: %v", k)
			thresholds[k] = append(thresholds[k], ev.Threshold.String())
		case sla.EventCancelled:
			delete(breachedAt, k)
			delete(thresholds, k)
		}
	}
	for k, ths := range thresholds {
		require.True(t, slices.IsSorted(ths), "%v %v", k, ths)
		require.Equal(t, len(ths), len(slices.Compact(slices.Clone(ths))), "%v %v", k, ths)
	}
	checked := 0
	for _, tk := range d.tickets {
		timers, err := l.Timers(tk.ID, now)
		if err != nil {
			continue // settled, and forgotten
		}
		for _, tm := range timers {
			k := key{tm.Ticket, tm.Rule}
			if tm.Stage == sla.StageExcluded || tm.Stage == sla.StageCancelled {
				continue
			}
			if tm.Breached {
				require.Contains(t, breachedAt, k)
				require.True(t, tm.BreachAt.Equal(breachedAt[k]), "%v: %s ≠ %s", k, tm.BreachAt, breachedAt[k])
				checked++
			} else {
				require.NotContains(t, breachedAt, k)
			}
		}
	}
	require.Positive(t, checked)

	// Out of order within two hours: the same events.
	r := rand.New(rand.NewPCG(4, 44))
	// Each input is delivered up to two hours after its instant.
	type delivery struct {
		at time.Time
		x  sla.WatchInput
	}
	ds := make([]delivery, len(in))
	for i, x := range in {
		ds[i] = delivery{x.At.Add(time.Duration(r.Int64N(int64(2 * time.Hour)))), x}
	}
	slices.SortStableFunc(ds, func(a, b delivery) int { return a.at.Compare(b.at) })
	shuffled := make([]sla.WatchInput, len(ds))
	for i, d := range ds {
		shuffled[i] = d.x
	}
	require.False(t, slices.IsSortedFunc(shuffled, func(a, b sla.WatchInput) int { return a.At.Compare(b.At) }))
	l2, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	evs2 := watchAll(t, l2, shuffled, sla.Lateness(2*time.Hour))
	sortEvents := func(evs []sla.Event) string {
		lines := strings.Split(eventLines(evs), "\n")
		slices.Sort(lines)
		return strings.Join(lines, "\n")
	}
	require.Equal(t, sortEvents(evs), sortEvents(evs2))
}

// An update later than the lateness is applied where the watch is, and
// said so; a refused ticket is said so too.
func TestWatchLateAndRejected(t *testing.T) {
	l := watchedMini(t)
	var in feed
	in.ticks(at(t, "2027-03-01 12:00"), at(t, "2027-03-01 12:00"), time.Hour)
	in.update(at(t, "2027-03-01 09:00"), pacte.Ticket{ID: "A", Priority: "P1", Opened: at(t, "2027-03-01 09:00")})
	in.update(at(t, "2027-03-01 12:30"), pacte.Ticket{ID: "B", Priority: "P1"})
	// The tick at 12:00 takes the watch to 11:30, where the late update
	// is applied; 75 % is at 12:00, before B comes.
	require.Equal(t, `03-01 11:30 A  late
03-01 11:00 A P1 threshold 0.5
03-01 12:00 A P1 threshold 0.75
03-01 12:30 B  rejected
`, eventLines(watchAll(t, l, in, sla.Lateness(30*time.Minute))))
	_, err := l.Watch(slices.Values(in), sla.Lateness(-time.Second))
	require.Error(t, err)
}

// The watch stops reading when its reader stops.
func TestWatchStops(t *testing.T) {
	l := watchedMini(t)
	read := 0
	in := func(yield func(sla.WatchInput) bool) {
		for i := range 100 {
			read++
			tk := pacte.Ticket{ID: fmt.Sprint(i), Priority: "P1", Opened: at(t, "2027-03-01 09:00")}
			if !yield(sla.WatchInput{At: at(t, "2027-03-01 15:00"), Ticket: &tk}) {
				return
			}
		}
	}
	events, err := l.Watch(iter.Seq[sla.WatchInput](in))
	require.NoError(t, err)
	for range events {
		break
	}
	require.Equal(t, 1, read)
}

// Pauses the tool gives ahead (on hold until a date) and a pause it
// moves back in time: the watch pauses, resumes and crosses at the
// instants they make, ticks alone bringing it there.
func TestWatchPausesGivenAhead(t *testing.T) {
	l := watchedMini(t)
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	tk := openedP1(opened)
	tk.Pauses = []pacte.Interval{{Start: at(t, "2027-03-01 10:00"), End: at(t, "2027-03-01 11:00")}}
	var in feed
	in.update(opened, tk)
	in.ticks(at(t, "2027-03-01 09:05"), at(t, "2027-03-01 12:00"), 5*time.Minute)
	// At 12:00, 2 h measured. The tool adds a pause from 12:30 to 13:00,
	// then at 12:10 moves the first one's end back to 10:50: 2 h 20
	// measured, 2 h 40 at 12:30, 75 % (3 h) at 13:20 rather than 13:30,
	// 90 % (3 h 36) at 13:56.
	tk.Pauses = append(slices.Clone(tk.Pauses), pacte.Interval{Start: at(t, "2027-03-01 12:30"), End: at(t, "2027-03-01 13:00")})
	in.update(at(t, "2027-03-01 12:05"), tk)
	tk.Pauses = slices.Clone(tk.Pauses)
	tk.Pauses[0].End = at(t, "2027-03-01 10:50")
	in.update(at(t, "2027-03-01 12:10"), tk)
	in.ticks(at(t, "2027-03-01 12:15"), at(t, "2027-03-01 14:00"), 5*time.Minute)
	require.Equal(t, `03-01 10:00 A P1 paused
03-01 11:00 A P1 resumed
03-01 12:00 A P1 threshold 0.5
03-01 12:30 A P1 paused
03-01 13:00 A P1 resumed
03-01 13:20 A P1 threshold 0.75
03-01 13:56 A P1 threshold 0.9
`, eventLines(watchAll(t, l, in)))
}

// The tickets a table holds before a watch starts (given by Update, or
// read from a saved state, or left by an earlier watch) have their timers
// scheduled at the watch's first input: their crossings after it come at
// their instants, those before it are taken as emitted.
func TestWatchAdoptsTheTable(t *testing.T) {
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	tk := openedP1(opened)
	var in feed
	in.ticks(at(t, "2027-03-01 11:30"), at(t, "2027-03-01 14:00"), 30*time.Minute)
	want := "03-01 12:00 A P1 threshold 0.75\n03-01 12:36 A P1 threshold 0.9\n03-01 13:00 A P1 breached\n"

	filled := watchedMini(t)
	require.NoError(t, filled.Update(tk))
	state, err := filled.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, want, eventLines(watchAll(t, filled, in)), "filled by Update")

	restored := watchedMini(t)
	require.NoError(t, restored.UnmarshalBinary(state))
	require.Equal(t, want, eventLines(watchAll(t, restored, in)), "restored")

	var later feed
	later.ticks(at(t, "2027-03-02 09:00"), at(t, "2027-03-02 10:00"), 30*time.Minute)
	require.Empty(t, eventLines(watchAll(t, restored, later)), "a second watch: the crossings were reached")
	tk.Priority = "P2"
	later.update(at(t, "2027-03-02 10:30"), tk)
	require.Equal(t, "03-02 10:30 A P1 cancelled\n", eventLines(watchAll(t, restored, later)))
}

// A version that takes back a wait the watch had seen: the clock resumes
// at the update that says so, and the crossing it reached meanwhile comes
// out at the instant the new version gives it.
func TestWatchWaitTakenBack(t *testing.T) {
	l := watchedMini(t)
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	tk := openedP1(opened)
	var in feed
	in.update(opened, tk)
	waiting := tk
	waiting.History = append(slices.Clone(tk.History), pacte.StatusChange{At: at(t, "2027-03-01 10:00"), Status: "waiting"})
	in.update(at(t, "2027-03-01 10:00"), waiting)
	in.ticks(at(t, "2027-03-01 10:30"), at(t, "2027-03-01 11:30"), 30*time.Minute)
	in.update(at(t, "2027-03-01 11:40"), tk) // the wait was a mistake
	in.ticks(at(t, "2027-03-01 12:00"), at(t, "2027-03-01 12:00"), time.Hour)
	require.Equal(t, `03-01 10:00 A P1 paused
03-01 11:40 A P1 resumed
03-01 11:00 A P1 threshold 0.5
03-01 12:00 A P1 threshold 0.75
`, eventLines(watchAll(t, l, in)))
}

// An exclusion that reads the clock's measures holds or not as time
// passes, with no update: the watch says the crossings the clock reaches
// while it does not hold, at their instants, and none while it holds, as
// the timers show them then (and as the evaluation counts the ticket).
func TestWatchExclusionOnTheClock(t *testing.T) {
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	for _, tc := range []struct {
		exclusion string
		want      string
	}{
		// Excluded in its first five minutes, when the watch first sees
		// it: its crossings come once the exclusion no longer holds.
		{"elapsed < 5min", `03-01 11:00 A P1 threshold 0.5
03-01 12:00 A P1 threshold 0.75
03-01 12:36 A P1 threshold 0.9
03-01 13:00 A P1 breached
`},
		// Excluded from 3 hours on: neither 90 % (3 h 36) nor the breach.
		{"elapsed > 3h", `03-01 11:00 A P1 threshold 0.5
03-01 12:00 A P1 threshold 0.75
`},
	} {
		t.Run(tc.exclusion, func(t *testing.T) {
			rules := strings.Replace(miniRules(t), "    deadline: 4h\n", "    deadline: 4h\n    exclude: {quick or long: "+tc.exclusion+"}\n", 1)
			c := contractOf2027(t, "mini", rules)
			l, err := sla.NewLive(c, sla.TimersOnly())
			require.NoError(t, err)
			tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: opened, History: []pacte.StatusChange{{At: opened, Status: "new"}}}
			var in feed
			in.update(opened.Add(time.Minute), tk)
			in.ticks(at(t, "2027-03-01 09:30"), at(t, "2027-03-01 14:00"), 30*time.Minute)
			require.Equal(t, tc.want, eventLines(watchAll(t, l, in)))
			for _, tm := range []string{"2027-03-01 09:02", "2027-03-01 12:50", "2027-03-01 13:30"} {
				timers, err := l.Timers("A", at(t, tm))
				require.NoError(t, err)
				excluded := timers[0].Stage == sla.StageExcluded
				breached := timers[0].Breached && !excluded
				require.Equal(t, breached, strings.Contains(tc.want, "breached") && tm == "2027-03-01 13:30", tm)
			}
		})
	}
}

// The settled tickets a counting table holds when a watch starts (given
// by Update, read from a saved state) are adopted as the open ones are:
// their next update finds them as their version left them, stopped, and
// says what changes, as a watch that had followed them since says it.
func TestWatchAdoptsTheSettledTickets(t *testing.T) {
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	resolved := openedP1(opened)
	resolved.Resolved = at(t, "2027-03-01 10:00") // 1 h: no threshold
	resolved.History = append(resolved.History, pacte.StatusChange{At: resolved.Resolved, Status: "resolved"})
	reopened := resolved
	reopened.Resolved = time.Time{}
	reopened.Reopened = []time.Time{at(t, "2027-03-01 11:30")}
	reopened.History = append(slices.Clone(resolved.History), pacte.StatusChange{At: at(t, "2027-03-01 11:30"), Status: "in progress"})
	moved := resolved
	moved.Priority = "P2"
	for _, tc := range []struct {
		name string
		next pacte.Ticket
		want string
	}{
		// Its clock runs from its opening again: 2 h 30 at the reopening.
		{"reopened", reopened, "03-01 11:30 A P1 reopened\n03-01 11:00 A P1 threshold 0.5\n03-01 12:00 A P1 threshold 0.75\n"},
		{"no longer taken", moved, "03-01 11:30 A P1 cancelled\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first, then feed
			first.update(opened, openedP1(opened))
			first.update(resolved.Resolved, resolved)
			then.update(at(t, "2027-03-01 11:30"), tc.next)
			then.ticks(at(t, "2027-03-01 12:00"), at(t, "2027-03-01 12:00"), time.Hour)

			followed, err := sla.NewLive(mini(t))
			require.NoError(t, err)
			require.Equal(t, "03-01 10:00 A P1 stopped\n", eventLines(watchAll(t, followed, first)))
			state, err := followed.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, tc.want, eventLines(watchAll(t, followed, then)), "followed by a watch")

			restored, err := sla.NewLive(mini(t))
			require.NoError(t, err)
			require.NoError(t, restored.UnmarshalBinary(state))
			require.Equal(t, tc.want, eventLines(watchAll(t, restored, then)), "restored")

			given, err := sla.NewLive(mini(t))
			require.NoError(t, err)
			require.NoError(t, given.Update(resolved))
			require.Equal(t, tc.want, eventLines(watchAll(t, given, then)), "given by Update")
		})
	}
}

// Reading the table and counting calls between two inputs, as a tool
// that shows the month's margin does, leaves the watch's events as they
// are.
func TestWatchReadBetweenInputs(t *testing.T) {
	opened := at(t, "2027-03-01 09:00") // a Monday; HO 09:00-17:00, 4 h
	tk := openedP1(opened)
	var in feed
	in.update(opened, tk)
	in.ticks(at(t, "2027-03-01 09:30"), at(t, "2027-03-01 12:00"), 30*time.Minute)
	tk.History = append(slices.Clone(tk.History), pacte.StatusChange{At: at(t, "2027-03-01 12:10"), Status: "waiting"})
	in.update(at(t, "2027-03-01 12:10"), tk)
	tk.Resolved = at(t, "2027-03-01 14:00")
	in.update(at(t, "2027-03-01 14:00"), tk)
	in.ticks(at(t, "2027-03-01 14:30"), at(t, "2027-03-01 16:00"), 30*time.Minute)

	quiet, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	want := watchAll(t, quiet, in)
	require.NotEmpty(t, want)

	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	reads := 0
	reading := func(yield func(sla.WatchInput) bool) {
		for i, x := range in {
			call := pacte.Call{ID: fmt.Sprint("C", i), Offered: x.At, Answered: x.At.Add(time.Minute), Ended: x.At.Add(5 * time.Minute)}
			require.NoError(t, l.AddCall(call))
			_, err := l.Margin(x.At)
			require.NoError(t, err)
			_, err = l.AtRisk(x.At, nil)
			require.NoError(t, err)
			if _, err := l.Timers("A", x.At); err == nil {
				reads++
			}
			if !yield(x) {
				return
			}
		}
	}
	events, err := l.Watch(reading)
	require.NoError(t, err)
	require.Equal(t, eventLines(want), eventLines(slices.Collect(events)))
	require.Positive(t, reads)
}
