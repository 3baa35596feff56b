package contract

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Contract is an agreement loaded from a file, validated and compiled. It
// is immutable and safe for concurrent use: accessors return copies.
type Contract struct {
	file      string
	name      string
	parties   Parties
	start     time.Time // first instant of the term
	end       time.Time // first instant after the term
	currency  string
	loc       *time.Location
	locale    string
	period    PeriodKind
	calendars map[string]*calendar.Calendar
	calSpecs  map[string]string
	units     []WorkUnit
	revision  *Revision
	indices   Indices
	rules     []Rule
	pipeline  Pipeline
	groups    []Group
	refs      []Reference
	evalOrder []string // rules and groups, what each reads first
	tabs      tableSet
}

// Load reads and compiles a contract file (YAML, or JSON). It reads at
// most MaxFileSize bytes of it, and one more to know a file is larger.
func Load(path string) (*Contract, error) { return diag.Load(path, MaxFileSize, Parse) }

// The limits of a contract, which bound the work of loading one: the size
// of the file alone does not (a rule of a line takes a fraction of a
// millisecond to compile, and a YAML alias repeats a clause without
// repeating its text). A real contract has a few hundred lines, some
// dozens of rules and work units, a handful of calendars.
const (
	MaxFileSize       = 4 << 20 // bytes
	MaxRules          = 300
	MaxCalendars      = 100
	MaxWorkUnits      = 300
	MaxExpressions    = 3000      // distinct expressions and constants: written twice, an expression counts once
	MaxExpressionText = 256 << 10 // characters of the distinct expressions, in all
)

// Parse compiles a contract from its text; filename is used in error
// messages. Every error found is reported, each an *Error with
// file:line:col, in an ErrorList sorted by position.
func Parse(data []byte, filename string) (c *Contract, err error) {
	if filename == "" {
		filename = "contract"
	}
	if len(data) > MaxFileSize {
		return nil, &Error{Code: ErrInvalid, File: filename, Line: 1, Column: 1, Msg: fmt.Sprintf("file has more than %d bytes, the most a contract may have", MaxFileSize)}
	}
	d := newDecoder(filename)
	root := d.Parse(data)
	if root == nil && len(d.Errs) > 0 {
		return nil, d.Errs[0] // not text, or not YAML
	}
	if root == nil || diag.IsNull(root) {
		return nil, &Error{Code: ErrSchema, File: filename, Line: 1, Column: 1, Msg: "empty contract",
			Hint: "a contract starts with its name: contract: ACME Industrie — managed services 2027-2029"}
	}
	c = &Contract{file: filename, calendars: map[string]*calendar.Calendar{}, calSpecs: map[string]string{}}
	c.build(d, root)
	if err := d.Errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

var topKeys = []string{"contract", "parties", "term", "currency", "timezone", "locale", "period", "calendars", "work_units", "revision", "indices", "tables", "defaults", "rules", "groups", "penalties"}

func (c *Contract) build(d *decoder, root *yaml.Node) {
	f := d.fields(root, "the contract", topKeys...)
	if f["contract"] == nil {
		d.fail(root, ErrSchema, "contract: ACME Industrie — managed services 2027-2029", "the contract needs a name (key contract)")
	} else {
		c.name = d.text(f["contract"], "contract")
	}
	if n := f["parties"]; n != nil {
		p := d.fields(n, "parties", "client", "provider")
		if p["client"] != nil {
			c.parties.Client = d.text(p["client"], "client")
		}
		if p["provider"] != nil {
			c.parties.Provider = d.text(p["provider"], "provider")
		}
	}

	c.loc = time.UTC
	if n := f["timezone"]; n != nil {
		if name, ok := d.scalar(n, "timezone"); ok {
			loc, err := time.LoadLocation(name)
			switch {
			case strings.EqualFold(name, "local") || name == "":
				d.fail(n, ErrInvalid, "timezone: Europe/Paris", "timezone must be an IANA zone, not the machine's: results would depend on where they are computed")
			case err != nil:
				d.fail(n, ErrInvalid, "", "unknown time zone %q", name)
			default:
				c.loc = loc
			}
		}
	} else {
		d.fail(root, ErrSchema, "timezone: Europe/Paris", "the contract needs a time zone (key timezone): its calendars and dates are local times")
	}

	c.currency = "EUR"
	if n := f["currency"]; n != nil {
		if s, ok := d.scalar(n, "currency"); ok {
			if len(s) != 3 || strings.ToUpper(s) != s {
				d.fail(n, ErrInvalid, "", "currency must be an ISO 4217 code such as EUR, found %q", s)
			}
			c.currency = s
		}
	}
	if n := f["locale"]; n != nil {
		c.locale = d.text(n, "locale")
	}

	if n := f["term"]; n != nil {
		c.buildTerm(d, n)
	} else {
		d.fail(root, ErrSchema, "term: {start: 2027-01-01, end: 2029-12-31}", "the contract needs a term (key term)")
	}

	c.period = Month
	if n := f["period"]; n != nil {
		c.period = d.periodKind(n, "period", Month, Quarter, Year, ContractYear)
	}

	if n := f["calendars"]; n != nil {
		c.buildCalendars(d, n)
	}
	if n := f["indices"]; n != nil {
		c.indices = d.indices(n)
	}
	if n := f["work_units"]; n != nil {
		c.buildWorkUnits(d, n)
	}
	if n := f["revision"]; n != nil {
		c.buildRevision(d, n)
	}
	if n := f["tables"]; n != nil {
		c.buildTables(d, n)
	}
	defaults := map[Source]*ruleDefaults{}
	if n := f["defaults"]; n != nil {
		defaults = c.buildDefaults(d, n)
	}
	if n := f["rules"]; n != nil {
		c.buildRules(d, n, defaults)
	}
	c.tabs.loaded() // the tables as written stay; what reading them needed goes
	c.pipeline = Pipeline{Order: slices.Clone(DefaultOrder), Rounding: Rounding{To: decimal.New(1, -2), Mode: HalfUp}, Netting: true}
	if n := f["penalties"]; n != nil {
		c.buildPipeline(d, n)
	}
	c.buildGroups(d, f["groups"], f["penalties"])
}

// buildTerm reads the term: its first and last days, in the contract's
// zone.
func (c *Contract) buildTerm(d *decoder, n *yaml.Node) {
	t := d.fields(n, "term", "start", "end")
	for _, k := range []string{"start", "end"} {
		if t[k] == nil {
			d.fail(n, ErrSchema, "term: {start: 2027-01-01, end: 2029-12-31}", "the term needs its %s date", k)
		}
	}
	var start, end time.Time
	var okS, okE bool
	if t["start"] != nil {
		start, okS = d.date(t["start"], "term start", c.loc)
	}
	if t["end"] != nil {
		end, okE = d.date(t["end"], "term end", c.loc)
	}
	if okS && okE {
		if end.Before(start) {
			d.fail(t["end"], ErrInvalid, "", "the term ends (%s) before it starts (%s)", end.Format(time.DateOnly), start.Format(time.DateOnly))
		}
		c.start = start
		c.end = end.AddDate(0, 0, 1) // the end date is the term's last day
	}
}

func (d *decoder) periodKind(n *yaml.Node, what string, allowed ...PeriodKind) PeriodKind {
	s, ok := d.scalar(n, what)
	if !ok {
		return allowed[0]
	}
	for _, a := range allowed {
		if string(a) == s {
			return a
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	hint := "one of: " + strings.Join(names, ", ")
	if c := closest(s, names); c != "" {
		hint = fmt.Sprintf("did you mean %q?", c)
	}
	d.fail(n, ErrInvalid, hint, "%s must be one of %s, found %q", what, strings.Join(names, ", "), s)
	return allowed[0]
}

// buildCalendars parses the calendar specs. A spec "not NAME", NAME being
// another calendar of the contract, is its complement (HNO: not HO);
// complements may refer to each other in any order, but not in a cycle.
func (c *Contract) buildCalendars(d *decoder, n *yaml.Node) {
	pairs := d.pairs(n, "calendars")
	if len(pairs) > MaxCalendars {
		d.fail(n, ErrInvalid, "", "%d calendars, more than the %d a contract may have", len(pairs), MaxCalendars)
		return
	}
	defined := map[string]bool{}
	for _, p := range pairs {
		defined[p[0].Value] = true
	}
	refs := map[string]string{} // complement → its base
	refNodes := map[string]*yaml.Node{}
	var order []string
	for _, p := range pairs {
		name := p[0].Value
		spec, ok := d.scalar(p[1], "calendar "+name)
		if !ok {
			continue
		}
		c.calSpecs[name] = spec
		if f := strings.Fields(spec); len(f) == 2 && f[0] == "not" && defined[f[1]] {
			refs[name], refNodes[name] = f[1], p[1]
			order = append(order, name)
			continue
		}
		cal, err := calendar.ParseIn(spec, c.loc)
		if f := strings.Fields(spec); err != nil && len(f) == 2 && f[0] == "not" {
			// "not NAME" of a name the contract does not define.
			hint := ""
			if s := closest(f[1], slices.Collect(maps.Keys(defined))); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			d.failAt(p[1], utf8.RuneCountInString(spec[:strings.Index(spec, f[1])]), ErrReference, hint, "calendar %s: unknown calendar %q", name, f[1])
			continue
		}
		if err != nil {
			var se *calendar.SpecError
			if errors.As(err, &se) {
				d.failAt(p[1], utf8.RuneCountInString(spec[:se.Offset]), ErrInvalid, "", "calendar %s: %s", name, se.Msg)
			} else {
				d.fail(p[1], ErrInvalid, "", "calendar %s: %v", name, err)
			}
			continue
		}
		c.calendars[name] = cal
	}
	// Resolve the complements whose base is known, until none is left.
	for progress := true; progress; {
		progress = false
		for _, name := range order {
			if _, done := c.calendars[name]; done {
				continue
			}
			if base, ok := c.calendars[refs[name]]; ok {
				c.calendars[name] = base.Complement()
				progress = true
			}
		}
	}
	for _, name := range order {
		if _, done := c.calendars[name]; done {
			continue
		}
		// Left: a cycle, or the complement of a calendar that failed.
		chain := []string{name}
		for at := refs[name]; at != "" && at != name && len(chain) <= len(order); at = refs[at] {
			chain = append(chain, at)
		}
		if refs[chain[len(chain)-1]] == name || (len(chain) > 1 && chain[len(chain)-1] == name) {
			d.fail(refNodes[name], ErrInvalid, "a complement must end at a calendar written as a spec", "calendar %s: the complements %s form a cycle", name, strings.Join(append(chain, name), " → not "))
		}
	}
}

func (d *decoder) indices(n *yaml.Node) Indices {
	out := Indices{}
	for _, p := range d.pairs(n, "indices") {
		values := map[string]decimal.Decimal{}
		for _, q := range d.pairs(p[1], "index "+p[0].Value) {
			if _, err := time.Parse("2006-01", q[0].Value); err != nil {
				d.fail(q[0], ErrInvalid, "", "index months are written 2026-09, found %q", q[0].Value)
				continue
			}
			if v, ok := d.decimal(q[1], "index value"); ok {
				if !v.IsPositive() {
					d.fail(q[1], ErrInvalid, "an index not yet published is left out: the caller of Invoice gives it", "index %s of %s must be above 0, found %s", p[0].Value, q[0].Value, q[1].Value)
					continue
				}
				values[q[0].Value] = v
			}
		}
		out[p[0].Value] = values
	}
	return out
}

var countVolume = regexp.MustCompile(`^count\(\s*(\w+)\s*(?:,(.*))?\)$`)

func (c *Contract) buildWorkUnits(d *decoder, n *yaml.Node) {
	pairs := d.pairs(n, "work_units")
	if len(pairs) > MaxWorkUnits {
		d.fail(n, ErrInvalid, "", "%d work units, more than the %d a contract may have", len(pairs), MaxWorkUnits)
		return
	}
	// Ids first: fee() in the volume conditions of one unit may not name
	// another, but every formula of the file may name any.
	for _, p := range pairs {
		c.units = append(c.units, WorkUnit{ID: p[0].Value, Pos: d.pos(p[0])})
	}
	for i, p := range pairs {
		u := &c.units[i]
		f := d.fields(p[1], "work unit "+u.ID, "name", "price", "bands", "fixed", "volume", "versions")
		if f["name"] != nil {
			u.Name = d.text(f["name"], "name")
		}
		if d.prices(f, u.ID, &u.Price, &u.Bands, &u.Fixed) != 1 {
			d.fail(p[0], ErrInvalid, "price: 4.20, or bands: [...], or fixed: 18000.00", "work unit %s needs exactly one of price, bands and fixed", u.ID)
		}
		if f["fixed"] != nil && f["volume"] != nil {
			d.fail(f["volume"], ErrInvalid, "", "work unit %s is a fixed fee: it has no volume", u.ID)
		}
		if f["price"] != nil || f["bands"] != nil {
			if f["volume"] == nil {
				d.fail(p[0], ErrSchema, `volume: given, or volume: count(tickets, level == 1)`, "work unit %s needs a volume", u.ID)
			} else {
				u.Volume = c.volume(d, f["volume"], u.ID)
			}
		}
		if f["versions"] != nil {
			c.priceVersions(d, f["versions"], u)
		}
	}
}

func (d *decoder) nonNegative(n *yaml.Node, v decimal.Decimal, what string) {
	if v.IsNegative() {
		d.fail(n, ErrInvalid, "", "%s cannot be negative", what)
	}
}

func (d *decoder) bands(n *yaml.Node, unit string) []Band {
	var out []Band
	items := d.list(n, "bands")
	var prev decimal.Decimal
	for i, item := range items {
		f := d.fields(item, "band", "up_to", "price")
		var b Band
		if f["price"] == nil {
			d.fail(item, ErrSchema, "", "band of %s needs a price", unit)
		} else {
			b.Price, _ = d.decimal(f["price"], "price")
			d.nonNegative(f["price"], b.Price, "price")
		}
		last := i == len(items)-1
		switch {
		case f["up_to"] == nil && !last:
			d.fail(item, ErrInvalid, "", "band of %s: only the last band may be unbounded (without up_to)", unit)
		case f["up_to"] != nil:
			b.UpTo, _ = d.decimal(f["up_to"], "up_to")
			if !b.UpTo.GreaterThan(prev) {
				d.fail(f["up_to"], ErrInvalid, "", "band of %s: up_to must grow from band to band (%s after %s)", unit, b.UpTo, prev)
			}
			prev = b.UpTo
		}
		out = append(out, b)
	}
	return out
}

func (c *Contract) volume(d *decoder, n *yaml.Node, unit string) Volume {
	text, ok := d.scalar(n, "volume")
	if !ok {
		return Volume{}
	}
	if strings.TrimSpace(text) == "given" {
		return Volume{Given: true}
	}
	m := countVolume.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		d.fail(n, ErrInvalid, `volume: count(calls, answered)`, "volume of %s must be given or count(source, condition), found %q", unit, text)
		return Volume{}
	}
	src := Source(m[1])
	if !validSource(src) {
		hint := "sources: tickets, calls, outages, samples"
		if s := closest(m[1], []string{"tickets", "calls", "outages", "samples"}); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		d.failAt(n, strings.Index(text, m[1]), ErrInvalid, hint, "volume of %s: unknown source %q", unit, m[1])
		return Volume{}
	}
	v := Volume{Source: src}
	s := scope{d: d, c: c, rule: "work unit " + unit, beforeClock: "a volume cannot name %s: it counts records, which have no clock outside a rule"}
	if cond := strings.TrimSpace(m[2]); cond != "" {
		sub := *n
		offset := utf8.RuneCountInString(text[:strings.Index(text, m[2])]) + (len([]rune(m[2])) - len([]rune(strings.TrimLeft(m[2], " "))))
		line, col := d.locate(n, offset)
		sub.Value, sub.Line, sub.Column, sub.Style = cond, line, col, 0
		v.Where = itemExpr(s, src, &sub, "volume", dsl.Bool)
	}
	v.By = defaultAttribution(s, src)
	return v
}

func validSource(s Source) bool {
	return s == Tickets || s == Calls || s == Outages || s == Samples
}

// defaultAttribution is the instant that puts a record in a period, when
// a rule does not say.
func defaultAttribution(s scope, src Source) Expr {
	text := map[Source]string{Tickets: "resolved", Calls: "offered", Outages: "start", Samples: "at"}[src]
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: text, Line: 1, Column: 1}
	return itemExpr(s, src, n, "attribution", dsl.Time)
}

func (c *Contract) unitIDs() []string {
	ids := make([]string, len(c.units))
	for i, u := range c.units {
		ids[i] = u.ID
	}
	return ids
}

func (c *Contract) buildRevision(d *decoder, n *yaml.Node) {
	f := d.fields(n, "revision", "index", "fixed", "indexed", "base", "reference_month", "from", "rounding", "units")
	r := &Revision{Pos: d.pos(n), Rounding: decimal.New(1, -2)}
	for _, k := range []string{"index", "fixed", "indexed", "base", "reference_month", "from"} {
		if f[k] == nil {
			d.fail(n, ErrSchema, "revision: {index: Syntec, fixed: 0.15, indexed: 0.85, base: 2026-09, reference_month: 9, from: 2028-01-01}", "revision needs %s", k)
		}
	}
	if f["index"] != nil {
		r.Index = d.text(f["index"], "index")
	}
	if f["fixed"] != nil {
		r.Fixed, _ = d.decimal(f["fixed"], "fixed")
	}
	if f["indexed"] != nil {
		r.Indexed, _ = d.decimal(f["indexed"], "indexed")
	}
	if f["fixed"] != nil && f["indexed"] != nil && !r.Fixed.Add(r.Indexed).Equal(decimal.NewFromInt(1)) {
		d.fail(f["indexed"], ErrInvalid, "", "revision: fixed + indexed must be 1 (the formula returns P0 when the index has not moved), found %s", r.Fixed.Add(r.Indexed))
	}
	if f["base"] != nil {
		if s, ok := d.scalar(f["base"], "base"); ok {
			if _, err := time.Parse("2006-01", s); err != nil {
				d.fail(f["base"], ErrInvalid, "", "base is the month of the base index, written 2026-09, found %q", s)
			}
			r.Base = s
		}
	}
	if f["reference_month"] != nil {
		if m, ok := d.integer(f["reference_month"], "reference_month"); ok {
			if m < 1 || m > 12 {
				d.fail(f["reference_month"], ErrInvalid, "", "reference_month must be a month from 1 to 12, found %d", m)
			}
			r.ReferenceMonth = time.Month(m)
		}
	}
	if f["from"] != nil {
		r.From, _ = d.date(f["from"], "from", c.loc)
	}
	if f["rounding"] != nil {
		r.Rounding, _ = d.decimal(f["rounding"], "rounding")
	}
	if f["units"] != nil {
		r.Units = d.names(f["units"], "units")
		for i, u := range r.Units {
			if !slices.Contains(c.unitIDs(), u) {
				at := f["units"]
				if at.Kind == yaml.SequenceNode && i < len(at.Content) {
					at = at.Content[i]
				}
				d.fail(at, ErrReference, "", "revision: unknown work unit %q", u)
			}
		}
	}
	c.revision = r
}

// ruleDefaults are the settings every rule of a source inherits.
type ruleDefaults struct {
	attribution  *yaml.Node
	pauseWhen    *yaml.Node
	exclude      *yaml.Node
	shortAbandon *yaml.Node
	period       *yaml.Node
	lateOpen     *yaml.Node
}

func (c *Contract) buildDefaults(d *decoder, n *yaml.Node) map[Source]*ruleDefaults {
	out := map[Source]*ruleDefaults{}
	for _, p := range d.pairs(n, "defaults") {
		src := Source(p[0].Value)
		if !validSource(src) {
			d.fail(p[0], ErrSchema, "defaults are given per source: tickets, calls, outages, samples", "unknown source %q in defaults", p[0].Value)
			continue
		}
		f := d.fields(p[1], "defaults of "+string(src), "attribution", "pause_when", "exclude", "short_abandon", "period", "late_open")
		out[src] = &ruleDefaults{attribution: f["attribution"], pauseWhen: f["pause_when"], exclude: f["exclude"], shortAbandon: f["short_abandon"], period: f["period"],
			lateOpen: f["late_open"]}
	}
	return out
}

// Accessors. The model is returned by value; changing a returned value
// does not change the contract.

// File returns the path or name the contract was read from.
func (c *Contract) File() string { return c.file }

// Name returns the contract's name.
func (c *Contract) Name() string { return c.name }

// Parties returns the client and the provider.
func (c *Contract) Parties() Parties { return c.parties }

// Start returns the first instant of the term, midnight of its first day
// in the contract's zone.
func (c *Contract) Start() time.Time { return c.start }

// End returns the first instant after the term: midnight after its last day.
func (c *Contract) End() time.Time { return c.end }

// Currency returns the ISO 4217 code of amounts.
func (c *Contract) Currency() string { return c.currency }

// Location returns the contract's time zone.
func (c *Contract) Location() *time.Location { return c.loc }

// Locale returns the locale reports use to format numbers ("fr"), or "".
func (c *Contract) Locale() string { return c.locale }

// Period returns the default measurement period of rules.
func (c *Contract) Period() PeriodKind { return c.period }

// Calendar returns a named calendar of the contract.
func (c *Contract) Calendar(name string) (*calendar.Calendar, bool) {
	cal, ok := c.calendars[name]
	return cal, ok
}

// CalendarNames returns the names of the contract's calendars, sorted.
func (c *Contract) CalendarNames() []string {
	names := slices.Collect(maps.Keys(c.calendars))
	sort.Strings(names)
	return names
}

// WorkUnits returns the work units, in file order.
func (c *Contract) WorkUnits() []WorkUnit {
	out := slices.Clone(c.units)
	for i := range out {
		out[i].Bands = slices.Clone(out[i].Bands)
		out[i].Versions = cloneVersions(out[i].Versions)
	}
	return out
}

// WorkUnit returns a work unit by id.
func (c *Contract) WorkUnit(id string) (WorkUnit, bool) {
	for _, u := range c.units {
		if u.ID == id {
			u.Bands = slices.Clone(u.Bands)
			u.Versions = cloneVersions(u.Versions)
			return u, true
		}
	}
	return WorkUnit{}, false
}

// Revision returns the price revision, if the contract has one.
func (c *Contract) Revision() (Revision, bool) {
	if c.revision == nil {
		return Revision{}, false
	}
	r := *c.revision
	r.Units = slices.Clone(r.Units)
	return r, true
}

// Indices returns the index values the contract file gives.
func (c *Contract) Indices() Indices {
	out := Indices{}
	for k, v := range c.indices {
		out[k] = maps.Clone(v)
	}
	return out
}

// Rules returns the rules, in file order.
func (c *Contract) Rules() []Rule {
	out := make([]Rule, len(c.rules))
	for i, r := range c.rules {
		out[i] = cloneRule(r)
	}
	return out
}

// Rule returns a rule by id.
func (c *Contract) Rule(id string) (Rule, bool) {
	for _, r := range c.rules {
		if r.ID == id {
			return cloneRule(r), true
		}
	}
	return Rule{}, false
}

// Pipeline returns the penalty pipeline's settings.
func (c *Contract) Pipeline() Pipeline {
	p := c.pipeline
	p.Order = slices.Clone(p.Order)
	if p.FirstBreach != nil {
		fb := *p.FirstBreach
		fb.Except = slices.Clone(fb.Except)
		p.FirstBreach = &fb
	}
	p.Observation = copyOf(p.Observation)
	p.DeMinimis = copyOf(p.DeMinimis)
	p.Repeat = copyOf(p.Repeat)
	return p
}
