package contract

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/golden"
)

// go test ./contract -run 'TestBadContracts' -update rewrites the
// expected messages of testdata/*.bad.yaml.err from what Parse returns.
// Read every rewritten file before committing it: a wrong golden file is
// worse than none.
var update = flag.Bool("update", false, "rewrite the golden .err files of testdata from the current output")

// badFiles returns the broken contracts of testdata, YAML and JSON.
func badFiles(t testing.TB) []string { return testdataFiles(t, "bad") }

// goodFiles returns the contracts of testdata that must load.
func goodFiles(t testing.TB) []string { return testdataFiles(t, "good") }

// testdataFiles returns testdata/*.<kind>.yaml and *.<kind>.json, sorted.
func testdataFiles(t testing.TB, kind string) []string {
	t.Helper()
	var files []string
	for _, ext := range []string{"yaml", "json"} {
		m, err := filepath.Glob("testdata/*." + kind + "." + ext)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	return files
}

// knownBugs are the broken contracts whose golden file holds the message
// the package should give but does not yet: their test is skipped with
// the reason, and -update leaves their golden file alone.
// knownBugs names the broken contracts whose message is wrong, with why;
// the ones found so far are fixed, and their golden files are regression
// tests.
var knownBugs = map[string]string{}

// TestBadContracts loads every broken contract of testdata and compares
// the whole message, positions, snippet and hint included, with its golden
// file name.bad.yaml.err.
func TestBadContracts(t *testing.T) {
	files := badFiles(t)
	if len(files) < 35 {
		t.Fatalf("%d broken contracts in testdata, want at least 35", len(files))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, filepath.Ext(name)), func(t *testing.T) {
			bug, isBug := knownBugs[name]
			c, err := Load(path)
			if err == nil {
				t.Fatalf("%s loads (%d rules), want an error", path, len(c.Rules()))
			}
			if c != nil {
				t.Errorf("Load returned a contract with its error")
			}
			if isBug {
				t.Skip(bug)
			}
			golden.Check(t, path+".err", []byte(err.Error()+"\n"), *update)
			checkPositions(t, path, err)
		})
	}
}

// TestGoldenFilesHaveContracts finds golden files left behind by a
// renamed or deleted contract.
func TestGoldenFilesHaveContracts(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/*.err")
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".err")); err != nil {
			t.Errorf("%s has no contract", g)
		}
	}
	for _, path := range badFiles(t) {
		if _, err := os.Stat(path + ".err"); err != nil {
			t.Errorf("%s has no golden file", path)
		}
	}
}

// checkPositions checks what every error of a contract must be: a
// *dsl.Error, alone or in a sorted dsl.ErrorList, naming the file, with a
// line and column inside it, and a snippet that is that line.
func checkPositions(t *testing.T, path string, err error) {
	t.Helper()
	data, rerr := os.ReadFile(path)
	if rerr != nil {
		t.Fatal(rerr)
	}
	lines := strings.Split(string(data), "\n")
	var list dsl.ErrorList
	var one *dsl.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = dsl.ErrorList{one}
	default:
		t.Fatalf("error is a %T, want a *dsl.Error or a dsl.ErrorList: %v", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty error list")
	}
	for i, e := range list {
		if e.File != path {
			t.Errorf("error %d: file %q, want %q", i, e.File, path)
		}
		if e.Line < 1 || e.Line > len(lines) || e.Column < 1 {
			t.Errorf("error %d: position %d:%d outside the file (%d lines)", i, e.Line, e.Column, len(lines))
			continue
		}
		line := strings.TrimRight(lines[e.Line-1], "\r")
		if e.Text != "" && e.Text != line {
			t.Errorf("error %d: snippet %q, want line %d %q", i, e.Text, e.Line, line)
		}
		if e.Column > utf8.RuneCountInString(line)+1 {
			t.Errorf("error %d: column %d beyond the end of line %d %q", i, e.Column, e.Line, line)
		}
		if e.Code == nil {
			t.Errorf("error %d has no code: %v", i, e)
		}
		if i > 0 {
			p := list[i-1]
			if p.Line > e.Line || (p.Line == e.Line && p.Column > e.Column) {
				t.Errorf("errors %d and %d are not sorted: %d:%d before %d:%d", i-1, i, p.Line, p.Column, e.Line, e.Column)
			}
		}
	}
}
