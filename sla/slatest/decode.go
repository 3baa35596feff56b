package slatest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

// decoder walks the YAML tree of a test file and collects every error
// with its position, as package contract does for contract files: the
// errors are *dsl.Error values with the codes of package contract.
type decoder struct {
	file  string
	lines []string
	errs  dsl.ErrorList
	// consts keeps the values of the file's constants (durations,
	// amounts), written many times over.
	consts constants
	// nodes counts the nodes walked, aliases expanded, against maxNodes.
	nodes int
}

// maxNodes bounds the nodes a file may expand to through its aliases, so
// that a few lines of anchors cannot make it walk billions.
const maxNodes = 1_000_000

// walk counts the children of a node about to be walked, and says whether
// the budget allows it.
func (d *decoder) walk(n *yaml.Node) bool {
	if d.nodes > maxNodes {
		return false
	}
	d.nodes += len(n.Content)
	if d.nodes > maxNodes {
		d.fail(n, contract.ErrInvalid, "", "the file expands to more than %d values through its aliases", maxNodes)
		return false
	}
	return true
}

func (d *decoder) lineText(line int) string {
	if line >= 1 && line <= len(d.lines) {
		return strings.TrimRight(d.lines[line-1], "\r")
	}
	return ""
}

// fail records an error at a node.
func (d *decoder) fail(n *yaml.Node, code error, hint, format string, args ...any) {
	d.failAt(n, 0, code, hint, format, args...)
}

// failAt records an error at a rune offset of a one-line scalar.
func (d *decoder) failAt(n *yaml.Node, offset int, code error, hint, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column+offset
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			col++
		}
	}
	d.errs = append(d.errs, &dsl.Error{Code: code, File: d.file, Line: line, Column: col,
		Text: d.lineText(line), Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// notation records an error of the notation at its offset in the node.
func (d *decoder) notation(n *yaml.Node, what string, err error) {
	var ne *notationError
	if errors.As(err, &ne) {
		d.failAt(n, ne.offset, contract.ErrInvalid, ne.hint, "%s: %s", what, ne.msg)
		return
	}
	d.fail(n, contract.ErrInvalid, "", "%s: %v", what, err)
}

// fields returns the values of a mapping by key, rejecting keys that are
// not allowed and keys given twice.
func (d *decoder) fields(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, kv := range d.pairs(n, what) {
		k := kv[0]
		if !slices.Contains(allowed, k.Value) {
			hint := "keys: " + strings.Join(allowed, ", ")
			if s := diag.Suggest(k.Value, allowed); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			d.fail(k, contract.ErrSchema, hint, "unknown key %q in %s", k.Value, what)
			continue
		}
		out[k.Value] = kv[1]
	}
	return out
}

// pairs returns the key-value pairs of a mapping in file order.
func (d *decoder) pairs(n *yaml.Node, what string) [][2]*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.fail(n, contract.ErrSchema, "", "%s must be a mapping of keys to values, found %s", what, kindName(n))
		return nil
	}
	if !d.walk(n) {
		return nil
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		switch {
		case k.Kind != yaml.ScalarNode:
			d.fail(k, contract.ErrSchema, "", "%s: keys must be names", what)
		case seen[k.Value]:
			d.fail(k, contract.ErrDuplicate, "", "key %q given twice in %s", k.Value, what)
		default:
			seen[k.Value] = true
			out = append(out, [2]*yaml.Node{k, v})
		}
	}
	return out
}

func resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 100; depth++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "an empty value"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "a document"
}

// scalar returns a scalar's text.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.fail(n, contract.ErrSchema, "", "%s must be a value, found %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) text(n *yaml.Node, what string) string {
	s, _ := d.scalar(n, what)
	return s
}

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	s, ok := d.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
	if err != nil || v < 0 {
		d.fail(n, contract.ErrInvalid, "", "%s must be a whole number ≥ 0, found %q", what, s)
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
	case "true", "yes":
		return true, true
	case "false", "no":
		return false, true
	}
	d.fail(n, contract.ErrInvalid, "", "%s must be true or false, found %q", what, s)
	return false, false
}

// list returns the items of a sequence.
func (d *decoder) list(n *yaml.Node, what string) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.fail(n, contract.ErrSchema, "", "%s must be a list, found %s", what, kindName(n))
		return nil
	}
	if !d.walk(n) {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out
}
