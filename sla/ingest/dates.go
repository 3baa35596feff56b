package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/internal/civil"
)

// dateFormat is one entry of Mapping.Dates, resolved.
type dateFormat struct {
	builtin builtinDate
	layout  string // Go layout when builtin is goLayout
	zoned   bool   // the layout writes a zone, so its instants name one
}

type builtinDate uint8

const (
	goLayout builtinDate = iota
	isoDate
	dmyDate
	mdyDate
)

func parseDateFormat(s string) (dateFormat, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "iso", "iso8601", "rfc3339":
		return dateFormat{builtin: isoDate}, nil
	case "dmy":
		return dateFormat{builtin: dmyDate}, nil
	case "mdy":
		return dateFormat{builtin: mdyDate}, nil
	}
	// A layout must carry a full date: check that a reference instant
	// survives a round trip through it.
	ref := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	back, err := time.Parse(s, ref.Format(s))
	if err != nil || back.Year() != 2001 || back.Month() != 2 || back.Day() != 3 {
		return dateFormat{}, fmt.Errorf("%q is neither iso, dmy, mdy nor a Go time layout with a year, month and day (such as \"02/01/2006 15:04\")", s)
	}
	// A layout that writes a zone formats the same wall clock in two
	// zones differently.
	elsewhere := time.Date(2001, 2, 3, 4, 5, 6, 0, time.FixedZone("ZZZ", 5*3600+7*60))
	zoned := ref.Format(s) != elsewhere.Format(s)
	return dateFormat{layout: s, zoned: zoned}, nil
}

// parseTime reads v with the first format that accepts it. The built-in
// formats are parsed by hand: time.Parse costs several times more, and
// dates are most of the work of reading a ticket.
func (c *compiled) parseTime(v string, loc *time.Location) (time.Time, error) {
	for _, df := range c.dates {
		switch df.builtin {
		case isoDate:
			if t, ok := parseISO(v, loc); ok {
				return t, nil
			}
		case dmyDate:
			if t, ok := parseNumericDate(v, loc, false); ok {
				return t, nil
			}
		case mdyDate:
			if t, ok := parseNumericDate(v, loc, true); ok {
				return t, nil
			}
		default:
			if t, err := time.ParseInLocation(df.layout, v, loc); err == nil {
				if !df.zoned {
					return civil.FirstOccurrence(t), nil
				}
				if name := unknownZone(t, loc); name != "" {
					return time.Time{}, fmt.Errorf("%w: %q names the zone %q, which %s does not use: its offset is unknown (write it as an offset such as +01:00, or read the export in the zone it names)", ErrDate, v, name, loc)
				}
				return t.In(loc), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q (formats tried: %s)", ErrDate, v, c.dateNames)
}

// unknownZone returns the zone abbreviation of an instant parsed in loc
// that loc does not know, "" when the instant's offset is known.
// time.ParseInLocation reads such an abbreviation ("EST" in
// Europe/Paris) as an offset of zero, which would shift the instant by
// hours without a word.
func unknownZone(t time.Time, loc *time.Location) string {
	name, offset := t.Zone()
	if offset != 0 || name == "" || name == "UTC" || strings.HasPrefix(name, "GMT") || t.Location() == loc {
		return ""
	}
	return name
}

// parseISO reads YYYY-MM-DD, then optionally a time and a zone.
func parseISO(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := fixedDigits(s[0:4])
	mo, ok2 := fixedDigits(s[5:7])
	d, ok3 := fixedDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	return clockAndZone(y, mo, d, s[10:], loc)
}

// parseNumericDate reads D/M/YYYY (or M/D/YYYY when monthFirst) with
// '/', '-' or '.' as separator and one- or two-digit day and month, as
// written by ServiceNow ("29/2/2016 01:16"), GLPI and spreadsheet tools.
func parseNumericDate(s string, loc *time.Location, monthFirst bool) (time.Time, bool) {
	a, n1 := shortDigits(s)
	if n1 == 0 || n1 >= len(s) {
		return time.Time{}, false
	}
	sep := s[n1]
	if sep != '/' && sep != '-' && sep != '.' {
		return time.Time{}, false
	}
	s = s[n1+1:]
	b, n2 := shortDigits(s)
	if n2 == 0 || n2 >= len(s) || s[n2] != sep {
		return time.Time{}, false
	}
	s = s[n2+1:]
	if len(s) < 4 {
		return time.Time{}, false
	}
	y, ok := fixedDigits(s[:4])
	if !ok || (len(s) > 4 && s[4] >= '0' && s[4] <= '9') {
		return time.Time{}, false
	}
	d, mo := a, b
	if monthFirst {
		d, mo = b, a
	}
	return clockAndZone(y, mo, d, s[4:], loc)
}

// clockAndZone reads what follows a date: nothing (midnight), or a
// separator ('T' or spaces), H:MM, optional :SS, optional fraction, and an
// optional zone. It validates the whole instant, so that 31/02 or 25:00
// is refused rather than normalised into another day by time.Date.
func clockAndZone(y, mo, d int, s string, loc *time.Location) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) {
		return time.Time{}, false
	}
	var h, mi, sec, nsec int
	zoned, offset := false, 0
	if s != "" {
		switch s[0] {
		case 'T', 't', ' ':
		default:
			return time.Time{}, false
		}
		s = strings.TrimLeft(s[1:], " ")
		var n int
		if h, n = shortDigits(s); n == 0 || len(s) < n+3 || s[n] != ':' {
			return time.Time{}, false
		}
		var ok bool
		if mi, ok = fixedDigits(s[n+1 : n+3]); !ok {
			return time.Time{}, false
		}
		s = s[n+3:]
		if len(s) >= 3 && s[0] == ':' {
			if sec, ok = fixedDigits(s[1:3]); !ok {
				return time.Time{}, false
			}
			s = s[3:]
			if len(s) > 1 && (s[0] == '.' || s[0] == ',') {
				i := 1
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					i++
				}
				if i == 1 || i > 10 {
					return time.Time{}, false
				}
				frac, _ := fixedDigits(s[1:i])
				for range 10 - i {
					frac *= 10
				}
				nsec, s = frac, s[i:]
			}
		}
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false
		}
		if s = strings.TrimLeft(s, " "); s != "" {
			if offset, ok = parseZone(s); !ok {
				return time.Time{}, false
			}
			zoned = true
		}
	}
	if zoned {
		return time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC).
			Add(-time.Duration(offset) * time.Second).In(loc), true
	}
	return civil.FirstOccurrence(time.Date(y, time.Month(mo), d, h, mi, sec, nsec, loc)), true
}

// parseZone reads Z, UTC, GMT, ±HH, ±HHMM and ±HH:MM into seconds east
// of UTC.
func parseZone(s string) (int, bool) {
	switch s {
	case "Z", "z", "UTC", "GMT":
		return 0, true
	}
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	hh, ok := fixedDigits(s[1:3])
	if !ok {
		return 0, false
	}
	mm := 0
	switch rest := s[3:]; {
	case rest == "":
	case len(rest) == 2:
		if mm, ok = fixedDigits(rest); !ok {
			return 0, false
		}
	case len(rest) == 3 && rest[0] == ':':
		if mm, ok = fixedDigits(rest[1:]); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if hh > 23 || mm > 59 {
		return 0, false
	}
	return sign * (hh*3600 + mm*60), true
}

// fixedDigits reads a string made only of ASCII digits.
func fixedDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// shortDigits reads the one or two leading digits of s; n is how many.
func shortDigits(s string) (v, n int) {
	for n < len(s) && n < 2 && s[n] >= '0' && s[n] <= '9' {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n == 2 && len(s) > 2 && s[2] >= '0' && s[2] <= '9' {
		return 0, 0
	}
	return v, n
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
