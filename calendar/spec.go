package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SpecError is a calendar spec that does not parse. Column counts
// characters from 1; Offset is the same place in bytes.
type SpecError struct {
	Spec   string
	Offset int
	Column int
	Msg    string
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("calendar spec, column %d: %s", e.Column, e.Msg)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *SpecError) Unwrap() error { return ErrInvalid }

// Parse reads a one-line calendar spec. Clauses are separated by
// semicolons, in any order:
//
//	mon-fri 08:00-12:30,13:30-18:00   open windows on days (ranges and lists: mon-wed,fri)
//	sat                               a day without windows is open all day
//	24x7                              every day, all day
//	holidays FR FR-67                 closed on the holidays of these places (see HolidayCodes)
//	closed 2027-05-17                 closed that day; "every 12-24" for every year;
//	closed every 12-24 14:00-24:00    windows close part of the day; several separated by commas
//	open 2027-05-17                   the holiday of that day is worked on its usual windows
//	open 2027-12-26 09:00-12:00       open these windows that day, holiday or not
//	tz Europe/Paris                   IANA time zone of the windows (default UTC)
//
// A spec that starts with "not" is the complement of the rest: "not
// mon-fri 08:00-18:00; holidays FR; tz Europe/Paris" is open whenever the
// business hours are closed. Keywords and day names are case-insensitive.
// Windows are half-open and may end at 24:00; a window across midnight is
// written as two, "mon-fri 22:00-24:00; tue-sat 00:00-06:00". See
// [Exception] for how holidays and exceptions combine: an "open" date
// without windows whose weekday has none is refused, since it would open
// nothing.
//
// A spec that does not parse returns a [*SpecError] naming the column and
// what was expected there.
func Parse(spec string) (*Calendar, error) { return ParseIn(spec, time.UTC) }

// ParseIn is [Parse] with the time zone to use when the spec has no tz
// clause, such as a contract's zone.
func ParseIn(spec string, zone *time.Location) (*Calendar, error) {
	if zone == nil {
		zone = time.UTC
	}
	p := &specParser{spec: spec, toks: tokenize(spec)}
	d := definition{loc: zone}
	if err := p.parse(&d); err != nil {
		return nil, err
	}
	if i, msg := d.idleOpening(); msg != "" {
		return nil, p.errAt(p.exceptionAt[i], "%s", msg)
	}
	return build(d), nil
}

// MustParse is [Parse] for specs known to be good, such as constants in
// tests and examples; it panics on error.
func MustParse(spec string) *Calendar {
	c, err := Parse(spec)
	if err != nil {
		panic(err)
	}
	return c
}

type token struct {
	text string
	off  int
}

// tokenize splits a spec into words and the separators ';' and ','.
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == ';' || c == ',':
			toks = append(toks, token{s[i : i+1], i})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r;,", rune(s[j])) {
				j++
			}
			toks = append(toks, token{s[i:j], i})
			i = j
		}
	}
	return toks
}

type specParser struct {
	spec string
	toks []token
	pos  int
	// exceptionAt is the offset of each exception of the definition.
	exceptionAt []int
	zoned       bool // a tz clause was read
}

func (p *specParser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{off: len(p.spec)}, false
}

func (p *specParser) next() (token, bool) {
	t, ok := p.peek()
	if ok {
		p.pos++
	}
	return t, ok
}

func (p *specParser) errAt(off int, format string, args ...any) error {
	return &SpecError{
		Spec:   p.spec,
		Offset: off,
		Column: utf8.RuneCountInString(p.spec[:off]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// expected reports what was expected at the current token.
func (p *specParser) expected(what string) error {
	t, ok := p.peek()
	if !ok {
		return p.errAt(t.off, "expected %s, found the end of the spec", what)
	}
	return p.errAt(t.off, "expected %s, found %q", what, t.text)
}

func (p *specParser) parse(d *definition) error {
	for {
		t, ok := p.peek()
		if !ok || !strings.EqualFold(t.text, "not") {
			break
		}
		p.pos++
		d.inverted = !d.inverted
	}
	if _, ok := p.peek(); !ok {
		return p.expected("a clause (a weekday, 24x7, holidays, closed, open or tz)")
	}
	for {
		if t, ok := p.peek(); ok && t.text != ";" {
			if err := p.clause(d); err != nil {
				return err
			}
		}
		t, ok := p.next()
		if !ok {
			return nil
		}
		if t.text != ";" {
			p.pos--
			return p.expected(`";" between clauses`)
		}
	}
}

const clauseWords = `a weekday (mon…sun), "24x7", "holidays", "closed", "open" or "tz"`

func (p *specParser) clause(d *definition) error {
	t, _ := p.peek()
	word := strings.ToLower(t.text)
	switch {
	case word == "24x7":
		p.pos++
		for i := range d.week {
			d.week[i] = append(d.week[i], WholeDay)
		}
		return nil
	case word == "holidays":
		p.pos++
		return p.holidays(d)
	case word == "tz":
		if p.zoned {
			return p.errAt(t.off, "a second tz clause: a calendar has one time zone")
		}
		p.pos++
		p.zoned = true
		return p.zone(d)
	case word == "closed" || word == "open":
		p.pos++
		return p.exceptions(d, word == "open")
	case startsWithDay(word):
		return p.schedule(d)
	}
	return p.expected(clauseWords)
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// dayOrder is the order days are printed in: Monday first.
var dayOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func dayIndex(s string) (time.Weekday, bool) {
	i := slices.Index(dayNames[:], strings.ToLower(s))
	return time.Weekday(i), i >= 0
}

func startsWithDay(word string) bool {
	name, _, _ := strings.Cut(word, "-")
	_, ok := dayIndex(name)
	return ok
}

// schedule reads "mon-fri,sat 08:00-12:00,13:00-18:00".
func (p *specParser) schedule(d *definition) error {
	var days []time.Weekday
	for {
		t, ok := p.next()
		if !ok {
			return p.expected("a weekday (mon…sun)")
		}
		from, to, isRange := strings.Cut(t.text, "-")
		a, ok := dayIndex(from)
		if !ok {
			return p.errAt(t.off, "expected a weekday (mon…sun), found %q", from)
		}
		b := a
		if isRange {
			if b, ok = dayIndex(to); !ok {
				return p.errAt(t.off+len(from)+1, "expected a weekday (mon…sun) after %q, found %q", from+"-", to)
			}
		}
		// Ranges follow the week from Monday: mon-sun is every day, sat-mon
		// wraps over Sunday.
		for day := a; ; day = (day + 1) % 7 {
			days = append(days, day)
			if day == b {
				break
			}
		}
		if !p.acceptCommaBefore(func(s string) bool { return startsWithDay(strings.ToLower(s)) }) {
			break
		}
	}
	windows := []Window{WholeDay}
	if t, ok := p.peek(); ok && looksLikeWindow(t.text) {
		var err error
		if windows, err = p.windows(); err != nil {
			return err
		}
	} else if ok && t.text != ";" {
		return p.expected(`a window "hh:mm-hh:mm" or ";"`)
	}
	for _, day := range days {
		d.week[day] = append(d.week[day], windows...)
	}
	return nil
}

// acceptCommaBefore consumes a comma when the word after it satisfies
// want, and reports whether it did.
func (p *specParser) acceptCommaBefore(want func(string) bool) bool {
	if p.pos+1 < len(p.toks) && p.toks[p.pos].text == "," && want(p.toks[p.pos+1].text) {
		p.pos++
		return true
	}
	return false
}

func looksLikeWindow(s string) bool {
	return len(s) > 0 && s[0] >= '0' && s[0] <= '9' && strings.Contains(s, ":")
}

// windows reads "08:00-12:30,13:30-18:00".
func (p *specParser) windows() ([]Window, error) {
	var out []Window
	for {
		t, ok := p.next()
		if !ok {
			return nil, p.expected(`a window "hh:mm-hh:mm"`)
		}
		from, to, found := strings.Cut(t.text, "-")
		if !found {
			return nil, p.errAt(t.off, `expected a window "hh:mm-hh:mm", found %q`, t.text)
		}
		start, err := p.timeOfDay(from, t.off)
		if err != nil {
			return nil, err
		}
		endOff := t.off + len(from) + 1
		end, err := p.timeOfDay(to, endOff)
		if err != nil {
			return nil, err
		}
		if start == EndOfDay {
			return nil, p.errAt(t.off, "a window cannot start at 24:00")
		}
		if end <= start {
			if end < start {
				return nil, p.errAt(endOff, "a window ends on the day it starts: write %s-24:00 on its days and 00:00-%s on the days after", start, end)
			}
			return nil, p.errAt(endOff, "expected the end of the window after %s, found %q", start, to)
		}
		out = append(out, Window{start, end})
		if !p.acceptCommaBefore(looksLikeWindow) {
			return out, nil
		}
	}
}

// timeOfDay reads "hh:mm" or "hh:mm:ss", from 00:00 to 24:00.
func (p *specParser) timeOfDay(s string, off int) (TimeOfDay, error) {
	bad := func() (TimeOfDay, error) {
		return 0, p.errAt(off, `expected a time of day "hh:mm" between 00:00 and 24:00, found %q`, s)
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return bad()
	}
	var v [3]int
	for i, part := range parts {
		if len(part) == 0 || len(part) > 2 || (i > 0 && len(part) != 2) {
			return bad()
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return bad()
		}
		v[i] = n
	}
	if v[1] > 59 || v[2] > 59 || v[0] > 24 || (v[0] == 24 && (v[1] != 0 || v[2] != 0)) {
		return bad()
	}
	return TimeOfDay(v[0]*3600 + v[1]*60 + v[2]), nil
}

func (p *specParser) holidays(d *definition) error {
	n := 0
	for {
		t, ok := p.peek()
		if !ok || t.text == ";" {
			break
		}
		if t.text == "," {
			p.pos++ // "holidays FR, FR-67" reads as well
			continue
		}
		code := strings.ToUpper(t.text)
		if _, known := Holidays(code); !known {
			return p.errAt(t.off, "expected a holiday code such as FR or FR-67, found %q (codes: %s)", t.text, strings.Join(HolidayCodes(), " "))
		}
		d.codes = append(d.codes, code)
		p.pos++
		n++
	}
	if n == 0 {
		return p.expected("a holiday code such as FR")
	}
	return nil
}

func (p *specParser) zone(d *definition) error {
	t, ok := p.next()
	if !ok || t.text == ";" {
		if ok {
			p.pos--
		}
		return p.expected("an IANA time zone such as Europe/Paris")
	}
	if strings.EqualFold(t.text, "local") {
		return p.errAt(t.off, "expected an IANA time zone such as Europe/Paris, found %q: the machine's zone would make results depend on where they are computed", t.text)
	}
	loc, err := time.LoadLocation(t.text)
	if err != nil {
		return p.errAt(t.off, "expected an IANA time zone such as Europe/Paris, found %q", t.text)
	}
	d.loc = loc
	return nil
}

// exceptions reads "2027-05-17, every 12-24 14:00-24:00".
func (p *specParser) exceptions(d *definition, open bool) error {
	for {
		e := Exception{Open: open}
		t, ok := p.next()
		if !ok || t.text == ";" || t.text == "," {
			if ok {
				p.pos--
			}
			return p.expected(`a date "yyyy-mm-dd" or "every mm-dd"`)
		}
		p.exceptionAt = append(p.exceptionAt, t.off)
		if strings.EqualFold(t.text, "every") {
			e.Every = true
			if t, ok = p.next(); !ok {
				return p.expected(`a date "mm-dd" after "every"`)
			}
			m, day, err := p.monthDay(t)
			if err != nil {
				return err
			}
			e.Date = Date{Month: m, Day: day}
		} else {
			date, err := time.Parse("2006-01-02", t.text)
			if err != nil || date.Year() < MinYear || date.Year() > MaxYear {
				return p.errAt(t.off, `expected a date "yyyy-mm-dd" (%d to %d) or "every mm-dd", found %q`, MinYear, MaxYear, t.text)
			}
			e.Date = Date{date.Year(), date.Month(), date.Day()}
		}
		if next, ok := p.peek(); ok && looksLikeWindow(next.text) {
			ws, err := p.windows()
			if err != nil {
				return err
			}
			e.Windows = ws
		}
		d.exceptions = append(d.exceptions, e)
		if !p.acceptCommaBefore(func(string) bool { return true }) {
			return nil
		}
	}
}

func (p *specParser) monthDay(t token) (time.Month, int, error) {
	date, err := time.Parse("2006-01-02", "2000-"+t.text) // 2000 is a leap year
	if err != nil || len(t.text) != 5 {
		return 0, 0, p.errAt(t.off, `expected a date "mm-dd" after "every", found %q`, t.text)
	}
	return date.Month(), date.Day(), nil
}

// String returns the calendar's spec in canonical form: days from Monday,
// windows sorted and merged, holiday codes and exceptions sorted, the zone
// always given. It parses back to an equal calendar.
func (c *Calendar) String() string {
	d := &c.def
	var clauses []string
	if s := d.scheduleString(); s != "" {
		clauses = append(clauses, s)
	}
	if len(d.codes) > 0 {
		clauses = append(clauses, "holidays "+strings.Join(d.codes, " "))
	}
	for _, open := range []bool{false, true} {
		var list []string
		for _, e := range d.exceptions {
			if e.Open == open {
				list = append(list, e.String())
			}
		}
		if len(list) > 0 {
			word := "closed "
			if open {
				word = "open "
			}
			clauses = append(clauses, word+strings.Join(list, ", "))
		}
	}
	clauses = append(clauses, "tz "+d.loc.String())
	s := strings.Join(clauses, "; ")
	if d.inverted {
		s = "not " + s
	}
	return s
}

func (d *definition) scheduleString() string {
	always := true
	for _, ws := range d.week {
		always = always && len(ws) == 1 && ws[0] == WholeDay
	}
	if always {
		return "24x7"
	}
	// Group the days that share windows, in order of first appearance
	// from Monday, then print each group's days as ranges.
	type group struct {
		windows []Window
		days    []int // positions in dayOrder
	}
	var groups []group
	for pos, day := range dayOrder {
		ws := d.week[day]
		if len(ws) == 0 {
			continue
		}
		i := slices.IndexFunc(groups, func(g group) bool { return slices.Equal(g.windows, ws) })
		if i < 0 {
			groups = append(groups, group{windows: ws})
			i = len(groups) - 1
		}
		groups[i].days = append(groups[i].days, pos)
	}
	var clauses []string
	for _, g := range groups {
		var ranges []string
		for i := 0; i < len(g.days); {
			j := i
			for j+1 < len(g.days) && g.days[j+1] == g.days[j]+1 {
				j++
			}
			r := dayNames[dayOrder[g.days[i]]]
			if j > i {
				r += "-" + dayNames[dayOrder[g.days[j]]]
			}
			ranges = append(ranges, r)
			i = j + 1
		}
		ws := make([]string, len(g.windows))
		for i, w := range g.windows {
			ws[i] = w.String()
		}
		clauses = append(clauses, strings.Join(ranges, ",")+" "+strings.Join(ws, ","))
	}
	return strings.Join(clauses, "; ")
}
