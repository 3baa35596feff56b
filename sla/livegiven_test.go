package sla_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestLiveGivenSaysNoData: the margin of a rule whose source a Live is
// not fed (LiveGiven) is no_data, with no margin, as an evaluation says
// of it; without LiveGiven every source is taken as given, and an empty
// period has its whole margin.
func TestLiveGivenSaysNoData(t *testing.T) {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	now := time.Date(2027, 5, 20, 12, 0, 0, 0, paris)
	for _, tc := range []struct {
		name   string
		opts   []sla.LiveOption
		noData []string
	}{
		{"every source taken as given", nil, nil},
		{"tickets and calls given", []sla.LiveOption{sla.LiveGiven(contract.Tickets, contract.Calls)}, []string{"CSAT", "AVAIL-ERP", "AVAIL-MAIL"}},
		{"tickets given", []sla.LiveOption{sla.LiveGiven(contract.Tickets)},
			[]string{"TEL-ANSWER", "TEL-SL", "TEL-ABANDON", "FCR", "CSAT", "AVAIL-ERP", "AVAIL-MAIL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := sla.NewLive(c, tc.opts...)
			require.NoError(t, err)
			m, err := l.Margin(now)
			require.NoError(t, err)
			require.Len(t, m.Rules, 14)
			for _, r := range m.Rules {
				switch {
				case slices.Contains(tc.noData, r.Rule):
					require.Equal(t, sla.StatusNoData, r.Status, r.Rule)
					require.Equal(t, "no "+r.Source+" given: not evaluated", r.Note, r.Rule)
					require.Nil(t, r.MissesLeft, r.Rule)
					require.Nil(t, r.DowntimeLeft, r.Rule)
				case r.Rule == "AVAIL-ERP":
					require.NotNil(t, r.DowntimeLeft, "an availability given no outage has its whole downtime left")
				case r.Rule == "TEL-ANSWER":
					require.Equal(t, sla.StatusNotApplicable, r.Status)
					require.NotNil(t, r.MissesLeft)
				}
				if !slices.Contains(tc.noData, r.Rule) {
					require.NotEqual(t, sla.StatusNoData, r.Status, r.Rule)
				}
			}
		})
	}
}
