package slatest_test

import (
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/stretchr/testify/require"
)

// An error of the report fails the case, and says what it is: of an item
// ("item INC-1: …"), or of a period's formula, which has no item.
func TestRuleErrorsFailTheCase(t *testing.T) {
	c, err := contract.Parse([]byte(`contract: E
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
rules:
  - {id: A, source: tickets, objective: share(satisfaction >= 4) >= 90%, penalty: 100 / met}
groups:
  - {id: G, members: [A], penalty: 1 / (members - 1)}
`), "e.yaml")
	require.NoError(t, err)
	s, err := slatest.Parse([]byte(`cases:
  - name: formulas that divide by zero
    as_of: 2027-02-01 00:00
    tickets: [{opened: 2027-01-05 09:00, resolved: +2h, satisfaction: 1}]
    expect: [{period: 2027-01, rules: {A: {status: breached}}}]
`), "e_test.yaml", slatest.WithContract(c))
	require.NoError(t, err)
	res := s.Cases[0].Run(t.Context())
	require.False(t, res.Passed())
	var got []string
	for _, f := range res.Failures {
		got = append(got, f.Error())
	}
	require.Equal(t, []string{
		"e_test.yaml:2:5: 2027-01 A rule error: want none, got penalty: division by zero",
		"e_test.yaml:2:5: 2027-01 G rule error: want none, got penalty: division by zero",
	}, got)
}
