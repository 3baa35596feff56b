package calendar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

// transitions returns the instants at which the zone's offset changes
// between the two years, inclusive. It steps hour by hour rather than
// trusting ZoneBounds, which after 2037 also reports bounds at which the
// offset does not change. Paris and New York change on the hour in UTC.
func transitions(t *testing.T, loc *time.Location, from, to int) []time.Time {
	var out []time.Time
	at := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(to+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, prev := at.In(loc).Zone()
	for ; at.Before(end); at = at.Add(time.Hour) {
		if _, off := at.In(loc).Zone(); off != prev {
			out = append(out, at)
			prev = off
		}
	}
	require.NotEmpty(t, out)
	return out
}

// wallOpenMinutes counts the minutes of [from, to) whose local wall-clock
// reading falls in [start, end): an oracle that knows nothing of the
// calendar's tables, valid when no window bound falls in a skipped or
// repeated hour.
func wallOpenMinutes(from, to time.Time, loc *time.Location, start, end time.Duration) time.Duration {
	var open time.Duration
	for m := from; m.Before(to); m = m.Add(time.Minute) {
		h, mi, _ := m.In(loc).Clock()
		wall := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute
		if wall >= start && wall < end {
			open += time.Minute
		}
	}
	return open
}

// Every daylight-saving change of Europe/Paris and America/New_York from
// 2020 to 2040: the civil day is 23 or 25 hours long, a night window
// 00:30–03:30 loses or gains the hour, and Add and Between stay inverse.
func TestEveryDSTTransition(t *testing.T) {
	for _, zone := range []string{"Europe/Paris", "America/New_York"} {
		loc := mustLoad(t, zone)
		nights := calendar.MustParse("mon-sun 00:30-03:30; tz " + zone)
		always := calendar.MustParse("24x7; tz " + zone)
		trans := transitions(t, loc, 2020, 2040)
		require.Len(t, trans, 42, zone) // two a year
		for _, tr := range trans {
			y, m, d := tr.In(loc).Date()
			dayStart := time.Date(y, m, d, 0, 0, 0, 0, loc)
			dayEnd := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
			_, before := tr.Add(-time.Second).In(loc).Zone()
			_, after := tr.In(loc).Zone()
			spring := after > before
			name := fmt.Sprintf("%s %s", zone, dayStart.Format("2006-01-02"))

			length := 25 * time.Hour
			nightOpen := 4 * time.Hour
			if spring {
				length, nightOpen = 23*time.Hour, 2*time.Hour
			}
			require.Equal(t, length, dayEnd.Sub(dayStart), name)
			require.Equal(t, length, always.Between(dayStart, dayEnd), name)
			require.Equal(t, nightOpen, nights.Between(dayStart, dayEnd), name)

			// Against the wall-clock oracle, over three days around it.
			from, to := dayStart.AddDate(0, 0, -1), dayEnd.AddDate(0, 0, 1)
			require.Equal(t, wallOpenMinutes(from, to, loc, 30*time.Minute, 3*time.Hour+30*time.Minute),
				nights.Between(from, to), name)

			for _, c := range []*calendar.Calendar{nights, always} {
				for _, d := range []time.Duration{time.Minute, 90 * time.Minute, 3 * time.Hour, 5 * time.Hour} {
					start := dayStart.Add(-time.Hour)
					end := c.Add(start, d)
					require.Equal(t, d, c.Between(start, end), "%s: %s + %s", name, c, d)
				}
			}
			// The window opens at 00:30 local and closes at 03:30 local, whatever the offset.
			open := nights.NextOpening(dayStart)
			require.Equal(t, "00:30", open.Format("15:04"), name)
			require.Equal(t, "03:30", nights.NextClosing(open).Format("15:04"), name)
		}
	}
}

// The documented rule for window bounds that a change skips or repeats:
// the earliest instant at which the local clock reads that time or later.
func TestBoundsInSkippedOrRepeatedHours(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	utc := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		spec       string
		day        string
		open       time.Duration
		first, end string // the opening, in UTC
	}{
		// 28 March 2027: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
		{"mon-sun 02:30-03:30", "2027-03-28", 30 * time.Minute, "2027-03-28 01:00", "2027-03-28 01:30"},
		{"mon-sun 01:30-02:30", "2027-03-28", 30 * time.Minute, "2027-03-28 00:30", "2027-03-28 01:00"},
		{"mon-sun 02:00-02:30; mon-sun 12:00-13:00", "2027-03-28", time.Hour, "2027-03-28 10:00", "2027-03-28 11:00"}, // empty window
		// 31 October 2027: 03:00 CEST falls back to 02:00 CET (01:00 UTC).
		{"mon-sun 02:30-03:30", "2027-10-31", 2 * time.Hour, "2027-10-31 00:30", "2027-10-31 02:30"},
		{"mon-sun 01:30-02:30", "2027-10-31", time.Hour, "2027-10-30 23:30", "2027-10-31 00:30"},
		{"mon-sun 02:00-03:00", "2027-10-31", 2 * time.Hour, "2027-10-31 00:00", "2027-10-31 02:00"}, // both passes of the repeated hour
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.day, func(t *testing.T) {
			c := calendar.MustParse(tt.spec + "; tz Europe/Paris")
			day, err := time.ParseInLocation("2006-01-02", tt.day, paris)
			require.NoError(t, err)
			require.Equal(t, tt.open, c.Between(day, day.AddDate(0, 0, 1)))
			first := c.NextOpening(day)
			require.True(t, utc(tt.first).Equal(first), "opens at %s", first.UTC())
			require.True(t, utc(tt.end).Equal(c.NextClosing(first)), "closes at %s", c.NextClosing(first).UTC())
		})
	}
}
