package contract

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

var ruleKeys = []string{"id", "name", "clause", "description", "source", "period", "scope", "exclude", "attribution",
	"clock", "deadline", "short_abandon", "availability", "objective", "small_volume", "penalty", "bonus", "cap"}

// buildRules builds the rules of the list n, checking their number and
// their ids before compiling any: a rule written again (an alias of it)
// is reported as a duplicate, not compiled again.
func (c *Contract) buildRules(d *decoder, n *yaml.Node, defaults map[Source]*ruleDefaults) {
	items := d.list(n, "rules")
	if len(items) > MaxRules {
		d.fail(n, ErrInvalid, "", "%d rules, more than the %d a contract may have", len(items), MaxRules)
		return
	}
	raw := diag.Resolve(n).Content // the items as written: an alias where it is, not where its rule is
	seen := map[string]*yaml.Node{}
	for i, item := range items {
		if id, ok := ruleIDOf(item); ok {
			if prev, dup := seen[id]; dup {
				d.fail(raw[i], ErrDuplicate, fmt.Sprintf("the first is at line %d", prev.Line), "rule id %q is used twice", id)
				continue
			}
			seen[id] = item
		}
		if r, ok := c.buildRule(d, item, defaults); ok {
			c.rules = append(c.rules, r)
		}
	}
}

// ruleIDOf reads the id of a rule, when it has one, without reporting
// anything: buildRule reports what is wrong with it.
func ruleIDOf(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.MappingNode {
		return "", false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := diag.Resolve(n.Content[i]), diag.Resolve(n.Content[i+1]); k != nil && k.Value == "id" && v != nil && v.Kind == yaml.ScalarNode {
			return v.Value, true
		}
	}
	return "", false
}

var ruleID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (c *Contract) buildRule(d *decoder, n *yaml.Node, defaults map[Source]*ruleDefaults) (Rule, bool) {
	f := d.fields(n, "a rule", ruleKeys...)
	r := Rule{Pos: d.pos(n), Period: c.period}
	if f["id"] == nil {
		d.fail(n, ErrSchema, "id: INC-P1", "a rule needs an id")
		return r, false
	}
	r.ID = d.text(f["id"], "id")
	if !ruleID.MatchString(r.ID) {
		d.fail(f["id"], ErrInvalid, "", "rule id %q: use letters, digits, '-', '_' and '.'", r.ID)
	}
	for key, dst := range map[string]*string{"name": &r.Name, "clause": &r.Clause, "description": &r.Description} {
		if f[key] != nil {
			*dst = d.text(f[key], key)
		}
	}
	if f["source"] == nil {
		d.fail(n, ErrSchema, "source: tickets (or calls, outages, samples)", "rule %s needs a source", r.ID)
		return r, false
	}
	r.Source = Source(d.text(f["source"], "source"))
	if !validSource(r.Source) {
		hint := "sources: tickets, calls, outages, samples"
		if s := closest(string(r.Source), []string{"tickets", "calls", "outages", "samples"}); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		d.fail(f["source"], ErrInvalid, hint, "rule %s: unknown source %q", r.ID, r.Source)
		return r, false
	}
	def := defaults[r.Source]
	if def == nil {
		def = &ruleDefaults{}
	}
	pick := func(key string, fallback *yaml.Node) *yaml.Node {
		if f[key] != nil {
			return f[key]
		}
		return fallback
	}
	if p := pick("period", def.period); p != nil {
		r.Period = d.periodKind(p, "period", Month, Quarter, Year, ContractYear)
	}

	s := scope{d: d, c: c, rule: "rule " + r.ID, noClock: f["clock"] == nil, noDeadline: f["deadline"] == nil}
	// The rule's calendar, for clock functions called without a name.
	if cl := f["clock"]; cl != nil && cl.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(cl.Content); i += 2 {
			if cl.Content[i].Value == "calendar" {
				s.ruleCal = cl.Content[i+1].Value
			}
		}
	}
	if av := f["availability"]; av != nil && av.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(av.Content); i += 2 {
			if av.Content[i].Value == "calendar" {
				s.ruleCal = av.Content[i+1].Value
			}
		}
	}

	if f["scope"] != nil {
		before := s
		before.beforeClock = "the scope cannot name %s: the clock runs on the tickets the scope selects (an exclusion or the objective can test it)"
		r.Scope = itemExpr(before, r.Source, f["scope"], "scope", dsl.Bool)
	}
	for _, ex := range []*yaml.Node{def.exclude, f["exclude"]} {
		if ex == nil {
			continue
		}
		for _, p := range d.pairs(ex, "exclude") {
			r.Exclusions = append(r.Exclusions, Exclusion{Reason: p[0].Value, When: itemExpr(s, r.Source, p[1], "exclude "+p[0].Value, dsl.Bool)})
		}
	}
	if a := pick("attribution", def.attribution); a != nil {
		if r.Source == Outages {
			d.fail(a, ErrInvalid, "", "rule %s: outages have no attribution: they are cut at the bounds of each period", r.ID)
		} else {
			r.Attribution = itemExpr(s, r.Source, a, "attribution", dsl.Time)
		}
	} else {
		r.Attribution = defaultAttribution(s, r.Source)
	}

	if cl := f["clock"]; cl != nil {
		r.Clock = c.buildClock(d, s, cl, r, pick("pause_when", def.pauseWhen))
	}
	if dl := f["deadline"]; dl != nil {
		if r.Clock == nil {
			d.fail(dl, ErrInvalid, "clock: {start: opened, stop: resolved, calendar: HO}", "rule %s: a deadline needs a clock", r.ID)
		} else {
			r.Deadline = c.buildDeadline(d, s, dl)
		}
	}
	if sa := pick("short_abandon", def.shortAbandon); sa != nil {
		if r.Source != Calls {
			if f["short_abandon"] != nil {
				d.fail(sa, ErrInvalid, "", "rule %s: short_abandon is a setting of call rules", r.ID)
			}
		} else if v, ok := c.duration(d, s, sa, "short_abandon"); ok {
			r.ShortAbandon = v
		}
	}
	if av := f["availability"]; av != nil {
		r.Availability = c.buildAvailability(d, s, av, r)
	}
	if f["objective"] == nil {
		d.fail(n, ErrSchema, "objective: share(on_time) >= 95%", "rule %s needs an objective", r.ID)
		return r, false
	}
	r.Objective = c.buildObjective(d, s, f["objective"], r)
	if sv := f["small_volume"]; sv != nil {
		sf := d.fields(sv, "small_volume", "below", "objective")
		small := &SmallVolume{}
		if sf["below"] == nil || sf["objective"] == nil {
			d.fail(sv, ErrSchema, "small_volume: {below: 20, objective: missed <= 1}", "small_volume needs below and objective")
		} else {
			small.Below, _ = d.integer(sf["below"], "below")
			if small.Below < 1 {
				d.fail(sf["below"], ErrInvalid, "", "small_volume below must be at least 1")
			}
			small.Objective = c.buildObjective(d, s, sf["objective"], r)
			r.SmallVolume = small
		}
	}

	m := r.Objective.Type()
	if p := f["penalty"]; p != nil {
		r.Penalty = c.buildComponents(d, s, p, r, m, "penalty")
	}
	if b := f["bonus"]; b != nil {
		r.Bonus = c.buildComponents(d, s, b, r, m, "bonus")
	}
	if cp := f["cap"]; cp != nil {
		r.Cap = periodExpr(s, m, cp, "cap", dsl.Decimal)
	}
	return r, true
}

// identOffset returns the rune offset of name used as an identifier in
// an expression (not inside a string, not part of a longer name), or −1.
func identOffset(text, name string) int {
	rs := []rune(text)
	code := outsideStrings(rs)
	for i := 0; i < len(rs); i++ {
		if !code[i] || !isIdent(rs[i]) || (i > 0 && (isIdent(rs[i-1]) || rs[i-1] == '.')) {
			continue
		}
		j := i
		for j < len(rs) && isIdent(rs[j]) {
			j++
		}
		if string(rs[i:j]) == name {
			return i
		}
		i = j - 1
	}
	return -1
}

// outsideStrings tells, rune by rune, whether text is code rather than
// the inside of a string literal, as expr reads them: quoted strings with
// backslash escapes and raw strings in backquotes, without. The quotes
// themselves count as strings.
func outsideStrings(rs []rune) []bool {
	code := make([]bool, len(rs))
	var quote rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == 0 && (r == '"' || r == '\'' || r == '`'):
			quote = r
		case quote == 0:
			code[i] = true
		case r == '\\' && quote != '`':
			i++
		case r == quote:
			quote = 0
		}
	}
	return code
}

func isIdent(r rune) bool {
	return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

func (c *Contract) buildClock(d *decoder, s scope, n *yaml.Node, r Rule, pauseWhen *yaml.Node) *Clock {
	if r.Source != Tickets {
		d.fail(n, ErrInvalid, "", "rule %s: clocks measure tickets; a %s rule measures its items directly", r.ID, r.Source)
		return nil
	}
	f := d.fields(n, "clock", "start", "stop", "calendar", "pause_when")
	cl := &Clock{}
	for _, k := range []string{"start", "stop", "calendar"} {
		if f[k] == nil {
			d.fail(n, ErrSchema, "clock: {start: opened, stop: resolved, calendar: HO}", "rule %s: the clock needs %s", r.ID, k)
		}
	}
	if f["calendar"] != nil {
		cl.Calendar = d.text(f["calendar"], "calendar")
		cal, ok := c.calendars[cl.Calendar]
		if !ok {
			c.unknownCalendar(d, f["calendar"], cl.Calendar)
			return nil
		}
		cl.Cal = cal
	}
	ends := s
	ends.beforeClock = "the clock's start and stop cannot name %s, which they define"
	if f["start"] != nil {
		cl.Start = itemExpr(ends, Tickets, f["start"], "clock start", dsl.Time)
	}
	if f["stop"] != nil {
		cl.Stop = itemExpr(ends, Tickets, f["stop"], "clock stop", dsl.Time)
	}
	if p := f["pause_when"]; p != nil {
		pauseWhen = p
	}
	if pauseWhen != nil {
		cl.PauseWhen = expression[dsl.Status](s, pauseWhen, "pause_when", dsl.Bool)
	}
	return cl
}

func (c *Contract) unknownCalendar(d *decoder, n *yaml.Node, name string) {
	hint := "calendars: " + strings.Join(c.CalendarNames(), ", ")
	if s := closest(name, c.CalendarNames()); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	d.fail(n, ErrReference, hint, "unknown calendar %q", name)
}

var openDays = regexp.MustCompile(`^end_of_open_day\(\s*(\d+)\s*\)$`)

func (c *Contract) buildDeadline(d *decoder, s scope, n *yaml.Node) *Deadline {
	text, ok := d.scalar(n, "deadline")
	if !ok {
		return nil
	}
	if m := openDays.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
		days, _ := strconv.Atoi(m[1])
		if days < 1 || days > 366 {
			d.fail(n, ErrInvalid, "", "deadline: end_of_open_day needs a number of days from 1 to 366, found %d", days)
			return nil
		}
		return &Deadline{OpenDays: days, Text: text}
	}
	v, ok := c.duration(d, s, n, "deadline")
	if !ok {
		return nil
	}
	return &Deadline{Open: v, Text: text}
}

// duration reads a positive duration literal such as 4h or 30min.
func (c *Contract) duration(d *decoder, s scope, n *yaml.Node, what string) (time.Duration, bool) {
	text, ok := d.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, ok := constant(s, n, text, 0, what)
	if !ok {
		return 0, false
	}
	if v.Type != dsl.Duration || v.Duration <= 0 {
		d.fail(n, ErrInvalid, "durations are written 4h, 30min, 1h30min", "%s must be a positive duration, found %q", what, text)
		return 0, false
	}
	return v.Duration, true
}

func (c *Contract) buildAvailability(d *decoder, s scope, n *yaml.Node, r Rule) *Availability {
	if r.Source != Outages {
		d.fail(n, ErrInvalid, "", "rule %s: availability is measured from outages", r.ID)
		return nil
	}
	f := d.fields(n, "availability", "calendar", "min_outage")
	a := &Availability{}
	if f["calendar"] == nil {
		d.fail(n, ErrSchema, "availability: {calendar: HE, min_outage: 2min}", "availability needs the calendar of the agreed service time")
		return nil
	}
	a.Calendar = d.text(f["calendar"], "calendar")
	cal, ok := c.calendars[a.Calendar]
	if !ok {
		c.unknownCalendar(d, f["calendar"], a.Calendar)
		return nil
	}
	a.Cal = cal
	if f["min_outage"] != nil {
		a.MinOutage, _ = c.duration(d, s, f["min_outage"], "min_outage")
	}
	return a
}

// comparison finds the top-level comparison of an objective: the
// operator outside parentheses and strings.
func comparison(text string) (left, op, right string, opOffset int, ok bool) {
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
				return "", "", "", i, false
			}
			return string(rs[:i]), op, string(rs[i+len(op):]), i, true
		}
	}
	return "", "", "", 0, false
}

var measureCall = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$`)
var percentileName = regexp.MustCompile(`^p(\d{1,2}|100)$`)

// buildObjective parses "measure op threshold".
func (c *Contract) buildObjective(d *decoder, s scope, n *yaml.Node, r Rule) Objective {
	text, ok := d.scalar(n, "objective")
	o := Objective{Text: text, Pos: d.pos(n)}
	if !ok {
		return o
	}
	if strings.TrimSpace(text) == "none" {
		o.Measure = MeasureNone
		o.Threshold.Type = dsl.Decimal
		return o
	}
	left, op, right, opOff, ok := comparison(text)
	if !ok {
		d.failAt(n, opOff, dsl.ErrSyntax, "objectives compare a measure with a threshold: share(on_time) >= 95%, missed <= 1, mean(wait) <= 30s, availability >= 99.5%",
			"%s, objective %q has no comparison (>=, >, <=, < or ==)", s.rule, text)
		return o
	}
	o.Op = op
	m := measureCall.FindStringSubmatch(left)
	if m == nil {
		d.failAt(n, 0, dsl.ErrSyntax, "measures: share(cond), count(cond), met, missed, mean(m), median(m), p90(m), sum(m), min(m), max(m), availability, answer_rate, abandon_rate, service_level(60s, \"answered\"), asa, fcr", "%s, objective: cannot read the measure %q", s.rule, strings.TrimSpace(left))
		return o
	}
	name, args := m[1], m[2]
	argOffset := utf8.RuneCountInString(left[:strings.Index(left, name)+len(name)])
	if i := strings.Index(left[strings.Index(left, name)+len(name):], "("); i >= 0 {
		argOffset += utf8.RuneCountInString(left[strings.Index(left, name)+len(name):][:i]) + 1
	}
	hasArgs := strings.Contains(left, "(")
	measureType := dsl.Decimal

	needArg := func() bool {
		if !hasArgs || strings.TrimSpace(args) == "" {
			d.failAt(n, 0, dsl.ErrSyntax, "", "%s, objective: %s needs an argument, as in %s(...)", s.rule, name, name)
			return false
		}
		return true
	}
	noArg := func() bool {
		if hasArgs {
			d.failAt(n, argOffset, dsl.ErrSyntax, "", "%s, objective: %s takes no argument", s.rule, name)
			return false
		}
		return true
	}
	sub := func(text string, offset int) *yaml.Node {
		line, col := d.locate(n, offset)
		return &yaml.Node{Kind: yaml.ScalarNode, Value: text, Line: line, Column: col}
	}
	trimmed := func(a string, offset int) (string, int) {
		lead := len([]rune(a)) - len([]rune(strings.TrimLeft(a, " \t")))
		return strings.TrimSpace(a), offset + lead
	}

	switch {
	case name == "share" || name == "count":
		if !needArg() {
			return o
		}
		o.Measure = MeasureShare
		if name == "count" {
			o.Measure, measureType = MeasureCount, dsl.Int
		}
		a, off := trimmed(args, argOffset)
		o.Arg = itemExpr(s, r.Source, sub(a, off), "objective", dsl.Bool)
	case name == "met" || name == "missed":
		if !noArg() {
			return o
		}
		o.Measure, measureType = MeasureMet, dsl.Int
		if name == "missed" {
			o.Measure = MeasureMissed
		}
		if r.Deadline == nil {
			d.failAt(n, 0, ErrInvalid, "give the rule a deadline, or count with count(condition)", "%s: %s counts items against the deadline, and the rule has none", s.rule, name)
		}
	case name == "mean" || name == "median" || name == "sum" || name == "min" || name == "max" || name == "percentile" || percentileName.MatchString(name):
		if !needArg() {
			return o
		}
		a, off := trimmed(args, argOffset)
		switch {
		case name == "percentile":
			comma := strings.LastIndex(a, ",")
			if comma < 0 {
				d.failAt(n, argOffset, dsl.ErrSyntax, "percentile(wait, 90)", "%s, objective: percentile needs a measure and a rank", s.rule)
				return o
			}
			p, err := strconv.Atoi(strings.TrimSpace(a[comma+1:]))
			if err != nil || p < 0 || p > 100 {
				rank := a[comma+1:]
				lead := utf8.RuneCountInString(rank) - utf8.RuneCountInString(strings.TrimLeft(rank, " \t"))
				d.failAt(n, off+utf8.RuneCountInString(a[:comma+1])+lead, ErrInvalid, "", "%s, objective: the percentile must be a whole number from 0 to 100", s.rule)
				return o
			}
			o.Measure, o.Percentile, a = MeasurePercentile, p, strings.TrimSpace(a[:comma])
		case percentileName.MatchString(name):
			o.Percentile, _ = strconv.Atoi(name[1:])
			o.Measure = MeasurePercentile
		case name == "median":
			o.Measure, o.Percentile = MeasureMedian, 50
		default:
			o.Measure = MeasureKind(name)
		}
		o.Arg = itemExpr(s, r.Source, sub(a, off), "objective", dsl.Unknown)
		if !o.Arg.IsZero() {
			measureType = o.Arg.Type()
			switch measureType {
			case dsl.Duration, dsl.Decimal:
			case dsl.Int:
				if o.Measure == MeasureMean {
					measureType = dsl.Decimal
				}
			default:
				d.failAt(n, off, dsl.ErrType, "", "%s, objective: %s needs a duration or a number per item, found a %s", s.rule, name, measureType)
				return o
			}
		}
	case name == "availability":
		if !noArg() {
			return o
		}
		o.Measure = MeasureAvailability
		if r.Source != Outages {
			d.failAt(n, 0, ErrInvalid, "", "%s: availability is measured from outages, not %s", s.rule, r.Source)
		} else if r.Availability == nil {
			d.failAt(n, 0, ErrSchema, "availability: {calendar: HE, min_outage: 2min}", "%s: an availability objective needs the availability settings", s.rule)
		}
	case name == "answer_rate" || name == "abandon_rate" || name == "asa" || name == "fcr":
		if !noArg() {
			return o
		}
		o.Measure = MeasureKind(name)
		if name == "asa" {
			measureType = dsl.Duration
		}
		if r.Source != Calls {
			d.failAt(n, 0, ErrInvalid, "", "%s: %s is measured from calls, not %s", s.rule, name, r.Source)
		}
	case name == "service_level":
		o.Measure = MeasureServiceLevel
		if r.Source != Calls {
			d.failAt(n, 0, ErrInvalid, "", "%s: service_level is measured from calls, not %s", s.rule, r.Source)
		}
		variants := []string{SLAnswered, SLOffered, SLAbandonsIgnored, SLAbandonsMet}
		parts := strings.Split(args, ",")
		if !hasArgs || len(parts) != 2 {
			d.failAt(n, 0, dsl.ErrSyntax, `service_level(60s, "answered"); variants: `+strings.Join(variants, ", "),
				"%s, objective: service_level needs the answer time and the variant the contract names", s.rule)
			return o
		}
		t, off := trimmed(parts[0], argOffset)
		v, ok := constant(s, n, t, off, "service_level")
		if !ok {
			return o
		}
		if v.Type != dsl.Duration || v.Duration <= 0 {
			d.failAt(n, off, ErrInvalid, "", "%s, service_level: the answer time must be a duration such as 60s", s.rule)
			return o
		}
		o.Within = v.Duration
		variant := strings.Trim(strings.TrimSpace(parts[1]), `"'`)
		if !slices.Contains(variants, variant) {
			hint := "variants: " + strings.Join(variants, ", ")
			if c := closest(variant, variants); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			lead := utf8.RuneCountInString(parts[1]) - utf8.RuneCountInString(strings.TrimLeft(parts[1], " \t"))
			d.failAt(n, argOffset+utf8.RuneCountInString(parts[0])+1+lead, ErrInvalid, hint, "%s, service_level: unknown variant %q", s.rule, variant)
			return o
		}
		o.Variant = variant
	default:
		known := []string{"share", "count", "met", "missed", "mean", "median", "percentile", "p90", "sum", "min", "max", "availability", "answer_rate", "abandon_rate", "service_level", "asa", "fcr"}
		hint := "measures: " + strings.Join(known, ", ")
		if s := closest(name, known); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		d.failAt(n, utf8.RuneCountInString(left[:strings.Index(left, name)]), dsl.ErrUnknownName, hint, "%s, objective: unknown measure %q", s.rule, name)
		return o
	}

	rt, roff := trimmed(right, opOff+utf8.RuneCountInString(op))
	v, ok := constant(s, n, rt, roff, "objective")
	if !ok {
		return o
	}
	// An integer threshold of a decimal measure is a decimal.
	if measureType == dsl.Decimal && v.Type == dsl.Int {
		v.Type = dsl.Decimal
	}
	if v.Type != measureType {
		d.failAt(n, roff, dsl.ErrType, thresholdHint(measureType), "%s, objective: %s is %s, and %q is %s", s.rule, name, article(measureType), rt, article(v.Type))
		return o
	}
	o.Threshold = v
	if isShare(o.Measure) && (v.Decimal.IsNegative() || v.Decimal.GreaterThan(one)) {
		d.failAt(n, roff, ErrInvalid, "", "%s, objective: a share is between 0%% and 100%%, found %s", s.rule, rt)
	}
	return o
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

func isShare(m MeasureKind) bool {
	switch m {
	case MeasureShare, MeasureAvailability, MeasureAnswerRate, MeasureAbandonRate, MeasureServiceLevel, MeasureFCR:
		return true
	}
	return false
}
