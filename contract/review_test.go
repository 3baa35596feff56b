package contract

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
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

// Regression test of a bug: an index value of 0 (a month not yet
// published, typed as 0) revised every price to its fixed part, 15 % of
// it, and a negative one below; only the base index was checked. The file
// refuses such a value, and the caller's revises nothing, with a warning.
func TestRevisionIndexNotPositive(t *testing.T) {
	head := `contract: Test
term: {start: 2027-01-01, end: 2029-12-31}
timezone: Europe/Paris
work_units:
  F: {fixed: 1000.00}
revision: {index: IDX, fixed: 0.15, indexed: 0.85, base: 2026-12, reference_month: 12, from: 2027-07-01}
`
	_, err := Parse([]byte(head+"indices: {IDX: {2026-12: 85, 2027-12: 0}}\n"), "test.yaml")
	require.ErrorContains(t, err, "test.yaml:7:39: index IDX of 2027-12 must be above 0, found 0")

	c := mustParse(t, head+"indices: {IDX: {2026-12: 85}}\n")
	for _, s := range []string{"0", "-3"} {
		inv, err := c.Invoice(c.PeriodOf(Month, time.Date(2028, 7, 1, 0, 0, 0, 0, c.Location())), nil, Indices{"IDX": {"2027-12": decimal.RequireFromString(s)}})
		require.NoError(t, err)
		require.Equal(t, "1000", inv.Lines[0].Amount.String(), "index %s", s)
		require.Equal(t, []string{"prices not revised on 2028-07-01: the IDX index of 2027-12 is not positive"}, inv.Warnings)
	}
}
