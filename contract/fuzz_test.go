package contract

import (
	"errors"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pacte-sla/pacte/dsl"
)

// knownPanics are panics of Parse already reported: the fuzzer skips the
// inputs that reach them, to go on looking for others. Each entry names a
// function of the panicking stack.
var knownPanics = []struct{ where, bug string }{}

// maxFuzzContract bounds the contracts the fuzzer tries: a few rules,
// each compiled in a fraction of a millisecond. Go's fuzzer minimizes
// each new input it finds by trying to remove every span of its bytes, in
// time that grows with the square of its length: the reference contract,
// 18 KB, made it sit a minute on its first new input.
const maxFuzzContract = 1024

// FuzzParse checks that Parse never panics, and that what it returns is
// either a contract whose accessors work or errors placed in the file:
// *dsl.Error values, alone or in a sorted dsl.ErrorList, each with a line
// and a column from 1.
//
//	go test ./contract -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, path := range append(goodFiles(f), badFiles(f)...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= maxFuzzContract {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzContract {
			return
		}
		c, err := parseNoPanic(t, data)
		if err == nil {
			if c == nil {
				t.Fatal("Parse returned neither a contract nor an error")
			}
			_ = c.Rules()
			_ = c.WorkUnits()
			_ = c.Pipeline()
			_ = c.CalendarNames()
			if !c.Start().IsZero() {
				p := c.PeriodOf(Month, c.Start())
				if _, err := c.Invoice(p, nil, nil); err != nil {
					t.Errorf("Invoice of the first month: %v", err)
				}
			}
			return
		}
		if c != nil {
			t.Error("Parse returned a contract with its error")
		}
		var list dsl.ErrorList
		var one *dsl.Error
		switch {
		case errors.As(err, &list):
			if len(list) == 0 {
				t.Fatal("an empty error list")
			}
		case errors.As(err, &one):
			list = dsl.ErrorList{one}
		default:
			t.Fatalf("error of type %T: %v", err, err)
		}
		// Lines as YAML counts them: a lone carriage return breaks a line too.
		lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r") + 1
		for i, e := range list {
			if e.Line < 1 || e.Column < 1 {
				t.Errorf("error %d at %d:%d: %v", i, e.Line, e.Column, e)
			}
			if utf8.Valid(data) && e.Line > lines {
				t.Errorf("error %d at line %d of a %d-line file: %v", i, e.Line, lines, e)
			}
			if e.File != "fuzz.yaml" {
				t.Errorf("error %d in file %q", i, e.File)
			}
			if i > 0 && (list[i-1].Line > e.Line || (list[i-1].Line == e.Line && list[i-1].Column > e.Column)) {
				t.Errorf("errors %d and %d are not sorted", i-1, i)
			}
			_ = e.Error()
		}
	})
}

func parseNoPanic(t *testing.T, data []byte) (c *Contract, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			stack := string(debug.Stack())
			for _, k := range knownPanics {
				if strings.Contains(stack, k.where) {
					t.Skip(k.bug)
				}
			}
			t.Fatalf("Parse panics: %v\n%s\ninput: %q", r, stack, data)
		}
	}()
	return Parse(data, "fuzz.yaml")
}
