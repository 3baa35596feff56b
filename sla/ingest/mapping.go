package ingest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Mapping says how the rows of one export become pacte records: which
// column feeds which field, how its values are written, and what the
// tool's statuses mean. Build it in Go, load it from a YAML file with
// [LoadMapping], or start from a preset ([ServiceNowIncidents]…) and
// adjust it.
//
// The zero Mapping is not useful; a nil *Mapping given to a reader means
// pacte's own format: CSV headers and JSON keys named after the record's
// JSON fields ("id", "opened"…), and JSON Lines objects decoded exactly
// as encoding/json decodes the record, so that a file written by
// json.Encoder from pacte records reads back unchanged.
//
// A Mapping is read, never modified, by the readers: one Mapping may be
// shared by readers running at the same time.
type Mapping struct {
	// Record is the kind of record the export holds. AnyRecord lets the
	// reader it is given to decide; a reader of another kind refuses it,
	// so that a calls mapping cannot be fed to a tickets reader by mistake.
	Record RecordKind

	// EventLog says that each row is one update of a ticket, as in an
	// audit or event-log export, rather than one ticket. The reader then
	// rebuilds each ticket from its rows (see [ReadTickets]).
	EventLog bool

	Columns Columns

	// Defaults gives, per field, the raw value used when the field's
	// column is absent or its value missing, as if it had been read from
	// the file ("incident" for the kind of an incident-table export,
	// "true" for the planned flag of a maintenance calendar). Instants
	// have no defaults. Alternatives ("a|b") mean nothing here.
	Defaults Columns

	// Dates lists the date formats tried in order. Each is a built-in
	// name or a Go time layout:
	//
	//	"iso"  ISO 8601 / RFC 3339: 2027-03-01T09:30:00+01:00, 2027-03-01 09:30[:00[.000]], 2027-03-01
	//	"dmy"  day first: 01/03/2027 09:30[:00], 1-3-2027 9:30, 01.03.2027 (one- or two-digit day and month)
	//	"mdy"  month first (US): 03/01/2027 9:30
	//
	// Built-ins accept an optional zone (Z, +01:00, +0100, UTC) and a date
	// without a time (midnight). A Go layout ("2/Jan/06 3:04 PM") is
	// parsed with time.ParseInLocation. Empty means {"iso", "dmy"}: day
	// first, as in Europe; a US export needs "mdy" or a layout, since
	// 03/01 cannot be told apart otherwise. A layout with a zone
	// abbreviation ("MST") reads the abbreviations of Options.Location,
	// UTC and GMT; another ("EST" read in Europe/Paris) refuses the row,
	// since its offset is unknown (time.Parse would take it as UTC).
	//
	// Instants without a zone are read in Options.Location. Local times
	// that do not exist (skipped when clocks go forward) are moved forward
	// as time.Date does; those that exist twice (when clocks go back) are
	// read as the first of the two.
	Dates []string

	// Missing lists the values that mean "no value", compared without
	// regard to case or surrounding spaces. Empty means "", "?", "NULL"
	// and "N/A". An empty cell is always missing.
	Missing []string

	// Priorities maps raw priority values to normalised ones
	// ("1 - Critical": "P1"). Keys match exactly first, then without
	// regard to case. A value not in the map is normalised by its leading
	// number ("2 - High", "P2", "2" all give "P2") unless
	// PrioritiesStrict is set; a value that neither rule reads refuses
	// the row, so that an unknown priority never silently escapes a
	// priority rule.
	Priorities       map[string]string
	PrioritiesStrict bool

	// Kinds maps raw ticket kinds to pacte's ("Service Request":
	// "request"); Statuses maps raw statuses to the names the contract
	// uses ("5": "Solved"). Both match exactly, then without regard to
	// case; an unmapped value is kept as it is.
	Kinds    map[string]string
	Statuses map[string]string

	// PauseStatuses, ResolvedStatuses and ClosedStatuses say what the
	// (mapped) statuses mean, compared without regard to case: a raw
	// value that Statuses renames is a mapping error, since it would
	// never match. An event
	// log uses them to derive pauses, reopenings and, when no column gives
	// them, the resolution and closure instants. They do not affect flat
	// exports, where the engine derives pauses from History when a rule
	// asks for it.
	PauseStatuses    []string
	ResolvedStatuses []string
	ClosedStatuses   []string

	// Attrs lists the unmapped columns kept in the record's Attrs; empty
	// keeps every unmapped column except those in Ignore, and Ignore
	// ["*"] keeps none. Missing values are never kept, so that a record
	// without extra data has a nil Attrs and costs no map. Columns whose
	// header repeats (Jira's "Labels, Labels") are joined with "; ".
	Attrs  []string
	Ignore []string

	// Delimiter separates CSV fields: ',', ';', '\t' or '|'. Zero detects
	// it from the header line (the most frequent of the four outside
	// quotes), since exports differ by tool and locale (GLPI writes ';').
	Delimiter rune

	// Encoding is the character encoding of the export: "utf-8" (empty
	// means the same; a byte order mark is accepted), "windows-1252" or
	// "iso-8859-1" (also "cp1252", "latin1"). The tools export UTF-8; a
	// file saved again by Excel on a French Windows is Windows-1252.
	// Options.Encoding overrides it. A reader checks the whole input
	// before its first record and refuses one that is not valid in its
	// encoding with a single error, which names the encoding it looks
	// like: its rows are not read one by one, which would refuse most of
	// them or, worse, read mangled values.
	Encoding string
}

// Clone returns a deep copy, so that a preset can be adjusted without
// touching the mapping it came from.
func (m *Mapping) Clone() *Mapping {
	if m == nil {
		return nil
	}
	c := *m
	c.Dates = slices.Clone(m.Dates)
	c.Missing = slices.Clone(m.Missing)
	c.Priorities = maps.Clone(m.Priorities)
	c.Kinds = maps.Clone(m.Kinds)
	c.Statuses = maps.Clone(m.Statuses)
	c.PauseStatuses = slices.Clone(m.PauseStatuses)
	c.ResolvedStatuses = slices.Clone(m.ResolvedStatuses)
	c.ClosedStatuses = slices.Clone(m.ClosedStatuses)
	c.Attrs = slices.Clone(m.Attrs)
	c.Ignore = slices.Clone(m.Ignore)
	return &c
}

// Validate reports the first problem that would make the mapping
// unusable, as a *MappingError naming the key at fault. Readers validate
// their mapping too; Validate lets a program check one early.
func (m *Mapping) Validate() error {
	_, err := m.compile(m.Record)
	return err
}

func mappingErr(key string, format string, args ...any) *MappingError {
	return &MappingError{Key: key, Err: fmt.Errorf(format, args...)}
}

// compiled is a validated Mapping in the form the decoders use: header
// names lowered, maps folded, formats resolved. It is private to one
// reader, so later changes to the Mapping do not reach a running reader.
type compiled struct {
	kind     RecordKind
	eventLog bool
	native   bool // nil mapping: pacte's own names, native JSON decoding

	alts       [numFields][]string // lowered header alternatives; nil when unmapped
	spelled    [numFields]string   // the alternatives as written, for messages
	defaults   [numFields]string
	hasDefault [numFields]bool
	required   [numFields]bool
	used       [numFields]bool // field belongs to this record kind

	dates     []dateFormat
	dateNames string
	missing   []string // lowered

	priorities       map[string]string
	prioritiesFolded map[string]string
	prioritiesStrict bool
	kinds            map[string]string
	kindsFolded      map[string]string
	statuses         map[string]string
	statusesFolded   map[string]string

	pause, resolved, closed []string

	attrsOnly map[string]bool // lowered; nil: all unmapped columns
	ignore    map[string]bool // lowered
	ignoreAll bool

	delimiter rune
	encoding  encoding
}

// compile validates m for a reader of kind want and prepares it. Its
// steps report the first problem, in the order of the Mapping's fields.
func (m *Mapping) compile(want RecordKind) (*compiled, error) {
	if m == nil {
		return nil, &MappingError{Err: errors.New("no mapping")}
	}
	kind, err := m.kindFor(want)
	if err != nil {
		return nil, err
	}
	c := &compiled{kind: kind, eventLog: m.EventLog}
	if kind == AnyRecord {
		// Checked again with the actual kind when a reader compiles it;
		// here every field of some kind is acceptable.
		for f := range numFields {
			c.used[f] = true
		}
	} else {
		for _, f := range kind.fields(m.EventLog) {
			c.used[f] = true
		}
		for _, f := range kind.required(m.EventLog) {
			c.required[f] = true
		}
	}
	for _, step := range []func(*Mapping) error{c.columnsOf, c.valuesOf, c.syntaxOf, c.defaultsOf} {
		if err := step(m); err != nil {
			return nil, err
		}
	}
	if kind != AnyRecord {
		for _, f := range kind.required(m.EventLog) {
			if c.alts[f] == nil && !c.hasDefault[f] {
				return nil, mappingErr("columns."+f.String(), "%s need a column for their %s field", kind, f)
			}
		}
	}
	return c, nil
}

// kindFor is the kind of record m reads for a reader of kind want.
func (m *Mapping) kindFor(want RecordKind) (RecordKind, error) {
	kind := m.Record
	if kind > SampleRecords {
		return 0, mappingErr("record", "unknown record kind %d", kind)
	}
	if want != AnyRecord && kind != AnyRecord && kind != want {
		return 0, mappingErr("record", "the mapping is for %s, not %s", kind, want)
	}
	if kind == AnyRecord {
		kind = want
	}
	if m.EventLog && kind != TicketRecords && kind != AnyRecord {
		return 0, mappingErr("event_log", "event logs hold tickets, not %s", kind)
	}
	if m.EventLog {
		kind = TicketRecords
	}
	return kind, nil
}

// columnsOf reads the columns of the fields.
func (c *compiled) columnsOf(m *Mapping) error {
	for f := range numFields {
		spec := m.Columns.get(f)
		if strings.TrimSpace(spec) == "" {
			continue
		}
		key := "columns." + f.String()
		if !c.used[f] {
			return mappingErr(key, "%s have no %s field", c.kind, f)
		}
		for alt := range strings.SplitSeq(spec, "|") {
			alt = strings.ToLower(strings.TrimSpace(alt))
			if alt == "" {
				return mappingErr(key, "empty column name in %q", spec)
			}
			c.alts[f] = append(c.alts[f], alt)
		}
		c.spelled[f] = spec
	}
	return nil
}

// valuesOf reads how values are written: missing markers, dates,
// priorities, kinds, statuses, and which columns go to Attrs.
func (c *compiled) valuesOf(m *Mapping) error {
	c.missing = []string{"", "?", "null", "n/a"}
	if len(m.Missing) > 0 {
		c.missing = []string{""}
		for _, v := range m.Missing {
			v = strings.ToLower(strings.TrimSpace(v))
			if v != "" && !slices.Contains(c.missing, v) {
				c.missing = append(c.missing, v)
			}
		}
	}

	dates := m.Dates
	if len(dates) == 0 {
		dates = []string{"iso", "dmy"}
	}
	for i, d := range dates {
		df, err := parseDateFormat(d)
		if err != nil {
			return &MappingError{Key: fmt.Sprintf("dates[%d]", i), Err: err}
		}
		c.dates = append(c.dates, df)
	}
	c.dateNames = strings.Join(dates, ", ")

	for raw, norm := range m.Priorities {
		if strings.TrimSpace(norm) == "" {
			return mappingErr("priorities", "%q maps to an empty priority", raw)
		}
	}
	c.priorities, c.prioritiesFolded = foldMap(m.Priorities)
	c.prioritiesStrict = m.PrioritiesStrict
	c.kinds, c.kindsFolded = foldMap(m.Kinds)
	c.statuses, c.statusesFolded = foldMap(m.Statuses)
	c.pause = trimAll(m.PauseStatuses)
	c.resolved = trimAll(m.ResolvedStatuses)
	c.closed = trimAll(m.ClosedStatuses)
	for _, set := range []struct {
		key  string
		list []string
	}{{"pause_statuses", m.PauseStatuses}, {"resolved_statuses", m.ResolvedStatuses}, {"closed_statuses", m.ClosedStatuses}} {
		if err := c.rawStatus(set.key, set.list); err != nil {
			return err
		}
	}

	if len(m.Attrs) > 0 {
		c.attrsOnly = make(map[string]bool, len(m.Attrs))
		for _, a := range m.Attrs {
			c.attrsOnly[strings.ToLower(strings.TrimSpace(a))] = true
		}
	}
	c.ignore = make(map[string]bool, len(m.Ignore))
	for _, a := range m.Ignore {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == "*" {
			c.ignoreAll = true
		}
		c.ignore[a] = true
	}
	return nil
}

// rawStatus refuses a status of the pause, resolved or closed lists that
// is a raw value the statuses map renames: the lists are compared with
// the names statuses gives, so it would never match, and the tickets
// would never pause (or end) without a word.
func (c *compiled) rawStatus(key string, list []string) error {
	for i, s := range list {
		s = strings.TrimSpace(s)
		name, ok := lookup(c.statuses, c.statusesFolded, s)
		if !ok || strings.EqualFold(name, s) || c.namesStatus(s) {
			continue
		}
		return mappingErr(fmt.Sprintf("%s[%d]", key, i), "%q is a status as the export writes it, which statuses names %q: list %q", s, name, name)
	}
	return nil
}

// namesStatus reports whether s is one of the names the statuses map gives.
func (c *compiled) namesStatus(s string) bool {
	for _, name := range c.statuses {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// syntaxOf reads the delimiter and the encoding.
func (c *compiled) syntaxOf(m *Mapping) error {
	switch m.Delimiter {
	case 0, ',', ';', '\t', '|':
		c.delimiter = m.Delimiter
	default:
		return mappingErr("delimiter", "%q is not one of , ; | or tab", m.Delimiter)
	}
	var err error
	if c.encoding, err = encodingNamed(m.Encoding); err != nil {
		return &MappingError{Key: "encoding", Err: err}
	}
	return nil
}

// defaultsOf reads and checks the default values.
func (c *compiled) defaultsOf(m *Mapping) error {
	for f := range numFields {
		v := m.Defaults.get(f)
		if v == "" {
			continue
		}
		key := "defaults." + f.String()
		if !c.used[f] {
			return mappingErr(key, "%s have no %s field", c.kind, f)
		}
		if f.isTime() {
			return mappingErr(key, "instants have no default: a constant instant would be a guess")
		}
		if err := c.checkDefault(f, strings.TrimSpace(v)); err != nil {
			return &MappingError{Key: key, Err: err}
		}
		c.defaults[f] = strings.TrimSpace(v)
		c.hasDefault[f] = true
	}
	return nil
}

// checkDefault parses a default value as a cell of its field would be,
// so that a bad default is a mapping error once rather than a refusal
// of every row.
func (c *compiled) checkDefault(f field, v string) error {
	var err error
	switch f {
	case fPriority:
		_, err = c.normalisePriority(v)
	case fAbandoned, fFirstContact, fPlanned:
		_, err = parseBool(v)
	case fLevel:
		_, err = parseLevel(v)
	case fSequence, fReopenCount, fReassignmentCount:
		_, err = parseCount(v)
	case fSatisfaction, fValue:
		_, err = parseDecimal(v)
	}
	return err
}

// nativeCompiled is the compiled form of a nil mapping.
func nativeCompiled(kind RecordKind) (*compiled, error) {
	m := &Mapping{Record: kind, Columns: nativeColumns(kind)}
	c, err := m.compile(kind)
	if err != nil {
		return nil, err
	}
	c.native = true
	return c, nil
}

func foldMap(m map[string]string) (exact, folded map[string]string) {
	if len(m) == 0 {
		return nil, nil
	}
	exact = make(map[string]string, len(m))
	folded = make(map[string]string, len(m))
	// Sorted so that two keys differing only by case fold deterministically.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := strings.TrimSpace(m[k])
		exact[strings.TrimSpace(k)] = v
		lk := strings.ToLower(strings.TrimSpace(k))
		if _, dup := folded[lk]; !dup {
			folded[lk] = v
		}
	}
	return exact, folded
}

func trimAll(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// lookup maps a raw value through an exact-then-folded map.
func lookup(exact, folded map[string]string, v string) (string, bool) {
	if exact == nil {
		return "", false
	}
	if n, ok := exact[v]; ok {
		return n, true
	}
	n, ok := folded[strings.ToLower(v)]
	return n, ok
}

func containsFold(set []string, v string) bool {
	for _, s := range set {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// isMissing reports whether a trimmed value means "no value".
func (c *compiled) isMissing(v string) bool {
	if v == "" {
		return true
	}
	for _, m := range c.missing[1:] {
		if len(m) == len(v) && strings.EqualFold(m, v) {
			return true
		}
	}
	return false
}

// keepAttr reports whether an unmapped column goes to Attrs.
func (c *compiled) keepAttr(lowered string) bool {
	if c.attrsOnly != nil {
		return c.attrsOnly[lowered]
	}
	return !c.ignoreAll && !c.ignore[lowered]
}

// requireLocation is separate from compile so that Validate does not
// need Options.
func requireLocation(loc *time.Location) error {
	if loc == nil {
		return ErrNoLocation
	}
	return nil
}
