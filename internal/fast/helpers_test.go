package fast

import (
	"reflect"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/sample"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// testCalendars are those of the reference contract: HO, business hours,
// 9 open hours a day on weekdays; HE, extended hours, 13 open hours a day
// Monday to Saturday, the rules' own; H24, every hour of every day in
// Paris time (DST days are 23 or 25 hours long).
var (
	namedCalendars = map[string]*calendar.Calendar{
		"HO":  calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris"),
		"HE":  calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris"),
		"H24": calendar.MustParse("24x7; tz Europe/Paris"),
	}
	calHE         = namedCalendars["HE"]
	paris         = calHE.Location()
	testCalendars = Calendars{Named: namedCalendars, Rule: calHE}
)

// withCalendars is the configuration of the tests' expressions, those of
// testCalendars.
func withCalendars() []dsl.Option {
	return []dsl.Option{dsl.RuleCalendar(calHE), dsl.Calendars(namedCalendars)}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// at is a wall-clock instant in Paris.
func at(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, paris)
}

// compileT compiles src against E with the tests' calendars, then into
// closures.
func compileT[E dsl.Env](t testing.TB, src string) *Program[E] {
	t.Helper()
	p, err := dsl.Compile[E](src, withCalendars()...)
	require.NoError(t, err, "compile %q", src)
	return Compile(p, testCalendars)
}

// requireSameValue requires two values of an expression to be the same:
// decimals by value, instants as instants, anything else deeply.
func requireSameValue(t testing.TB, want, got any, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, reflect.TypeOf(want), reflect.TypeOf(got), msgAndArgs...)
	require.Truef(t, sameValue(want, got), "%v: want %v, got %v", msgAndArgs, want, got)
}

// sameValue compares decimals by value, instants as instants, anything
// else deeply.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case decimal.Decimal:
		y, ok := b.(decimal.Decimal)
		return ok && x.Equal(y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return reflect.DeepEqual(a, b)
}

// sampleTicket is the sample ticket of package dsl's tests, with the
// measures of a 4 h HE clock.
func sampleTicket() *dsl.Ticket {
	t := sample.Ticket()
	opened, resolved := t.Opened, t.Resolved
	return &dsl.Ticket{
		Ticket: t,
		Clock: dsl.Clock{Start: opened, Stop: resolved, Elapsed: 2*time.Hour + 30*time.Minute, Budget: 4 * time.Hour,
			Deadline: at(2027, time.May, 7, 11, 30), OnTime: true},
		Paused: clock.Merge(t.Pauses),
	}
}
