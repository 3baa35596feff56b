package simulate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rule(res *Result, id string) RuleRisk {
	for _, r := range res.Rules {
		if r.ID == id {
			return r
		}
	}
	return RuleRisk{}
}

// The P1 restoration median from 1h to 6h: with the same runs at every
// point, each P1 incident takes longer as the median grows, and the
// penalties of INC-P1 never fall.
func TestSweepRestoreMedian(t *testing.T) {
	c := referenceContract(t)
	sc := parse(t, tinyACME)
	var progress [][2]int
	p := RestoreMedian("incident", "P1", time.Hour, 2*time.Hour, 4*time.Hour, 6*time.Hour)
	assert.Equal(t, "incident P1 restore median", p.Name)
	assert.Equal(t, []string{"1h0m0s", "2h0m0s", "4h0m0s", "6h0m0s"}, p.Values)
	s, err := Sweep(context.Background(), c, sc, p, Options{Runs: 3, Seed: 11, Progress: func(done, total int) {
		progress = append(progress, [2]int{done, total})
	}})
	require.NoError(t, err)
	require.Len(t, s.Points, 4)
	assert.Len(t, progress, 12)
	assert.Equal(t, [2]int{12, 12}, progress[len(progress)-1])
	prev := rule(s.Points[0].Result, "INC-P1")
	for _, pt := range s.Points[1:] {
		r := rule(pt.Result, "INC-P1")
		assert.True(t, r.ExpectedPenalty.GreaterThanOrEqual(prev.ExpectedPenalty), "%s: %s < %s", pt.Value, r.ExpectedPenalty, prev.ExpectedPenalty)
		assert.True(t, r.MeanBreaches.GreaterThanOrEqual(prev.MeanBreaches), pt.Value)
		prev = r
	}
	assert.True(t, s.Points[3].Penalties.Mean.GreaterThan(s.Points[0].Penalties.Mean))
	// The sweep did not change the scenario it was given.
	assert.Equal(t, Lognormal(2*time.Hour, 5*time.Hour), sc.Tickets[0].Restore)

	tb := s.Table()
	assert.Equal(t, []string{"incident P1 restore median", "mean", "P50", "P90", "P99", "max", "net", "margin", "margin P10"}, tb.Header)
	require.Len(t, tb.Rows, 4)
	assert.Equal(t, "6h0m0s", tb.Rows[3][0])
	assert.Equal(t, amount(s.Points[3].Penalties.P90), tb.Rows[3][3])

	ch := s.Chart()
	assert.Equal(t, []string{"1h0m0s", "2h0m0s", "4h0m0s", "6h0m0s"}, ch.X)
	require.Len(t, ch.Series, 3)
	assert.Equal(t, "P90", ch.Series[1].Name)
	assert.True(t, ch.Series[1].Dashed)
	assert.True(t, s.Points[2].Penalties.P90.Equal(ch.Series[1].Values[2]))
	var svg strings.Builder
	require.NoError(t, ch.WriteSVG(&svg))
	assert.True(t, strings.HasPrefix(svg.String(), "<svg"), svg.String()[:min(80, svg.Len())])
	assert.Contains(t, svg.String(), "incident P1 restore median")
}

// More agents, fewer telephony penalties: the same calls, answered
// sooner.
func TestSweepAgents(t *testing.T) {
	s, err := Sweep(context.Background(), referenceContract(t), parse(t, tinyACME), Agents(1, 2, 4), Options{Runs: 2, Seed: 3})
	require.NoError(t, err)
	require.Len(t, s.Points, 3)
	tel := func(pt SensitivityPoint) float64 {
		sum := 0.0
		for _, id := range []string{"TEL-ANSWER", "TEL-SL", "TEL-ABANDON"} {
			sum += rule(pt.Result, id).ExpectedPenalty.InexactFloat64()
		}
		return sum
	}
	assert.GreaterOrEqual(t, tel(s.Points[0]), tel(s.Points[1]))
	assert.GreaterOrEqual(t, tel(s.Points[1]), tel(s.Points[2]))
	assert.Positive(t, tel(s.Points[0]), "one agent for 900 calls a month breaches")
	// The cost follows the agents.
	assert.True(t, s.Points[2].Result.Term.Cost.GreaterThan(s.Points[0].Result.Term.Cost))
}

func TestParameters(t *testing.T) {
	sc := parse(t, tinyACME)
	v := Volume(0.5, 2)
	assert.Equal(t, []string{"×0.5", "×2"}, v.Values)
	c := sc.Clone()
	require.NoError(t, v.Set(c, 1))
	assert.InDelta(t, 12, c.Tickets[0].PerMonth, 0)
	assert.InDelta(t, 1800, c.Calls.PerMonth, 0)
	assert.InDelta(t, 2, c.Outages[0].PerMonth, 0)

	err := RestoreMedian("incident", "P9", time.Hour).Set(sc.Clone(), 0)
	require.EqualError(t, err, `the scenario has no ticket class of kind "incident" and priority "P9"`)
	err = Agents(3).Set(&Scenario{}, 0)
	require.EqualError(t, err, "the scenario has no calls")

	_, err = Sweep(context.Background(), referenceContract(t), sc, Parameter{Name: "nothing"}, Options{})
	require.EqualError(t, err, "simulate: a parameter needs values and a Set function")
	_, err = Sweep(context.Background(), referenceContract(t), sc, RestoreMedian("incident", "P9", time.Hour), Options{Runs: 1})
	require.EqualError(t, err, `simulate: incident P9 restore median = 1h0m0s: the scenario has no ticket class of kind "incident" and priority "P9"`)
}

func TestWithMedian(t *testing.T) {
	d, err := withMedian(Lognormal(2*time.Hour, 6*time.Hour), 4*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, Lognormal(4*time.Hour, 12*time.Hour), d)
	d, err = withMedian(Exponential(time.Hour), 2*time.Hour)
	require.NoError(t, err)
	assert.InDelta(t, float64(2*time.Hour), float64(d.Mean)*0.6931471805599453, float64(time.Second))
	d, err = withMedian(Empirical(time.Hour, 2*time.Hour, 10*time.Hour), 4*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, Empirical(2*time.Hour, 4*time.Hour, 20*time.Hour), d)
	d, err = withMedian(Fixed(time.Hour), 3*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, Fixed(3*time.Hour), d)
	_, err = withMedian(Dist{History: true}, time.Hour)
	require.Error(t, err)
	_, err = withMedian(Empirical(0, 0, time.Hour), time.Hour)
	require.Error(t, err)
}
