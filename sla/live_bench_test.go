package sla_test

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// openTickets are n tickets of the reference contract still open on
// 15 June 2028, opened in the three weeks before, a quarter of them
// waiting for the client a while.
func openTickets(n int) ([]pacte.Ticket, time.Time) {
	now := time.Date(2028, 6, 15, 11, 0, 0, 0, paris)
	ts := benchTickets(n)
	for i := range ts {
		t := &ts[i]
		shift := now.Add(-time.Duration(i%(21*24*60)) * time.Minute).Sub(t.Opened)
		t.Opened = t.Opened.Add(shift)
		switch { // every ticket in the scope of a rule with a clock
		case t.Kind == "request":
			t.Category = "standard"
		case t.Kind == "incident" && t.Priority == "P4":
			t.Priority = "P3"
		}
		t.Acknowledged = time.Time{}
		t.Resolved = time.Time{}
		h := t.History[:0]
		for _, c := range t.History {
			if c.Status == "resolved" {
				continue
			}
			c.At = c.At.Add(shift)
			if c.At.After(now) {
				c.At = now
			}
			h = append(h, c)
		}
		t.History = h
		for j := range t.Links {
			t.Links[j].Resolved = t.Links[j].Resolved.Add(shift)
		}
	}
	return ts, now
}

// The timers of 100,000 open tickets over the reference contract's rules.
func BenchmarkTimers100k(b *testing.B) {
	c := loadACME(b)
	ts, now := openTickets(100_000)
	l, err := sla.NewLive(c)
	require.NoError(b, err)
	for _, t := range ts {
		require.NoError(b, l.Update(t))
	}
	require.Equal(b, len(ts), l.Open())
	var buf []sla.Timer
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf = l.AppendOpenTimers(buf[:0], now)
	}
	b.ReportMetric(float64(len(buf)), "timers/op")
}

// openTable is a table of the reference contract's open tickets, which
// keeps them alone (TimersOnly).
func openTable(tb testing.TB, ts []pacte.Ticket) *sla.Live {
	tb.Helper()
	l, err := sla.NewLive(loadACME(tb), sla.TimersOnly())
	require.NoError(tb, err)
	for _, t := range ts {
		require.NoError(tb, l.Update(t))
	}
	return l
}

// Updates of tickets already in the table allocate nothing.
func BenchmarkLiveUpdate(b *testing.B) {
	ts, _ := openTickets(10_000)
	l := openTable(b, ts)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := l.Update(ts[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(ts) {
			i = 0
		}
	}
}

func TestLiveUpdateAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation count")
	}
	ts, _ := openTickets(100)
	l := openTable(t, ts)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		_ = l.Update(ts[i%len(ts)])
		i++
	})
	require.Zero(t, allocs)
}

// A watch over a change feed of 10,000 open tickets, one update a second
// round the tickets, with the crossings they reach on the way. Every
// update changes the ticket's group alone, a field no rule reads.
func BenchmarkWatchAssign(b *testing.B) {
	ts, _ := openTickets(10_000)
	groups := [2]string{"desk", "network"}
	benchWatch(b, ts, func(i, n int, _ time.Time) *pacte.Ticket {
		ts[i].Group = groups[n/len(ts)%2]
		return &ts[i]
	})
}

// A watch over a change feed of 10,000 tickets, one update a second round
// the tickets, each ticket going through a life of twelve updates: opened,
// assigned, in progress (acknowledged then), assigned, waiting for the
// client, a comment, in progress again, assigned, resolved, reopened,
// assigned, resolved; then the next ticket of its slot opens. Five updates
// in twelve change no field a rule reads; the others start, pause, resume,
// stop or reopen clocks. The crossings the clocks reach on the way come
// out with them.
func BenchmarkWatch(b *testing.B) {
	ts, _ := openTickets(10_000)
	lives := make([]ticketLife, len(ts))
	for i := range ts {
		lives[i] = newTicketLife(&ts[i], i)
	}
	benchWatch(b, ts, func(i, _ int, at time.Time) *pacte.Ticket { return lives[i].next(at) })
}

// benchWatch watches the reference contract's timers over the open
// tickets, then over a feed of one update a second round them: update
// gives the n-th update, of the i-th ticket, at the instant.
func benchWatch(b *testing.B, ts []pacte.Ticket, update func(i, n int, at time.Time) *pacte.Ticket) {
	b.Helper()
	l := openTable(b, ts)
	at := time.Date(2028, 6, 15, 11, 0, 0, 0, paris) // openTickets' now
	in := func(yield func(sla.WatchInput) bool) {
		// A first tick, before the timed loop: the watch schedules the
		// table's timers at its first input.
		if !yield(sla.WatchInput{At: at}) {
			return
		}
		i := 0
		for n := 0; b.Loop(); n++ {
			at = at.Add(time.Second)
			if !yield(sla.WatchInput{At: at, Ticket: update(i, n, at)}) {
				return
			}
			if i++; i == len(ts) {
				i = 0
			}
		}
	}
	b.ReportAllocs()
	events, err := l.Watch(in)
	require.NoError(b, err)
	n := 0
	for range events {
		n++
	}
	b.ReportMetric(float64(n)/float64(b.N), "events/op")
}

// ticketLife is a slot of BenchmarkWatch's feed: the ticket in it, its
// step in its life, and the two IDs its tickets take in turn.
type ticketLife struct {
	t      *pacte.Ticket
	step   int
	ids    [2]string
	life   int
	groups [2]string
}

func newTicketLife(t *pacte.Ticket, i int) ticketLife {
	t.History = append(make([]pacte.StatusChange, 0, len(t.History)+8), t.History...)
	t.Reopened = make([]time.Time, 0, 2)
	return ticketLife{t: t, step: i % 12, ids: [2]string{t.ID, t.ID + "-2"}, groups: [2]string{"desk", "network"}}
}

// next is the slot's next update at the instant.
func (s *ticketLife) next(at time.Time) *pacte.Ticket {
	t := s.t
	status := func(st string) { t.History = append(t.History, pacte.StatusChange{At: at, Status: st}) }
	switch s.step {
	case 0: // the next ticket of the slot opens
		s.life++
		t.ID, t.Opened, t.Resolved, t.Acknowledged = s.ids[s.life%2], at, time.Time{}, time.Time{}
		t.History, t.Reopened, t.Pauses = t.History[:0], t.Reopened[:0], nil
		status("new")
	case 2:
		if t.Acknowledged.IsZero() {
			t.Acknowledged = at
		}
		status("in progress")
	case 6:
		status("in progress")
	case 4:
		status("waiting for client")
	case 8, 11:
		t.Resolved = at
		status("resolved")
	case 9:
		t.Resolved = time.Time{}
		t.Reopened = append(t.Reopened, at)
		status("in progress")
	default: // assigned, or a comment: a field no rule reads
		t.Group = s.groups[s.step%2]
	}
	s.step = (s.step + 1) % 12
	return t
}
