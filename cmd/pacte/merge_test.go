package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEvalStateMerge: the records split in two by files, evaluated apart
// into states and merged, give the report of one eval of them all, in
// every format.
func TestEvalStateMerge(t *testing.T) {
	dir := t.TempDir()
	const acme = "examples/contracts/acme.yaml"
	asOf := []string{"-asof", "2027-07-01T06:00"}
	tickets := []string{"-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml"}
	others := []string{"-calls", "examples/data/calls.csv", "-outages", "examples/data/outages.csv", "-samples", "examples/data/samples.csv"}
	volumes := []string{"-volumes", "examples/data/volumes.json"}
	part1, part2 := filepath.Join(dir, "tickets.state"), filepath.Join(dir, "others.state")
	for _, part := range []struct {
		args  []string
		state string
	}{{tickets, part1}, {others, part2}} {
		r := run1(t, append(append(append([]string{"eval", acme}, part.args...), asOf...), "-state-out", part.state)...)
		require.Equal(t, 0, r.code, r.stderr)
		require.Empty(t, r.stdout, "with -state-out and no -o, no report")
		info, err := os.Stat(part.state)
		require.NoError(t, err)
		require.Positive(t, info.Size())
	}
	for _, format := range reportFormats {
		t.Run(format, func(t *testing.T) {
			whole := run1(t, append(append(append(append([]string{"eval", acme, "-format", format}, tickets...), others...), volumes...), asOf...)...)
			require.Equal(t, 0, whole.code, whole.stderr)
			for _, order := range [][]string{{part1, part2}, {part2, part1}} {
				merged := run1(t, append(append([]string{"merge", "-format", format}, volumes...), append([]string{acme}, order...)...)...)
				require.Equal(t, 0, merged.code, merged.stderr)
				want, got := whole.stdout, merged.stdout
				if format == "json" {
					require.Contains(t, got, `"provenance"`)
					want, got = withoutProvenance(t, want), withoutProvenance(t, got)
				}
				require.True(t, want == got, "the merged report differs from eval's")
			}
		})
	}
}

// TestMergeVerify: a merged JSON report names its contract, states and
// volumes, and pacte verify merges the states again: identical, until a
// state or a figure changes.
func TestMergeVerify(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples/data"), filepath.Join(dir, "data"))
	copyTree(t, filepath.Join(root, "examples/contracts"), filepath.Join(dir, "contracts"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	for _, part := range [][]string{
		{"-tickets", "data/incidents.csv", "-mapping", "data/servicenow.yaml", "-state-out", "tickets.state"},
		{"-calls", "data/calls.csv", "-state-out", "calls.state"},
	} {
		r := pacteIn(t, dir, append([]string{"eval", "contracts/acme.yaml", "-asof", "2027-07-01T06:00", "-progress", "off"}, part...)...)
		require.Equal(t, 0, r.code, r.stderr)
	}
	r := pacteIn(t, dir, "merge", "-volumes", "data/volumes.json", "-format", "json", "-o", "out/report.json",
		"contracts/acme.yaml", "tickets.state", "calls.state")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(filepath.Join(dir, "out/report.json"))
	require.NoError(t, err)
	validateWithReportSchema(t, data)
	var rep struct {
		Provenance struct {
			Contract map[string]string `json:"contract"`
			Inputs   []map[string]string
			Volumes  string
		}
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	p := rep.Provenance
	require.Equal(t, "../contracts/acme.yaml", p.Contract["path"])
	var roles []string
	for _, in := range p.Inputs {
		roles = append(roles, in["role"]+" "+in["path"])
	}
	require.Equal(t, []string{"state ../tickets.state", "state ../calls.state", "volumes ../data/volumes.json"}, roles)
	require.Len(t, p.Volumes, 64)

	r = pacteIn(t, dir, "verify", "out/report.json")
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "identical")

	// A figure edited: it differs, and no input changed.
	edited := strings.Replace(string(data), `"eligible": 268`, `"eligible": 269`, 1)
	require.True(t, edited != string(data), "no figure to edit")
	writeFile(t, filepath.Join(dir, "out"), "edited.json", edited)
	r = pacteIn(t, dir, "verify", "out/edited.json")
	require.Equal(t, exitFailed, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "No input changed")

	// A state made again of other records: named as changed.
	r = pacteIn(t, dir, "eval", "contracts/acme.yaml", "-calls", "data/calls.csv", "-asof", "2027-06-01T00:00",
		"-progress", "off", "-state-out", "calls.state")
	require.Equal(t, 0, r.code, r.stderr)
	r = pacteIn(t, dir, "verify", "out/report.json")
	require.Contains(t, r.stdout+r.stderr, "state ../calls.state: changed")

	require.NoError(t, os.Remove(filepath.Join(dir, "calls.state")))
	r = pacteIn(t, dir, "verify", "out/report.json")
	require.Equal(t, exitUsage, r.code, r.stderr+r.stdout)
}

// withoutProvenance is a JSON report without its provenance block,
// written again with its keys in order.
func withoutProvenance(t *testing.T, report string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(report), &m))
	delete(m, "provenance")
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return string(out)
}

// TestMergeRefuses: a state of another contract, or damaged, is an input
// error, with a message that says which.
func TestMergeRefuses(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "calls.state")
	r := run1(t, "eval", "examples/contracts/acme.yaml", "-calls", "examples/data/calls.csv", "-state-out", state)
	require.Equal(t, 0, r.code, r.stderr)

	text, err := os.ReadFile(filepath.Join(root, "examples/contracts/acme.yaml"))
	require.NoError(t, err)
	other := filepath.Join(dir, "other.yaml")
	require.NoError(t, os.WriteFile(other, []byte(strings.Replace(string(text), "answer_rate >= 90%", "answer_rate >= 91%", 1)), 0o644))
	r = run1(t, "merge", other, state)
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.stderr, "another contract")

	commented := filepath.Join(dir, "commented.yaml")
	require.NoError(t, os.WriteFile(commented, append([]byte("# a comment changes nothing\n"), text...), 0o644))
	r = run1(t, "merge", commented, state)
	require.Equal(t, 0, r.code, r.stderr)

	damaged := filepath.Join(dir, "damaged.state")
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(damaged, data[:len(data)/2], 0o644))
	r = run1(t, "merge", "examples/contracts/acme.yaml", damaged)
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.stderr, "corrupt evaluator state")
}

// TestMergeRefusesStateTwice: a part given twice (the same file, or a
// copy of it) would count its records twice; merge refuses it, naming
// both files.
func TestMergeRefusesStateTwice(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "calls.state")
	r := run1(t, "eval", "examples/contracts/acme.yaml", "-calls", "examples/data/calls.csv", "-state-out", state)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	copied := filepath.Join(dir, "copy.state")
	require.NoError(t, os.WriteFile(copied, data, 0o644))
	for _, second := range []string{state, copied} {
		out := filepath.Join(dir, "report.txt")
		r = run1(t, "merge", "-o", out, "examples/contracts/acme.yaml", state, second)
		require.Equal(t, exitUsage, r.code, r.stderr)
		require.Contains(t, r.stderr, second+": the same state as "+state)
		_, err := os.Stat(out)
		require.True(t, os.IsNotExist(err), "no report is written")
	}

	// Two parts without records are alike, and merge.
	calls := writeFile(t, dir, "calls.csv", "id,queue,offered\n")
	empty1, empty2 := filepath.Join(dir, "empty1.state"), filepath.Join(dir, "empty2.state")
	for _, st := range []string{empty1, empty2} {
		r = run1(t, "eval", "examples/contracts/acme.yaml", "-calls", calls, "-state-out", st)
		require.Equal(t, 0, r.code, r.stderr)
	}
	r = run1(t, "merge", "examples/contracts/acme.yaml", empty1, empty2, state)
	require.Equal(t, 0, r.code, r.stderr)
}

// TestMergeRefusesOtherSettings: parts evaluated with another report range
// or extraction instant would not add up to one evaluation; merge refuses
// them, naming both files and what differs.
func TestMergeRefusesOtherSettings(t *testing.T) {
	dir := t.TempDir()
	const acme = "examples/contracts/acme.yaml"
	eval := func(name string, settings ...string) string {
		t.Helper()
		state := filepath.Join(dir, name)
		r := run1(t, append([]string{"eval", acme, "-calls", "examples/data/calls.csv", "-state-out", state}, settings...)...)
		require.Equal(t, 0, r.code, r.stderr)
		return state
	}
	tickets := filepath.Join(dir, "tickets.state")
	r := run1(t, "eval", acme, "-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml", "-asof", "2027-07-01T06:00", "-state-out", tickets)
	require.Equal(t, 0, r.code, r.stderr)
	for _, tc := range []struct {
		name     string
		settings []string
		want     string
	}{
		{"no-asof.state", nil, "the extraction instant is 2027-07-01T06:00:00+02:00 in the evaluator merged into, none in the one merged"},
		{"later.state", []string{"-asof", "2027-07-02T06:00"}, "the extraction instant is 2027-07-01T06:00:00+02:00 in the evaluator merged into, 2027-07-02T06:00:00+02:00 in the one merged"},
		{"range.state", []string{"-asof", "2027-07-01T06:00", "-from", "2027-05", "-to", "2027-06"}, "the report range is [none, none) in the evaluator merged into, [2027-05-01T00:00:00+02:00, 2027-06-01T00:00:00+02:00) in the one merged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			part := eval(tc.name, tc.settings...)
			out := filepath.Join(dir, "report.txt")
			r := run1(t, "merge", "-o", out, acme, tickets, part)
			require.Equal(t, exitUsage, r.code, r.stderr)
			require.Contains(t, r.stderr, part+" merged into "+tickets+": sla: cannot merge evaluators with other settings: "+tc.want+"; the parts of one report are evaluated with the same -from, -to and -asof")
			_, err := os.Stat(out)
			require.True(t, os.IsNotExist(err), "no report is written")
		})
	}
	same := eval("same.state", "-asof", "2027-07-01T06:00")
	r = run1(t, "merge", acme, tickets, same)
	require.Equal(t, 0, r.code, r.stderr)
}
