package sla_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestUnitOfASourceNotGiven: a work unit whose volume counts the records
// of a source the input does not give (UO-TEL counts calls) bills 0, and
// the report says why, as it does of a reported volume that is missing:
// the invoice, and every cap computed on it, is then below the contract's.
// A source given, even empty, raises no warning.
func TestUnitOfASourceNotGiven(t *testing.T) {
	c := loadACME(t)
	at := h1At("2027-05-01 00:00")
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Tickets: slices.Values([]pacte.Ticket{}),
		AsOf:    at,
	}, sla.Between(h1At("2027-04-01 00:00"), h1At("2027-05-01 00:00")))
	require.NoError(t, err)
	var found []string
	for _, w := range rep.Warnings {
		if strings.Contains(w, "not given") {
			found = append(found, w)
		}
	}
	require.Equal(t, []string{"work unit UO-TEL counts calls, which were not given: billed 0"}, found)
	require.Contains(t, rep.Periods[0].Invoice.Warnings, found[0])
}
