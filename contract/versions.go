package contract

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// PriceVersion is a work unit's price as an amendment (avenant) sets it
// from a date: one of Price, Bands and Fixed, as the unit's own.
type PriceVersion struct {
	From  time.Time // the first day it applies, midnight in the contract's zone
	Price decimal.Decimal
	Bands []Band
	Fixed decimal.Decimal
	Pos   Position
}

// InForce returns the unit with the price in force at t: its own, or that
// of the last version from on or before t; from is that version's first
// day, zero for the unit's own price.
func (u WorkUnit) InForce(t time.Time) (unit WorkUnit, from time.Time) {
	for _, v := range slices.Backward(u.Versions) {
		if !t.Before(v.From) {
			u.Price, u.Bands, u.Fixed = v.Price, v.Bands, v.Fixed
			return u, v.From
		}
	}
	return u, time.Time{}
}

// priceVersions reads the versions of a work unit's price: each from a
// date of the term, later than the one before, in the unit's form of
// price (a fixed fee stays fixed; a price per unit may become bands).
func (c *Contract) priceVersions(d *decoder, n *yaml.Node, u *WorkUnit) {
	var prev time.Time
	for _, item := range d.list(n, "versions") {
		f := d.fields(item, "a version of "+u.ID, "from", "price", "bands", "fixed")
		v := PriceVersion{Pos: d.pos(item)}
		if f["from"] == nil {
			d.fail(item, ErrSchema, "versions: [{from: 2028-01-01, price: 10.50}]", "a version of %s needs the date it applies from", u.ID)
		} else if from, ok := d.date(f["from"], "from", c.loc); ok {
			v.From = from
			switch {
			case !prev.IsZero() && !from.After(prev):
				d.fail(f["from"], ErrInvalid, "", "versions of %s: %s does not come after %s", u.ID, from.Format(time.DateOnly), prev.Format(time.DateOnly))
			case !c.start.IsZero() && (!from.After(c.start) || !from.Before(c.end)):
				d.fail(f["from"], ErrInvalid, "the price of the term's first day is the unit's own", "versions of %s: %s is not a day of the term after its first", u.ID, from.Format(time.DateOnly))
			}
			prev = from
		}
		switch {
		case d.prices(f, u.ID, &v.Price, &v.Bands, &v.Fixed) != 1:
			d.fail(item, ErrInvalid, "price: 10.50, or bands: [...], or fixed: 19000.00", "a version of %s gives exactly one of price, bands and fixed", u.ID)
		case (f["fixed"] != nil) != u.IsFixed():
			d.fail(item, ErrInvalid, "", "a version of %s keeps its form: a fixed fee stays a fixed fee, a price per unit a price per unit or bands", u.ID)
		}
		u.Versions = append(u.Versions, v)
	}
}

// prices reads the price, bands or fixed fee of a work unit or of a
// version of it, and returns how many of the three f gives.
func (d *decoder) prices(f map[string]*yaml.Node, unit string, price *decimal.Decimal, bands *[]Band, fixed *decimal.Decimal) int {
	forms := 0
	for key, dst := range map[string]*decimal.Decimal{"price": price, "fixed": fixed} {
		if f[key] != nil {
			forms++
			*dst, _ = d.decimal(f[key], key)
			d.nonNegative(f[key], *dst, key)
		}
	}
	if f["bands"] != nil {
		forms++
		*bands = d.bands(f["bands"], unit)
	}
	return forms
}

func cloneVersions(vs []PriceVersion) []PriceVersion {
	out := slices.Clone(vs)
	for i := range out {
		out[i].Bands = slices.Clone(out[i].Bands)
	}
	return out
}
