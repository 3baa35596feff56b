package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rickar/cal/v2"
)

// The range of civil years a calendar computes. Instants outside it are
// clamped to it: open time before 1900 or after 2199 is not counted, and a
// deadline that the calendar cannot reach before 2200 is [Never].
const (
	MinYear = 1900
	MaxYear = 2199
)

// Never is the instant [Calendar.Add], [Calendar.NextOpening] and
// [Calendar.NextClosing] return when the calendar never reaches what was
// asked before the end of [MaxYear]: a deadline on a calendar that is never
// open, the next closing of 24x7.
var Never = time.Date(MaxYear+1, time.January, 1, 0, 0, 0, 0, time.UTC)

// TimeOfDay is a wall-clock time in seconds after midnight, from 00:00 (0)
// to 24:00 (86400), which only ends a window.
type TimeOfDay int32

// Midnight and EndOfDay bound a day: a window from Midnight to EndOfDay
// opens the whole day.
const (
	Midnight  TimeOfDay = 0
	EndOfDay  TimeOfDay = 24 * 60 * 60
	secPerDay           = int64(EndOfDay)
)

// Clock returns the time of day hour:min; Clock(24, 0) is [EndOfDay].
func Clock(hour, min int) TimeOfDay { return TimeOfDay(hour*3600 + min*60) }

// String prints hh:mm, or hh:mm:ss when the seconds are not zero.
func (t TimeOfDay) String() string {
	h, m, s := int(t)/3600, int(t)/60%60, int(t)%60
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// Window is a half-open span of wall-clock time [Start, End) within a day.
type Window struct {
	Start, End TimeOfDay
}

func (w Window) String() string { return w.Start.String() + "-" + w.End.String() }

func (w Window) valid() bool { return w.Start >= 0 && w.Start < w.End && w.End <= EndOfDay }

// WholeDay is the window of a whole civil day.
var WholeDay = Window{Midnight, EndOfDay}

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is End − Start, or 0 when End is not after Start.
func (i Interval) Duration() time.Duration {
	if !i.End.After(i.Start) {
		return 0
	}
	return i.End.Sub(i.Start)
}

// Date is a civil date, without a time or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

func (d Date) valid() bool {
	if d.Year < MinYear || d.Year > MaxYear || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// Exception changes the schedule on a date: closed or open, for the whole
// day or some windows, once or every year.
//
// How exceptions combine with the weekly schedule and the holidays, for a
// given civil date:
//  1. the weekday's windows, or none when the date is a holiday;
//  2. an "open" exception without windows cancels the holiday: the
//     weekday's windows apply (open on Whit Monday 2027); one of a date
//     whose weekday has no windows is refused, as it would open nothing;
//  3. an "open" exception with windows adds them, holiday or not;
//  4. a "closed" exception removes its windows, or the whole day without
//     windows. Closed wins over open.
type Exception struct {
	Open    bool     // false: closed
	Every   bool     // every year on Month and Day; Year is ignored
	Date    Date     // the date; for Every, its Month and Day
	Windows []Window // empty: the whole day
}

func (e Exception) String() string {
	var b strings.Builder
	if e.Every {
		fmt.Fprintf(&b, "every %02d-%02d", int(e.Date.Month), e.Date.Day)
	} else {
		b.WriteString(e.Date.String())
	}
	for i, w := range e.Windows {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(w.String())
	}
	return b.String()
}

func (e Exception) applies(y int, m time.Month, d int) bool {
	return e.Date.Month == m && e.Date.Day == d && (e.Every || e.Date.Year == y)
}

// Calendar is a business-time calendar: a weekly schedule of open
// windows in a time zone, less holidays, with dated exceptions, or the
// complement of such a schedule.
//
// A Calendar is immutable and safe for concurrent use. Its per-year
// tables are built on first use and shared between goroutines.
type Calendar struct {
	def   definition
	never bool // open at no instant: searches for open time give up at once
	years [MaxYear - MinYear + 1]atomic.Pointer[yearTable]
}

// definition is what a calendar is made of, in canonical form: windows
// sorted and merged, codes sorted, exceptions sorted.
type definition struct {
	loc        *time.Location
	week       [7][]Window // indexed by time.Weekday
	codes      []string
	holidays   []*cal.Holiday
	exceptions []Exception
	inverted   bool
}

// Option configures a calendar built by [New].
type Option func(*definition) error

// ErrInvalid is wrapped by every error about a calendar's definition.
var ErrInvalid = errors.New("invalid calendar")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// In sets the time zone of the windows. The default is UTC.
func In(loc *time.Location) Option {
	return func(d *definition) error {
		if loc == nil {
			return invalid("nil time zone")
		}
		d.loc = loc
		return nil
	}
}

// Weekly opens the given windows on each of the given weekdays, in
// addition to what earlier options opened.
func Weekly(days []time.Weekday, windows ...Window) Option {
	return func(d *definition) error {
		for _, w := range windows {
			if !w.valid() {
				return invalid("window %s: start must be before end, within 00:00-24:00", w)
			}
		}
		for _, day := range days {
			if day < time.Sunday || day > time.Saturday {
				return invalid("weekday %d out of range", int(day))
			}
			d.week[day] = append(d.week[day], windows...)
		}
		return nil
	}
}

// Weekdays is Monday to Friday.
var Weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// AllWeek is Monday to Sunday.
var AllWeek = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// AlwaysOpen opens every day from midnight to midnight: 24x7.
func AlwaysOpen() Option { return Weekly(AllWeek, WholeDay) }

// WithHolidays closes the calendar on the holidays of the places the codes
// name (see [Holidays] and [HolidayCodes]).
func WithHolidays(codes ...string) Option {
	return func(d *definition) error {
		for _, c := range codes {
			c = strings.ToUpper(strings.TrimSpace(c))
			if _, ok := Holidays(c); !ok {
				return invalid("unknown holiday code %q", c)
			}
			d.codes = append(d.codes, c)
		}
		return nil
	}
}

// WithExceptions adds dated exceptions to the schedule.
func WithExceptions(es ...Exception) Option {
	return func(d *definition) error {
		for _, e := range es {
			probe := e.Date
			if e.Every {
				probe.Year = 2000 // a leap year: every 02-29 is allowed
			}
			if !probe.valid() {
				return invalid("exception date %s does not exist", e.Date)
			}
			for _, w := range e.Windows {
				if !w.valid() {
					return invalid("exception %s: window %s must start before it ends, within 00:00-24:00", e, w)
				}
			}
			e.Windows = slices.Clone(e.Windows)
			d.exceptions = append(d.exceptions, e)
		}
		return nil
	}
}

// New builds a calendar from options. Without any, it is never open.
func New(opts ...Option) (*Calendar, error) {
	d := definition{loc: time.UTC}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&d); err != nil {
			return nil, err
		}
	}
	if _, msg := d.idleOpening(); msg != "" {
		return nil, invalid("%s", msg)
	}
	return build(d), nil
}

// idleOpening finds an "open" exception of one date, without windows, on
// a weekday without windows: it would open the weekday's windows, and
// there are none, so the day the author meant to open would stay closed
// without a word. It returns the exception's index and why it is
// refused, or "" when there is none. A yearly one is refused only when no
// weekday has windows: its weekday changes from year to year.
func (d *definition) idleOpening() (int, string) {
	anyWindows := slices.ContainsFunc(d.week[:], func(ws []Window) bool { return len(ws) > 0 })
	for i, e := range d.exceptions {
		if !e.Open || len(e.Windows) > 0 {
			continue
		}
		if e.Every {
			if !anyWindows {
				return i, fmt.Sprintf("open %s: no weekday has windows to open; give them (open %s 08:00-12:00)", e, e)
			}
			continue
		}
		if !e.Date.valid() {
			continue
		}
		wd := time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 12, 0, 0, 0, time.UTC).Weekday()
		if len(d.week[wd]) == 0 {
			return i, fmt.Sprintf("open %s: a %s has no windows to open; give them (open %s 08:00-12:00)", e.Date, wd, e.Date)
		}
	}
	return 0, ""
}

// build puts a definition in canonical form and wraps it.
func build(d definition) *Calendar {
	for i := range d.week {
		d.week[i] = mergeWindows(d.week[i])
	}
	slices.Sort(d.codes)
	d.codes = slices.Compact(d.codes)
	d.holidays = nil
	for _, c := range d.codes {
		hs, _ := Holidays(c)
		d.holidays = append(d.holidays, hs...)
	}
	for i := range d.exceptions {
		d.exceptions[i].Windows = mergeWindows(d.exceptions[i].Windows)
	}
	slices.SortFunc(d.exceptions, compareExceptions)
	d.exceptions = slices.CompactFunc(d.exceptions, func(a, b Exception) bool { return compareExceptions(a, b) == 0 })
	return &Calendar{def: d, never: d.neverOpen()}
}

// neverOpen reports the calendars that are open at no instant whatever
// the date: no windows and no open exceptions, or the complement of 24x7
// without holidays or closures.
func (d *definition) neverOpen() bool {
	for _, ws := range d.week {
		whole := len(ws) == 1 && ws[0] == WholeDay
		if (!d.inverted && len(ws) > 0) || (d.inverted && !whole) {
			return false
		}
	}
	for _, e := range d.exceptions {
		if e.Open != d.inverted {
			return false
		}
	}
	return !d.inverted || len(d.codes) == 0
}

func compareExceptions(a, b Exception) int {
	key := func(e Exception) string {
		open := "c"
		if e.Open {
			open = "o"
		}
		y := e.Date.Year
		if e.Every {
			y = 0
		}
		return fmt.Sprintf("%s%05d%02d%02d%v", open, y, int(e.Date.Month), e.Date.Day, e.Windows)
	}
	return strings.Compare(key(a), key(b))
}

// mergeWindows sorts windows and merges those that overlap or touch.
func mergeWindows(ws []Window) []Window {
	if len(ws) == 0 {
		return nil
	}
	ws = slices.Clone(ws)
	slices.SortFunc(ws, func(a, b Window) int { return int(a.Start) - int(b.Start) })
	out := ws[:1]
	for _, w := range ws[1:] {
		last := &out[len(out)-1]
		if w.Start <= last.End {
			last.End = max(last.End, w.End)
			continue
		}
		out = append(out, w)
	}
	return out
}

// Complement returns the calendar that is open exactly when c is closed:
// HNO (heures non ouvrées) from HO. The complement of a complement is equal
// to the original.
func (c *Calendar) Complement() *Calendar {
	d := c.def
	d.inverted = !d.inverted
	return &Calendar{def: d, never: d.neverOpen()}
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.def.loc }

// Equal reports whether two calendars have the same definition, and so
// give the same answers.
func (c *Calendar) Equal(o *Calendar) bool {
	if c == nil || o == nil {
		return c == o
	}
	return c.String() == o.String()
}

// windowsOn returns the open windows of a civil date, before inversion.
func (d *definition) windowsOn(y int, m time.Month, day int, holidays map[[2]int]bool) []Window {
	wd := time.Date(y, m, day, 12, 0, 0, 0, time.UTC).Weekday()
	ws := d.week[wd]
	if holidays[[2]int{int(m), day}] {
		ws = nil
		for _, e := range d.exceptions {
			if e.Open && len(e.Windows) == 0 && e.applies(y, m, day) {
				ws = d.week[wd]
				break
			}
		}
	}
	for _, e := range d.exceptions {
		if e.Open && len(e.Windows) > 0 && e.applies(y, m, day) {
			ws = mergeWindows(append(slices.Clone(ws), e.Windows...))
		}
	}
	for _, e := range d.exceptions {
		if !e.Open && e.applies(y, m, day) {
			if len(e.Windows) == 0 {
				return nil
			}
			for _, cw := range e.Windows {
				ws = subtractWindow(ws, cw)
			}
		}
	}
	return ws
}

// subtractWindow removes cut from sorted, disjoint windows.
func subtractWindow(ws []Window, cut Window) []Window {
	var out []Window
	for _, w := range ws {
		if cut.End <= w.Start || cut.Start >= w.End {
			out = append(out, w)
			continue
		}
		if w.Start < cut.Start {
			out = append(out, Window{w.Start, cut.Start})
		}
		if cut.End < w.End {
			out = append(out, Window{cut.End, w.End})
		}
	}
	return out
}

// invertWindows returns the complement of sorted, disjoint windows
// within a whole day.
func invertWindows(ws []Window) []Window {
	var out []Window
	at := Midnight
	for _, w := range ws {
		if w.Start > at {
			out = append(out, Window{at, w.Start})
		}
		at = w.End
	}
	if at < EndOfDay {
		out = append(out, Window{at, EndOfDay})
	}
	return out
}

// holidaysOf returns the observed holiday dates of a year as month/day.
// A holiday of a neighbouring year may be observed in this one (1 January
// falling on a Saturday is observed on 31 December in some countries).
func (d *definition) holidaysOf(year int) map[[2]int]bool {
	if len(d.holidays) == 0 {
		return nil
	}
	set := make(map[[2]int]bool, len(d.holidays))
	for _, h := range d.holidays {
		for y := year - 1; y <= year+1; y++ {
			_, obs := h.Calc(y)
			// cal returns midnight in its default zone; only the civil
			// date matters here.
			if !obs.IsZero() && obs.Year() == year {
				set[[2]int{int(obs.Month()), obs.Day()}] = true
			}
		}
	}
	return set
}
