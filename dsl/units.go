package dsl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/shopspring/decimal"
)

// Unit is what a number of a formula counts, beyond its type: the type
// checker tells a duration from a number, but a share, a count of items
// and an amount are all numbers to it.
type Unit uint8

// The units of numbers.
const (
	// NoUnit is a number like any other: an amount, a score, a number of
	// points (achieved * 100), a ratio of two shares.
	NoUnit Unit = iota
	// Share is a fraction of 1, which the language writes as a
	// percentage: 95% is 0.95.
	Share
	// Count is a whole number of items, or of periods.
	Count
	// points is a share scaled to points, as the check finds it:
	// achieved * 100, shortfall / 1%.
	points
)

// Units are the units of the values an expression reads, for
// [Program.CheckUnits].
type Units struct {
	// Names are the units of the environment's names: achieved, missed.
	Names map[string]Unit
	// Result is the unit of a field of another rule's result,
	// result("ID").achieved; nil when results have none.
	Result func(id, field string) Unit
}

// CheckUnits reports the comparisons, sums and differences of the
// expression, and the arguments of min and max, that mix a share with a
// number written without its percent sign, or with a count, or a count
// with a percentage: achieved < 80 of a share always holds, a share being
// at most 1, and missed > 5% holds from the first missed item. 0 goes
// with every unit. A share multiplied by 100 or divided by 1% is a
// number of points, which goes with numbers, not percentages: achieved *
// 100 < 80 and shortfall / 1% > 2 compare points. A share multiplied or
// divided otherwise is a plain number: achieved / objective, shortfall *
// invoice.
// Each error is an [*Error] of code [ErrType], placed at the number at
// fault; several are an [ErrorList].
func (p *Program[E]) CheckUnits(u Units) error {
	if p.rw == nil {
		return nil
	}
	tree, err := parser.Parse(p.rw.src)
	if err != nil { // the program compiled from this source: never
		return nil
	}
	c := &unitChecker{p: p.rw, source: p.source, units: u}
	c.of(tree.Node, nil)
	if len(c.errs) == 1 {
		return c.errs[0]
	}
	return c.errs.Err()
}

// measured is what the unit check knows of a value: its unit, or that
// it is a number written as such (a literal), with the name or text it
// is written with.
type measured struct {
	unit    Unit
	literal bool            // a number literal: 80, 0.8, 80%
	percent bool            // a literal written as a percentage
	value   decimal.Decimal // a literal's value
	at      int             // its rune offset in the source
	text    string          // the literal as written, or the value's name
	bounded bool            // a share between 0 and 1: a name, not a sum
	result  string          // the rule id of result("ID"), until a field is read
}

// zero: a literal 0 goes with every unit.
func (m measured) zero() bool { return m.literal && m.value.IsZero() }

// bare: a number written without a unit, other than 0.
func (m measured) bare() bool { return m.literal && !m.percent && !m.zero() }

// isShare: a share, or a percentage written as such.
func (m measured) isShare() bool { return m.unit == Share || m.literal && m.percent && !m.zero() }

type unitChecker struct {
	p      *rewritten
	source string
	units  Units
	errs   ErrorList
}

// of returns what the check knows of the value of n, reporting what n
// and the nodes below it mix; lets are the units of the names let binds.
func (c *unitChecker) of(n ast.Node, lets map[string]measured) measured {
	if n == nil {
		return measured{}
	}
	m := c.value(n, lets)
	if !m.literal {
		m.at = c.p.originalOffset(n.Location().From)
	}
	return m
}

func (c *unitChecker) value(n ast.Node, lets map[string]measured) measured {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return c.literal(x, decimal.NewFromInt(int64(x.Value)), strconv.Itoa(x.Value), false)
	case *ast.IdentifierNode:
		if m, ok := lets[x.Value]; ok {
			return m
		}
		u := c.units.Names[x.Value]
		return measured{unit: u, text: x.Value, bounded: u == Share}
	case *ast.UnaryNode:
		m := c.of(x.Node, lets)
		if x.Operator == "-" && m.literal {
			m.value, m.text = m.value.Neg(), "-"+m.text
			m.at = c.p.originalOffset(x.Location().From)
			return m
		}
		if x.Operator == "-" || x.Operator == "+" {
			return measured{unit: m.unit, text: x.Operator + m.text}
		}
	case *ast.BinaryNode:
		return c.binary(x, lets)
	case *ast.CallNode:
		return c.call(x, lets)
	case *ast.BuiltinNode:
		return c.function(x.Name, x.Arguments, lets)
	case *ast.MemberNode:
		return c.member(x, lets)
	case *ast.ConditionalNode:
		c.of(x.Cond, lets)
		return merge(c.of(x.Exp1, lets), c.of(x.Exp2, lets))
	case *ast.VariableDeclaratorNode:
		bound := make(map[string]measured, len(lets)+1)
		for k, v := range lets {
			bound[k] = v
		}
		m := c.of(x.Value, lets)
		if !m.literal { // a literal stays one, where it is written
			m.text = x.Name
		}
		bound[x.Name] = m
		return c.of(x.Expr, bound)
	case *ast.SequenceNode:
		var last measured
		for _, e := range x.Nodes {
			last = c.of(e, lets)
		}
		return last
	default:
		c.children(n, lets)
	}
	return measured{}
}

// children checks the nodes below n, whose own value has no unit.
func (c *unitChecker) children(n ast.Node, lets map[string]measured) {
	switch x := n.(type) {
	case *ast.ChainNode:
		c.of(x.Node, lets)
	case *ast.SliceNode:
		c.of(x.Node, lets)
		c.of(x.From, lets)
		c.of(x.To, lets)
	case *ast.PredicateNode:
		c.of(x.Node, lets)
	case *ast.ArrayNode:
		for _, e := range x.Nodes {
			c.of(e, lets)
		}
	case *ast.MapNode:
		for _, e := range x.Pairs {
			c.of(e, lets)
		}
	case *ast.PairNode:
		c.of(x.Key, lets)
		c.of(x.Value, lets)
	}
}

// literal is a number written in the source at n.
func (c *unitChecker) literal(n ast.Node, v decimal.Decimal, text string, percent bool) measured {
	return measured{literal: true, percent: percent, value: v, at: c.p.originalOffset(n.Location().From), text: text}
}

func (c *unitChecker) binary(b *ast.BinaryNode, lets map[string]measured) measured {
	l, r := c.of(b.Left, lets), c.of(b.Right, lets)
	switch b.Operator {
	case "<", "<=", ">", ">=", "==", "!=":
		c.mixed(l, r, verdict(l, b.Operator, r))
	case "*", "/":
		if m, ok := scaled(l, b.Operator, r); ok {
			return m
		}
	case "+", "-":
		c.mixed(l, r, "")
		if l.literal && r.literal {
			return measured{}
		}
		m := merge(l, r)
		if m.unit != NoUnit && l.text != "" && r.text != "" {
			m.text = l.text + " " + b.Operator + " " + r.text
		}
		return m
	}
	return measured{}
}

// scaled is a share scaled to points: multiplied by 100, or divided by
// 1%.
func scaled(l measured, op string, r measured) (measured, bool) {
	hundred, onePercent := decimal.NewFromInt(100), decimal.New(1, -2)
	for _, pair := range [2][2]measured{{l, r}, {r, l}} {
		share, by := pair[0], pair[1]
		if share.unit != Share || !by.literal {
			continue
		}
		if op == "*" && !by.percent && by.value.Equal(hundred) || op == "/" && share == l && by.percent && by.value.Equal(onePercent) {
			return measured{unit: points, text: l.text + " " + op + " " + r.text}, true
		}
	}
	return measured{}, false
}

// merge is the unit of a value that is one of two, or their sum: the
// unit they share, a literal 0 taking the other's.
func merge(a, b measured) measured {
	switch {
	case a.zero():
		return b
	case b.zero():
		return a
	case a.isShare() && b.isShare():
		return measured{unit: Share, text: a.text}
	case a.unit == Count && (b.unit == Count || b.bare()), b.unit == Count && a.bare():
		return measured{unit: Count, text: a.text}
	case a.unit == points && (b.unit == points || b.bare()), b.unit == points && a.bare():
		return measured{unit: points, text: a.text}
	case a.literal && b.literal:
		return a
	}
	return measured{}
}

func (c *unitChecker) call(call *ast.CallNode, lets map[string]measured) measured {
	id, _ := call.Callee.(*ast.IdentifierNode)
	if id == nil {
		c.of(call.Callee, lets)
		for _, a := range call.Arguments {
			c.of(a, lets)
		}
		return measured{}
	}
	if id.Value == decimalLiteral && len(call.Arguments) == 1 {
		if i, ok := call.Arguments[0].(*ast.IntegerNode); ok && i.Value >= 0 && i.Value < len(c.p.literals) {
			e := c.p.edits[i.Value]
			written := string([]rune(c.source)[e.from:e.to])
			v, _ := c.p.literals[i.Value].(decimal.Decimal)
			m := c.literal(call, v, written, strings.HasSuffix(written, "%"))
			m.at = e.from
			return m
		}
	}
	if id.Value == "result" {
		for _, a := range call.Arguments {
			c.of(a, lets)
		}
		if len(call.Arguments) > 0 {
			if s, ok := call.Arguments[0].(*ast.StringNode); ok {
				return measured{result: s.Value, text: "result(" + strconv.Quote(s.Value) + ")"}
			}
		}
		return measured{}
	}
	return c.function(id.Value, call.Arguments, lets)
}

// function is the value of a function of the language: min and max of
// values of one unit keep it, and so do abs, ceil, floor and round of
// one value; the others' values have none.
func (c *unitChecker) function(name string, args []ast.Node, lets map[string]measured) measured {
	ms := make([]measured, len(args))
	for i, a := range args {
		ms[i] = c.of(a, lets)
	}
	switch name {
	case "min", "max":
		if len(ms) == 0 {
			break
		}
		m := ms[0]
		for _, o := range ms[1:] {
			c.mixed(m, o, "")
			m = merge(m, o)
		}
		return measured{unit: m.unit, text: m.text}
	case "abs", "ceil", "floor", "round":
		if len(ms) > 0 && !ms[0].literal {
			return measured{unit: ms[0].unit, text: ms[0].text}
		}
	}
	return measured{}
}

// member is a field: result("ID").achieved has the unit Units.Result
// gives it, $env.achieved that of achieved.
func (c *unitChecker) member(m *ast.MemberNode, lets map[string]measured) measured {
	base := c.of(m.Node, lets)
	c.of(m.Property, lets)
	field, ok := m.Property.(*ast.StringNode)
	switch {
	case !ok:
	case base.result != "" && c.units.Result != nil:
		u := c.units.Result(base.result, field.Value)
		return measured{unit: u, text: base.text + "." + field.Value, bounded: u == Share}
	case base.text == "$env":
		u := c.units.Names[field.Value]
		return measured{unit: u, text: field.Value, bounded: u == Share}
	}
	return measured{}
}

// verdict says what a comparison of a share between 0 and 1 with a number
// outside that range always gives: "; achieved < 80 always holds".
func verdict(l measured, op string, r measured) string {
	written := fmt.Sprintf("%s %s %s", l.text, op, r.text)
	share, number := l, r
	if r.bounded { // read as the share op the number
		share, number = r, l
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
	}
	if !share.bounded || !number.bare() {
		return ""
	}
	var holds bool
	switch {
	case number.value.GreaterThan(decimal.NewFromInt(1)):
		holds = op == "<" || op == "<=" || op == "!="
	case number.value.IsNegative():
		holds = op == ">" || op == ">=" || op == "!="
	default:
		return ""
	}
	if holds {
		return ": " + written + " always holds"
	}
	return ": " + written + " never holds"
}

// mixed reports two values compared or added that are not of one unit;
// a comparison's verdict ends the message.
func (c *unitChecker) mixed(a, b measured, verdict string) {
	for _, pair := range [2][2]measured{{a, b}, {b, a}} {
		v, w := pair[0], pair[1]
		switch {
		case v.unit == Share && w.bare():
			c.fail(w.at, shareMsg(v, w, verdict), shareHint(w))
		case v.unit == Count && w.literal && w.percent && !w.zero():
			c.fail(w.at, fmt.Sprintf("%s is a count, a whole number, and %s a percentage, the number %s", v.text, w.text, w.value),
				"write the number itself: "+w.value.Shift(2).String()+"; a share is a count divided by another: missed / eligible")
		case v.unit == points && w.literal && w.percent && !w.zero():
			c.fail(w.at, fmt.Sprintf("%s is a number of points, and %s a percentage, the number %s", v.text, w.text, w.value),
				"write the points without %: "+w.value.Shift(2).String()+"; or compare the share itself with "+w.text)
		case v.unit == Share && w.unit == Count:
			c.fail(w.at, fmt.Sprintf("%s is a share and %s a count", v.text, w.text), "a share is a count divided by another: missed / eligible")
		default:
			continue
		}
		return
	}
}

// shareMsg says what is wrong with a share compared with a number w
// written without its percent sign: a number above 1 or below -1 cannot
// be one; another could be a share or a fraction of a point.
func shareMsg(v, w measured, verdict string) string {
	if w.value.Abs().GreaterThan(decimal.NewFromInt(1)) {
		return fmt.Sprintf("%s is a share (%s%% is %s), and %s a number without its percent sign%s", v.text, w.text, w.value.Shift(-2), w.text, verdict)
	}
	return fmt.Sprintf("%s is a share, and %s a number without its percent sign: %s%% or %s%%?", v.text, w.text, w.value.Shift(2), w.text)
}

// shareHint says how to write the number a share is compared with.
func shareHint(w measured) string {
	if w.value.Abs().GreaterThan(decimal.NewFromInt(1)) {
		return fmt.Sprintf("write %s%%", w.text)
	}
	if w.value.Abs().Equal(decimal.NewFromInt(1)) {
		return fmt.Sprintf("write the percentage meant: %s%%, or %s%% for one point", w.value.Shift(2), w.text)
	}
	return fmt.Sprintf("write the percentage meant: %s%%, or %s%% for %s of a point", w.value.Shift(2), w.text, w.text)
}

// fail reports a mistake once: a literal bound by let may be used twice.
func (c *unitChecker) fail(at int, msg, hint string) {
	if slices.ContainsFunc(c.errs, func(e *Error) bool { return e.Offset == at && e.Msg == msg }) {
		return
	}
	c.errs = append(c.errs, positioned(c.source, at, &Error{Code: ErrType, Msg: msg, Hint: hint}))
}

// durationLiteralHint is the hint of a duration compared with, or added
// to, a number written without its unit, at the operator at offset from
// of the rewritten source: "achieved is a duration: write 4h, 4min or
// 4s; a number of hours is achieved / 1h". "" when the operator has no
// number literal on one side.
func durationLiteralHint(source string, rw *rewritten, from int) string {
	tree, err := parser.Parse(rw.src)
	if err != nil {
		return ""
	}
	var b *ast.BinaryNode
	ast.Find(tree.Node, func(n ast.Node) bool {
		x, ok := n.(*ast.BinaryNode)
		if ok && x.Location().From == from {
			b = x
		}
		return ok && b != nil
	})
	if b == nil {
		return ""
	}
	c := &unitChecker{p: rw, source: source}
	l, r := c.of(b.Left, nil), c.of(b.Right, nil)
	number, other := r, l
	if l.literal && !l.percent {
		number, other = l, r
	}
	if !number.literal || number.percent {
		return ""
	}
	hint := fmt.Sprintf("write the unit: %sh, %smin or %ss", number.text, number.text, number.text)
	if other.text != "" && !other.literal {
		hint = fmt.Sprintf("%s is a duration: %s; a number of hours is %s / 1h", other.text, hint, other.text)
	}
	return hint
}
