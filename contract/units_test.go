package contract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// unitRules are the rules the formulas of the unit tests belong to: R
// with the objective under test; S measures a share, C a count and T a
// duration, for result().
const unitRules = `
  - {id: S, source: calls, objective: answer_rate >= 90%}
  - {id: C, source: tickets, objective: count(priority == "P1") <= 3}
  - {id: T, source: calls, objective: p90(wait) <= 1min}
`

// unitContract is a contract whose rule R has the objective and the
// penalty given, and the rules of unitRules after it.
func unitContract(objective, penalty string) string {
	return testHead + fmt.Sprintf("rules:\n  - id: R\n    source: tickets\n    clock: {start: opened, stop: resolved, calendar: 24x7}\n    deadline: 4h\n    objective: %s\n    penalty: %s\n", objective, penalty) +
		unitRules + "calendars: {24x7: 24x7}\n"
}

// The formulas that compare or add values of one unit, or a unit and a
// number that has none, load.
func TestUnitsAccepted(t *testing.T) {
	share, count, score, mean := "share(on_time) >= 90%", "missed <= 3", "mean(satisfaction) >= 4.0", "p90(elapsed) <= 8h"
	for _, tt := range []struct{ objective, penalty string }{
		{share, "{when: achieved < 80%, amount: 100}"},
		{share, "{when: shortfall > 0, amount: 100}"},                // 0 is 0 in every unit
		{share, "{when: achieved * 100 < 80, amount: 100}"},          // points
		{share, "'shortfall / 1% > 2 ? 200 : 100'"},                  // points
		{share, "'10 * ceil(shortfall / 1%) * 100'"},                 // an amount per started point
		{share, "{when: achieved / objective < 0.9, amount: 100}"},   // a ratio of shares
		{share, "{when: missed > 3 && consecutive >= 2, amount: 1}"}, // counts
		{share, "{when: missed / eligible > 5%, amount: 100}"},       // a share of the items
		{share, "{when: 'result(\"S\").achieved < 90%', amount: 1}"}, // a rule written after
		{share, "{when: 'result(\"C\").achieved > 3', amount: 1}"},   // a count
		{share, "{when: 'result(\"T\").achieved_duration > 30s', amount: 1}"},
		{count, "{when: achieved > 5, amount: 100}"},
		{count, "{when: shortfall >= 2, amount: 100}"},
		{score, "{when: achieved < 3.5, amount: 1000}"}, // a score is a number
		{score, "{when: objective - achieved > 0.5, amount: 1000}"},
		{mean, "{when: achieved > 12h, amount: 100}"},
		{mean, "'ceil(shortfall / 1h) * 100'"},
	} {
		_, err := Parse([]byte(unitContract(tt.objective, tt.penalty)), "test.yaml")
		require.NoError(t, err, "%s / %s", tt.objective, tt.penalty)
	}
}

// A share compared with a number without its percent sign, a count with
// a percentage, a duration with a number without its unit: refused at
// the number, naming the rule and the value.
func TestUnitsRefused(t *testing.T) {
	share, count, mean := "share(on_time) >= 90%", "missed <= 3", "p90(elapsed) <= 8h"
	for _, tt := range []struct {
		objective, penalty string
		msg, hint          string
	}{
		{share, "{when: achieved < 80, amount: 100}",
			"rule R, penalty when: achieved is a share (80% is 0.8), and 80 a number without its percent sign: achieved < 80 always holds", "write 80%"},
		{share, "{when: shortfall > 2, amount: 100}",
			"rule R, penalty when: shortfall is a share (2% is 0.02), and 2 a number without its percent sign: shortfall > 2 never holds", "write 2%"},
		{share, "{when: achieved < 1, amount: 100}",
			"rule R, penalty when: achieved is a share, and 1 a number without its percent sign: 100% or 1%?", "write the percentage meant: 100%, or 1% for one point"},
		{share, "'achieved >= 0.85 ? 100 : 200'",
			"rule R, penalty: achieved is a share, and 0.85 a number without its percent sign: 85% or 0.85%?", "write the percentage meant: 85%, or 0.85% for 0.85 of a point"},
		{share, "{tiers: [{range: '[0%, 90%)', amount: 'objective - achieved > 5 ? 200 : 100'}]}",
			"rule R, penalty tier: objective - achieved is a share (5% is 0.05), and 5 a number without its percent sign", "write 5%"},
		{share, "{when: 'result(\"S\").achieved < 90', amount: 1}",
			`rule R, penalty when: result("S").achieved is a share (90% is 0.9), and 90 a number without its percent sign: result("S").achieved < 90 always holds`, "write 90%"},
		{share, "{when: breached, amount: 100, max: 'achieved < 50 ? invoice : 0'}",
			"rule R, penalty max: achieved is a share (50% is 0.5), and 50 a number without its percent sign: achieved < 50 always holds", "write 50%"},
		{share, "{when: achieved * 100 < 80%, amount: 100}",
			"rule R, penalty when: achieved * 100 is a number of points, and 80% a percentage, the number 0.8", "write the points without %: 80; or compare the share itself with 80%"},
		{count, "{when: missed > 5%, amount: 100}",
			"rule R, penalty when: missed is a count, a whole number, and 5% a percentage, the number 0.05", "write the number itself: 5; a share is a count divided by another: missed / eligible"},
		{count, "{when: achieved >= 10%, amount: 100}",
			"rule R, penalty when: achieved is a count, a whole number, and 10% a percentage, the number 0.1", "write the number itself: 10; a share is a count divided by another: missed / eligible"},
		{mean, "{when: achieved > 4, amount: 100}",
			"rule R, penalty when: invalid operation: > (mismatched types duration and int)", "achieved is a duration: write the unit: 4h, 4min or 4s; a number of hours is achieved / 1h"},
	} {
		_, err := Parse([]byte(unitContract(tt.objective, tt.penalty)), "test.yaml")
		var e *dsl.Error
		require.ErrorAs(t, err, &e, tt.penalty)
		require.ErrorIs(t, err, dsl.ErrType, tt.penalty)
		require.Equal(t, tt.msg, e.Rule+", "+e.Field+": "+e.Msg, tt.penalty)
		require.Equal(t, tt.hint, e.Hint, tt.penalty)
		require.Equal(t, 10, e.Line, tt.penalty)
		require.Equal(t, "    penalty: "+tt.penalty, e.Text, tt.penalty)
	}
}

// A group's counts are counts; its formulas read the rules' results with
// their units.
func TestUnitsOfGroups(t *testing.T) {
	group := func(when string) string {
		return testHead + "rules:" + unitRules + "groups:\n  - {id: G, members: [S], penalty: {when: '" + when + "', amount: 100}}\n"
	}
	for _, when := range []string{"breached_count >= 2", `result("S").achieved < 90%`, "penalised_count > 0", "members_penalty > 1000"} {
		_, err := Parse([]byte(group(when)), "test.yaml")
		require.NoError(t, err, when)
	}
	for when, msg := range map[string]string{
		"breached_count > 50%":        "breached_count is a count, a whole number, and 50% a percentage, the number 0.5",
		`result("S").achieved <= 95`:  `result("S").achieved is a share (95% is 0.95), and 95 a number without its percent sign: result("S").achieved <= 95 always holds`,
		`result("S").missed > 2% * 3`: "",
	} {
		_, err := Parse([]byte(group(when)), "test.yaml")
		if msg == "" {
			require.NoError(t, err, when)
			continue
		}
		var e *dsl.Error
		require.ErrorAs(t, err, &e, when)
		require.Equal(t, "group G", e.Rule, when)
		require.Equal(t, msg, e.Msg, when)
	}
}

// A version's formulas have the units of its objective: a penalty written
// for a count is refused when a version measures a share with it.
func TestUnitsOfVersions(t *testing.T) {
	text := strings.Replace(unitContract("missed <= 3", "{when: achieved > 5, amount: 100}"),
		"    penalty:", "    versions: [{from: 2027-07-01, objective: share(on_time) >= 90%}]\n    penalty:", 1)
	_, err := Parse([]byte(text), "test.yaml")
	var e *dsl.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "achieved is a share (5% is 0.05), and 5 a number without its percent sign: achieved > 5 never holds", e.Msg)
	require.Equal(t, 11, e.Line)
}
