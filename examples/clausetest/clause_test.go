package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestINCP1 is a contract author's unit test of clause INC-P1: given these
// three P1 incidents, the clause costs exactly 150.00.
func TestINCP1(t *testing.T) {
	c, err := contract.Load("../contracts/acme.yaml")
	require.NoError(t, err)

	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values(threeP1(c.Location())),
		AsOf:    time.Date(2027, time.May, 1, 0, 0, 0, 0, c.Location()),
	})
	require.NoError(t, err)

	april := rep.Periods[0]
	require.Equal(t, "2027-04", april.Period)
	inc := april.Rules[slices.IndexFunc(april.Rules, func(r sla.RuleReport) bool { return r.ID == "INC-P1" })]

	// Three incidents, one restored after 4 h of HE time: below 20, the
	// objective is "at most one missed", which is met.
	require.Equal(t, 3, inc.Eligible)
	require.Equal(t, 1, inc.Missed)
	require.True(t, inc.SmallVolume)
	require.Equal(t, sla.StatusMet, inc.Status)
	// INC-3: 08:00 to 16:30 is 8 h 30 of HE time, one started hour beyond
	// 8 h: 150.00, due whether the objective is met or not.
	require.Equal(t, "INC-3", inc.MissedItems[0].ID)
	require.Equal(t, "8h30min", inc.MissedItems[0].Measured)
	require.Equal(t, "150.00", inc.MissedItems[0].Amount.StringFixed(2))
	require.Equal(t, "150.00", inc.Penalty.StringFixed(2))
}

func TestMainRunsFromTheRepositoryRoot(t *testing.T) {
	c, err := contract.Load("../contracts/acme.yaml")
	require.NoError(t, err)
	got, err := inc1Penalty(c)
	require.NoError(t, err)
	require.Equal(t, "150.00", got)
}
