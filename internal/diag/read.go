package diag

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Resolve follows aliases to the node they name.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is an empty value (~, null or nothing after a
// key).
func IsNull(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// KindName names what a node is, for messages: "a mapping", "a list", the
// value quoted.
func KindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case IsNull(n):
		return "an empty value"
	case n.Kind == yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "a document"
}

// Entry is a key of a mapping and its value, aliases resolved.
type Entry struct{ Key, Value *yaml.Node }

// Record returns the entries of mapping n, in file order, whose keys must
// be among keys: a key not among them, a key given twice and a key that is
// not a name are reported and left out. what names the mapping in errors,
// want what it should be when it is not a mapping.
func (d *Decoder) Record(n *yaml.Node, what, want string, keys []string) []Entry {
	return d.entries(n, what, want, keys)
}

// Dictionary returns the entries of mapping n, in file order, whose keys
// are names the file defines: a name given twice and a key that is not a
// name are reported and left out.
func (d *Decoder) Dictionary(n *yaml.Node, what, want string) []Entry {
	return d.entries(n, what, want, nil)
}

// Pairs is Dictionary as key-value pairs.
func (d *Decoder) Pairs(n *yaml.Node, what, want string) [][2]*yaml.Node {
	entries := d.Dictionary(n, what, want)
	if entries == nil {
		return nil
	}
	out := make([][2]*yaml.Node, len(entries))
	for i, e := range entries {
		out[i] = [2]*yaml.Node{e.Key, e.Value}
	}
	return out
}

func (d *Decoder) entries(n *yaml.Node, what, want string, keys []string) []Entry {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.faultAt(n, Fault{Kind: WrongKind, What: what, Want: want, Found: KindName(n)})
		return nil
	}
	out := make([]Entry, 0, len(n.Content)/2)
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Resolve(n.Content[i]), Resolve(n.Content[i+1])
		switch {
		case k == nil || k.Kind != yaml.ScalarNode:
			d.faultAt(k, Fault{Kind: KeyNotName, What: what, Found: KindName(k)})
		case keys != nil && !slices.Contains(keys, k.Value):
			d.faultAt(k, Fault{Kind: UnknownKey, What: what, Key: k.Value, Known: keys, Near: Suggest(k.Value, keys)})
		case seen[k.Value] && keys != nil:
			d.faultAt(k, Fault{Kind: DuplicateKey, What: what, Key: k.Value})
		case seen[k.Value]:
			d.faultAt(k, Fault{Kind: DuplicateName, What: what, Key: k.Value})
		default:
			seen[k.Value] = true
			out = append(out, Entry{k, v})
		}
	}
	return out
}

// List returns the items of list n, aliases resolved.
func (d *Decoder) List(n *yaml.Node, what, want string) []*yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.faultAt(n, Fault{Kind: WrongKind, What: what, Want: want, Found: KindName(n)})
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = Resolve(c)
	}
	return out
}

// Scalar returns the text of a single value; a mapping, a list or an empty
// value is reported as not being want.
func (d *Decoder) Scalar(n *yaml.Node, what, want string) (string, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || IsNull(n) {
		d.faultAt(n, Fault{Kind: NotValue, What: what, Want: want, Found: KindName(n)})
		return "", false
	}
	return n.Value, true
}

// Text returns the text of a single value, or "" when n is not one (the
// fault reported).
func (d *Decoder) Text(n *yaml.Node, what, want string) string {
	s, _ := d.Scalar(n, what, want)
	return s
}

// Mismatch reports that value n does not read as want.
func (d *Decoder) Mismatch(n *yaml.Node, what, want string) {
	d.mismatch(n, what, want, "")
}

func (d *Decoder) mismatch(n *yaml.Node, what, want, hint string) {
	n = Resolve(n)
	d.faultAt(n, Fault{Kind: BadValue, What: what, Want: want, Found: KindName(n), Hint: hint})
}

// number returns a value with the underscores that group its digits
// removed (1_000), and its spaces trimmed.
func (d *Decoder) number(n *yaml.Node, what, want string) (string, bool) {
	s, ok := d.Scalar(n, what, want)
	return strings.ReplaceAll(strings.TrimSpace(s), "_", ""), ok
}

// Int reads a whole number.
func (d *Decoder) Int(n *yaml.Node, what, want string) (int, bool) {
	s, ok := d.number(n, what, want)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		d.Mismatch(n, what, want)
		return 0, false
	}
	return v, true
}

// Decimal reads an exact decimal number.
func (d *Decoder) Decimal(n *yaml.Node, what, want string) (decimal.Decimal, bool) {
	s, ok := d.number(n, what, want)
	if !ok {
		return decimal.Decimal{}, false
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		hint := ""
		if strings.Contains(s, ",") {
			hint = "write decimals with a dot: " + strings.ReplaceAll(Resolve(n).Value, ",", ".")
		}
		d.mismatch(n, what, want, hint)
		return decimal.Decimal{}, false
	}
	return v, true
}

// Bool reads true or false, also written yes or no, on or off.
func (d *Decoder) Bool(n *yaml.Node, what, want string) (bool, bool) {
	s, ok := d.Scalar(n, what, want)
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	d.Mismatch(n, what, want)
	return false, false
}

// Date reads a civil date (2027-01-01) as its midnight in loc.
func (d *Decoder) Date(n *yaml.Node, what, want string, loc *time.Location) (time.Time, bool) {
	s, ok := d.Scalar(n, what, want)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		d.Mismatch(n, what, want)
		return time.Time{}, false
	}
	return t, true
}
