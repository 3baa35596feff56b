package slatest

import (
	"errors"
	"fmt"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

// decoder walks the YAML tree of a test file and collects every error
// with its position, as package contract does for contract files: the
// errors are *dsl.Error values with the codes of package contract, in the
// contract's words.
type decoder struct {
	*diag.Decoder
	// consts keeps the values of the file's constants (durations,
	// amounts), written many times over.
	consts constants
	// nodes counts the nodes walked, aliases expanded, against maxNodes.
	nodes int
	// records counts the records of every case, against maxFileRecords.
	records int
}

func newDecoder(file string) *decoder {
	return &decoder{Decoder: diag.NewDecoder(file, "test", word), consts: constants{}}
}

// word says what the decoder found wrong as a contract says it, but for
// the faults of the whole file, said as a test file says them, and the
// names of a mapping given twice, which are keys here.
func word(f diag.Fault) *dsl.Error {
	switch f.Kind {
	case diag.NotText:
		return &dsl.Error{Code: contract.ErrSchema, Msg: "the file is not UTF-8 text", Hint: "save the file as UTF-8"}
	case diag.Syntax:
		return &dsl.Error{Code: contract.ErrSchema, Msg: f.Reason}
	case diag.SecondDocument:
		return &dsl.Error{Code: contract.ErrSchema, Msg: "a test file is one YAML document"}
	case diag.DuplicateName:
		f.Kind = diag.DuplicateKey
	}
	return diag.Sentences{Schema: contract.ErrSchema, Invalid: contract.ErrInvalid, Duplicate: contract.ErrDuplicate}.Word(f)
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

// walked resolves n and tells whether it may be walked: it is not a
// mapping or a list (whose fault the reader reports), or the budget
// allows it.
func (d *decoder) walked(n *yaml.Node) (*yaml.Node, bool) {
	n = diag.Resolve(n)
	if n == nil || (n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode) {
		return n, true
	}
	return n, d.walk(n)
}

// fail records an error at a node.
func (d *decoder) fail(n *yaml.Node, code error, hint, format string, args ...any) {
	d.failAt(n, 0, code, hint, format, args...)
}

// failAt records an error at a rune offset of a one-line scalar.
func (d *decoder) failAt(n *yaml.Node, offset int, code error, hint, format string, args ...any) {
	var at *yaml.Node
	if n != nil {
		at = &yaml.Node{Line: n.Line, Column: n.Column + offset}
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			at.Column++
		}
	}
	d.Report(at, &dsl.Error{Code: code, Msg: fmt.Sprintf(format, args...), Hint: hint})
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
	for _, e := range d.entries(n, what, allowed...) {
		out[e.Key.Value] = e.Value
	}
	return out
}

// entries is fields in the order of the file.
func (d *decoder) entries(n *yaml.Node, what string, allowed ...string) []diag.Entry {
	n, ok := d.walked(n)
	if !ok {
		return nil
	}
	return d.Record(n, what, "a mapping of keys to values", allowed)
}

// pairs returns the key-value pairs of a mapping in file order.
func (d *decoder) pairs(n *yaml.Node, what string) [][2]*yaml.Node {
	if n, ok := d.walked(n); ok {
		return d.Pairs(n, what, "a mapping of keys to values")
	}
	return nil
}

// scalar and text return a value's text; text gives "" for a fault.
func (d *decoder) scalar(n *yaml.Node, what string) (string, bool) {
	return d.Scalar(n, what, "a value")
}
func (d *decoder) text(n *yaml.Node, what string) string { return d.Text(n, what, "a value") }

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	v, ok := d.Int(n, what, "a whole number ≥ 0")
	if ok && v < 0 {
		d.Mismatch(n, what, "a whole number ≥ 0")
		return 0, false
	}
	return v, ok
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	return d.Bool(n, what, "true or false")
}

// list returns the items of a sequence.
func (d *decoder) list(n *yaml.Node, what string) []*yaml.Node {
	n, ok := d.walked(n)
	if !ok {
		return nil
	}
	return d.List(n, what, "a list")
}
