package simulate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanStaffing(t *testing.T) {
	c, sc := referenceContract(t), parse(t, tinyACME)
	opts := Options{Runs: 4, Seed: 8}
	plan, err := PlanStaffing(context.Background(), c, sc, StaffingScale(0.5, 1, 2), decimal.NewFromInt(1_000_000), opts)
	require.NoError(t, err)
	require.Len(t, plan.Options, 3)
	assert.Equal(t, []string{"×0.5", "×1", "×2"}, []string{plan.Options[0].Value, plan.Options[1].Value, plan.Options[2].Value})
	// Two agents: one, two, four.
	assert.True(t, plan.Options[0].AgentHours.Mul(decimal.NewFromInt(2)).Equal(plan.Options[1].AgentHours))
	assert.True(t, plan.Options[1].AgentHours.Mul(decimal.NewFromInt(2)).Equal(plan.Options[2].AgentHours))
	assert.True(t, plan.Options[0].Cost.LessThan(plan.Options[2].Cost))
	assert.Equal(t, 0, plan.Cheapest, "every staffing is under a limit of a million: the cheapest wins")
	assert.False(t, plan.Options[2].Penalties.Mean.GreaterThan(plan.Options[0].Penalties.Mean), "more agents, fewer call penalties")
	assert.Contains(t, plan.Summary(), "The cheapest staffing whose P90 of the net penalty stays under 1,000,000 EUR is ×0.5")
	assert.Len(t, plan.Charts(), 2)
	assert.Len(t, plan.Table().Rows, 3)

	plan, err = PlanStaffing(context.Background(), c, sc, StaffingScale(1, 2), decimal.NewFromInt(-1), opts)
	require.NoError(t, err)
	assert.Equal(t, -1, plan.Cheapest)
	assert.Contains(t, plan.Summary(), "No staffing evaluated")

	_, err = PlanStaffing(context.Background(), c, sc, ServiceLevelTarget(0.8), decimal.NewFromInt(1), opts)
	require.ErrorContains(t, err, "the scenario does not staff the desk by a target")
}

func TestStaffingScaleIsValidated(t *testing.T) {
	_, err := ParseScenario([]byte("calls: {per_month: 10, handling: 5m, staffing: {agents: 2, scale: -1}}\n"), "s.yaml")
	require.ErrorContains(t, err, "want a factor from 0 to 100 (1.2 staffs a fifth more), not -1")
}

// A sweep and a staffing plan say, as a result does, that their runs were
// drawn in antithetic pairs: their JSON is read without the options.
func TestSweepAndPlanSayAntithetic(t *testing.T) {
	c, sc := referenceContract(t), parse(t, tinyACME)
	for _, antithetic := range []bool{false, true} {
		opts := Options{Runs: 4, Seed: 8, Antithetic: antithetic}
		s, err := Sweep(context.Background(), c, sc, StaffingScale(1, 2), opts)
		require.NoError(t, err)
		require.Equal(t, antithetic, s.Antithetic)
		require.Equal(t, antithetic, s.Points[0].Result.Antithetic)
		plan, err := PlanStaffing(context.Background(), c, sc, StaffingScale(1, 2), decimal.NewFromInt(1_000_000), opts)
		require.NoError(t, err)
		require.Equal(t, antithetic, plan.Antithetic)
		data, err := json.Marshal(plan)
		require.NoError(t, err)
		require.Equal(t, antithetic, strings.Contains(string(data), `"antithetic":true`))
	}
}
