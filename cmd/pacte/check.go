package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/pacte-sla/pacte/sla/slatest"
	"go.yaml.in/yaml/v3"
)

var checkCommand = &command{
	name:    "check",
	summary: "load and lint contracts, clause tests, scenarios and mappings",
	usage: `pacte check [flags] FILE...

Check loads each file as pacte does before it works with it, and reports
every error at once with its file:line:col, the line and a hint. A file is
a contract (it has rules:), clause tests (cases:), a workload scenario
(scenario:) or a mapping of an export (columns: or preset:); -as says
which when the file does not. Contracts are also linted: a calendar that
nothing uses, a rule that carries neither a penalty nor a bonus. With
-contract, scenarios are checked against that contract too.

The exit status is 1 when a file has errors (warnings do not count), 2 when
a file cannot be read.

Examples:

  pacte check examples/contracts/acme.yaml examples/contracts/acme_test.yaml
  pacte check -contract examples/contracts/acme.yaml examples/scenarios/acme.yaml examples/data/servicenow.yaml
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		var o checkOptions
		fs.StringVar(&o.as, "as", "", "read every file as: contract, tests, scenario or mapping (default: from its keys)")
		fs.StringVar(&o.contract, "contract", "", "check scenarios against this contract")
		return func(ctx context.Context, args []string) error { return o.exec(e, args) }
	},
}

type checkOptions struct{ as, contract string }

// The kinds of files check reads.
const (
	kindContract = "contract"
	kindTests    = "tests"
	kindScenario = "scenario"
	kindMapping  = "mapping"
)

func (o checkOptions) exec(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("no file to check")
	}
	switch o.as {
	case "", kindContract, kindTests, kindScenario, kindMapping:
	default:
		return usagef("-as %q: want contract, tests, scenario or mapping", o.as)
	}
	for _, path := range append([]string{o.contract}, args...) {
		if err := readable(path); err != nil {
			return err
		}
	}
	var against *contract.Contract
	if o.contract != "" {
		c, err := contract.Load(o.contract)
		if err != nil {
			return inputError{err}
		}
		against = c
	}
	bad := 0
	for _, path := range args {
		data, err := readAtMost(path, contract.MaxFileSize)
		if err != nil {
			return inputError{err}
		}
		kind := o.as
		if kind == "" {
			kind = kindOf(path, data)
		}
		summary, warnings, err := checkFile(kind, path, data, against)
		for _, w := range warnings {
			fmt.Fprintln(e.stderr, w)
		}
		if err != nil {
			bad++
			printErrors(e.stderr, err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s, ok\n", path, summary)
	}
	if bad > 0 {
		fmt.Fprintf(e.stderr, "%d of %d %s with errors\n", bad, len(args), plural(len(args), "file", "files"))
		return errFailed
	}
	return nil
}

// readAtMost reads limit bytes of a file, and one more: the largest of
// the files check reads is a contract or a test file of at most
// contract.MaxFileSize bytes, whose parser refuses a larger one; a device
// such as /dev/zero is not read whole.
func readAtMost(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(limit)+1))
}

// kindOf tells a file's kind from its top-level keys, or else from its
// name.
func kindOf(path string, data []byte) string {
	var top map[string]yaml.Node
	if yaml.Unmarshal(data, &top) == nil {
		switch {
		case has(top, "cases"):
			return kindTests
		case has(top, "scenario"):
			return kindScenario
		case has(top, "rules", "contract", "calendars", "work_units"):
			return kindContract
		case has(top, "columns", "preset", "record"):
			return kindMapping
		}
	}
	if strings.HasSuffix(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), "_test") {
		return kindTests
	}
	return kindContract
}

func has(m map[string]yaml.Node, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// checkFile loads a file of a kind; it returns a summary of what it holds,
// the warnings of the lint, and its errors.
func checkFile(kind, path string, data []byte, against *contract.Contract) (string, []string, error) {
	switch kind {
	case kindTests:
		s, err := slatest.Parse(data, path)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("clause tests of %q, %d %s", s.Contract.Name(), len(s.Cases), plural(len(s.Cases), "case", "cases")), nil, nil
	case kindScenario:
		sc, err := simulate.LoadScenario(path)
		if err == nil && against != nil {
			_, err = simulate.New(against, sc)
		}
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("scenario %q", sc.Name), nil, nil
	case kindMapping:
		m, err := ingest.ParseMapping(path, data)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("mapping of %s", m.Record), nil, nil
	}
	c, err := contract.Parse(data, path)
	if err != nil {
		return "", nil, err
	}
	summary := fmt.Sprintf("contract %q, %d rules", c.Name(), len(c.Rules()))
	if n := len(c.Groups()); n > 0 {
		summary += fmt.Sprintf(", %d groups", n)
	}
	return summary + fmt.Sprintf(", %d calendars", len(c.CalendarNames())), lint(c, path, data), nil
}

// lint warns of what loads but is likely a mistake.
func lint(c *contract.Contract, path string, data []byte) []string {
	var out []string
	text := string(data)
	lines := strings.Split(text, "\n")
	for _, name := range c.CalendarNames() {
		word := regexp.MustCompile(`(^|[^\w-])` + regexp.QuoteMeta(name) + `([^\w-]|$)`)
		if len(word.FindAllStringIndex(text, -1)) > 1 {
			continue
		}
		line := 1
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), name+":") {
				line = i + 1
				break
			}
		}
		out = append(out, fmt.Sprintf("%s:%d: warning: calendar %s is not used by any rule", path, line, name))
	}
	for _, r := range c.Rules() {
		if len(r.Penalty) == 0 && len(r.Bonus) == 0 {
			out = append(out, fmt.Sprintf("%s:%d:%d: warning: rule %s has neither a penalty nor a bonus: it is measured only", path, r.Pos.Line, r.Pos.Column, r.ID))
		}
	}
	return out
}

// printErrors prints every error of a list, one after the other.
func printErrors(w io.Writer, err error) {
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, e := range multi.Unwrap() {
			fmt.Fprintln(w, e)
		}
		return
	}
	fmt.Fprintln(w, err)
}
