package simulate

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Repricing: a version of a contract at another price, from its file.
// The contract's YAML is read into nodes, the prices changed where they
// are written (a work unit's fixed, price, and bands' prices), and the
// text parsed again by package contract: a version is a contract that
// loads like any other, and the engine prices it as it prices the
// original.

// contractSource returns the text of the contract's file.
func contractSource(c *contract.Contract, src []byte) ([]byte, error) {
	if src != nil {
		return src, nil
	}
	if c.File() == "" {
		return nil, errors.New("the contract has no file to reprice: give its text")
	}
	b, err := os.ReadFile(c.File())
	if err != nil {
		return nil, fmt.Errorf("reading the contract to reprice it: %w", err)
	}
	return b, nil
}

// workUnits returns the mapping node of the work units of a contract's
// YAML document, and the document.
func workUnits(src []byte) (*yaml.Node, *yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, errors.New("the contract is not a YAML mapping")
	}
	wu := mapValue(doc.Content[0], "work_units")
	if wu == nil || wu.Kind != yaml.MappingNode {
		return nil, nil, errors.New("the contract has no work units to price")
	}
	return &doc, wu, nil
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setAmount(n *yaml.Node, d decimal.Decimal) {
	n.Kind, n.Tag, n.Style, n.Value = yaml.ScalarNode, "!!float", 0, d.StringFixed(2)
}

// unitPrice returns the node of a work unit's price: its fixed fee or
// its unit price; a unit priced by bands has none.
func unitPrice(wu *yaml.Node, unit string) (*yaml.Node, string, error) {
	u := mapValue(wu, unit)
	if u == nil || u.Kind != yaml.MappingNode {
		var ids []string
		for i := 0; i+1 < len(wu.Content); i += 2 {
			ids = append(ids, wu.Content[i].Value)
		}
		return nil, "", fmt.Errorf("the contract has no work unit %s (it has %v)", unit, ids)
	}
	for _, key := range []string{"fixed", "price"} {
		if n := mapValue(u, key); n != nil && n.Kind == yaml.ScalarNode {
			return n, key, nil
		}
	}
	return nil, "", fmt.Errorf("work unit %s is priced by bands: ask for a discount instead", unit)
}

// repriceUnit returns the contract with the fixed fee or unit price of a
// work unit set to price.
func repriceUnit(src []byte, file, unit string, price decimal.Decimal) (*contract.Contract, error) {
	doc, wu, err := workUnits(src)
	if err != nil {
		return nil, err
	}
	n, _, err := unitPrice(wu, unit)
	if err != nil {
		return nil, err
	}
	setAmount(n, price)
	return reparse(doc, file)
}

// discounted returns the contract with every fixed fee, unit price and
// band price multiplied by 1 − discount and rounded to the cent (half
// away from zero), as a price list would be.
func discounted(src []byte, file string, discount decimal.Decimal) (*contract.Contract, error) {
	doc, wu, err := workUnits(src)
	if err != nil {
		return nil, err
	}
	f := decimal.NewFromInt(1).Sub(discount)
	scale := func(n *yaml.Node) error {
		if n == nil || n.Kind != yaml.ScalarNode {
			return nil
		}
		d, err := decimal.NewFromString(n.Value)
		if err != nil {
			return fmt.Errorf("price %q: %w", n.Value, err)
		}
		setAmount(n, d.Mul(f).Round(2))
		return nil
	}
	for i := 1; i < len(wu.Content); i += 2 {
		u := wu.Content[i]
		if u.Kind != yaml.MappingNode {
			continue
		}
		var errs []error
		errs = append(errs, scale(mapValue(u, "fixed")), scale(mapValue(u, "price")))
		if bands := mapValue(u, "bands"); bands != nil && bands.Kind == yaml.SequenceNode {
			for _, b := range bands.Content {
				if b.Kind == yaml.MappingNode {
					errs = append(errs, scale(mapValue(b, "price")))
				}
			}
		}
		if err := errors.Join(errs...); err != nil {
			return nil, fmt.Errorf("work unit %s: %w", wu.Content[i-1].Value, err)
		}
	}
	return reparse(doc, file)
}

func reparse(doc *yaml.Node, file string) (*contract.Contract, error) {
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return contract.Parse(out, file)
}

// currentPrice returns the fixed fee or unit price of a work unit as the
// contract's text writes it.
func currentPrice(src []byte, unit string) (decimal.Decimal, error) {
	_, wu, err := workUnits(src)
	if err != nil {
		return decimal.Zero, err
	}
	n, _, err := unitPrice(wu, unit)
	if err != nil {
		return decimal.Zero, err
	}
	d, err := decimal.NewFromString(n.Value)
	if err != nil {
		return decimal.Zero, fmt.Errorf("work unit %s: price %q: %w", unit, n.Value, err)
	}
	return d, nil
}

// sameShape reports how a version of a contract differs from the original
// in what a simulation's records and results depend on: its term, zone,
// rules and caps.
func sameShape(a, b *contract.Contract) error {
	switch {
	case !a.Start().Equal(b.Start()) || !a.End().Equal(b.End()):
		return errors.New("the two contracts have different terms")
	case a.Location().String() != b.Location().String():
		return errors.New("the two contracts have different time zones")
	case a.Currency() != b.Currency():
		return errors.New("the two contracts have different currencies")
	}
	ids := func(c *contract.Contract) []string {
		var out []string
		for _, r := range c.Rules() {
			out = append(out, r.ID)
		}
		return out
	}
	if !slices.Equal(ids(a), ids(b)) {
		return fmt.Errorf("the two contracts have different rules (%v, %v)", ids(a), ids(b))
	}
	return nil
}
