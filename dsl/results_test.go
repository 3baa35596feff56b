package dsl

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// lastMonths are results by id and offset, for tests.
type lastMonths map[string]map[int]RuleResult

func (m lastMonths) RuleResult(id string, offset int) RuleResult { return m[id][offset] }

func TestResultInPeriodsAndGroups(t *testing.T) {
	results := lastMonths{
		"P1": {0: {Measured: true, Breached: true, Penalised: true, Penalty: decimal.NewFromInt(500), Achieved: decimal.RequireFromString("0.8")},
			-1: {Measured: true, Breached: true, Penalised: false}},
		"MTTR": {0: {Measured: true, AchievedDuration: 5 * time.Hour}},
	}
	invoice := decimal.NewFromInt(10000)
	tests := []struct {
		src  string
		want string
	}{
		{`result("P1").penalised && result("P1", -1).breached ? 1% * invoice : 0`, "100"},
		{`result("P1", -1).penalised ? 1 : 2`, "2"},
		{`result("P1").penalty * 2 + (result("P1").achieved < 90% ? 1 : 0)`, "1001"},
		{`result("MTTR").achieved_duration > 4h ? 7 : 0`, "7"},
		{`result("NONE").measured ? 1 : 3`, "3"}, // what the engine does not know reads as not measured
	}
	for _, tt := range tests {
		p, err := Compile[Period[decimal.Decimal]](tt.src, Expect(Decimal))
		require.NoError(t, err, tt.src)
		v, err := EvalAs[decimal.Decimal](p, &Period[decimal.Decimal]{Invoice: invoice, Results: results})
		require.NoError(t, err, tt.src)
		require.True(t, decimal.RequireFromString(tt.want).Equal(v), "%s = %s, want %s", tt.src, v, tt.want)
	}

	g, err := Compile[Group](`penalised_count == members && penalised_in_a_row >= 2 && result("P1").penalised ? members_penalty / 10 + fee("F") : 0`,
		Expect(Decimal), WorkUnits("F"))
	require.NoError(t, err)
	v, err := EvalAs[decimal.Decimal](g, &Group{Members: 2, PenalisedCount: 2, PenalisedInARow: 3, MembersPenalty: decimal.NewFromInt(800),
		Fees: map[string]decimal.Decimal{"F": decimal.NewFromInt(5)}, Results: results})
	require.NoError(t, err)
	require.Equal(t, "85", v.String())
}

// result() is a function of the period formulas: an item's expression
// does not know it, and a period without results to read says so at run
// time, as an error of the language.
func TestResultWhereUnavailable(t *testing.T) {
	_, err := Compile[Ticket](`result("P1").breached`)
	require.ErrorIs(t, err, ErrUnknownName)
	_, err = Compile[Period[int]](`result("P1", "x").breached`)
	require.ErrorIs(t, err, ErrType)

	p, err := Compile[Period[int]](`result("P1").breached`)
	require.NoError(t, err)
	_, err = EvalAs[bool](p, &Period[int]{})
	require.ErrorIs(t, err, ErrRuntime)
	require.Contains(t, err.Error(), "result() is only available")
	var e *Error
	require.True(t, errors.As(err, &e))
}

func TestGroupNames(t *testing.T) {
	names := Names[Group]()
	for _, n := range []string{"breached", "breached_count", "consecutive", "penalised", "penalised_count", "penalised_in_a_row",
		"members", "measured", "members_penalty", "invoice", "fee", "result", "contract_year"} {
		require.Contains(t, names, n)
	}
	require.NotContains(t, names, "achieved", "a group has no measure of its own")
}
