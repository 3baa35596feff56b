package contract

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

var one = decimal.NewFromInt(1)

var componentKeys = []string{"when", "amount", "per_point", "per_missed", "per_item", "tiers", "max"}

// buildComponents reads a penalty or a bonus: a formula ("3% * invoice"),
// one component, or a list of components that add up.
func (c *Contract) buildComponents(d *decoder, s scope, n *yaml.Node, r Rule, m dsl.Type, what string) []Component {
	switch n.Kind {
	case yaml.ScalarNode:
		return []Component{{Pos: d.pos(n), Form: FormAmount, Amount: periodExpr(s, m, n, what, dsl.Decimal)}}
	case yaml.SequenceNode:
		var out []Component
		for _, item := range d.list(n, what) {
			if item.Kind == yaml.ScalarNode {
				out = append(out, Component{Pos: d.pos(item), Form: FormAmount, Amount: periodExpr(s, m, item, what, dsl.Decimal)})
				continue
			}
			if comp, ok := c.buildComponent(d, s, item, r, m, what); ok {
				out = append(out, comp)
			}
		}
		return out
	}
	if comp, ok := c.buildComponent(d, s, n, r, m, what); ok {
		return []Component{comp}
	}
	return nil
}

func (c *Contract) buildComponent(d *decoder, s scope, n *yaml.Node, r Rule, m dsl.Type, what string) (Component, bool) {
	f := d.fields(n, what, componentKeys...)
	comp := Component{Pos: d.pos(n)}
	var forms []string
	for _, k := range []string{"amount", "per_point", "per_missed", "per_item", "tiers"} {
		if f[k] != nil {
			forms = append(forms, k)
		}
	}
	if len(forms) != 1 {
		d.fail(n, ErrSchema, "one of amount, per_point, per_missed, per_item, tiers",
			"%s: a %s needs exactly one form, found %d (%s)", s.rule, what, len(forms), strings.Join(forms, ", "))
		return comp, false
	}
	comp.Form = Form(forms[0])
	if w := f["when"]; w != nil {
		comp.When = periodExpr(s, m, w, what+" when", dsl.Bool)
	}
	if x := f["max"]; x != nil {
		comp.Max = periodExpr(s, m, x, what+" max", dsl.Decimal)
	}
	switch comp.Form {
	case FormAmount, FormPerMissed:
		comp.Amount = periodExpr(s, m, f[forms[0]], what, dsl.Decimal)
	case FormPerPoint:
		if m != dsl.Decimal || r.Objective.Unit() != UnitRatio {
			d.fail(f["per_point"], ErrInvalid, "", "%s: per_point counts started points (1%%) of a share, and %s is not one", s.rule, r.Objective.Measure)
		}
		comp.Amount = periodExpr(s, m, f["per_point"], what, dsl.Decimal)
	case FormPerItem:
		withFees := s
		withFees.itemFees = true
		comp.Item = itemExpr(withFees, r.Source, f["per_item"], what+" per_item", dsl.Decimal)
		var ok bool
		if comp.ItemUnits, ok = feeUnits(comp.Item); !ok {
			d.fail(f["per_item"], ErrInvalid, `bound the sum with the component's max; in proportion: 'late > 0s ? 1% * fee("FORFAIT") * ceil(late / 1h) : 0'`,
				"%s: a per-item amount is added up item by item before the period's fees are known: it may use fee() only in proportion, as a term, a factor, a dividend or a branch", s.rule)
		}
	case FormTiers:
		comp.Tiers = c.buildTiers(d, s, f["tiers"], r, m, what)
	}
	return comp, true
}

func (c *Contract) buildTiers(d *decoder, s scope, n *yaml.Node, r Rule, m dsl.Type, what string) []Tier {
	var tiers []Tier
	var nodes []*yaml.Node
	for _, item := range d.list(n, "tiers") {
		f := d.fields(item, "a tier", "range", "amount")
		if f["range"] == nil || f["amount"] == nil {
			d.fail(item, ErrSchema, `{range: "[85%, 90%)", amount: 1% * invoice}`, "a tier needs a range and an amount")
			continue
		}
		rg, ok := c.buildRange(d, s, f["range"], m, r.Objective.Unit() == UnitRatio)
		if !ok {
			continue
		}
		tiers = append(tiers, Tier{Range: rg, Amount: periodExpr(s, m, f["amount"], what+" tier", dsl.Decimal)})
		nodes = append(nodes, f["range"])
	}
	// Sorted by their low end, tiers must touch without overlapping: each
	// ends where the next begins, one side closed and the other open.
	order := make([]int, len(tiers))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareLow(tiers[a].Range, tiers[b].Range) })
	for k := 1; k < len(order); k++ {
		prev, cur := tiers[order[k-1]].Range, tiers[order[k]].Range
		at := nodes[order[k]]
		switch {
		case prev.HighUnbounded || cur.LowUnbounded:
			d.fail(at, ErrInvalid, "", "%s, tiers %s and %s overlap", s.rule, prev.Text, cur.Text)
		case prev.High.Cmp(cur.Low) > 0 || (prev.High.Cmp(cur.Low) == 0 && prev.HighInclusive && cur.LowInclusive):
			d.fail(at, ErrInvalid, "", "%s, tiers %s and %s overlap", s.rule, prev.Text, cur.Text)
		case prev.High.Cmp(cur.Low) < 0 || (!prev.HighInclusive && !cur.LowInclusive):
			d.fail(at, ErrInvalid, "make each tier begin where the previous one ends", "%s, tiers %s and %s leave a gap", s.rule, prev.Text, cur.Text)
		}
	}
	return tiers
}

func compareLow(a, b Range) int {
	switch {
	case a.LowUnbounded && b.LowUnbounded:
		return 0
	case a.LowUnbounded:
		return -1
	case b.LowUnbounded:
		return 1
	}
	if c := a.Low.Cmp(b.Low); c != 0 {
		return c
	}
	switch {
	case a.LowInclusive == b.LowInclusive:
		return 0
	case a.LowInclusive:
		return -1
	}
	return 1
}

// buildRange reads an interval such as "[85%, 90%)", "(1%, 2%]" or
// "(-inf, 80%)". The bounds of a share are between 0 and 1, however
// written: "[85, 90)" would never hold a share.
func (c *Contract) buildRange(d *decoder, s scope, n *yaml.Node, m dsl.Type, share bool) (Range, bool) {
	text, ok := d.scalar(n, "range")
	if !ok {
		return Range{}, false
	}
	rg := Range{Text: strings.TrimSpace(text)}
	t := rg.Text
	bad := func(offset int, msg string) (Range, bool) {
		d.failAt(n, offset, dsl.ErrSyntax, `ranges are written "[85%, 90%)": [ and ] include the bound, ( and ) exclude it`, "%s, range %q: %s", s.rule, text, msg)
		return Range{}, false
	}
	if len(t) < 5 {
		return bad(0, "too short")
	}
	switch t[0] {
	case '[':
		rg.LowInclusive = true
	case '(':
	default:
		return bad(0, "it must start with [ or (")
	}
	switch t[len(t)-1] {
	case ']':
		rg.HighInclusive = true
	case ')':
	default:
		return bad(utf8.RuneCountInString(t)-1, "it must end with ] or )")
	}
	inner := t[1 : len(t)-1]
	comma := strings.Index(inner, ",")
	if comma < 0 {
		return bad(1, "the two bounds are separated by a comma")
	}
	lead := utf8.RuneCountInString(text[:strings.Index(text, t)])
	for i, part := range []string{inner[:comma], inner[comma+1:]} {
		off := lead + 1
		if i == 1 {
			off += utf8.RuneCountInString(inner[:comma+1])
		}
		p := strings.TrimSpace(part)
		off += utf8.RuneCountInString(part[:strings.Index(part, p)])
		switch strings.ToLower(strings.TrimPrefix(p, "+")) {
		case "-inf", "inf":
			if (i == 0) != strings.HasPrefix(p, "-") {
				return bad(off, "-inf can only be the low bound, inf the high one")
			}
			if i == 0 {
				rg.LowUnbounded, rg.LowInclusive = true, false
			} else {
				rg.HighUnbounded, rg.HighInclusive = true, false
			}
			continue
		}
		v, ok := constant(s, n, p, off, "range")
		if !ok {
			return Range{}, false
		}
		if m == dsl.Decimal && v.Type == dsl.Int {
			v.Type = dsl.Decimal
		}
		if v.Type != m {
			d.failAt(n, off, dsl.ErrType, thresholdHint(m), "%s, range %q: the bounds must be of the objective's type, %s, found a %s", s.rule, text, m, v.Type)
			return Range{}, false
		}
		if m == dsl.Decimal && (share || strings.HasSuffix(p, "%")) && (v.Decimal.IsNegative() || v.Decimal.GreaterThan(one)) {
			if strings.HasSuffix(p, "%") {
				d.failAt(n, off, ErrInvalid, "", "%s, range %q: a percentage is between 0%% and 100%%", s.rule, text)
			} else {
				d.failAt(n, off, ErrInvalid, fmt.Sprintf("write the bounds of a share as percentages: %s%%", p),
					"%s, range %q: a share is between 0%% and 100%%, found %s", s.rule, text, p)
			}
			return Range{}, false
		}
		if i == 0 {
			rg.Low = v
		} else {
			rg.High = v
		}
	}
	if !rg.LowUnbounded && !rg.HighUnbounded {
		if c := rg.Low.Cmp(rg.High); c > 0 || (c == 0 && !(rg.LowInclusive && rg.HighInclusive)) {
			return bad(0, "it is empty: its low bound is not below its high bound")
		}
	}
	return rg, true
}

var pipelineKeys = []string{"order", "observation", "franchise", "repeat", "rounding", "caps", "bonus"}

func (c *Contract) buildPipeline(d *decoder, n *yaml.Node) {
	f := d.fields(n, "penalties", pipelineKeys...)
	p := &c.pipeline
	s := scope{d: d, c: c, rule: "penalties"}
	if o := f["order"]; o != nil {
		c.buildOrder(d, o)
	}
	if o := f["observation"]; o != nil {
		c.buildObservation(d, o)
	}
	if fr := f["franchise"]; fr != nil {
		c.buildFranchise(d, fr)
	}
	if rp := f["repeat"]; rp != nil {
		p.Repeat = buildRepeat(d, rp)
	}
	if rd := f["rounding"]; rd != nil {
		p.Rounding = buildRounding(d, rd, p.Rounding)
	}
	if cp := f["caps"]; cp != nil {
		cf := d.fields(cp, "caps", "month", "contract_year", "term")
		if cf["month"] != nil {
			p.MonthCap = periodExpr(s, dsl.Decimal, cf["month"], "month cap", dsl.Decimal)
		}
		if cf["contract_year"] != nil {
			p.YearCap = periodExpr(s, dsl.Decimal, cf["contract_year"], "contract year cap", dsl.Decimal)
		}
		if cf["term"] != nil {
			p.TermCap = periodExpr(s, dsl.Decimal, cf["term"], "term cap", dsl.Decimal)
		}
	}
	if b := f["bonus"]; b != nil {
		bf := d.fields(b, "bonus", "cap", "netting")
		if bf["cap"] != nil {
			p.BonusCap = periodExpr(s, dsl.Decimal, bf["cap"], "bonus cap", dsl.Decimal)
		}
		if bf["netting"] != nil {
			p.Netting, _ = d.boolean(bf["netting"], "netting")
		}
	}
}

// buildOrder reads the order of the pipeline's steps: every step once.
func (c *Contract) buildOrder(d *decoder, n *yaml.Node) {
	names := make([]string, len(DefaultOrder))
	for i, x := range DefaultOrder {
		names[i] = string(x)
	}
	var order []Step
	for _, item := range d.list(n, "order") {
		st := Step(item.Value)
		if !slices.Contains(DefaultOrder, st) {
			d.fail(item, ErrInvalid, choice("steps", item.Value, names), "unknown pipeline step %q", item.Value)
			continue
		}
		if slices.Contains(order, st) {
			d.fail(item, ErrDuplicate, "", "pipeline step %q is listed twice", st)
			continue
		}
		order = append(order, st)
	}
	if len(order) == len(DefaultOrder) {
		c.pipeline.Order = order
	} else if len(order) > 0 {
		d.fail(n, ErrInvalid, "", "the order must list every step once: %d of %d listed", len(order), len(DefaultOrder))
	}
}

func (c *Contract) buildObservation(d *decoder, n *yaml.Node) {
	of := d.fields(n, "observation", "until")
	if of["until"] == nil {
		d.fail(n, ErrSchema, "observation: {until: 2027-03-31}", "observation needs until, its last day")
	} else if until, ok := d.date(of["until"], "until", c.loc); ok {
		if !c.start.IsZero() && (until.Before(c.start) || !until.Before(c.end)) {
			d.fail(of["until"], ErrInvalid, "", "the observation period ends outside the term")
		}
		c.pipeline.Observation = &Observation{Until: until, Pos: d.pos(n)}
	}
}

// buildFranchise reads the franchises: of the first breach, and of small
// amounts.
func (c *Contract) buildFranchise(d *decoder, n *yaml.Node) {
	ff := d.fields(n, "franchise", "first_breach", "de_minimis")
	if fb := ff["first_breach"]; fb != nil {
		bf := d.fields(fb, "first_breach", "per", "except")
		first := &FirstBreach{Per: ContractYear, Pos: d.pos(fb)}
		if bf["per"] != nil {
			first.Per = d.periodKind(bf["per"], "per", ContractYear, Year, Term)
		}
		if bf["except"] != nil {
			first.Except = d.names(bf["except"], "except")
			c.checkRuleIDs(d, bf["except"], first.Except)
		}
		c.pipeline.FirstBreach = first
	}
	if dm := ff["de_minimis"]; dm != nil {
		mf := d.fields(dm, "de_minimis", "below", "per")
		dmn := &DeMinimis{Per: Month, Pos: d.pos(dm)}
		if mf["below"] == nil {
			d.fail(dm, ErrSchema, "de_minimis: {below: 1000.00, per: term}", "de_minimis needs below, the amount at or under which nothing is due")
		} else {
			dmn.Below, _ = d.decimal(mf["below"], "below")
		}
		if mf["per"] != nil {
			dmn.Per = d.periodKind(mf["per"], "per", Month, Year, ContractYear, Term)
		}
		c.pipeline.DeMinimis = dmn
	}
}

func buildRepeat(d *decoder, n *yaml.Node) *Repeat {
	rf := d.fields(n, "repeat", "consecutive", "factor")
	rep := &Repeat{Consecutive: 2, Factor: decimal.NewFromInt(2), Pos: d.pos(n)}
	if rf["consecutive"] != nil {
		rep.Consecutive, _ = d.integer(rf["consecutive"], "consecutive")
		if rep.Consecutive < 2 {
			d.fail(rf["consecutive"], ErrInvalid, "", "repeat consecutive must be at least 2")
		}
	}
	if rf["factor"] != nil {
		rep.Factor, _ = d.decimal(rf["factor"], "factor")
		if !rep.Factor.IsPositive() {
			d.fail(rf["factor"], ErrInvalid, "", "repeat factor must be positive")
		}
	}
	return rep
}

// buildRounding reads the rounding of amounts, over r, the default.
func buildRounding(d *decoder, n *yaml.Node, r Rounding) Rounding {
	rf := d.fields(n, "rounding", "to", "mode")
	if rf["to"] != nil {
		r.To, _ = d.decimal(rf["to"], "to")
		if !r.To.IsPositive() {
			d.fail(rf["to"], ErrInvalid, "", "rounding to must be positive, such as 0.01")
		}
	}
	if rf["mode"] != nil {
		mode := RoundingMode(d.text(rf["mode"], "mode"))
		modes := []string{string(HalfUp), string(HalfEven), string(Down), string(Up)}
		if !slices.Contains(modes, string(mode)) {
			d.fail(rf["mode"], ErrInvalid, choice("modes", string(mode), modes), "unknown rounding mode %q", mode)
		}
		r.Mode = mode
	}
	return r
}

func (c *Contract) checkRuleIDs(d *decoder, n *yaml.Node, ids []string) {
	known := make([]string, len(c.rules))
	for i, r := range c.rules {
		known[i] = r.ID
	}
	for i, id := range ids {
		if slices.Contains(known, id) {
			continue
		}
		at := n
		if n.Kind == yaml.SequenceNode && i < len(n.Content) {
			at = n.Content[i]
		}
		hint := ""
		if s := closest(id, known); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		d.fail(at, ErrReference, hint, "unknown rule %q", id)
	}
}
