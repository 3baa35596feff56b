package dsl

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/require"
)

// maxFuzzSource bounds the expressions the fuzzer tries: contract
// clauses are short, and long ones would make it slow to minimize what it
// finds (the limit of the language's length is tested on its own).
const maxFuzzSource = 512

// brokenSeeds are expressions that must fail to compile, cleanly.
var brokenSeeds = []string{
	``, ` `, `(`, `)`, `kind ==`, `kind = "x"`, `'unterminated`, `"a" +`, `[1, 2`, `{"a": }`,
	`3d`, `2w`, `5m`, `4hours`, `1h30`, `0.5ns`, `3000000h`, `4h_x`, `95%%`, `95 %`, `__x`, `__pacte0`,
	`priorty == "P1"`, `priority == 1`, `elapsed > 1.5`, `2 ** 3`, `now()`, `date("2027-01-01")`,
	`open_time("XX", opened, resolved)`, `open_time(kind, opened, resolved)`, `fee("UO")`,
	`1 ? 2 : 3`, `elapsed.Hours()`, `1.5.h`, `10 % 0`, `link("x").zzz`,
	"priority == \"P1\" &&\n  elapsed <= 4h &&\n  bogus",
	`attrs["café"] == 1`,
}

// fuzzSeeds are expressions that compile, beyond the differential corpus.
var fuzzSeeds = []string{
	`0.1 + 0.2 == 0.3`, `1 / 3`, `2 / 3`, `19 / 20 >= 95%`, `1.10 == 1.1`, `5%-2%`, `10%(3)`, `level % 7`,
	`ceil(61min, 1h)`, `round(-2.5)`, `round(1.005, 2)`, `1 / 0`, `1h / 0s`, `-satisfaction`, `- -1.5`,
	`"4h" + '3d'`, `1 // 3d`, `/* 5m */ 2`, `1h30min15s`, `250ms * 4`, `1e3`, `0x10`, `len(1..3)`,
	`decimal("4,5")`, `calendar_days(-1)`, `len(1..1000000)`, `map(1..10, # * 2)`, `{"a": 1}.a`,
	`let x = 1.5; x * 2`, `history[0].status`, `links[0].priority`, `reopened[0] - opened`,
	`upper(kind) + lower(priority)`, `filter(history, .status == "resolved")`,
	`first(links)?.resolved > opened`, `(first(links)?.resolved ?? opened) > opened`, `let l = last(history)?.at; l`,
	`find(history, .status == "x")?.at == opened ? 1 : first(links)?.priority`,
	`satisfaction < 80`, `level > 5% || -satisfaction != 1`, `let s = satisfaction; min(s, 0.5) + 1 > 2`,
	`satisfaction * 100 < 80 && level < satisfaction`,
}

// fuzzUnits mark names of a ticket as a share and a count, for
// CheckUnits.
var fuzzUnits = Units{Names: map[string]Unit{"satisfaction": Share, "level": Count},
	Result: func(string, string) Unit { return Share }}

// fuzzInvariants checks, for one source, what must hold whatever it is:
// Compile does not panic and returns an *Error (or a list of them) placed
// in the source; a program's evaluation does not panic, fails only with a
// runtime or limit *Error that is not a Go panic in disguise, and gives a
// value of the program's type. (Package internal/fast fuzzes its closures against
// the VM from the same corpus.)
func fuzzInvariants(t *testing.T, src string, env *Ticket) {
	var p *Program[Ticket]
	var err error
	require.NotPanics(t, func() { p, err = Compile[Ticket](src, withCalendars()...) }, "Compile(%q)", src)
	if err != nil {
		var e *Error
		require.True(t, errors.As(err, &e), "Compile(%q): %T is not a *dsl.Error: %v", src, err, err)
		require.NotNil(t, e.Code, "Compile(%q): no code: %v", src, err)
		require.GreaterOrEqual(t, e.Line, 1, "Compile(%q): %v", src, err)
		require.GreaterOrEqual(t, e.Column, 1, "Compile(%q): %v", src, err)
		require.LessOrEqual(t, e.Line, strings.Count(src, "\n")+1, "Compile(%q): %v", src, err)
		require.NotPanics(t, func() { _ = err.Error() })
		return
	}
	var uerr error
	require.NotPanics(t, func() { uerr = p.CheckUnits(fuzzUnits) }, "CheckUnits(%q)", src)
	if uerr != nil {
		var e *Error
		require.ErrorAs(t, uerr, &e, "CheckUnits(%q)", src)
		require.ErrorIs(t, uerr, ErrType, "CheckUnits(%q)", src)
		require.GreaterOrEqual(t, e.Column, 1, "CheckUnits(%q): %v", src, uerr)
		require.LessOrEqual(t, e.Line, strings.Count(src, "\n")+1, "CheckUnits(%q): %v", src, uerr)
	}
	var v any
	var verr error
	require.NotPanics(t, func() { v, verr = p.Eval(env) }, "Eval(%q)", src)
	if verr != nil {
		require.True(t, errors.Is(verr, ErrRuntime) || errors.Is(verr, ErrLimit), "%q: %v", src, verr)
		for _, goPanic := range []string{"interface conversion", "nil pointer", "invalid memory address", "reflect:"} {
			require.NotContains(t, verr.Error(), goPanic, "%q fails with a Go panic", src)
		}
	}
	if verr == nil && p.Type() != Other && p.Type() != Unknown {
		require.Equal(t, p.Type(), typeOf(reflect.TypeOf(v)), "%q: the value %#v is not of the program's type", src, v)
	}
	// The typed entry points do not panic either.
	require.NotPanics(t, func() {
		switch p.Type() {
		case Bool:
			_, _ = EvalAs[bool](p, env)
		case Int:
			_, _ = EvalAs[int](p, env)
			_, _ = EvalAs[decimal.Decimal](p, env)
		case String:
			_, _ = EvalAs[string](p, env)
		case Decimal:
			_, _ = EvalAs[decimal.Decimal](p, env)
		case Duration:
			_, _ = EvalAs[time.Duration](p, env)
		case Time:
			_, _ = EvalAs[time.Time](p, env)
		}
	}, "typed evaluation of %q", src)
}

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range brokenSeeds {
		f.Add(s)
	}
	env := sampleTicket()
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > maxFuzzSource {
			return
		}
		fuzzInvariants(t, src, env)
	})
}

// readFuzzInput reads a corpus file of one string ("go test fuzz v1").
func readFuzzInput(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, 2, path)
	require.Equal(t, "go test fuzz v1", lines[0])
	arg := strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")")
	src, err := strconv.Unquote(arg)
	require.NoError(t, err, path)
	return src
}

func TestReadFuzzInputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz*", "FuzzCompile", "*"))
	require.NoError(t, err)
	for _, f := range files {
		require.NotPanics(t, func() { readFuzzInput(t, f) }, f)
	}
}
