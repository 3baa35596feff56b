package slatest_test

import (
	"strconv"
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

// A case may expect the report's errors, by their number: a ticket whose
// key a table lacks is an error of that ticket (rejected too, when no
// other rule counts it), and the clause that says so can be tested.
func TestCaseExpectsErrors(t *testing.T) {
	c, err := contract.Parse([]byte(`contract: E
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars: {HO: mon-fri 08:00-18:00}
tables:
  delay: {values: {PC: 8h}}
rules:
  - id: REQ
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: lookup("delay", category)
    objective: share(on_time) >= 90%
`), "e.yaml")
	require.NoError(t, err)
	s, err := slatest.Parse([]byte(`cases:
  - name: a category the table lacks is an error of the ticket
    as_of: 2027-02-01 00:00
    tickets: [{id: SRV, category: SERVER, opened: 2027-01-05 09:00, resolved: +2h}, {id: PC, category: PC, opened: 2027-01-05 09:00, resolved: +2h}]
    rejected: 1
    errors: 1
    expect: [{period: 2027-01, rules: {REQ: {eligible: 1, met: 1}}}]
  - name: the error alone
    as_of: 2027-02-01 00:00
    tickets: [{id: SRV, category: SERVER, opened: 2027-01-05 09:00, resolved: +2h}]
    rejected: 1
    errors: 1
  - name: two errors expected, one given
    as_of: 2027-02-01 00:00
    tickets: [{id: SRV, category: SERVER, opened: 2027-01-05 09:00, resolved: +2h}]
    rejected: 1
    errors: 2
`), "e_test.yaml", slatest.WithContract(c))
	require.NoError(t, err)
	res := s.Run(t.Context())
	require.True(t, res[0].Passed(), "%v", res[0].Failures)
	require.True(t, res[1].Passed(), "%v", res[1].Failures)
	require.Len(t, res[2].Failures, 1)
	require.Equal(t, "e_test.yaml:13:5: rule errors: want 2, got 1\n"+
		"    REQ: SRV: deadline: table delay has no value for \"SERVER\", and no default", res[2].Failures[0].Error())
}

// Figures that share an aliased value fail in the order of the file, each
// at its own key: the order was that of a map's iteration, and every
// failure pointed at the anchor.
func TestAliasedFiguresFailInFileOrder(t *testing.T) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	s, err := slatest.Parse([]byte(`cases:
  - name: aliased figures
    as_of: 2027-05-01 00:00
    tickets: [{kind: incident, priority: P1, opened: Wed 2027-04-07 08:00, resolved: +8h30min HE}]
    expect:
      - period: 2027-04
        rules: {INC-P1: {eligible: &seven 7, missed: *seven, met: *seven, excluded: *seven, penalty: *seven}}
`), "a_test.yaml", slatest.WithContract(c))
	require.NoError(t, err)
	for range 5 {
		var got []string
		for _, f := range s.Cases[0].Run(t.Context()).Failures {
			got = append(got, f.File+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column)+" "+f.Field)
		}
		require.Equal(t, []string{"a_test.yaml:7:36 eligible", "a_test.yaml:7:46 missed", "a_test.yaml:7:62 met",
			"a_test.yaml:7:75 excluded", "a_test.yaml:7:93 penalty"}, got)
	}
}

// A case may expect its records rejected, and nothing else: the clause
// that a ticket resolved before it opened is no ticket can be tested.
func TestCaseExpectsRejectionsAlone(t *testing.T) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	s, err := slatest.Parse([]byte(`cases:
  - name: resolved before it opened
    as_of: 2027-05-01 00:00
    tickets: [{kind: incident, priority: P1, opened: Wed 2027-04-07 08:00, resolved: -1h}]
    rejected: 1
  - name: not rejected
    as_of: 2027-05-01 00:00
    tickets: [{kind: incident, priority: P1, opened: Wed 2027-04-07 08:00, resolved: +1h}]
    rejected: 1
`), "r_test.yaml", slatest.WithContract(c))
	require.NoError(t, err)
	res := s.Run(t.Context())
	require.True(t, res[0].Passed(), "%v", res[0].Failures)
	require.Len(t, res[1].Failures, 1)
	require.Equal(t, "r_test.yaml:6:5: rejected records: want 1, got 0", res[1].Failures[0].Error())
}
