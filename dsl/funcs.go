package dsl

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/pacte-sla/pacte/internal/tickets"
	"github.com/shopspring/decimal"
)

// QuotientPlaces is the number of decimal places a division keeps. The
// last one is rounded half away from zero: 1/3 is 0.3333333333333333 and
// 2/3 is 0.6666666666666667. Sixteen places are far beyond a cent of any
// invoice and a basis point of any objective; shares compared with an
// objective are compared exactly by the engine, without dividing.
const QuotientPlaces = 16

// MaxDigits is the largest number of digits of a decimal the language
// computes, written out in full, before and after the point together:
// 1e999 is in range, 1e999 * 10 fails.
const MaxDigits = 1000

// MaxText is the largest text, in bytes, an expression builds by
// concatenation, repeat, replace or join.
const MaxText = 1 << 20

var decType = decimal.Decimal{}

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
// match one of these signatures by a call to the function. Integers and
// durations have theirs too, which fail on an overflow rather than wrap,
// and so does the concatenation of texts, which fails beyond
// exact.MaxText.
var overloads = []struct {
	op, fn string
	types  []any
	impl   func(a, b any) (any, error)
}{
	{"+", "__add", decSigs(decType), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Add(x, y) }},
	{"-", "__sub", decSigs(decType), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Sub(x, y) }},
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
	{"+", "__add_int", []any{new(func(int, int) int)}, func(a, b any) (any, error) { return exact.AddInt(a.(int), b.(int)) }},
	{"-", "__sub_int", []any{new(func(int, int) int)}, func(a, b any) (any, error) { return exact.SubInt(a.(int), b.(int)) }},
	{"*", "__mul_int", []any{new(func(int, int) int)}, func(a, b any) (any, error) { return exact.MulInt(a.(int), b.(int)) }},
	{"+", "__add_dur", []any{new(func(time.Duration, time.Duration) time.Duration)},
		func(a, b any) (any, error) { return exact.AddDuration(a.(time.Duration), b.(time.Duration)) }},
	{"-", "__sub_dur", []any{new(func(time.Duration, time.Duration) time.Duration)},
		func(a, b any) (any, error) { return exact.SubDuration(a.(time.Duration), b.(time.Duration)) }},
	{"*", "__mul_dur", []any{new(func(time.Duration, int) time.Duration), new(func(int, time.Duration) time.Duration)}, mulDuration},
	{"+", "__concat", []any{new(func(string, string) string)}, func(a, b any) (any, error) { return exact.Concat(a.(string), b.(string)) }},
	{"<", "__lt", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Cmp(x, y) < 0, nil }},
	{"<=", "__le", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Cmp(x, y) <= 0, nil }},
	{">", "__gt", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Cmp(x, y) > 0, nil }},
	{">=", "__ge", decSigs(true), func(a, b any) (any, error) { x, y := decPair(a, b); return exact.Cmp(x, y) >= 0, nil }},
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
		return exact.ScaleDuration(x, b.(decimal.Decimal))
	default:
		if d, ok := b.(time.Duration); ok {
			return exact.ScaleDuration(d, a.(decimal.Decimal))
		}
	}
	x, y := decPair(a, b)
	return exact.Mul(x, y)
}

func mulDuration(a, b any) (any, error) {
	if d, ok := a.(time.Duration); ok {
		return exact.MulDuration(d, b.(int))
	}
	return exact.MulDuration(b.(time.Duration), a.(int))
}

func divAny(a, b any) (any, error) {
	if d, ok := a.(time.Duration); ok {
		switch y := b.(type) {
		case time.Duration:
			return exact.DivDurations(d, y)
		case int:
			return exact.DivDurationInt(d, y)
		case decimal.Decimal:
			return exact.DivDurationDecimal(d, y)
		}
	}
	x, y := decPair(a, b)
	return exact.Div(x, y)
}

func equalAny(a, b any) bool {
	if t, ok := a.(time.Time); ok {
		return t.Equal(b.(time.Time))
	}
	x, y := decPair(a, b)
	return exact.Cmp(x, y) == 0
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
	// zone: the function reads civil dates in the contract's zone;
	// holidays: its arguments after the first two name holiday lists.
	zone, holidays bool
	types          []any // signatures for the checker, as seen after the rewrite
	impl           func(c *config, args []any) (any, error)
}

// readsConfig reports whether the function reads the options of
// compilation (the calendars): the others are declared once for every
// program.
func (f funcDef) readsConfig() bool { return f.calendar || f.zone || f.name == "elapsed_between" }

// functions returns the library of the language, bound to a compile
// configuration (its calendars). Builtins of expr that would compute with
// floating point, or read the wall clock, are replaced or disabled.
func functions() []funcDef {
	var defs []funcDef
	defs = append(defs, numberFunctions()...)
	defs = append(defs, textFunctions()...)
	defs = append(defs, aggregateFunctions()...)
	defs = append(defs, clockFunctions()...)
	defs = append(defs, civilFunctions()...)
	defs = append(defs, ticketFunctions()...)
	defs = append(defs, resultFunctions()...)
	return append(defs, periodFunctions()...)
}

// numberFunctions are the functions of decimals, integers and durations.
func numberFunctions() []funcDef {
	roundings := []any{new(func(decimal.Decimal) decimal.Decimal), new(func(int) int), new(func(time.Duration, time.Duration) time.Duration)}
	defs := []funcDef{
		{name: "ceil", doc: "ceil(x): the smallest integer ≥ x; ceil(d, unit): d rounded up to a multiple of unit",
			types: roundings, impl: func(_ *config, a []any) (any, error) { return roundAny(a, "ceil") }},
		{name: "floor", doc: "floor(x): the largest integer ≤ x; floor(d, unit): d rounded down to a multiple of unit",
			types: roundings, impl: func(_ *config, a []any) (any, error) { return roundAny(a, "floor") }},
		{name: "round", doc: "round(x), round(x, places): half away from zero; round(d, unit): to the nearest multiple of unit",
			types: []any{roundings[0], new(func(decimal.Decimal, int) decimal.Decimal), roundings[1], roundings[2]},
			impl:  func(_ *config, a []any) (any, error) { return roundAny(a, "round") }},
	}
	for _, name := range []string{"min", "max"} {
		defs = append(defs, funcDef{name: name, doc: name + "(a, b): of two decimals, integers, durations or instants",
			types: []any{
				new(func(decimal.Decimal, decimal.Decimal) decimal.Decimal), new(func(decimal.Decimal, int) decimal.Decimal),
				new(func(int, decimal.Decimal) decimal.Decimal), new(func(int, int) int),
				new(func(time.Duration, time.Duration) time.Duration), new(func(time.Time, time.Time) time.Time),
			},
			impl: func(_ *config, a []any) (any, error) { return minMax(name, a[0], a[1]), nil }})
	}
	return append(defs,
		funcDef{name: "abs", doc: "abs(x): of a decimal, an integer or a duration",
			types: []any{new(func(decimal.Decimal) decimal.Decimal), new(func(int) int), new(func(time.Duration) time.Duration)},
			impl:  func(_ *config, a []any) (any, error) { return absAny(a[0]) }},
		funcDef{name: "decimal", doc: `decimal("4,5"): a decimal read from text (a record's attribute), with a dot or a comma`,
			types: []any{new(func(string) decimal.Decimal)},
			impl:  func(_ *config, a []any) (any, error) { return exact.ParseDecimal(a[0].(string)) }},
		funcDef{name: "calendar_days", doc: "calendar_days(n): n × 24 hours of calendar time",
			types: []any{new(func(int) time.Duration)},
			impl:  func(_ *config, a []any) (any, error) { return exact.CalendarDays(a[0].(int)) }},
		funcDef{name: "__neg_dur", types: []any{new(func(time.Duration) time.Duration)},
			impl: func(_ *config, a []any) (any, error) { return exact.NegDuration(a[0].(time.Duration)) }},
		funcDef{name: "__neg_int", types: []any{new(func(int) int)},
			impl: func(_ *config, a []any) (any, error) { return exact.NegInt(a[0].(int)) }},
	)
}

func absAny(v any) (any, error) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.Abs(), nil
	case int:
		return exact.AbsInt(x)
	default:
		return exact.AbsDuration(v.(time.Duration))
	}
}

// textFunctions are expr's functions that build text, replaced by
// versions that refuse to build more than exact.MaxText bytes, and
// string(), which writes values but not lists or maps (their text has no
// bound).
func textFunctions() []funcDef {
	return []funcDef{
		{name: "repeat", doc: `repeat(s, n): s written n times`,
			types: []any{new(func(string, int) string)},
			impl:  func(_ *config, a []any) (any, error) { return exact.Repeat(a[0].(string), a[1].(int)) }},
		{name: "replace", doc: `replace(s, old, new), replace(s, old, new, n): s with old replaced by new, every time or n times`,
			types: []any{new(func(string, string, string) string), new(func(string, string, string, int) string)},
			impl: func(_ *config, a []any) (any, error) {
				n := -1
				if len(a) == 4 {
					n = a[3].(int)
				}
				return exact.Replace(a[0].(string), a[1].(string), a[2].(string), n)
			}},
		{name: "join", doc: `join(list), join(list, sep): the texts of a list, joined`,
			types: []any{new(func([]string, string) string), new(func([]string) string), new(func([]any, string) string), new(func([]any) string)},
			impl:  joinTexts},
		{name: "string", doc: `string(x): a number, a duration, an instant or a bool written as text`,
			types: []any{new(func(any) string)},
			impl:  func(_ *config, a []any) (any, error) { return stringOf(a[0]) }},
	}
}

func joinTexts(_ *config, a []any) (any, error) {
	sep := ""
	if len(a) == 2 {
		sep = a[1].(string)
	}
	switch list := a[0].(type) {
	case []string:
		return exact.Join(list, sep)
	case []any:
		parts, err := listOf(list, is[string], "join: the list holds %v, which is not text")
		if err != nil {
			return nil, err
		}
		return exact.Join(parts.([]string), sep)
	}
	return nil, fmt.Errorf("join of %T", a[0])
}

// stringOf writes a value as expr's string() did, lists and maps aside.
func stringOf(v any) (string, error) {
	if v == nil {
		return "<nil>", nil
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return "", errors.New("string() of a list or a map: write its elements one by one")
	}
	return fmt.Sprintf("%v", v), nil
}

// aggregateFunctions are sum, mean, median and percentile, over typed
// lists and over expr's own lists by the type of their elements (see
// aggregatePatcher).
func aggregateFunctions() []funcDef {
	defs := []funcDef{
		{name: "sum", doc: "sum(list): of durations, decimals or integers",
			types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) int)},
			impl:  func(_ *config, a []any) (any, error) { return aggregate("sum", a[0], 0) }},
		{name: "mean", doc: "mean(list): of durations (to the nanosecond) or decimals",
			types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) decimal.Decimal)},
			impl:  func(_ *config, a []any) (any, error) { return aggregate("mean", a[0], 0) }},
		{name: "median", doc: "median(list): the 50th percentile, by nearest rank",
			types: []any{new(func([]time.Duration) time.Duration), new(func([]decimal.Decimal) decimal.Decimal), new(func([]int) int)},
			impl:  func(_ *config, a []any) (any, error) { return aggregate("percentile", a[0], 50) }},
		{name: "percentile", doc: "percentile(list, p): the value at nearest rank ceil(p/100 × n)",
			types: []any{new(func([]time.Duration, int) time.Duration), new(func([]decimal.Decimal, int) decimal.Decimal), new(func([]int, int) int)},
			impl:  func(_ *config, a []any) (any, error) { return aggregate("percentile", a[0], a[1].(int)) }},
	}
	for _, el := range []struct {
		suffix string
		typ    any
	}{{"_dur", time.Duration(0)}, {"_dec", decimal.Decimal{}}, {"_int", 0}} {
		for _, op := range []string{"sum", "mean", "median", "percentile"} {
			defs = append(defs, listAggregate(op, el.suffix, el.typ))
		}
	}
	return defs
}

// listAggregate is op over expr's lists of elem.
func listAggregate(op, suffix string, elem any) funcDef {
	ret := elem
	if op == "mean" && suffix == "_int" {
		ret = decimal.Decimal{}
	}
	args := []reflect.Type{reflect.TypeFor[[]any]()}
	if op == "percentile" {
		args = append(args, reflect.TypeFor[int]())
	}
	sig := reflect.New(reflect.FuncOf(args, []reflect.Type{reflect.TypeOf(ret)}, false)).Interface()
	return funcDef{name: "__" + op + suffix, types: []any{sig},
		impl: func(_ *config, a []any) (any, error) {
			list, err := typedList(a[0], elem)
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
		}}
}

// clockFunctions are the functions of a calendar: the rule's, or one
// named as first argument.
func clockFunctions() []funcDef {
	return []funcDef{
		{name: "open_time", calendar: true, doc: `open_time(a, b), open_time("HO", a, b): open time in [a, b)`,
			types: []any{new(func(time.Time, time.Time) time.Duration), new(func(string, time.Time, time.Time) time.Duration)},
			impl: func(c *config, a []any) (any, error) {
				cal, a := c.calendarArg(a)
				return cal.Between(a[0].(time.Time), a[1].(time.Time)), nil
			}},
		{name: "add_open_time", calendar: true, doc: `add_open_time(t, 4h): the instant 4 hours of open time after t`,
			types: []any{new(func(time.Time, time.Duration) time.Time), new(func(string, time.Time, time.Duration) time.Time)},
			impl: func(c *config, a []any) (any, error) {
				cal, a := c.calendarArg(a)
				return cal.Add(a[0].(time.Time), a[1].(time.Duration)), nil
			}},
		{name: "end_of_open_day", calendar: true, doc: `end_of_open_day(t, 3): the end of the third open day after the day of t`,
			types: []any{new(func(time.Time, int) time.Time), new(func(string, time.Time, int) time.Time)},
			impl: func(c *config, a []any) (any, error) {
				cal, a := c.calendarArg(a)
				return cal.EndOfOpenDay(a[0].(time.Time), a[1].(int)), nil
			}},
		{name: "is_open", calendar: true, doc: `is_open(t), is_open("HO", t): whether the calendar is open at t`,
			types: []any{new(func(time.Time) bool), new(func(string, time.Time) bool)},
			impl: func(c *config, a []any) (any, error) {
				cal, a := c.calendarArg(a)
				return cal.IsOpen(a[0].(time.Time)), nil
			}},
		{name: "open_days_between", calendar: true, doc: `open_days_between(a, b): open days strictly after the day of a and strictly before the day of b`,
			types: []any{new(func(time.Time, time.Time) int), new(func(string, time.Time, time.Time) int)},
			impl: func(c *config, a []any) (any, error) {
				cal, a := c.calendarArg(a)
				return clock.OpenDaysBetween(cal, a[0].(time.Time), a[1].(time.Time)), nil
			}},
	}
}

// ticketFunctions are the functions of one ticket.
func ticketFunctions() []funcDef {
	return []funcDef{
		{name: "elapsed_between", env: true, doc: "elapsed_between(a, b): open time in [a, b) on the rule's calendar, less the ticket's pauses",
			types: []any{new(func(Ticket, time.Time, time.Time) time.Duration)},
			impl: func(c *config, a []any) (any, error) {
				t := a[0].(Ticket)
				return clock.Elapsed(c.ruleCalendar(), t.Paused, a[1].(time.Time), a[2].(time.Time)), nil
			}},
		{name: "entered", env: true, doc: `entered("status"): the first instant the ticket entered that status; zero if never`,
			types: []any{new(func(Ticket, string) time.Time)},
			impl: func(_ *config, a []any) (any, error) {
				return tickets.Entered(a[0].(Ticket).Ticket, a[1].(string)), nil
			}},
		{name: "link", env: true, doc: `link("incident"): the ticket's first link of that kind; a zero link if none`,
			types: []any{new(func(Ticket, string) pacte.Link)},
			impl: func(_ *config, a []any) (any, error) {
				return tickets.FirstLink(a[0].(Ticket).Ticket, a[1].(string)), nil
			}},
		{name: "reopened_within", env: true, doc: "reopened_within(calendar_days(10)): reopened within that calendar time of a resolution",
			types: []any{new(func(Ticket, time.Duration) bool)},
			impl: func(_ *config, a []any) (any, error) {
				return tickets.ReopenedWithin(a[0].(Ticket).Ticket, a[1].(time.Duration)), nil
			}},
	}
}

// periodFunctions are the functions of a period.
func periodFunctions() []funcDef {
	return []funcDef{
		{name: "fee", env: true, doc: `fee("UO-TEL", "UO-TKT"): the period's invoice amount of these work units`,
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
			}},
	}
}

// disabledBuiltins are expr builtins the language replaces (they compute in
// floating point, or build text without a bound) or forbids (now and date
// read the machine's clock and zone; fromJSON reads numbers as floats;
// toJSON, toBase64 and fromBase64 write text for machines, and nested,
// grow it without a bound).
var disabledBuiltins = []string{"now", "date", "timezone", "ceil", "floor", "round", "min", "max", "abs", "sum", "mean", "median", "float", "fromJSON",
	"repeat", "replace", "join", "string", "toJSON", "toBase64", "fromBase64"}

// typedList converts expr's list to a Go slice of the element type. A
// range (1..10) is a list of integers already.
func typedList(v any, elem any) (any, error) {
	if ints, ok := v.([]int); ok {
		if _, isInt := elem.(int); isInt {
			return ints, nil
		}
		v = anyList(ints)
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("a list of %T", v)
	}
	switch elem.(type) {
	case time.Duration:
		return listOf(list, is[time.Duration], "a list of durations holds %v")
	case int:
		return listOf(list, is[int], "a list of integers holds %v")
	}
	return listOf(list, decOf, "a list of decimals holds %v")
}

// listOf converts the elements of list with conv; bad is the message of
// an element that does not convert.
func listOf[T any](list []any, conv func(any) (T, bool), bad string) (any, error) {
	out := make([]T, len(list))
	for i, v := range list {
		x, ok := conv(v)
		if !ok {
			return nil, fmt.Errorf(bad, v)
		}
		out[i] = x
	}
	return out, nil
}

// is asserts that v holds a T.
func is[T any](v any) (T, bool) {
	x, ok := v.(T)
	return x, ok
}

func anyList[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func roundAny(a []any, mode string) (any, error) {
	switch x := a[0].(type) {
	case int:
		return x, nil
	case decimal.Decimal:
		switch {
		case len(a) == 2:
			return exact.RoundDecimal(x, a[1].(int))
		case mode == "ceil":
			return exact.Ceil(x)
		case mode == "floor":
			return exact.Floor(x)
		}
		return exact.RoundDecimal(x, 0)
	case time.Duration:
		return exact.RoundDuration(x, a[1].(time.Duration), mode)
	}
	return nil, fmt.Errorf("%s of %T", mode, a[0])
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
		return exact.Cmp(x, y) < 0
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

// aggregate computes sum, mean or percentile over a typed list.
func aggregate(op string, list any, p int) (any, error) {
	switch l := list.(type) {
	case []time.Duration:
		return aggregateOf(op, l, p, exact.SumDurations, exact.MeanDuration, exact.PercentileDuration)
	case []decimal.Decimal:
		return aggregateOf(op, l, p, exact.SumDecimals, exact.MeanDecimal, exact.PercentileDecimal)
	case []int:
		return aggregateOf(op, l, p, exact.SumInts, exact.MeanInt, exact.PercentileInt)
	}
	return nil, fmt.Errorf("%s of %T", op, list)
}

// aggregateOf computes sum, mean or percentile over l with the functions
// of its element type; the mean of integers is a decimal, hence M.
func aggregateOf[T, M any](op string, l []T, p int, sum func([]T) (T, error), mean func([]T) (M, error),
	percentile func([]T, int) (T, error)) (any, error) {
	switch op {
	case "sum":
		v, err := sum(l)
		return v, err
	case "mean":
		v, err := mean(l)
		return v, err
	}
	v, err := percentile(l, p)
	return v, err
}
