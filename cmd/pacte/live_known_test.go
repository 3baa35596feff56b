package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

// knownAt passes on the records begun by the instant, that one included,
// and leaves out those begun after it.
func TestKnownAt(t *testing.T) {
	at := time.Date(2027, time.May, 19, 11, 0, 0, 0, time.UTC)
	var added []string
	add := knownAt(at, func(c pacte.Call) time.Time { return c.Offered }, func(c pacte.Call) error {
		added = append(added, c.ID)
		return nil
	})
	for _, c := range []pacte.Call{
		{ID: "before", Offered: at.Add(-time.Minute)},
		{ID: "at", Offered: at},
		{ID: "after", Offered: at.Add(time.Second)},
	} {
		require.NoError(t, add(c))
	}
	require.Equal(t, []string{"before", "at"}, added)
}

// timers counts the calls offered by its instant: on the 19th of May, the
// month's call rules have fewer eligible calls than at its end.
func TestTimersCallsKnownAt(t *testing.T) {
	eligible := func(at string) float64 {
		t.Helper()
		r := run1(t, append([]string{"timers", acme, "-at", at, "-format", "json"}, liveData...)...)
		require.Equal(t, 0, r.code, r.stderr)
		var out struct {
			Margin struct{ Rules []map[string]any } `json:"margin"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
		for _, rule := range out.Margin.Rules {
			if rule["rule"] == "TEL-ANSWER" {
				n, ok := rule["eligible"].(float64)
				require.True(t, ok, "%v", rule)
				return n
			}
		}
		t.Fatalf("no TEL-ANSWER in the margin at %s", at)
		return 0
	}
	mid, end := eligible("2027-05-19T11:00"), eligible("2027-05-31T23:00")
	require.Positive(t, mid)
	require.Less(t, mid, end)
}
