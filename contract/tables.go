package contract

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"go.yaml.in/yaml/v3"
)

// MaxTableRows is the most rows a table of the contract may have: a
// service catalogue has some hundreds of lines. MaxRowsInTables is the
// most its tables may have in all, a table repeated by a YAML alias
// counted each time.
const (
	MaxTableRows    = 10000
	MaxRowsInTables = 100000
)

// Table is a table of the contract file: values by key, such as a delay
// per request category or a calendar per site, read by lookup() in a
// rule's deadline or in its clock's calendar. Its values are text, read
// as deadlines or as calendar names where a rule looks them up.
type Table struct {
	Name       string
	Pos        Position
	Values     map[string]string
	Default    string // the value of a key the table does not list, when HasDefault
	HasDefault bool
}

// Lookup is a value chosen per item in a table of the contract: the
// table's values read as V, and the key of an item, a text expression
// over it.
type Lookup[V any] struct {
	Table      string
	Key        Expr // string, over the rule's items
	Values     map[string]V
	Default    V
	HasDefault bool
}

// Find returns the value of a key: the table's, else its default; false
// when the table has neither.
func (l *Lookup[V]) Find(key string) (V, bool) {
	if v, ok := l.Values[key]; ok {
		return v, true
	}
	return l.Default, l.HasDefault
}

// All returns every value the lookup can give, its default included,
// keys sorted.
func (l *Lookup[V]) All() []V {
	keys := slices.Sorted(maps.Keys(l.Values))
	out := make([]V, 0, len(keys)+1)
	for _, k := range keys {
		out = append(out, l.Values[k])
	}
	if l.HasDefault {
		out = append(out, l.Default)
	}
	return out
}

// MissingKeyError is the error of an item whose key a table lists not
// and which has no default.
type MissingKeyError struct {
	Table, Key, What string
}

func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("%s: table %s has no value for %q, and no default", e.What, e.Table, e.Key)
}

// NamedCalendar is a calendar of the contract and its name.
type NamedCalendar struct {
	Name string
	Cal  *calendar.Calendar
}

func (l *Lookup[V]) clone() *Lookup[V] {
	if l == nil {
		return nil
	}
	c := *l
	c.Values = maps.Clone(l.Values)
	return &c
}

// tableSet is what the loader knows of the tables: the tables, and each
// table read as deadlines or calendars once, so that a mistake in a table
// is reported once however many rules read it.
type tableSet struct {
	tables    map[string]*Table
	nodes     map[string]tableNodes // the value nodes, by table
	deadlines map[string]*Lookup[Deadline]
	calendars map[string]*Lookup[NamedCalendar]
	failed    map[string]bool // read as deadlines or calendars with errors
}

func (c *Contract) buildTables(d *decoder, n *yaml.Node) {
	c.tabs = tableSet{tables: map[string]*Table{}, nodes: map[string]tableNodes{},
		deadlines: map[string]*Lookup[Deadline]{}, calendars: map[string]*Lookup[NamedCalendar]{}, failed: map[string]bool{}}
	total := 0 // the rows of the tables so far
	for _, p := range d.pairs(n, "tables") {
		name := p[0].Value
		f := d.fields(p[1], "table "+name, "values", "default")
		t := &Table{Name: name, Pos: d.pos(p[0]), Values: map[string]string{}}
		nodes := tableNodes{rows: map[string]*yaml.Node{}}
		if f["values"] == nil {
			d.fail(p[1], ErrSchema, "delay_by_category: {values: {PC: 8h, SOFTWARE: 16h}, default: 24h}", "table %s needs values", name)
		} else {
			rows := d.pairs(f["values"], "values of table "+name)
			total += len(rows)
			switch {
			case len(rows) > MaxTableRows:
				d.fail(f["values"], ErrInvalid, "", "table %s has %d rows, more than the %d a table may have", name, len(rows), MaxTableRows)
				rows = nil
			case total > MaxRowsInTables:
				d.fail(p[0], ErrInvalid, "", "table %s brings the rows in its tables to %d, more than the %d a contract may have", name, total, MaxRowsInTables)
				return
			}
			for _, row := range rows {
				if v, ok := d.scalar(row[1], "value of "+row[0].Value); ok {
					t.Values[row[0].Value], nodes.rows[row[0].Value] = v, row[1]
				}
			}
		}
		if f["default"] != nil {
			if v, ok := d.scalar(f["default"], "default"); ok {
				t.Default, t.HasDefault, nodes.def = v, true, f["default"]
			}
		}
		c.tabs.tables[name], c.tabs.nodes[name] = t, nodes
	}
}

// tableNodes are the YAML nodes of a table's values: its rows by key
// (the empty text is a key like the others), and its default.
type tableNodes struct {
	rows map[string]*yaml.Node
	def  *yaml.Node
}

// readTable reads the rows and the default of a table into a lookup, each
// value with read.
func readTable[V any](t *Table, nodes tableNodes, read func(*yaml.Node) (V, bool)) (*Lookup[V], bool) {
	l := &Lookup[V]{Table: t.Name, Values: map[string]V{}, HasDefault: t.HasDefault}
	ok := true
	for _, key := range sortedKeys(nodes.rows) {
		if v, good := read(nodes.rows[key]); good {
			l.Values[key] = v
		} else {
			ok = false
		}
	}
	if nodes.def != nil {
		if v, good := read(nodes.def); good {
			l.Default = v
		} else {
			ok = false
		}
	}
	return l, ok
}

// loaded drops what only the reading of the rules needed: the YAML nodes
// of the tables and their readings, which the rules now hold.
func (ts *tableSet) loaded() {
	ts.nodes, ts.deadlines, ts.calendars, ts.failed = nil, nil, nil, nil
}

// Tables returns the tables of the contract, sorted by name.
func (c *Contract) Tables() []Table {
	names := slices.Sorted(maps.Keys(c.tabs.tables))
	out := make([]Table, len(names))
	for i, name := range names {
		out[i] = *c.tabs.tables[name]
		out[i].Values = maps.Clone(out[i].Values)
	}
	return out
}

var lookupCall = regexp.MustCompile(`(?s)^\s*lookup\(\s*("(?:[^"\\]|\\.)*")\s*,(.*)\)\s*$`)

// isLookup reports whether the text of a value is a lookup() in a table.
func isLookup(text string) bool { return strings.HasPrefix(strings.TrimSpace(text), "lookup(") }

// lookupOf reads lookup("table", key) in node n: the table, its values
// read by read (once per table), and the key, an expression over the
// rule's tickets.
func lookupOf[V any](c *Contract, s scope, n *yaml.Node, what string, cache map[string]*Lookup[V], read func(t *Table, nodes tableNodes) (*Lookup[V], bool)) *Lookup[V] {
	text := n.Value
	m := lookupCall.FindStringSubmatchIndex(text)
	if m == nil {
		s.d.fail(n, ErrInvalid, `lookup("delay_by_category", category)`, "%s: a lookup is written lookup(\"table\", key)", what)
		return nil
	}
	quoted := text[m[2]:m[3]]
	name := strings.Trim(quoted, `"`)
	t, ok := c.tabs.tables[name]
	if !ok {
		declared := slices.Sorted(maps.Keys(c.tabs.tables))
		hint := "the contract declares no table: declare it under tables"
		if len(declared) > 0 {
			hint = choice("tables declared", name, declared)
		}
		s.d.failAt(n, utf8.RuneCountInString(text[:m[2]]), ErrReference, hint, "%s: unknown table %q", what, name)
		return nil
	}
	l, done := cache[name]
	if !done && !c.tabs.failed[what+"|"+name] {
		var ok bool
		if l, ok = read(t, c.tabs.nodes[name]); ok {
			cache[name] = l
		} else {
			c.tabs.failed[what+"|"+name] = true
		}
	}
	keyText := text[m[4]:m[5]]
	lead := len(keyText) - len(strings.TrimLeft(keyText, " \t\n"))
	sub := *n
	line, col := s.d.locate(n, utf8.RuneCountInString(text[:m[4]+lead]))
	sub.Value, sub.Line, sub.Column, sub.Style = strings.TrimSpace(keyText), line, col, 0
	if sub.Value == "" {
		s.d.failAt(n, utf8.RuneCountInString(text[:m[4]]), ErrInvalid, `lookup("delay_by_category", category)`, "%s: the lookup needs a key", what)
		return nil
	}
	ks := s
	ks.beforeClock = "a table's key cannot name %s: it is read before the clock runs"
	key := itemExpr(ks, Tickets, &sub, what+" key", dsl.String)
	if l == nil || key.IsZero() {
		return nil
	}
	out := l.clone()
	out.Key = key
	return out
}

// deadlineTable reads the values of a table as deadlines.
func (c *Contract) deadlineTable(s scope) func(t *Table, nodes tableNodes) (*Lookup[Deadline], bool) {
	return func(t *Table, nodes tableNodes) (*Lookup[Deadline], bool) {
		ts := s
		ts.rule = "table " + t.Name
		return readTable(t, nodes, func(n *yaml.Node) (Deadline, bool) {
			if isLookup(n.Value) {
				s.d.fail(n, ErrInvalid, "8h, or end_of_open_day(2)", "table %s: a deadline in a table is a duration or end_of_open_day(n), not another lookup", t.Name)
				return Deadline{}, false
			}
			if v := c.buildDeadline(s.d, ts, n); v != nil {
				return *v, true
			}
			return Deadline{}, false
		})
	}
}

// calendarTable reads the values of a table as names of calendars.
func (c *Contract) calendarTable(d *decoder) func(t *Table, nodes tableNodes) (*Lookup[NamedCalendar], bool) {
	return func(t *Table, nodes tableNodes) (*Lookup[NamedCalendar], bool) {
		return readTable(t, nodes, func(n *yaml.Node) (NamedCalendar, bool) {
			name, cal, found := c.calendarNamed(d, n, "table "+t.Name)
			return NamedCalendar{name, cal}, found
		})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := slices.Collect(maps.Keys(m))
	sort.Strings(keys)
	return keys
}
