// Package clock measures time on a business calendar for one item: the
// open time between two instants less the item's pauses, the pauses
// merged, and the whole open days between two instants. The language's
// clock functions (package dsl), their compiled closures and the engine
// (package sla) all measure with it, so that each measure is written once.
//
//	pauses := clock.Merge(ticket.Pauses)
//	elapsed := clock.Elapsed(ho, pauses, ticket.Opened, ticket.Resolved)
package clock

import (
	"slices"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

// Elapsed is the open time of cal in [from, to) less the open time of the
// pauses, which must be sorted and disjoint (see [Merge]): overlapping
// pauses would be subtracted twice.
func Elapsed(cal *calendar.Calendar, pauses []calendar.Interval, from, to time.Time) time.Duration {
	d := cal.Between(from, to)
	for _, p := range pauses {
		if !p.End.After(from) {
			continue
		}
		if !p.Start.Before(to) {
			break
		}
		d -= cal.Between(Later(p.Start, from), Earlier(p.End, to))
	}
	return d
}

// Later returns the later of a and b; b when they are the same instant.
func Later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Earlier returns the earlier of a and b; b when they are the same
// instant.
func Earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Merge sorts intervals and merges those that overlap or touch, dropping
// empty ones and those without an end. It returns a new slice.
func Merge(in []calendar.Interval) []calendar.Interval {
	return MergeInPlace(slices.Clone(in))
}

// MergeInPlace is [Merge] in the slice it is given, whose contents it
// reorders: it returns the merged prefix, and allocates nothing.
func MergeInPlace(in []calendar.Interval) []calendar.Interval {
	out := in[:0]
	for _, iv := range in {
		if iv.End.After(iv.Start) {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b calendar.Interval) int { return a.Start.Compare(b.Start) })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// OpenDaysBetween counts the open days of cal strictly after the civil day
// of a and strictly before the civil day of b: the whole open days between
// an announcement and the event it announces. It is 0 when b is not at
// least two days after a.
func OpenDaysBetween(cal *calendar.Calendar, a, b time.Time) int {
	loc := cal.Location()
	ya, ma, da := a.In(loc).Date()
	yb, mb, db := b.In(loc).Date()
	day := time.Date(ya, ma, da+1, 0, 0, 0, 0, loc)
	last := time.Date(yb, mb, db, 0, 0, 0, 0, loc)
	n := 0
	for ; day.Before(last); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if cal.Between(day, next) > 0 {
			n++
		}
		if n > 100000 {
			break // more than enough for any notice period
		}
	}
	return n
}
