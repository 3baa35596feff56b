package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args, pos []string
		v         bool
		run       string
	}{
		{[]string{"a.yaml", "-v"}, []string{"a.yaml"}, true, ""},
		{[]string{"-run", "P1", "a.yaml", "b.yaml", "-v"}, []string{"a.yaml", "b.yaml"}, true, "P1"},
		{[]string{"a.yaml", "--", "-v"}, []string{"a.yaml", "-v"}, false, ""},
		{[]string{"-v", "--", "-run", "x"}, []string{"-run", "x"}, true, ""},
		{nil, nil, false, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		v := fs.Bool("v", false, "")
		run := fs.String("run", "", "")
		pos, err := parseInterspersed(fs, tc.args)
		require.NoError(t, err, tc.args)
		require.Equal(t, tc.pos, pos, tc.args)
		require.Equal(t, tc.v, *v, tc.args)
		require.Equal(t, tc.run, *run, tc.args)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	_, err := parseInterspersed(fs, []string{"a", "-x"})
	require.ErrorAs(t, err, new(usageError))
	_, err = parseInterspersed(fs, []string{"a", "-h"})
	require.ErrorIs(t, err, flag.ErrHelp)
}

func TestParseSweep(t *testing.T) {
	p, err := parseSweep("agents=10,12")
	require.NoError(t, err)
	require.Equal(t, "agents", p.Name)
	require.Equal(t, []string{"10", "12"}, p.Values)
	p, err = parseSweep("restore:incident:P1=1h30min, 4h")
	require.NoError(t, err)
	require.Equal(t, "incident P1 restore median", p.Name)
	require.Equal(t, []string{"1h30m0s", "4h0m0s"}, p.Values)
	p, err = parseSweep("volume=0.8,1.2")
	require.NoError(t, err)
	require.Len(t, p.Values, 2)
	for _, bad := range []string{"agents", "agents=", "agents=0", "volume=-1", "restore:incident=2h", "restore:incident:P1=2 days", "staff=3"} {
		_, err := parseSweep(bad)
		require.Error(t, err, bad)
	}
}

// The instants of -asof, -at, -from and -to: local times in the
// contract's zone, the hour repeated when clocks go back read as its
// first occurrence (as the readers of exports read it), or RFC 3339 with
// or without seconds.
func TestInstant(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, c := range []struct{ in, want string }{
		{"2027-07-01T06:00", "2027-07-01T06:00:00+02:00"},
		{"2027-07-01 06:00", "2027-07-01T06:00:00+02:00"},
		{"2027-07-01T06:00:30", "2027-07-01T06:00:30+02:00"},
		{"2027-07-01", "2027-07-01T00:00:00+02:00"},
		{"2027-10-31T02:30", "2027-10-31T02:30:00+02:00"}, // first of the two 02:30
		{"2027-10-31T03:30", "2027-10-31T03:30:00+01:00"},
		{"2027-03-28T02:30", "2027-03-28T03:30:00+02:00"}, // skipped: Go's reading, an hour on
		{"2027-07-01T04:00:00Z", "2027-07-01T06:00:00+02:00"},
		{"2027-07-01T04:00Z", "2027-07-01T06:00:00+02:00"},
		{"2027-10-31T02:30+01:00", "2027-10-31T02:30:00+01:00"}, // the second, named by its offset
	} {
		got, err := instant(c.in, paris)
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got.Format(time.RFC3339), c.in)
	}
	for _, bad := range []string{"2027-13-01", "01/07/2027", "2027-07-01T06"} {
		_, err := instant(bad, paris)
		require.Error(t, err, bad)
	}
}
