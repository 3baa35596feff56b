package ingest

import (
	"errors"
	"fmt"
	"strings"

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
// exclusion, problem; updated, sequence, reopen_count for event logs;
// queue, offered, answered, ended, abandoned, first_contact, agent for
// calls; service, start, end, planned, announced for outages; name, at,
// value for samples).
//
// With a preset, maps (columns, defaults, priorities, kinds, statuses)
// are merged key by key and lists replace the preset's. Unknown keys are
// errors, not ignored: a misspelt key would otherwise silently leave a
// field unmapped. Errors are *MappingError with the line and column of
// the key at fault. A mapping file is at most MaxMappingBytes.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	if len(data) > MaxMappingBytes {
		return nil, &MappingError{File: name, Err: overLimit(MaxMappingBytes)}
	}
	p := &mappingParser{file: name, pos: map[string][2]int{}}
	m, err := p.parse(data)
	if err != nil {
		return nil, err
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
	file string
	pos  map[string][2]int // key path → line, column, for Validate's errors
}

func (p *mappingParser) errAt(n *yaml.Node, key string, format string, args ...any) *MappingError {
	return &MappingError{File: p.file, Line: n.Line, Column: n.Column, Key: key, Err: fmt.Errorf(format, args...)}
}

func (p *mappingParser) parse(data []byte) (*Mapping, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxErr(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &MappingError{File: p.file, Err: errors.New("empty mapping file")}
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errAt(root, "", "a mapping file is a YAML mapping of keys (record, columns…)")
	}

	m := &Mapping{}
	// The preset goes first, wherever it is written, so that the other
	// keys override it.
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], deref(root.Content[i+1]); k.Value == "preset" {
			s, err := p.scalar(v, "preset")
			if err != nil {
				return nil, err
			}
			base, err := Preset(s)
			if err != nil {
				return nil, p.errAt(v, "preset", "%v", errors.Unwrap(err))
			}
			m = base
		}
	}

	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], deref(root.Content[i+1])
		key := k.Value
		if seen[key] {
			return nil, p.errAt(k, key, "key repeated")
		}
		seen[key] = true
		p.pos[key] = [2]int{k.Line, k.Column}
		var err error
		switch key {
		case "preset":
		case "record":
			var s string
			if s, err = p.scalar(v, key); err == nil {
				m.Record, err = recordKindNamed(s)
				if err != nil {
					err = p.errAt(v, key, "%v", err)
				}
			}
		case "event_log":
			m.EventLog, err = p.boolean(v, key)
		case "delimiter":
			var s string
			if s, err = p.scalar(v, key); err == nil {
				m.Delimiter, err = delimiterNamed(s)
				if err != nil {
					err = p.errAt(v, key, "%v", err)
				}
			}
		case "encoding":
			m.Encoding, err = p.scalar(v, key)
		case "columns":
			err = p.columns(v, key, &m.Columns, true)
		case "defaults":
			err = p.columns(v, key, &m.Defaults, false)
		case "dates":
			m.Dates, err = p.list(v, key)
		case "missing":
			m.Missing, err = p.list(v, key)
		case "priorities":
			m.Priorities, err = p.dict(v, key, m.Priorities)
		case "priorities_strict":
			m.PrioritiesStrict, err = p.boolean(v, key)
		case "kinds":
			m.Kinds, err = p.dict(v, key, m.Kinds)
		case "statuses":
			m.Statuses, err = p.dict(v, key, m.Statuses)
		case "pause_statuses":
			m.PauseStatuses, err = p.list(v, key)
		case "resolved_statuses":
			m.ResolvedStatuses, err = p.list(v, key)
		case "closed_statuses":
			m.ClosedStatuses, err = p.list(v, key)
		case "attrs":
			m.Attrs, err = p.list(v, key)
		case "ignore":
			m.Ignore, err = p.list(v, key)
		default:
			return nil, p.errAt(k, key, "unknown key (known: preset, record, event_log, delimiter, encoding, columns, defaults, dates, missing, priorities, priorities_strict, kinds, statuses, pause_statuses, resolved_statuses, closed_statuses, attrs, ignore)")
		}
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (p *mappingParser) scalar(n *yaml.Node, key string) (string, error) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", p.errAt(orRoot(n), key, "want a single value")
	}
	if n.ShortTag() == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

func orRoot(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

func (p *mappingParser) boolean(n *yaml.Node, key string) (bool, error) {
	s, err := p.scalar(n, key)
	if err != nil {
		return false, err
	}
	b, err := parseBool(s)
	if err != nil {
		return false, p.errAt(n, key, "%v", err)
	}
	return b, nil
}

// list accepts a sequence of values, or one value.
func (p *mappingParser) list(n *yaml.Node, key string) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		s, err := p.scalar(n, key)
		if err != nil || s == "" {
			return nil, err
		}
		return []string{s}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, key, "want a list of values")
	}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		s, err := p.scalar(deref(item), fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		p.pos[fmt.Sprintf("%s[%d]", key, i)] = [2]int{item.Line, item.Column}
		out = append(out, s)
	}
	return out, nil
}

// dict reads a map of values into base (a preset's map, copied first).
func (p *mappingParser) dict(n *yaml.Node, key string, base map[string]string) (map[string]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errAt(n, key, "want a map of values (raw: normalised)")
	}
	out := make(map[string]string, len(base)+len(n.Content)/2)
	for k, v := range base {
		out[k] = v
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if seen[k.Value] {
			return nil, p.errAt(k, key+"."+k.Value, "key repeated")
		}
		seen[k.Value] = true
		s, err := p.scalar(v, key+"."+k.Value)
		if err != nil {
			return nil, err
		}
		out[k.Value] = s
	}
	return out, nil
}

// columns reads field: header (or field: [alternatives]) pairs into c.
func (p *mappingParser) columns(n *yaml.Node, key string, c *Columns, alternatives bool) error {
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, key, "want a map of field: column")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		path := key + "." + k.Value
		f, ok := fieldNamed(k.Value)
		if !ok {
			var names []string
			for f := range numFields {
				names = append(names, f.String())
			}
			return p.errAt(k, path, "unknown field (known: %s)", strings.Join(names, ", "))
		}
		if seen[k.Value] {
			return p.errAt(k, path, "field repeated")
		}
		seen[k.Value] = true
		p.pos[path] = [2]int{k.Line, k.Column}
		var val string
		if alternatives && v.Kind == yaml.SequenceNode {
			alts, err := p.list(v, path)
			if err != nil {
				return err
			}
			for _, a := range alts {
				if strings.Contains(a, "|") {
					return p.errAt(v, path, "column name %q contains '|', which separates alternatives", a)
				}
			}
			val = strings.Join(alts, "|")
		} else {
			s, err := p.scalar(v, path)
			if err != nil {
				return err
			}
			val = s
		}
		*c.ptr(f) = val
	}
	return nil
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

// syntaxErr moves the line number of a YAML syntax error ("yaml: line
// 3: …") into the MappingError, so that it reads like the others.
func (p *mappingParser) syntaxErr(err error) *MappingError {
	me := &MappingError{File: p.file, Err: err}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, ok := fixedDigits(rest[:i]); ok {
				me.Line, me.Err = n, errors.New(rest[i+2:])
			}
		}
	}
	return me
}
