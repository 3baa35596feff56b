package civil

import (
	"errors"
	"math/bits"
	"time"

	"github.com/rickar/cal/v2"
)

// Week is the set of weekdays that count, bit i for time.Weekday(i).
type Week uint8

// The weeks of the three units.
const (
	AllDays      Week = 0b1111111 // calendar days
	MondayFriday Week = 0b0111110 // jours ouvrés
	MondaySat    Week = 0b1111110 // jours ouvrables
)

func (w Week) has(d time.Weekday) bool { return w&(1<<d) != 0 }

// ErrNoInstant is the error of a count from an instant that did not
// happen (the zero instant).
var ErrNoInstant = errors.New("an instant that did not happen (zero) has no date")

// maxYears bounds a count: two instants a pacte record may hold are at
// most a few centuries apart.
const maxYears = 400

// Date is the instant at midnight that starts the day of t in loc. On a
// day that does not start at midnight (a change of time at 00:00), it is
// the first instant of the day.
func Date(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Weekday is the day of the week of t in loc, 1 for Monday to 7 for
// Sunday (ISO 8601).
func Weekday(t time.Time, loc *time.Location) int {
	d := int(t.In(loc).Weekday())
	if d == 0 {
		return 7
	}
	return d
}

// dayNumber is the number of a civil date, counted from 1 January 1970.
func dayNumber(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Between counts the days of week that are not holidays, after the date
// of a up to and including the date of b, both dates taken in loc: the
// delay "counted from the day after" a. It is negative when b's date is
// before a's, and 0 on the same date. A holiday is a day the holidays
// observe in its year (cal's observed date).
func Between(a, b time.Time, loc *time.Location, week Week, holidays []*cal.Holiday) (int, error) {
	if a.IsZero() || b.IsZero() {
		return 0, ErrNoInstant
	}
	ya, ma, da := a.In(loc).Date()
	yb, mb, db := b.In(loc).Date()
	from, to := dayNumber(ya, ma, da), dayNumber(yb, mb, db)
	sign := 1
	if to < from {
		from, to, ya, yb, sign = to, from, yb, ya, -1
	}
	if yb-ya > maxYears {
		return 0, errors.New("the two dates are more than 400 years apart")
	}
	n := countWeekdays(from, to, week)
	if len(holidays) > 0 {
		n -= countHolidays(from, to, ya, yb, week, holidays)
	}
	return sign * n, nil
}

// countWeekdays counts the days of week in the day numbers (from, to].
func countWeekdays(from, to int64, week Week) int {
	total := to - from
	n := int(total/7) * bits.OnesCount8(uint8(week))
	// 1 January 1970 was a Thursday.
	for day := from + 1 + total/7*7; day <= to; day++ {
		if week.has(time.Weekday((day + 4) % 7)) {
			n++
		}
	}
	return n
}

// countHolidays counts the distinct dates of (from, to] that are holidays
// on a day of week.
func countHolidays(from, to int64, ya, yb int, week Week, holidays []*cal.Holiday) int {
	seen := map[int64]bool{}
	for y := ya - 1; y <= yb+1; y++ {
		for _, h := range holidays {
			_, obs := h.Calc(y)
			if obs.IsZero() {
				continue
			}
			day := dayNumber(obs.Date())
			if day > from && day <= to && week.has(obs.Weekday()) {
				seen[day] = true
			}
		}
	}
	return len(seen)
}

// FirstOccurrence picks the earlier of the two instants a wall-clock time
// names in the hour repeated when clocks go back. time.Date does not
// promise which one it returns; results must not depend on that.
func FirstOccurrence(t time.Time) time.Time {
	_, now := t.Zone()
	_, before := t.Add(-24 * time.Hour).Zone()
	if before <= now {
		return t
	}
	e := t.Add(-time.Duration(before-now) * time.Second)
	if e.Hour() == t.Hour() && e.Minute() == t.Minute() && e.Second() == t.Second() && e.Day() == t.Day() {
		return e
	}
	return t
}
