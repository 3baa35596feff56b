package diag

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a fault of a source text at a position: an expression that does
// not compile or failed while it ran, a contract clause that is wrong, a
// key a file does not have. Line and Column count from 1; 0 when unknown.
type Error struct {
	Code   error  // the kind of fault, for errors.Is: dsl.ErrType, contract.ErrSchema…
	File   string // the file, when known
	Line   int
	Column int
	Rule   string // what the fault belongs to, when known: "rule INC-P1", "work unit UO-TKT"
	Field  string // which part of it: "scope", "objective"; a key path: "tickets[0].restore"
	Item   string // for a fault while running: the record being evaluated
	Text   string // the line of text at fault, for the snippet
	Msg    string
	Hint   string // a suggestion, such as `did you mean "priority"?`

	// Offset is the rune offset of the fault within an expression, which
	// a caller uses to place the error in a larger file.
	Offset int
}

// Error formats the error as file:line:col: rule, field: message, followed
// by the line with a caret under the fault and the hint.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File == "" && e.Line > 0 {
		// An expression on its own: its line and column.
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	} else {
		b.WriteString(Where(e.File, e.Line, e.Column))
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
		text, column := snippet(e.Text, e.Column)
		b.WriteString("\n    ")
		b.WriteString(strings.ReplaceAll(text, "\t", " "))
		b.WriteString("\n    ")
		b.WriteString(strings.Repeat(" ", column-1))
		b.WriteString("^")
	}
	if e.Hint != "" {
		b.WriteString("\n    ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// snippetWidth is the most characters of a line an error shows.
const snippetWidth = 160

// snippet is the part of a line an error shows, and the column of the
// fault in it: the whole line, or the snippetWidth characters around the
// column of a longer one (a hostile file may hold a line of megabytes),
// an ellipsis where it is cut.
func snippet(line string, column int) (string, int) {
	if utf8.RuneCountInString(line) <= snippetWidth {
		return line, column
	}
	r := []rune(line)
	end := min(len(r), max(column-1-snippetWidth/2, 0)+snippetWidth)
	start := end - snippetWidth
	text, column := string(r[start:end]), column-start
	if start > 0 {
		text, column = "…"+text, column+1
	}
	if end < len(r) {
		text += "…"
	}
	return text, column
}

// Is reports whether target is the error's code.
func (e *Error) Is(target error) bool { return e.Code != nil && target == e.Code }

// List is every error of a source, sorted by position once complete.
type List []*Error

// Error counts the errors and gives each on its own lines.
func (l List) Error() string {
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
func (l List) Unwrap() []error { return Unwrap(l) }

// Sort orders the list by file, line and column.
func (l List) Sort() { Sort(l, func(e *Error) (string, int, int) { return e.File, e.Line, e.Column }) }

// Err returns the list sorted, as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Sort orders errors by file, line and column, keeping the order in which
// they were found among errors at one place. place gives an error's
// position.
func Sort[E any](l []E, place func(E) (file string, line, column int)) {
	slices.SortStableFunc(l, func(a, b E) int {
		fa, la, ca := place(a)
		fb, lb, cb := place(b)
		if c := strings.Compare(fa, fb); c != 0 {
			return c
		}
		if la != lb {
			return la - lb
		}
		return ca - cb
	})
}

// Unwrap returns the errors of a list as a []error, for the Unwrap method
// that lets errors.Is and errors.As see each of them.
func Unwrap[E error](l []E) []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Where writes the place of a fault as the prefix of its message:
// "file:line:col: ", "file:line: " without a column, "file: " without a
// line, "line L: " without a file, nothing when nothing is known.
func Where(file string, line, column int) string {
	switch {
	case file != "" && line > 0 && column > 0:
		return file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(column) + ": "
	case file != "" && line > 0:
		return file + ":" + strconv.Itoa(line) + ": "
	case file != "":
		return file + ": "
	case line > 0:
		return "line " + strconv.Itoa(line) + ": "
	}
	return ""
}
