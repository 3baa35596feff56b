package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// Money is an amount, printed in JSON as a string with two decimals
// ("150.00"), or with all its decimals before rounding ("0.152"), whatever
// the decimal package's global settings.
type Money struct{ decimal.Decimal }

// MarshalJSON writes the amount as a decimal string.
func (m Money) MarshalJSON() ([]byte, error) { return json.Marshal(m.Text()) }

// Text formats the amount with two decimals, or more when it has more.
func (m Money) Text() string {
	if m.Exponent() < -2 && !m.Round(2).Equal(m.Decimal) {
		return m.String()
	}
	return m.StringFixed(2)
}

// UnmarshalJSON reads a decimal string or number.
func (m *Money) UnmarshalJSON(b []byte) error { return m.Decimal.UnmarshalJSON(b) }

// Number is an exact quantity or coefficient, printed as a string.
type Number struct{ decimal.Decimal }

// MarshalJSON writes the number as a decimal string.
func (n Number) MarshalJSON() ([]byte, error) { return json.Marshal(n.String()) }

// UnmarshalJSON reads a decimal string or number.
func (n *Number) UnmarshalJSON(b []byte) error { return n.Decimal.UnmarshalJSON(b) }

// Seconds is a duration, printed in JSON as seconds in a decimal string.
type Seconds time.Duration

// MarshalJSON writes the duration as seconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return json.Marshal(decimal.NewFromInt(int64(s)).Shift(-9).String())
}

// UnmarshalJSON reads seconds, to the nanosecond.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	var d decimal.Decimal
	if err := d.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := secondsOf(d)
	if err != nil {
		return fmt.Errorf("sla: %s seconds: %w", d, err)
	}
	*s = v
	return nil
}

var minNanoseconds, maxNanoseconds = decimal.NewFromInt(math.MinInt64), decimal.NewFromInt(math.MaxInt64)

// secondsOf is a number of seconds as a duration, to the nanosecond.
func secondsOf(d decimal.Decimal) (Seconds, error) {
	ns := d.Shift(9).Truncate(0)
	if ns.LessThan(minNanoseconds) || ns.GreaterThan(maxNanoseconds) {
		return 0, errors.New("out of the range of a duration")
	}
	return Seconds(ns.IntPart()), nil
}

// Duration returns the value as a time.Duration.
func (s Seconds) Duration() time.Duration { return time.Duration(s) }

// Duration is a duration, written in JSON as the contract language
// writes its literals: "4h30min", "45s".
type Duration time.Duration

// String writes the duration as the language does.
func (d Duration) String() string { return exact.FormatDuration(time.Duration(d)) }

// MarshalJSON writes the duration as the language does.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration literal of the language.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		return err
	}
	negative := strings.HasPrefix(text, "-")
	v, err := dsl.ParseDuration(strings.TrimPrefix(text, "-"))
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	if negative {
		v = -v
	}
	*d = Duration(v)
	return nil
}

// Quantity is a value of a rule's measure: what the rule achieved, or its
// objective's threshold. Type says which field holds it: Decimal (a
// ratio as a fraction, a rate, a score, a mean), Duration or Int. In JSON
// it is {"type": "decimal", "value": "0.95"}: its type, and its value as a
// decimal string, a duration in seconds.
type Quantity struct {
	Type     dsl.Type // dsl.Decimal, dsl.Duration or dsl.Int
	Decimal  decimal.Decimal
	Duration time.Duration
	Int      int
}

// quantity is the report's encoding of a Quantity.
type quantity struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// kind is the quantity's type, any other than a duration or an integer
// reading as a decimal.
func (q Quantity) kind() dsl.Type {
	if q.Type == dsl.Duration || q.Type == dsl.Int {
		return q.Type
	}
	return dsl.Decimal
}

// TypeName names the quantity's type as JSON does: decimal, duration or
// int.
func (q Quantity) TypeName() string { return q.kind().String() }

// Number returns the value as a decimal: a duration in seconds.
func (q Quantity) Number() decimal.Decimal {
	switch q.kind() {
	case dsl.Duration:
		return decimal.NewFromInt(int64(q.Duration)).Shift(-9)
	case dsl.Int:
		return decimal.NewFromInt(int64(q.Int))
	}
	return q.Decimal
}

// Text returns the value as JSON writes it: "0.95", "14400" (seconds),
// "3".
func (q Quantity) Text() string {
	if q.kind() == dsl.Int {
		return strconv.Itoa(q.Int)
	}
	return q.Number().String()
}

// MarshalJSON writes the quantity as its type and its value's text.
func (q Quantity) MarshalJSON() ([]byte, error) {
	return json.Marshal(quantity{Type: q.TypeName(), Value: q.Text()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var raw quantity
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	switch raw.Type {
	case "decimal":
		var d decimal.Decimal
		d, err = decimal.NewFromString(raw.Value)
		*q = Quantity{Type: dsl.Decimal, Decimal: d}
	case "duration":
		var d decimal.Decimal
		if d, err = decimal.NewFromString(raw.Value); err == nil {
			var s Seconds
			s, err = secondsOf(d)
			*q = Quantity{Type: dsl.Duration, Duration: s.Duration()}
		}
	case "int":
		var n int
		n, err = strconv.Atoi(raw.Value)
		*q = Quantity{Type: dsl.Int, Int: n}
	default:
		return fmt.Errorf("sla: a quantity is a decimal, a duration or an int, not %q", raw.Type)
	}
	if err != nil {
		return fmt.Errorf("sla: %s %q: %w", raw.Type, raw.Value, err)
	}
	return nil
}
