package contract

import (
	"github.com/pacte-sla/pacte/dsl"
	"go.yaml.in/yaml/v3"
)

// unitSite is a formula of a rule or a group whose units are checked
// once every rule is known: result("ID") may read a rule written after it.
type unitSite struct {
	n           *yaml.Node
	rule, field string
	names       map[string]dsl.Unit
	check       func(dsl.Units) error
}

// countNames are the counts of a rule's period formulas.
var countNames = []string{"eligible", "met", "missed", "excluded", "consecutive"}

// measuredNames are the names of a rule's period formulas that have the
// unit of its objective's measure.
var measuredNames = []string{"achieved", "objective", "shortfall"}

// groupUnits are the units of a group's formulas.
var groupUnits = map[string]dsl.Unit{"members": dsl.Count, "measured": dsl.Count, "breached_count": dsl.Count,
	"penalised_count": dsl.Count, "penalised_in_a_row": dsl.Count, "consecutive": dsl.Count}

// periodUnits are the units of the period formulas of a rule whose
// objective's values read in unit u: a share's achieved is a fraction
// of 1, a count's a whole number of items.
func periodUnits(u Unit) map[string]dsl.Unit {
	units := make(map[string]dsl.Unit, len(countNames)+len(measuredNames))
	for _, name := range countNames {
		units[name] = dsl.Count
	}
	if m := unitOf(u); m != dsl.NoUnit {
		for _, name := range measuredNames {
			units[name] = m
		}
	}
	return units
}

// unitOf is the unit of the expression language that a measure's unit is.
func unitOf(u Unit) dsl.Unit {
	switch u {
	case UnitRatio:
		return dsl.Share
	case UnitInteger:
		return dsl.Count
	}
	return dsl.NoUnit
}

// noteUnits records a compiled formula whose units are checked.
func noteUnits(s scope, n *yaml.Node, field string, check func(dsl.Units) error) {
	if s.units != nil {
		s.d.units = append(s.d.units, unitSite{n: n, rule: s.rule, field: field, names: s.units, check: check})
	}
}

// checkUnits refuses the formulas that compare or add a share with a
// number written without its percent sign (achieved < 80, which always
// holds), or a count with a percentage (missed > 5%): see
// [dsl.Program.CheckUnits].
func (c *Contract) checkUnits(d *decoder) {
	results := map[string]dsl.Unit{}
	for _, r := range c.rules {
		u := unitOf(r.Objective.Unit())
		for _, v := range r.Versions {
			if unitOf(v.Rule.Objective.Unit()) != u {
				u = dsl.NoUnit // a rule whose versions measure in other units
			}
		}
		results[r.ID] = u
	}
	units := dsl.Units{Result: func(id, field string) dsl.Unit {
		switch field {
		case "achieved":
			return results[id]
		case "eligible", "met", "missed", "consecutive":
			return dsl.Count
		}
		return dsl.NoUnit
	}}
	for _, site := range d.units {
		units.Names = site.names
		if err := site.check(units); err != nil {
			d.relocate(err, site.n, site.rule, site.field)
		}
	}
}
