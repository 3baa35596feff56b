package main

import (
	"context"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/sla/slatest"
)

var testCommand = &command{
	name:    "test",
	summary: "run the clause tests of a contract",
	usage: `pacte test [flags] FILE...

Test runs clause test files: each case gives records, evaluates them
against the contract the file names, and compares the report with the
figures it expects. A failing expectation prints the file's line, what was
expected, what came out and the report's trace of that figure. The format
of the files is documented in package sla/slatest, and
examples/contracts/acme_test.yaml tests every clause of the reference
contract.

The exit status is 1 when a case fails, 2 when a file cannot be read.

Examples:

  pacte test examples/contracts/acme_test.yaml
  pacte test examples/contracts/acme_test.yaml -run INC-P1 -v
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		var o testOptions
		fs.StringVar(&o.run, "run", "", "run only the cases whose name matches this regular expression")
		fs.BoolVar(&o.verbose, "v", false, "list every case, passed or not")
		return func(ctx context.Context, args []string) error { return o.exec(ctx, e, args) }
	},
}

type testOptions struct {
	run     string
	verbose bool
}

func (o testOptions) exec(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("no test file given")
	}
	var filter *regexp.Regexp
	if o.run != "" {
		var err error
		if filter, err = regexp.Compile(o.run); err != nil {
			return usagef("-run: %v", err)
		}
	}
	for _, path := range args {
		if err := readable(path); err != nil {
			return err
		}
	}
	var suites []*slatest.Suite
	for _, path := range args {
		s, err := slatest.Load(path)
		if err != nil {
			return inputError{err}
		}
		suites = append(suites, s)
	}
	failed := false
	for _, s := range suites {
		ok, err := o.suite(ctx, e, s, filter)
		if err != nil {
			return err
		}
		failed = failed || !ok
	}
	if failed {
		return errFailed
	}
	return nil
}

// suite runs the cases of a file and prints what failed.
func (o testOptions) suite(ctx context.Context, e *env, s *slatest.Suite, filter *regexp.Regexp) (bool, error) {
	start := time.Now()
	ran, failed := 0, 0
	for _, c := range s.Cases {
		if filter != nil && !filter.MatchString(c.Name) {
			continue
		}
		caseStart := time.Now()
		res := c.Run(ctx)
		if res.Err != nil {
			return false, res.Err
		}
		ran++
		took := time.Since(caseStart).Seconds()
		if res.Passed() {
			if o.verbose {
				fmt.Fprintf(e.stdout, "--- PASS: %s (%.2fs)\n", c.Name, took)
			}
			continue
		}
		failed++
		fmt.Fprintf(e.stdout, "--- FAIL: %s (%s:%d, %.2fs)\n", c.Name, c.File, c.Line, took)
		for _, f := range res.Failures {
			fmt.Fprintf(e.stdout, "    %s\n", strings.ReplaceAll(f.Error(), "\n", "\n    "))
		}
	}
	took := time.Since(start).Seconds()
	switch {
	case ran == 0:
		fmt.Fprintf(e.stdout, "?    %s: no case matches -run %q\n", s.File, o.run)
	case failed > 0:
		fmt.Fprintf(e.stdout, "FAIL %s: %d of %d %s failed (%.2fs)\n", s.File, failed, ran, plural(ran, "case", "cases"), took)
	default:
		fmt.Fprintf(e.stdout, "ok   %s: %d %s passed (%.2fs)\n", s.File, ran, plural(ran, "case", "cases"), took)
	}
	return failed == 0, nil
}
