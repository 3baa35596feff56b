package calendar_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

// oracle is a calendar spec read again, independently of the package's
// tables: it answers whether a minute is open from the minute's local
// wall-clock reading, its civil date, the holiday rules and the
// exceptions, as the spec's documentation states them.
type oracle struct {
	loc        *time.Location
	week       [7][]calendar.Window
	holidays   map[calendar.Date]bool
	exceptions []calendar.Exception
	inverted   bool
}

func (o *oracle) applies(e calendar.Exception, d calendar.Date) bool {
	return e.Date.Month == d.Month && e.Date.Day == d.Day && (e.Every || e.Date.Year == d.Year)
}

func inWindows(ws []calendar.Window, wall calendar.TimeOfDay) bool {
	for _, w := range ws {
		if wall >= w.Start && wall < w.End {
			return true
		}
	}
	return false
}

// open decides a minute by the rules of calendar.Exception.
func (o *oracle) open(m time.Time) bool {
	l := m.In(o.loc)
	y, mo, d := l.Date()
	date := calendar.Date{Year: y, Month: mo, Day: d}
	wall := calendar.TimeOfDay(l.Hour()*3600 + l.Minute()*60)
	weekly := o.week[l.Weekday()]
	open := inWindows(weekly, wall)
	if o.holidays[date] {
		open = false
		for _, e := range o.exceptions {
			if e.Open && len(e.Windows) == 0 && o.applies(e, date) {
				open = inWindows(weekly, wall)
			}
		}
	}
	for _, e := range o.exceptions {
		if e.Open && len(e.Windows) > 0 && o.applies(e, date) && inWindows(e.Windows, wall) {
			open = true
		}
	}
	for _, e := range o.exceptions {
		if !e.Open && o.applies(e, date) && (len(e.Windows) == 0 || inWindows(e.Windows, wall)) {
			open = false
		}
	}
	return open != o.inverted
}

// randomBound is a quarter hour that no daylight-saving change of the
// zones used skips or repeats (Paris repeats 02:00–03:00, New York
// 01:00–02:00), so that the wall-clock oracle holds; 24:00 ends a window.
func randomBound(r *rand.Rand) calendar.TimeOfDay {
	for {
		q := r.IntN(24*4 + 1)
		if q <= 1*4 || q >= 3*4 {
			return calendar.TimeOfDay(q * 15 * 60)
		}
	}
}

func randomWindows(r *rand.Rand, maxN int) []calendar.Window {
	var ws []calendar.Window
	for range r.IntN(maxN + 1) {
		a, b := randomBound(r), randomBound(r)
		if a == b {
			continue
		}
		ws = append(ws, calendar.Window{Start: min(a, b), End: max(a, b)})
	}
	return ws
}

func windowsSpec(ws []calendar.Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}

// randomSpec writes a random calendar spec and its oracle.
func randomSpec(t *testing.T, r *rand.Rand) (string, *oracle) {
	zones := []string{"Europe/Paris", "America/New_York", "UTC", "Asia/Tokyo"}
	zone := zones[r.IntN(len(zones))]
	o := &oracle{loc: mustLoad(t, zone), holidays: map[calendar.Date]bool{}}
	var clauses []string
	for day := range 7 {
		if r.IntN(4) == 0 {
			continue
		}
		ws := randomWindows(r, 3)
		if len(ws) == 0 {
			continue
		}
		o.week[day] = append(o.week[day], ws...)
		clauses = append(clauses, fmt.Sprintf("%s %s", []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[day], windowsSpec(ws)))
	}
	if r.IntN(2) == 0 {
		code := []string{"FR", "FR-57", "FR-974", "US", "DE-BY"}[r.IntN(5)]
		clauses = append(clauses, "holidays "+code)
		hs, ok := calendar.Holidays(code)
		require.True(t, ok)
		for _, h := range hs {
			for y := 2025; y <= 2029; y++ {
				if _, obs := h.Calc(y); !obs.IsZero() {
					o.holidays[calendar.Date{Year: obs.Year(), Month: obs.Month(), Day: obs.Day()}] = true
				}
			}
		}
	}
	for range r.IntN(4) {
		e := calendar.Exception{Open: r.IntN(2) == 0, Every: r.IntN(2) == 0}
		// Days near holidays and the changes of time, where bugs hide.
		days := []calendar.Date{{2027, 5, 17}, {2027, 3, 28}, {2027, 10, 31}, {2027, 12, 25}, {2027, 12, 26},
			{2027, 3, 26}, {2027, 11, 7}, {2027, 1, 1}, {2027, 7, 14}, {2027, 5, 8}}
		e.Date = days[r.IntN(len(days))]
		if r.IntN(2) == 0 {
			e.Windows = randomWindows(r, 2)
		}
		wd := time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 12, 0, 0, 0, time.UTC).Weekday()
		if e.Open && len(e.Windows) == 0 && len(o.week[wd]) == 0 {
			// Refused: it would open nothing.
			e.Windows = []calendar.Window{{Start: calendar.Clock(9, 0), End: calendar.Clock(10, 0)}}
		}
		o.exceptions = append(o.exceptions, e)
		word := "closed "
		if e.Open {
			word = "open "
		}
		s := word + e.Date.String()
		if e.Every {
			s = fmt.Sprintf("%severy %02d-%02d", word, int(e.Date.Month), e.Date.Day)
		}
		if len(e.Windows) > 0 {
			s += " " + windowsSpec(e.Windows)
		}
		clauses = append(clauses, s)
	}
	if len(clauses) == 0 {
		clauses = append(clauses, "sat")
		o.week[time.Saturday] = []calendar.Window{calendar.WholeDay}
	}
	r.Shuffle(len(clauses), func(i, j int) { clauses[i], clauses[j] = clauses[j], clauses[i] })
	spec := strings.Join(append(clauses, "tz "+zone), "; ")
	if r.IntN(3) == 0 {
		spec = "not " + spec
		o.inverted = true
	}
	return spec, o
}

// TestAgreesWithMinuteOracle compares Between, IsOpen, Add, Windows,
// NextOpening and NextClosing with a minute-by-minute count on random calendars: weekly windows, holidays,
// dated and yearly exceptions of either kind, complements, in zones
// either side of UTC, over spans that cross the changes of time of 2027.
func TestAgreesWithMinuteOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 150 {
		spec, o := randomSpec(t, r)
		c, err := calendar.Parse(spec)
		require.NoError(t, err, spec)
		for range 4 {
			// Minute-aligned spans near the changes of time and holidays.
			anchors := []time.Time{start, time.Date(2027, 3, 27, 0, 0, 0, 0, time.UTC), time.Date(2027, 10, 30, 0, 0, 0, 0, time.UTC),
				time.Date(2027, 5, 14, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 23, 0, 0, 0, 0, time.UTC), time.Date(2027, 11, 6, 0, 0, 0, 0, time.UTC)}
			from := anchors[r.IntN(len(anchors))].Add(time.Duration(r.IntN(3*24*60)) * time.Minute)
			to := from.Add(time.Duration(r.IntN(6*24*60)) * time.Minute)
			var want time.Duration
			var runs []calendar.Interval // the open minutes, merged
			for m := from; m.Before(to); m = m.Add(time.Minute) {
				open := o.open(m)
				if open {
					want += time.Minute
					if n := len(runs); n > 0 && runs[n-1].End.Equal(m) {
						runs[n-1].End = m.Add(time.Minute)
					} else {
						runs = append(runs, calendar.Interval{Start: m, End: m.Add(time.Minute)})
					}
				}
				if m.Sub(from)%(97*time.Minute) == 0 {
					require.Equal(t, open, c.IsOpen(m), "%s: IsOpen(%s)", spec, m.In(o.loc))
				}
			}
			require.Equal(t, want, c.Between(from, to), "%s: Between(%s, %s)", spec, from.In(o.loc), to.In(o.loc))
			var got []calendar.Interval
			for w := range c.Windows(from, to) {
				got = append(got, w)
			}
			require.Equal(t, len(runs), len(got), "%s: Windows(%s, %s)", spec, from.In(o.loc), to.In(o.loc))
			for i := range runs {
				require.True(t, runs[i].Start.Equal(got[i].Start) && runs[i].End.Equal(got[i].End), "%s: window %d: %v, want %v", spec, i, got[i], runs[i])
			}
			if len(runs) > 0 {
				require.True(t, runs[0].Start.Equal(c.NextOpening(from)), "%s: NextOpening(%s)", spec, from.In(o.loc))
				if runs[0].End.Before(to) {
					require.True(t, runs[0].End.Equal(c.NextClosing(runs[0].Start)), "%s: NextClosing(%s)", spec, runs[0].Start.In(o.loc))
				}
			}
			if want > 0 {
				// Add: the end of the minute in which the count reaches d.
				d := time.Duration(1+r.Int64N(int64(want/time.Minute))) * time.Minute
				var acc time.Duration
				m := from
				for ; acc < d; m = m.Add(time.Minute) {
					if o.open(m) {
						acc += time.Minute
					}
				}
				require.True(t, m.Equal(c.Add(from, d)), "%s: Add(%s, %s) = %s, want %s", spec, from.In(o.loc), d, c.Add(from, d).In(o.loc), m.In(o.loc))
			}
		}
	}
}
