package dsl

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestRatioMeetsObjective: 19 met of 20 is 95 % and meets ">= 95%", exactly,
// whether the ratio is written with constants, fields of an item (closures)
// or fields of a period (VM).
func TestRatioMeetsObjective(t *testing.T) {
	requireBools(t, &Ticket{}, []boolCase{
		{"19 / 20 >= 95%", true},
		{"19 / 20 == 95%", true},
		{"19 / 20 == 0.95", true},
		{"19 / 20 > 95%", false},
		{"18 / 20 >= 95%", false},
		{"199 / 200 >= 99.5%", true},
		{"1990 / 2000 >= 99.5%", true},
		{"1989 / 2000 >= 99.5%", false},
		{"2 / 3 >= 66.67%", false},
		{"2 / 3 >= 66.66%", true},
	})

	t.Run("period", func(t *testing.T) {
		p := compileT[Period[decimal.Decimal]](t, "met / eligible >= 95%", Expect(Bool))
		for met, want := range map[int]bool{20: true, 19: true, 18: false, 0: false} {
			ok, err := EvalAs[bool](p, &Period[decimal.Decimal]{Eligible: 20, Met: met})
			require.NoError(t, err)
			require.Equal(t, want, ok, "%d of 20", met)
		}
		ok, err := EvalAs[bool](compileT[Period[decimal.Decimal]](t, "achieved >= objective"),
			&Period[decimal.Decimal]{Achieved: decimal.NewFromInt(19).DivRound(decimal.NewFromInt(20), QuotientPlaces), Objective: dec("0.95")})
		require.NoError(t, err)
		require.True(t, ok)
	})

	t.Run("ticket fields", func(t *testing.T) {
		// level stands for a count here: the closure backend divides too.
		p := compileT[Ticket](t, "level / 20 >= 95%", Expect(Bool))
		env := sampleTicket()
		for level, want := range map[int]bool{19: true, 18: false, 20: true} {
			env.Ticket.Level = level
			require.Equal(t, want, evalT(t, p, env), "level %d", level)
		}
	})
}

func TestExactDecimals(t *testing.T) {
	tests := []struct {
		src  string
		want any // bool, or the decimal's exact String()
	}{
		{"0.1 + 0.2 == 0.3", true},
		{"0.1 + 0.2", "0.3"},
		{"0.3 - 0.1 == 0.2", true},
		{"1.10 == 1.1", true},
		{"1.10 != 1.1", false},
		{"1.1 != 1.2", true},
		{"1.1 == 1.2", false},
		{"11.00 == 11", true},
		{"11 == 11.00", true},
		{"11.00 != 11", false},
		// Division keeps QuotientPlaces places, the last rounded half away from zero.
		{"1 / 3", "0.3333333333333333"},
		{"2 / 3", "0.6666666666666667"},
		{"-2 / 3", "-0.6666666666666667"},
		{"1 / 3 * 3", "0.9999999999999999"},
		{"1 / 3 * 3 == 1", false},
		{"10 / 4", "2.5"},
		{"7 / 2", "3.5"},
		{"1 / 8", "0.125"},
		{"1 / 1024", "0.0009765625"},
		{"1 / 7", "0.1428571428571429"},
		{"5 / 1.5", "3.3333333333333333"},
		{"1.00 / 3", "0.3333333333333333"},
		{"100 * 1.1", "110"},
		{"3% * 18000.00", "540"},
		{"0.1 * 0.1", "0.01"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			v := evalT(t, p, &Ticket{})
			if s, ok := tt.want.(string); ok {
				require.Equal(t, s, v.(decimal.Decimal).String())
				return
			}
			require.Equal(t, tt.want, v)
		})
	}
	require.Equal(t, 16, QuotientPlaces)
	v := evalT(t, compileT[Ticket](t, "1 / 3"), &Ticket{}).(decimal.Decimal)
	require.Equal(t, int32(-QuotientPlaces), v.Exponent())
}

// TestIntDecimalMixing: every operator with an integer on either side of a
// decimal gives the decimal answer, on both backends.
func TestIntDecimalMixing(t *testing.T) {
	env := sampleTicket() // level 2, satisfaction 4.5
	type tc struct{ src, want string }
	var tests []tc
	arith := map[string][2]string{ // op: {2 op 4.5, 4.5 op 2}
		"+": {"6.5", "6.5"},
		"-": {"-2.5", "2.5"},
		"*": {"9", "9"},
		"/": {"0.4444444444444444", "2.25"},
	}
	cmp := map[string][2]string{
		"<": {"true", "false"}, "<=": {"true", "false"}, ">": {"false", "true"},
		">=": {"false", "true"}, "==": {"false", "false"}, "!=": {"true", "true"},
	}
	for op, w := range arith {
		tests = append(tests,
			tc{"2 " + op + " 4.5", w[0]}, tc{"4.5 " + op + " 2", w[1]},
			tc{"level " + op + " satisfaction", w[0]}, tc{"satisfaction " + op + " level", w[1]},
			tc{"level " + op + " 4.5", w[0]}, tc{"4.5 " + op + " level", w[1]},
			tc{"2 " + op + " satisfaction", w[0]}, tc{"satisfaction " + op + " 2", w[1]})
	}
	for op, w := range cmp {
		tests = append(tests,
			tc{"2 " + op + " 4.5", w[0]}, tc{"4.5 " + op + " 2", w[1]},
			tc{"level " + op + " satisfaction", w[0]}, tc{"satisfaction " + op + " level", w[1]})
	}
	tests = append(tests,
		tc{"2 == 2.00", "true"}, tc{"2.00 == 2", "true"}, tc{"level == 2.0", "true"}, tc{"2.0 != level", "false"},
		tc{"level <= 2.0", "true"}, tc{"2.0 >= level", "true"},
		tc{"1 + 2 * 1.5 - 4 / 8", "3.5"},
		tc{"(level + 1) * (satisfaction - 0.5)", "12"},
		tc{"max(level, satisfaction)", "4.5"},
		tc{"min(level, satisfaction)", "2"},
		tc{"max(2, 1.5)", "2"},
		tc{"min(1.5, 2)", "1.5"},
	)
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			v := evalT(t, p, env)
			switch tt.want {
			case "true", "false":
				require.Equal(t, Bool, p.Type())
				require.Equal(t, tt.want == "true", v)
			default:
				require.Equal(t, Decimal, p.Type())
				requireDecimal(t, tt.want, v, tt.src)
			}
		})
	}
}

func TestUnaryMinusOnDecimals(t *testing.T) {
	env := sampleTicket() // satisfaction 4.5
	requireDecimals(t, env, []decimalCase{
		{"-1.5", "-1.5"},
		{"-(1.5)", "-1.5"},
		{"- -1.5", "1.5"},
		{"-(-1.5)", "1.5"},
		{"-satisfaction", "-4.5"},
		{"-satisfaction + 5", "0.5"},
		{"5 + -satisfaction", "0.5"},
		{"-(satisfaction * 2)", "-9"},
		{"-(1.5 * 2) == -3 ? 1.0 : 0.0", "1"},
		{"-95%", "-0.95"},
		{"abs(-satisfaction)", "4.5"},
		{"-(1 / 3)", "-0.3333333333333333"},
	})
	p := compileT[Ticket](t, "-level")
	require.Equal(t, -2, evalT(t, p, env))
}

func TestRounding(t *testing.T) {
	env := sampleTicket()
	env.Late = 2*time.Hour + 30*time.Minute
	tests := []struct {
		src  string
		want any // a decimal as a string, an int or a duration
	}{
		{"ceil(2.1)", "3"},
		{"ceil(-2.1)", "-2"},
		{"ceil(2.0)", "2"},
		{"floor(2.9)", "2"},
		{"floor(-2.1)", "-3"},
		{"round(2.5)", "3"},
		{"round(-2.5)", "-3"}, // half away from zero
		{"round(2.4999)", "2"},
		{"round(1.005, 2)", "1.01"},
		{"round(-1.005, 2)", "-1.01"},
		{"round(2.345, 1)", "2.3"},
		{"round(1234.5, -2)", "1200"},
		{"round(satisfaction)", "5"},
		{"round(satisfaction / 7, 4)", "0.6429"},
		{"ceil(7 / 2)", "4"},
		{"floor(7 / 2)", "3"},
		{"ceil(2)", 2},
		{"floor(level)", 2},
		{"round(-3)", -3},
		// durations to a multiple of a unit
		{"ceil(61min, 1h)", 2 * time.Hour},
		{"ceil(1h + 1ns, 1h)", 2 * time.Hour},
		{"ceil(1h, 1h)", time.Hour},
		{"floor(119min, 1h)", time.Hour},
		{"round(late, budget)", 4 * time.Hour},
		{"round(late, 5h)", 5 * time.Hour}, // 2h30 of 5h: half away from zero
		{"round(late, 5h + 1ns)", time.Duration(0)},
		{"ceil(late - 1h, 1h)", 2 * time.Hour},
		{"ceil(0s - late + 60min, 1h)", -time.Hour},
		{"floor(0s - late + 60min, 1h)", -2 * time.Hour},
		{"ceil(late, 1h)", 3 * time.Hour},
		{"floor(late, 15min)", 2*time.Hour + 30*time.Minute},
		{"round(late, 1h)", 3 * time.Hour},
		{"round(elapsed, 1h)", 3 * time.Hour},
		{"ceil(elapsed, 45min)", 3 * time.Hour},
		// min, max and abs
		{"min(1, 2)", 1},
		{"max(1, 2)", 2},
		{"max(level, 3)", 3},
		{"min(elapsed, budget)", 2*time.Hour + 30*time.Minute},
		{"max(elapsed, budget)", 4 * time.Hour},
		{"max(late, 30min)", 2*time.Hour + 30*time.Minute},
		{"min(2h, elapsed)", 2 * time.Hour},
		{"min(1.5, 2.5)", "1.5"},
		{"max(-1.5, -2.5)", "-1.5"},
		{"abs(-2)", 2},
		{"abs(2)", 2},
		{"abs(-2.5)", "2.5"},
		{"abs(satisfaction - 10)", "5.5"},
		{"abs(late)", 2*time.Hour + 30*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			v := evalT(t, p, env)
			switch w := tt.want.(type) {
			case string:
				require.Equal(t, Decimal, p.Type())
				requireDecimal(t, w, v, tt.src)
			case int:
				require.Equal(t, Int, p.Type())
				require.Equal(t, w, v)
			case time.Duration:
				require.Equal(t, Duration, p.Type())
				require.Equal(t, w, v)
				d, err := EvalAs[time.Duration](p, env)
				require.NoError(t, err)
				require.Equal(t, w, d)
			}
		})
	}

	t.Run("instants", func(t *testing.T) {
		e := sampleTicket()
		v := evalT(t, compileT[Ticket](t, "max(opened, resolved)"), e)
		require.True(t, e.Resolved.Equal(v.(time.Time)))
		v = evalT(t, compileT[Ticket](t, "min(opened, resolved)"), e)
		require.True(t, e.Opened.Equal(v.(time.Time)))
	})

	t.Run("unit must be positive", func(t *testing.T) {
		for _, src := range []string{"ceil(late, 0s)", "floor(late, 0s - 1h)", "round(late, 0s)"} {
			p := compileT[Ticket](t, src)
			requireRuntimeError(t, p, env, "the unit must be positive")
		}
	})
}

// TestMinMaxAbsOfDurationLiterals: min, max and abs of durations written as
// literals are durations, like those of duration fields.
func TestMinMaxAbsOfDurationLiterals(t *testing.T) {
	// Regression test of a bug: a call whose arguments all involve a literal keeps the overload expr chose before the literals were typed: max(elapsed - 8h, 0s), min(1h, 2h), abs(1h) are typed decimal, max(opened + 1h, resolved + 1h) too, round(late - 1h, 1h) int; calendar_days(1h) and decimal(1h) compile and fail at run time
	env := sampleTicket()
	for src, want := range map[string]time.Duration{
		"round(90min, 1h)":      2 * time.Hour,
		"round(0s - 90min, 1h)": -2 * time.Hour,
		"ceil(0s - 90min, 1h)":  -time.Hour,
		"max(1h, 2h)":           2 * time.Hour,
		"min(1h, 2h)":           time.Hour,
		"abs(1h)":               time.Hour,
		"abs(0s - 90min)":       90 * time.Minute,
		"min(4h, 8h) * 2":       8 * time.Hour,
		"max(1h, 30min) + 1h":   2 * time.Hour,
	} {
		p, err := Compile[Ticket](src, Expect(Duration))
		require.NoError(t, err, src)
		require.Equal(t, want, evalT(t, p, env), src)
	}
	p := compileT[Ticket](t, "max(1h, 30min) > 1h")
	require.Equal(t, false, evalT(t, p, env))
	_, err := EvalAs[decimal.Decimal](compileT[Ticket](t, "max(1h, 2h)"), env)
	require.ErrorIs(t, err, ErrType, "a duration is not a decimal")
	require.NotPanics(t, func() { _, _ = EvalAs[int](compileT[Ticket](t, "round(90min, 1h)"), env) })
	p = compileT[Ticket](t, "max(opened + 1h, resolved + 1h)")
	require.Equal(t, Time, p.Type())
}

// TestCallArgumentsAreTypeChecked: the same bug seen from the arguments.
// An argument whose type is only known once the literals and the decimal
// operators are patched is not checked against the function's signatures:
// these compile, then fail on every evaluation ("interface conversion",
// "round of bool") or return nonsense (max(satisfaction > 1, 2) is 2).
// The fuzz target found them in seconds (testdata/fuzz/FuzzCompile keeps them).
func TestCallArgumentsAreTypeChecked(t *testing.T) {
	// Regression test of a bug: arguments typed by the literal and operator patches are not checked: calendar_days(1h), decimal(1h), round(1.5, 1h), abs(satisfaction < 0), max(satisfaction > 1, 2) compile
	for _, src := range []string{
		"calendar_days(1h)", "decimal(1h)", "round(1.5, 1h)", "round(0h, 0)", "end_of_open_day(opened, 1h)", "max(level, 1h)",
		"abs(satisfaction < 0)", "max(satisfaction > 1, 2)", "calendar_days(satisfaction < 1)", "decimal(satisfaction < 1)", "ceil(satisfaction == 1)",
	} {
		_, err := Compile[Ticket](src, withCalendars()...)
		require.ErrorIs(t, err, ErrType, src)
	}
}

// TestNegatedDurations: an expression that compiles runs. abs(-2h) compiles
// today and fails on every evaluation; either it runs (2h) or it is
// rejected when the contract loads.
func TestNegatedDurations(t *testing.T) {
	// Regression test of a bug: abs(-2h) and abs(-late) compile but every evaluation fails with "invalid operation: - duration"; -late is rejected at compile time though the closure backend implements it
	env := sampleTicket()
	env.Late = 90 * time.Minute
	for src, want := range map[string]time.Duration{
		"abs(-2h)":      2 * time.Hour,
		"abs(-late)":    90 * time.Minute,
		"-late + 2h":    30 * time.Minute,
		"-(late)":       -90 * time.Minute,
		"0s - -1h30min": 90 * time.Minute,
	} {
		p, err := Compile[Ticket](src)
		if err != nil {
			require.ErrorIs(t, err, ErrType, src)
			continue
		}
		require.Equal(t, want, evalT(t, p, env), src)
	}
}

// TestRoundDurationIsExact: rounding a duration to a unit is integer
// arithmetic; it must not depend on a division precision, neither the
// 16 digits shopspring/decimal divides to by default nor the package-level
// decimal.DivisionPrecision another package may set.
func TestRoundDurationIsExact(t *testing.T) {
	// Regression test of a bug: roundDuration divides with decimal.Div (global DivisionPrecision): ceil(U + 1ns, U) is U and floor(2U - 1ns, U) is 2U for U = 27777h46min40s; with decimal.DivisionPrecision = 1, ceil(61min, 1h) is 1h
	const unit = "27777h46min40s" // 10^17 ns
	u := time.Duration(1e17)
	for src, want := range map[string]time.Duration{
		"ceil(" + unit + " + 1ns, " + unit + ")":      2 * u,
		"floor(2 * " + unit + " - 1ns, " + unit + ")": u,
		"round(" + unit + " / 2 - 1ns, " + unit + ")": 0,
	} {
		require.Equal(t, want, evalT(t, compileT[Ticket](t, src), &Ticket{}), src)
	}
	// exact.RoundDuration does not read decimal.DivisionPrecision: see its
	// tests.
}

// TestRoundPlacesAreBounded: round(x, places) with an absurd number of
// places must not run for seconds (the cost is quadratic in places: 5 s for
// ten million, 31 s for thirty million, days for a billion; the VM's memory
// budget does not see it), nor wrap around int32. Places may come from
// the data: round(satisfaction, int(attrs.places)).
func TestRoundPlacesAreBounded(t *testing.T) {
	// Regression test of a bug: round(satisfaction, 10000000) runs for 5 s, round(satisfaction, 1000000000) for days (no bound on places); round(1.25, 4294967297) wraps to round(1.25, 1)
	env := sampleTicket()
	p, err := Compile[Ticket]("round(satisfaction, 10000000)")
	if err == nil {
		done := make(chan struct{})
		go func() { // left behind when the test fails
			_, _ = p.Eval(env)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(time.Second):
			t.Fatal("round(satisfaction, 10000000) takes more than a second")
		}
	}
	p, err = Compile[Ticket]("round(1.25, 4294967297)")
	if err == nil {
		v, err := p.Eval(env)
		if err == nil {
			requireDecimal(t, "1.25", v)
		}
	}
}

func TestDurationArithmetic(t *testing.T) {
	env := sampleTicket()
	env.Late = 2*time.Hour + 30*time.Minute
	tests := []struct {
		src  string
		want any
	}{
		// a duration by a duration is an exact decimal ratio
		{"90min / 1h", "1.5"},
		{"1h / 3h", "0.3333333333333333"},
		{"late / 1h", "2.5"},
		{"late / 30min", "5"},
		{"elapsed / budget", "0.625"},
		{"elapsed / budget >= 62.5%", true},
		// the penalty per started hour of lateness
		{"150 * ceil(late / 1h)", "450"},
		{"late > 0s ? 150 * ceil(late / 1h) : 0", "450"},
		{"elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0", "0"},
		// durations scale by integers and decimals
		{"1h * 1.5", 90 * time.Minute},
		{"1.5 * 1h", 90 * time.Minute},
		{"2 * 1h", 2 * time.Hour},
		{"1h * 2", 2 * time.Hour},
		{"late * 2", 5 * time.Hour},
		{"3 * late", 7*time.Hour + 30*time.Minute},
		{"late * 10%", 15 * time.Minute},
		{"1h / 2", 30 * time.Minute},
		{"1h / 1.5", 40 * time.Minute},
		{"1h / 3", 20 * time.Minute},
		{"10ns / 3", 3 * time.Nanosecond},
		{"5ns / 2", 3 * time.Nanosecond},   // half away from zero
		{"1ns * 0.5", 1 * time.Nanosecond}, // half away from zero
		{"1ns * 0.49", 0 * time.Nanosecond},
		{"elapsed + 30min", 3 * time.Hour},
		{"elapsed - 3h", -30 * time.Minute},
		{"calendar_days(3)", 72 * time.Hour},
		{"calendar_days(1) + 1h", 25 * time.Hour},
		{"resolved - opened", 42 * time.Hour},
		// comparisons
		{"late > 2h", true},
		{"late == 150min", true},
		{"late != 2h30min", false},
		{"opened + 42h == resolved", true},
		{"resolved - 42h == opened", true},
		{"1h + opened == opened + 60min", true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			v := evalT(t, p, env)
			if s, ok := tt.want.(string); ok {
				require.Equal(t, Decimal, p.Type())
				requireDecimal(t, s, v, tt.src)
				return
			}
			require.Equal(t, tt.want, v)
		})
	}

	for late, want := range map[time.Duration]string{
		0: "0", time.Nanosecond: "150", time.Hour: "150", time.Hour + time.Nanosecond: "300",
		2 * time.Hour: "300", 2*time.Hour + 30*time.Minute: "450",
	} {
		env.Late = late
		requireDecimal(t, want, evalT(t, compileT[Ticket](t, "150 * ceil(late / 1h)"), env), late)
	}

	t.Run("out of range", func(t *testing.T) {
		p := compileT[Ticket](t, "late * 10000000000.0")
		env.Late = time.Hour
		requireRuntimeError(t, p, env, "out of range")
	})
}

// requireRuntimeError requires the evaluation to fail, on both backends,
// with an *Error of code ErrRuntime whose message contains msg.
func requireRuntimeError[E Env](t testing.TB, p *Program[E], env *E, msg string) {
	t.Helper()
	check := func(backend string, v any, err error) {
		t.Helper()
		require.Error(t, err, "%s: %q gave %v", backend, p.Source(), v)
		e := asError(t, err)
		require.ErrorIs(t, err, ErrRuntime, backend)
		require.Equal(t, ErrRuntime, e.Code)
		require.Contains(t, e.Msg, msg, backend)
		require.Nil(t, v, backend)
	}
	v, err := p.Eval(env)
	check("Eval", v, err)
}

func TestDivisionByZero(t *testing.T) {
	env := sampleTicket()
	tests := []string{
		"1 / 0",
		"1.5 / 0",
		"1 / 0.0",
		"satisfaction / 0",
		"satisfaction / (level - 2)",
		"1 / (level - level)",
		"level / (level - 2)",
		"1h / 0",
		"1h / 0s",
		"elapsed / late",
		"1h / 0.0",
		"elapsed / (level - 2)",
		"150 * ceil(late / 0s)",
		"late / 0s > 1",
		"(satisfaction / 0) == 1",
	}
	for _, src := range tests {
		t.Run(src, func(t *testing.T) {
			p := compileT[Ticket](t, src)
			requireRuntimeError(t, p, env, "division by zero")
		})
	}

	t.Run("typed entry points", func(t *testing.T) {
		_, err := EvalAs[bool](compileT[Ticket](t, "1 / (level - 2) > 1"), env)
		require.ErrorIs(t, err, ErrRuntime)
		_, err = EvalAs[decimal.Decimal](compileT[Ticket](t, "satisfaction / (level - 2)"), env)
		require.ErrorIs(t, err, ErrRuntime)
		_, err = EvalAs[time.Duration](compileT[Ticket](t, "elapsed / (level - 2)"), env)
		require.ErrorIs(t, err, ErrRuntime)
	})

	t.Run("period on the VM", func(t *testing.T) {
		p := compileT[Period[decimal.Decimal]](t, "invoice / missed")
		_, err := EvalAs[decimal.Decimal](p, &Period[decimal.Decimal]{Invoice: dec("100")})
		e := asError(t, err)
		require.ErrorIs(t, err, ErrRuntime)
		require.Equal(t, "division by zero", e.Msg)
	})

	t.Run("integer modulo", func(t *testing.T) {
		p := compileT[Ticket](t, "level % (level - 2)")
		requireRuntimeError(t, p, env, "integer divide by zero")
	})

	t.Run("constant modulo", func(t *testing.T) {
		// expr folds constants: the error comes when the contract loads.
		_, err := Compile[Ticket]("10 % 0")
		e := asError(t, err)
		require.Equal(t, "integer divide by zero", e.Msg)
		require.Equal(t, 4, e.Column)
	})
}

func TestFloatingPointRejected(t *testing.T) {
	const msg = "floating-point arithmetic is not allowed: money and ratios are exact"
	tests := []struct {
		src string
		col int
	}{
		{"2 ** 3", 3},
		{"2 ^ 3", 3},
		{"level ** 2", 7},
		{"level ** 2 > 3", 7},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Compile[Ticket](tt.src)
			e := asError(t, err)
			require.ErrorIs(t, err, ErrType)
			require.Equal(t, msg, e.Msg)
			require.Equal(t, "write fractions as decimals (0.5, 2.5%); divide decimals, durations or integers", e.Hint)
			require.Equal(t, tt.col, e.Column)
		})
	}
	// Disabled builtins that compute in floating point.
	for _, src := range []string{"float(1)", "ceil(1.5) + float(2)"} {
		_, err := Compile[Ticket](src)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
	// A decimal to a power is a type error, not a float.
	_, err := Compile[Ticket]("1.5 ** 2")
	require.ErrorIs(t, err, ErrType)
}

// TestNoFloatThroughJSON: fromJSON returns float64 numbers, typed unknown,
// so the float check does not see them.
func TestNoFloatThroughJSON(t *testing.T) {
	// Regression test of a bug: fromJSON('0.1') + fromJSON('0.2') compiles and evaluates in float64 to 0.30000000000000004
	for _, src := range []string{
		"fromJSON('0.1') + fromJSON('0.2')",
		"fromJSON('0.1') + fromJSON('0.2') == fromJSON('0.3')",
		"fromJSON(attrs.amount) * 2",
	} {
		p, err := Compile[Ticket](src)
		if err == nil {
			v, err := p.Eval(sampleTicket())
			_, isFloat := v.(float64)
			require.False(t, isFloat && err == nil, "%q computed in floating point: %v", src, v)
			if b, ok := v.(bool); ok {
				require.True(t, b, src)
			}
		}
	}
}

func TestDecimalFromText(t *testing.T) {
	env := sampleTicket() // attrs.amount is "12,50"
	for src, want := range map[string]string{
		`decimal("4,5")`:                 "4.5",
		`decimal("4.5")`:                 "4.5",
		`decimal(" 1 000,50 ")`:          "1000.5",
		`decimal(attrs.amount) * 2`:      "25",
		`decimal(attrs["amount"]) + 0.5`: "13",
	} {
		p := compileT[Ticket](t, src)
		requireDecimal(t, want, evalT(t, p, env), src)
	}
	for _, src := range []string{`decimal("x")`, `decimal("1,000.5,0")`, `decimal(attrs.site)`, `decimal("")`} {
		p := compileT[Ticket](t, src)
		requireRuntimeError(t, p, env, "not a decimal number")
	}
	p := compileT[Ticket](t, "calendar_days(level - 3)")
	requireRuntimeError(t, p, env, "calendar_days(-1): out of range")
}

// The quotients are computed by internal/exact, with its own constant:
// the two are one number.
func TestQuotientPlaces(t *testing.T) {
	require.Equal(t, exact.QuotientPlaces, QuotientPlaces)
}
