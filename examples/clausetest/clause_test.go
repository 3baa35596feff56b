package main

import (
	"slices"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/stretchr/testify/require"
)

// TestINCP1 is a contract author's unit test of clause INC-P1, written in
// Go: given these three P1 incidents of April 2027, the clause costs
// exactly 150.00.
func TestINCP1(t *testing.T) {
	c, err := contract.Load("../contracts/acme.yaml")
	require.NoError(t, err)
	// Instants are written on the contract's calendars: "+8h30min HE" is
	// eight and a half hours of HE open time after the ticket was opened.
	b := slatest.NewRecords(t, c)
	tickets := []pacte.Ticket{
		b.Ticket("INC-1", "incident", "P1", "Mon 2027-04-05 09:00").Acknowledged("+5min").Resolved("+2h30min HE").Build(),
		b.Ticket("INC-2", "incident", "P1", "Tue 2027-04-06 14:00").Acknowledged("+5min").Resolved("+3h45min HE").Build(),
		b.Ticket("INC-3", "incident", "P1", "Wed 2027-04-07 08:00").Acknowledged("+5min").Resolved("+8h30min HE").Build(),
	}
	rep := slatest.Evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: b.At("2027-05-01 00:00")})

	// Three incidents, one restored after 4 h of HE time: below 20, the
	// objective is "at most one missed", which is met, so the 3 % of the
	// invoice is not due. INC-3 took 8 h 30 of HE time: one started hour
	// beyond 8 h, 150.00, due whether the objective is met or not.
	slatest.Rule(t, rep, "2027-04", "INC-P1").
		Eligible(3).Missed(1).MissedItems("INC-3").
		SmallVolume(true).Status(sla.StatusMet).
		RawPenalty("150.00").Penalty("150.00")
	slatest.Period(t, rep, "2027-04").Penalties("150.00").Net("150.00").Capped(false)
}

// TestClauses runs the contract's clause test file, each case a subtest.
func TestClauses(t *testing.T) {
	slatest.RunFile(t, "../contracts/acme_test.yaml")
	slatest.RunFile(t, "../contracts/desk_test.yaml")
	slatest.RunFile(t, "../contracts/quality_test.yaml")
	slatest.RunFile(t, "../contracts/catalogue_test.yaml")
}

func TestMainRunsTheFile(t *testing.T) {
	failed, err := run("../contracts/acme_test.yaml")
	require.NoError(t, err)
	require.Zero(t, failed)
}
