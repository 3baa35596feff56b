package sla

import (
	"iter"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/tickets"
)

// KnownAt returns a ticket as its tool knew it at an instant, from its
// final record: the changes after the instant have not happened (status
// changes, acknowledgement, closure, reopenings), a pause going on then has
// no end yet, and it is resolved only by a resolution at or before the
// instant that no reopening followed. The record's own slices are not
// shared with the result.
func KnownAt(t pacte.Ticket, at time.Time) pacte.Ticket {
	v := t
	v.History, v.Pauses, v.Reopened, v.Links = nil, nil, nil, slices.Clone(t.Links)
	for _, h := range t.History {
		if !h.At.After(at) {
			v.History = append(v.History, h)
		}
	}
	for _, p := range t.Pauses {
		if p.Start.After(at) {
			continue
		}
		if p.End.After(at) {
			p.End = time.Time{}
		}
		v.Pauses = append(v.Pauses, p)
	}
	for _, r := range t.Reopened {
		if !r.After(at) {
			v.Reopened = append(v.Reopened, r)
		}
	}
	for i := range v.Links {
		if v.Links[i].Resolved.After(at) {
			v.Links[i].Resolved = time.Time{}
		}
	}
	if v.Acknowledged.After(at) {
		v.Acknowledged = time.Time{}
	}
	if v.Closed.After(at) {
		v.Closed = time.Time{}
	}
	v.Resolved = lastResolution(t, at)
	v.Status = ""
	if n := len(v.History); n > 0 {
		v.Status = v.History[n-1].Status
	}
	return v
}

// lastResolution is the last resolution of the ticket at or before the
// instant, zero when none or when a reopening followed it.
func lastResolution(t pacte.Ticket, at time.Time) time.Time {
	var r time.Time
	consider := func(x time.Time) {
		if !x.IsZero() && !x.After(at) && x.After(r) {
			r = x
		}
	}
	consider(t.Resolved)
	for _, h := range t.History {
		if tickets.IsResolvedStatus(h.Status) {
			consider(h.At)
		}
	}
	for _, o := range t.Reopened {
		if o.After(r) && !o.After(at) {
			return time.Time{}
		}
	}
	return r
}

// Changes returns the instants at which a ticket changed, in order: its
// opening, acknowledgement, resolution and closure, its status changes
// and the edges of its pauses.
func Changes(t pacte.Ticket) []time.Time {
	us := []time.Time{t.Opened, t.Acknowledged, t.Resolved, t.Closed}
	for _, h := range t.History {
		us = append(us, h.At)
	}
	for _, p := range t.Pauses {
		us = append(us, p.Start, p.End)
	}
	us = append(us, t.Reopened...)
	us = slices.DeleteFunc(us, time.Time.IsZero)
	slices.SortFunc(us, time.Time.Compare)
	return slices.Compact(us)
}

// Replay turns final ticket records into the input of a watch: one update
// per change of each ticket within [from, to), as the ticket was known
// then (see [KnownAt]), in time order, with a clock tick every tick
// (none when tick is 0). A ticket opened before from comes first as it was
// at from, so that the watch starts from the state of every ticket then.
// It holds the changes of every ticket: it is for replaying exports, not
// for a live feed.
func Replay(records iter.Seq[pacte.Ticket], from, to time.Time, tick time.Duration) iter.Seq[WatchInput] {
	type change struct {
		at time.Time
		t  *pacte.Ticket
	}
	return func(yield func(WatchInput) bool) {
		var cs []change
		for t := range records {
			t := t
			if t.Opened.Before(from) {
				cs = append(cs, change{from, &t})
			}
			for _, u := range Changes(t) {
				if u.After(from) && u.Before(to) || u.Equal(from) && !t.Opened.Before(from) {
					cs = append(cs, change{u, &t})
				}
			}
		}
		slices.SortStableFunc(cs, func(a, b change) int { return a.at.Compare(b.at) })
		next := from.Add(tick) // the state at from comes as updates
		for _, c := range cs {
			for ; tick > 0 && next.Before(c.at); next = next.Add(tick) {
				if !yield(WatchInput{At: next}) {
					return
				}
			}
			v := KnownAt(*c.t, c.at)
			if !yield(WatchInput{At: c.at, Ticket: &v}) {
				return
			}
		}
		for ; tick > 0 && next.Before(to); next = next.Add(tick) {
			if !yield(WatchInput{At: next}) {
				return
			}
		}
	}
}
