package dsl

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestDurationLiterals(t *testing.T) {
	tests := []struct {
		src  string
		want time.Duration
	}{
		{"30s", 30 * time.Second},
		{"15min", 15 * time.Minute},
		{"4h", 4 * time.Hour},
		{"1h30min", 90 * time.Minute},
		{"1.5h", 90 * time.Minute},
		{"250ms", 250 * time.Millisecond},
		{"1h30min15s", time.Hour + 30*time.Minute + 15*time.Second},
		{"90s", 90 * time.Second},
		{"1.5ms", 1500 * time.Microsecond},
		{"2us", 2 * time.Microsecond},
		{"3µs", 3 * time.Microsecond},
		{"7ns", 7},
		{"0s", 0},
		{"1_000ms", time.Second},
		{"300000h", 300000 * time.Hour},
		{"(4h)", 4 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, Expect(Duration))
			require.Equal(t, Duration, p.Type())
			d, err := EvalAs[time.Duration](p, &Ticket{})
			require.NoError(t, err)
			require.Equal(t, tt.want, d)
			requireSameValue(t, tt.want, evalT(t, p, &Ticket{}), tt.src)
		})
	}
}

func TestDurationLiteralsInExpressions(t *testing.T) {
	env := &Ticket{Clock: Clock{Elapsed: 4 * time.Hour}}
	requireBools(t, env, []boolCase{
		{"elapsed <= 4h", true},
		{"elapsed < 4h", false},
		{"elapsed == 240min", true},
		{"elapsed > 3h59min59s", true},
		{"elapsed>=4h&&elapsed<=4h", true}, // no spaces: the unit ends at the operator
		{"elapsed == 2h + 2h", true},
		{"elapsed == 2 * 2h", true},
		{"elapsed == 8h / 2", true},
	})
}

// TestBadDurationLiterals checks the exact message, position and hint of
// each rejected literal.
func TestBadDurationLiterals(t *testing.T) {
	const dayHint = "day units are explicit: calendar_days(3) is 72 hours, end_of_open_day(3) the end of the third open day, 27h is 27 hours of open time"
	requireCompileErrors(t, ErrLiteral, []compileError{
		{"3d", `unknown duration unit "d" in "3d"`, 1, 1, dayHint},
		{"2w", `unknown duration unit "w" in "2w"`, 1, 1, dayHint},
		{"elapsed > 3d", `unknown duration unit "d" in "3d"`, 1, 11, dayHint},
		{"elapsed > 2days", `unknown duration unit "days" in "2days"`, 1, 11, dayHint},
		{"5m", `unknown duration unit "m" in "5m"`, 1, 1, `"m" could be minutes or months: write min for minutes`},
		{"4hours", `unknown duration unit "hours" in "4hours"`, 1, 1, "write h for hours: 4h"},
		{"15mins", `unknown duration unit "mins" in "15mins"`, 1, 1, "write min for minutes: 15min"},
		{"30sec", `unknown duration unit "sec" in "30sec"`, 1, 1, "write s for seconds: 30s"},
		{"4hx", `unknown duration unit "hx" in "4hx"`, 1, 1, "units are ns, us, ms, s, min and h"},
		{"1h30mn", `unknown duration unit "mn" in "1h30mn"`, 1, 1, "write min for minutes: 15min"},
		{"0.5ns", `duration "0.5ns" is not a whole number of nanoseconds`, 1, 1, ""},
		{"3000000h", `duration "3000000h" is too long (more than 290 years)`, 1, 1, ""},
		{"4h_x", `bad duration "4h_x"`, 1, 1, "write durations as number-unit pairs: 4h, 15min, 1h30min, 90s"},
		{"late > 0s &&\n  elapsed > 1d", `unknown duration unit "d" in "1d"`, 2, 13, dayHint},
	})
}

// TestFrenchHourNotation: "1h30" is how a French contract writes an hour
// and a half. It is rejected (the language wants 1h30min), as a literal
// error at the literal.
func TestFrenchHourNotation(t *testing.T) {
	_, err := Compile[Ticket]("elapsed <= 1h30")
	e := asError(t, err)
	require.ErrorIs(t, err, ErrLiteral)
	require.Equal(t, 12, e.Column)
	require.Contains(t, e.Msg, `"1h30"`)
}

// TestPercentOrModulo checks the rule of literals.go: "%" right after a
// number is a percent sign when nothing after it can start an operand;
// otherwise it is the modulo operator.
func TestPercentOrModulo(t *testing.T) {
	period := &Period[decimal.Decimal]{Achieved: dec("0.95"), Invoice: dec("10000")}
	percents := []struct {
		src  string
		want any
	}{
		{"95% * invoice", dec("9500")},
		{"achieved >= 95%", true},
		{"achieved >= 95% && achieved < 100%", true},
		{"achieved == 95%", true},
		{"achieved != 95%", false},
		{"95% != achieved", false},
		{"5%-2%", dec("0.03")},
		{"[95%, 2%][1] == 0.02", true},
		{"95% in [0.95]", true},
		{"achieved >= 95% and true", true},
		{"achieved >= 95% or false", true},
		{"achieved >= 95%\n", true},
		{"achieved >= 95% // objective", true},
		{"breached ? 5% * invoice : 0", dec("0")},
		{"breached ? 0 : 5%", dec("0.05")},
	}
	for _, tt := range percents {
		t.Run("percent/"+tt.src, func(t *testing.T) {
			p := compileT[Period[decimal.Decimal]](t, tt.src)
			v, err := p.Eval(period)
			require.NoError(t, err)
			if d, ok := tt.want.(decimal.Decimal); ok {
				requireDecimal(t, d.String(), v, tt.src)
				return
			}
			require.Equal(t, tt.want, v)
		})
	}

	env := &Ticket{Ticket: sampleTicket().Ticket}
	env.Ticket.Level = 9
	modulos := []struct {
		src  string
		want int
	}{
		{"level % 7", 2},
		{"level %7", 2},
		{"level%7", 2},
		{"level% 7", 2},
		{"10 % 3", 1},
		{"10 %3", 1},
		{"10%3", 1},
		{"10%(3)", 1},
		{"10 % (3)", 1},
		{"10%level", 1},
		{"10 % level", 1},
		{"10%-3 == 0 ? 0 : 1", 1}, // a percent: 0.1 - 3 is not 0
	}
	for _, tt := range modulos {
		t.Run("modulo/"+tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			require.Equal(t, Int, p.Type(), "%q is an integer modulo", tt.src)
			require.Equal(t, tt.want, evalT(t, p, env))
		})
	}
}

// TestDecimalLiterals: percents and numbers with a fraction are exact
// decimals.
func TestDecimalLiterals(t *testing.T) {
	requireDecimals(t, &Ticket{}, []decimalCase{
		// percents
		{"95%", "0.95"},
		{"2.5%", "0.025"},
		{"0.5%", "0.005"},
		{"100%", "1"},
		{"0%", "0"},
		{"99.95%", "0.9995"},
		{"(95%)", "0.95"},
		{"5%-2%", "0.03"},
		{"5% - 2%", "0.03"},
		{"3% * 1000", "30"},
		{"1000 * 3%", "30"},
		{"10%-3", "-2.9"}, // an operator follows: a percent, then minus 3
		{"max(95%, 2%)", "0.95"},
		// decimals
		{"11.00", "11"},
		{"0.1", "0.1"},
		{"9.50", "9.5"},
		{"18000.00", "18000"},
		{"1_000.50", "1000.5"},
		{"0.000001", "0.000001"},
		{"1e3", "1000"},
		{"1.5e2", "150"},
		{"2.5e-3", "0.0025"},
		{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
	})
	// Integers stay integers; hexadecimal, octal and binary too.
	for src, want := range map[string]int{"11": 11, "1_000": 1000, "0x10": 16, "0o17": 15, "0b101": 5} {
		p := compileT[Ticket](t, src)
		require.Equal(t, Int, p.Type(), src)
		require.Equal(t, want, evalT(t, p, &Ticket{}), src)
	}
	// A range is not a fraction.
	p := compileT[Ticket](t, "len(1..3)")
	require.Equal(t, 3, evalT(t, p, &Ticket{}))
}

// TestLiteralsInStringsAndComments: text inside strings and comments is
// left as written, even when it looks like a literal (or a bad one).
func TestLiteralsInStringsAndComments(t *testing.T) {
	env := &Ticket{Ticket: sampleTicket().Ticket}
	tests := []struct {
		src  string
		want any
	}{
		{`"4h"`, "4h"},
		{`'95%'`, "95%"},
		{"`3d 5m 1.5`", "3d 5m 1.5"},
		{`"3d"`, "3d"},
		{`"__x"`, "__x"},
		{`"a\"4h" + '4h'`, `a"4h4h`},
		{`'it\'s 2w' + "3d"`, "it's 2w3d"},
		{"1 // 3d and 5m are not literals here", 1},
		{"1 /* 3d, 2w, 5m, __x */ + 1", 2},
		{"/* 4h */ 2 // 95%", 2},
		{"priority == \"P1\" // 4hours", true},
		{`attrs["cause"] == "4h" ? "yes" : "no"`, "no"},
		{`kind + " 4h"`, "incident 4h"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			require.Equal(t, tt.want, evalT(t, p, env))
		})
	}
}

func TestReservedNames(t *testing.T) {
	requireCompileErrors(t, ErrLiteral, []compileError{
		{"__x", reserved("__x"), 1, 1, ""},
		{"__pacte0", reserved("__pacte0"), 1, 1, ""},
		{"priority == __pacte0", reserved("__pacte0"), 1, 13, ""},
		{"4h + __env", reserved("__env"), 1, 6, ""},
		{"1 +\n__x", reserved("__x"), 2, 1, ""},
	})
	// The operator overloads are internal: they cannot be called by name.
	_, err := Compile[Ticket]("__add(1.5, 1)")
	require.ErrorIs(t, err, ErrLiteral)
}

// reserved is the message of a reserved name.
func reserved(name string) string { return `names starting with __ are reserved: "` + name + `"` }

// TestPositionMap: an error found by expr after several literals were
// rewritten into placeholders of another length points at the right
// column of the text as written.
func TestPositionMap(t *testing.T) {
	tests := []struct {
		src       string
		fault     string // the text the error points at
		line, col int
		msg       string
	}{
		{
			src:   `elapsed >= 1h30min && late <= 15min && satisfaction > 95% && priorty == "P1"`,
			fault: "priorty", line: 1, col: 62, msg: "unknown name priorty",
		},
		{
			src:   `4h + 15min + 1h30min + 250ms + 2.5 > 1h`,
			fault: "+ 2.5", line: 1, col: 30, msg: "invalid operation: + (mismatched types duration and decimal)",
		},
		{
			src:   "95% * 11.00 > 2.5% &&\n  elapsed <= 4h &&\n  late > 3%",
			fault: "> 3%", line: 3, col: 8, msg: "invalid operation: > (mismatched types duration and decimal)",
		},
		{
			src:   `attrs["café"] == "thé" && elapsed > 1h30min && bogus`,
			fault: "bogus", line: 1, col: 48, msg: "unknown name bogus",
		},
		{
			src:   `1h30min15s + 0.25 == 2`,
			fault: "+ 0.25", line: 1, col: 12, msg: "invalid operation: + (mismatched types duration and decimal)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			// The expected column, counted in runes on the line of the fault.
			i := strings.Index(tt.src, tt.fault)
			require.GreaterOrEqual(t, i, 0)
			lineStart := strings.LastIndex(tt.src[:i], "\n") + 1
			require.Equal(t, tt.col, utf8.RuneCountInString(tt.src[lineStart:i])+1, "test table")

			_, err := Compile[Ticket](tt.src)
			e := asError(t, err)
			require.Equal(t, tt.msg, e.Msg)
			require.Equal(t, tt.line, e.Line, "line")
			require.Equal(t, tt.col, e.Column, "column")
			require.Equal(t, strings.Split(tt.src, "\n")[tt.line-1], e.Text)
			require.Equal(t, utf8.RuneCountInString(tt.src[:i]), e.Offset, "offset")
		})
	}
}

// TestRewriteOffsets checks the map from the rewritten source back to the
// source as written, literal by literal.
func TestRewriteOffsets(t *testing.T) {
	src := `elapsed > 4h && x < 95% + 11.00`
	rw, err := rewriteLiterals(src)
	require.NoError(t, err)
	require.Len(t, rw.literals, 3)
	require.Equal(t, 4*time.Hour, rw.literals[0])
	require.True(t, dec("0.95").Equal(rw.literals[1].(decimal.Decimal)))
	require.True(t, dec("11").Equal(rw.literals[2].(decimal.Decimal)))
	require.Equal(t, `elapsed > __pacte_dur(0) && x < __pacte_dec(1) + __pacte_dec(2)`, rw.src)

	for _, name := range []string{"elapsed", "&&", "x", "+"} {
		orig := strings.Index(src, name)
		now := strings.Index(rw.src, name)
		require.Equal(t, orig, rw.originalOffset(now), name)
	}
	// Inside a placeholder: the start of its literal.
	for i, lit := range []string{"4h", "95%", "11.00"} {
		fn := decimalLiteral
		if i == 0 {
			fn = durationLiteral
		}
		ph := fn + "(" + string(rune('0'+i)) + ")"
		start := strings.Index(rw.src, ph)
		for k := range len(ph) {
			require.Equal(t, strings.Index(src, lit), rw.originalOffset(start+k), "%s+%d", ph, k)
		}
	}
	// The end of the source maps to the end.
	require.Equal(t, len(src), rw.originalOffset(len(rw.src)))
}
