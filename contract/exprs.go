package contract

import (
	"errors"
	"reflect"
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// scope is what an expression of a rule may use: the contract's
// calendars and work units, the rule's own calendar, and where errors go.
type scope struct {
	d       *decoder
	c       *Contract
	rule    string
	ruleCal string
	// A ticket rule without a clock, or without a deadline, has no
	// measures of them: on_time there would always be false, so naming
	// one is an error.
	noClock, noDeadline bool
	noAvailability      bool // the rule gives no availability settings
	// itemFees: fee() may be called, in a per-item amount.
	itemFees bool
	// beforeClock says why an expression is evaluated before its rule's
	// clock runs (a scope, the clock's own start and stop, a work unit's
	// volume): it must not name the clock's measures, which it would read
	// unset or left over from another rule.
	beforeClock string
	// owner is the rule or group whose formulas may read other rules'
	// results with result(); none in the pipeline's formulas.
	owner string
	// measure is the unit of the rule's objective, once it is read: that
	// of achieved, objective and shortfall in its period formulas.
	measure Unit
	// units are the units of the names the formulas read, checked once
	// every rule is known (see checkUnits); nil for no check.
	units map[string]dsl.Unit
}

func (s scope) options(expect dsl.Type) []dsl.Option {
	opts := []dsl.Option{dsl.Calendars(s.c.calendars), dsl.WorkUnits(s.c.unitIDs()...), dsl.Expect(expect), dsl.Zone(s.c.loc)}
	if s.itemFees {
		opts = append(opts, dsl.ItemFees())
	}
	if cal, ok := s.c.calendars[s.ruleCal]; ok {
		opts = append(opts, dsl.RuleCalendar(cal))
	} else if s.ruleCal != "" && !isLookup(s.ruleCal) {
		// A calendar the contract does not declare has its own error: the
		// rule's expressions are checked as if it were, not told they
		// have no calendar.
		opts = append(opts, dsl.RuleCalendar(undeclaredCalendar))
	}
	return opts
}

// undeclaredCalendar stands for a rule's calendar that the contract does
// not declare, while its expressions are checked.
var undeclaredCalendar = calendar.MustParse("24x7")

// expression compiles the text of a scalar node against E, once for all
// the places the file writes it with the same options.
func expression[E dsl.Env](s scope, n *yaml.Node, field string, expect dsl.Type) Expr {
	text, ok := s.d.scalar(n, field)
	if !ok {
		return Expr{}
	}
	x := Expr{Text: text, Pos: s.d.pos(n)}
	key := compileKey{text: text, env: reflect.TypeFor[E](), expect: expect, calendar: s.ruleCal, units: len(s.c.units), itemFees: s.itemFees}
	r, ok := s.d.compile(key, n, func() (any, error) { return dsl.Compile[E](text, s.options(expect)...) })
	switch {
	case !ok:
		return x
	case r.err != nil:
		s.d.relocate(r.err, n, s.rule, field)
		return x
	}
	p := r.program.(*dsl.Program[E])
	noteReferences(s, n, text, p.Tree())
	noteUnits(s, n, field, p.CheckUnits)
	return withProgram(x, p)
}

// itemExpr compiles an expression about one item of a source.
func itemExpr(s scope, src Source, n *yaml.Node, field string, expect dsl.Type) Expr {
	switch src {
	case Tickets:
		if !s.clockNamesOK(n) {
			return Expr{Text: n.Value, Pos: s.d.pos(n)}
		}
		return expression[dsl.Ticket](s, n, field, expect)
	case Calls:
		return expression[dsl.Call](s, n, field, expect)
	case Outages:
		return expression[dsl.Outage](s, n, field, expect)
	case Samples:
		return expression[dsl.Sample](s, n, field, expect)
	}
	return Expr{}
}

// periodExpr compiles a formula over a period whose measure has type m.
func periodExpr(s scope, m dsl.Type, n *yaml.Node, field string, expect dsl.Type) Expr {
	if s.owner != "" {
		s.units = periodUnits(s.measure)
	}
	switch m {
	case dsl.Duration:
		return expression[dsl.Period[time.Duration]](s, n, field, expect)
	case dsl.Int:
		return expression[dsl.Period[int]](s, n, field, expect)
	}
	return expression[dsl.Period[decimal.Decimal]](s, n, field, expect)
}

// constant evaluates an expression that does not depend on any record:
// a threshold, a duration, a bound of a tier. A literal is read as it is
// (dsl.Constant), anything else compiled once.
func constant(s scope, n *yaml.Node, text string, offset int, field string) (Value, bool) {
	key := compileKey{text: text, calendar: s.ruleCal, units: len(s.c.units)}
	r, ok := s.d.compile(key, n, func() (any, error) { return dsl.Constant(text, s.options(dsl.Unknown)...) })
	if !ok {
		return Value{}, false
	}
	if r.err != nil {
		var e *dsl.Error
		if errors.As(r.err, &e) && e.Line == 0 { // an error of the evaluation
			s.d.failAt(n, offset, ErrInvalid, "", "%s: %v", field, r.err)
		} else {
			s.relocateAt(r.err, n, offset, field)
		}
		return Value{}, false
	}
	switch x := r.program.(type) {
	case decimal.Decimal:
		return Value{Type: dsl.Decimal, Decimal: x}, true
	case time.Duration:
		return Value{Type: dsl.Duration, Duration: x}, true
	case int:
		return Value{Type: dsl.Int, Int: x, Decimal: decimal.NewFromInt(int64(x))}, true
	}
	s.d.failAt(n, offset, ErrInvalid, "", "%s must be a number, a percentage or a duration, found %q", field, text)
	return Value{}, false
}

// relocateAt places the errors of an expression that starts at a rune
// offset inside a node's value.
func (s scope) relocateAt(err error, n *yaml.Node, offset int, field string) {
	shifted := *n
	runes := []rune(n.Value)
	offset = min(max(offset, 0), len(runes))
	line, col := s.d.locate(n, offset)
	shifted.Value = string(runes[offset:])
	shifted.Line, shifted.Column = line, col
	s.d.relocate(err, &shifted, s.rule, field)
}

// clockNamesOK reports an expression that names a clock measure its rule
// does not have.
func (s scope) clockNamesOK(n *yaml.Node) bool {
	check := func(need string, names ...string) bool {
		for _, name := range names {
			if off := identOffset(n.Value, name); off >= 0 {
				s.d.failAt(n, off, ErrInvalid, "", "%s: %s needs %s", s.rule, name, need)
				return false
			}
		}
		return true
	}
	ok := true
	if s.beforeClock != "" {
		for _, name := range [...]string{"elapsed", "start", "stop", "on_time", "deadline", "late", "budget"} {
			if off := identOffset(n.Value, name); off >= 0 {
				s.d.failAt(n, off, ErrInvalid, "", "%s: "+s.beforeClock, s.rule, name)
				return false
			}
		}
	}
	if s.noClock {
		ok = check("a clock", "elapsed", "start", "stop") && ok
	}
	if s.noDeadline {
		ok = check("a deadline", "on_time", "deadline", "late", "budget") && ok
	}
	return ok
}

// feeUnits lists the work units the fee() calls of an expression name,
// each once, in the order they appear; false when the expression is not
// proportional to them (see affineInFees).
func feeUnits(x Expr) ([]string, bool) {
	var tree ast.Node
	switch {
	case x.prog.ticket != nil:
		tree = x.prog.ticket.Tree()
	case x.prog.call != nil:
		tree = x.prog.call.Tree()
	case x.prog.outage != nil:
		tree = x.prog.outage.Tree()
	case x.prog.sample != nil:
		tree = x.prog.sample.Tree()
	default:
		return nil, true
	}
	if !affineInFees(tree) {
		return nil, false
	}
	var units []string
	ast.Find(tree, func(n ast.Node) bool {
		call, ok := n.(*ast.CallNode)
		if !ok {
			return false
		}
		if id, ok := call.Callee.(*ast.IdentifierNode); ok && id.Value == "fee" {
			for _, a := range call.Arguments {
				if s, ok := a.(*ast.StringNode); ok && !slices.Contains(units, s.Value) {
					units = append(units, s.Value)
				}
			}
		}
		return false
	})
	return units, true
}

// affineInFees reports whether an expression is a + b × fee(…) for each
// fee() it calls, a and b free of fees: the engine then adds up the
// per-item amounts as they stream and applies the period's fees at the end.
// fee() may be a term of a sum or a difference, a factor of a product
// whose other factor names no fee, the dividend of a division, or a branch
// of a conditional whose condition names none.
func affineInFees(n ast.Node) bool {
	if !callsFee(n) {
		return true
	}
	switch x := n.(type) {
	case *ast.CallNode:
		id, _ := x.Callee.(*ast.IdentifierNode)
		if id == nil {
			return false
		}
		args := x.Arguments
		switch id.Value {
		case "fee":
			return true
		case "__add", "__sub":
			return len(args) == 2 && affineInFees(args[0]) && affineInFees(args[1])
		case "__mul":
			return len(args) == 2 && (callsFee(args[0]) != callsFee(args[1])) && affineInFees(args[0]) && affineInFees(args[1])
		case "__div":
			return len(args) == 2 && !callsFee(args[1]) && affineInFees(args[0])
		}
	case *ast.ConditionalNode:
		return !callsFee(x.Cond) && affineInFees(x.Exp1) && affineInFees(x.Exp2)
	}
	return false
}

func callsFee(n ast.Node) bool {
	return ast.Find(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallNode); ok {
			if id, ok := call.Callee.(*ast.IdentifierNode); ok {
				return id.Value == "fee"
			}
		}
		return false
	}) != nil
}
