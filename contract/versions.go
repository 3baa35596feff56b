package contract

import (
	"maps"
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
		v.From = c.versionFrom(d, item, f["from"], u.ID, "versions: [{from: 2028-01-01, price: 10.50}]", "the price of the term's first day is the unit's own", &prev)
		switch {
		case d.prices(f, u.ID, &v.Price, &v.Bands, &v.Fixed) != 1:
			d.fail(item, ErrInvalid, "price: 10.50, or bands: [...], or fixed: 19000.00", "a version of %s gives exactly one of price, bands and fixed", u.ID)
		case (f["fixed"] != nil) != u.IsFixed():
			d.fail(item, ErrInvalid, "", "a version of %s keeps its form: a fixed fee stays a fixed fee, a price per unit a price per unit or bands", u.ID)
		}
		u.Versions = append(u.Versions, v)
	}
}

// versionFrom reads the first day of a version of owner (a work unit's
// price, a rule), n its from: a day of the term after its first, later
// than *prev, which it becomes. Zero when n is absent or not a date.
func (c *Contract) versionFrom(d *decoder, item, n *yaml.Node, owner, example, firstDay string, prev *time.Time) time.Time {
	if n == nil {
		d.fail(item, ErrSchema, example, "a version of %s needs the date it applies from", owner)
		return time.Time{}
	}
	from, ok := d.date(n, "from", c.loc)
	if !ok {
		return time.Time{}
	}
	switch {
	case !prev.IsZero() && !from.After(*prev):
		d.fail(n, ErrInvalid, "", "versions of %s: %s does not come after %s", owner, from.Format(time.DateOnly), prev.Format(time.DateOnly))
	case !c.start.IsZero() && (!from.After(c.start) || !from.Before(c.end)):
		d.fail(n, ErrInvalid, firstDay, "versions of %s: %s is not a day of the term after its first", owner, from.Format(time.DateOnly))
	}
	*prev = from
	return from
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

// RuleVersion is a rule as an amendment (avenant) sets it from a date: the
// rule whose objective, deadline, penalty, bonus or cap the version gives
// replaces the rule's own, compiled and checked as the rule's own are.
type RuleVersion struct {
	From time.Time // the first day it applies, midnight in the contract's zone
	Rule Rule      // the rule in force from From; its Versions are empty
	Pos  Position
}

// InForce returns the rule in force at t: its own, or that of the last
// version from on or before t; from is that version's first day, zero for
// the rule's own. The rule returned keeps its Versions.
func (r Rule) InForce(t time.Time) (rule Rule, from time.Time) {
	for _, v := range slices.Backward(r.Versions) {
		if !t.Before(v.From) {
			in := v.Rule
			in.Versions = r.Versions
			return in, v.From
		}
	}
	return r, time.Time{}
}

// ruleVersions reads the versions of a rule: each from a date of the term,
// later than the one before, and the rule compiled again with the keys the
// version gives in place of its own. A fault the version does not cause is
// the rule's, reported once.
func (c *Contract) ruleVersions(d *decoder, n *yaml.Node, f map[string]*yaml.Node, defaults map[Source]*ruleDefaults, r *Rule) {
	var prev time.Time
	for _, item := range d.list(f["versions"], "versions") {
		// What a rule measures (its source, period, scope, clock,
		// attribution) stays the rule's: an amendment changes its terms.
		vf := d.fields(item, "a version of rule "+r.ID, "from", "objective", "deadline", "penalty", "bonus", "cap")
		v := RuleVersion{Pos: d.pos(item)}
		v.From = c.versionFrom(d, item, vf["from"], "rule "+r.ID, "versions: [{from: 2028-01-01, deadline: 4h}]", "the rule of the term's first day is the rule's own", &prev)
		if len(vf) == 0 || len(vf) == 1 && vf["from"] != nil {
			d.fail(item, ErrSchema, "objective, deadline, penalty, bonus or cap", "a version of rule %s changes nothing", r.ID)
		}
		merged := maps.Clone(f)
		delete(merged, "versions")
		maps.Copy(merged, vf)
		delete(merged, "from")
		v.Rule, _ = c.compileRule(d, n, merged, defaults)
		r.Versions = append(r.Versions, v)
	}
}
