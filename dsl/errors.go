package dsl

import (
	"errors"
	"strings"

	"github.com/pacte-sla/pacte/internal/diag"
)

// Codes of the errors an expression can give. errors.Is(err, dsl.ErrUnknownName)
// holds for an [*Error] of that code, wrapped or in an [ErrorList].
var (
	ErrSyntax      = errors.New("syntax error")
	ErrLiteral     = errors.New("bad literal")
	ErrUnknownName = errors.New("unknown name")
	ErrType        = errors.New("type mismatch")
	ErrLimit       = errors.New("limit exceeded")
	ErrRuntime     = errors.New("runtime error")
)

// Error is an expression that does not compile, or that failed while it
// ran:
//
//	Code   error  // one of the Err* values above
//	File   string // the contract file, when known
//	Line   int    // from 1: the file's within a contract, otherwise the expression's own
//	Column int    // from 1
//	Rule   string // what the expression belongs to, when known: "rule INC-P1", "work unit UO-TKT"
//	Field  string // what the expression is: "scope", "objective"…
//	Item   string // for a runtime error: the record being evaluated
//	Text   string // the line of text at fault, for the snippet
//	Msg    string
//	Hint   string // a suggestion, such as `did you mean "priority"?`
//	Offset int    // the rune offset of the fault within the expression
//
// Its Error method formats it as file:line:col: rule, field: message,
// followed by the line with a caret under the fault and the hint.
//
// A contract's errors (contract.Error) are of this type too, so that
// errors.As finds a *dsl.Error in any error of a contract, be it of an
// expression or of the file's shape.
type Error = diag.Error

// ErrorList is every error of a source, sorted by position; its Unwrap
// gives errors.Is and errors.As every error, and Err returns it sorted, or
// nil when it is empty.
type ErrorList = diag.List

// suggest returns the known name closest to name, when one is close
// enough to be a typo. The names of literals' placeholders are never
// suggested.
func suggest(name string, known []string) string {
	names := make([]string, 0, len(known))
	for _, k := range known {
		if !strings.HasPrefix(k, placeholderPrefix) {
			names = append(names, k)
		}
	}
	return diag.Suggest(name, names)
}
