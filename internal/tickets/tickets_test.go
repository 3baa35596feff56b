package tickets

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

func TestEnteredAndFirstLink(t *testing.T) {
	at := time.Date(2027, time.May, 5, 16, 0, 0, 0, time.UTC)
	tk := &pacte.Ticket{
		History: []pacte.StatusChange{{At: at, Status: "new"}, {At: at.Add(time.Hour), Status: "Known Error"}, {At: at.Add(2 * time.Hour), Status: "known error"}},
		Links:   []pacte.Link{{ID: "I1", Kind: "incident"}, {ID: "P1", Kind: "Problem"}, {ID: "P2", Kind: "problem"}},
	}
	require.Equal(t, at.Add(time.Hour), Entered(tk, "known error"), "the first time, whatever the case")
	require.True(t, Entered(tk, "closed").IsZero())
	require.Equal(t, "P1", FirstLink(tk, "problem").ID)
	require.Equal(t, pacte.Link{}, FirstLink(tk, "change"))
}

func TestReopenedWithin(t *testing.T) {
	resolved := time.Date(2027, time.May, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		t    pacte.Ticket
		d    time.Duration
		want bool
	}{
		{"never reopened", pacte.Ticket{Resolved: resolved}, 72 * time.Hour, false},
		{"at the limit", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(72 * time.Hour)}}, 72 * time.Hour, true},
		{"a nanosecond late", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(72*time.Hour + 1)}}, 72 * time.Hour, false},
		{"the last resolution of the history before it", pacte.Ticket{
			History:  []pacte.StatusChange{{At: resolved, Status: "résolu"}, {At: resolved.Add(24 * time.Hour), Status: "Done"}},
			Reopened: []time.Time{resolved.Add(25 * time.Hour)},
		}, time.Hour, true},
		{"no known resolution", pacte.Ticket{Reopened: []time.Time{resolved}}, time.Nanosecond, true},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ReopenedWithin(&tt.t, tt.d), tt.name)
	}
}
