package contract

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
	"go.yaml.in/yaml/v3"
)

// part is a piece of an objective's text and the offset, in runes, at
// which it starts in the objective: an error about the piece is placed
// there.
type part struct {
	text string
	at   int
}

// slice returns the bytes [i, j) of the part.
func (p part) slice(i, j int) part {
	return part{p.text[i:j], p.at + utf8.RuneCountInString(p.text[:i])}
}

// cut splits the part around the byte at i, which it drops.
func (p part) cut(i int) (before, after part) { return p.slice(0, i), p.slice(i+1, len(p.text)) }

// trim returns the part without the white space around it; the spaces
// and tabs in front of it move its offset.
func (p part) trim() part {
	lead := utf8.RuneCountInString(p.text) - utf8.RuneCountInString(strings.TrimLeft(p.text, " \t"))
	return part{strings.TrimSpace(p.text), p.at + lead}
}

// comparison splits an objective at its comparison, the first operator
// outside parentheses, brackets and strings, into the measure before it
// and the threshold after it. When there is none, or it is not one an
// objective may use (=, !=, !), it returns the offset to report.
func comparison(text string) (measure part, op string, threshold part, bad int, ok bool) {
	rs := []rune(text)
	code := outsideStrings(rs)
	depth := 0
	for i, r := range rs {
		switch {
		case !code[i]:
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth--
		case depth == 0 && (r == '<' || r == '>' || r == '=' || r == '!'):
			op := string(r)
			if i+1 < len(rs) && rs[i+1] == '=' {
				op += "="
			}
			if op == "=" || op == "!" || op == "!=" {
				return part{}, "", part{}, i, false
			}
			return part{string(rs[:i]), 0}, op, part{string(rs[i+len(op):]), i + len(op)}, 0, true
		}
	}
	return part{}, "", part{}, 0, false
}

var measureCall = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$`)

// call is a measure as an objective writes it: a name, and what it takes
// between parentheses when it has them.
type call struct {
	name    part
	args    part
	hasArgs bool
}

// readCall reads the measure of an objective.
func readCall(p part) (call, bool) {
	m := measureCall.FindStringSubmatchIndex(p.text)
	if m == nil {
		return call{}, false
	}
	c := call{name: p.slice(m[2], m[3])}
	if m[4] >= 0 {
		c.args, c.hasArgs = p.slice(m[4], m[5]), true
	}
	return c, true
}

// objectiveReader reads one objective of a rule.
type objectiveReader struct {
	d    *decoder
	s    scope
	n    *yaml.Node
	r    Rule
	m    Measure
	name string // the measure as the objective writes it: p90 for a percentile
	rank int    // the rank of a median or of a percentile that names it
	call call
	o    Objective
}

// buildObjective reads an objective: "measure op threshold", the measure
// one of the table of measures.
func (c *Contract) buildObjective(d *decoder, s scope, n *yaml.Node, r Rule) Objective {
	text, ok := d.scalar(n, "objective")
	o := Objective{Text: text, Pos: d.pos(n)}
	if !ok {
		return o
	}
	if strings.TrimSpace(text) == string(MeasureNone) {
		o.Measure = MeasureNone
		o.Threshold.Type = Measures[0].Result
		return o
	}
	measure, op, threshold, bad, ok := comparison(text)
	if !ok {
		d.failAt(n, bad, dsl.ErrSyntax, "objectives compare a measure with a threshold: share(on_time) >= 95%, missed <= 1, mean(wait) <= 30s, availability >= 99.5%",
			"%s, objective %q has no comparison (>=, >, <=, < or ==)", s.rule, text)
		return o
	}
	o.Op = op
	cl, ok := readCall(measure)
	if !ok {
		d.failAt(n, 0, dsl.ErrSyntax, "measures: "+measureHints(), "%s, objective: cannot read the measure %q", s.rule, strings.TrimSpace(measure.text))
		return o
	}
	m, rank, ok := measureWritten(cl.name.text)
	if !ok {
		d.failAt(n, cl.name.at, dsl.ErrUnknownName, choice("measures", cl.name.text, measureNames()), "%s, objective: unknown measure %q", s.rule, cl.name.text)
		return o
	}
	rd := &objectiveReader{d: d, s: s, n: n, r: r, m: m, name: cl.name.text, rank: max(m.Rank, rank), call: cl, o: o}
	if typ, ok := rd.measure(); ok {
		rd.threshold(threshold, typ)
	}
	return rd.o
}

// measure reads what the measure takes and checks what it needs of its
// rule. It returns the type of the measure's values, false when it
// cannot tell.
func (rd *objectiveReader) measure() (dsl.Type, bool) {
	m, cl := rd.m, rd.call
	switch m.Args {
	case NoArgs:
		if cl.hasArgs {
			rd.fail(cl.args.at, dsl.ErrSyntax, "", "%s, objective: %s takes no argument", rd.s.rule, rd.name)
			return 0, false
		}
	case ArgCondition, ArgValue, ArgValueRank:
		if !cl.hasArgs || strings.TrimSpace(cl.args.text) == "" {
			rd.fail(0, dsl.ErrSyntax, "", "%s, objective: %s needs an argument, as in %s(...)", rd.s.rule, rd.name, rd.name)
			return 0, false
		}
	}
	if m.Args != ArgValueRank { // a percentile is known with its rank
		rd.o.Measure, rd.o.Percentile = m.Name, rd.rank
	}
	rd.needs()
	typ := m.Result
	if typ == dsl.Unknown {
		typ = dsl.Decimal // until the per-item measure says
	}
	switch m.Args {
	case ArgCondition:
		rd.o.Arg = itemExpr(rd.s, rd.r.Source, rd.sub(cl.args.trim()), "objective", dsl.Bool)
	case ArgValue, ArgValueRank:
		return rd.value(typ)
	case ArgTimeVariant:
		return typ, rd.timeVariant()
	}
	return typ, true
}

// needs checks the source of the rule and the settings the measure reads.
func (rd *objectiveReader) needs() {
	m, r := rd.m, rd.r
	if m.Sources != nil && !slices.Contains(m.Sources, r.Source) {
		sources := make([]string, len(m.Sources))
		for i, src := range m.Sources {
			sources[i] = string(src)
		}
		rd.fail(0, ErrInvalid, "", "%s: %s is measured from %s, not %s", rd.s.rule, rd.name, strings.Join(sources, " or "), r.Source)
		return
	}
	switch {
	// A deadline or availability settings written but wrong have their
	// own error: what needs them is not reported again.
	case m.Needs == NeedsDeadline && r.Deadline == nil && rd.s.noDeadline:
		rd.fail(0, ErrInvalid, "give the rule a deadline, or count with count(condition)", "%s: %s counts items against the deadline, and the rule has none", rd.s.rule, rd.name)
	case m.Needs == NeedsAvailability && r.Availability == nil && rd.s.noAvailability:
		rd.fail(0, ErrSchema, "availability: {calendar: HE, min_outage: 2min}", "%s: an availability objective needs the availability settings", rd.s.rule)
	}
}

// value reads the per-item measure of a statistic, and the rank of a
// percentile that does not carry it in its name.
func (rd *objectiveReader) value(typ dsl.Type) (dsl.Type, bool) {
	a := rd.call.args.trim()
	if rd.m.Args == ArgValueRank {
		comma := strings.LastIndex(a.text, ",")
		if comma < 0 {
			rd.fail(rd.call.args.at, dsl.ErrSyntax, string(rd.m.Name)+"(wait, 90)", "%s, objective: %s needs a measure and a rank", rd.s.rule, rd.name)
			return 0, false
		}
		value, rank := a.cut(comma)
		p, err := strconv.Atoi(strings.TrimSpace(rank.text))
		if err != nil || p < 0 || p > 100 {
			rd.fail(rank.trim().at, ErrInvalid, "", "%s, objective: the percentile must be a whole number from 0 to 100", rd.s.rule)
			return 0, false
		}
		rd.o.Measure, rd.o.Percentile = rd.m.Name, p
		a = part{strings.TrimSpace(value.text), a.at}
	}
	rd.o.Arg = itemExpr(rd.s, rd.r.Source, rd.sub(a), "objective", dsl.Unknown)
	if rd.o.Arg.IsZero() {
		return typ, true
	}
	switch t := rd.o.Arg.Type(); t {
	case dsl.Duration, dsl.Decimal:
		return t, true
	case dsl.Int:
		if rd.m.Of == OfMean {
			return dsl.Decimal, true
		}
		return t, true
	default:
		rd.fail(a.at, dsl.ErrType, "", "%s, objective: %s needs a duration or a number per item, found a %s", rd.s.rule, rd.name, t)
		return 0, false
	}
}

// serviceLevelVariants are the variants of a service level, in the order
// hints list them.
var serviceLevelVariants = []string{SLAnswered, SLOffered, SLAbandonsIgnored, SLAbandonsMet}

// timeVariant reads a service level's answer time and variant.
func (rd *objectiveReader) timeVariant() bool {
	cl, name := rd.call, rd.name
	comma := strings.Index(cl.args.text, ",")
	if !cl.hasArgs || comma < 0 || strings.Count(cl.args.text, ",") != 1 {
		rd.fail(0, dsl.ErrSyntax, string(rd.m.Name)+rd.m.ArgsHint+"; variants: "+strings.Join(serviceLevelVariants, ", "),
			"%s, objective: %s needs the answer time and the variant the contract names", rd.s.rule, name)
		return false
	}
	within, variant := cl.args.cut(comma)
	t := within.trim()
	v, ok := constant(rd.s, rd.n, t.text, t.at, name)
	if !ok {
		return false
	}
	if v.Type != dsl.Duration || v.Duration <= 0 {
		rd.fail(t.at, ErrInvalid, "", "%s, %s: the answer time must be a duration such as 60s", rd.s.rule, name)
		return false
	}
	rd.o.Within = v.Duration
	written := strings.Trim(strings.TrimSpace(variant.text), `"'`)
	if !slices.Contains(serviceLevelVariants, written) {
		rd.fail(variant.trim().at, ErrInvalid, choice("variants", written, serviceLevelVariants), "%s, %s: unknown variant %q", rd.s.rule, name, written)
		return false
	}
	rd.o.Variant = written
	return true
}

// threshold reads the threshold, which must be of the measure's type.
func (rd *objectiveReader) threshold(p part, typ dsl.Type) {
	t := p.trim()
	if off, op, ok := joined(t.text); ok {
		rd.fail(t.at+off, dsl.ErrSyntax, "another objective below a minimum volume is small_volume: {below: 20, objective: missed <= 1}; a condition on the items goes in the measure: share(on_time && level == 1) >= 90%",
			"%s, objective: an objective is one comparison of a measure with a threshold, not several joined by %s", rd.s.rule, op)
		return
	}
	v, ok := constant(rd.s, rd.n, t.text, t.at, "objective")
	if !ok {
		return
	}
	// An integer threshold of a decimal measure is a decimal.
	if typ == dsl.Decimal && v.Type == dsl.Int {
		v.Type = dsl.Decimal
	}
	if v.Type != typ {
		rd.fail(t.at, dsl.ErrType, thresholdHint(typ), "%s, objective: %s is %s, and %q is %s", rd.s.rule, rd.name, article(typ), t.text, article(v.Type))
		return
	}
	rd.o.Threshold = v
	if rd.m.Unit == UnitRatio && (v.Decimal.IsNegative() || v.Decimal.GreaterThan(one)) {
		rd.fail(t.at, ErrInvalid, "", "%s, objective: a share is between 0%% and 100%%, found %s", rd.s.rule, t.text)
	}
}

func (rd *objectiveReader) fail(offset int, code error, hint, format string, args ...any) {
	rd.d.failAt(rd.n, offset, code, hint, format, args...)
}

// sub is a node for a part of the objective, placed where it starts.
func (rd *objectiveReader) sub(p part) *yaml.Node {
	line, col := rd.d.locate(rd.n, p.at)
	return &yaml.Node{Kind: yaml.ScalarNode, Value: p.text, Line: line, Column: col}
}

// article names a type with its article: "an int", "a decimal".
func article(t dsl.Type) string {
	if t == dsl.Int {
		return "an int"
	}
	return "a " + t.String()
}

func thresholdHint(t dsl.Type) string {
	switch t {
	case dsl.Duration:
		return "write a duration: 30s, 8h"
	case dsl.Int:
		return "write a whole number: 1"
	}
	return "write a percentage or a decimal: 95%, 4.0"
}

// joined finds the first && or ||, or the word and or or, outside
// parentheses, brackets and strings: the threshold of an objective that
// joins two comparisons. It returns its rune offset and the operator.
func joined(text string) (offset int, op string, ok bool) {
	rs := []rune(text)
	code := outsideStrings(rs)
	depth := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case !code[i]:
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		case depth != 0:
		case (r == '&' || r == '|') && i+1 < len(rs) && rs[i+1] == r:
			return i, string(rs[i : i+2]), true
		case isIdent(r):
			j := i
			for j < len(rs) && isIdent(rs[j]) {
				j++
			}
			if w := string(rs[i:j]); w == "and" || w == "or" {
				return i, w, true
			}
			i = j - 1
		}
	}
	return 0, "", false
}
