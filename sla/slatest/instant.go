package slatest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/civil"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
)

// Clock reads instants written in the notation of clause test files, in a
// contract's time zone and on its calendars:
//
//	2027-03-01 08:00                 an instant in the contract's zone
//	Mon 2027-03-01 08:00             the same, the weekday checked
//	2027-03-01T08:00:00+01:00        with an explicit offset
//	+4h30min HE                      4 h 30 of HE open time after the record's first instant
//	+4h30min of HE                   the same
//	+10min                           10 minutes of wall-clock time after it
//	resolved +71h                    71 hours after the record's resolved instant
//	end_of_open_day(3) HO            the end of the third HO open day after its day
//	2027-03-01 08:00 +4h HE          steps after an absolute instant
//
// A relative instant counts from its record's first instant (a ticket's
// opened, a call's offered, an outage's start, a sample's at) or from the
// field it names. Steps apply from left to right; durations are the
// contract language's literals (4h, 30min, 1h30min, 90s). Open time is
// counted as the contract's clocks count it ([calendar.Calendar.Add]): from
// a closed instant it starts at the next opening, and a count that ends
// at a window's end stays there. Open time cannot be counted backwards.
//
// A Clock is immutable and safe for concurrent use.
type Clock struct {
	loc  *time.Location
	cals map[string]*calendar.Calendar
}

// NewClock returns the clock of a contract: its zone and its calendars.
func NewClock(c *contract.Contract) *Clock {
	k := &Clock{loc: c.Location(), cals: map[string]*calendar.Calendar{}}
	for _, name := range c.CalendarNames() {
		k.cals[name], _ = c.Calendar(name)
	}
	return k
}

// NewClockIn returns a clock of a time zone and of named calendars, for
// instants written without a contract.
func NewClockIn(loc *time.Location, calendars map[string]*calendar.Calendar) *Clock {
	return &Clock{loc: loc, cals: maps.Clone(calendars)}
}

// Location returns the contract's time zone.
func (k *Clock) Location() *time.Location { return k.loc }

// At reads an absolute instant, such as "Mon 2027-03-01 08:00" or
// "2027-03-01 08:00 +4h HE".
func (k *Clock) At(spec string) (time.Time, error) {
	return k.instant(spec, nil)
}

// After reads an instant relative to from, such as "+4h30min HE" or
// "end_of_open_day(3) HO"; an absolute instant is read as At reads it.
func (k *Clock) After(from time.Time, spec string) (time.Time, error) {
	return k.instant(spec, func(name string) (time.Time, error) {
		if name != "" {
			return time.Time{}, fmt.Errorf("unknown instant %q", name)
		}
		return from, nil
	})
}

// notationError is a fault in an instant or a value, at a rune offset of
// its text.
type notationError struct {
	offset    int
	msg, hint string
}

func (e *notationError) Error() string {
	if e.hint != "" {
		return e.msg + " (" + e.hint + ")"
	}
	return e.msg
}

// anchorFunc returns the instant a relative instant counts from: the
// named field of the same record, or, for "", the record's first instant.
type anchorFunc func(name string) (time.Time, error)

type token struct {
	text string
	off  int // rune offset in the spec
}

func tokenize(s string) []token {
	var out []token
	start := -1
	i := 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, token{string([]rune(s)[start:i]), start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i++
	}
	if start >= 0 {
		out = append(out, token{string([]rune(s)[start:]), start})
	}
	return out
}

const stepsHint = "steps are +4h (wall clock), +4h HE (open time of a calendar) and end_of_open_day(3) HO"

// instantExpr is an instant as written, read once and evaluated for each
// record it is written for.
type instantExpr struct {
	abs       time.Time // the absolute part; zero when it counts from a field
	anchor    string    // the field it counts from; "" for the record's first instant
	anchorOff int
	steps     []step
}

// step is one step of an instant: a wall-clock duration (signed), open
// time of a calendar, or the end of an open day of a calendar.
type step struct {
	text string
	off  int
	d    time.Duration
	cal  *calendar.Calendar
	days int // end_of_open_day(days) when > 0
}

// instant reads and evaluates spec; anchor is nil where no record gives
// an instant to count from.
func (k *Clock) instant(spec string, anchor anchorFunc) (time.Time, error) {
	e, err := k.parse(spec, anchor != nil, nil)
	if err != nil {
		return time.Time{}, err
	}
	return e.eval(anchor, 0)
}

// parse reads spec; relative says whether it may count from a field of
// its record.
func (k *Clock) parse(spec string, relative bool, consts constants) (*instantExpr, error) {
	toks := tokenize(spec)
	if len(toks) == 0 {
		return nil, &notationError{msg: "empty instant", hint: "write 2027-03-01 08:00, or +4h HE after the record's first instant"}
	}
	e := &instantExpr{}
	i := 0
	switch first := toks[0].text; {
	case isDateToken(first) || weekdayOf(first) >= 0:
		var err error
		if e.abs, i, err = k.absolute(toks); err != nil {
			return nil, err
		}
	case !relative:
		return nil, &notationError{offset: toks[0].off, msg: fmt.Sprintf("%q is not a date", first),
			hint: "write an instant such as 2027-03-01 08:00; only a record's instants may count from another"}
	case isStepToken(first):
	default:
		e.anchor, e.anchorOff, i = first, toks[0].off, 1
	}
	for i < len(toks) {
		st, next, err := k.step(toks, i, consts)
		if err != nil {
			return nil, err
		}
		e.steps, i = append(e.steps, st), next
	}
	return e, nil
}

// eval computes the instant; an absolute instant is moved by shift before
// its steps.
func (e *instantExpr) eval(anchor anchorFunc, shift time.Duration) (time.Time, error) {
	t := e.abs.Add(shift)
	if e.abs.IsZero() {
		var err error
		if t, err = anchor(e.anchor); err != nil {
			return time.Time{}, &notationError{offset: e.anchorOff, msg: err.Error()}
		}
	}
	for _, st := range e.steps {
		switch {
		case st.cal == nil:
			t = t.Add(st.d)
		case st.days > 0:
			t = st.cal.EndOfOpenDay(t, st.days)
		default:
			t = st.cal.Add(t, st.d)
		}
		if t.Equal(calendar.Never) {
			return t, &notationError{offset: st.off, msg: fmt.Sprintf("%s: the calendar has not that much open time", st.text)}
		}
	}
	return t, nil
}

func isDateToken(s string) bool {
	return len(s) >= 10 && s[4] == '-' && s[7] == '-' && isDigits(s[:4]) && isDigits(s[5:7]) && isDigits(s[8:10])
}

func isStepToken(s string) bool {
	return strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "end_of_open_day(")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var weekdays = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// weekdayOf reads Mon or Monday, in any case; −1 when s is no weekday.
func weekdayOf(s string) time.Weekday {
	s = strings.ToLower(strings.TrimSuffix(s, ","))
	for d, w := range weekdays {
		full := strings.ToLower(time.Weekday(d).String())
		if s == w || s == full {
			return time.Weekday(d)
		}
	}
	return -1
}

// absolute reads [weekday] date [time], or [weekday] dateTtime[offset],
// and returns the index of the first token after it.
func (k *Clock) absolute(toks []token) (time.Time, int, error) {
	i := 0
	wd := weekdayOf(toks[0].text)
	if wd >= 0 {
		i++
		if i == len(toks) {
			return time.Time{}, 0, &notationError{offset: toks[0].off, msg: "a weekday without its date", hint: "write Mon 2027-03-01 08:00"}
		}
	}
	dt := toks[i]
	var t time.Time
	var err error
	if strings.ContainsRune(dt.text, 'T') {
		t, err = k.dateTime(dt.text)
	} else {
		t, err = time.ParseInLocation(time.DateOnly, dt.text, k.loc)
		if err == nil && i+1 < len(toks) && isClockToken(toks[i+1].text) {
			i++
			var tod time.Time
			if tod, err = parseClock(toks[i].text); err == nil {
				t = civil.FirstOccurrence(time.Date(t.Year(), t.Month(), t.Day(), tod.Hour(), tod.Minute(), tod.Second(), 0, k.loc))
			} else {
				dt = toks[i]
			}
		}
	}
	if err != nil {
		return time.Time{}, 0, &notationError{offset: dt.off, msg: fmt.Sprintf("%q is not a date and time", dt.text),
			hint: "write 2027-03-01 08:00, 2027-03-01T08:00 or 2027-03-01T08:00:00+01:00"}
	}
	if wd >= 0 && t.Weekday() != wd {
		return time.Time{}, 0, &notationError{offset: toks[0].off,
			msg: fmt.Sprintf("%s is a %s, not a %s", t.Format(time.DateOnly), t.Weekday(), time.Weekday(wd))}
	}
	return t, i + 1, nil
}

func isClockToken(s string) bool {
	return len(s) >= 4 && s[0] >= '0' && s[0] <= '9' && strings.Contains(s, ":")
}

func parseClock(s string) (time.Time, error) {
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time of day %q", s)
}

func (k *Clock) dateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	// A local time of the hour repeated when clocks go back is its first
	// occurrence, as the readers of exports take it.
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, k.loc); err == nil {
			return civil.FirstOccurrence(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad instant %q", s)
}

// step reads the step that starts at toks[i], and returns the index of
// the token after it.
func (k *Clock) step(toks []token, i int, consts constants) (step, int, error) {
	tok := toks[i]
	st := step{text: tok.text, off: tok.off}
	if n, ok := strings.CutPrefix(tok.text, "end_of_open_day("); ok {
		days, err := strconv.Atoi(strings.TrimSuffix(n, ")"))
		if err != nil || !strings.HasSuffix(n, ")") || days < 1 {
			return st, i, &notationError{offset: tok.off, msg: fmt.Sprintf("bad %q", tok.text), hint: "write end_of_open_day(3) HO"}
		}
		cal, next, err := k.calendarAt(toks, i+1, true)
		st.cal, st.days = cal, days
		return st, next, err
	}
	sign := tok.text[:min(1, len(tok.text))]
	if sign != "+" && sign != "-" {
		return st, i, &notationError{offset: tok.off, msg: fmt.Sprintf("unexpected %q", tok.text), hint: stepsHint}
	}
	d, err := consts.duration(tok.text[1:])
	if err != nil {
		ne := &notationError{msg: err.Error()}
		errors.As(err, &ne)
		ne.offset = tok.off + 1
		return st, i, ne
	}
	cal, next, err := k.calendarAt(toks, i+1, false)
	if err != nil {
		return st, i, err
	}
	if sign == "-" {
		if cal != nil {
			return st, i, &notationError{offset: tok.off, msg: "open time is counted forwards only", hint: "write the earlier instant, and the later one as +" + tok.text[1:] + " from it"}
		}
		d = -d
	}
	st.d, st.cal = d, cal
	return st, next, nil
}

// calendarAt reads the calendar of a step, "HE" or "of HE", at toks[i].
func (k *Clock) calendarAt(toks []token, i int, required bool) (*calendar.Calendar, int, error) {
	of := i < len(toks) && toks[i].text == "of"
	if of {
		i++
	}
	if i < len(toks) {
		if cal, ok := k.cals[toks[i].text]; ok {
			return cal, i + 1, nil
		}
	}
	if !of && !required {
		return nil, i, nil
	}
	hint := "the contract's calendars: " + strings.Join(k.names(), ", ")
	if i >= len(toks) {
		return nil, i, &notationError{offset: toks[i-1].off, msg: "the step needs a calendar", hint: hint}
	}
	if s := diag.Suggest(toks[i].text, k.names()); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	return nil, i, &notationError{offset: toks[i].off, msg: fmt.Sprintf("unknown calendar %q", toks[i].text), hint: hint}
}

func (k *Clock) names() []string {
	return slices.Sorted(maps.Keys(k.cals))
}

// constants evaluates the constant expressions of the contract language:
// a duration (4h30min), a percentage (95%), a decimal (150.00), an
// integer, or arithmetic on them (3% * 18000). It keeps what it has
// evaluated, since a test file writes the same values many times and the
// language compiles each; a nil map keeps nothing.
type constants map[string]constantValue

type constantValue struct {
	v   any
	err error
}

func (m constants) value(text string) (any, error) {
	if c, ok := m[text]; ok {
		return c.v, c.err
	}
	var c constantValue
	c.v, c.err = dsl.Constant(text)
	if m != nil {
		m[text] = c
	}
	return c.v, c.err
}

// Duration reads a duration written in the contract language: 4h,
// 1h30min, 90s, 250ms. There is no day unit.
func Duration(text string) (time.Duration, error) { return constants(nil).duration(text) }

// Decimal reads an exact number written in the contract language: 150.00,
// 95% (0.95), or arithmetic on them (3% * 18000).
func Decimal(text string) (decimal.Decimal, error) { return constants(nil).decimal(text) }

func (m constants) duration(text string) (time.Duration, error) {
	v, err := m.value(text)
	if err != nil {
		return 0, literalError(text, err)
	}
	d, ok := v.(time.Duration)
	if !ok {
		return 0, fmt.Errorf("%q is not a duration: write 4h, 30min, 1h30min", text)
	}
	return d, nil
}

func (m constants) decimal(text string) (decimal.Decimal, error) {
	v, err := m.value(text)
	if err != nil {
		return decimal.Decimal{}, literalError(text, err)
	}
	switch x := v.(type) {
	case decimal.Decimal:
		return x, nil
	case int:
		return decimal.NewFromInt(int64(x)), nil
	}
	return decimal.Decimal{}, fmt.Errorf("%q is not a number", text)
}

// literalError keeps the message and hint of the language's first error,
// without its snippet: the caller places it in its own file.
func literalError(text string, err error) error {
	var e *dsl.Error
	if !errors.As(err, &e) {
		return err
	}
	return &notationError{msg: fmt.Sprintf("%q: %s", text, e.Msg), hint: e.Hint}
}
