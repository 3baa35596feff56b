package dsl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
// ran. Line and Column count from 1; within a contract file they are the
// file's, otherwise the expression's own.
type Error struct {
	Code   error  // one of the Err* values above
	File   string // the contract file, when known
	Line   int
	Column int
	Rule   string // what the expression belongs to, when known: "rule INC-P1", "work unit UO-TKT"
	Field  string // what the expression is: "scope", "objective"…
	Item   string // for a runtime error: the record being evaluated
	Text   string // the line of text at fault, for the snippet
	Msg    string
	Hint   string // a suggestion, such as `did you mean "priority"?`

	// Offset is the rune offset of the fault within the expression, which
	// a caller uses to place the error in a larger file.
	Offset int
}

// Error formats the error as file:line:col: rule: message, followed by
// the line with a caret under the fault and the hint.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "":
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.Line > 0:
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	}
	if e.Rule != "" {
		b.WriteString(e.Rule)
		if e.Field != "" {
			b.WriteString(", ")
			b.WriteString(e.Field)
		}
		b.WriteString(": ")
	} else if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Item != "" {
		fmt.Fprintf(&b, "item %s: ", e.Item)
	}
	b.WriteString(e.Msg)
	if e.Text != "" && e.Column > 0 {
		b.WriteString("\n    ")
		b.WriteString(strings.ReplaceAll(e.Text, "\t", " "))
		b.WriteString("\n    ")
		b.WriteString(strings.Repeat(" ", e.Column-1))
		b.WriteString("^")
	}
	if e.Hint != "" {
		b.WriteString("\n    ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Is reports whether target is the error's code.
func (e *Error) Is(target error) bool { return e.Code != nil && target == e.Code }

// ErrorList is every error of a source, sorted by position.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return fmt.Sprintf("%d errors:\n%s", len(l), strings.Join(parts, "\n"))
}

// Unwrap gives errors.Is and errors.As every error of the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// suggest returns the known name closest to name, when one is close
// enough to be a typo.
func suggest(name string, known []string) string {
	// A typo changes about one letter in three: "priorty" is "priority",
	// but "P1" is not "id".
	best, bestDist := "", len([]rune(name))/3+2
	lower := strings.ToLower(name)
	for _, k := range known {
		if strings.HasPrefix(k, placeholderPrefix) {
			continue
		}
		d := editDistance(lower, strings.ToLower(k))
		if d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if bestDist > 3 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between two strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Suggest returns the candidate closest to name when it is close enough to
// be a typo, or "": the source of "did you mean" hints.
func Suggest(name string, candidates []string) string { return suggest(name, candidates) }
