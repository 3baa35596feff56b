package dsl

import (
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/shopspring/decimal"
)

// Constant evaluates an expression that reads no record: a threshold, a
// bound, a duration of a contract (95%, 4h, 20, calendar_days(3)). A
// literal alone, negated or not (a number, a percentage, a duration), is
// read as written, without compiling anything; any other expression is
// compiled, against [StatusChange] (whose fields it finds empty), and evaluated
// once. The value is an int, a decimal.Decimal, a time.Duration, or any
// other value of the language. An error of compilation is placed in the
// source as [Compile] places it; an error of the evaluation has no
// position (Line 0).
func Constant(source string, opts ...Option) (any, error) {
	cfg, rw, err := prepare(source, opts)
	if err != nil {
		return nil, err
	}
	if v, ok := literalValue(rw); ok {
		return v, nil
	}
	p, err := compile[StatusChange](source, cfg, rw)
	if err != nil {
		return nil, err
	}
	return p.Eval(&StatusChange{StatusChange: &pacte.StatusChange{}})
}

// literalValue is the value of a source that is one literal, with its
// sign.
func literalValue(rw *rewritten) (any, bool) {
	src := strings.TrimSpace(rw.src)
	neg := false
	if rest, ok := strings.CutPrefix(src, "-"); ok {
		src, neg = strings.TrimSpace(rest), true
	}
	if len(rw.literals) == 1 && (src == durationLiteral+"(0)" || src == decimalLiteral+"(0)") {
		return signed(rw.literals[0], neg), true
	}
	if len(rw.literals) > 0 || src == "" || strings.TrimLeft(src, "0123456789") != "" {
		return nil, false
	}
	n, err := strconv.Atoi(src)
	if err != nil {
		return nil, false // beyond an int: Compile says so
	}
	return signed(n, neg), true
}

func signed(v any, neg bool) any {
	if !neg {
		return v
	}
	switch x := v.(type) {
	case int:
		return -x // x ≥ 0: it was written without its sign
	case time.Duration:
		return -x
	case decimal.Decimal:
		return x.Neg()
	}
	return v
}
