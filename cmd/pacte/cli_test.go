package main

import (
	"flag"
	"io"
	"testing"

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
