package simulate

import (
	"fmt"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"go.yaml.in/yaml/v3"
)

// Amendment changes one clause of a contract for a what-if: Path names a
// key of the contract file, its parts separated by dots, a rule by its
// id (rules.INC-P1.deadline, penalties.caps.month); Value is the new
// value as YAML writes it (6h, 2% * invoice, {month: 5% * invoice}). A
// key the file does not have is added to its mapping.
type Amendment struct {
	Path, Value string
}

// String writes the amendment as it reads: rules.INC-P1.deadline = 6h.
func (a Amendment) String() string { return a.Path + " = " + a.Value }

// ParseAmendment reads PATH=VALUE.
func ParseAmendment(s string) (Amendment, error) {
	p, v, ok := strings.Cut(s, "=")
	p, v = strings.TrimSpace(p), strings.TrimSpace(v)
	if !ok || p == "" || v == "" {
		return Amendment{}, fmt.Errorf("want PATH=VALUE (rules.INC-P1.deadline=6h), not %q", s)
	}
	return Amendment{Path: p, Value: v}, nil
}

// Amend returns the version of a contract with the amendments made to
// its file's text (src; nil to read the contract's file), loaded as any
// contract is: an amendment that makes the contract invalid is an error
// with its position in the amended text.
func Amend(c *contract.Contract, src []byte, amendments ...Amendment) (*contract.Contract, error) {
	src, err := contractSource(c, src)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("the contract is empty")
	}
	for _, a := range amendments {
		var value yaml.Node
		if err := yaml.Unmarshal([]byte(a.Value), &value); err != nil || len(value.Content) == 0 {
			return nil, fmt.Errorf("amendment %s: the value is not YAML", a)
		}
		if err := setPath(doc.Content[0], strings.Split(a.Path, "."), value.Content[0]); err != nil {
			return nil, fmt.Errorf("amendment %s: %w", a, err)
		}
	}
	return reparse(&doc, c.File())
}

// setPath sets the value at path under n: mapping keys, or in a sequence
// the mapping whose id is the part.
func setPath(n *yaml.Node, path []string, value *yaml.Node) error {
	part := path[0]
	switch n.Kind {
	case yaml.MappingNode:
		v := mapValue(n, part)
		if len(path) == 1 {
			if v != nil {
				*v = *value
			} else {
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: part}, value)
			}
			return nil
		}
		if v == nil {
			return fmt.Errorf("no key %q", part)
		}
		return setPath(v, path[1:], value)
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if item.Kind == yaml.MappingNode {
				if id := mapValue(item, "id"); id != nil && id.Value == part {
					if len(path) == 1 {
						return fmt.Errorf("%q is a whole item: name one of its keys", part)
					}
					return setPath(item, path[1:], value)
				}
			}
		}
		return fmt.Errorf("no item with id %q", part)
	}
	return fmt.Errorf("%q is under a value, not a mapping", part)
}
