// Package tickets reads what a ticket's record tells beyond its fields:
// when it first entered a status, its first link of a kind, whether it was
// reopened soon after a resolution. They are the language's functions of
// one ticket (entered, link, reopened_within), shared by expr's VM and the
// compiled closures.
package tickets

import (
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
)

// Entered returns the first instant the ticket entered the status (compared
// without case), or the zero time.
func Entered(t *pacte.Ticket, status string) time.Time {
	for _, h := range t.History {
		if strings.EqualFold(h.Status, status) {
			return h.At
		}
	}
	return time.Time{}
}

// FirstLink returns the ticket's first link of the kind (compared without
// case), or a zero link.
func FirstLink(t *pacte.Ticket, kind string) pacte.Link {
	for _, l := range t.Links {
		if strings.EqualFold(l.Kind, kind) {
			return l
		}
	}
	return pacte.Link{}
}

// IsResolvedStatus reports the statuses that end a resolution in a
// history: the instant a ticket enters one of them is a resolution.
func IsResolvedStatus(s string) bool {
	switch strings.ToLower(s) {
	case "resolved", "closed", "solved", "done", "résolu", "clos":
		return true
	}
	return false
}

// ReopenedWithin reports whether the ticket was reopened within d of
// calendar time after a resolution. The resolution a reopening follows is
// the last change into a resolved status (resolved, closed, solved, done)
// of the history before it; without one, the ticket's Resolved instant when it
// precedes the reopening. A reopening with no known resolution before it
// counts as within d: the tool recorded a reopening, so there was one.
func ReopenedWithin(t *pacte.Ticket, d time.Duration) bool {
	for _, r := range t.Reopened {
		var resolved time.Time
		for _, h := range t.History {
			if !h.At.Before(r) {
				break
			}
			if IsResolvedStatus(h.Status) {
				resolved = h.At
			}
		}
		if resolved.IsZero() && !t.Resolved.IsZero() && t.Resolved.Before(r) {
			resolved = t.Resolved
		}
		if resolved.IsZero() || r.Sub(resolved) <= d {
			return true
		}
	}
	return false
}
