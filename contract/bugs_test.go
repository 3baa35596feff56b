package contract

import (
	"strings"
	"testing"
	"time"
)

// The tests of this file reproduce bugs of the package, each in a few
// lines, and keep them fixed. Other regressions show in the golden files
// of testdata.

// Parse must never panic; a single unknown work unit written as a scalar
// in revision.units indexes Content[-1].
func TestBugRevisionUnitsScalarPanics(t *testing.T) {
	// Regression test of a bug: Parse panics (index out of range [-1]) on revision units: NAME when NAME is not a work unit
	text := testHead + "work_units:\n  A: {price: 1, volume: given}\n" +
		"revision: {index: S, fixed: 0.15, indexed: 0.85, base: 2026-09, reference_month: 9, from: 2028-01-01, units: B}\n"
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse panics: %v", r)
		}
	}()
	_, err := Parse([]byte(text), "test.yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown work unit "B"`) {
		t.Errorf("err = %v, want unknown work unit \"B\"", err)
	}
}

// Pipeline returns copies, says the package doc; its Observation,
// DeMinimis and Repeat pointers are the contract's own.
func TestBugPipelineSharesPointers(t *testing.T) {
	// Regression test of a bug: Pipeline() returns the contract's own Observation, DeMinimis and Repeat: a caller can change the contract
	c := mustParse(t, testHead+"penalties:\n  observation: {until: 2027-03-31}\n  repeat: {consecutive: 2, factor: 2}\n"+
		"  franchise: {de_minimis: {below: 100}}\n")
	p := c.Pipeline()
	p.Observation.Until = time.Time{}
	p.Repeat.Factor = dec("100")
	p.DeMinimis.Below = dec("0")
	q := c.Pipeline()
	if q.Observation.Until.IsZero() || !q.Repeat.Factor.Equal(dec("2")) || !q.DeMinimis.Below.Equal(dec("100")) {
		t.Errorf("the contract changed: observation %s, repeat factor %s, de minimis %s", q.Observation.Until, q.Repeat.Factor, q.DeMinimis.Below)
	}
}

// Periods of kind Term: the next period after the term is the term again,
// so Periods returns it until its safety stop, 100,001 times.
func TestBugPeriodsOfTermRepeat(t *testing.T) {
	// Regression test of a bug: Periods(Term, from, to) returns the term 100001 times when to is after the term's start
	c := mustParse(t, testHead)
	ps := c.Periods(Term, c.Start(), c.End())
	if len(ps) != 1 {
		t.Errorf("Periods(Term) returned %d periods, want 1", len(ps))
	}
}

// "not NAME" resolves NAME only among the calendars defined by a spec or
// by a "not" above it: a complement of a complement defined below is an
// "unknown calendar", and so is each calendar of a cycle.
func TestBugCalendarComplementOfLaterComplement(t *testing.T) {
	// Regression test of a bug: A: not B fails with unknown calendar "B" when B is itself a "not" defined after A
	c := mustParse(t, testHead+"calendars:\n  A: not B\n  B: not C\n  C: mon-fri 08:00-18:00\n")
	a, _ := c.Calendar("A")
	cc, _ := c.Calendar("C")
	at := time.Date(2027, 3, 2, 9, 0, 0, 0, c.Location())
	if a.IsOpen(at) != cc.IsOpen(at) {
		t.Error("not not C is not C")
	}
}

func TestBugCalendarCycleSaysUnknown(t *testing.T) {
	// Regression test of a bug: a cycle of complements (A: not B, B: not A) is reported as unknown calendars, which are defined
	_, err := Parse([]byte(testHead+"calendars:\n  A: not B\n  B: not A\n"), "test.yaml")
	if err == nil {
		t.Fatal("a cycle of complements loads")
	}
	if strings.Contains(err.Error(), "unknown calendar") {
		t.Errorf("a cycle is reported as an unknown calendar:\n%v", err)
	}
}

// "not  HO" with two spaces is read as a spec, not as the complement of HO.
func TestBugCalendarNotWithTwoSpaces(t *testing.T) {
	// Regression test of a bug: HNO: "not  HO" (two spaces) is parsed as a calendar spec and fails on "HO"
	c := mustParse(t, testHead+"calendars:\n  HO: mon-fri 08:00-18:00\n  HNO: not  HO\n")
	hno, _ := c.Calendar("HNO")
	if hno.IsOpen(time.Date(2027, 3, 2, 9, 0, 0, 0, c.Location())) {
		t.Error("HNO is open during HO")
	}
}

// A key missing from the term is reported at 1:1, under the file's first
// line, which is often a comment; it belongs to the term's mapping.
func TestBugMissingTermKeyPosition(t *testing.T) {
	// Regression test of a bug: a term without start or end is reported at 1:1, not at the term
	_, err := Parse([]byte("# ACME\ncontract: Test\ntimezone: Europe/Paris\nterm:\n  start: 2027-01-01\n"), "test.yaml")
	if err == nil {
		t.Fatal("a term without an end loads")
	}
	if !strings.HasPrefix(err.Error(), "test.yaml:5:3: ") {
		t.Errorf("err = %v, want it at the term's mapping, 5:3", err)
	}
}

// A raw string (backquotes) is a string to the objective's reader too: a
// comparison inside it is not the objective's.
func TestBugObjectiveComparisonInRawString(t *testing.T) {
	// Regression test of a bug: count(group == `a)>b`) <= 1 is split at the ">" inside the raw string
	c := mustParse(t, testHead+"rules:\n  - id: R\n    source: tickets\n    scope: true\n"+
		"    objective: count(group == `a)>b`) <= 1\n    penalty: 10\n")
	o := mustRule(t, c, "R").Objective
	if o.Op != "<=" || o.Threshold.String() != "1" {
		t.Errorf("objective read as op %q, threshold %q; want <= 1", o.Op, o.Threshold)
	}
}
