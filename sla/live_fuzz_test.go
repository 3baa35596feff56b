package sla_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
)

// liveOps reads bytes as a sequence of ticket updates: each update takes
// 8 bytes (ticket, priority, status, opening, a change, a resolution, a
// pause, a reopening), so that any input is a feed, however odd.
func liveOps(data []byte, base time.Time) []sla.WatchInput {
	statuses := []string{"new", "in progress", "waiting", "resolved", ""}
	var in []sla.WatchInput
	tickets := map[string]*pacte.Ticket{}
	for i := 0; i+8 <= len(data) && len(in) < 64; i += 8 {
		b := data[i : i+8]
		id := fmt.Sprint("T", b[0]%6)
		t := tickets[id]
		if t == nil {
			t = &pacte.Ticket{ID: id, Opened: base.Add(time.Duration(b[3]) * 17 * time.Minute)}
			tickets[id] = t
		}
		t.Priority = []string{"P1", "P2", "P9"}[b[1]%3]
		at := t.Opened.Add(time.Duration(b[4]) * 23 * time.Minute)
		if s := statuses[int(b[2])%len(statuses)]; s != "" {
			t.History = append(slices.Clone(t.History), pacte.StatusChange{At: at, Status: s})
			t.Status = s
		}
		switch b[5] % 4 {
		case 0:
			t.Resolved = at
		case 1:
			t.Resolved = time.Time{}
		}
		if b[6]%5 == 0 {
			t.Pauses = append(slices.Clone(t.Pauses), pacte.Interval{Start: at, End: at.Add(time.Duration(b[6]) * time.Minute)})
		}
		if b[7]%7 == 0 {
			t.Reopened = append(slices.Clone(t.Reopened), at)
		}
		v := *t
		in = append(in, sla.WatchInput{At: at.Add(time.Duration(int(b[7])-128) * time.Minute), Ticket: &v})
		if b[7]%3 == 0 {
			in = append(in, sla.WatchInput{At: at.Add(time.Hour)})
		}
	}
	return in
}

// Whatever the feed, the live table, its timers, margin and risk, and a
// watch with a lateness answer without panicking, and the watch's
// events come with a ticket and an instant.
func FuzzLive(f *testing.F) {
	f.Add([]byte("\x00\x00\x01\x00\x01\x01\x01\x01\x00\x00\x03\x00\x09\x00\x05\x07"))
	f.Add([]byte("\x01\x01\x02\x10\x20\x02\x00\x0e\x02\x00\x00\x30\x40\x00\x0a\x15\x01\x02\x03\x04\x05\x06\x07\x08"))
	c := mini(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		base := time.Date(2027, 3, 1, 8, 0, 0, 0, paris)
		in := liveOps(data, base)
		l, err := sla.NewLive(c)
		if err != nil {
			t.Fatal(err)
		}
		now := base.Add(40 * time.Hour)
		for _, x := range in {
			if x.Ticket != nil {
				_ = l.Update(*x.Ticket)
				_, _ = l.Timers(x.Ticket.ID, now)
			}
		}
		if _, err := l.Margin(now); err != nil {
			t.Fatal(err)
		}
		if _, err := l.AtRisk(now, nil); err != nil {
			t.Fatal(err)
		}
		w, err := sla.NewLive(c, sla.TimersOnly())
		if err != nil {
			t.Fatal(err)
		}
		events, err := w.Watch(slices.Values(in), sla.Lateness(time.Duration(len(data)%5)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for ev := range events {
			if ev.Ticket == "" || ev.At.IsZero() {
				t.Fatalf("event %+v", ev)
			}
		}
	})
}
