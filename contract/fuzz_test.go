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
	f.Add([]byte(testHead + `rules:
  - {id: A, source: tickets, objective: share(level == 1) >= 90%, penalty: 'result("G", -1).penalised ? 2 : 1'}
  - {id: B, source: tickets, objective: share(level == 2) >= 90%, penalty: 'result("A").breached ? 2 : 1'}
groups:
  - {id: G, members: [A, B], penalty: {when: penalised_in_a_row >= 2, amount: 1% * invoice}, cap: 10}
`))
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
			_ = c.References()
			checkEvaluationOrder(t, c)
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

// checkEvaluationOrder: every rule and group once, each group after its
// members, each rule after what it reads in the same period.
func checkEvaluationOrder(t *testing.T, c *Contract) {
	order := c.EvaluationOrder()
	if len(order) != len(c.Rules())+len(c.Groups()) {
		t.Fatalf("evaluation order %v of %d rules and %d groups", order, len(c.Rules()), len(c.Groups()))
	}
	at := map[string]int{}
	for i, id := range order {
		at[id] = i
	}
	for _, g := range c.Groups() {
		for _, m := range g.Members {
			if at[m] > at[g.ID] {
				t.Errorf("group %s before its member %s", g.ID, m)
			}
		}
	}
	for _, r := range c.References() {
		if r.Offset == 0 && at[r.To] > at[r.From] {
			t.Errorf("%s before %s, which it reads", r.From, r.To)
		}
	}
}
