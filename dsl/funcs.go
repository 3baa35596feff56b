package dsl

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// QuotientPlaces is the number of decimal places a division keeps. The
// last one is rounded half away from zero: 1/3 is 0.3333333333333333 and
// 2/3 is 0.6666666666666667. Sixteen places are far beyond a cent of any
// invoice and a basis point of any objective; shares compared with an
// objective are compared exactly by the engine, without dividing.
const QuotientPlaces = 16

var decType = decimal.Decimal{}

// errDivisionByZero is the runtime error of x / 0.
var errDivisionByZero = errors.New("division by zero")

func divDecimal(a, b decimal.Decimal) (decimal.Decimal, error) {
	if b.IsZero() {
		return decimal.Decimal{}, errDivisionByZero
	}
	return a.DivRound(b, QuotientPlaces), nil
}

func decOf(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x, true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case time.Duration:
		return decimal.NewFromInt(int64(x)), true
	}
	return decimal.Decimal{}, false
}

// operator overloads: expr replaces a binary operator whose operand types
// match one of these signatures by a call to the function.
var overloads = []struct {
	op, fn string
	types  []any
	impl   func(a, b any) (any, error)
}{
	{"+", "__add", decSigs(decType), func(a, b any) (any, error) { x, y := decPair(a, b); return x.Add(y), nil }},
	{"-", "__sub", decSigs(decType), func(a, b any) (any, error) { x, y := decPair(a, b); return x.Sub(y), nil }},
	{"*", "__mul", append(decSigs(decType),
		new(func(time.Duration, decimal.Decimal) time.Duration),
		new(func(decimal.Decimal, time.Duration) time.Duration)),
		mulAny},
	{"/", "__div", append(decSigs(decType),
		new(func(int, int) decimal.Decimal),
		new(func(time.Duration, time.Duration) decimal.Decimal),
		new(func(time.Duration, int) time.Duration),
		new(func(time.Duration, decimal.Decimal) time.Duration)),
		divAny},
	{"<", "__lt", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return x.LessThan(y), nil }},
	{"<=", "__le", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return x.LessThanOrEqual(y), nil }},
	{">", "__gt", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return x.GreaterThan(y), nil }},
	{">=", "__ge", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return x.GreaterThanOrEqual(y), nil }},
	// == and != compare values, not representations: 1.10 == 1.1, and
	// instants in different zones are equal when they are the same instant.
	{"==", "__eq", append(decSigs(true), new(func(time.Time, time.Time) bool)), func(a, b any) (any, error) { return equalAny(a, b), nil }},
	{"!=", "__ne", append(decSigs(true), new(func(time.Time, time.Time) bool)), func(a, b any) (any, error) { return !equalAny(a, b), nil }},
}

// decSigs lists the signatures (decimal, decimal), (decimal, int) and
// (int, decimal) returning the type of ret.
func decSigs(ret any) []any {
	switch ret.(type) {
	case bool:
		return []any{
			new(func(decimal.Decimal, decimal.Decimal) bool),
			new(func(decimal.Decimal, int) bool),
			new(func(int, decimal.Decimal) bool),
		}
	default:
		return []any{
			new(func(decimal.Decimal, decimal.Decimal) decimal.Decimal),
			new(func(decimal.Decimal, int) decimal.Decimal),
			new(func(int, decimal.Decimal) decimal.Decimal),
		}
	}
}

func decPair(a, b any) (decimal.Decimal, decimal.Decimal) {
	x, _ := decOf(a)
	y, _ := decOf(b)
	return x, y
}

func mulAny(a, b any) (any, error) {
	switch x := a.(type) {
	case time.Duration:
		return scaleDuration(x, b.(decimal.Decimal))
	default:
		if d, ok := b.(time.Duration); ok {
			return scaleDuration(d, a.(decimal.Decimal))
		}
	}
	x, y := decPair(a, b)
	return x.Mul(y), nil
}

// scaleDuration multiplies a duration by a decimal, rounding to the
// nanosecond half away from zero.
func scaleDuration(d time.Duration, k decimal.Decimal) (time.Duration, error) {
	v := decimal.NewFromInt(int64(d)).Mul(k).Round(0)
	if !v.IsInteger() || v.Abs().GreaterThan(decimal.NewFromInt(int64(maxDuration))) {
		return 0, fmt.Errorf("duration %s × %s is out of range", d, k)
	}
	return time.Duration(v.IntPart()), nil
}

func divAny(a, b any) (any, error) {
	if d, ok := a.(time.Duration); ok {
		switch y := b.(type) {
		case time.Duration:
			return divDecimal(decimal.NewFromInt(int64(d)), decimal.NewFromInt(int64(y)))
		case int:
			if y == 0 {
				return nil, errDivisionByZero
			}
			q := decimal.NewFromInt(int64(d)).DivRound(decimal.NewFromInt(int64(y)), 0)
			return time.Duration(q.IntPart()), nil
		case decimal.Decimal:
			if y.IsZero() {
				return nil, errDivisionByZero
			}
			return scaleDuration(d, decimal.NewFromInt(1).DivRound(y, QuotientPlaces*2))
		}
	}
	x, y := decPair(a, b)
	return divDecimal(x, y)
}

func equalAny(a, b any) bool {
	if t, ok := a.(time.Time); ok {
		return t.Equal(b.(time.Time))
	}
	x, y := decPair(a, b)
	return x.Equal(y)
}

// funcDef is a function of the language.
type funcDef struct {
	name string
	doc  string // one line, for the reference
	// env: the function reads the record or the period, and receives the
	// environment as its first argument; expressions do not write it.
	env bool
	// calendar: the function's first argument may name a calendar; without
	// it, the rule's calendar applies.
	calendar bool
	types    []any // signatures for the checker, as seen after the rewrite
	impl     func(c *config, args []any) (any, error)
}

// functions returns the library of the language, bound to a compile
// configuration (its calendars). Builtins of expr that would compute with
// floating point, or read the wall clock, are replaced or disabled.
func functions() []funcDef {
	var defs []funcDef
	add := func(f funcDef) { defs = append(defs, f) }

	add(funcDef{name: "ceil", doc: "ceil(x): the smallest integer ≥ x; ceil(d, unit): d rounded up to a multiple of unit",
		types: []any{new(func(decimal.Decimal) decimal.Decimal), new(func(int) int), new(func(time.Duration, time.Duration) time.Duration)},
		impl:  func(_ *config, a []any) (any, error) { return roundAny(a, "ceil") }})
	add(funcDef{name: "floor", doc: "floor(x): the largest integer ≤ x; floor(d, unit): d rounded down to a multiple of unit",
		types: []any{new(func(decimal.Decimal) decimal.Decimal), new(func(int) int), new(func(time.Duration, time.Duration) time.Duration)},
		impl:  func(_ *config, a []any) (any, error) { return roundAny(a, "floor") }})
	add(funcDef{name: "round", doc: "round(x), round(x, places): half away from zero; round(d, unit): to the nearest multiple of unit",
		types: []any{new(func(decimal.Decimal) decimal.Decimal), new(func(decimal.Decimal, int) decimal.Decimal), new(func(int) int), new(func(time.Duration, time.Duration) time.Duration)},
		impl:  func(_ *config, a []any) (any, error) { return roundAny(a, "round") }})
	for _, name := range []string{"min", "max"} {
		add(funcDef{name: name, doc: name + "(a, b): of two decimals, integers, durations or instants",
			types: []any{
				new(func(decimal.Decimal, decimal.Decimal) decimal.Decimal), new(func(decimal.Decimal, int) decimal.Decimal),
				new(func(int, decimal.Decimal) decimal.Decimal), new(func(int, int) int),
				new(func(time.Duration, time.Duration) time.Duration), new(func(time.Time, time.Time) time.Time),
			},
			impl: func(_ *config, a []any) (any, error) { return minMax(name, a[0], a[1]), nil }})
	}
	add(funcDef{name: "abs", doc: "abs(x): of a decimal, an integer or a duration",
		types: []any{new(func(decimal.Decimal) decimal.Decimal), new(func(int) int), new(func(time.Duration) time.Duration)},
		impl: func(_ *config, a []any) (any, error) {
			switch x := a[0].(type) {
			case decimal.Decimal:
				return x.Abs(), nil
			case int:
				return max(x, -x), nil
			default:
				d := a[0].(time.Duration)
				return max(d, -d), nil
			}
		}})
	add(funcDef{name: "decimal", doc: `decimal("4,5"): a decimal read from text (a record's attribute), with a dot or a comma`,
		types: []any{new(func(string) decimal.Decimal)},
		impl:  func(_ *config, a []any) (any, error) { return parseDecimal(a[0].(string)) }})
	add(funcDef{name: "calendar_days", doc: "calendar_days(n): n × 24 hours of calendar time",
		types: []any{new(func(int) time.Duration)},
		impl:  func(_ *config, a []any) (any, error) { return calendarDays(a[0].(int)) }})
	add(funcDef{name: "sum", doc: "sum(list): of durations, decimals or integers",
		types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) int)},
		impl:  func(_ *config, a []any) (any, error) { return aggregate("sum", a[0], 0) }})
	add(funcDef{name: "mean", doc: "mean(list): of durations (to the nanosecond) or decimals",
		types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) decimal.Decimal)},
		impl:  func(_ *config, a []any) (any, error) { return aggregate("mean", a[0], 0) }})
	add(funcDef{name: "median", doc: "median(list): the 50th percentile, by nearest rank",
		types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) int)},
		impl:  func(_ *config, a []any) (any, error) { return aggregate("percentile", a[0], 50) }})
	add(funcDef{name: "percentile", doc: "percentile(list, p): the value at nearest rank ceil(p/100 × n)",
		types: []any{new(func([]time.Duration, int) time.Duration), new(func([]decimal.Decimal, int) decimal.Decimal), new(func([]int, int) int)},
		impl:  func(_ *config, a []any) (any, error) { return aggregate("percentile", a[0], a[1].(int)) }})
	// The same over expr's own lists, by the type of their elements (see
	// aggregatePatcher).
	for _, el := range []struct {
		suffix string
		typ    any
	}{{"_dur", time.Duration(0)}, {"_dec", decimal.Decimal{}}, {"_int", 0}} {
		for _, op := range []string{"sum", "mean", "median", "percentile"} {
			op, el := op, el
			ret := el.typ
			if op == "mean" && el.suffix == "_int" {
				ret = decimal.Decimal{}
			}
			args := []reflect.Type{reflect.TypeFor[[]any]()}
			if op == "percentile" {
				args = append(args, reflect.TypeFor[int]())
			}
			sig := reflect.New(reflect.FuncOf(args, []reflect.Type{reflect.TypeOf(ret)}, false)).Interface()
			add(funcDef{name: "__" + op + el.suffix, types: []any{sig},
				impl: func(_ *config, a []any) (any, error) {
					list, err := typedList(a[0].([]any), el.typ)
					if err != nil {
						return nil, err
					}
					switch op {
					case "percentile":
						return aggregate(op, list, a[1].(int))
					case "median":
						return aggregate("percentile", list, 50)
					}
					return aggregate(op, list, 0)
				}})
		}
	}
	add(funcDef{name: "__neg_dur", types: []any{new(func(time.Duration) time.Duration)},
		impl: func(_ *config, a []any) (any, error) { return -a[0].(time.Duration), nil }})

	// Clocks, on the rule's calendar or on one named as first argument.
	add(funcDef{name: "open_time", calendar: true, doc: `open_time(a, b), open_time("HO", a, b): open time in [a, b)`,
		types: []any{new(func(time.Time, time.Time) time.Duration), new(func(string, time.Time, time.Time) time.Duration)},
		impl: func(c *config, a []any) (any, error) {
			cal, a := c.calendarArg(a)
			return cal.Between(a[0].(time.Time), a[1].(time.Time)), nil
		}})
	add(funcDef{name: "add_open_time", calendar: true, doc: `add_open_time(t, 4h): the instant 4 hours of open time after t`,
		types: []any{new(func(time.Time, time.Duration) time.Time), new(func(string, time.Time, time.Duration) time.Time)},
		impl: func(c *config, a []any) (any, error) {
			cal, a := c.calendarArg(a)
			return cal.Add(a[0].(time.Time), a[1].(time.Duration)), nil
		}})
	add(funcDef{name: "end_of_open_day", calendar: true, doc: `end_of_open_day(t, 3): the end of the third open day after the day of t`,
		types: []any{new(func(time.Time, int) time.Time), new(func(string, time.Time, int) time.Time)},
		impl: func(c *config, a []any) (any, error) {
			cal, a := c.calendarArg(a)
			return cal.EndOfOpenDay(a[0].(time.Time), a[1].(int)), nil
		}})
	add(funcDef{name: "is_open", calendar: true, doc: `is_open(t), is_open("HO", t): whether the calendar is open at t`,
		types: []any{new(func(time.Time) bool), new(func(string, time.Time) bool)},
		impl: func(c *config, a []any) (any, error) {
			cal, a := c.calendarArg(a)
			return cal.IsOpen(a[0].(time.Time)), nil
		}})
	add(funcDef{name: "open_days_between", calendar: true, doc: `open_days_between(a, b): open days strictly after the day of a and strictly before the day of b`,
		types: []any{new(func(time.Time, time.Time) int), new(func(string, time.Time, time.Time) int)},
		impl: func(c *config, a []any) (any, error) {
			cal, a := c.calendarArg(a)
			return OpenDaysBetween(cal, a[0].(time.Time), a[1].(time.Time)), nil
		}})

	// Functions of one ticket.
	add(funcDef{name: "elapsed_between", env: true, doc: "elapsed_between(a, b): open time in [a, b) on the rule's calendar, less the ticket's pauses",
		types: []any{new(func(Ticket, time.Time, time.Time) time.Duration)},
		impl: func(c *config, a []any) (any, error) {
			t := a[0].(Ticket)
			return ElapsedBetween(c.ruleCalendar(), t.Paused, a[1].(time.Time), a[2].(time.Time)), nil
		}})
	add(funcDef{name: "entered", env: true, doc: `entered("status"): the first instant the ticket entered that status; zero if never`,
		types: []any{new(func(Ticket, string) time.Time)},
		impl:  func(_ *config, a []any) (any, error) { return Entered(a[0].(Ticket).Ticket, a[1].(string)), nil }})
	add(funcDef{name: "link", env: true, doc: `link("incident"): the ticket's first link of that kind; a zero link if none`,
		types: []any{new(func(Ticket, string) pacte.Link)},
		impl:  func(_ *config, a []any) (any, error) { return FirstLink(a[0].(Ticket).Ticket, a[1].(string)), nil }})
	add(funcDef{name: "reopened_within", env: true, doc: "reopened_within(calendar_days(10)): reopened within that calendar time of a resolution",
		types: []any{new(func(Ticket, time.Duration) bool)},
		impl: func(_ *config, a []any) (any, error) {
			return ReopenedWithin(a[0].(Ticket).Ticket, a[1].(time.Duration)), nil
		}})

	// Functions of a period.
	add(funcDef{name: "fee", env: true, doc: `fee("UO-TEL", "UO-TKT"): the period's invoice amount of these work units`,
		types: []any{new(func(any, ...string) decimal.Decimal)},
		impl: func(_ *config, a []any) (any, error) {
			p, ok := a[0].(feeSource)
			if !ok {
				return nil, errors.New("fee() is only available in penalty and bonus formulas")
			}
			units := make([]string, len(a)-1)
			for i, u := range a[1:] {
				units[i] = u.(string)
			}
			return p.fee(units...), nil
		}})
	return defs
}

// disabledBuiltins are expr builtins the language replaces (they compute in
// floating point) or forbids (now and date read the machine's clock and
// zone; fromJSON reads numbers as floats).
var disabledBuiltins = []string{"now", "date", "timezone", "ceil", "floor", "round", "min", "max", "abs", "sum", "mean", "median", "float", "fromJSON"}

// typedList converts expr's list to a Go slice of the element type.
func typedList(list []any, elem any) (any, error) {
	switch elem.(type) {
	case time.Duration:
		out := make([]time.Duration, len(list))
		for i, v := range list {
			d, ok := v.(time.Duration)
			if !ok {
				return nil, fmt.Errorf("a list of durations holds %v", v)
			}
			out[i] = d
		}
		return out, nil
	case int:
		out := make([]int, len(list))
		for i, v := range list {
			n, ok := v.(int)
			if !ok {
				return nil, fmt.Errorf("a list of integers holds %v", v)
			}
			out[i] = n
		}
		return out, nil
	}
	out := make([]decimal.Decimal, len(list))
	for i, v := range list {
		d, ok := decOf(v)
		if !ok {
			return nil, fmt.Errorf("a list of decimals holds %v", v)
		}
		out[i] = d
	}
	return out, nil
}

// maxPlaces bounds round(x, places): more would cost time without a use.
const maxPlaces = 30

func roundAny(a []any, mode string) (any, error) {
	switch x := a[0].(type) {
	case int:
		return x, nil
	case decimal.Decimal:
		places := int32(0)
		if len(a) == 2 {
			n := a[1].(int)
			if n < -maxPlaces || n > maxPlaces {
				return nil, fmt.Errorf("round: %d places is out of range (%d to %d)", n, -maxPlaces, maxPlaces)
			}
			places = int32(n)
		}
		switch mode {
		case "ceil":
			return x.Ceil(), nil
		case "floor":
			return x.Floor(), nil
		}
		return x.Round(places), nil
	case time.Duration:
		return roundDuration(x, a[1].(time.Duration), mode)
	}
	return nil, fmt.Errorf("%s of %T", mode, a[0])
}

// roundDuration rounds d to a multiple of unit, in integer arithmetic:
// ceil and floor toward the infinities, round half away from zero.
func roundDuration(d, unit time.Duration, mode string) (time.Duration, error) {
	if unit <= 0 {
		return 0, fmt.Errorf("%s(%s, %s): the unit must be positive", mode, FormatDuration(d), FormatDuration(unit))
	}
	q, r := d/unit, d%unit // truncated toward zero
	switch mode {
	case "ceil":
		if r > 0 {
			q++
		}
	case "floor":
		if r < 0 {
			q--
		}
	default:
		if r >= 0 && r >= unit-r {
			q++
		} else if r < 0 && -r >= unit+r {
			q--
		}
	}
	if q > maxDuration/unit || q < -maxDuration/unit {
		return 0, fmt.Errorf("%s(%s, %s) is out of range", mode, FormatDuration(d), FormatDuration(unit))
	}
	return q * unit, nil
}

func minMax(name string, a, b any) any {
	less := func() bool {
		switch x := a.(type) {
		case int:
			if y, ok := b.(int); ok {
				return x < y
			}
		case time.Duration:
			return x < b.(time.Duration)
		case time.Time:
			return x.Before(b.(time.Time))
		}
		x, y := decPair(a, b)
		return x.LessThan(y)
	}()
	pick := a
	if less == (name == "max") {
		pick = b
	}
	// A decimal result when the operands mix integers and decimals.
	if _, isInt := pick.(int); isInt {
		if _, other := a.(decimal.Decimal); other {
			d, _ := decOf(pick)
			return d
		}
		if _, other := b.(decimal.Decimal); other {
			d, _ := decOf(pick)
			return d
		}
	}
	return pick
}

func parseDecimal(s string) (decimal.Decimal, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("not a decimal number: %q", s)
	}
	return d, nil
}

func calendarDays(n int) (time.Duration, error) {
	if n < 0 || n > 100000 {
		return 0, fmt.Errorf("calendar_days(%d): out of range", n)
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

// aggregate computes sum, mean or percentile over a typed list.
func aggregate(op string, list any, p int) (any, error) {
	switch l := list.(type) {
	case []time.Duration:
		switch op {
		case "sum":
			return SumDurations(l)
		case "mean":
			return MeanDuration(l)
		}
		return PercentileDuration(l, p)
	case []decimal.Decimal:
		switch op {
		case "sum":
			return SumDecimals(l), nil
		case "mean":
			return MeanDecimal(l)
		}
		return PercentileDecimal(l, p)
	case []int:
		ds := make([]decimal.Decimal, len(l))
		for i, v := range l {
			ds[i] = decimal.NewFromInt(int64(v))
		}
		switch op {
		case "sum":
			return int(SumDecimals(ds).IntPart()), nil
		case "mean":
			return MeanDecimal(ds)
		}
		v, err := PercentileDecimal(ds, p)
		return int(v.IntPart()), err
	}
	return nil, fmt.Errorf("%s of %T", op, list)
}

// OpenDaysBetween counts the open days of cal strictly after the civil day
// of a and strictly before the civil day of b: the whole open days between
// an announcement and the event it announces. It is 0 when b is not at
// least two days after a.
func OpenDaysBetween(cal *calendar.Calendar, a, b time.Time) int {
	loc := cal.Location()
	ya, ma, da := a.In(loc).Date()
	yb, mb, db := b.In(loc).Date()
	day := time.Date(ya, ma, da+1, 0, 0, 0, 0, loc)
	last := time.Date(yb, mb, db, 0, 0, 0, 0, loc)
	n := 0
	for ; day.Before(last); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		if cal.Between(day, next) > 0 {
			n++
		}
		if n > 100000 {
			break // more than enough for any notice period
		}
	}
	return n
}

// ElapsedBetween is the open time of cal in [from, to) less the open time
// of the pauses, which must be sorted and disjoint (see [MergeIntervals]).
func ElapsedBetween(cal *calendar.Calendar, pauses []pacte.Interval, from, to time.Time) time.Duration {
	d := cal.Between(from, to)
	for _, p := range pauses {
		if !p.End.After(from) {
			continue
		}
		if !p.Start.Before(to) {
			break
		}
		d -= cal.Between(maxTime(p.Start, from), minTime(p.End, to))
	}
	return d
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// MergeIntervals sorts intervals and merges those that overlap or touch,
// dropping empty ones and those without an end. It returns a new slice.
func MergeIntervals(in []pacte.Interval) []pacte.Interval {
	return MergeIntervalsInPlace(slices.Clone(in))
}

// MergeIntervalsInPlace is [MergeIntervals] in the slice it is given,
// whose contents it reorders: it returns the merged prefix, and allocates
// nothing.
func MergeIntervalsInPlace(in []pacte.Interval) []pacte.Interval {
	out := in[:0]
	for _, iv := range in {
		if iv.End.After(iv.Start) {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b pacte.Interval) int { return a.Start.Compare(b.Start) })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// Entered returns the first instant the ticket entered the status (compared
// without case), or the zero time.
func Entered(t *pacte.Ticket, status string) time.Time {
	for _, h := range t.History {
		if strings.EqualFold(h.Status, status) {
			return h.At
		}
	}
	return time.Time{}
}

// FirstLink returns the ticket's first link of the kind (compared without
// case), or a zero link.
func FirstLink(t *pacte.Ticket, kind string) pacte.Link {
	for _, l := range t.Links {
		if strings.EqualFold(l.Kind, kind) {
			return l
		}
	}
	return pacte.Link{}
}

// isResolvedStatus reports the statuses that end a resolution in a
// history: the instant a ticket enters one of them is a resolution.
func isResolvedStatus(s string) bool {
	switch strings.ToLower(s) {
	case "resolved", "closed", "solved", "done", "résolu", "clos":
		return true
	}
	return false
}

// ReopenedWithin reports whether the ticket was reopened within d of
// calendar time after a resolution. The resolution a reopening follows is
// the last change into a resolved status (resolved, closed, solved, done)
// of the history before it; without one, the ticket's Resolved instant when it
// precedes the reopening. A reopening with no known resolution before it
// counts as within d: the tool recorded a reopening, so there was one.
func ReopenedWithin(t *pacte.Ticket, d time.Duration) bool {
	for _, r := range t.Reopened {
		var resolved time.Time
		for _, h := range t.History {
			if !h.At.Before(r) {
				break
			}
			if isResolvedStatus(h.Status) {
				resolved = h.At
			}
		}
		if resolved.IsZero() && !t.Resolved.IsZero() && t.Resolved.Before(r) {
			resolved = t.Resolved
		}
		if resolved.IsZero() || r.Sub(resolved) <= d {
			return true
		}
	}
	return false
}
