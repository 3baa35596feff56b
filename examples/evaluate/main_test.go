package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const acme = "../contracts/acme.yaml"

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-contract", acme, "-format", "pdf"},
		{"-contract", acme, "-preset", "glpi", "-mapping", "m.yaml"},
		{"-contract", acme, "-from", "January"},
		{"-contract", acme, "-from", "2027-01"},
		{"-contract", acme, "-preset", "nosuchtool"},
		{"-contract", acme, "extra"},
		{"-nosuchflag"},
		{"-contract", "missing.yaml"},
	} {
		code, _, stderr := runArgs(t, args...)
		require.Equal(t, 2, code, "%v: %s", args, stderr)
		require.NotEmpty(t, stderr)
	}
}

func TestEvaluatesAndWritesEachFormat(t *testing.T) {
	dir := t.TempDir()
	tickets := filepath.Join(dir, "tickets.jsonl")
	require.NoError(t, os.WriteFile(tickets, []byte(
		`{"id":"INC-1","kind":"incident","priority":"P1","opened":"2027-04-05T09:00:00+02:00","resolved":"2027-04-05T11:00:00+02:00"}`+"\n"), 0o644))
	for _, format := range []string{"text", "md", "csv", "json", "html"} {
		out := filepath.Join(dir, "report."+format)
		code, _, stderr := runArgs(t, "-contract", acme, "-tickets", tickets, "-from", "2027-04", "-to", "2027-05", "-format", format, "-o", out)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		require.Contains(t, string(b), "INC-P1", format)
	}
}

func TestRejectedRecordsExitWithOne(t *testing.T) {
	dir := t.TempDir()
	tickets := filepath.Join(dir, "tickets.jsonl")
	require.NoError(t, os.WriteFile(tickets, []byte(
		`{"id":"OK","kind":"incident","priority":"P2","opened":"2027-04-05T09:00:00+02:00","resolved":"2027-04-05T11:00:00+02:00"}`+"\n"+
			`{"id":"BAD","kind":"incident","priority":"P2","opened":"yesterday"}`+"\n"), 0o644))
	code, stdout, stderr := runArgs(t, "-contract", acme, "-tickets", tickets, "-format", "json")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "1 records rejected")
	require.Contains(t, stderr, "tickets.jsonl:2")
	require.True(t, strings.Contains(stdout, `"rejected"`), "the report lists them too")
}

func TestDuplicateIDsAreRejected(t *testing.T) {
	dir := t.TempDir()
	tickets := filepath.Join(dir, "tickets.jsonl")
	row := `{"id":"INC-1","kind":"incident","priority":"P2","opened":"2027-04-05T09:00:00+02:00","resolved":"2027-04-05T11:00:00+02:00"}` + "\n"
	require.NoError(t, os.WriteFile(tickets, []byte(row+row), 0o644))
	code, _, stderr := runArgs(t, "-contract", acme, "-tickets", tickets, "-format", "json")
	require.Equal(t, 1, code)
	require.Contains(t, stderr, "tickets.jsonl:2")
	require.Contains(t, stderr, "INC-1: duplicate id: the record of line 1 has the same id")

	code, _, stderr = runArgs(t, "-contract", acme, "-tickets", tickets, "-format", "json", "-allow-duplicates")
	require.Equal(t, 0, code, stderr)
}
