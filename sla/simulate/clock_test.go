package simulate

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

// TestClockMatchesCalendar checks that a clock adds open time exactly as
// its calendar does, to the nanosecond and in the calendar's zone: from
// random instants and at the edges of windows, over daylight-saving
// changes, by durations from a nanosecond to years, inside the table and
// past its ends.
func TestClockMatchesCalendar(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	specs := []struct {
		spec string
		loc  *time.Location
	}{
		{"mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00, every 12-31 14:00-24:00", paris},
		{"mon-sat 07:00-20:00; holidays FR", paris},
		{"24x7", paris},
		{"mon-fri 00:00-02:30,22:00-24:00; sat 01:00-03:30", paris}, // windows over the night and the changes
		{"mon-fri 08:15-11:59,13:07-17:45; holidays US", ny},
		{"sun 02:00-03:00", ny}, // a window that a change skips
	}
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, paris)
	end := time.Date(2028, 1, 1, 0, 0, 0, 0, paris)
	durations := []time.Duration{1, time.Second, time.Minute, 29 * time.Minute, time.Hour, 4*time.Hour + 30*time.Minute,
		10 * time.Hour, 45 * time.Hour, 200 * time.Hour, 2000 * time.Hour, 9000 * time.Hour, 20 * 365 * 24 * time.Hour}
	r := rand.New(rand.NewPCG(1, 2))
	for _, sp := range specs {
		cal, err := calendar.ParseIn(sp.spec, sp.loc)
		if err != nil {
			t.Fatal(err)
		}
		c := newClock(cal, start, end.AddDate(1, 0, 0))
		check := func(from time.Time, d time.Duration) {
			t.Helper()
			if got, want := c.add(from, d), cal.Add(from, d); got != want {
				t.Fatalf("%s: add(%s, %s) = %s, want %s", sp.spec, from.Format(time.RFC3339Nano), d, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		}
		// Instants at the edges of every window, and a nanosecond either side.
		var edges []time.Time
		for w := range cal.Windows(start.AddDate(0, 0, -3), end.AddDate(1, 0, 3)) {
			edges = append(edges, w.Start, w.End)
		}
		for _, e := range edges {
			for _, off := range []time.Duration{-1, 0, 1} {
				for _, d := range durations {
					check(e.Add(off), d)
				}
			}
		}
		// Durations that end exactly at the edges, from random instants.
		for range 2000 {
			from := start.Add(time.Duration(r.Int64N(int64(end.Sub(start)))))
			e := edges[r.IntN(len(edges))]
			if e.After(from) {
				if d := cal.Between(from, e); d > 0 {
					check(from, d)
					check(from, d-1)
					check(from, d+1)
				}
			}
		}
		// Random instants and durations, some outside the table.
		for range 20000 {
			from := start.AddDate(0, 0, -10).Add(time.Duration(r.Int64N(int64(end.AddDate(1, 0, 20).Sub(start)))))
			d := time.Duration(r.Int64N(int64(300 * time.Hour)))
			if r.IntN(10) == 0 {
				d = durations[r.IntN(len(durations))]
			}
			check(from, d)
			check(from.In(time.UTC), d)
		}
		check(start, 0)
		check(start, -time.Hour)
		check(calendar.Never, time.Hour)
	}
	if c := newClock(nil, start, end); c.add(start, time.Hour) != start.Add(time.Hour) {
		t.Error("a nil clock should add wall-clock time")
	}
}
