package clock

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

var (
	calHO  = calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	calH24 = calendar.MustParse("24x7; tz Europe/Paris")
)

// at is a wall-clock instant in Paris.
func at(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, calHO.Location())
}

func TestMerge(t *testing.T) {
	h := func(day, hour int) time.Time { return at(2027, time.May, day, hour, 0) }
	in := []calendar.Interval{
		{Start: h(7, 8), End: h(7, 9)},
		{Start: h(5, 17), End: h(7, 8)},  // touches the first: merged
		{Start: h(7, 8), End: h(7, 8)},   // empty: dropped
		{Start: h(10, 9), End: h(10, 8)}, // backwards: dropped
		{Start: h(10, 10), End: h(10, 12)},
		{Start: h(10, 11), End: h(10, 11)},
		{Start: h(10, 11), End: h(10, 13)}, // overlaps: merged
	}
	orig := append([]calendar.Interval(nil), in...)
	got := Merge(in)
	require.Equal(t, orig, in, "the input is not modified")
	require.Equal(t, []calendar.Interval{{Start: h(5, 17), End: h(7, 9)}, {Start: h(10, 10), End: h(10, 13)}}, got)
	require.Empty(t, Merge(nil))

	// Elapsed expects merged pauses: overlapping ones would be
	// subtracted twice. HO from Wed 5 16:00 to Fri 7 12:00 is 2h + 4h = 6h.
	opened, resolved := h(5, 16), h(7, 12)
	overlapping := []calendar.Interval{{Start: h(5, 17), End: at(2027, time.May, 7, 8, 30)}, {Start: h(7, 8), End: h(7, 9)}}
	require.Equal(t, 6*time.Hour, Elapsed(calHO, nil, opened, resolved))
	// merged: Wed 17:00-18:00 and Fri 08:00-09:00 are paused: 6h - 2h
	require.Equal(t, 4*time.Hour, Elapsed(calHO, Merge(overlapping), opened, resolved))
	// a pause outside [from, to) changes nothing; one across its bounds is clipped
	require.Equal(t, 6*time.Hour, Elapsed(calHO, []calendar.Interval{{Start: h(3, 8), End: h(4, 18)}, {Start: h(8, 0), End: h(9, 0)}}, opened, resolved))
	// a pause from Tue 08:00 to Fri 11:00 leaves Fri 11:00-12:00
	require.Equal(t, time.Hour, Elapsed(calHO, []calendar.Interval{{Start: h(4, 8), End: h(7, 11)}}, opened, resolved))
}

func TestOpenDaysBetween(t *testing.T) {
	// Go-level, with instants in other zones: the civil days are the calendar's.
	a := time.Date(2027, time.May, 3, 23, 30, 0, 0, time.UTC)  // Tue 4 May 01:30 in Paris
	b := time.Date(2027, time.May, 10, 22, 30, 0, 0, time.UTC) // Tue 11 May 00:30 in Paris
	require.Equal(t, 3, OpenDaysBetween(calHO, a, b))          // Wed 5, Fri 7, Mon 10
	require.Equal(t, 7-1, OpenDaysBetween(calH24, a, b))       // Wed 5 to Mon 10
	require.Equal(t, 0, OpenDaysBetween(calHO, b, a))
}
