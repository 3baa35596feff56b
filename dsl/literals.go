package dsl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// The literals of the language that expr does not have are rewritten before
// expr parses the source: each becomes a call of a typed function,
// __pacte_dur(i) for a duration and __pacte_dec(i) for a decimal, i being
// its index in the list of literals. Being typed from the first pass of
// expr's checker, they type the calls and operators around them right; a
// patch then replaces each by its constant. The rewrite keeps a list of
// edits so that positions in expr's messages map back to the text the
// author wrote.
//
// The literals:
//
//	4h, 30s, 15min, 1h30min, 250ms, 1.5h   durations (units ns, us, ms, s, min, h)
//	95%, 2.5%                              percentages: exact decimals (0.95, 0.025)
//	11.00, 0.1                             exact decimals, never floating point
//
// Day units do not exist: "a day" is 24 hours in some tools, a working day
// in others, so a contract must say which: calendar_days(3) for 72 hours,
// end_of_open_day(3) for the third open day.
//
// The rule that tells a percentage from the modulo operator: "%" is a
// percent sign when it directly follows a number, with no space between,
// and what comes after it cannot start an operand: the end of the
// expression, a closing bracket, a comma, or an operator ("95% * invoice",
// "achieved >= 95%", "5%-2%"). Otherwise it is the modulo operator:
// "n % 7", "n %7", "10%(3)". Writing modulo with spaces around it keeps
// both readings obvious.

// The names of the placeholder functions; names starting with __ are
// reserved.
const (
	placeholderPrefix = "__pacte"
	durationLiteral   = "__pacte_dur"
	decimalLiteral    = "__pacte_dec"
	untyped           = "__pacte_any" // see maybeNilPatcher
)

// rewritten is a source with its literals replaced by placeholders.
type rewritten struct {
	src      string
	literals []any // placeholder i is literals[i]: time.Duration or decimal.Decimal
	edits    []edit
}

// edit records that the runes [from, to) of the original became the runes
// [newFrom, newTo) of the rewritten source.
type edit struct{ from, to, newFrom, newTo int }

// originalOffset maps a rune offset in the rewritten source back to the
// original. An offset inside a placeholder maps to the literal's start.
func (r *rewritten) originalOffset(pos int) int {
	shift := 0
	for _, e := range r.edits {
		if pos < e.newFrom {
			break
		}
		if pos < e.newTo {
			return e.from
		}
		shift = e.to - e.newTo
	}
	return pos + shift
}

// literalError is a literal that cannot be read, at a rune offset of the
// original source.
type literalError struct {
	from, to int
	msg      string
	hint     string
}

func (e *literalError) Error() string { return e.msg }

var durationUnits = map[string]time.Duration{
	"ns":  time.Nanosecond,
	"us":  time.Microsecond,
	"µs":  time.Microsecond, // the micro sign, U+00B5
	"μs":  time.Microsecond, // the Greek letter mu, U+03BC
	"ms":  time.Millisecond,
	"s":   time.Second,
	"min": time.Minute,
	"h":   time.Hour,
}

func isIdentRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// binaryWords are the keyword operators that may follow a percentage.
var binaryWords = map[string]bool{
	"and": true, "or": true, "in": true, "not": true, "matches": true,
	"contains": true, "startsWith": true, "endsWith": true,
}

// rewriteLiterals scans src, skipping strings and comments, and replaces
// the durations, percentages and decimals it finds.
func rewriteLiterals(src string) (*rewritten, error) {
	rs := []rune(src)
	n := len(rs)
	out := &rewritten{}
	var b strings.Builder
	b.Grow(len(src) + 16)
	newPos := 0 // runes written to b
	copied := 0 // runes of rs copied to b
	flush := func(upTo int) {
		for _, r := range rs[copied:upTo] {
			b.WriteRune(r)
		}
		newPos += upTo - copied
		copied = upTo
	}
	replace := func(from, to int, v any) {
		flush(from)
		fn := decimalLiteral
		if _, ok := v.(time.Duration); ok {
			fn = durationLiteral
		}
		name := fmt.Sprintf("%s(%d)", fn, len(out.literals))
		out.literals = append(out.literals, v)
		b.WriteString(name)
		out.edits = append(out.edits, edit{from, to, newPos, newPos + len(name)})
		newPos += len(name)
		copied = to
	}

	i := 0
	for i < n {
		r := rs[i]
		switch {
		case r == '"' || r == '\'':
			i++
			for i < n && rs[i] != r {
				if rs[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case r == '`':
			i++
			for i < n && rs[i] != '`' {
				i++
			}
			i++
		case r == '/' && i+1 < n && rs[i+1] == '/':
			for i < n && rs[i] != '\n' {
				i++
			}
		case r == '/' && i+1 < n && rs[i+1] == '*':
			i += 2
			for i+1 < n && !(rs[i] == '*' && rs[i+1] == '/') {
				i++
			}
			i += 2
		case isIdentRune(r) && !isDigit(r):
			j := i
			for j < n && isIdentRune(rs[j]) {
				j++
			}
			if strings.HasPrefix(string(rs[i:j]), "__") {
				return nil, &literalError{from: i, to: j, msg: fmt.Sprintf("names starting with __ are reserved: %q", string(rs[i:j]))}
			}
			i = j
		case isDigit(r):
			end, err := scanNumberLiteral(rs, i, replace)
			if err != nil {
				return nil, err
			}
			i = end
		default:
			i++
		}
	}
	flush(n)
	out.src = b.String()
	return out, nil
}

// scanNumberLiteral reads the number at rs[i] and its suffix, replacing it
// when it is a duration, a percentage or a decimal. It returns where the
// scan goes on.
func scanNumberLiteral(rs []rune, i int, replace func(from, to int, v any)) (int, error) {
	n := len(rs)
	// Hexadecimal, octal and binary integers stay as they are.
	if rs[i] == '0' && i+1 < n && strings.ContainsRune("xXoObB", rs[i+1]) {
		j := i + 2
		for j < n && (isIdentRune(rs[j])) {
			j++
		}
		return j, nil
	}
	j, fraction := scanDecimalDigits(rs, i)
	exponent := false
	if j < n && (rs[j] == 'e' || rs[j] == 'E') {
		k := j + 1
		if k < n && (rs[k] == '+' || rs[k] == '-') {
			k++
		}
		if k < n && isDigit(rs[k]) {
			for k < n && (isDigit(rs[k]) || rs[k] == '_') {
				k++
			}
			j, exponent = k, true
		}
	}
	text := strings.ReplaceAll(string(rs[i:j]), "_", "")

	// A unit letter right after the number: a duration.
	if j < n && unicode.IsLetter(rs[j]) && !exponent {
		return scanDuration(rs, i, replace)
	}
	if j < n && rs[j] == '%' && percentFollows(rs, j+1) {
		v, err := decimal.NewFromString(text)
		if err != nil {
			return 0, &literalError{from: i, to: j + 1, msg: fmt.Sprintf("bad percentage %q", string(rs[i:j+1]))}
		}
		v = v.Shift(-2)
		if exact.CheckDecimal(v) != nil {
			return 0, digitsError(rs, i, j+1)
		}
		replace(i, j+1, v)
		return j + 1, nil
	}
	if fraction || exponent {
		v, err := decimal.NewFromString(text)
		if err != nil {
			return 0, &literalError{from: i, to: j, msg: fmt.Sprintf("bad decimal number %q", string(rs[i:j]))}
		}
		if exact.CheckDecimal(v) != nil {
			return 0, digitsError(rs, i, j)
		}
		replace(i, j, v)
		return j, nil
	}
	if _, err := strconv.ParseInt(text, 10, 64); err != nil {
		return 0, &literalError{from: i, to: j, msg: fmt.Sprintf("integer %s is out of range (at most %d)", text, int64(math.MaxInt64)),
			hint: fmt.Sprintf("write a larger number as a decimal: %s.0", text)}
	}
	return j, nil
}

func digitsError(rs []rune, from, to int) error {
	return &literalError{from: from, to: to, msg: fmt.Sprintf("decimal %s is out of range: the language computes with at most %d digits", string(rs[from:to]), exact.MaxDigits)}
}

// scanDecimalDigits reads digits, underscores and a fraction. A dot
// followed by another dot is a range (1..3), not a fraction.
func scanDecimalDigits(rs []rune, i int) (end int, fraction bool) {
	n := len(rs)
	j := i
	for j < n && (isDigit(rs[j]) || rs[j] == '_') {
		j++
	}
	if j+1 < n && rs[j] == '.' && isDigit(rs[j+1]) {
		j++
		for j < n && (isDigit(rs[j]) || rs[j] == '_') {
			j++
		}
		fraction = true
	}
	return j, fraction
}

// percentFollows reports whether a "%" whose next rune is at k is a
// percent sign: nothing after it can start an operand.
func percentFollows(rs []rune, k int) bool {
	n := len(rs)
	for k < n && unicode.IsSpace(rs[k]) {
		k++
	}
	if k >= n {
		return true
	}
	r := rs[k]
	switch {
	case isDigit(r), r == '(', r == '[', r == '{', r == '"', r == '\'', r == '`', r == '$', r == '#', r == '.':
		return false
	case r == '!':
		return k+1 < n && rs[k+1] == '='
	case isIdentRune(r):
		j := k
		for j < n && isIdentRune(rs[j]) {
			j++
		}
		return binaryWords[string(rs[k:j])]
	}
	return true
}

// scanDuration reads a chain of number-unit pairs such as 1h30min.
func scanDuration(rs []rune, i int, replace func(from, to int, v any)) (int, error) {
	n := len(rs)
	start := i
	var total decimal.Decimal
	for i < n && isDigit(rs[i]) {
		j, _ := scanDecimalDigits(rs, i)
		num, err := decimal.NewFromString(strings.ReplaceAll(string(rs[i:j]), "_", ""))
		if err != nil {
			return 0, &literalError{from: i, to: j, msg: fmt.Sprintf("bad number %q", string(rs[i:j]))}
		}
		k := j
		for k < n && unicode.IsLetter(rs[k]) {
			k++
		}
		unit := string(rs[j:k])
		size, ok := durationUnits[unit]
		if !ok {
			return 0, unitError(rs, start, j, k, unit)
		}
		total = total.Add(num.Mul(decimal.NewFromInt(int64(size))))
		i = k
	}
	if i < n && (isIdentRune(rs[i]) || rs[i] == '.') {
		j := i
		for j < n && (isIdentRune(rs[j]) || rs[j] == '.') {
			j++
		}
		return 0, &literalError{from: start, to: j, msg: fmt.Sprintf("bad duration %q", string(rs[start:j])),
			hint: "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s"}
	}
	if !total.IsInteger() {
		return 0, &literalError{from: start, to: i, msg: fmt.Sprintf("duration %q is not a whole number of nanoseconds", string(rs[start:i]))}
	}
	if total.GreaterThan(decimal.NewFromInt(int64(maxDuration))) {
		return 0, &literalError{from: start, to: i, msg: fmt.Sprintf("duration %q is too long (more than 290 years)", string(rs[start:i]))}
	}
	replace(start, i, time.Duration(total.IntPart()))
	return i, nil
}

const maxDuration = time.Duration(1<<63 - 1)

func unitError(rs []rune, start, from, to int, unit string) error {
	e := &literalError{from: start, to: to, msg: fmt.Sprintf("unknown duration unit %q in %q", unit, string(rs[start:to]))}
	switch strings.ToLower(unit) {
	case "":
		e.msg = fmt.Sprintf("a number without its unit in %q", string(rs[start:to]))
		e.hint = "give each number its unit: 1h30min"
	case "d", "day", "days", "j", "jours", "w", "wk", "week", "weeks", "mo", "month", "months", "y", "year", "years":
		e.hint = "day units are explicit: calendar_days(3) is 72 hours, end_of_open_day(3) the end of the third open day, 27h is 27 hours of open time"
	case "m":
		e.hint = `"m" could be minutes or months: write min for minutes`
	case "hr", "hrs", "hour", "hours":
		e.hint = "write h for hours: 4h"
	case "mn", "mins", "minute", "minutes":
		e.hint = "write min for minutes: 15min"
	case "sec", "secs", "second", "seconds":
		e.hint = "write s for seconds: 30s"
	default:
		e.hint = "units are ns, us, ms, s, min and h"
	}
	_ = from
	return e
}
