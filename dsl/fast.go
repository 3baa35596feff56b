package dsl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// The closure backend. expr's VM reads struct fields through reflection,
// which allocates for every string it loads: a scope such as
// priority == "P1" costs about 80 ns and an allocation per item. Item
// expressions are therefore also compiled, from the tree expr has parsed
// and type-checked, into typed Go closures that read the record directly:
// a few nanoseconds and no allocation. The closures cover what scopes,
// conditions, clocks and per-item formulas use (fields, constants,
// comparisons, logic, arithmetic on decimals and durations, attributes,
// the clock functions); an expression that uses anything else (list
// predicates, string builtins) runs on the VM, with the same result. A
// test evaluates every expression of the test suite both ways on random
// records and requires the same values.

// fastProgram holds the closure of an expression, by result type.
type fastProgram[E any] struct {
	b func(*E) bool
	i func(*E) int
	s func(*E) string
	d func(*E) decimal.Decimal
	u func(*E) time.Duration
	t func(*E) time.Time
	// safe: no closure of the program can fail, so the entry points need
	// not recover (a deferred recover costs as much as a typical scope).
	safe bool
	open *openTest[E] // the program is is_open(cal, t); see Program.OpenTest
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

func recoverEval(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(evalError); ok {
			*err = &Error{Code: ErrRuntime, Msg: e.err.Error()}
			return
		}
		*err = &Error{Code: ErrRuntime, Msg: fmt.Sprint(r)}
	}
}

func (f *fastProgram[E]) bool(env *E) (v bool, err error) {
	if f.safe {
		return f.b(env), nil
	}
	defer recoverEval(&err)
	return f.b(env), nil
}

func (f *fastProgram[E]) decimal(env *E) (v decimal.Decimal, err error) {
	defer recoverEval(&err)
	if f.i != nil {
		return decimal.NewFromInt(int64(f.i(env))), nil
	}
	return f.d(env), nil
}

func (f *fastProgram[E]) time(env *E) (v time.Time, err error) {
	if f.safe {
		return f.t(env), nil
	}
	defer recoverEval(&err)
	return f.t(env), nil
}

func (f *fastProgram[E]) eval(env *E) (v any, err error) {
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
	typ   Type
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

// errUnsupported stops the compilation: the expression runs on the VM.
var errUnsupported = errors.New("not compiled to closures")

type fastBuilder[E any] struct {
	cfg *config
	// folded are the calls computed at compile time: they cannot fail at
	// run time, whatever they are (calendar_days(10) is a constant).
	folded []ast.Node
}

// buildFast compiles an item expression, or returns nil when it uses
// something the closures do not cover.
func buildFast[E Env](n ast.Node, cfg *config) *fastProgram[E] {
	var zero E
	switch any(zero).(type) {
	case Ticket, Call, Outage, Sample, Status:
	default:
		return nil // period formulas run once per period: the VM is fine
	}
	b := &fastBuilder[E]{cfg: cfg}
	v, err := b.compile(n)
	if err != nil {
		return nil
	}
	var p *fastProgram[E]
	switch v.typ {
	case Bool:
		p = &fastProgram[E]{b: v.b}
	case Int:
		p = &fastProgram[E]{i: v.i}
	case String:
		p = &fastProgram[E]{s: v.s}
	case Decimal:
		p = &fastProgram[E]{d: v.d}
	case Duration:
		p = &fastProgram[E]{u: v.u}
	case Time:
		p = &fastProgram[E]{t: v.t}
	default:
		return nil
	}
	p.safe = !mayFail(n, b.folded)
	p.open = v.open
	return p
}

// mayFail reports whether evaluating a tree may fail at run time: a
// division or a modulo, arithmetic that may overflow a duration, a text
// read as a number, a rounding with a number of places. Everything else
// the closures compute (fields, comparisons, logic, clocks) cannot, nor
// can the constant calls computed at compile time.
func mayFail(n ast.Node, constant []ast.Node) bool {
	folded := map[ast.Node]bool{}
	for _, c := range constant {
		walk(c, func(n ast.Node) { folded[n] = true })
	}
	fails := false
	walk(n, func(n ast.Node) {
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
				case "__div", "__mul", "ceil", "floor", "round", "calendar_days", "decimal":
					fails = true
				}
			}
		}
	})
	return fails
}

func constBool[E any](x bool) val[E] {
	return val[E]{typ: Bool, b: func(*E) bool { return x }, konst: true}
}
func constInt[E any](x int) val[E] {
	return val[E]{typ: Int, i: func(*E) int { return x }, konst: true}
}
func constText[E any](x string) val[E] {
	return val[E]{typ: String, s: func(*E) string { return x }, konst: true}
}
func constDecimal[E any](x decimal.Decimal) val[E] {
	return val[E]{typ: Decimal, d: func(*E) decimal.Decimal { return x }, konst: true}
}
func constDuration[E any](x time.Duration) val[E] {
	return val[E]{typ: Duration, u: func(*E) time.Duration { return x }, konst: true}
}
func constTime[E any](x time.Time) val[E] {
	return val[E]{typ: Time, t: func(*E) time.Time { return x }, konst: true}
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
	var out val[E]
	ok := func() (ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		switch v.typ {
		case Bool:
			out = constBool[E](v.b(nil))
		case Int:
			out = constInt[E](v.i(nil))
		case String:
			out = constText[E](v.s(nil))
		case Decimal:
			out = constDecimal[E](v.d(nil))
		case Duration:
			out = constDuration[E](v.u(nil))
		case Time:
			out = constTime[E](v.t(nil))
		default:
			return false
		}
		return true
	}()
	if !ok {
		return v, false // a runtime error: let it happen at run time, with its message
	}
	return out, true
}

func (b *fastBuilder[E]) compile(n ast.Node) (val[E], error) {
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
			if err != nil || x.typ != String {
				return val[E]{}, errUnsupported
			}
			return val[E]{typ: Int, i: func(e *E) int { return utf8.RuneCountInString(x.s(e)) }, konst: x.konst}, nil
		}
	}
	return val[E]{}, errUnsupported
}

func (b *fastBuilder[E]) unary(n *ast.UnaryNode) (val[E], error) {
	x, err := b.compile(n.Node)
	if err != nil {
		return x, err
	}
	switch {
	case (n.Operator == "!" || n.Operator == "not") && x.typ == Bool:
		return val[E]{typ: Bool, b: func(e *E) bool { return !x.b(e) }, konst: x.konst}, nil
	case n.Operator == "-" && x.typ == Int:
		return val[E]{typ: Int, i: func(e *E) int { return -x.i(e) }, konst: x.konst}, nil
	case n.Operator == "-" && x.typ == Duration:
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return -x.u(e) }, konst: x.konst}, nil
	case n.Operator == "+" && (x.typ == Int || x.typ == Duration):
		return x, nil
	}
	return val[E]{}, errUnsupported
}

func (b *fastBuilder[E]) binary(n *ast.BinaryNode) (val[E], error) {
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
	case (op == "&&" || op == "and") && l.typ == Bool && r.typ == Bool:
		return val[E]{typ: Bool, b: func(e *E) bool { return l.b(e) && r.b(e) }, konst: k}, nil
	case (op == "||" || op == "or") && l.typ == Bool && r.typ == Bool:
		return val[E]{typ: Bool, b: func(e *E) bool { return l.b(e) || r.b(e) }, konst: k}, nil
	case l.typ != r.typ:
		return b.mixed(op, l, r)
	}
	switch l.typ {
	case Bool:
		switch op {
		case "==":
			return val[E]{typ: Bool, b: func(e *E) bool { return l.b(e) == r.b(e) }, konst: k}, nil
		case "!=":
			return val[E]{typ: Bool, b: func(e *E) bool { return l.b(e) != r.b(e) }, konst: k}, nil
		}
	case Int:
		return intOp(op, l, r)
	case String:
		return stringOp(op, l, r)
	case Duration:
		return durationOp(op, l, r)
	case Time:
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
	return val[E]{typ: Bool, b: f, konst: k}, nil
}

func intOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	switch op {
	case "==":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) == r.i(e) }, konst: k}, nil
	case "!=":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) != r.i(e) }, konst: k}, nil
	case "<":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) < r.i(e) }, konst: k}, nil
	case "<=":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) <= r.i(e) }, konst: k}, nil
	case ">":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) > r.i(e) }, konst: k}, nil
	case ">=":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.i(e) >= r.i(e) }, konst: k}, nil
	case "+":
		return val[E]{typ: Int, i: func(e *E) int { return l.i(e) + r.i(e) }, konst: k}, nil
	case "-":
		return val[E]{typ: Int, i: func(e *E) int { return l.i(e) - r.i(e) }, konst: k}, nil
	case "*":
		return val[E]{typ: Int, i: func(e *E) int { return l.i(e) * r.i(e) }, konst: k}, nil
	case "%":
		return val[E]{typ: Int, i: func(e *E) int {
			d := r.i(e)
			if d == 0 {
				fail(errors.New("integer divide by zero"))
			}
			return l.i(e) % d
		}, konst: k}, nil
	}
	return val[E]{}, errUnsupported
}

func stringOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	// Comparing with a constant is the usual scope (priority == "P1"): one
	// closure instead of three.
	if r.konst && !l.konst && (op == "==" || op == "!=") {
		c, get := r.s(nil), l.s
		if op == "==" {
			return val[E]{typ: Bool, b: func(e *E) bool { return get(e) == c }}, nil
		}
		return val[E]{typ: Bool, b: func(e *E) bool { return get(e) != c }}, nil
	}
	switch op {
	case "==":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.s(e) == r.s(e) }, konst: k}, nil
	case "!=":
		return val[E]{typ: Bool, b: func(e *E) bool { return l.s(e) != r.s(e) }, konst: k}, nil
	case "+":
		return val[E]{typ: String, s: func(e *E) string { return l.s(e) + r.s(e) }, konst: k}, nil
	case "contains":
		return val[E]{typ: Bool, b: func(e *E) bool { return strings.Contains(l.s(e), r.s(e)) }, konst: k}, nil
	case "startsWith":
		return val[E]{typ: Bool, b: func(e *E) bool { return strings.HasPrefix(l.s(e), r.s(e)) }, konst: k}, nil
	case "endsWith":
		return val[E]{typ: Bool, b: func(e *E) bool { return strings.HasSuffix(l.s(e), r.s(e)) }, konst: k}, nil
	case "matches":
		if !r.konst {
			return val[E]{}, errUnsupported
		}
		re, err := regexp.Compile(r.s(nil))
		if err != nil {
			return val[E]{}, errUnsupported
		}
		return val[E]{typ: Bool, b: func(e *E) bool { return re.MatchString(l.s(e)) }, konst: k}, nil
	}
	return cmpResult(op, func(e *E) int { return strings.Compare(l.s(e), r.s(e)) }, k)
}

func durationOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	if r.konst && !l.konst {
		c, get := r.u(nil), l.u
		switch op {
		case "<=":
			return val[E]{typ: Bool, b: func(e *E) bool { return get(e) <= c }}, nil
		case "<":
			return val[E]{typ: Bool, b: func(e *E) bool { return get(e) < c }}, nil
		case ">":
			return val[E]{typ: Bool, b: func(e *E) bool { return get(e) > c }}, nil
		case ">=":
			return val[E]{typ: Bool, b: func(e *E) bool { return get(e) >= c }}, nil
		}
	}
	switch op {
	case "+":
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return l.u(e) + r.u(e) }, konst: k}, nil
	case "-":
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return l.u(e) - r.u(e) }, konst: k}, nil
	}
	return cmpResult(op, func(e *E) int {
		a, c := l.u(e), r.u(e)
		switch {
		case a < c:
			return -1
		case a > c:
			return 1
		}
		return 0
	}, k)
}

func timeOp[E any](op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	if op == "-" {
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return l.t(e).Sub(r.t(e)) }, konst: k}, nil
	}
	return cmpResult(op, func(e *E) int { return l.t(e).Compare(r.t(e)) }, k)
}

// mixed handles the operators expr leaves native on two types: instants
// and durations, durations and integers.
func (b *fastBuilder[E]) mixed(op string, l, r val[E]) (val[E], error) {
	k := l.konst && r.konst
	switch {
	case l.typ == Time && r.typ == Duration && op == "+":
		return val[E]{typ: Time, t: func(e *E) time.Time { return l.t(e).Add(r.u(e)) }, konst: k}, nil
	case l.typ == Duration && r.typ == Time && op == "+":
		return val[E]{typ: Time, t: func(e *E) time.Time { return r.t(e).Add(l.u(e)) }, konst: k}, nil
	case l.typ == Time && r.typ == Duration && op == "-":
		return val[E]{typ: Time, t: func(e *E) time.Time { return l.t(e).Add(-r.u(e)) }, konst: k}, nil
	case l.typ == Duration && r.typ == Int && op == "*":
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return l.u(e) * time.Duration(r.i(e)) }, konst: k}, nil
	case l.typ == Int && r.typ == Duration && op == "*":
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return time.Duration(l.i(e)) * r.u(e) }, konst: k}, nil
	}
	return val[E]{}, errUnsupported
}

// membership compiles x in ["a", "b"] over strings and integers.
func (b *fastBuilder[E]) membership(n *ast.BinaryNode, l val[E]) (val[E], error) {
	var items []any
	switch r := n.Right.(type) {
	case *ast.ArrayNode:
		for _, it := range r.Nodes {
			c, err := b.compile(it)
			if err != nil || !c.konst {
				return val[E]{}, errUnsupported
			}
			switch c.typ {
			case String:
				items = append(items, c.s(nil))
			case Int:
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
	case String:
		set := make(map[string]bool, len(items))
		for _, it := range items {
			s, ok := it.(string)
			if !ok {
				return val[E]{}, errUnsupported
			}
			set[s] = true
		}
		return val[E]{typ: Bool, b: func(e *E) bool { return set[l.s(e)] != negate }, konst: l.konst}, nil
	case Int:
		set := make(map[int]bool, len(items))
		for _, it := range items {
			i, ok := it.(int)
			if !ok {
				return val[E]{}, errUnsupported
			}
			set[i] = true
		}
		return val[E]{typ: Bool, b: func(e *E) bool { return set[l.i(e)] != negate }, konst: l.konst}, nil
	}
	return val[E]{}, errUnsupported
}

func (b *fastBuilder[E]) conditional(n *ast.ConditionalNode) (val[E], error) {
	c, err := b.compile(n.Cond)
	if err != nil || c.typ != Bool {
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
	case Bool:
		v.b = choose(c.b, x.b, y.b)
	case Int:
		v.i = choose(c.b, x.i, y.i)
	case String:
		v.s = choose(c.b, x.s, y.s)
	case Decimal:
		v.d = choose(c.b, x.d, y.d)
	case Duration:
		v.u = choose(c.b, x.u, y.u)
	case Time:
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

func (b *fastBuilder[E]) member(n *ast.MemberNode) (val[E], error) {
	if n.Optional || n.Method {
		return val[E]{}, errUnsupported
	}
	key, ok := constStringNode(n.Property)
	if !ok {
		return val[E]{}, errUnsupported
	}
	obj, err := b.compile(n.Node)
	if err != nil {
		return obj, err
	}
	switch {
	case obj.attrs != nil:
		return val[E]{typ: String, s: func(e *E) string { return obj.attrs(e)[key] }}, nil
	case obj.link != nil:
		switch key {
		case "id":
			return val[E]{typ: String, s: func(e *E) string { return obj.link(e).ID }}, nil
		case "kind":
			return val[E]{typ: String, s: func(e *E) string { return obj.link(e).Kind }}, nil
		case "priority":
			return val[E]{typ: String, s: func(e *E) string { return obj.link(e).Priority }}, nil
		case "resolved":
			return val[E]{typ: Time, t: func(e *E) time.Time { return obj.link(e).Resolved }}, nil
		}
	}
	return val[E]{}, errUnsupported
}

func constStringNode(n ast.Node) (string, bool) { return constString(n) }

// decimalOf returns a closure of a decimal or an integer operand as a
// decimal.
func decimalOf[E any](v val[E]) (func(*E) decimal.Decimal, bool) {
	switch v.typ {
	case Decimal:
		return v.d, true
	case Int:
		f := v.i
		return func(e *E) decimal.Decimal { return decimal.NewFromInt(int64(f(e))) }, true
	}
	return nil, false
}

func (b *fastBuilder[E]) call(n *ast.CallNode) (val[E], error) {
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
	case "__neg_dur":
		if len(args) == 1 && args[0].typ == Duration {
			f := args[0].u
			return val[E]{typ: Duration, u: func(e *E) time.Duration { return -f(e) }, konst: konst}, nil
		}
	case "calendar_days":
		if len(args) == 1 && args[0].typ == Int {
			f := args[0].i
			return val[E]{typ: Duration, u: func(e *E) time.Duration {
				d, err := calendarDays(f(e))
				if err != nil {
					fail(err)
				}
				return d
			}, konst: konst}, nil
		}
	case "decimal":
		if len(args) == 1 && args[0].typ == String {
			f := args[0].s
			return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
				d, err := parseDecimal(f(e))
				if err != nil {
					fail(err)
				}
				return d
			}, konst: konst}, nil
		}
	case "is_open", "open_time", "add_open_time", "end_of_open_day", "open_days_between":
		return b.clock(name, argNodes, args)
	case "entered", "link", "reopened_within", "elapsed_between":
		return b.ticketFunc(name, args)
	}
	return val[E]{}, errUnsupported
}

func overloadOp[E any](name string, args []val[E]) (val[E], error) {
	if len(args) != 2 {
		return val[E]{}, errUnsupported
	}
	l, r := args[0], args[1]
	if l.typ == Time && r.typ == Time && (name == "__eq" || name == "__ne") {
		neg := name == "__ne"
		return val[E]{typ: Bool, b: func(e *E) bool { return l.t(e).Equal(r.t(e)) != neg }}, nil
	}
	if l.typ == Duration || r.typ == Duration {
		return durationOverload(name, l, r)
	}
	if l.typ == Int && r.typ == Int && name == "__div" {
		x, y := l.i, r.i
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
			q, err := divDecimal(decimal.NewFromInt(int64(x(e))), decimal.NewFromInt(int64(y(e))))
			if err != nil {
				fail(err)
			}
			return q
		}}, nil
	}
	x, okx := decimalOf(l)
	y, oky := decimalOf(r)
	if !okx || !oky {
		return val[E]{}, errUnsupported
	}
	switch name {
	case "__add":
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Add(y(e)) }}, nil
	case "__sub":
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Sub(y(e)) }}, nil
	case "__mul":
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Mul(y(e)) }}, nil
	case "__div":
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
			q, err := divDecimal(x(e), y(e))
			if err != nil {
				fail(err)
			}
			return q
		}}, nil
	}
	c := func(e *E) int { return x(e).Cmp(y(e)) }
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
	case name == "__div" && l.typ == Duration && r.typ == Duration:
		x, y := l.u, r.u
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
			q, err := divDecimal(decimal.NewFromInt(int64(x(e))), decimal.NewFromInt(int64(y(e))))
			if err != nil {
				fail(err)
			}
			return q
		}}, nil
	case name == "__div" && l.typ == Duration && (r.typ == Int || r.typ == Decimal):
		return val[E]{typ: Duration, u: func(e *E) time.Duration {
			var rv any
			if r.typ == Int {
				rv = r.i(e)
			} else {
				rv = r.d(e)
			}
			q, err := divAny(l.u(e), rv)
			if err != nil {
				fail(err)
			}
			return q.(time.Duration)
		}}, nil
	case name == "__mul" && (l.typ == Duration) != (r.typ == Duration):
		d, k := l, r
		if r.typ == Duration {
			d, k = r, l
		}
		kd, ok := decimalOf(k)
		if !ok {
			return val[E]{}, errUnsupported
		}
		return val[E]{typ: Duration, u: func(e *E) time.Duration {
			v, err := scaleDuration(d.u(e), kd(e))
			if err != nil {
				fail(err)
			}
			return v
		}}, nil
	}
	return val[E]{}, errUnsupported
}

func rounding[E any](name string, args []val[E]) (val[E], error) {
	switch {
	case len(args) == 1 && args[0].typ == Int:
		return args[0], nil
	case len(args) == 1 && args[0].typ == Decimal:
		x := args[0].d
		switch name {
		case "ceil":
			return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Ceil() }}, nil
		case "floor":
			return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Floor() }}, nil
		}
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal { return x(e).Round(0) }}, nil
	case len(args) == 2 && name == "round" && args[0].typ == Decimal && args[1].typ == Int:
		x, p := args[0].d, args[1].i
		return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
			v, err := roundAny([]any{x(e), p(e)}, "round")
			if err != nil {
				fail(err)
			}
			return v.(decimal.Decimal)
		}}, nil
	case len(args) == 2 && args[0].typ == Duration && args[1].typ == Duration:
		x, unit := args[0].u, args[1].u
		return val[E]{typ: Duration, u: func(e *E) time.Duration {
			v, err := roundDuration(x(e), unit(e), name)
			if err != nil {
				fail(err)
			}
			return v
		}}, nil
	}
	return val[E]{}, errUnsupported
}

func minMaxOp[E any](name string, args []val[E]) (val[E], error) {
	if len(args) != 2 {
		return val[E]{}, errUnsupported
	}
	l, r := args[0], args[1]
	isMax := name == "max"
	switch {
	case l.typ == Int && r.typ == Int:
		return val[E]{typ: Int, i: func(e *E) int {
			if isMax {
				return max(l.i(e), r.i(e))
			}
			return min(l.i(e), r.i(e))
		}}, nil
	case l.typ == Duration && r.typ == Duration:
		return val[E]{typ: Duration, u: func(e *E) time.Duration {
			if isMax {
				return max(l.u(e), r.u(e))
			}
			return min(l.u(e), r.u(e))
		}}, nil
	case l.typ == Time && r.typ == Time:
		return val[E]{typ: Time, t: func(e *E) time.Time {
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
	return val[E]{typ: Decimal, d: func(e *E) decimal.Decimal {
		a, c := x(e), y(e)
		if a.LessThan(c) == isMax {
			return c
		}
		return a
	}}, nil
}

// clock compiles the calendar functions; the calendar is fixed at compile
// time, named by a constant or the rule's.
func (b *fastBuilder[E]) clock(name string, nodes []ast.Node, args []val[E]) (val[E], error) {
	cal := b.cfg.ruleCal
	if len(args) > 0 && args[0].typ == String {
		calName, ok := constString(nodes[0])
		if !ok {
			return val[E]{}, errUnsupported
		}
		cal = b.cfg.calendars[calName]
		args = args[1:]
	}
	if cal == nil {
		return val[E]{}, errUnsupported
	}
	switch {
	case name == "is_open" && len(args) == 1 && args[0].typ == Time:
		t := args[0].t
		return val[E]{typ: Bool, b: func(e *E) bool { return cal.IsOpen(t(e)) }, open: &openTest[E]{cal: cal, at: t}}, nil
	case name == "open_time" && len(args) == 2 && args[0].typ == Time && args[1].typ == Time:
		x, y := args[0].t, args[1].t
		return val[E]{typ: Duration, u: func(e *E) time.Duration { return cal.Between(x(e), y(e)) }}, nil
	case name == "add_open_time" && len(args) == 2 && args[0].typ == Time && args[1].typ == Duration:
		x, d := args[0].t, args[1].u
		return val[E]{typ: Time, t: func(e *E) time.Time { return cal.Add(x(e), d(e)) }}, nil
	case name == "end_of_open_day" && len(args) == 2 && args[0].typ == Time && args[1].typ == Int:
		x, k := args[0].t, args[1].i
		return val[E]{typ: Time, t: func(e *E) time.Time { return cal.EndOfOpenDay(x(e), k(e)) }}, nil
	case name == "open_days_between" && len(args) == 2 && args[0].typ == Time && args[1].typ == Time:
		x, y := args[0].t, args[1].t
		return val[E]{typ: Int, i: func(e *E) int { return OpenDaysBetween(cal, x(e), y(e)) }}, nil
	}
	return val[E]{}, errUnsupported
}

// ticketFunc compiles the functions of one ticket.
func (b *fastBuilder[E]) ticketFunc(name string, args []val[E]) (val[E], error) {
	ticket := func(e *E) *Ticket { return any(e).(*Ticket) }
	var zero E
	if _, ok := any(zero).(Ticket); !ok {
		return val[E]{}, errUnsupported
	}
	switch {
	case name == "entered" && len(args) == 1 && args[0].typ == String:
		s := args[0].s
		return val[E]{typ: Time, t: func(e *E) time.Time { return Entered(ticket(e).Ticket, s(e)) }}, nil
	case name == "link" && len(args) == 1 && args[0].typ == String:
		s := args[0].s
		return val[E]{typ: Other, link: func(e *E) pacte.Link { return FirstLink(ticket(e).Ticket, s(e)) }}, nil
	case name == "reopened_within" && len(args) == 1 && args[0].typ == Duration:
		d := args[0].u
		return val[E]{typ: Bool, b: func(e *E) bool { return ReopenedWithin(ticket(e).Ticket, d(e)) }}, nil
	case name == "elapsed_between" && len(args) == 2 && args[0].typ == Time && args[1].typ == Time:
		cal := b.cfg.ruleCal
		if cal == nil {
			return val[E]{}, errUnsupported
		}
		x, y := args[0].t, args[1].t
		return val[E]{typ: Duration, u: func(e *E) time.Duration {
			t := ticket(e)
			return ElapsedBetween(cal, t.Paused, x(e), y(e))
		}}, nil
	}
	return val[E]{}, errUnsupported
}

// fieldOf returns the accessor of a field of the environment.
func fieldOf[E any](name string) (val[E], error) {
	var zero E
	var v any
	switch any(zero).(type) {
	case Ticket:
		v = ticketField(name)
	case Call:
		v = callField(name)
	case Outage:
		v = outageField(name)
	case Sample:
		v = sampleField(name)
	case Status:
		v = statusField(name)
	}
	if f, ok := v.(val[E]); ok && f.typ != Unknown {
		return f, nil
	}
	return val[E]{}, errUnsupported
}

func strField[E any](f func(*E) string) val[E]              { return val[E]{typ: String, s: f} }
func timeField[E any](f func(*E) time.Time) val[E]          { return val[E]{typ: Time, t: f} }
func durField[E any](f func(*E) time.Duration) val[E]       { return val[E]{typ: Duration, u: f} }
func boolField[E any](f func(*E) bool) val[E]               { return val[E]{typ: Bool, b: f} }
func intField[E any](f func(*E) int) val[E]                 { return val[E]{typ: Int, i: f} }
func decField[E any](f func(*E) decimal.Decimal) val[E]     { return val[E]{typ: Decimal, d: f} }
func attrsField[E any](f func(*E) map[string]string) val[E] { return val[E]{typ: Other, attrs: f} }

func ticketField(name string) val[Ticket] {
	switch name {
	case "id":
		return strField(func(e *Ticket) string { return e.ID })
	case "kind":
		return strField(func(e *Ticket) string { return e.Kind })
	case "priority":
		return strField(func(e *Ticket) string { return e.Priority })
	case "service":
		return strField(func(e *Ticket) string { return e.Service })
	case "category":
		return strField(func(e *Ticket) string { return e.Category })
	case "group":
		return strField(func(e *Ticket) string { return e.Group })
	case "status":
		return strField(func(e *Ticket) string { return e.Ticket.Status })
	case "exclusion":
		return strField(func(e *Ticket) string { return e.Exclusion })
	case "level":
		return intField(func(e *Ticket) int { return e.Level })
	case "opened":
		return timeField(func(e *Ticket) time.Time { return e.Opened })
	case "acknowledged":
		return timeField(func(e *Ticket) time.Time { return e.Acknowledged })
	case "resolved":
		return timeField(func(e *Ticket) time.Time { return e.Resolved })
	case "closed":
		return timeField(func(e *Ticket) time.Time { return e.Closed })
	case "satisfaction":
		return decField(func(e *Ticket) decimal.Decimal { return e.Satisfaction })
	case "attrs":
		return attrsField(func(e *Ticket) map[string]string { return e.Attrs })
	case "start":
		return timeField(func(e *Ticket) time.Time { return e.Clock.Start })
	case "stop":
		return timeField(func(e *Ticket) time.Time { return e.Clock.Stop })
	case "deadline":
		return timeField(func(e *Ticket) time.Time { return e.Clock.Deadline })
	case "elapsed":
		return durField(func(e *Ticket) time.Duration { return e.Clock.Elapsed })
	case "budget":
		return durField(func(e *Ticket) time.Duration { return e.Clock.Budget })
	case "late":
		return durField(func(e *Ticket) time.Duration { return e.Clock.Late })
	case "on_time":
		return boolField(func(e *Ticket) bool { return e.Clock.OnTime })
	}
	return val[Ticket]{}
}

func callField(name string) val[Call] {
	switch name {
	case "id":
		return strField(func(e *Call) string { return e.ID })
	case "queue":
		return strField(func(e *Call) string { return e.Queue })
	case "agent":
		return strField(func(e *Call) string { return e.Agent })
	case "offered":
		return timeField(func(e *Call) time.Time { return e.Offered })
	case "answered_at":
		return timeField(func(e *Call) time.Time { return e.Call.Answered })
	case "ended":
		return timeField(func(e *Call) time.Time { return e.Ended })
	case "abandoned":
		return boolField(func(e *Call) bool { return e.Abandoned })
	case "first_contact":
		return boolField(func(e *Call) bool { return e.FirstContact })
	case "answered":
		return boolField(func(e *Call) bool { return e.Answered })
	case "wait":
		return durField(func(e *Call) time.Duration { return e.Wait })
	case "talk":
		return durField(func(e *Call) time.Duration { return e.Talk })
	case "attrs":
		return attrsField(func(e *Call) map[string]string { return e.Attrs })
	}
	return val[Call]{}
}

func outageField(name string) val[Outage] {
	switch name {
	case "id":
		return strField(func(e *Outage) string { return e.ID })
	case "service":
		return strField(func(e *Outage) string { return e.Service })
	case "start":
		return timeField(func(e *Outage) time.Time { return e.Start })
	case "end":
		return timeField(func(e *Outage) time.Time { return e.End })
	case "announced":
		return timeField(func(e *Outage) time.Time { return e.Announced })
	case "planned":
		return boolField(func(e *Outage) bool { return e.Planned })
	case "duration":
		return durField(func(e *Outage) time.Duration { return e.Duration })
	case "attrs":
		return attrsField(func(e *Outage) map[string]string { return e.Attrs })
	}
	return val[Outage]{}
}

func sampleField(name string) val[Sample] {
	switch name {
	case "id":
		return strField(func(e *Sample) string { return e.ID })
	case "name":
		return strField(func(e *Sample) string { return e.Name })
	case "at":
		return timeField(func(e *Sample) time.Time { return e.At })
	case "value":
		return decField(func(e *Sample) decimal.Decimal { return e.Value })
	case "attrs":
		return attrsField(func(e *Sample) map[string]string { return e.Attrs })
	}
	return val[Sample]{}
}

func statusField(name string) val[Status] {
	switch name {
	case "status":
		return strField(func(e *Status) string { return e.Status })
	case "at":
		return timeField(func(e *Status) time.Time { return e.At })
	}
	return val[Status]{}
}
