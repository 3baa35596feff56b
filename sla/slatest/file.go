package slatest

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/pacte-sla/pacte/internal/records"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Suite is a clause test file, read and checked against its contract.
type Suite struct {
	File     string
	Contract *contract.Contract
	Cases    []*Case
}

// Case is one test of a file: records, the instant they are evaluated
// at, and the figures the report must show.
type Case struct {
	Name        string
	Description string
	File        string
	Line        int

	Tickets []pacte.Ticket
	Calls   []pacte.Call
	Outages []pacte.Outage
	Samples []pacte.Sample
	Volumes map[string]map[string]decimal.Decimal
	Indices contract.Indices
	// From and To bound the periods reported; AsOf is the evaluation
	// instant (see sla.Input). Zero: as the engine decides.
	From, To, AsOf time.Time
	// Rejected is how many records the engine must reject (0 unless the
	// case says otherwise).
	Rejected int
	// Errors is how many errors the report must list: an item a rule
	// could not evaluate (a key its table lacks), a formula that failed
	// (0 unless the case says otherwise).
	Errors int

	contract *contract.Contract
	expect   []periodWant
	node     *yaml.Node
}

// periodWant is the figures expected of a period and of its rules.
type periodWant struct {
	period string
	node   *yaml.Node
	wants  []want
	rules  []ruleWant
}

type ruleWant struct {
	id    string
	node  *yaml.Node
	wants []want
}

// Option configures Load and Parse.
type Option func(*config)

type config struct{ contract *contract.Contract }

// WithContract tests this contract rather than the file its test file
// names: a contract built in Go, or one changed to see which case fails.
func WithContract(c *contract.Contract) Option {
	return func(cfg *config) { cfg.contract = c }
}

// Load reads a clause test file and the contract it names (its path is
// relative to the test file). Every error of the file is reported at once,
// each a *dsl.Error with file:line:col, in a dsl.ErrorList; a contract that
// does not load gives the contract's errors.
//
// It reads at most 4 MB of the file (contract.MaxFileSize, a contract's
// limit), and one more byte to know a file is larger.
func Load(path string, opts ...Option) (*Suite, error) {
	return diag.Load(path, maxFileSize, func(data []byte, file string) (*Suite, error) { return Parse(data, file, opts...) })
}

// maxFileSize bounds a test file, as a contract is bounded.
const maxFileSize = contract.MaxFileSize

// Parse reads a clause test file from its text; filename places errors
// and the contract's path.
func Parse(data []byte, filename string, opts ...Option) (*Suite, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	if len(data) > maxFileSize {
		return nil, &dsl.Error{Code: contract.ErrInvalid, File: filename, Line: 1, Column: 1,
			Msg: fmt.Sprintf("file has more than %d bytes, the most a test file may have", maxFileSize)}
	}
	d := newDecoder(filename)
	root := d.document(data)
	if root == nil {
		return nil, d.Errs
	}
	f := d.fields(root, "the test file", "contract", "cases")
	c := cfg.contract
	if c == nil {
		n, ok := f["contract"]
		if !ok {
			d.fail(root, contract.ErrSchema, "contract: acme.yaml, relative to this file", "the test file must name its contract")
			return nil, d.Errs
		}
		name, ok := d.scalar(n, "contract")
		if !ok {
			return nil, d.Errs
		}
		if !filepath.IsAbs(name) {
			name = filepath.Join(filepath.Dir(filename), name)
		}
		var err error
		if c, err = contract.Load(name); err != nil {
			return nil, err
		}
	}
	s := &Suite{File: filename, Contract: c}
	cr := caseReader{d: d, c: c, k: NewClock(c)}
	items := d.list(f["cases"], "cases")
	if f["cases"] != nil && len(items) == 0 {
		d.fail(f["cases"], contract.ErrInvalid, "", "the file has no cases")
	}
	names := map[string]bool{}
	for _, n := range items {
		tc := cr.testCase(n)
		if tc == nil {
			continue
		}
		if names[tc.Name] {
			d.fail(n, contract.ErrDuplicate, "", "two cases are named %q", tc.Name)
		}
		names[tc.Name] = true
		s.Cases = append(s.Cases, tc)
	}
	if err := d.Errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// document parses the YAML text into its root node.
func (d *decoder) document(data []byte) *yaml.Node {
	root := d.Parse(data)
	switch {
	case len(d.Errs) > 0: // not text, not YAML, or a second document
		return nil
	case root == nil:
		d.fail(nil, contract.ErrSchema, "", "the file is empty")
	}
	return root
}

// caseReader decodes the cases of a file against its contract.
type caseReader struct {
	d *decoder
	c *contract.Contract
	k *Clock
}

var caseKeys = []string{"name", "description", "as_of", "from", "to", "tickets", "calls", "outages", "samples",
	"volumes", "indices", "rejected", "errors", "expect"}

func (cr caseReader) testCase(n *yaml.Node) *Case {
	d := cr.d
	f := d.fields(n, "a case", caseKeys...)
	if len(f) == 0 && (n == nil || n.Kind != yaml.MappingNode) {
		return nil
	}
	tc := &Case{File: d.File, Line: n.Line, contract: cr.c, node: n}
	if v, ok := f["name"]; ok {
		if tc.Name = d.text(v, "name"); strings.TrimSpace(tc.Name) == "" && !diag.IsNull(diag.Resolve(v)) {
			// A blank name leaves the failure without its case, and
			// -run cannot select it.
			d.fail(v, contract.ErrSchema, "", "a case's name is blank")
		}
	} else {
		d.fail(n, contract.ErrSchema, "", "a case needs a name")
	}
	if v, ok := f["description"]; ok {
		tc.Description = d.text(v, "description")
	}
	for key, dst := range map[string]*time.Time{"as_of": &tc.AsOf, "from": &tc.From, "to": &tc.To} {
		if v, ok := f[key]; ok {
			*dst = cr.bound(v, key)
		}
	}
	if tc.From.IsZero() != tc.To.IsZero() {
		d.fail(n, contract.ErrSchema, "", "from and to go together")
	} else if !tc.From.IsZero() && !tc.To.After(tc.From) {
		d.fail(f["to"], contract.ErrInvalid, "", "to must come after from")
	}
	rr := recordReader{d: d, k: cr.k, exprs: map[*yaml.Node]*instantExpr{}}
	tc.Tickets = readRecords(d, f["tickets"], "tickets", rr.ticket)
	tc.Calls = readRecords(d, f["calls"], "calls", rr.call)
	tc.Outages = readRecords(d, f["outages"], "outages", rr.outage)
	tc.Samples = readRecords(d, f["samples"], "samples", rr.sample)
	if v, ok := f["volumes"]; ok {
		tc.Volumes = cr.volumes(v)
	}
	if v, ok := f["indices"]; ok {
		tc.Indices = cr.indices(v)
	}
	if v, ok := f["rejected"]; ok {
		tc.Rejected, _ = d.integer(v, "rejected")
	}
	if v, ok := f["errors"]; ok {
		tc.Errors, _ = d.integer(v, "errors")
	}
	if v, ok := f["expect"]; ok {
		for _, p := range d.list(v, "expect") {
			tc.expect = append(tc.expect, cr.periodWant(p))
		}
	}
	if len(tc.expect) == 0 && tc.Errors == 0 && tc.Rejected == 0 {
		d.fail(n, contract.ErrSchema, "expect: [{period: 2027-04, rules: {INC-P1: {penalty: 150.00}}}]", "case %q expects nothing: it could not fail", tc.Name)
	}
	return tc
}

func readRecords[T any](d *decoder, n *yaml.Node, what string, read func(*yaml.Node, int) []T) []T {
	if n == nil {
		return nil
	}
	out := []T{} // given, even empty
	first := map[[2]string]*yaml.Node{}
	for i, item := range d.list(n, what) {
		records := read(item, i)
		for j := range records {
			if twice(d, first, &records[j], item, what) {
				break
			}
		}
		out = append(out, records...)
		if len(out) > maxRecords {
			d.fail(item, contract.ErrInvalid, "", "a case holds at most %d %s", maxRecords, what)
			return nil
		}
		if d.records += len(records); d.records > maxFileRecords {
			d.fail(item, contract.ErrInvalid, "", "the file holds more than %d records, in all its cases", maxFileRecords)
			return nil
		}
	}
	return out
}

// twice reports a record whose identity an earlier record of the case
// has: an export that repeats a record has it rejected by the readers
// (see sla/ingest), and the engine would count it twice here.
func twice[T any](d *decoder, first map[[2]string]*yaml.Node, rec *T, item *yaml.Node, what string) bool {
	id, qualifier, fields := records.Identity(rec)
	key := [2]string{id, qualifier}
	prev, ok := first[key]
	if id == "" || !ok {
		first[key] = item
		return false
	}
	d.fail(item, contract.ErrDuplicate, "give each record its own id (a record with count: 3 takes ID-1 to ID-3)",
		"%s %q has the %s of the record of line %d: the readers of exports reject a record given twice", strings.TrimSuffix(what, "s"), id, fields, prev.Line)
	return true
}

// maxRecords bounds the records of one kind in a case, and
// maxFileRecords those of a file: each is built when the file is read.
const (
	maxRecords     = 100_000
	maxFileRecords = 300_000
)

// bound reads as_of (an instant), from or to (a month, a date or an instant).
func (cr caseReader) bound(n *yaml.Node, what string) time.Time {
	s, ok := cr.d.scalar(n, what)
	if !ok {
		return time.Time{}
	}
	if what != "as_of" {
		if t, err := time.ParseInLocation("2006-01", s, cr.k.loc); err == nil {
			return t
		}
	}
	t, err := cr.k.At(s)
	if err != nil {
		cr.d.notation(n, what, err)
	}
	return t
}

func (cr caseReader) volumes(n *yaml.Node) map[string]map[string]decimal.Decimal {
	out := map[string]map[string]decimal.Decimal{}
	for _, kv := range cr.d.pairs(n, "volumes") {
		month := kv[0].Value
		if _, err := time.Parse("2006-01", month); err != nil {
			cr.d.fail(kv[0], contract.ErrInvalid, "volumes: {2027-04: {UO-POSTE: 1201}}", "volumes are given by month, such as 2027-04, not %q", month)
		}
		out[month] = map[string]decimal.Decimal{}
		for _, uv := range cr.d.pairs(kv[1], "the volumes of "+month) {
			unit := uv[0].Value
			if u, ok := cr.c.WorkUnit(unit); !ok {
				cr.d.fail(uv[0], contract.ErrReference, cr.suggest(unit, cr.unitIDs()), "unknown work unit %q", unit)
			} else if !u.Volume.Given {
				cr.d.fail(uv[0], contract.ErrInvalid, "", "the volume of %s is not given: the contract counts it, or bills it as a flat fee", unit)
			}
			out[month][unit] = cr.decimal(uv[1], "volume")
		}
	}
	return out
}

func (cr caseReader) indices(n *yaml.Node) contract.Indices {
	out := contract.Indices{}
	rev, revised := cr.c.Revision()
	for _, kv := range cr.d.pairs(n, "indices") {
		name := kv[0].Value
		switch {
		case !revised:
			cr.d.fail(kv[0], contract.ErrReference, "", "the contract has no price revision: the values of %q would be ignored", name)
		case name != rev.Index:
			cr.d.fail(kv[0], contract.ErrReference, fmt.Sprintf("did you mean %q?", rev.Index), "the contract's price revision uses the index %q, not %q", rev.Index, name)
		}
		out[name] = map[string]decimal.Decimal{}
		for _, mv := range cr.d.pairs(kv[1], "the values of "+name) {
			if _, err := time.Parse("2006-01", mv[0].Value); err != nil {
				cr.d.fail(mv[0], contract.ErrInvalid, "indices: {Syntec: {2027-09: 305.1}}", "index values are given by month, such as 2027-09, not %q", mv[0].Value)
			}
			out[name][mv[0].Value] = cr.decimal(mv[1], "index value")
		}
	}
	return out
}

func (cr caseReader) decimal(n *yaml.Node, what string) decimal.Decimal {
	s, ok := cr.d.scalar(n, what)
	if !ok {
		return decimal.Decimal{}
	}
	v, err := cr.d.consts.decimal(s)
	if err != nil {
		cr.d.notation(n, what, err)
	}
	return v
}

func (cr caseReader) unitIDs() []string {
	var out []string
	for _, u := range cr.c.WorkUnits() {
		out = append(out, u.ID)
	}
	return out
}

func (cr caseReader) suggest(name string, known []string) string {
	if s := diag.Suggest(name, known); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return "known: " + strings.Join(known, ", ")
}

func (cr caseReader) periodWant(n *yaml.Node) periodWant {
	d := cr.d
	entries := d.entries(n, "an expected period", append(slices.Sorted(maps.Keys(periodFields)), "period", "rules")...)
	f := map[string]*yaml.Node{}
	for _, e := range entries {
		f[e.Key.Value] = e.Value
	}
	pw := periodWant{node: n}
	if v, ok := f["period"]; ok {
		pw.period = d.text(v, "period")
	} else {
		d.fail(n, contract.ErrSchema, "period: 2027-04", "an expectation names its period")
	}
	pw.wants = cr.wants(entries, periodFields)
	rules := 0
	if v, ok := f["rules"]; ok {
		var ids, groups []string
		for _, r := range cr.c.Rules() {
			ids = append(ids, r.ID)
		}
		for _, g := range cr.c.Groups() {
			ids, groups = append(ids, g.ID), append(groups, g.ID)
		}
		for _, kv := range d.pairs(v, "rules") {
			rules++
			if !slices.Contains(ids, kv[0].Value) {
				d.fail(kv[0], contract.ErrReference, cr.suggest(kv[0].Value, ids), "the contract has no rule %q", kv[0].Value)
				continue
			}
			re := d.entries(kv[1], "the expected figures of "+kv[0].Value, slices.Sorted(maps.Keys(ruleFields))...)
			rf := map[string]*yaml.Node{}
			for _, e := range re {
				rf[e.Key.Value] = e.Value
			}
			if len(rf) == 0 && isMapping(kv[1]) { // {}: it could not fail
				d.fail(kv[1], contract.ErrSchema, kv[0].Value+": {missed: 0}", "the expectation of %s in %s checks no figure", kv[0].Value, pw.period)
			}
			if p := rf["penalised"]; p != nil && !slices.Contains(groups, kv[0].Value) {
				hint := "the contract has no group"
				if len(groups) > 0 {
					hint = "its groups: " + strings.Join(groups, ", ")
				}
				d.fail(p, contract.ErrSchema, hint, "%s is a rule, not a group: penalised lists the members of a group that carried a penalty", kv[0].Value)
				re = slices.DeleteFunc(re, func(e diag.Entry) bool { return e.Key.Value == "penalised" })
			}
			pw.rules = append(pw.rules, ruleWant{id: kv[0].Value, node: kv[0], wants: cr.wants(re, ruleFields)})
		}
	}
	if len(pw.wants) == 0 && rules == 0 && (f["rules"] == nil || isMapping(f["rules"])) {
		d.fail(n, contract.ErrSchema, "", "the expectation of %s checks no figure", pw.period)
	}
	return pw
}

func isMapping(n *yaml.Node) bool {
	n = diag.Resolve(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// wants reads the expected figures of a mapping, in the order of the
// file. A figure is placed at its value, or at its key when the value is
// an alias to one written elsewhere.
func (cr caseReader) wants(entries []diag.Entry, fields map[string]fieldKind) []want {
	var out []want
	for _, e := range entries {
		kind, ok := fields[e.Key.Value]
		if !ok {
			continue
		}
		w, ok := cr.want(e.Key.Value, kind, e.Value)
		if !ok {
			continue
		}
		if v := e.Value; v.Line < e.Key.Line || (v.Line == e.Key.Line && v.Column < e.Key.Column) {
			w.node = e.Key
		}
		out = append(out, w)
	}
	return out
}

func (cr caseReader) want(key string, kind fieldKind, n *yaml.Node) (want, bool) {
	d := cr.d
	switch {
	case kind == kindIDs:
		w := want{field: key, kind: kind, node: n}
		for _, it := range d.list(n, key) {
			w.ids = append(w.ids, d.text(it, key))
		}
		w.text = "[" + strings.Join(w.ids, ", ") + "]"
		return w, true
	case kind == kindExcluded && n.Kind == yaml.MappingNode:
		w := want{field: key, kind: kind, node: n, reasons: map[string]int{}}
		var parts []string
		for _, kv := range d.pairs(n, key) {
			v, _ := d.integer(kv[1], "excluded")
			w.reasons[kv[0].Value] = v
			parts = append(parts, fmt.Sprintf("%s: %d", kv[0].Value, v))
		}
		w.text = "{" + strings.Join(parts, ", ") + "}"
		return w, true
	}
	s, ok := d.scalar(n, key)
	if !ok {
		return want{}, false
	}
	w, err := parseWant(key, kind, s, d.consts)
	if err != nil {
		d.notation(n, key, err)
		return want{}, false
	}
	w.node = n
	return w, true
}
