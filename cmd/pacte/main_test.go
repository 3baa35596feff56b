package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/internal/schematest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the pacte command, built once for every test.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pacte-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "pacte")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// root is the repository's root, where the examples of the usage run.
var root, _ = filepath.Abs("../..")

// result is what a run of the binary gave.
type result struct {
	code           int
	stdout, stderr string
}

// pacteIn runs the binary in dir ("" for the repository's root).
func pacteIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = root
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code, out.String(), errOut.String()}
}

func run1(t *testing.T, args ...string) result {
	t.Helper()
	return pacteIn(t, "", args...)
}

// The sample data's arguments of eval, and the reference contract.
var (
	acme       = "examples/contracts/acme.yaml"
	sampleData = []string{"-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml",
		"-calls", "examples/data/calls.csv", "-outages", "examples/data/outages.csv", "-samples", "examples/data/samples.csv",
		"-volumes", "examples/data/volumes.json", "-asof", "2027-07-01T06:00"}
)

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "eval"}, {"eval", "-h"}, {"test", "-help"}, {"simulate", "-h"},
		{"check", "-h"}, {"calendar", "-h"}, {"help", "version"}, {"verify", "-h"}} {
		r := run1(t, args...)
		require.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
		require.Contains(t, r.stdout, "pacte", args)
		require.Empty(t, r.stderr, args)
	}
	r := run1(t, "eval", "-h")
	assert.True(t, strings.HasPrefix(r.stdout, "usage: pacte eval [flags] CONTRACT\n"), r.stdout)
	assert.Contains(t, r.stdout, "-allow-duplicates")
	assert.Contains(t, run1(t, "help").stdout, "simulate  draw many runs")
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "The commands are"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"help", "nosuch"}, `unknown command "nosuch"`},
		{[]string{"eval", "-nosuchflag", acme}, "flag provided but not defined: -nosuchflag"},
		{[]string{"eval", "-tickets", "x.csv"}, "the contract file is missing"},
		{[]string{"eval", acme}, "no records to evaluate"},
		{[]string{"eval", acme, "other.yaml", "-tickets", "x.csv"}, "one contract at a time"},
		{[]string{"version", "extra"}, `unexpected argument "extra"`},
		{[]string{"test"}, "no test file given"},
		{[]string{"check"}, "no file to check"},
		{[]string{"verify"}, "the report file is missing"},
		{[]string{"simulate", acme}, "want a contract and a scenario"},
	} {
		r := run1(t, tc.args...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, tc.want, tc.args)
		require.Empty(t, r.stdout, tc.args)
	}
}

// Flags are checked before any work: a bad flag is reported even though
// the contract named does not exist.
func TestFlagsCheckedBeforeWork(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-format", "pdf"}, `-format "pdf"`},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-locale", "de"}, `-locale "de"`},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-from", "2027-13"}, "-from: write 2027-01"},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-from", "2027-05", "-to", "2027-04"}, "must come after -from"},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-from", "2027-05"}, "-from and -to go together"},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-asof", "yesterday"}, "-asof: write"},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-preset", "nosuchtool"}, `unknown preset "nosuchtool"`},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-preset", "glpi", "-mapping", "m.yaml"}, "exclusive"},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-progress", "maybe"}, `-progress "maybe"`},
		{[]string{"eval", "missing.yaml", "-tickets", "missing.csv", "-o", "no/such/folder/report.txt"}, "does not exist"},
		{[]string{"simulate", "missing.yaml", "missing.yaml", "-runs", "0"}, "-runs 0"},
		{[]string{"simulate", "missing.yaml", "missing.yaml", "-format", "csv"}, `-format "csv"`},
		{[]string{"simulate", "missing.yaml", "missing.yaml", "-sweep", "agents=x"}, `-sweep "agents=x"`},
		{[]string{"test", "missing_test.yaml", "-run", "("}, "-run: error parsing regexp"},
		{[]string{"check", "missing.yaml", "-as", "poem"}, `-as "poem"`},
		{[]string{"calendar", "-contract", "missing.yaml", "HE", "2027-03-01", "-format", "xml"}, `-format "xml"`},
	} {
		r := run1(t, tc.args...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, tc.want, tc.args)
		require.Contains(t, r.stderr, "Run 'pacte help ", tc.args)
		require.NotContains(t, r.stderr, "missing.yaml", tc.args)
	}
}

func TestEvalSampleData(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	r := run1(t, append([]string{"eval", acme, "-format", "json", "-o", out, "-progress", "off"}, sampleData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stdout, "the report goes to -o")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var rep struct {
		Periods []struct{ Period string } `json:"periods"`
		Totals  struct {
			Penalties string `json:"penalties"`
		} `json:"totals"`
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	require.Len(t, rep.Periods, 3)
	require.Equal(t, "2027-04", rep.Periods[0].Period)
	require.NotEqual(t, "0.00", rep.Totals.Penalties)
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file is left beside the report")

	// A device is written to, not replaced.
	r = run1(t, append([]string{"eval", acme, "-format", "html", "-o", os.DevNull}, sampleData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	st, err := os.Stat(os.DevNull)
	require.NoError(t, err)
	require.NotZero(t, st.Mode()&os.ModeDevice, "%s is still a device", os.DevNull)

	r = run1(t, append([]string{"eval", acme, "-locale", "fr"}, sampleData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "ACME Industrie")
	require.Contains(t, r.stdout, "2027-06")
}

// TestEvalOnlyTheFilesGiven: the rules of a source whose file was not
// given have no data, rather than "100 % met" without the outages.
func TestEvalOnlyTheFilesGiven(t *testing.T) {
	r := run1(t, "eval", acme, "-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml",
		"-asof", "2027-07-01T06:00", "-format", "csv", "-progress", "off")
	require.Equal(t, 0, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	statuses := map[string]string{}
	for _, cells := range rows[1:] {
		statuses[cells[2]] = cells[5]
	}
	require.Equal(t, "no_data", statuses["AVAIL-ERP"], r.stdout)
	require.Equal(t, "no_data", statuses["TEL-ANSWER"], r.stdout)
	require.NotEqual(t, "no_data", statuses["INC-P1"], r.stdout)
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func TestEvalRejectedRecordsExitOne(t *testing.T) {
	dir := t.TempDir()
	tickets := writeFile(t, dir, "tickets.jsonl",
		`{"id":"OK","kind":"incident","priority":"P2","opened":"2027-04-05T09:00:00+02:00","resolved":"2027-04-05T11:00:00+02:00"}`+"\n"+
			`{"id":"BAD","kind":"incident","priority":"P2","opened":"yesterday"}`+"\n"+
			`{"id":"OK","kind":"incident","priority":"P2","opened":"2027-04-05T09:00:00+02:00","resolved":"2027-04-05T11:00:00+02:00"}`+"\n")
	r := run1(t, "eval", acme, "-tickets", tickets, "-format", "json")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "2 records rejected:")
	require.Contains(t, r.stderr, "tickets.jsonl:2")
	require.Contains(t, r.stderr, "tickets.jsonl:3 OK")
	require.Contains(t, r.stdout, `"rejected"`, "the report is written, and lists them")

	r = run1(t, "eval", acme, "-tickets", tickets, "-allow-duplicates")
	require.Equal(t, 1, r.code, "the unreadable row is still rejected")
	require.Contains(t, r.stderr, "1 record rejected:")
}

// -encoding reads a file saved again by Excel in Windows-1252, with a
// preset that reads UTF-8, and verify reads it the same way again.
func TestEvalEncoding(t *testing.T) {
	dir := t.TempDir()
	tickets := writeFile(t, dir, "tickets.csv", "id,kind,priority,opened,resolved,status\n"+
		"INC1,incident,P2,2027-04-05 09:00,2027-04-05 11:00,R\xe9solu\n")
	r := run1(t, "eval", acme, "-tickets", tickets, "-progress", "off")
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "Windows-1252")

	out := filepath.Join(dir, "report.json")
	r = run1(t, "eval", acme, "-tickets", tickets, "-encoding", "windows-1252", "-format", "json", "-o", out, "-progress", "off")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Contains(t, string(data), `"encoding": "windows-1252"`, "the provenance's settings")
	r = run1(t, "verify", out)
	require.Equal(t, 0, r.code, r.stderr+r.stdout)

	r = run1(t, "eval", acme, "-tickets", tickets, "-encoding", "ebcdic")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, `-encoding: unknown encoding "ebcdic"`)
}

// An input that cannot be read at all is exit status 2, with no report:
// nothing on standard output, -o neither created nor changed.
func TestEvalUnreadableInputExitTwo(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.csv", "")
	header := writeFile(t, dir, "header.csv", "foo,bar\n1,2\n3,4\n")
	calls := writeFile(t, dir, "calls.csv", "name;when\nx;y\n")
	existing := writeFile(t, dir, "existing.txt", "the previous report\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tickets", dir}, "is a folder"},
		{[]string{"-tickets", empty}, "is empty"},
		{[]string{"-tickets", filepath.Join(dir, "missing.csv")}, "no such file"},
		{[]string{"-tickets", header}, `bad header: no column "id"`},
		{[]string{"-tickets", header, "-preset", "servicenow-incident"}, `no column "number"`},
		{[]string{"-tickets", "examples/data/incidents.csv", "-preset", "servicenow-incident", "-calls", calls}, "bad header"},
		{[]string{"-tickets", "examples/data/incidents.csv", "-volumes", header}, "header.csv"},
	} {
		for _, out := range []string{filepath.Join(dir, "new.txt"), existing} {
			r := run1(t, append([]string{"eval", acme, "-o", out}, tc.args...)...)
			require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
			require.Contains(t, r.stderr, tc.want, tc.args)
			require.NotContains(t, r.stderr, "rejected", tc.args)
			require.Empty(t, r.stdout)
			_, err := os.Stat(filepath.Join(dir, "new.txt"))
			require.True(t, os.IsNotExist(err), "nothing is written to -o when the run fails")
			data, err := os.ReadFile(existing)
			require.NoError(t, err)
			require.Equal(t, "the previous report\n", string(data))
		}
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "no temporary file is left behind")
}

// A file that cannot be read to its end is named in the error, with the
// line where reading stopped, so that the user knows which of the files
// given to fix.
func TestEvalUnreadableInputNamesFile(t *testing.T) {
	dir := t.TempDir()
	calls := writeFile(t, dir, "calls.csv", "name;when\nx;y\n")
	r := run1(t, "eval", acme, "-tickets", "examples/data/incidents.csv", "-preset", "servicenow-incident", "-calls", calls)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, calls+":1: reading stopped before the end of the input")
	require.Contains(t, r.stderr, "bad header")
}

// The report and the state are written over no file the run reads, nor
// over each other: a slip on the command line must not replace the
// month's export, or the state, with a report. It is a usage error, and
// every file stays as it was.
func TestEvalOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(root, "examples/data/calls.csv"))
	require.NoError(t, err)
	calls := writeFile(t, dir, "calls.csv", string(data))
	contractText, err := os.ReadFile(filepath.Join(root, acme))
	require.NoError(t, err)
	contractFile := writeFile(t, dir, "acme.yaml", string(contractText))
	state := filepath.Join(dir, "calls.state")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", calls}, "-o " + calls + " is the file of -calls"},
		{[]string{"-o", filepath.Join(dir, ".", "calls.csv")}, "is the file of -calls"},
		{[]string{"-o", contractFile}, "is the contract file"},
		{[]string{"-state-out", calls}, "-state-out " + calls + " is the file of -calls"},
		{[]string{"-state-out", state, "-o", state}, "-o and -state-out name the same file"},
	} {
		r := run1(t, append([]string{"eval", contractFile, "-calls", calls}, tc.args...)...)
		require.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, tc.want, tc.args)
		now, err := os.ReadFile(calls)
		require.NoError(t, err)
		require.Equal(t, string(data), string(now), "the export is left as it was")
		now, err = os.ReadFile(contractFile)
		require.NoError(t, err)
		require.Equal(t, string(contractText), string(now))
		_, err = os.Stat(state)
		require.True(t, os.IsNotExist(err))
	}

	r := run1(t, "eval", contractFile, "-calls", calls, "-state-out", state)
	require.Equal(t, 0, r.code, r.stderr)
	stateData, err := os.ReadFile(state)
	require.NoError(t, err)
	r = run1(t, "merge", "-o", state, contractFile, state)
	require.Equal(t, exitUsage, r.code, r.stderr)
	require.Contains(t, r.stderr, "-o "+state+" is a state merged")
	now, err := os.ReadFile(state)
	require.NoError(t, err)
	require.Equal(t, stateData, now)
}

// A report written over an earlier one keeps that file's permissions: a
// report kept private (0600) does not become readable by all.
func TestEvalOutputKeepsMode(t *testing.T) {
	dir := t.TempDir()
	out := writeFile(t, dir, "report.txt", "the previous report\n")
	require.NoError(t, os.Chmod(out, 0o600))
	r := run1(t, "eval", acme, "-calls", "examples/data/calls.csv", "-o", out)
	require.Equal(t, 0, r.code, r.stderr)
	st, err := os.Stat(out)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NotEqual(t, "the previous report\n", string(data))
}

func TestEvalBadContractExitTwo(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(root, acme))
	require.NoError(t, err)
	bad := writeFile(t, dir, "acme.yaml", strings.Replace(string(data), `priority == "P1"`, `priorty == "P1"`, 1))
	r := run1(t, "eval", bad, "-tickets", "examples/data/incidents.csv", "-preset", "servicenow-incident")
	require.Equal(t, 2, r.code)
	require.Regexp(t, `acme\.yaml:\d+:\d+: rule INC-P1, scope: unknown name priorty`, r.stderr)
	require.Contains(t, r.stderr, `did you mean "priority"?`)
}

func TestTestCommand(t *testing.T) {
	r := run1(t, "test", "examples/contracts/acme_test.yaml")
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	require.Regexp(t, `^ok   examples/contracts/acme_test\.yaml: \d+ cases passed`, r.stdout)

	r = run1(t, "test", "examples/contracts/acme_test.yaml", "-run", "^INC-P2", "-v")
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	require.Contains(t, r.stdout, "--- PASS: INC-P2 17 of 20 is 85 %")
	require.NotContains(t, r.stdout, "INC-P1")

	r = run1(t, "test", "examples/contracts/acme_test.yaml", "-run", "nothing matches this")
	require.Equal(t, 0, r.code)
	require.Contains(t, r.stdout, "no case matches")
}

// pacte test fails on a changed clause, and says where and why.
func TestTestFailsOnAChangedClause(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(root, acme))
	require.NoError(t, err)
	changed := strings.Replace(string(data), "per_item: 'elapsed > 8h ? 150 * ceil((elapsed - 8h) / 1h) : 0'",
		"per_item: 'elapsed > 8h ? 160 * ceil((elapsed - 8h) / 1h) : 0'", 1)
	require.NotEqual(t, string(data), changed)
	writeFile(t, dir, "acme.yaml", changed)
	tests, err := os.ReadFile(filepath.Join(root, "examples/contracts/acme_test.yaml"))
	require.NoError(t, err)
	writeFile(t, dir, "acme_test.yaml", string(tests))

	r := pacteIn(t, dir, "test", "acme_test.yaml")
	require.Equal(t, 1, r.code, r.stdout+r.stderr)
	require.Contains(t, r.stdout, "--- FAIL: INC-P1 two missed below 20 is breached")
	require.Regexp(t, `acme_test\.yaml:\d+:\d+: 2027-04 INC-P1 raw_penalty: want 840\.00 \(3% \* 18000 \+ 2 \* 150\), got 860\.00`, r.stdout)
	require.Contains(t, r.stdout, "2 missed; achieved 2 against <= 1", "the trace of the figure")
	require.Regexp(t, `FAIL acme_test\.yaml: \d+ of \d+ cases failed`, r.stdout)
}

func TestTestUnreadableFileExitTwo(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad_test.yaml", "contract: "+filepath.Join(root, acme)+"\ncases:\n  - name: a case\n    tickets:\n      - {id: T, opened: 2027-04-31 09:00}\n    expect: [{period: 2027-04, rules: {INC-P9: {eligible: 1}}}]\n")
	r := run1(t, "test", bad)
	require.Equal(t, 2, r.code, r.stdout)
	require.Contains(t, r.stderr, "bad_test.yaml:5:25: opened: \"2027-04-31\" is not a date and time")
	require.Contains(t, r.stderr, `bad_test.yaml:6:40: the contract has no rule "INC-P9"`)
	require.NotContains(t, r.stderr, "errors:", "each error on its own")
	r = run1(t, "test", dir)
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "is a folder")
}

func TestCheck(t *testing.T) {
	r := run1(t, "check", acme, "examples/contracts/acme_test.yaml", "examples/scenarios/acme.yaml", "examples/data/servicenow.yaml")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"acme.yaml: contract", "acme_test.yaml: clause tests", "scenarios/acme.yaml: scenario", "servicenow.yaml: mapping of tickets"} {
		require.Contains(t, r.stdout, want)
	}
	require.Contains(t, r.stderr, "warning: calendar HNO is not used by any rule")

	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(root, acme))
	require.NoError(t, err)
	bad := writeFile(t, dir, "acme.yaml", strings.Replace(strings.Replace(string(data), `priority == "P1"`, `priorty == "P1"`, 1), "deadline: 30min", "deadline: 30 minutes", 1))
	r = run1(t, "check", bad, "examples/data/servicenow.yaml")
	require.Equal(t, 1, r.code)
	require.Regexp(t, `acme\.yaml:\d+:\d+: rule INC-P1, scope: unknown name priorty`, r.stderr)
	require.Regexp(t, `acme\.yaml:\d+:\d+: rule ACK, deadline`, r.stderr, "every error at once")
	require.Contains(t, r.stderr, "1 of 2 files with errors")
	require.Contains(t, r.stdout, "servicenow.yaml: mapping of tickets, ok")

	r = run1(t, "check", dir)
	require.Equal(t, 2, r.code)
}

// check and test read at most the limit of the files they read, and one
// byte more: /dev/zero, which never ends, is refused for its size (check
// read it whole, until the machine ran out of memory).
func TestCheckReadsAtMostTheLimit(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	r := run1(t, "check", "/dev/zero")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "/dev/zero:1:1: file has more than 4194304 bytes, the most a contract may have")
	r = run1(t, "check", "-as", "tests", "/dev/zero")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "/dev/zero:1:1: file has more than 4194304 bytes, the most a test file may have")
	r = run1(t, "test", "/dev/zero")
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "/dev/zero:1:1: file has more than 4194304 bytes, the most a test file may have")
}

func TestCalendar(t *testing.T) {
	r := run1(t, "calendar", "-contract", acme, "HE", "Mon 2027-03-01 08:00", "Wed 2027-03-03 10:00")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "open time     28h\n")

	r = run1(t, "calendar", "-contract", acme, "HO", "Fri 2027-04-30 16:00", "+8h", "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var got calendarAnswer
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	require.Equal(t, "2027-05-03T15:00:00+02:00", got.Deadline.Format(time.RFC3339), "1 May is a Saturday")

	r = run1(t, "calendar", "-contract", acme, "HE", "Tue 2027-03-07 08:00")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "2027-03-07 is a Sunday, not a Tuesday")
}

func TestVersion(t *testing.T) {
	r := run1(t, "version")
	require.Equal(t, 0, r.code)
	require.Regexp(t, `^pacte \S+ \(go`, r.stdout)
}

func TestSimulate(t *testing.T) {
	r := run1(t, "simulate", acme, "cmd/pacte/testdata/month.yaml", "-runs", "20", "-progress", "off")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "Tender risk: ACME Industrie")
	require.Contains(t, r.stdout, "20 runs, seed 1")
	require.Contains(t, r.stderr, "pacte simulate: 20 runs in ")

	r2 := run1(t, "simulate", acme, "cmd/pacte/testdata/month.yaml", "-runs", "20", "-workers", "1", "-format", "json", "-sweep", "agents=1,3")
	require.Equal(t, 0, r2.code, r2.stderr)
	var out struct {
		Result      struct{ Runs int }
		Sensitivity struct{ Points []any }
	}
	require.NoError(t, json.Unmarshal([]byte(r2.stdout), &out))
	require.Equal(t, 20, out.Result.Runs)
	require.Len(t, out.Sensitivity.Points, 2)

	html := filepath.Join(t.TempDir(), "risk.html")
	r = run1(t, "simulate", acme, "cmd/pacte/testdata/month.yaml", "-runs", "5", "-format", "html", "-o", html, "-sweep", "restore:incident:P1=1h,3h")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(html)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(data), "<!DOCTYPE html>"))
	require.Contains(t, string(data), "<svg")
}

// An interrupted run exits with 130 and says so, not "done".
func TestInterruptedExits130(t *testing.T) {
	cmd := exec.Command(binary, "simulate", acme, "cmd/pacte/testdata/month.yaml", "-runs", "10000000", "-progress", "on", "-o", filepath.Join(t.TempDir(), "risk.txt"))
	cmd.Dir = root
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	// The progress line shows once the run has gone a second: the signal
	// handler is in place by then.
	br := bufio.NewReader(stderr)
	var seen bytes.Buffer
	for !strings.Contains(seen.String(), "runs in") {
		b, err := br.ReadByte()
		require.NoError(t, err, seen.String())
		seen.WriteByte(b)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	rest, _ := readAll(br)
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	all := seen.String() + rest
	require.Equal(t, 130, exit.ExitCode(), all)
	require.Contains(t, all, "pacte simulate: interrupted")
	require.Contains(t, all, ", interrupted")
	require.NotContains(t, all, "done")
}

func readAll(r *bufio.Reader) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r)
	return b.String(), err
}

// examples lists the commands of a usage text, one per line that starts
// with "  pacte ", split as a shell splits them (double quotes only).
func examples(usage string) [][]string {
	var out [][]string
	for _, line := range strings.Split(usage, "\n") {
		if cmd, ok := strings.CutPrefix(line, "  pacte "); ok {
			out = append(out, shellSplit(cmd))
		}
	}
	return out
}

func shellSplit(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, started := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, started = !quoted, true
		case r == ' ' && !quoted:
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

// exampleDir is a folder that sees the repository's examples, so that the
// examples run as written and what they write lands in a temporary folder.
func exampleDir(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.Symlink(filepath.Join(root, "examples"), filepath.Join(dir, "examples")))
	return dir
}

// Every example of every command's usage runs as written, from the root
// of the repository.
func TestUsageExamplesRun(t *testing.T) {
	dir := exampleDir(t)
	n := 0
	for _, c := range commands() {
		list := examples(c.usage)
		require.NotEmpty(t, list, "the usage of %s has examples", c.name)
		for _, args := range list {
			n++
			r := pacteIn(t, dir, args...)
			require.Equal(t, 0, r.code, "pacte %s\n%s", strings.Join(args, " "), r.stderr)
			written := false
			for _, flag := range []string{"-o", "-state-out"} {
				if i := slices.Index(args, flag); i >= 0 {
					_, err := os.Stat(filepath.Join(dir, args[i+1]))
					require.NoError(t, err, "pacte %s writes %s", strings.Join(args, " "), args[i+1])
					written = true
				}
			}
			if !written {
				require.NotEmpty(t, r.stdout, "pacte %s", strings.Join(args, " "))
			}
		}
	}
	require.GreaterOrEqual(t, n, 10)
}

var readmeCommand = regexp.MustCompile(`(?m)^go run \./cmd/pacte (.*)$`)

// Every pacte command of the README runs as written from the repository's
// root, to exit status 0: the lines that start with "go run ./cmd/pacte"
// (a line that starts with "$ " shows a session, with its output, and
// may show an error on purpose).
func TestREADMECommandsRun(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	text := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(string(data), " ") // lines continued with a backslash
	matches := readmeCommand.FindAllStringSubmatch(text, -1)
	if len(matches) == 0 {
		t.Skip("the README runs no pacte command")
	}
	dir := exampleDir(t)
	for _, m := range matches {
		line := strings.TrimSpace(strings.SplitN(m[1], " #", 2)[0])
		r := pacteIn(t, dir, shellSplit(line)...)
		require.Equal(t, 0, r.code, "go run ./cmd/pacte %s\n%s", line, r.stderr)
	}
}

// copyTree copies the files of a folder into another.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.CopyFS(to, os.DirFS(from)))
}

// TestVerify: a JSON report of eval carries its provenance (paths
// relative to the report's folder), and verify makes it again: identical
// on the same inputs (a report of another pacte version is named, and
// still compared); on a changed input, the input and the figures that
// differ, exit status 1; a report without provenance is exit status 2.
func TestVerify(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples/data"), filepath.Join(dir, "data"))
	copyTree(t, filepath.Join(root, "examples/contracts"), filepath.Join(dir, "contracts"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	r := pacteIn(t, dir, "eval", "contracts/acme.yaml", "-tickets", "data/incidents.csv", "-mapping", "data/servicenow.yaml",
		"-calls", "data/calls.csv", "-outages", "data/outages.csv", "-volumes", "data/volumes.json", "-asof", "2027-07-01T06:00",
		"-format", "json", "-o", "out/report.json", "-progress", "off")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(filepath.Join(dir, "out/report.json"))
	require.NoError(t, err)
	var rep struct {
		Provenance struct {
			Pacte    string            `json:"pacte"`
			Contract map[string]string `json:"contract"`
			Inputs   []map[string]string
			Volumes  string
			Settings map[string]string
		}
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	p := rep.Provenance
	require.Equal(t, "../contracts/acme.yaml", p.Contract["path"])
	require.Len(t, p.Inputs, 5)
	require.Equal(t, map[string]string{"role": "tickets", "path": "../data/incidents.csv", "sha256": p.Inputs[0]["sha256"]}, p.Inputs[0])
	require.Len(t, p.Volumes, 64)
	require.Equal(t, map[string]string{"asof": "2027-07-01T06:00"}, p.Settings)
	validateWithReportSchema(t, data)

	r = pacteIn(t, dir, "verify", "out/report.json")
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "identical")

	// From elsewhere, the paths are still the report's folder's.
	r = pacteIn(t, filepath.Join(dir, "out"), "verify", "report.json")
	require.Equal(t, 0, r.code, r.stderr+r.stdout)

	older := strings.Replace(string(data), `"pacte": "`+p.Pacte+`"`, `"pacte": "v0.0.1"`, 1)
	writeFile(t, filepath.Join(dir, "out"), "older.json", older)
	r = pacteIn(t, dir, "verify", "out/older.json")
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "was made by pacte v0.0.1")
	require.Contains(t, r.stdout, "identical")

	// A P1 incident resolved two days later.
	tickets := filepath.Join(dir, "data/incidents.csv")
	csv, err := os.ReadFile(tickets)
	require.NoError(t, err)
	changed := strings.Replace(string(csv), "2027-04-21 14:38:00,2027-04-22 14:38:00", "2027-04-23 14:38:00,2027-04-23 15:38:00", 1)
	require.NotEqual(t, string(csv), changed)
	require.NoError(t, os.WriteFile(tickets, []byte(changed), 0o644))
	r = pacteIn(t, dir, "verify", "out/report.json")
	require.Equal(t, 1, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "tickets ../data/incidents.csv: changed")
	require.NotContains(t, r.stdout, "calls ../data/calls.csv")
	require.Contains(t, r.stdout, "periods 2027-04 penalties: 150.00, now 4730.82")
	require.Contains(t, r.stdout, "periods 2027-04 rules INC-P1 status: met, now breached")

	delete := strings.Replace(string(data), `"provenance"`, `"elsewhere"`, 1)
	writeFile(t, filepath.Join(dir, "out"), "bare.json", delete)
	r = pacteIn(t, dir, "verify", "out/bare.json")
	require.Equal(t, 2, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stderr, "no provenance")
}

// A provenance naming a preset this pacte does not know (a report of a
// later version, or edited) is refused by name, not read with pacte's own
// format as if no preset had been given.
func TestVerifyUnknownPreset(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples/data"), filepath.Join(dir, "data"))
	copyTree(t, filepath.Join(root, "examples/contracts"), filepath.Join(dir, "contracts"))
	r := pacteIn(t, dir, "eval", "contracts/acme.yaml", "-tickets", "data/incidents.csv", "-preset", "servicenow-incident",
		"-from", "2027-04", "-to", "2027-05", "-format", "json", "-o", "report.json", "-progress", "off")
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	edited := strings.Replace(string(data), `"preset": "servicenow-incident"`, `"preset": "servicenow-incidents"`, 1)
	require.NotEqual(t, string(data), edited)
	writeFile(t, dir, "edited.json", edited)
	r = pacteIn(t, dir, "verify", "edited.json")
	require.Equal(t, 2, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stderr, `unknown preset "servicenow-incidents"`)
	require.NotContains(t, r.stderr, "bad header")
}

// A report with rejected rows is identical to itself wherever verify runs
// from: the rejected rows name their file as eval was given it, which
// verify, reading the files from the report's folder, spells otherwise.
func TestVerifyRejectedFromAnotherFolder(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples/contracts"), filepath.Join(dir, "contracts"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
	writeFile(t, dir, "tickets.csv", "number,priority,opened_at,resolved_at,state\n"+
		"INC1,1 - Critical,2027-04-01 10:00:00,2027-04-01 11:00:00,Resolved\nINC2,Urgent,2027-04-01 10:00:00,,New\n")
	r := pacteIn(t, dir, "eval", "contracts/acme.yaml", "-tickets", "tickets.csv", "-preset", "servicenow-incident",
		"-format", "json", "-o", "out/report.json", "-progress", "off")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "1 record rejected")
	for _, at := range []struct{ dir, report string }{{dir, "out/report.json"}, {filepath.Join(dir, "out"), "report.json"}, {filepath.Join(dir, "contracts"), "../out/report.json"}} {
		r = pacteIn(t, at.dir, "verify", at.report)
		require.Equal(t, 0, r.code, "verify %s from %s: %s", at.report, at.dir, r.stderr+r.stdout)
		require.Contains(t, r.stdout, "identical")
	}
}

func validateWithReportSchema(t *testing.T, data []byte) {
	t.Helper()
	require.NoError(t, schematest.Validate(schematest.Compile(t, filepath.Join(root, "docs/report.schema.json")), data))
}

// eval says which mapped columns a file lacks: the sample export has no
// column of three fields the ServiceNow preset maps.
func TestEvalWarnsOfMissingColumns(t *testing.T) {
	r := run1(t, append([]string{"eval", acme, "-format", "json", "-o", os.DevNull, "-progress", "off"}, sampleData...)...)
	require.Equal(t, 0, r.code, r.stderr)
	var warnings []string
	for line := range strings.SplitSeq(r.stderr, "\n") {
		if strings.HasPrefix(line, "warning: ") {
			warnings = append(warnings, line)
		}
	}
	require.Equal(t, []string{
		`warning: examples/data/incidents.csv: no column "problem_id" or "Problem": the problem field is empty in every row`,
		`warning: examples/data/incidents.csv: no column "reopen_count" or "Reopen count": the reopen_count field is empty in every row`,
		`warning: examples/data/incidents.csv: no column "reassignment_count" or "Reassignment count": the reassignment_count field is empty in every row`,
	}, warnings)
}
