package fast

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/pacte-sla/pacte/internal/tickets"
	"github.com/shopspring/decimal"
)

// closures is a compiled expression: its value, whose closure of the
// result's type the entry points call (and whose open says the program is
// is_open(cal, t): see Program.OpenTest), and whether that may fail.
type closures[E any] struct {
	val[E]
	// safe: no closure of the program can fail, so the entry points need
	// not recover (a deferred recover costs as much as a typical scope).
	safe bool
}

// openTest is the calendar and the instant of is_open(cal, t).
type openTest[E any] struct {
	cal *calendar.Calendar
	at  func(*E) time.Time
}

// evalError carries a runtime error out of a closure; the entry points
// recover it.
type evalError struct{ err error }

func fail(err error) { panic(evalError{err}) }

// must is v, or the failure of the evaluation when err is not nil.
func must[T any](v T, err error) T {
	if err != nil {
		fail(err)
	}
	return v
}

func recoverEval(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(evalError); ok {
			code := dsl.ErrRuntime
			if errors.Is(e.err, exact.ErrLimit) {
				code = dsl.ErrLimit
			}
			*err = &dsl.Error{Code: code, Msg: e.err.Error()}
			return
		}
		*err = &dsl.Error{Code: dsl.ErrRuntime, Msg: fmt.Sprint(r)}
	}
}

func (f *closures[E]) bool(env *E) (v bool, err error) {
	if f.safe {
		return f.b(env), nil
	}
	defer recoverEval(&err)
	return f.b(env), nil
}

func (f *closures[E]) decimal(env *E) (v decimal.Decimal, err error) {
	defer recoverEval(&err)
	if f.i != nil {
		return decimal.NewFromInt(int64(f.i(env))), nil
	}
	return f.d(env), nil
}

func (f *closures[E]) time(env *E) (v time.Time, err error) {
	if f.safe {
		return f.t(env), nil
	}
	defer recoverEval(&err)
	return f.t(env), nil
}

func (f *closures[E]) eval(env *E) (v any, err error) {
	defer recoverEval(&err)
	switch {
	case f.b != nil:
		return f.b(env), nil
	case f.i != nil:
		return f.i(env), nil
	case f.s != nil:
		return f.s(env), nil
	case f.d != nil:
		return f.d(env), nil
	case f.u != nil:
		return f.u(env), nil
	default:
		return f.t(env), nil
	}
}

// val is a compiled subexpression: one closure, of the field matching
// typ. link and attrs are the two composite values closures handle.
type val[E any] struct {
	typ   dsl.Type
	b     func(*E) bool
	i     func(*E) int
	s     func(*E) string
	d     func(*E) decimal.Decimal
	u     func(*E) time.Duration
	t     func(*E) time.Time
	link  func(*E) pacte.Link
	attrs func(*E) map[string]string
	konst bool         // the value does not depend on the environment
	open  *openTest[E] // the value is is_open(cal, t)
}

// scalar reports whether the value is of a type an expression may give:
// not a link or a map, which only occur inside expressions.
func (v *val[E]) scalar() bool {
	switch v.typ {
	case dsl.Bool, dsl.Int, dsl.String, dsl.Decimal, dsl.Duration, dsl.Time:
		return true
	}
	return false
}

// errUnsupported stops the compilation: the expression runs on the VM.
var errUnsupported = errors.New("not compiled to closures")

type builder[E any] struct {
	cals Calendars
	// folded are the calls computed at compile time: they cannot fail at
	// run time, whatever they are (calendar_days(10) is a constant).
	folded []ast.Node
}

// build compiles the checked tree of an item expression, or returns nil
// when it uses something the closures do not cover.
func build[E dsl.Env](n ast.Node, cals Calendars) *closures[E] {
	var zero E
	switch any(zero).(type) {
	case dsl.Ticket, dsl.Call, dsl.Outage, dsl.Sample, dsl.StatusChange:
	default:
		return nil // period formulas run once per period: the VM is fine
	}
	b := &builder[E]{cals: cals}
	v, err := b.compile(n)
	if err != nil || !v.scalar() {
		return nil
	}
	return &closures[E]{val: v, safe: !mayFail(n, b.folded)}
}

// mayFail reports whether evaluating a tree may fail at run time: a
// division or a modulo, arithmetic that may overflow an integer or a
// duration or go beyond the digits of a decimal, a concatenation beyond
// the length of a text, a text read as a number, a rounding. Everything
// else the closures compute (fields, comparisons, logic, clocks) cannot,
// nor can the constant calls computed at compile time.
func mayFail(n ast.Node, constant []ast.Node) bool {
	folded := map[ast.Node]bool{}
	for _, c := range constant {
		ast.Walk(&c, eachNode(func(n ast.Node) { folded[n] = true }))
	}
	fails := false
	ast.Walk(&n, eachNode(func(n ast.Node) {
		if folded[n] {
			return
		}
		switch n := n.(type) {
		case *ast.BinaryNode:
			if n.Operator == "%" || n.Operator == "/" {
				fails = true
			}
		case *ast.CallNode:
			if id, ok := n.Callee.(*ast.IdentifierNode); ok {
				switch id.Value {
				case "__div", "__mul", "__add", "__sub", "ceil", "floor", "round", "calendar_days", "decimal",
					"__add_int", "__sub_int", "__mul_int", "__neg_int", "__add_dur", "__sub_dur", "__mul_dur", "__neg_dur", "__concat":
					fails = true
				}
			}
		}
	}))
	return fails
}

func constBool[E any](x bool) val[E] {
	return val[E]{typ: dsl.Bool, b: func(*E) bool { return x }, konst: true}
}
func constInt[E any](x int) val[E] {
	return val[E]{typ: dsl.Int, i: func(*E) int { return x }, konst: true}
}
func constText[E any](x string) val[E] {
	return val[E]{typ: dsl.String, s: func(*E) string { return x }, konst: true}
}
func constDecimal[E any](x decimal.Decimal) val[E] {
	return val[E]{typ: dsl.Decimal, d: func(*E) decimal.Decimal { return x }, konst: true}
}
func constDuration[E any](x time.Duration) val[E] {
	return val[E]{typ: dsl.Duration, u: func(*E) time.Duration { return x }, konst: true}
}
func constTime[E any](x time.Time) val[E] {
	return val[E]{typ: dsl.Time, t: func(*E) time.Time { return x }, konst: true}
}

func constOf[E any](v any) (val[E], error) {
	switch x := v.(type) {
	case bool:
		return constBool[E](x), nil
	case int:
		return constInt[E](x), nil
	case string:
		return constText[E](x), nil
	case decimal.Decimal:
		return constDecimal[E](x), nil
	case time.Duration:
		return constDuration[E](x), nil
	case time.Time:
		return constTime[E](x), nil
	}
	return val[E]{}, errUnsupported
}

// fold evaluates a subexpression that does not depend on the environment
// once, at compile time.
func fold[E any](v val[E]) (val[E], bool) {
	if !v.scalar() {
		return v, false
	}
	x, err := (&closures[E]{val: v}).eval(nil)
	if err != nil {
		return v, false // a runtime error: let it happen at run time, with its message
	}
	out, err := constOf[E](x)
	if err != nil {
		return v, false
	}
	return out, true
}

func (b *builder[E]) compile(n ast.Node) (val[E], error) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return fieldOf[E](n.Value)
	case *ast.ConstantNode:
		return constOf[E](n.Value)
	case *ast.IntegerNode:
		return constInt[E](n.Value), nil
	case *ast.StringNode:
		return constText[E](n.Value), nil
	case *ast.BoolNode:
		return constBool[E](n.Value), nil
	case *ast.UnaryNode:
		return b.unary(n)
	case *ast.BinaryNode:
		return b.binary(n)
	case *ast.ConditionalNode:
		return b.conditional(n)
	case *ast.CallNode:
		v, err := b.call(n)
		if err == nil && v.konst {
			var ok bool
			if v, ok = fold(v); ok {
				b.folded = append(b.folded, n)
			}
		}
		return v, err
	case *ast.MemberNode:
		return b.member(n)
	case *ast.BuiltinNode:
		if n.Name == "len" && len(n.Arguments) == 1 {
			x, err := b.compile(n.Arguments[0])
			if err != nil || x.typ != dsl.String {
				return val[E]{}, errUnsupported
			}
			return val[E]{typ: dsl.Int, i: func(e *E) int { return utf8.RuneCountInString(x.s(e)) }, konst: x.konst}, nil
		}
	}
	return val[E]{}, errUnsupported
}

func (b *builder[E]) unary(n *ast.UnaryNode) (val[E], error) {
	x, err := b.compile(n.Node)
	if err != nil {
		return x, err
	}
	switch {
	case (n.Operator == "!" || n.Operator == "not") && x.typ == dsl.Bool:
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return !x.b(e) }, konst: x.konst}, nil
	case n.Operator == "-" && x.typ == dsl.Int: // of a literal: the others are calls of __neg_int
		return val[E]{typ: dsl.Int, i: func(e *E) int { return -x.i(e) }, konst: x.konst}, nil
	case n.Operator == "+" && (x.typ == dsl.Int || x.typ == dsl.Duration):
		return x, nil
	}
	return val[E]{}, errUnsupported
}

func (b *builder[E]) binary(n *ast.BinaryNode) (val[E], error) {
	l, err := b.compile(n.Left)
	if err != nil {
		return l, err
	}
	if n.Operator == "in" || n.Operator == "not in" {
		return b.membership(n, l)
	}
	r, err := b.compile(n.Right)
	if err != nil {
		return r, err
	}
	k := l.konst && r.konst
	op := n.Operator
	switch {
	case (op == "&&" || op == "and") && l.typ == dsl.Bool && r.typ == dsl.Bool:
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return l.b(e) && r.b(e) }, konst: k}, nil
	case (op == "||" || op == "or") && l.typ == dsl.Bool && r.typ == dsl.Bool:
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return l.b(e) || r.b(e) }, konst: k}, nil
	case l.typ != r.typ:
		return b.mixed(op, l, r)
	}
	switch l.typ {
	case dsl.Bool:
		switch op {
		case "==":
			return val[E]{typ: dsl.Bool, b: func(e *E) bool { return l.b(e) == r.b(e) }, konst: k}, nil
		case "!=":
			return val[E]{typ: dsl.Bool, b: func(e *E) bool { return l.b(e) != r.b(e) }, konst: k}, nil
		}
	case dsl.Int:
		return intOp(op, l, r)
	case dsl.String:
		return stringOp(op, l, r)
	case dsl.Duration:
		return compare(op, l.u, r.u, l.konst, r.konst)
	case dsl.Time:
		return timeOp(op, l, r)
	}
	return val[E]{}, errUnsupported
}

func cmpResult[E any](op string, c func(*E) int, k bool) (val[E], error) {
	var f func(*E) bool
	switch op {
	case "==":
		f = func(e *E) bool { return c(e) == 0 }
	case "!=":
		f = func(e *E) bool { return c(e) != 0 }
	case "<":
		f = func(e *E) bool { return c(e) < 0 }
	case "<=":
		f = func(e *E) bool { return c(e) <= 0 }
	case ">":
		f = func(e *E) bool { return c(e) > 0 }
	case ">=":
		f = func(e *E) bool { return c(e) >= 0 }
	default:
		return val[E]{}, errUnsupported
	}
	return val[E]{typ: dsl.Bool, b: f, konst: k}, nil
}

// compare compiles the comparison of two values of an ordered type.
// Comparing with a constant is the usual condition (priority == "P1",
// elapsed <= 4h): the constant is computed once, and the closure calls
// one closure instead of two.
func compare[E any, T cmp.Ordered](op string, l, r func(*E) T, lKonst, rKonst bool) (val[E], error) {
	var f func(*E) bool
	if rKonst && !lKonst {
		if c, ok := constantOf(r); ok {
			switch op {
			case "==":
				f = func(e *E) bool { return l(e) == c }
			case "!=":
				f = func(e *E) bool { return l(e) != c }
			case "<":
				f = func(e *E) bool { return l(e) < c }
			case "<=":
				f = func(e *E) bool { return l(e) <= c }
			case ">":
				f = func(e *E) bool { return l(e) > c }
			case ">=":
				f = func(e *E) bool { return l(e) >= c }
			}
		}
	}
	if f == nil {
		switch op {
		case "==":
			f = func(e *E) bool { return l(e) == r(e) }
		case "!=":
			f = func(e *E) bool { return l(e) != r(e) }
		case "<":
			f = func(e *E) bool { return l(e) < r(e) }
		case "<=":
			f = func(e *E) bool { return l(e) <= r(e) }
		case ">":
			f = func(e *E) bool { return l(e) > r(e) }
		case ">=":
			f = func(e *E) bool { return l(e) >= r(e) }
		default:
			return val[E]{}, errUnsupported
		}
	}
	return val[E]{typ: dsl.Bool, b: f, konst: lKonst && rKonst}, nil
}

// constantOf computes a value that does not depend on the environment;
// false when that fails (a division by zero), which is then left to run
// time, with its message.
func constantOf[E, T any](f func(*E) T) (v T, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(nil), true
}

func intOp[E any](op string, l, r val[E]) (val[E], error) {
	if op == "%" {
		return val[E]{typ: dsl.Int, i: func(e *E) int {
			d := r.i(e)
			if d == 0 {
				fail(errors.New("integer divide by zero"))
			}
			return l.i(e) % d
		}, konst: l.konst && r.konst}, nil
	}
	return compare(op, l.i, r.i, l.konst, r.konst)
}

func stringOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	switch op {
	case "contains":
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return strings.Contains(l.s(e), r.s(e)) }, konst: k}, nil
	case "startsWith":
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return strings.HasPrefix(l.s(e), r.s(e)) }, konst: k}, nil
	case "endsWith":
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return strings.HasSuffix(l.s(e), r.s(e)) }, konst: k}, nil
	case "matches":
		if !r.konst {
			return val[E]{}, errUnsupported
		}
		re, err := regexp.Compile(r.s(nil))
		if err != nil {
			return val[E]{}, errUnsupported
		}
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return re.MatchString(l.s(e)) }, konst: k}, nil
	}
	return compare(op, l.s, r.s, l.konst, r.konst)
}

func timeOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	if op == "-" {
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return l.t(e).Sub(r.t(e)) }, konst: k}, nil
	}
	return cmpResult(op, func(e *E) int { return l.t(e).Compare(r.t(e)) }, k)
}

// mixed handles the operators expr leaves native on two types: instants
// and durations, durations and integers.
func (b *builder[E]) mixed(op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	switch {
	case l.typ == dsl.Time && r.typ == dsl.Duration && op == "+":
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return l.t(e).Add(r.u(e)) }, konst: k}, nil
	case l.typ == dsl.Duration && r.typ == dsl.Time && op == "+":
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return r.t(e).Add(l.u(e)) }, konst: k}, nil
	case l.typ == dsl.Time && r.typ == dsl.Duration && op == "-":
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return l.t(e).Add(-r.u(e)) }, konst: k}, nil
	}
	return val[E]{}, errUnsupported
}

// membership compiles x in ["a", "b"] over strings and integers.
func (b *builder[E]) membership(n *ast.BinaryNode, l val[E]) (val[E], error) {
	var items []any
	switch r := n.Right.(type) {
	case *ast.ArrayNode:
		for _, it := range r.Nodes {
			c, err := b.compile(it)
			if err != nil || !c.konst {
				return val[E]{}, errUnsupported
			}
			switch c.typ {
			case dsl.String:
				items = append(items, c.s(nil))
			case dsl.Int:
				items = append(items, c.i(nil))
			default:
				return val[E]{}, errUnsupported
			}
		}
	case *ast.ConstantNode:
		switch set := r.Value.(type) {
		case map[string]struct{}:
			for s := range set {
				items = append(items, s)
			}
		case map[int]struct{}:
			for i := range set {
				items = append(items, i)
			}
		case []any:
			items = set
		default:
			return val[E]{}, errUnsupported
		}
	default:
		return val[E]{}, errUnsupported
	}
	negate := n.Operator == "not in"
	switch l.typ {
	case dsl.String:
		if set, ok := setOf[string](items); ok {
			return val[E]{typ: dsl.Bool, b: func(e *E) bool { return set[l.s(e)] != negate }, konst: l.konst}, nil
		}
	case dsl.Int:
		if set, ok := setOf[int](items); ok {
			return val[E]{typ: dsl.Bool, b: func(e *E) bool { return set[l.i(e)] != negate }, konst: l.konst}, nil
		}
	}
	return val[E]{}, errUnsupported
}

// setOf is the set of the items, when they are all of type T.
func setOf[T comparable](items []any) (map[T]bool, bool) {
	set := make(map[T]bool, len(items))
	for _, it := range items {
		x, ok := it.(T)
		if !ok {
			return nil, false
		}
		set[x] = true
	}
	return set, true
}

func (b *builder[E]) conditional(n *ast.ConditionalNode) (val[E], error) {
	c, err := b.compile(n.Cond)
	if err != nil || c.typ != dsl.Bool {
		return val[E]{}, errUnsupported
	}
	x, err := b.compile(n.Exp1)
	if err != nil {
		return x, err
	}
	y, err := b.compile(n.Exp2)
	if err != nil {
		return y, err
	}
	if x.typ != y.typ {
		return val[E]{}, errUnsupported
	}
	v := val[E]{typ: x.typ, konst: c.konst && x.konst && y.konst}
	switch x.typ {
	case dsl.Bool:
		v.b = choose(c.b, x.b, y.b)
	case dsl.Int:
		v.i = choose(c.b, x.i, y.i)
	case dsl.String:
		v.s = choose(c.b, x.s, y.s)
	case dsl.Decimal:
		v.d = choose(c.b, x.d, y.d)
	case dsl.Duration:
		v.u = choose(c.b, x.u, y.u)
	case dsl.Time:
		v.t = choose(c.b, x.t, y.t)
	default:
		return val[E]{}, errUnsupported
	}
	return v, nil
}

// choose is cond ? x : y over closures of one type.
func choose[E, T any](cond func(*E) bool, x, y func(*E) T) func(*E) T {
	return func(e *E) T {
		if cond(e) {
			return x(e)
		}
		return y(e)
	}
}

func (b *builder[E]) member(n *ast.MemberNode) (val[E], error) {
	if n.Optional || n.Method {
		return val[E]{}, errUnsupported
	}
	key, ok := constString(n.Property)
	if !ok {
		return val[E]{}, errUnsupported
	}
	obj, err := b.compile(n.Node)
	if err != nil {
		return obj, err
	}
	switch {
	case obj.attrs != nil:
		return val[E]{typ: dsl.String, s: func(e *E) string { return obj.attrs(e)[key] }}, nil
	case obj.link != nil:
		if v := linkField(obj.link, key); v.typ != dsl.Unknown {
			return v, nil
		}
	}
	return val[E]{}, errUnsupported
}

// decimalOf returns a closure of a decimal or an integer operand as a
// decimal.
func decimalOf[E any](v val[E]) (func(*E) decimal.Decimal, bool) {
	switch v.typ {
	case dsl.Decimal:
		return v.d, true
	case dsl.Int:
		f := v.i
		return func(e *E) decimal.Decimal { return decimal.NewFromInt(int64(f(e))) }, true
	}
	return nil, false
}

func (b *builder[E]) call(n *ast.CallNode) (val[E], error) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return val[E]{}, errUnsupported
	}
	// Functions that read the record take $env first: the closure reads it
	// directly.
	argNodes := n.Arguments
	if len(argNodes) > 0 {
		if first, ok := argNodes[0].(*ast.IdentifierNode); ok && first.Value == "$env" {
			argNodes = argNodes[1:]
		}
	}
	args := make([]val[E], len(argNodes))
	konst := true
	for i, a := range argNodes {
		v, err := b.compile(a)
		if err != nil {
			return v, err
		}
		args[i] = v
		konst = konst && v.konst
	}
	name := id.Value
	switch name {
	case "__add", "__sub", "__mul", "__div", "__lt", "__le", "__gt", "__ge", "__eq", "__ne":
		v, err := overloadOp(name, args)
		v.konst = konst
		return v, err
	case "ceil", "floor", "round":
		v, err := rounding(name, args)
		v.konst = konst
		return v, err
	case "min", "max":
		v, err := minMaxOp(name, args)
		v.konst = konst
		return v, err
	case "__add_int", "__sub_int", "__mul_int", "__neg_int", "__add_dur", "__sub_dur", "__mul_dur", "__neg_dur", "__concat":
		v, err := checkedOp(name, args)
		v.konst = konst
		return v, err
	case "calendar_days":
		if len(args) == 1 && args[0].typ == dsl.Int {
			f := args[0].i
			return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
				return must(exact.CalendarDays(f(e)))
			}, konst: konst}, nil
		}
	case "decimal":
		if len(args) == 1 && args[0].typ == dsl.String {
			f := args[0].s
			return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal {
				return must(exact.ParseDecimal(f(e)))
			}, konst: konst}, nil
		}
	case "is_open", "open_time", "add_open_time", "end_of_open_day", "open_days_between":
		return b.clock(name, argNodes, args)
	case "entered", "link", "reopened_within", "elapsed_between":
		return b.ticketFunc(name, args)
	}
	return val[E]{}, errUnsupported
}

// checkedOp compiles the operators on integers, durations and texts,
// which fail where they would overflow or build too long a text.
func checkedOp[E any](name string, args []val[E]) (val[E], error) {
	if len(args) == 1 {
		switch x := args[0]; {
		case name == "__neg_int" && x.typ == dsl.Int:
			return val[E]{typ: dsl.Int, i: func(e *E) int { return must(exact.NegInt(x.i(e))) }}, nil
		case name == "__neg_dur" && x.typ == dsl.Duration:
			return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return must(exact.NegDuration(x.u(e))) }}, nil
		}
		return val[E]{}, errUnsupported
	}
	if len(args) != 2 {
		return val[E]{}, errUnsupported
	}
	l, r := args[0], args[1]
	switch {
	case l.typ == dsl.Int && r.typ == dsl.Int:
		f := map[string]func(int, int) (int, error){"__add_int": exact.AddInt, "__sub_int": exact.SubInt, "__mul_int": exact.MulInt}[name]
		if f != nil {
			return val[E]{typ: dsl.Int, i: func(e *E) int { return must(f(l.i(e), r.i(e))) }}, nil
		}
	case l.typ == dsl.Duration && r.typ == dsl.Duration:
		f := map[string]func(time.Duration, time.Duration) (time.Duration, error){"__add_dur": exact.AddDuration, "__sub_dur": exact.SubDuration}[name]
		if f != nil {
			return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return must(f(l.u(e), r.u(e))) }}, nil
		}
	case name == "__mul_dur" && l.typ == dsl.Duration && r.typ == dsl.Int:
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return must(exact.MulDuration(l.u(e), r.i(e))) }}, nil
	case name == "__mul_dur" && l.typ == dsl.Int && r.typ == dsl.Duration:
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return must(exact.MulDuration(r.u(e), l.i(e))) }}, nil
	case name == "__concat" && l.typ == dsl.String && r.typ == dsl.String:
		return val[E]{typ: dsl.String, s: func(e *E) string { return must(exact.Concat(l.s(e), r.s(e))) }}, nil
	}
	return val[E]{}, errUnsupported
}

func overloadOp[E any](name string, args []val[E]) (val[E], error) {
	if len(args) != 2 {
		return val[E]{}, errUnsupported
	}
	l, r := args[0], args[1]
	if l.typ == dsl.Time && r.typ == dsl.Time && (name == "__eq" || name == "__ne") {
		neg := name == "__ne"
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return l.t(e).Equal(r.t(e)) != neg }}, nil
	}
	if l.typ == dsl.Duration || r.typ == dsl.Duration {
		return durationOverload(name, l, r)
	}
	if l.typ == dsl.Int && r.typ == dsl.Int && name == "__div" {
		x, y := l.i, r.i
		return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal {
			return must(exact.Div(decimal.NewFromInt(int64(x(e))), decimal.NewFromInt(int64(y(e)))))
		}}, nil
	}
	x, okx := decimalOf(l)
	y, oky := decimalOf(r)
	if !okx || !oky {
		return val[E]{}, errUnsupported
	}
	if f := map[string]func(a, b decimal.Decimal) (decimal.Decimal, error){
		"__add": exact.Add, "__sub": exact.Sub, "__mul": exact.Mul, "__div": exact.Div,
	}[name]; f != nil {
		return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal { return must(f(x(e), y(e))) }}, nil
	}
	c := func(e *E) int { return exact.Cmp(x(e), y(e)) }
	switch name {
	case "__lt":
		return cmpResult("<", c, false)
	case "__le":
		return cmpResult("<=", c, false)
	case "__gt":
		return cmpResult(">", c, false)
	case "__ge":
		return cmpResult(">=", c, false)
	case "__eq":
		return cmpResult("==", c, false)
	case "__ne":
		return cmpResult("!=", c, false)
	}
	return val[E]{}, errUnsupported
}

func durationOverload[E any](name string, l, r val[E]) (val[E], error) {
	switch {
	case name == "__div" && l.typ == dsl.Duration && r.typ == dsl.Duration:
		x, y := l.u, r.u
		return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal {
			return must(exact.Div(decimal.NewFromInt(int64(x(e))), decimal.NewFromInt(int64(y(e)))))
		}}, nil
	case name == "__div" && l.typ == dsl.Duration && r.typ == dsl.Int:
		x, y := l.u, r.i
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
			return must(exact.DivDurationInt(x(e), y(e)))
		}}, nil
	case name == "__div" && l.typ == dsl.Duration && r.typ == dsl.Decimal:
		x, y := l.u, r.d
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
			return must(exact.DivDurationDecimal(x(e), y(e)))
		}}, nil
	case name == "__mul" && (l.typ == dsl.Duration) != (r.typ == dsl.Duration):
		d, k := l, r
		if r.typ == dsl.Duration {
			d, k = r, l
		}
		kd, ok := decimalOf(k)
		if !ok {
			return val[E]{}, errUnsupported
		}
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
			return must(exact.ScaleDuration(d.u(e), kd(e)))
		}}, nil
	}
	return val[E]{}, errUnsupported
}

func rounding[E any](name string, args []val[E]) (val[E], error) {
	switch {
	case len(args) == 1 && args[0].typ == dsl.Int:
		return args[0], nil
	case len(args) == 1 && args[0].typ == dsl.Decimal:
		x := args[0].d
		switch name {
		case "ceil":
			return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal { return must(exact.Ceil(x(e))) }}, nil
		case "floor":
			return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal { return must(exact.Floor(x(e))) }}, nil
		}
		return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal { return must(exact.RoundDecimal(x(e), 0)) }}, nil
	case len(args) == 2 && name == "round" && args[0].typ == dsl.Decimal && args[1].typ == dsl.Int:
		x, p := args[0].d, args[1].i
		return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal {
			return must(exact.RoundDecimal(x(e), p(e)))
		}}, nil
	case len(args) == 2 && args[0].typ == dsl.Duration && args[1].typ == dsl.Duration:
		x, unit := args[0].u, args[1].u
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
			return must(exact.RoundDuration(x(e), unit(e), name))
		}}, nil
	}
	return val[E]{}, errUnsupported
}

// orderedMinMax is max (or min) of two integers or durations, the choice
// made once at compile time rather than on every evaluation.
func orderedMinMax[E any, T cmp.Ordered](isMax bool, a, b func(*E) T) func(*E) T {
	if isMax {
		return func(e *E) T { return max(a(e), b(e)) }
	}
	return func(e *E) T { return min(a(e), b(e)) }
}

func minMaxOp[E any](name string, args []val[E]) (val[E], error) {
	if len(args) != 2 {
		return val[E]{}, errUnsupported
	}
	l, r := args[0], args[1]
	isMax := name == "max"
	switch {
	case l.typ == dsl.Int && r.typ == dsl.Int:
		return val[E]{typ: dsl.Int, i: orderedMinMax(isMax, l.i, r.i)}, nil
	case l.typ == dsl.Duration && r.typ == dsl.Duration:
		return val[E]{typ: dsl.Duration, u: orderedMinMax(isMax, l.u, r.u)}, nil
	case l.typ == dsl.Time && r.typ == dsl.Time:
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time {
			a, c := l.t(e), r.t(e)
			if a.Before(c) == isMax {
				return c
			}
			return a
		}}, nil
	}
	x, okx := decimalOf(l)
	y, oky := decimalOf(r)
	if !okx || !oky {
		return val[E]{}, errUnsupported
	}
	return val[E]{typ: dsl.Decimal, d: func(e *E) decimal.Decimal {
		a, c := x(e), y(e)
		if (exact.Cmp(a, c) < 0) == isMax {
			return c
		}
		return a
	}}, nil
}

// clock compiles the calendar functions; the calendar is fixed at compile
// time, named by a constant or the rule's.
func (b *builder[E]) clock(name string, nodes []ast.Node, args []val[E]) (val[E], error) {
	cal := b.cals.Rule
	if len(args) > 0 && args[0].typ == dsl.String {
		calName, ok := constString(nodes[0])
		if !ok {
			return val[E]{}, errUnsupported
		}
		cal = b.cals.Named[calName]
		args = args[1:]
	}
	if cal == nil {
		return val[E]{}, errUnsupported
	}
	switch {
	case name == "is_open" && len(args) == 1 && args[0].typ == dsl.Time:
		t := args[0].t
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return cal.IsOpen(t(e)) }, open: &openTest[E]{cal: cal, at: t}}, nil
	case name == "open_time" && len(args) == 2 && args[0].typ == dsl.Time && args[1].typ == dsl.Time:
		x, y := args[0].t, args[1].t
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration { return cal.Between(x(e), y(e)) }}, nil
	case name == "add_open_time" && len(args) == 2 && args[0].typ == dsl.Time && args[1].typ == dsl.Duration:
		x, d := args[0].t, args[1].u
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return cal.Add(x(e), d(e)) }}, nil
	case name == "end_of_open_day" && len(args) == 2 && args[0].typ == dsl.Time && args[1].typ == dsl.Int:
		x, k := args[0].t, args[1].i
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return cal.EndOfOpenDay(x(e), k(e)) }}, nil
	case name == "open_days_between" && len(args) == 2 && args[0].typ == dsl.Time && args[1].typ == dsl.Time:
		x, y := args[0].t, args[1].t
		return val[E]{typ: dsl.Int, i: func(e *E) int { return clock.OpenDaysBetween(cal, x(e), y(e)) }}, nil
	}
	return val[E]{}, errUnsupported
}

// ticketFunc compiles the functions of one ticket.
func (b *builder[E]) ticketFunc(name string, args []val[E]) (val[E], error) {
	ticket := func(e *E) *dsl.Ticket { return any(e).(*dsl.Ticket) }
	var zero E
	if _, ok := any(zero).(dsl.Ticket); !ok {
		return val[E]{}, errUnsupported
	}
	switch {
	case name == "entered" && len(args) == 1 && args[0].typ == dsl.String:
		s := args[0].s
		return val[E]{typ: dsl.Time, t: func(e *E) time.Time { return tickets.Entered(ticket(e).Ticket, s(e)) }}, nil
	case name == "link" && len(args) == 1 && args[0].typ == dsl.String:
		s := args[0].s
		return val[E]{typ: dsl.Other, link: func(e *E) pacte.Link { return tickets.FirstLink(ticket(e).Ticket, s(e)) }}, nil
	case name == "reopened_within" && len(args) == 1 && args[0].typ == dsl.Duration:
		d := args[0].u
		return val[E]{typ: dsl.Bool, b: func(e *E) bool { return tickets.ReopenedWithin(ticket(e).Ticket, d(e)) }}, nil
	case name == "elapsed_between" && len(args) == 2 && args[0].typ == dsl.Time && args[1].typ == dsl.Time:
		cal := b.cals.Rule
		if cal == nil {
			return val[E]{}, errUnsupported
		}
		x, y := args[0].t, args[1].t
		return val[E]{typ: dsl.Duration, u: func(e *E) time.Duration {
			t := ticket(e)
			return clock.Elapsed(cal, t.Paused, x(e), y(e))
		}}, nil
	}
	return val[E]{}, errUnsupported
}

func strField[E any](f func(*E) string) val[E]              { return val[E]{typ: dsl.String, s: f} }
func timeField[E any](f func(*E) time.Time) val[E]          { return val[E]{typ: dsl.Time, t: f} }
func durField[E any](f func(*E) time.Duration) val[E]       { return val[E]{typ: dsl.Duration, u: f} }
func boolField[E any](f func(*E) bool) val[E]               { return val[E]{typ: dsl.Bool, b: f} }
func intField[E any](f func(*E) int) val[E]                 { return val[E]{typ: dsl.Int, i: f} }
func decField[E any](f func(*E) decimal.Decimal) val[E]     { return val[E]{typ: dsl.Decimal, d: f} }
func attrsField[E any](f func(*E) map[string]string) val[E] { return val[E]{typ: dsl.Other, attrs: f} }

// constString is the value of a string constant node.
func constString(n ast.Node) (string, bool) {
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value, true
	}
	c, ok := n.(*ast.ConstantNode)
	if !ok {
		return "", false
	}
	s, ok := c.Value.(string)
	return s, ok
}

// eachNode is a visitor of every node of a tree: ast.Walk(&n, eachNode(f)).
type eachNode func(ast.Node)

func (f eachNode) Visit(n *ast.Node) { f(*n) }
