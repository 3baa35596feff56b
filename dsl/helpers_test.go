package dsl

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/sample"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The calendars of the tests, those of the reference contract:
//
//	HO   business hours, 9 open hours a day on weekdays (4h30 + 4h30)
//	HE   extended hours, 13 open hours a day Monday to Saturday
//	H24  every hour of every day, in Paris time (so DST days are 23 or 25 h)
//
// The dates used by hand-computed expectations are in May 2027, around
// Ascension Thursday (Thursday 6 May 2027, a French holiday; 1 and 8 May
// are Saturdays): Easter 2027 is 28 March, Ascension is Easter + 39 days.
var (
	calHO  = calendar.MustParse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; tz Europe/Paris")
	calHE  = calendar.MustParse("mon-sat 07:00-20:00; holidays FR; tz Europe/Paris")
	calH24 = calendar.MustParse("24x7; tz Europe/Paris")
	paris  = calHO.Location()

	namedCalendars = map[string]*calendar.Calendar{"HO": calHO, "HE": calHE, "H24": calH24}
)

// withCalendars is the configuration of the tests' rules: HE is the
// rule's calendar, and HO, HE and H24 may be named.
func withCalendars() []Option {
	return []Option{RuleCalendar(calHE), Calendars(namedCalendars)}
}

// at is a wall-clock instant in Paris.
func at(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, paris)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func compileT[E Env](t testing.TB, src string, opts ...Option) *Program[E] {
	t.Helper()
	p, err := Compile[E](src, opts...)
	require.NoError(t, err, "compile %q", src)
	return p
}

// evalT evaluates, requires success and returns the value. (The compiled
// closures of package internal/fast are required to agree with it on
// every expression these tests evaluate: see its differential tests.)
func evalT[E Env](t testing.TB, p *Program[E], env *E) any {
	t.Helper()
	v, err := p.Eval(env)
	require.NoError(t, err, "eval %q", p.Source())
	return v
}

// requireSameValue compares two values of an expression exactly:
// decimals by value, instants as instants, anything else deeply.
func requireSameValue(t testing.TB, want, got any, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, reflect.TypeOf(want), reflect.TypeOf(got), msgAndArgs...)
	switch w := want.(type) {
	case decimal.Decimal:
		require.Truef(t, w.Equal(got.(decimal.Decimal)), "%v: want %s, got %s", msgAndArgs, w, got)
	case time.Time:
		require.Truef(t, w.Equal(got.(time.Time)), "%v: want %s, got %s", msgAndArgs, w, got)
	default:
		require.Equal(t, want, got, msgAndArgs...)
	}
}

// requireDecimal requires a decimal value equal to want (compared as
// numbers: 1.10 equals 1.1).
func requireDecimal(t testing.TB, want string, got any, msgAndArgs ...any) {
	t.Helper()
	d, ok := got.(decimal.Decimal)
	require.Truef(t, ok, "want a decimal, got %T %v (%v)", got, got, msgAndArgs)
	require.Truef(t, dec(want).Equal(d), "want %s, got %s (%v)", want, d, msgAndArgs)
}

// asError requires err to be an *Error and returns it.
func asError(t testing.TB, err error) *Error {
	t.Helper()
	require.Error(t, err)
	var e *Error
	require.True(t, errors.As(err, &e), "%T is not a *dsl.Error: %v", err, err)
	return e
}

// boolCase is a ticket expression and the answer it gives.
type boolCase struct {
	src  string
	want bool
}

// requireBools compiles each condition for tickets and checks its answer
// on env.
func requireBools(t *testing.T, env *Ticket, tests []boolCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, Expect(Bool))
			require.Equal(t, tt.want, evalT(t, p, env))
		})
	}
}

// decimalCase is a ticket expression and the exact decimal it gives.
type decimalCase struct{ src, want string }

// requireDecimals compiles each expression for tickets, expecting a
// decimal, and checks what it gives on env, through Eval and EvalAs.
func requireDecimals(t *testing.T, env *Ticket, tests []decimalCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, Expect(Decimal))
			require.Equal(t, Decimal, p.Type())
			requireDecimal(t, tt.want, evalT(t, p, env), tt.src)
			d, err := EvalAs[decimal.Decimal](p, env)
			require.NoError(t, err)
			require.True(t, dec(tt.want).Equal(d), tt.src)
		})
	}
}

// compileError is a ticket expression that does not compile and the
// error it gives: message, line, column and hint; the error shows the
// line of the source it is on, nothing for a blank one.
type compileError struct {
	src, msg  string
	line, col int
	hint      string
}

// requireCompileErrors compiles each expression with opts and checks
// that it fails with an *Error of that code, message, place and hint.
func requireCompileErrors(t *testing.T, code error, tests []compileError, opts ...Option) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Compile[Ticket](tt.src, opts...)
			e := asError(t, err)
			require.ErrorIs(t, err, code)
			require.Equal(t, tt.msg, e.Msg)
			require.Equal(t, tt.line, e.Line, "line")
			require.Equal(t, tt.col, e.Column, "column")
			require.Equal(t, tt.hint, e.Hint)
			text := strings.Split(tt.src, "\n")[tt.line-1]
			if strings.TrimSpace(text) == "" {
				text = ""
			}
			require.Equal(t, text, e.Text)
		})
	}
}

// sampleTicket is the sample ticket, a P1 incident opened on Wednesday 5
// May 2027 at 16:00 and resolved on Friday 7 May at 10:00, Paris time,
// with the measures of a 4 h HE clock filled in by hand (see
// TestClockFunctions for the sums).
func sampleTicket() *Ticket {
	t := sample.Ticket()
	opened, resolved := t.Opened, t.Resolved
	return &Ticket{
		Ticket: t,
		Clock: Clock{
			Start: opened, Stop: resolved,
			// HE: Wed 16:00-20:00 is 4 h, Thursday is Ascension, Fri 07:00-10:00
			// is 3 h: 7 h open; less the pause Wed 17:00-20:00 (3 h) and Fri
			// 07:00-08:30 (1h30): 2h30.
			Elapsed:  2*time.Hour + 30*time.Minute,
			Budget:   4 * time.Hour,
			Deadline: at(2027, time.May, 7, 11, 30),
			OnTime:   true,
		},
		Paused: clock.Merge(t.Pauses),
	}
}
