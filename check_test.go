package pacte

import (
	"errors"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/stretchr/testify/require"
)

func TestRangeBounds(t *testing.T) {
	require.Equal(t, time.Date(calendar.MinYear, 1, 2, 0, 0, 0, 0, time.UTC).Unix(), MinUnix)
	require.Equal(t, time.Date(calendar.MaxYear, 12, 30, 0, 0, 0, 0, time.UTC).Unix(), MaxUnix)
	require.True(t, InRange(time.Time{}))
	require.True(t, InRange(time.Unix(MinUnix, 0)))
	require.False(t, InRange(time.Unix(MinUnix-1, 0)))
	require.True(t, InRange(time.Unix(MaxUnix, 0)))
	require.False(t, InRange(time.Unix(MaxUnix+1, 0)))
}

func TestChecks(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v
	}
	opened := at("2027-03-01T09:00:00+01:00")
	for _, tc := range []struct {
		name   string
		err    error
		field  string
		reason error
		detail string
	}{
		{"valid ticket", CheckTicket(&Ticket{ID: "T", Opened: opened}, nil), "", nil, ""},
		{"ticket without id", CheckTicket(&Ticket{Opened: opened}, nil), "id", ErrMissing, "ticket without an id"},
		{"year 1", CheckTicket(&Ticket{ID: "T", Opened: at("0001-06-01T00:00:00Z")}, time.UTC), "opened", ErrOutOfRange,
			"opened (0001-06-01T00:00:00Z) is outside 1900–2199"},
		{"year 9999", CheckTicket(&Ticket{ID: "T", Opened: opened, Closed: at("9999-12-31T23:59:59Z")}, time.UTC), "closed", ErrOutOfRange,
			"closed (9999-12-31T23:59:59Z) is outside 1900–2199"},
		{"resolved first", CheckTicket(&Ticket{ID: "T", Opened: opened, Resolved: opened.Add(-time.Hour)}, nil), "resolved", ErrOrder,
			"resolved (2027-03-01T08:00:00+01:00) before opened (2027-03-01T09:00:00+01:00)"},
		{"history", CheckTicket(&Ticket{ID: "T", Opened: opened, History: []StatusChange{{At: opened.Add(time.Hour)}, {At: opened}}}, time.UTC),
			"history", ErrOrder, "status history out of time order at 2027-03-01T08:00:00Z"},
		{"pause", CheckTicket(&Ticket{ID: "T", Opened: opened, Pauses: []Interval{{End: opened}}}, nil), "pauses", ErrOrder, ""},
		{"valid call", CheckCall(&Call{ID: "C", Offered: opened, Answered: opened}, nil), "", nil, ""},
		{"ended before answered", CheckCall(&Call{ID: "C", Offered: opened, Answered: opened.Add(time.Minute), Ended: opened}, nil),
			"ended", ErrOrder, "ended (2027-03-01T09:00:00+01:00) before answered (2027-03-01T09:01:00+01:00)"},
		{"answered and abandoned", CheckCall(&Call{ID: "C", Offered: opened, Answered: opened, Abandoned: true}, nil),
			"abandoned", ErrConflict, "both answered and abandoned"},
		{"outage", CheckOutage(&Outage{Service: "ERP", Start: opened, End: opened.Add(-1)}, nil), "end", ErrOrder, "ends before it starts"},
		{"outage announced in year 1", CheckOutage(&Outage{Service: "ERP", Start: opened, Announced: time.Unix(MinUnix-1, 0)}, nil),
			"announced", ErrOutOfRange, ""},
		{"sample", CheckSample(&Sample{Name: "csat"}, nil), "at", ErrMissing, "sample without an instant"},
		{"valid sample", CheckSample(&Sample{Name: "csat", At: opened}, nil), "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.reason == nil {
				require.NoError(t, tc.err)
				return
			}
			var inv *InvalidError
			require.ErrorAs(t, tc.err, &inv)
			require.Equal(t, tc.field, inv.Field)
			require.True(t, errors.Is(tc.err, tc.reason), "%v is not %v", tc.err, tc.reason)
			if tc.detail != "" {
				require.Equal(t, tc.detail, tc.err.Error())
			}
		})
	}
}
