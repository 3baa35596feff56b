package simulate

import (
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

// clock adds open time of a calendar, or wall-clock time when it is nil:
// the time to acknowledge, to restore, a pause. The tickets of a run add
// open time a quarter of a million times, nearly always to an instant of
// the span simulated and by hours or days; so a clock keeps the
// calendar's open windows from the span's start to a year after its end,
// as unix nanoseconds with the open time before each, and finds the
// instant in them. Anything outside (a duration that runs past the
// table, an instant before it) is the calendar's own Add. Either way
// the result is the calendar's Add, to the nanosecond and in its zone
// (TestClockMatchesCalendar).
type clock struct {
	cal    *calendar.Calendar
	loc    *time.Location
	lo, hi int64 // the instants the table covers, [lo, hi), unix seconds
	from   int64 // lo in nanoseconds
	win    []openWindow
	day    []int32 // per 24 hours from lo: the first window that ends after
}

// openWindow is an open window of the table, in unix nanoseconds: it
// starts at start, with before of open time since the table's start
// before it and after at its end.
type openWindow struct {
	start, before, after int64
}

func (w *openWindow) end() int64 { return w.start + w.after - w.before }

const dayNs = int64(24 * time.Hour)

// newClock builds the clock of a calendar over [start, end); nil for a
// nil calendar.
func newClock(cal *calendar.Calendar, start, end time.Time) *clock {
	if cal == nil {
		return nil
	}
	c := &clock{cal: cal, loc: cal.Location(), lo: start.Unix(), hi: end.Unix(), from: start.UnixNano()}
	var open int64
	for w := range cal.Windows(start, end) {
		s, e := w.Start.UnixNano(), w.End.UnixNano()
		c.win = append(c.win, openWindow{start: s, before: open, after: open + e - s})
		open += e - s
	}
	days := (end.UnixNano()-c.from)/dayNs + 1
	c.day = make([]int32, days)
	i := 0
	for k := range c.day {
		at := c.from + int64(k)*dayNs
		for i < len(c.win) && c.win[i].end() <= at {
			i++
		}
		c.day[k] = int32(i)
	}
	return c
}

// add returns the instant at which d of open time has elapsed since t:
// calendar.Calendar.Add, or t.Add(d) without a calendar.
func (c *clock) add(t time.Time, d time.Duration) time.Time {
	if c == nil {
		return t.Add(d)
	}
	if u := t.Unix(); d > 0 && u >= c.lo && u < c.hi { // UnixNano cannot overflow
		if ns := t.UnixNano(); ns >= c.from {
			if r, ok := c.addNs(ns, int64(d)); ok {
				return unixNano(r, c.loc)
			}
		}
	}
	return c.cal.Add(t, d)
}

// addNs adds d > 0 of open time to t, both nanoseconds, t in the table;
// false when the result is not in the table.
func (c *clock) addNs(t, d int64) (int64, bool) {
	w := c.win
	i := int(c.day[(t-c.from)/dayNs])
	for i < len(w) && w[i].end() <= t {
		i++
	}
	if i == len(w) {
		return 0, false
	}
	// The open time before t, counted from the next opening when t is
	// closed; the target is d later.
	pos := w[i].before + max(t-w[i].start, 0)
	if d > w[len(w)-1].after-pos {
		return 0, false
	}
	target := pos + d
	// The window in which the open time reaches the target: a few
	// windows on, or found by halves for a long duration.
	j := i
	for j < len(w) && w[j].after < target {
		j++
		if j-i == 8 {
			lo, hi := j, len(w)-1 // w[hi].after ≥ target
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if w[m].after < target {
					lo = m + 1
				} else {
					hi = m
				}
			}
			j = lo
			break
		}
	}
	return w[j].start + target - w[j].before, true
}
