package dsl

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestCostRefusedAtLoad: predicates over lists whose lengths are known
// when the expression compiles are costed then, and an expression over
// its budget is refused, placed at the predicate that costs the most.
func TestCostRefusedAtLoad(t *testing.T) {
	for _, tt := range []struct{ src, msg string }{
		{`let r = 1..40000; all(r, all(r, true))`, "1:19: evaluating this expression costs 1600080006 units, more than its budget of 1000000: all visits too many elements"},
		{`all(1..1000, all(1..1000, all(1..1000, # > 0)))`, "1:1: evaluating this expression costs 3004004004 units, more than its budget of 1000000: all visits too many elements"},
		{`len(uniq(1..90000)) > 0`, "1:5: evaluating this expression costs 8100000007 units, more than its budget of 1000000: uniq compares too many elements"},
		{`any(history, all(1..2000000, true))`, "1:1: each element any visits costs 2000004 units, more than the budget of 1000000 of the whole evaluation"},
		{`let r = 1..9000000000000000000; all(r, all(r, all(r, true)))`, "costs more than 18446744073709551614 units"},
	} {
		_, err := Compile[Ticket](tt.src)
		require.ErrorIs(t, err, ErrLimit, tt.src)
		require.ErrorContains(t, err, tt.msg, tt.src)
		require.ErrorContains(t, err, "each element a predicate visits costs the size of its body", tt.src)
	}
	// The common predicates are far from it.
	for _, src := range []string{
		`all(1..12, # > 0)`, `count(history, .status == "resolved") <= 2`, `let r = 1..300; all(r, all(r, # + 1 > 0))`,
		`any(history, any(history, .at > opened))`, `sum(map(1..12, # * 2)) > 0`,
	} {
		compileT[Ticket](t, src)
	}
	// The budget is an option of compilation.
	_, err := Compile[Ticket](`let r = 1..300; all(r, all(r, # > 0))`, CostLimit(1000))
	require.ErrorIs(t, err, ErrLimit)
	p := compileT[Ticket](t, `let r = 1..40000; all(r, all(r, # > 0))`, CostLimit(math.MaxUint64))
	require.False(t, p.metered, "a cost known at compile time is not charged at run time")
}

// TestCostChargedAtRunTime: predicates over lists of unknown length
// charge their cost as they run, and fail beyond the budget; the
// evaluation ends however long the lists.
func TestCostChargedAtRunTime(t *testing.T) {
	env := sampleTicket()
	for _, src := range []string{
		`let r = 1..(level + 40000); all(r, all(r, true))`,
		`let r = 1..(level + 1000); all(r, all(r, all(r, # > 0)))`,
		`len(uniq(1..(level + 90000))) > 0`,
		// in reads its whole list, once per visit
		`let big = split(repeat("x,", 3000), ","); all(big, # in big)`,
		// a predicate over a short list of long texts costs what it reads
		`let s = repeat("x", 1000000); all(1..90000, !(s contains "y"))`,
		`let s = repeat("x", 1000000); all(1..(level * 1000), upper(s) != "")`,
	} {
		p := compileT[Ticket](t, src)
		require.True(t, p.metered, src)
		_, err := p.Eval(env)
		require.ErrorIs(t, err, ErrLimit, src)
		require.ErrorContains(t, err, "the evaluation costs more than its budget of 1000000 units", src)
	}
	// Within the budget, a metered program gives its value, again and
	// again: the meter starts afresh with each evaluation.
	p := compileT[Ticket](t, `count(1..(level * 100), # % 2 == 0) + count(history, .status != "")`)
	require.True(t, p.metered)
	for range 3 {
		v, err := p.Eval(env)
		require.NoError(t, err)
		require.Equal(t, 100+len(env.History), v)
	}
	// The environment the caller passed keeps no meter.
	require.Nil(t, env.meterOf())
}

// TestEvalContext: a cancelled context stops an evaluation, before it
// starts or in the middle of a predicate.
func TestEvalContext(t *testing.T) {
	env := sampleTicket()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	p := compileT[Ticket](t, `priority == "P1"`)
	_, err := p.EvalContext(cancelled, env)
	require.ErrorIs(t, err, context.Canceled)
	_, err = EvalAsContext[bool](cancelled, p, env)
	require.ErrorIs(t, err, context.Canceled)
	ok, err := EvalAsContext[bool](context.Background(), p, env)
	require.NoError(t, err)
	require.True(t, ok)

	// Without a budget, this would run for minutes (1.6 billion visits);
	// the context stops it in the middle.
	long := compileT[Ticket](t, `let r = 1..(level + 40000); all(r, all(r, true))`, CostLimit(math.MaxUint64))
	ctx, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	_, err = EvalAsContext[bool](ctx, long, env)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestTextBounds(t *testing.T) {
	env := sampleTicket()
	for _, tt := range []struct{ src, msg string }{
		{`let a = repeat("x", 600000); len(a + a) > 0`, "a text of 1200000 bytes, more than the 1048576 an expression may build"},
		{`len(repeat("ab", 1000000)) > 0`, "a text of 2000000 bytes"},
		{`len(repeat("ab", 9223372036854775807)) > 0`, "more than the 1048576 an expression may build"},
		{`let a = repeat("x", 1100); len(replace(a, "", a)) > 0`, "a text of 1212200 bytes"},
		{`let a = repeat("x", 600000); len(join([a, a], "")) > 0`, "a text of 1200000 bytes"},
		{`let a = repeat("x", 600000); len(join([a, "y"], a)) > 0`, "a text of 1200001 bytes"},
	} {
		p := compileT[Ticket](t, tt.src)
		_, err := p.Eval(env)
		require.ErrorIs(t, err, ErrLimit, tt.src)
		require.ErrorContains(t, err, tt.msg, tt.src)
	}
	for src, want := range map[string]any{
		`repeat("ab", 3)`:                 "ababab",
		`replace("a,b,c", ",", ";")`:      "a;b;c",
		`replace("a,b,c", ",", ";", 1)`:   "a;b,c",
		`join(["a", "b"], ", ")`:          "a, b",
		`join(map(history, .status))`:     "newin progressWaiting for clientin progressresolved",
		`string(level) + string(late)`:    "20s",
		`string(satisfaction) + priority`: "4.5P1",
	} {
		require.Equal(t, want, evalT(t, compileT[Ticket](t, src), env), src)
	}
	for _, src := range []string{`toJSON(kind)`, `toBase64(kind)`, `fromBase64(kind)`} {
		_, err := Compile[Ticket](src)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
	_, err := Compile[Ticket](`string(history) != ""`)
	require.ErrorIs(t, err, ErrType)
	require.ErrorContains(t, err, "string() writes a number, a duration, an instant or a bool, not a list or a map")
	_, err = compileT[Ticket](t, `string(first([[1]])) != ""`).Eval(env)
	require.ErrorContains(t, err, "string() of a list or a map")
}

func TestNumberBounds(t *testing.T) {
	env := sampleTicket()
	for _, tt := range []struct{ src, msg string }{
		{`9223372036854775807 + 1 > 0`, "integer overflow: 9223372036854775807 + 1"},
		{`-9223372036854775807 - level < 0`, "integer overflow: -9223372036854775807 - 2"},
		{`level * 4611686018427387904 > 0`, "integer overflow: 2 * 4611686018427387904"},
		{`abs(-9223372036854775807 - 1) > 0`, "integer overflow: -(-9223372036854775808)"},
		{`-(-9223372036854775807 - 1) > 0`, "integer overflow: -(-9223372036854775808)"},
		{`sum([9223372036854775807, 1]) > 0`, "integer overflow: 9223372036854775807 + 1"},
		{`2562047h + 1h > 0s`, "duration overflow: 2562047h + 1h"},
		{`-2562047h - 1h < 0s`, "duration overflow: -2562047h - 1h"},
		{`1000000 * 10000h > 0s`, "duration overflow: 10000h * 1000000"},
		{`abs(-2562047h - 47min - 16s - 854775807ns - 1ns) > 0s`, "duration overflow"},
		{`1e999 * 10 > 0`, "a decimal of more than 1000 digits, beyond what the language computes"},
		{`let x = 1e500; x * x > 0`, "a decimal of more than 1000 digits"},
		{`let x = 1e-501; x * x > 0`, "a decimal of more than 1000 digits"},
		{`1e999 + 0.01 > 0`, "a decimal of more than 1000 digits"},
		{`decimal("1e5000") > 0`, "a decimal of more than 1000 digits"},
		{`mean([1e999, 9e999]) > 0`, "a decimal of more than 1000 digits"},
	} {
		p := compileT[Ticket](t, tt.src)
		_, err := p.Eval(env)
		require.Error(t, err, tt.src)
		require.ErrorContains(t, err, tt.msg, tt.src)
	}
	// Repeated squaring ends at once rather than growing without bound.
	p := compileT[Period[decimal.Decimal]](t, `let a = 1e100 * invoice; let b = a * a; let c = b * b; let d = c * c; let e = d * d; e * e`)
	_, err := EvalAs[decimal.Decimal](p, &Period[decimal.Decimal]{Invoice: dec("12000.50")})
	require.ErrorIs(t, err, ErrLimit)

	for _, tt := range []struct{ src, msg string }{
		{`1e10000 > 0`, "1:1: decimal 1e10000 is out of range: the language computes with at most 1000 digits"},
		{`level > 99999999999999999999`, "1:9: integer 99999999999999999999 is out of range (at most 9223372036854775807)"},
		{`satisfaction > 1e-1001`, "1:16: decimal 1e-1001 is out of range"},
		{`late * late > 0s`, "a duration times a duration is no quantity of the language"},
	} {
		_, err := Compile[Ticket](tt.src)
		require.Error(t, err, tt.src)
		require.ErrorContains(t, err, tt.msg, tt.src)
	}
	_, err = Compile[Ticket](`level > 99999999999999999999`)
	require.ErrorIs(t, err, ErrLiteral)
	require.ErrorContains(t, err, "write a larger number as a decimal: 99999999999999999999.0")
}

// TestAggregatesOfRanges: sum, mean, median and percentile of a range of
// integers, which compiled and then failed on every evaluation, run, and
// exactly.
func TestAggregatesOfRanges(t *testing.T) {
	env := &Period[decimal.Decimal]{Month: 3}
	for src, want := range map[string]string{
		`sum(1..10)`:                     "55",
		`mean(1..10)`:                    "5.5",
		`median(1..10)`:                  "5",
		`percentile(1..10, 90)`:          "9",
		`sum(1..month)`:                  "6",
		`mean(1..month)`:                 "2",
		`sum(map(1..4, # * 2))`:          "20",
		`mean(filter(1..9, # % 2 == 0))`: "5",
	} {
		p := compileT[Period[decimal.Decimal]](t, src)
		v, err := EvalAs[decimal.Decimal](p, env)
		require.NoError(t, err, src)
		require.Equal(t, want, v.String(), src)
	}
	_, err := EvalAs[decimal.Decimal](compileT[Period[decimal.Decimal]](t, `mean(1..0)`), env)
	require.ErrorContains(t, err, "mean: no values")
	require.True(t, errors.Is(err, ErrRuntime))
}

// TestBoundsAreTheHelpers: the bounds the documentation gives are those
// the arithmetic enforces.
func TestBoundsAreTheHelpers(t *testing.T) {
	require.Equal(t, exact.MaxDigits, MaxDigits)
	require.Equal(t, exact.MaxText, MaxText)
}

// TestMeterNotAName: the meter an environment carries is no name of the
// language.
func TestMeterNotAName(t *testing.T) {
	for _, src := range []string{`metered`, `m`, `$env.metered`, `__pacte_visit($env, history, 1)`} {
		_, err := Compile[Ticket](src)
		require.Error(t, err, src)
	}
	require.NotContains(t, strings.Join(Names[Ticket](), " "), "meter")
}
