package fast

import (
	"slices"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
)

// TextField is a text field of an environment, with its accessor.
type TextField[E any] struct {
	Name string
	Get  func(*E) string
}

// TextInputs returns the text fields a program reads, when they are all
// it reads and it only compares them, with constants or with each other,
// and combines the answers: its value is then a function of those texts
// alone, and a caller evaluating it for item after item may keep the
// value while the texts stay the same. The slice is the caller's. A rule's
// scope such as
//
//	kind == "incident" && priority in ["P1", "P2"]
//
// is one (kind and priority). ok is false for any other program: one that
// reads a field of another type, calls a function, declares a variable or
// reads $env.
func (f *Program[E]) TextInputs() (fields []TextField[E], ok bool) {
	return slices.Clone(f.inputs), f.inputs != nil
}

// textInputs finds the text fields of a program made only of text fields,
// constants and pure operators on them; nil for any other.
func textInputs[E any](n ast.Node) []TextField[E] {
	fields := []TextField[E]{}
	pure := true
	ast.Walk(&n, eachNode(func(n ast.Node) {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			f, err := fieldOf[E](n.Value)
			if err != nil || f.typ != dsl.String {
				pure = false
				return
			}
			for _, g := range fields {
				if g.Name == n.Value {
					return
				}
			}
			fields = append(fields, TextField[E]{Name: n.Value, Get: f.s})
		case *ast.StringNode, *ast.BoolNode, *ast.NilNode, *ast.ArrayNode, *ast.ConditionalNode:
		case *ast.ConstantNode:
			switch n.Value.(type) {
			case string, bool, []string, []any, map[string]struct{}, map[any]struct{}:
			default:
				pure = false
			}
		case *ast.UnaryNode:
			pure = pure && (n.Operator == "!" || n.Operator == "not")
		case *ast.BinaryNode:
			switch n.Operator {
			case "==", "!=", "&&", "||", "and", "or", "in", "contains", "startsWith", "endsWith":
			default:
				pure = false
			}
		default:
			pure = false
		}
	}))
	if !pure || len(fields) == 0 {
		return nil
	}
	return fields
}

// OpenTest returns the calendar and the instant of a program that is
// is_open(cal, t), such as the scope is_open("HO", offered): its value is
// cal.IsOpen(at(env)), which stays the same while the instants stay within
// one opening or one closing of the calendar, so a caller evaluating it
// for item after item in time order may keep it until the next change
// ([calendar.Calendar.NextClosing], [calendar.Calendar.NextOpening]). ok
// is false for any other program, and for one whose instant may fail.
func (f *Program[E]) OpenTest() (cal *calendar.Calendar, at func(*E) time.Time, ok bool) {
	if c := f.c; c != nil && c.safe && c.open != nil {
		return c.open.cal, c.open.at, true
	}
	return nil, nil, false
}
