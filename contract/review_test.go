package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Regression test of a bug: a table's row for the empty key (a ticket
// without the attribute) was stored where the default is, so it was lost:
// without a default the empty key had no value, with one it had the
// default's. The empty key is a key like the others.
func TestTableRowOfTheEmptyKey(t *testing.T) {
	for _, def := range []string{"", "\n    default: 24h"} {
		c := mustParse(t, testHead+`calendars: {HO: mon-fri 08:00-18:00, HE: mon-sat 07:00-20:00}
tables:
  delay:
    values: {PC: 8h, "": 4h}`+def+`
  site:
    values: {LYON: HO, "": HE}
rules:
  - id: R
    source: tickets
    clock: {start: opened, stop: resolved, calendar: 'lookup("site", attrs["site"])'}
    deadline: lookup("delay", category)
    objective: share(on_time) >= 90%
`)
		r := mustRule(t, c, "R")
		got, ok := r.Deadline.ByItem.Find("")
		require.True(t, ok, "default %q", def)
		require.Equal(t, 4*time.Hour, got.Open, "default %q", def)
		cal, ok := r.Clock.ByItem.Find("")
		require.True(t, ok)
		require.Equal(t, "HE", cal.Name)
	}
}
