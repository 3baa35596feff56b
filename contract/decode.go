package contract

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Codes of contract errors, for errors.Is, next to the expression codes of
// package dsl (dsl.ErrSyntax, dsl.ErrUnknownName, dsl.ErrType…). Every
// error of a contract is a *dsl.Error with its file, line and column.
var (
	ErrSchema    = errors.New("schema error")      // a key or a value of the wrong kind: unknown key, a list where a map belongs
	ErrInvalid   = errors.New("invalid value")     // a value that is well formed but wrong: a term that ends before it starts
	ErrReference = errors.New("unknown reference") // a name that is not defined: calendar, work unit, rule
	ErrDuplicate = errors.New("duplicate")         // two definitions of one name
)

// decoder walks the YAML tree of a contract, collecting every error with
// its position rather than stopping at the first.
type decoder struct {
	file  string
	lines []string
	errs  dsl.ErrorList
}

func (d *decoder) pos(n *yaml.Node) Position {
	if n == nil {
		return Position{File: d.file, Line: 1, Column: 1}
	}
	return Position{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) lineText(line int) string {
	if line >= 1 && line <= len(d.lines) {
		return strings.TrimRight(d.lines[line-1], "\r")
	}
	return ""
}

// fail records an error at a node.
func (d *decoder) fail(n *yaml.Node, code error, hint, format string, args ...any) {
	p := d.pos(n)
	d.errs = append(d.errs, &dsl.Error{
		Code: code, File: d.file, Line: p.Line, Column: p.Column,
		Text: d.lineText(p.Line), Msg: fmt.Sprintf(format, args...), Hint: hint,
	})
}

// failAt records an error at a rune offset inside a scalar node's value.
func (d *decoder) failAt(n *yaml.Node, offset int, code error, hint, format string, args ...any) {
	line, col := d.locate(n, offset)
	d.errs = append(d.errs, &dsl.Error{
		Code: code, File: d.file, Line: line, Column: col,
		Text: d.lineText(line), Msg: fmt.Sprintf(format, args...), Hint: hint,
	})
}

// locate maps a rune offset of a scalar's value to a line and column of
// the file. YAML may quote, escape, fold or indent a value, so the value's
// runes are matched against the file's from the node's position on,
// whitespace matching whitespace (a folded line break is a space).
func (d *decoder) locate(n *yaml.Node, offset int) (int, int) {
	value := []rune(n.Value)
	k := 0
	lastLine, lastCol := n.Line, n.Column
	for line := n.Line; line <= len(d.lines); line++ {
		text := []rune(strings.TrimRight(d.lines[line-1], "\r"))
		start := 0
		if line == n.Line {
			start = n.Column - 1
		}
		for col := start; col <= len(text); col++ {
			if k >= len(value) {
				return lastLine, lastCol + 1
			}
			var r rune = '\n'
			if col < len(text) {
				r = text[col]
			}
			if r == value[k] || (unicode.IsSpace(r) && unicode.IsSpace(value[k])) {
				if k == offset {
					return line, col + 1
				}
				lastLine, lastCol = line, col+1
				k++
			}
		}
	}
	return n.Line, n.Column
}

// relocate places the errors of an expression in the file.
func (d *decoder) relocate(err error, n *yaml.Node, rule, field string) {
	var list dsl.ErrorList
	var one *dsl.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = dsl.ErrorList{one}
	default:
		d.fail(n, ErrInvalid, "", "%s: %v", field, err)
		return
	}
	for _, e := range list {
		c := *e
		c.File = d.file
		c.Line, c.Column = d.locate(n, e.Offset)
		c.Text = d.lineText(c.Line)
		c.Rule, c.Field = rule, field
		d.errs = append(d.errs, &c)
	}
}

// fields returns the values of a mapping by key, rejecting keys that are
// not allowed and keys given twice.
func (d *decoder) fields(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.fail(n, ErrSchema, "", "%s must be a mapping of keys to values, found %s", what, kindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, ErrSchema, "", "%s: keys must be names", what)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			hint := ""
			if s := closest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				hint = "keys: " + strings.Join(allowed, ", ")
			}
			d.fail(k, ErrSchema, hint, "unknown key %q in %s", k.Value, what)
			continue
		}
		if _, dup := out[k.Value]; dup {
			d.fail(k, ErrDuplicate, "", "key %q given twice in %s", k.Value, what)
			continue
		}
		out[k.Value] = resolveAlias(v)
	}
	return out
}

// pairs returns the key-value pairs of a mapping in file order.
func (d *decoder) pairs(n *yaml.Node, what string) [][2]*yaml.Node {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.fail(n, ErrSchema, "", "%s must be a mapping, found %s", what, kindName(n))
		return nil
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.fail(k, ErrSchema, "", "%s: keys must be names", what)
			continue
		}
		if seen[k.Value] {
			d.fail(k, ErrDuplicate, "", "%q is defined twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "a document"
}

// scalar returns a scalar's text.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.fail(n, ErrSchema, "", "%s must be a value, found %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) text(n *yaml.Node, what string) string {
	s, _ := d.scalar(n, what)
	return s
}

func (d *decoder) decimal(n *yaml.Node, what string) (decimal.Decimal, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return decimal.Decimal{}, false
	}
	v, err := decimal.NewFromString(strings.ReplaceAll(s, "_", ""))
	if err != nil {
		hint := ""
		if strings.Contains(s, ",") {
			hint = "write decimals with a dot: " + strings.ReplaceAll(s, ",", ".")
		}
		d.fail(n, ErrInvalid, hint, "%s must be a decimal number such as 11.00, found %q", what, s)
		return decimal.Decimal{}, false
	}
	return v, true
}

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	if err != nil {
		d.fail(n, ErrInvalid, "", "%s must be a whole number, found %q", what, s)
		return 0, false
	}
	return v, true
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	d.fail(n, ErrInvalid, "", "%s must be true or false, found %q", what, s)
	return false, false
}

// date reads a civil date as midnight in the contract's zone.
func (d *decoder) date(n *yaml.Node, what string, loc *time.Location) (time.Time, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		d.fail(n, ErrInvalid, "", "%s must be a date such as 2027-01-01, found %q", what, s)
		return time.Time{}, false
	}
	return t, true
}

func (d *decoder) list(n *yaml.Node, what string) []*yaml.Node {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.fail(n, ErrSchema, "", "%s must be a list, found %s", what, kindName(n))
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolveAlias(c)
	}
	return out
}

// strings reads a list of names, or a single name.
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
func closest(name string, candidates []string) string { return dsl.Suggest(name, candidates) }
