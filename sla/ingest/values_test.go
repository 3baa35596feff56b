package ingest

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestParseBool(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
		ok   bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {"yes", true, true}, {"Y", true, true},
		{"1", true, true}, {"oui", true, true}, {"Oui", true, true}, {"vrai", true, true},
		{"false", false, true}, {"no", false, true}, {"N", false, true}, {"0", false, true},
		{"non", false, true}, {"NON", false, true}, {"faux", false, true},
		{"maybe", false, false}, {"2", false, false}, {"peut-être", false, false},
	} {
		got, err := parseBool(tc.in)
		if !tc.ok {
			require.ErrorIs(t, err, ErrBool, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4.5", "4.5"},
		{"4,5", "4.5"},
		{"0.1", "0.1"},
		{"-2,25", "-2.25"},
		{"1 234,5", "1234.5"},
		{"1\u00a0234,5", "1234.5"},
		{"1\u202f234", "1234"},
		{"1.234,5", "1234.5"},
		{"1,234.5", "1234.5"},
		{"1,234,567.8", "1234567.8"},
		{"12'345.6", "12345.6"},
		{"3", "3"},
		{"1e3", "1000"},
		{"4.0", "4"},
		{"1,2,3", ""},
		{"-1 234 567,25", "-1234567.25"},
		{"+1.234", "1.234"},
		{"1.234.567,5", "1234567.5"},
		{"4 5", ""},       // two values pasted in a cell, not 45
		{"1,2,3.4", ""},   // not 123.4
		{"1.2.3,4", ""},   // not 123.4
		{"12 34,5", ""},   // groups of three
		{"1 2345", ""},    // groups of three
		{"1234 567", ""},  // a first group of four
		{"1 234,5 6", ""}, // a separator in the decimals
		{"1  234", ""},    // an empty group
		{" 234", ""},      // an empty first group
		{"-", ""},
		{"abc", ""},
		{"4.5.6", ""},
		{"", ""},
		{"1e99999", ""},
		{"NaN", ""},
		{"Inf", ""},
		{"0x10", ""},
	} {
		got, err := parseDecimal(tc.in)
		if tc.want == "" {
			require.ErrorIs(t, err, ErrNumber, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.True(t, decimal.RequireFromString(tc.want).Equal(got), "%s: got %s", tc.in, got)
	}
}

func TestParseLevelAndCount(t *testing.T) {
	for in, want := range map[string]int{"2": 2, "L1": 1, "N3": 3, "Level 2": 2, "niveau 1": 1} {
		got, err := parseLevel(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"one", "L", "100"} {
		_, err := parseLevel(bad)
		require.ErrorIs(t, err, ErrNumber, bad)
	}
	for in, want := range map[string]int64{"0": 0, "12": 12, "3.0": 3} {
		got, err := parseCount(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"-1", "1.5", "x", ""} {
		_, err := parseCount(bad)
		require.ErrorIs(t, err, ErrNumber, bad)
	}
}

func TestNormalisePriority(t *testing.T) {
	plain := &compiled{} // no mapping: a priority is read from its leading number
	withMap := &compiled{}
	withMap.priorities, withMap.prioritiesFolded = foldMap(map[string]string{"Urgent": "P1", "Normal": "P3"})
	strict := &compiled{prioritiesStrict: true}
	strict.priorities, strict.prioritiesFolded = foldMap(map[string]string{"High": "P2"})
	for _, tc := range []struct {
		c    *compiled
		in   string
		want string // empty: refused
	}{
		{plain, "1 - Critical", "P1"},
		{plain, "2-High", "P2"},
		{plain, "3 – Moderate", "P3"},
		{plain, "P4", "P4"},
		{plain, "p2", "P2"},
		{plain, "4", "P4"},
		{plain, "04", "P4"},
		{plain, "10", "P10"},
		{plain, "High", ""},
		{plain, "1st", ""},
		{plain, "P", ""},
		{plain, "1234", ""},
		{withMap, "Urgent", "P1"},
		{withMap, "urgent", "P1"},
		{withMap, "NORMAL", "P3"},
		{withMap, "2 - High", "P2"},
		{withMap, "Low", ""},
		{strict, "high", "P2"},
		{strict, "2", ""},
	} {
		got, err := tc.c.normalisePriority(tc.in)
		if tc.want == "" {
			require.ErrorIs(t, err, ErrPriority, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestMissingValues(t *testing.T) {
	c, err := (&Mapping{Columns: Columns{ID: "id", Opened: "o"}}).compile(TicketRecords)
	require.NoError(t, err)
	for _, v := range []string{"", "?", "NULL", "null", "N/A", "n/a"} {
		require.True(t, c.isMissing(v), v)
	}
	for _, v := range []string{"0", "-", "none", "??"} {
		require.False(t, c.isMissing(v), v)
	}
	c, err = (&Mapping{Columns: Columns{ID: "id", Opened: "o"}, Missing: []string{"-", " None "}}).compile(TicketRecords)
	require.NoError(t, err)
	require.True(t, c.isMissing(""), "an empty cell is always missing")
	require.True(t, c.isMissing("-"))
	require.True(t, c.isMissing("NONE"))
	require.False(t, c.isMissing("?"), "a custom list replaces the default one")
}
