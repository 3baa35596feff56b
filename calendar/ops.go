package calendar

import (
	"iter"
	"math"
	"time"
)

// IsOpen reports whether t lies in an open window. Windows are half-open:
// open at their start, closed at their end.
func (c *Calendar) IsOpen(t time.Time) bool {
	u := t.Unix()
	tbl, i := c.locate(u)
	if i < 0 || i >= tbl.days() {
		return false
	}
	for _, s := range tbl.daySpans(i) {
		if u < s.start {
			return false
		}
		if u < s.end {
			return true
		}
	}
	return false
}

// Between returns the open time in [from, to): 0 when to is not after
// from. The result does not depend on the locations of from and to.
func (c *Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	uf, ut := from.Unix(), to.Unix()
	tf, i := c.locate(uf)
	tt, j := c.locate(ut)
	before := tf.openBefore(i, uf, int64(from.Nanosecond()))
	upTo := tt.openBefore(j, ut, int64(to.Nanosecond()))
	if tf == tt {
		return time.Duration(upTo - before)
	}
	sum := tf.total()*nsPerSec - before
	for y := tf.year + 1; y < tt.year; y++ {
		sum = addSat(sum, c.table(y).total()*nsPerSec)
	}
	return time.Duration(addSat(sum, upTo))
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// Add returns the earliest instant at which d of open time has elapsed
// since from. When from is closed, the count starts at the next opening;
// a result at the end of a window is that end, not the next opening. For d
// ≤ 0 it returns from. It returns [Never] when the calendar does not have
// that much open time before the end of [MaxYear].
func (c *Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return from.In(c.def.loc)
	}
	if c.never {
		return Never
	}
	u := from.Unix()
	t, i := c.locate(u)
	pos := t.openBefore(i, u, int64(from.Nanosecond()))
	rem := int64(d)
	for {
		avail := t.total()*nsPerSec - pos
		if rem <= avail {
			return c.instant(t.find(pos + rem))
		}
		rem -= avail
		if t.year == MaxYear {
			return Never
		}
		t, pos = c.table(t.year+1), 0
	}
}

// find returns the earliest instant, as unix seconds and nanoseconds, at
// which the open time since the start of the year reaches target, with
// 0 < target ≤ total.
func (t *yearTable) find(target int64) (int64, int64) {
	// The day: the last one whose cumulative open time is below target.
	lo, hi := 1, t.days()
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.cum[mid]*nsPerSec >= target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	day := lo - 1
	r := target - t.cum[day]*nsPerSec
	for _, s := range t.daySpans(day) {
		if l := (s.end - s.start) * nsPerSec; r > l {
			r -= l
			continue
		}
		return s.start + r/nsPerSec, r % nsPerSec
	}
	// Unreachable when the table is consistent: cum[day+1] ≥ target.
	return t.dayStart[day+1], 0
}

func (c *Calendar) instant(sec, ns int64) time.Time { return time.Unix(sec, ns).In(c.def.loc) }

// EndOfOpenDay returns the end of the n-th open day after the civil day of
// from, in the calendar's zone: the instant its last window closes. An open
// day is a civil day with some open time. "Resolved by the end of the
// third open day after the day it was opened" is EndOfOpenDay(opened, 3).
//
// For n ≤ 0 it returns the end of the first open day on or after the day of
// from. It returns [Never] when there are not that many open days before
// the end of [MaxYear].
func (c *Calendar) EndOfOpenDay(from time.Time, n int) time.Time {
	if c.never {
		return Never
	}
	t, i := c.locate(from.Unix())
	if t, i = c.openDay(t, i, n); t == nil {
		return Never
	}
	return c.instant(t.spans[t.first[i+1]-1].end, 0)
}

// OpenDaysBudget returns Between(from, EndOfOpenDay(from, n)), the open
// time a deadline of n open days allows, for one lookup of from instead
// of three (from twice, then the end of the day).
func (c *Calendar) OpenDaysBudget(from time.Time, n int) time.Duration {
	if c.never {
		return c.Between(from, Never)
	}
	uf := from.Unix()
	tf, i := c.locate(uf)
	if i < 0 || i >= tf.days() {
		return c.Between(from, c.EndOfOpenDay(from, n))
	}
	tt, j := c.openDay(tf, i, n)
	if tt == nil {
		return c.Between(from, Never)
	}
	// The day ends with its last span: the open time before that end is
	// all the open time up to the end of the day.
	before := tf.openBefore(i, uf, int64(from.Nanosecond()))
	upTo := tt.cum[j+1] * nsPerSec
	if tf == tt {
		return time.Duration(max(upTo-before, 0)) // 0: the day ended before from (n ≤ 0)
	}
	sum := tf.total()*nsPerSec - before
	for y := tf.year + 1; y < tt.year; y++ {
		sum = addSat(sum, c.table(y).total()*nsPerSec)
	}
	return time.Duration(addSat(sum, upTo))
}

// openDay is EndOfOpenDay's walk from day i of table t: the table and
// index of the n-th open day after it, nil when there are not that many
// before the end of MaxYear. A day is open when it has spans, which are
// never empty.
func (c *Calendar) openDay(t *yearTable, i, n int) (*yearTable, int) {
	need := max(n, 1)
	if n > 0 {
		i++
	}
	i = max(i, 0)
	for {
		for first := t.first; i+1 < len(first); i++ {
			if first[i+1] > first[i] {
				if need--; need == 0 {
					return t, i
				}
			}
		}
		if t.year == MaxYear {
			return nil, 0
		}
		t, i = c.table(t.year+1), 0
	}
}

// spansFrom yields the open spans, in order, that end after the instant u
// (unix seconds), up to the end of MaxYear.
func (c *Calendar) spansFrom(u int64) iter.Seq[span] {
	return func(yield func(span) bool) {
		if c.never {
			return
		}
		t, i := c.locate(u)
		i = max(i, 0)
		for {
			for ; i < t.days(); i++ {
				for _, s := range t.daySpans(i) {
					if s.end > u && !yield(s) {
						return
					}
				}
			}
			if t.year == MaxYear {
				return
			}
			t, i = c.table(t.year+1), 0
		}
	}
}

// NextOpening returns the earliest instant at or after t at which the
// calendar is open: t itself when it is open, [Never] when it does not
// open again before the end of [MaxYear].
func (c *Calendar) NextOpening(t time.Time) time.Time {
	u := t.Unix()
	for s := range c.spansFrom(u) {
		if s.start <= u {
			return t.In(c.def.loc)
		}
		return c.instant(s.start, 0)
	}
	return Never
}

// NextClosing returns the earliest instant at or after t at which the
// calendar is closed: t itself when it is closed. Windows that touch, such
// as 23:00-24:00 and 00:00-01:00 of the next day, are one opening.
func (c *Calendar) NextClosing(t time.Time) time.Time {
	u := t.Unix()
	var end int64
	open := false
	for s := range c.spansFrom(u) {
		switch {
		case !open && s.start > u:
			return t.In(c.def.loc)
		case open && s.start > end:
			return c.instant(end, 0)
		}
		open, end = true, s.end
	}
	if !open {
		return t.In(c.def.loc)
	}
	if last := c.table(MaxYear); end >= last.dayStart[last.days()] {
		return Never // open until the end of the range the calendar computes
	}
	return c.instant(end, 0)
}

// Windows yields the open intervals within [from, to), in order, clipped
// to it. Windows that touch are yielded as one interval, so that 24x7
// yields [from, to) once.
func (c *Calendar) Windows(from, to time.Time) iter.Seq[Interval] {
	return func(yield func(Interval) bool) {
		if !to.After(from) {
			return
		}
		var cur Interval
		have := false
		for s := range c.spansFrom(from.Unix()) {
			start, end := c.instant(s.start, 0), c.instant(s.end, 0)
			if !start.Before(to) {
				break
			}
			if start.Before(from) {
				start = from.In(c.def.loc)
			}
			if end.After(to) {
				end = to.In(c.def.loc)
			}
			if !end.After(start) {
				continue
			}
			if have && cur.End.Equal(start) {
				cur.End = end
				continue
			}
			if have && !yield(cur) {
				return
			}
			cur, have = Interval{start, end}, true
		}
		if have {
			yield(cur)
		}
	}
}
