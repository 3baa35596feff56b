package dsl

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestConstant: a literal is read without compiling, and gives what the
// compiled expression gives, to the exponent of its decimal; other
// expressions are compiled.
func TestConstant(t *testing.T) {
	for _, src := range []string{
		`95%`, `-95%`, ` 2.5% `, `+20`, `-4h`, `1h30min`, `20`, `-20`, `0`, `11.00`, `-0.5`, `1e3`, `007`,
		`calendar_days(3)`, `4h + 30min`, `2 * 4h`, `1_000`, `(95%)`, `- -1`,
	} {
		got, err := Constant(src)
		require.NoError(t, err, src)
		p := compileT[StatusChange](t, src)
		want, err := p.Eval(&StatusChange{})
		require.NoError(t, err, src)
		require.Equal(t, reflect.TypeOf(want), reflect.TypeOf(got), src)
		if d, ok := want.(decimal.Decimal); ok {
			require.Equal(t, d.String(), got.(decimal.Decimal).String(), src)
			require.Equal(t, d.Exponent(), got.(decimal.Decimal).Exponent(), src)
			continue
		}
		require.Equal(t, want, got, src)
	}
	v, err := Constant("4h")
	require.NoError(t, err)
	require.Equal(t, 4*time.Hour, v)

	for src, code := range map[string]error{
		``: ErrSyntax, `4d`: ErrLiteral, `1e10000`: ErrLiteral, `99999999999999999999`: ErrLiteral, `priorty`: ErrUnknownName,
	} {
		_, err := Constant(src)
		require.ErrorIs(t, err, code, src)
		require.Positive(t, asError(t, err).Line, "%q: a compile error is placed", src)
	}
	_, err = Constant(`calendar_days(-1)`)
	require.ErrorIs(t, err, ErrRuntime)
	require.Zero(t, asError(t, err).Line, "an error of the evaluation has no position")
}

// BenchmarkConstant compares a literal read as it is with a constant
// expression compiled and evaluated.
func BenchmarkConstant(b *testing.B) {
	for _, src := range []string{`95%`, `4h + 30min`} {
		b.Run(src, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Constant(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
