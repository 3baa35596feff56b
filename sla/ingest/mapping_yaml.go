package ingest

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

// LoadMapping reads a mapping file. See [ParseMapping] for its shape.
func LoadMapping(path string) (*Mapping, error) {
	data, err := readFileLimited(path, MaxMappingBytes)
	if err != nil {
		return nil, &MappingError{File: path, Err: err}
	}
	return ParseMapping(path, data)
}

// ParseMapping reads a mapping written in YAML; name is the file name
// used in errors. Its keys are those of [Mapping], in snake case:
//
//	preset: servicenow-incident   # optional: start from a preset, then override
//	record: tickets               # tickets, calls, outages or samples
//	event_log: false
//	delimiter: ";"                # , ; | or tab; detected when absent
//	encoding: windows-1252        # utf-8 (the default), windows-1252 or iso-8859-1
//	columns:                      # field: header, or [alternatives]
//	  id: Ref
//	  opened: [opened_at, Opened]
//	  priority: Urgence
//	defaults: {kind: incident}
//	dates: [dmy, iso, "2/Jan/06 3:04 PM"]
//	missing: ["", "?", "-"]
//	priorities: {"Très haute": P1, "Haute": P2}
//	priorities_strict: true
//	kinds: {Demande: request}
//	statuses: {"4": Pending}
//	pause_statuses: [Pending]
//	resolved_statuses: [Solved]
//	closed_statuses: [Closed]
//	attrs: [made_sla, contact_type]   # or ignore: [description]
//
// The field names under columns and defaults are the JSON names of the
// record's fields (id, kind, priority, service, category, group, level,
// opened, acknowledged, resolved, closed, status, satisfaction,
// exclusion, problem, reopen_count, reassignment_count; updated, sequence
// for event logs;
// queue, offered, answered, ended, abandoned, first_contact, agent for
// calls; service, start, end, planned, announced for outages; name, at,
// value for samples).
//
// With a preset, maps (columns, defaults, priorities, kinds, statuses)
// are merged key by key and lists replace the preset's. Unknown keys are
// errors, not ignored: a misspelt key would otherwise silently leave a
// field unmapped. The error is a *MappingError with the line and column
// of the key at fault: the first fault of the file. A mapping file is at
// most MaxMappingBytes.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	if len(data) > MaxMappingBytes {
		return nil, &MappingError{File: name, Err: overLimit(MaxMappingBytes)}
	}
	p := &mappingParser{Decoder: diag.NewDecoder(name, "mapping", mappingWord), pos: map[string][2]int{}}
	root := p.Parse(data)
	if root == nil && len(p.Errs) == 0 {
		return nil, &MappingError{File: name, Err: errors.New("empty mapping file")}
	}
	var m *Mapping
	if root != nil {
		m = p.mapping(root)
	}
	if len(p.Errs) > 0 {
		return nil, p.first()
	}
	if err := m.Validate(); err != nil {
		var me *MappingError
		if errors.As(err, &me) {
			me.File = name
			// The key itself, or else the nearest enclosing key written.
			for key := me.Key; key != ""; key = key[:max(strings.LastIndexAny(key, ".["), 0)] {
				if at, ok := p.pos[key]; ok {
					me.Line, me.Column = at[0], at[1]
					break
				}
			}
			return nil, me
		}
		return nil, err
	}
	return m, nil
}

type mappingParser struct {
	*diag.Decoder
	pos map[string][2]int // key path → line, column, for Validate's errors
}

// mappingWord says what the decoder found wrong in the words of a mapping
// file: the key path, then what was wanted.
func mappingWord(f diag.Fault) *diag.Error {
	e := &diag.Error{Field: f.What, Msg: f.Msg}
	// The keys under columns and defaults are the records' fields.
	noun := "key"
	if f.What == "columns" || f.What == "defaults" {
		noun = "field"
	}
	switch f.Kind {
	case diag.Syntax:
		e.Line, e.Msg = f.Line, f.Reason // the line alone, as the other errors of a row
	case diag.WrongKind, diag.NotValue, diag.BadValue:
		e.Msg = "want " + f.Want
	case diag.KeyNotName:
		e.Msg = "want a " + noun + " that is a name, not " + f.Found
	case diag.UnknownKey:
		e.Field = diag.Join(f.What, f.Key)
		e.Msg = fmt.Sprintf("unknown %s (known: %s)", noun, strings.Join(f.Known, ", "))
	case diag.DuplicateKey, diag.DuplicateName:
		e.Field, e.Msg = diag.Join(f.What, f.Key), noun+" repeated"
	}
	return e
}

// first returns the first error of the file.
func (p *mappingParser) first() *MappingError {
	p.Errs.Sort()
	e := p.Errs[0]
	return &MappingError{File: e.File, Line: e.Line, Column: e.Column, Key: e.Field, Err: errors.New(e.Msg)}
}

func (p *mappingParser) fail(n *yaml.Node, key string, format string, args ...any) {
	p.Report(n, &diag.Error{Field: key, Msg: fmt.Sprintf(format, args...)})
}

// mappingKeys are the keys of a mapping file.
var mappingKeys = []string{"preset", "record", "event_log", "delimiter", "encoding", "columns", "defaults", "dates", "missing", "priorities", "priorities_strict", "kinds", "statuses", "pause_statuses", "resolved_statuses", "closed_statuses", "attrs", "ignore"}

func (p *mappingParser) mapping(root *yaml.Node) *Mapping {
	if root.Kind != yaml.MappingNode {
		p.fail(root, "", "a mapping file is a YAML mapping of keys (record, columns…)")
		return nil
	}
	entries := p.Record(root, "", "a mapping", mappingKeys)
	m := &Mapping{}
	// The preset goes first, wherever it is written, so that the other
	// keys override it.
	for _, e := range entries {
		if e.Key.Value != "preset" {
			continue
		}
		if s, ok := p.scalar(e.Value, "preset"); ok {
			base, err := Preset(s)
			if err != nil {
				p.fail(e.Value, "preset", "%v", errors.Unwrap(err))
				continue
			}
			m = base
		}
	}
	for _, e := range entries {
		p.pos[e.Key.Value] = [2]int{e.Key.Line, e.Key.Column}
		p.key(m, e.Key.Value, e.Value)
	}
	return m
}

// key reads the value v of key into m.
func (p *mappingParser) key(m *Mapping, key string, v *yaml.Node) {
	var err error
	switch key {
	case "record":
		if s, ok := p.scalar(v, key); ok {
			m.Record, err = recordKindNamed(s)
		}
	case "event_log":
		m.EventLog = p.boolean(v, key)
	case "delimiter":
		if s, ok := p.scalar(v, key); ok {
			m.Delimiter, err = delimiterNamed(s)
		}
	case "encoding":
		m.Encoding, _ = p.scalar(v, key)
	case "columns":
		p.columns(v, key, &m.Columns, true)
	case "defaults":
		p.columns(v, key, &m.Defaults, false)
	case "dates":
		m.Dates = p.list(v, key)
	case "missing":
		m.Missing = p.list(v, key)
	case "priorities":
		m.Priorities = p.dict(v, key, m.Priorities)
	case "priorities_strict":
		m.PrioritiesStrict = p.boolean(v, key)
	case "kinds":
		m.Kinds = p.dict(v, key, m.Kinds)
	case "statuses":
		m.Statuses = p.dict(v, key, m.Statuses)
	case "pause_statuses":
		m.PauseStatuses = p.list(v, key)
	case "resolved_statuses":
		m.ResolvedStatuses = p.list(v, key)
	case "closed_statuses":
		m.ClosedStatuses = p.list(v, key)
	case "attrs":
		m.Attrs = p.list(v, key)
	case "ignore":
		m.Ignore = p.list(v, key)
	}
	if err != nil {
		p.fail(v, key, "%v", err)
	}
}

// scalar reads a single value; an empty one is "".
func (p *mappingParser) scalar(n *yaml.Node, key string) (string, bool) {
	if diag.IsNull(n) {
		return "", true
	}
	return p.Scalar(n, key, "a single value")
}

func (p *mappingParser) boolean(n *yaml.Node, key string) bool {
	s, ok := p.scalar(n, key)
	if !ok {
		return false
	}
	b, err := parseBool(s)
	if err != nil {
		p.fail(n, key, "%v", err)
	}
	return b
}

// list accepts a sequence of values, or one value.
func (p *mappingParser) list(n *yaml.Node, key string) []string {
	if n.Kind == yaml.ScalarNode {
		if s, ok := p.scalar(n, key); ok && s != "" {
			return []string{s}
		}
		return nil
	}
	items := p.List(n, key, "a list of values")
	out := make([]string, 0, len(items))
	for i, item := range items {
		path := fmt.Sprintf("%s[%d]", key, i)
		if s, ok := p.scalar(item, path); ok {
			p.pos[path] = [2]int{item.Line, item.Column}
			out = append(out, s)
		}
	}
	return out
}

// dict reads a map of values into base (a preset's map, copied first).
func (p *mappingParser) dict(n *yaml.Node, key string, base map[string]string) map[string]string {
	entries := p.Dictionary(n, key, "a map of values (raw: normalised)")
	out := make(map[string]string, len(base)+len(entries))
	maps.Copy(out, base)
	for _, e := range entries {
		if s, ok := p.scalar(e.Value, key+"."+e.Key.Value); ok {
			out[e.Key.Value] = s
		}
	}
	return out
}

// columns reads field: header (or field: [alternatives]) pairs into c.
func (p *mappingParser) columns(n *yaml.Node, key string, c *Columns, alternatives bool) {
	names := make([]string, numFields)
	for f := range numFields {
		names[f] = f.String()
	}
	for _, e := range p.Record(n, key, "a map of field: column", names) {
		path := key + "." + e.Key.Value
		f, _ := fieldNamed(e.Key.Value)
		p.pos[path] = [2]int{e.Key.Line, e.Key.Column}
		v := e.Value
		if !alternatives || v.Kind != yaml.SequenceNode {
			*c.ptr(f), _ = p.scalar(v, path)
			continue
		}
		alts := p.list(v, path)
		for _, a := range alts {
			if strings.Contains(a, "|") {
				p.fail(v, path, "column name %q contains '|', which separates alternatives", a)
			}
		}
		*c.ptr(f) = strings.Join(alts, "|")
	}
}

func recordKindNamed(s string) (RecordKind, error) {
	for k := AnyRecord; k <= SampleRecords; k++ {
		if strings.EqualFold(s, k.String()) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown record kind %q (want tickets, calls, outages or samples)", s)
}

func delimiterNamed(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", ";", "|", "\t":
		return rune(s[0]), nil
	}
	if strings.EqualFold(s, "tab") {
		return '\t', nil
	}
	return 0, fmt.Errorf("delimiter %q is not one of , ; | or tab", s)
}
