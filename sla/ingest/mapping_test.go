package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPresetsAreValid(t *testing.T) {
	for _, name := range PresetNames() {
		m, err := Preset(name)
		require.NoError(t, err, name)
		require.NoError(t, m.Validate(), name)
		_, err = m.compile(TicketRecords)
		require.NoError(t, err, name)
		_, err = m.compile(CallRecords)
		require.ErrorIs(t, err, ErrMapping, "%s is a tickets mapping", name)
	}
	_, err := Preset("remedy")
	require.ErrorIs(t, err, ErrMapping)
	m, err := Preset(" GLPI ")
	require.NoError(t, err)
	require.Equal(t, GLPITickets(), m)
}

func TestMappingValidate(t *testing.T) {
	ok := func() *Mapping {
		return &Mapping{Record: TicketRecords, Columns: Columns{ID: "number", Opened: "opened_at"}}
	}
	for _, tc := range []struct {
		name   string
		change func(m *Mapping)
		key    string // empty: valid
	}{
		{"valid", func(*Mapping) {}, ""},
		{"field of another record", func(m *Mapping) { m.Columns.Queue = "queue" }, "columns.queue"},
		{"event-log field in a flat export", func(m *Mapping) { m.Columns.Updated = "sys_updated_at" }, "columns.updated"},
		{"required column missing", func(m *Mapping) { m.Columns.Opened = "" }, "columns.opened"},
		{"empty alternative", func(m *Mapping) { m.Columns.Kind = "a||b" }, "columns.kind"},
		{"event log without status", func(m *Mapping) { m.EventLog = true; m.Columns.Updated = "u" }, "columns.status"},
		{"event log of calls", func(m *Mapping) { m.Record = CallRecords; m.EventLog = true }, "event_log"},
		{"bad date format", func(m *Mapping) { m.Dates = []string{"iso", "dd/mm/yyyy"} }, "dates[1]"},
		{"bad delimiter", func(m *Mapping) { m.Delimiter = ':' }, "delimiter"},
		{"default for an instant", func(m *Mapping) { m.Defaults.Resolved = "2027-01-01" }, "defaults.resolved"},
		{"default of another record", func(m *Mapping) { m.Defaults.Queue = "desk" }, "defaults.queue"},
		{"bad default priority", func(m *Mapping) { m.Defaults.Priority = "High" }, "defaults.priority"},
		{"good default priority", func(m *Mapping) { m.Defaults.Priority = "3 - Moderate" }, ""},
		{"bad default level", func(m *Mapping) { m.Defaults.Level = "none" }, "defaults.level"},
		{"empty normalised priority", func(m *Mapping) { m.Priorities = map[string]string{"High": " "} }, "priorities"},
		{"unknown record kind", func(m *Mapping) { m.Record = 9 }, "record"},
		{"any record", func(m *Mapping) { m.Record = AnyRecord; m.Columns.Queue = "q" }, ""},
		// The status lists compare the names statuses gives: a raw value
		// it renames would never match, and no ticket would pause.
		{"raw pause status", func(m *Mapping) {
			m.Statuses = map[string]string{"4": "Pending", "En attente": "Pending"}
			m.PauseStatuses = []string{"Pending", "en attente"}
		}, "pause_statuses[1]"},
		{"raw closed status", func(m *Mapping) {
			m.Statuses = map[string]string{"6": "Closed"}
			m.ClosedStatuses = []string{"6"}
		}, "closed_statuses[0]"},
		{"named statuses", func(m *Mapping) {
			m.Statuses = map[string]string{"4": "Pending", "pending": "Pending", "Solved": "Résolu"}
			m.PauseStatuses, m.ResolvedStatuses = []string{"PENDING"}, []string{"Résolu"}
		}, ""},
		{"a raw value that is also a name", func(m *Mapping) {
			m.Statuses = map[string]string{"Closed": "Clos", "6": "Closed"}
			m.ClosedStatuses = []string{"Closed"}
		}, ""},
		{"statuses not renamed", func(m *Mapping) { m.PauseStatuses = []string{"On Hold"} }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ok()
			tc.change(m)
			err := m.Validate()
			if tc.key == "" {
				require.NoError(t, err)
				return
			}
			var me *MappingError
			require.ErrorAs(t, err, &me)
			require.ErrorIs(t, err, ErrMapping)
			require.Equal(t, tc.key, me.Key, err.Error())
		})
	}
}

func TestMappingKindMismatch(t *testing.T) {
	_, err := ReadCalls(nil, ServiceNowIncidents(), Options{Location: paris(t)})
	require.Error(t, err)
	m := &Mapping{Record: CallRecords, Columns: Columns{ID: "id", Offered: "o"}}
	_, err = ReadTickets(os.Stdin, m, Options{Location: paris(t)})
	require.ErrorIs(t, err, ErrMapping)
	_, err = ReadCalls(os.Stdin, m, Options{})
	require.ErrorIs(t, err, ErrNoLocation)
	// A mapping for any record is checked against the reader's kind.
	anyKind := &Mapping{Columns: Columns{ID: "id", Queue: "q"}}
	_, err = ReadTickets(os.Stdin, anyKind, Options{Location: paris(t)})
	require.ErrorIs(t, err, ErrMapping)
}

func TestMappingClone(t *testing.T) {
	m := GLPITickets()
	c := m.Clone()
	c.Priorities["Haute"] = "P1"
	c.PauseStatuses[0] = "Nothing"
	require.Equal(t, "P3", m.Priorities["Haute"])
	require.Equal(t, "Pending", m.PauseStatuses[0])
	require.Nil(t, (*Mapping)(nil).Clone())
}

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping("acme.yaml", []byte(`
preset: servicenow-incident
columns:
  group: [assignment_group, "Groupe d'affectation"]
  exclusion: u_exclusion
defaults:
  kind: request
dates: [dmy]
missing: ["-", ""]
priorities: {Urgent: P1}
priorities_strict: yes
kinds: {incident: incident}
statuses: {"6": Resolved}
pause_statuses: Awaiting Customer
attrs: [short_description]
delimiter: tab
`))
	require.NoError(t, err)
	require.Equal(t, TicketRecords, m.Record, "from the preset")
	require.Equal(t, "number|Number", m.Columns.ID, "from the preset")
	require.Equal(t, "assignment_group|Groupe d'affectation", m.Columns.Group)
	require.Equal(t, "u_exclusion", m.Columns.Exclusion)
	require.Equal(t, "request", m.Defaults.Kind)
	require.Equal(t, []string{"dmy"}, m.Dates)
	require.Equal(t, []string{"-", ""}, m.Missing)
	require.Equal(t, "P1", m.Priorities["Urgent"])
	require.True(t, m.PrioritiesStrict)
	require.Equal(t, "request", m.Kinds["sc_req_item"], "maps merge with the preset's")
	require.Equal(t, []string{"Awaiting Customer"}, m.PauseStatuses, "lists replace the preset's")
	require.Equal(t, []string{"short_description"}, m.Attrs)
	require.Equal(t, '\t', m.Delimiter)

	m, err = ParseMapping("e.yaml", []byte("record: tickets\nevent_log: true\ncolumns: {id: n, opened: o, updated: u, status: s}\n"))
	require.NoError(t, err)
	require.True(t, m.EventLog)
}

func TestParseMappingErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		line, col  int
		key        string
	}{
		{"unknown key", "record: tickets\ncolumns: {id: a, opened: b}\ncolumn: {}\n", 3, 1, "column"},
		{"unknown field", "record: tickets\ncolumns:\n  id: a\n  opened: b\n  priorité: c\n", 5, 3, "columns.priorité"},
		{"field of another record", "record: calls\ncolumns:\n  id: a\n  offered: b\n  priority: c\n", 5, 3, "columns.priority"},
		{"required missing", "record: tickets\ncolumns:\n  id: a\n", 2, 1, "columns.opened"},
		{"bad record", "record: incidents\n", 1, 9, "record"},
		{"bad bool", "record: tickets\nevent_log: maybe\n", 2, 12, "event_log"},
		{"bad delimiter", "delimiter: ':'\n", 1, 12, "delimiter"},
		{"bad date", "record: tickets\ncolumns: {id: a, opened: b}\ndates:\n  - iso\n  - jj/mm/aaaa\n", 5, 5, "dates[1]"},
		{"list for a scalar", "record: [tickets]\n", 1, 9, "record"},
		{"map for a list", "record: tickets\ncolumns: {id: a, opened: b}\nmissing: {a: b}\n", 3, 10, "missing"},
		{"scalar for a map", "record: tickets\ncolumns: id\n", 2, 10, "columns"},
		{"repeated key", "record: tickets\nrecord: calls\n", 2, 1, "record"},
		{"repeated field", "record: tickets\ncolumns:\n  id: a\n  id: b\n", 4, 3, "columns.id"},
		{"unknown preset", "preset: remedy\n", 1, 9, "preset"},
		{"pipe in a list alternative", "record: tickets\ncolumns:\n  id: [a, 'b|c']\n  opened: o\n", 3, 7, "columns.id"},
		{"not a mapping", "- a\n- b\n", 1, 1, ""},
		{"key that is not a name", "record: tickets\n[a]: b\n", 2, 1, ""},
		{"second document", "record: tickets\ncolumns: {id: a, opened: b}\n---\nrecord: calls\n", 3, 1, ""},
		{"the first fault of the file", "record: tickets\nbogus: 1\npreset: remedy\n", 2, 1, "bogus"},
		{"YAML syntax", "record: tickets\ncolumns: {id: a\nmissing: [x]\n", 2, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMapping("m.yaml", []byte(tc.yaml))
			var me *MappingError
			require.ErrorAs(t, err, &me)
			require.ErrorIs(t, err, ErrMapping)
			require.Equal(t, "m.yaml", me.File)
			require.Equal(t, tc.key, me.Key, err.Error())
			require.Equal(t, tc.line, me.Line, err.Error())
			require.Equal(t, tc.col, me.Column, err.Error())
		})
	}
	// The messages of the faults of a file's shape.
	for _, tc := range []struct{ text, msg string }{
		{"record: tickets\ncolumns: {id: a, opened: b}\n---\nrecord: calls\n", "m.yaml:3:1: a mapping file holds one document; this is a second one"},
		{"record: tickets\ncolumns: {id: a\nmissing: [x]\n", "m.yaml:2: did not find expected ',' or '}'"},
		{"record: tickets\n[a]: b\n", "m.yaml:2:1: want a key that is a name, not a list"},
		{"record: tickets\ncolumns:\n  {a: 1}: b\n", "m.yaml:3:3: columns: want a field that is a name, not a mapping"},
	} {
		_, err := ParseMapping("m.yaml", []byte(tc.text))
		require.EqualError(t, err, tc.msg, tc.text)
	}
	for _, bad := range []string{"", "record: [", "\t- x", "a: \xff"} {
		_, err := ParseMapping("m.yaml", []byte(bad))
		require.ErrorIs(t, err, ErrMapping, bad)
	}
}

func TestLoadMapping(t *testing.T) {
	m, err := LoadMapping(filepath.Join("testdata", "calls_mapping.yaml"))
	require.NoError(t, err)
	require.Equal(t, CallRecords, m.Record)
	_, err = LoadMapping(filepath.Join("testdata", "nope.yaml"))
	require.ErrorIs(t, err, ErrMapping)
	require.True(t, errors.Is(err, os.ErrNotExist))
}

// A mapping file is refused past MaxMappingBytes having read at most one
// byte more: a device or a data file given by mistake costs no more.
func TestLoadMappingTooLarge(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxMappingBytes)+"\n"), 0o644))
	_, err := LoadMapping(big)
	require.ErrorIs(t, err, ErrMapping)
	require.ErrorIs(t, err, ErrTooLarge)
	require.EqualError(t, err, big+": over a size limit: more than 1048576 bytes")

	_, err = ParseMapping("big.yaml", make([]byte, MaxMappingBytes+1))
	require.ErrorIs(t, err, ErrTooLarge)

	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadMapping("/dev/zero")
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrTooLarge)
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*MaxMappingBytes), "bytes allocated to refuse /dev/zero")
}
