package sla_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// The tests of this file reproduce bugs of the penalty pipeline, each in
// a few lines, and keep them fixed.

// A rule's cap is rounded as the month's cap is: a penalty capped at a
// third of the invoice is 333.33, to the cent of the contract's rounding,
// not 333.3333….
func TestBugRuleCapNotRounded(t *testing.T) {
	// Regression test of a bug: the rule_caps step brought a penalty down to its cap's exact value, 333.3333333333333333
	c := contractOf2027(t, "cap", `work_units:
  FORFAIT: {fixed: 10000.00}
rules:
  - id: SAT
    source: tickets
    objective: share(satisfaction >= 4) >= 90%
    penalty: 500
    cap: invoice / 3 / 10
`)
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(groupsTickets([]groupsMonth{{5, 5, 0}})), AsOf: time.Date(2027, time.February, 1, 0, 0, 0, 0, paris)})
	r := rule(t, rep, "2027-01", "SAT")
	requireMoney(t, "333.33", r.Penalty, "SAT's capped penalty")
	require.Equal(t, "333.33", r.Penalty.Decimal.String())
	requireMoney(t, "333.33", rep.Periods[0].Penalties, "the month's penalties")
}

// A cap whose formula gives less than zero leaves nothing due, as the
// month's cap does: it does not turn a penalty into a payment to the
// provider.
func TestBugNegativeRuleCapPaysTheProvider(t *testing.T) {
	// Regression test of a bug: rule_caps brought a penalty of 100.00 "down" to a cap of -1000.00, and a group's to -5.00
	c := contractOf2027(t, "cap", `work_units:
  FORFAIT: {fixed: 1000.00}
rules:
  - id: SAT
    source: tickets
    objective: share(satisfaction >= 4) >= 90%
    penalty: 100
    cap: invoice - 2000
groups:
  - {id: G, members: [SAT], penalty: 10, cap: -5}
`)
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(groupsTickets([]groupsMonth{{5, 5, 0}})), AsOf: time.Date(2027, time.February, 1, 0, 0, 0, 0, paris)})
	requireMoney(t, "0", rule(t, rep, "2027-01", "SAT").Penalty, "SAT's capped penalty")
	requireMoney(t, "0", rule(t, rep, "2027-01", "G").Penalty, "G's capped penalty")
	requireMoney(t, "0", rep.Periods[0].Penalties, "the month's penalties")
}
