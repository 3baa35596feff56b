package simulate

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A contract compared with itself differs in nothing, exactly; the base
// of a comparison is the simulation's own result for the same runs.
func TestCompareWithItself(t *testing.T) {
	sim := tinySimulation(t)
	opts := Options{Runs: 6, Seed: 2}
	cmp, err := Compare(context.Background(), sim, sim.Contract(), opts)
	require.NoError(t, err)
	alone, err := sim.Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, jsonOf(t, alone), jsonOf(t, cmp.Base))
	assert.Equal(t, jsonOf(t, alone), jsonOf(t, cmp.Variant))
	for _, d := range cmp.Differences {
		assert.True(t, d.Difference.IsZero(), d.Figure)
		require.NotNil(t, d.DifferenceCI.Low, d.Figure)
		assert.True(t, d.DifferenceCI.Low.IsZero() && d.DifferenceCI.High.IsZero(), "%s: %v", d.Figure, d.DifferenceCI)
	}
}

// A relaxed deadline on P1 incidents costs less, never more, run by run,
// and the difference's interval says so.
func TestCompareRelaxedDeadline(t *testing.T) {
	sim := tinySimulation(t)
	relaxed, err := Amend(sim.Contract(), nil, Amendment{Path: "rules.INC-P1.deadline", Value: "8h"})
	require.NoError(t, err)
	rule, ok := relaxed.Rule("INC-P1")
	require.True(t, ok)
	assert.Contains(t, rule.Deadline.Text, "8h")
	cmp, err := Compare(context.Background(), sim, relaxed, Options{Runs: 8, Seed: 4, Antithetic: true})
	require.NoError(t, err)
	var found bool
	for _, d := range cmp.Differences {
		if d.Figure == "rule INC-P1, expected penalty" {
			found = true
			assert.True(t, d.Difference.IsNegative(), "%+v", d)
			assert.True(t, !d.DifferenceCI.High.IsPositive(), "%+v", d)
		}
	}
	assert.True(t, found)
	for i := range cmp.Base.Figures {
		assert.False(t, cmp.Variant.Figures[i].Rules[4].Penalty.GreaterThan(cmp.Base.Figures[i].Rules[4].Penalty), "run %d", i)
	}
	assert.Contains(t, cmp.Table().Title, "What-if: ACME Industrie")
	ch := cmp.Chart()
	assert.Len(t, ch.Series, 2)
	assert.NoError(t, ch.WriteSVG(io.Discard))
}

func TestAmendErrors(t *testing.T) {
	c := referenceContract(t)
	for _, a := range []struct {
		am   Amendment
		want string
	}{
		{Amendment{"rules.NOPE.deadline", "6h"}, `no item with id "NOPE"`},
		{Amendment{"rules.INC-P1", "6h"}, "is a whole item"},
		{Amendment{"nothing.here", "1"}, `no key "nothing"`},
		{Amendment{"rules.INC-P1.deadline", "soon"}, "deadline"},
	} {
		_, err := Amend(c, nil, a.am)
		require.Error(t, err, a.am)
		assert.Contains(t, err.Error(), a.want, a.am)
	}
	_, err := ParseAmendment("rules.INC-P1.deadline")
	require.Error(t, err)
	a, err := ParseAmendment(" penalties.caps.month = 5% * invoice ")
	require.NoError(t, err)
	assert.Equal(t, Amendment{"penalties.caps.month", "5% * invoice"}, a)
	// A key the file lacks is added.
	capped, err := Amend(c, nil, Amendment{"rules.INC-P1.cap", "2000.00"})
	require.NoError(t, err)
	r, _ := capped.Rule("INC-P1")
	assert.False(t, r.Cap.IsZero())
}
