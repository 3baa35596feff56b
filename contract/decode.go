package contract

import (
	"errors"
	"fmt"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Codes of contract errors, for errors.Is, next to the expression codes of
// package dsl (dsl.ErrSyntax, dsl.ErrUnknownName, dsl.ErrType…).
var (
	ErrSchema    = errors.New("schema error")      // a key or a value of the wrong kind: unknown key, a list where a map belongs
	ErrInvalid   = errors.New("invalid value")     // a value that is well formed but wrong: a term that ends before it starts
	ErrReference = errors.New("unknown reference") // a name that is not defined: calendar, work unit, rule
	ErrDuplicate = errors.New("duplicate")         // two definitions of one name
)

// Error is a fault of a contract file, with its file, line and column:
//
//	Code   error  // ErrSchema, ErrInvalid, ErrReference, ErrDuplicate, or a code of package dsl
//	File   string
//	Line   int    // from 1
//	Column int    // from 1
//	Rule   string // the clause at fault, when known: "rule INC-P1", "work unit UO-TKT"
//	Field  string // the expression of the clause at fault: "scope", "penalty"
//	Text   string // the line of the file, for the snippet
//	Msg    string
//	Hint   string // a suggestion, such as `did you mean "priority"?`
//
// A contract's expressions are compiled by package dsl, whose errors are
// placed in the file; the contract's errors and the language's are one
// type, so that errors.As finds a *dsl.Error as well as a *contract.Error
// in what Parse returns, whatever the fault.
type Error = diag.Error

// ErrorList is every error of a contract file, sorted by position. It is
// the same type as dsl.ErrorList.
type ErrorList = diag.List

// decoder walks the YAML tree of a contract, collecting every error with
// its position rather than stopping at the first.
type decoder struct {
	*diag.Decoder
	// compiled are the expressions compiled so far, by text and options:
	// an expression written twice (an alias, a condition every rule
	// shares) is compiled once.
	compiled map[compileKey]compileResult
	chars    int        // the characters of the expressions compiled
	overMax  bool       // the file has more expressions than the limits allow: reported once
	refs     []refSite  // the result() calls of the formulas, checked once all are read
	units    []unitSite // the formulas whose units are checked once all rules are read
}

// compileKey is an expression and what its program depends on.
type compileKey struct {
	text     string
	env      reflect.Type // the environment, or nil for a constant
	expect   dsl.Type
	calendar string // the rule's calendar, for clock functions that name none
	units    int    // the work units fee() knows: those declared before it
	itemFees bool   // fee() allowed in an expression about an item
}

type compileResult struct {
	program any // a *dsl.Program of the key's environment, or a constant's value
	err     error
}

func newDecoder(file string) *decoder {
	voice := diag.Sentences{Schema: ErrSchema, Invalid: ErrInvalid, Duplicate: ErrDuplicate}
	return &decoder{Decoder: diag.NewDecoder(file, "contract", voice.Word), compiled: map[compileKey]compileResult{}}
}

// compile returns the result of compile for an expression, compiling it
// the first time; beyond MaxExpressions distinct ones, or
// MaxExpressionText characters of them, it reports the file's excess
// once, at n, and compiles nothing more.
func (d *decoder) compile(key compileKey, n *yaml.Node, compile func() (any, error)) (compileResult, bool) {
	if r, ok := d.compiled[key]; ok {
		return r, true
	}
	if d.overMax {
		return compileResult{}, false
	}
	d.chars += utf8.RuneCountInString(key.text)
	switch {
	case len(d.compiled) >= MaxExpressions:
		d.fail(n, ErrInvalid, "", "more than %d distinct expressions: a contract may have at most %d", MaxExpressions, MaxExpressions)
	case d.chars > MaxExpressionText:
		d.fail(n, ErrInvalid, "", "expressions of more than %d characters in all: a contract may have at most %d", MaxExpressionText, MaxExpressionText)
	}
	if d.overMax = len(d.compiled) >= MaxExpressions || d.chars > MaxExpressionText; d.overMax {
		return compileResult{}, false
	}
	v, err := compile()
	r := compileResult{v, err}
	d.compiled[key] = r
	return r, true
}

func (d *decoder) pos(n *yaml.Node) Position {
	if n == nil {
		return Position{File: d.File, Line: 1, Column: 1}
	}
	return Position{File: d.File, Line: n.Line, Column: n.Column}
}

// fail records an error at a node.
func (d *decoder) fail(n *yaml.Node, code error, hint, format string, args ...any) {
	d.Report(n, &Error{Code: code, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// failAt records an error at a rune offset inside a scalar node's value.
func (d *decoder) failAt(n *yaml.Node, offset int, code error, hint, format string, args ...any) {
	d.ReportAt(n, offset, &Error{Code: code, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (d *decoder) locate(n *yaml.Node, offset int) (int, int) { return d.Locate(n, offset) }

// relocate places the errors of an expression in the file.
func (d *decoder) relocate(err error, n *yaml.Node, rule, field string) {
	if !d.Place(err, n, rule, field) {
		d.fail(n, ErrInvalid, "", "%s: %v", field, err)
	}
}

// fields returns the values of a mapping by key, rejecting keys that are
// not allowed and keys given twice.
func (d *decoder) fields(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, e := range d.Record(n, what, "a mapping of keys to values", allowed) {
		out[e.Key.Value] = e.Value
	}
	return out
}

// pairs returns the key-value pairs of a mapping in file order, rejecting
// names given twice.
func (d *decoder) pairs(n *yaml.Node, what string) [][2]*yaml.Node {
	return d.Pairs(n, what, "a mapping")
}

// scalar returns a scalar's text.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	return d.Scalar(n, what, "a value")
}

func (d *decoder) text(n *yaml.Node, what string) string { return d.Text(n, what, "a value") }

func (d *decoder) decimal(n *yaml.Node, what string) (decimal.Decimal, bool) {
	return d.Decimal(n, what, "a decimal number such as 11.00")
}

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	return d.Int(n, what, "a whole number")
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	return d.Bool(n, what, "true or false")
}

// date reads a civil date as midnight in the contract's zone.
func (d *decoder) date(n *yaml.Node, what string, loc *time.Location) (time.Time, bool) {
	return d.Date(n, what, "a date such as 2027-01-01", loc)
}

func (d *decoder) list(n *yaml.Node, what string) []*yaml.Node {
	return d.List(n, what, "a list")
}

// names reads a list of names, or a single name.
func (d *decoder) names(n *yaml.Node, what string) []string {
	if n != nil && n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for _, c := range d.list(n, what) {
		if s, ok := d.scalar(c, what); ok {
			out = append(out, s)
		}
	}
	return out
}

// closest returns the candidate nearest to name, when it is near enough
// to be a typo.
func closest(name string, candidates []string) string { return diag.Suggest(name, candidates) }
