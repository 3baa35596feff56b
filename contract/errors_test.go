package contract

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// TestErrorCodes checks that errors.Is tells the kind of each error, and
// that errors.As finds the *dsl.Error with its rule and field.
func TestErrorCodes(t *testing.T) {
	tests := []struct {
		file        string
		code        error
		rule, field string
	}{
		{"unknown-top-key", ErrSchema, "", ""},
		{"yaml-tab", ErrSchema, "", ""},
		{"missing-timezone", ErrSchema, "", ""},
		{"term-end-before-start", ErrInvalid, "", ""},
		{"share-above-100", ErrInvalid, "", ""},
		{"calendar-not-unknown", ErrReference, "", ""},
		{"clock-unknown-calendar", ErrReference, "", ""},
		{"franchise-unknown-rule", ErrReference, "", ""},
		{"duplicate-rule-id", ErrDuplicate, "", ""},
		{"groups-cycle", ErrCycle, "", ""},
		{"groups-cycle-through-group", ErrCycle, "", ""},
		{"groups-unknown-member", ErrReference, "", ""},
		{"result-unknown-rule", ErrReference, "", ""},
		{"result-achieved-type", dsl.ErrType, "", ""},
		{"groups-duplicate-id", ErrDuplicate, "", ""},
		{"duplicate-yaml-key", ErrDuplicate, "", ""},
		{"scope-unknown-name", dsl.ErrUnknownName, "rule R1", "scope"},
		{"fee-unknown-unit", dsl.ErrUnknownName, "rule R1", "penalty"},
		{"scope-type-mismatch", dsl.ErrType, "rule R1", "scope"},
		{"threshold-wrong-type", dsl.ErrType, "", ""},
		{"duration-day-unit", dsl.ErrLiteral, "rule R1", "deadline"},
		{"objective-no-comparison", dsl.ErrSyntax, "", ""},
		{"objective-unknown-measure", dsl.ErrUnknownName, "", ""},
		{"pause-when-unknown-name", dsl.ErrUnknownName, "rule R1", "pause_when"},
	}
	for _, tt := range tests {
		_, err := Load("testdata/" + tt.file + ".bad.yaml")
		if !errors.Is(err, tt.code) {
			t.Errorf("%s: errors.Is(err, %v) is false: %v", tt.file, tt.code, err)
			continue
		}
		var e *dsl.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: no *dsl.Error", tt.file)
			continue
		}
		if e.Rule != tt.rule || e.Field != tt.field {
			t.Errorf("%s: rule %q, field %q; want %q, %q", tt.file, e.Rule, e.Field, tt.rule, tt.field)
		}
	}
	// Every error of a list is reachable.
	_, err := Load("testdata/several-faults.bad.yaml")
	for _, code := range []error{ErrInvalid, dsl.ErrUnknownName} {
		if !errors.Is(err, code) {
			t.Errorf("several-faults: errors.Is(err, %v) is false", code)
		}
	}
	var list dsl.ErrorList
	if !errors.As(err, &list) || len(list) != 5 {
		t.Errorf("several-faults: %d errors in the list, want 5", len(list))
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/no-such-contract.yaml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
}

func TestParseTooLarge(t *testing.T) {
	data := []byte("contract: x\n" + strings.Repeat("# padding\n", 500_000))
	_, err := Parse(data, "big.yaml")
	want := "big.yaml:1:1: file has more than 4194304 bytes, the most a contract may have"
	if err == nil || err.Error() != want || !errors.Is(err, ErrInvalid) {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestAnchorsAndAliases checks that YAML anchors and aliases can share a
// clock and a tier table between rules.
func TestAnchorsAndAliases(t *testing.T) {
	c := mustParse(t, testHead+`calendars:
  HO: mon-fri 08:00-18:00; holidays FR
rules:
  - id: INC-P2
    source: tickets
    scope: priority == "P2"
    clock: &ho {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 90%
    penalty:
      tiers: &tiers
        - {range: "[85%, 90%)", amount: 1% * invoice}
        - {range: "[0%, 85%)", amount: 2% * invoice}
  - id: INC-P3
    source: tickets
    scope: priority == "P3"
    clock: *ho
    deadline: 16h
    objective: share(on_time) >= 90%
    penalty:
      tiers: *tiers
`)
	p3 := mustRule(t, c, "INC-P3")
	if p3.Clock == nil || p3.Clock.Calendar != "HO" || p3.Clock.Stop.Text != "resolved" || p3.Deadline.Open != 16*time.Hour {
		t.Errorf("INC-P3 clock %+v, deadline %+v", p3.Clock, p3.Deadline)
	}
	if len(p3.Penalty) != 1 || len(p3.Penalty[0].Tiers) != 2 || p3.Penalty[0].Tiers[1].Range.Text != "[0%, 85%)" {
		t.Errorf("INC-P3 penalty %+v", p3.Penalty)
	}
}

// TestDefaultsErrorsOnce checks that an error in the defaults is one
// mistake: reported once, naming the defaults, however many rules inherit
// it, and not for the rules of other sources.
func TestDefaultsErrorsOnce(t *testing.T) {
	_, err := Parse([]byte(testHead+`defaults:
  tickets:
    exclude:
      client: exclusoin == "client"
rules:
  - {id: A, source: tickets, objective: share(level == 1) >= 90%}
  - {id: A2, source: tickets, objective: share(level == 2) >= 90%}
  - {id: B, source: calls, objective: answer_rate >= 90%}
`), "d.yaml")
	var list dsl.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("err = %v, want one error, for the defaults of tickets", err)
	}
	if e := list[0]; e.Rule != "defaults of tickets" || e.Line != 7 || e.Column != 15 {
		t.Errorf("err = %v, want it at 7:15 for the defaults of tickets", err)
	}
}

// TestErrorTypes: a contract's errors are *contract.Error values, in a
// contract.ErrorList, and errors.As finds them as the language's too,
// whether the fault is the file's shape or an expression.
func TestErrorTypes(t *testing.T) {
	for _, file := range []string{"unknown-top-key", "scope-unknown-name", "several-faults"} {
		_, err := Load("testdata/" + file + ".bad.yaml")
		var ce *Error
		require.ErrorAs(t, err, &ce, file)
		var de *dsl.Error
		require.ErrorAs(t, err, &de, file)
		require.Same(t, ce, de, file)
		if file == "several-faults" {
			var cl ErrorList
			require.ErrorAs(t, err, &cl)
			var dl dsl.ErrorList
			require.ErrorAs(t, err, &dl)
			require.Len(t, dl, len(cl))
		}
	}
	_, err := Load("testdata/unknown-top-key.bad.yaml")
	require.ErrorIs(t, err, ErrSchema)
	require.NotErrorIs(t, err, dsl.ErrUnknownName)
}
