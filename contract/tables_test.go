package contract

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTables checks what a contract of tables loads: the tables as
// written, each rule's lookups with their values read as deadlines or
// calendars, and their keys compiled.
func TestTables(t *testing.T) {
	c := mustLoad(t, "testdata/tables.good.yaml")
	tables := c.Tables()
	require.Len(t, tables, 2)
	require.Equal(t, "calendar_by_site", tables[0].Name)
	require.Equal(t, map[string]string{"STRASBOURG": "HO-ALSACE", "METZ": "HO-ALSACE", "SAINT-DENIS": "HO-REUNION"}, tables[0].Values)
	require.True(t, tables[0].HasDefault)
	require.Equal(t, "HO", tables[0].Default)
	require.Equal(t, 11, tables[1].Pos.Line)

	r := mustRule(t, c, "REQ-DELAY")
	cl := r.Clock.ByItem
	require.NotNil(t, cl)
	require.Nil(t, r.Clock.Cal, "the calendar is the ticket's")
	require.Equal(t, "calendar_by_site", cl.Table)
	require.Equal(t, `attrs["site"]`, cl.Key.Text)
	alsace, _ := c.Calendar("HO-ALSACE")
	got, ok := cl.Find("METZ")
	require.True(t, ok)
	require.Same(t, alsace, got.Cal)
	require.Equal(t, "HO-ALSACE", got.Name)
	got, ok = cl.Find("LYON")
	require.True(t, ok)
	require.Equal(t, "HO", got.Name, "the default")

	dl := r.Deadline.ByItem
	require.NotNil(t, dl)
	require.Equal(t, Deadline{Open: 8 * time.Hour, Text: "8h"}, dl.Values["PC"])
	require.Equal(t, Deadline{OpenDays: 2, Text: "end_of_open_day(2)"}, dl.Values["ACCOUNT"])
	require.Equal(t, Deadline{Open: 24 * time.Hour, Text: "24h"}, dl.Default)
	require.Len(t, dl.All(), 4)

	strict := mustRule(t, c, "REQ-STRICT")
	require.Equal(t, `attrs["category"] != "" ? attrs["category"] : "PC"`, strict.Deadline.ByItem.Key.Text)
	require.Equal(t, Position{File: "testdata/tables.good.yaml", Line: 30, Column: 14}, strict.Deadline.ByItem.Key.Pos, "the key in the block scalar")

	// The rules' lookups are copies.
	r.Deadline.ByItem.Values["PC"] = Deadline{}
	require.Equal(t, 8*time.Hour, mustRule(t, c, "REQ-DELAY").Deadline.ByItem.Values["PC"].Open)
	tables[0].Values["METZ"] = "HO"
	require.Equal(t, "HO-ALSACE", c.Tables()[0].Values["METZ"])
}

// TestTablesInDigest checks that a table's value is part of the
// contract's meaning.
func TestTablesInDigest(t *testing.T) {
	src := testHead + `calendars: {HO: mon-fri 08:00-18:00}
tables:
  delays: {values: {PC: 8h}, default: 24h}
rules:
  - id: R
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: lookup("delays", kind)
    objective: share(on_time) >= 90%
`
	a, err := Parse([]byte(src), "a.yaml")
	require.NoError(t, err)
	b, err := Parse([]byte(strings.Replace(src, "PC: 8h", "PC: 9h", 1)), "b.yaml")
	require.NoError(t, err)
	require.NotEqual(t, a.Digest(), b.Digest())
	b, err = Parse([]byte(strings.Replace(src, "default: 24h", "default: 25h", 1)), "b.yaml")
	require.NoError(t, err)
	require.NotEqual(t, a.Digest(), b.Digest())
}
