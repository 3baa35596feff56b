package contract

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

var ruleKeys = []string{"id", "name", "clause", "description", "source", "period", "scope", "exclude", "attribution",
	"clock", "deadline", "late_open", "short_abandon", "availability", "objective", "small_volume", "penalty", "bonus", "cap", "versions"}

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

// idHint is the hint for an id that is not one: its letters without their
// accents, when that makes one.
func idHint(id string) string {
	from, to := []rune(accented), []rune(unaccented)
	plain := strings.Map(func(r rune) rune {
		if i := slices.Index(from, r); i >= 0 {
			return to[i]
		}
		return r
	}, id)
	if plain != id && ruleID.MatchString(plain) {
		return fmt.Sprintf("letters without accents: %s", plain)
	}
	return ""
}

// The accented letters of French and their plain letters, rune for rune.
const (
	accented   = "àâäçéèêëîïôöùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
	unaccented = "aaaceeeeiioouuuyAAACEEEEIIOOUUUY"
)

// ruleFields are the keys of a rule, and the defaults of its source.
type ruleFields struct {
	f   map[string]*yaml.Node
	def *ruleDefaults
	src Source
}

// scopeOf is the scope of an expression n of the rule: when n is its
// source's default rather than its own key, the errors it has name the
// defaults, and are reported once however many rules inherit them.
func (rf ruleFields) scopeOf(s scope, key string, n *yaml.Node) scope {
	if n != nil && rf.f[key] != n {
		s.rule = "defaults of " + string(rf.src)
	}
	return s
}

// pick is the rule's key, else its source's default.
func (rf ruleFields) pick(key string, fallback *yaml.Node) *yaml.Node {
	if rf.f[key] != nil {
		return rf.f[key]
	}
	return fallback
}

func (c *Contract) buildRule(d *decoder, n *yaml.Node, defaults map[Source]*ruleDefaults) (Rule, bool) {
	f := d.fields(n, "a rule", ruleKeys...)
	r, ok := c.compileRule(d, n, f, defaults)
	if ok && f["versions"] != nil {
		c.ruleVersions(d, n, f, defaults, &r)
	}
	return r, ok
}

// compileRule builds a rule from its keys f: the rule's own, or those of
// a version of it, whose keys replace the rule's.
func (c *Contract) compileRule(d *decoder, n *yaml.Node, f map[string]*yaml.Node, defaults map[Source]*ruleDefaults) (Rule, bool) {
	r := Rule{Pos: d.pos(n), Period: c.period}
	if !c.ruleHead(d, n, f, &r) {
		return r, false
	}
	rf := ruleFields{f: f, def: defaults[r.Source], src: r.Source}
	if rf.def == nil {
		rf.def = &ruleDefaults{}
	}
	if p := rf.pick("period", rf.def.period); p != nil {
		r.Period = d.periodKind(p, "period", Month, Quarter, Year, ContractYear)
	}
	s := c.ruleScope(d, f, r)
	c.buildSelection(d, s, rf, &r)
	c.buildMeasurement(d, s, rf, &r)
	if f["objective"] == nil {
		d.fail(n, ErrSchema, "objective: share(on_time) >= 95%", "rule %s needs an objective", r.ID)
		return r, false
	}
	r.Objective = c.buildObjective(d, s, f["objective"], r)
	if sv := f["small_volume"]; sv != nil {
		r.SmallVolume = c.buildSmallVolume(d, s, sv, r)
	}
	m := r.Objective.Type()
	s.measure = r.Objective.Unit()
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

// ruleHead reads what names a rule and its source; false when the rule
// cannot be read further.
func (c *Contract) ruleHead(d *decoder, n *yaml.Node, f map[string]*yaml.Node, r *Rule) bool {
	if f["id"] == nil {
		d.fail(n, ErrSchema, "id: INC-P1", "a rule needs an id")
		return false
	}
	r.ID = d.text(f["id"], "id")
	if !ruleID.MatchString(r.ID) {
		d.fail(f["id"], ErrInvalid, idHint(r.ID), "rule id %q: use letters A to Z, digits, '-', '_' and '.'", r.ID)
	}
	for key, dst := range map[string]*string{"name": &r.Name, "clause": &r.Clause, "description": &r.Description} {
		if f[key] != nil {
			*dst = d.text(f[key], key)
		}
	}
	if f["source"] == nil {
		d.fail(n, ErrSchema, "source: tickets (or calls, outages, samples)", "rule %s needs a source", r.ID)
		return false
	}
	r.Source = Source(d.text(f["source"], "source"))
	if !validSource(r.Source) {
		d.fail(f["source"], ErrInvalid, choice("sources", string(r.Source), []string{"tickets", "calls", "outages", "samples"}), "rule %s: unknown source %q", r.ID, r.Source)
		return false
	}
	return true
}

// ruleScope is what the expressions of a rule may use, its calendar the
// one of its clock or its availability, for clock functions called
// without a name.
func (c *Contract) ruleScope(d *decoder, f map[string]*yaml.Node, r Rule) scope {
	s := scope{d: d, c: c, rule: "rule " + r.ID, owner: r.ID, noClock: f["clock"] == nil, noDeadline: f["deadline"] == nil,
		noAvailability: f["availability"] == nil}
	for _, key := range []string{"clock", "availability"} {
		if n := f[key]; n != nil && n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "calendar" {
					s.ruleCal = n.Content[i+1].Value
				}
			}
		}
	}
	return s
}

// buildSelection reads which items a rule counts, and in which period:
// its scope, exclusions and attribution.
func (c *Contract) buildSelection(d *decoder, s scope, rf ruleFields, r *Rule) {
	f := rf.f
	if f["scope"] != nil {
		before := s
		before.beforeClock = "the scope cannot name %s: the clock runs on the tickets the scope selects (an exclusion or the objective can test it)"
		r.Scope = itemExpr(before, r.Source, f["scope"], "scope", dsl.Bool)
	}
	for _, ex := range []*yaml.Node{rf.def.exclude, f["exclude"]} {
		if ex == nil {
			continue
		}
		es := rf.scopeOf(s, "exclude", ex)
		for _, p := range d.pairs(ex, "exclude") {
			r.Exclusions = append(r.Exclusions, Exclusion{Reason: p[0].Value, When: itemExpr(es, r.Source, p[1], "exclude "+p[0].Value, dsl.Bool)})
		}
	}
	if a := rf.pick("attribution", rf.def.attribution); a != nil {
		if r.Source == Outages {
			d.fail(a, ErrInvalid, "", "rule %s: outages have no attribution: they are cut at the bounds of each period", r.ID)
		} else {
			r.Attribution = itemExpr(rf.scopeOf(s, "attribution", a), r.Source, a, "attribution", dsl.Time)
		}
	} else {
		r.Attribution = defaultAttribution(s, r.Source)
	}
}

// buildMeasurement reads how a rule measures its items: its clock and
// deadline, its short abandons, its availability settings.
func (c *Contract) buildMeasurement(d *decoder, s scope, rf ruleFields, r *Rule) {
	f := rf.f
	if cl := f["clock"]; cl != nil {
		pause := rf.pick("pause_when", rf.def.pauseWhen)
		r.Clock = c.buildClock(d, s, cl, *r, pause, rf.scopeOf(s, "pause_when", pause))
	}
	if dl := f["deadline"]; dl != nil {
		switch {
		case f["clock"] == nil:
			d.fail(dl, ErrInvalid, "clock: {start: opened, stop: resolved, calendar: HO}", "rule %s: a deadline needs a clock", r.ID)
		case r.Clock == nil:
			// A clock written but wrong has its own error; the deadline's
			// own mistakes are reported with it.
			c.buildDeadline(d, s, dl)
		default:
			r.Deadline = c.buildDeadline(d, s, dl)
		}
	}
	c.buildLateOpen(d, rf, r)
	if sa := rf.pick("short_abandon", rf.def.shortAbandon); sa != nil {
		if r.Source != Calls {
			if f["short_abandon"] != nil {
				d.fail(sa, ErrInvalid, "", "rule %s: short_abandon is a setting of call rules", r.ID)
			}
		} else if v, ok := c.duration(d, rf.scopeOf(s, "short_abandon", sa), sa, "short_abandon"); ok {
			r.ShortAbandon = v
		}
	}
	if av := f["availability"]; av != nil {
		r.Availability = c.buildAvailability(d, s, av, *r)
	}
}

// buildLateOpen reads where a ticket still running past its deadline
// counts: the rule's late_open, else its defaults'. Only a rule that gives
// it without a deadline is told so: the defaults' apply to the rules with one.
func (c *Contract) buildLateOpen(d *decoder, rf ruleFields, r *Rule) {
	n := rf.pick("late_open", rf.def.lateOpen)
	if r.Deadline != nil {
		r.LateOpen = LateOpenDeadlinePeriod
	}
	if n == nil {
		return
	}
	choices := []string{string(LateOpenDeadlinePeriod), string(LateOpenAttribution)}
	v, ok := d.scalar(n, "late_open")
	if !ok {
		return
	}
	if !slices.Contains(choices, v) {
		d.fail(n, ErrInvalid, choice("choices", v, choices), "rule %s: unknown late_open %q", r.ID, v)
		return
	}
	if rf.f["late_open"] != nil && (r.Source != Tickets || rf.f["deadline"] == nil) {
		d.fail(n, ErrInvalid, "deadline: 8h", "rule %s: late_open says where a ticket still running past its deadline counts: it needs a deadline", r.ID)
		return
	}
	if r.Deadline != nil {
		r.LateOpen = LateOpen(v)
	}
}

// buildSmallVolume reads the objective that applies below a minimum
// volume.
func (c *Contract) buildSmallVolume(d *decoder, s scope, n *yaml.Node, r Rule) *SmallVolume {
	sf := d.fields(n, "small_volume", "below", "objective")
	if sf["below"] == nil || sf["objective"] == nil {
		d.fail(n, ErrSchema, "small_volume: {below: 20, objective: missed <= 1}", "%s: small_volume needs below and objective", s.rule)
		return nil
	}
	small := &SmallVolume{}
	small.Below, _ = d.integer(sf["below"], "below")
	if small.Below < 1 {
		d.fail(sf["below"], ErrInvalid, "", "%s: small_volume below must be at least 1", s.rule)
	}
	small.Objective = c.buildObjective(d, s, sf["objective"], r)
	return small
}

// choice is the hint for a name that is not one of candidates: the
// nearest candidate, else the list of them.
func choice(what, name string, candidates []string) string {
	if s := closest(name, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return what + ": " + strings.Join(candidates, ", ")
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

func (c *Contract) buildClock(d *decoder, s scope, n *yaml.Node, r Rule, pauseWhen *yaml.Node, pauseScope scope) *Clock {
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
	calendarOK := true
	if n := f["calendar"]; n != nil && n.Kind == yaml.ScalarNode && isLookup(n.Value) {
		cl.ByItem = lookupOf(c, s, n, "calendar", c.tabs.calendars, c.calendarTable(d))
		cl.Calendar, calendarOK = n.Value, cl.ByItem != nil
	} else if n != nil {
		cl.Calendar, cl.Cal, calendarOK = c.calendarNamed(d, n, s.rule+", clock")
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
		pauseWhen, pauseScope = p, s
	}
	if pauseWhen != nil {
		cl.PauseWhen = expression[dsl.StatusChange](pauseScope, pauseWhen, "pause_when", dsl.Bool)
	}
	if !calendarOK { // its start, stop and pause_when are checked all the same
		return nil
	}
	return cl
}

// calendarNamed reads the name of a calendar of the contract, and finds
// it; where names what the calendar is for in an error.
func (c *Contract) calendarNamed(d *decoder, n *yaml.Node, where string) (string, *calendar.Calendar, bool) {
	name := d.text(n, "calendar")
	cal, ok := c.calendars[name]
	if !ok {
		d.fail(n, ErrReference, calendarHint(name, c.CalendarNames()), "%s: unknown calendar %q", where, name)
	}
	return name, cal, ok
}

var roundTheClock = regexp.MustCompile(`(?i)^(24\s*[x/*×]\s*7|h\s*24|24\s*h|24-7|always)$`)

// calendarHint is the hint for an unknown calendar: the declared one it
// looks like, else what is declared. A calendar open all the time is
// declared like the others: a contract that names 24/7 without declaring
// it is told how.
func calendarHint(name string, declared []string) string {
	if s := closest(name, declared); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	list := "the contract declares no calendar"
	if len(declared) > 0 {
		list = "calendars declared: " + strings.Join(declared, ", ")
	}
	if roundTheClock.MatchString(strings.TrimSpace(name)) {
		return list + `; a calendar open all the time is declared too, as in calendars: {24x7: 24x7}`
	}
	if len(declared) == 0 {
		return list + ": declare it under calendars, as in HO: mon-fri 08:00-18:00; holidays FR"
	}
	return list
}

var openDays = regexp.MustCompile(`^end_of_open_day\(\s*(\d+)\s*\)$`)

func (c *Contract) buildDeadline(d *decoder, s scope, n *yaml.Node) *Deadline {
	text, ok := d.scalar(n, "deadline")
	if !ok {
		return nil
	}
	if isLookup(text) {
		if l := lookupOf(c, s, n, "deadline", c.tabs.deadlines, c.deadlineTable(s)); l != nil {
			return &Deadline{Text: text, ByItem: l}
		}
		return nil
	}
	if m := openDays.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
		days, _ := strconv.Atoi(m[1])
		if days < 1 || days > 366 {
			d.fail(n, ErrInvalid, "", "%s, deadline: end_of_open_day needs a number of days from 1 to 366, found %d", s.rule, days)
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
		d.fail(n, ErrInvalid, "durations are written 4h, 30min, 1h30min", "%s, %s: must be a positive duration, found %q", s.rule, what, text)
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
		d.fail(n, ErrSchema, "availability: {calendar: HE, min_outage: 2min}", "rule %s: availability needs the calendar of the agreed service time", r.ID)
		return nil
	}
	var ok bool
	a.Calendar, a.Cal, ok = c.calendarNamed(d, f["calendar"], s.rule+", availability")
	if f["min_outage"] != nil {
		a.MinOutage, _ = c.duration(d, s, f["min_outage"], "min_outage")
	}
	if !ok {
		return nil
	}
	return a
}
