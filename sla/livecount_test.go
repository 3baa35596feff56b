package sla

import (
	"os"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/require"
)

// A running ticket within its deadline that an exclusion leaves out,
// agreed or the rule's, is noted once in the live counts, as the evaluation notes it.
func TestLiveNotesARunningExclusionOnce(t *testing.T) {
	// The mini contract of the tests (its P1 rule first: 4 h on HO
	// 09:00-17:00), whose tickets the client may cause.
	rules, err := os.ReadFile("testdata/mini-rules.yaml")
	require.NoError(t, err)
	c, err := contract.Parse([]byte(`contract: mini
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
defaults:
  tickets:
    exclude:
      caused by the client: exclusion == "client"
`+string(rules)), "mini.yaml")
	require.NoError(t, err)
	l, err := NewLive(c)
	require.NoError(t, err)
	opened := time.Date(2027, 3, 1, 9, 0, 0, 0, c.Location())
	require.NoError(t, l.Update(pacte.Ticket{ID: "A", Priority: "P1", Opened: opened,
		Attrs: map[string]string{pacte.AttrAgreedExclusion: "change freeze"}}))
	require.NoError(t, l.Update(pacte.Ticket{ID: "B", Priority: "P1", Opened: opened, Exclusion: "client"}))
	w, running, err := l.stateAt(opened.Add(time.Hour))
	require.NoError(t, err)
	require.Zero(t, running[0], "an excluded ticket is not counted as met")
	excluded := map[string]int{}
	for _, byPeriod := range w.st.accs {
		for _, a := range byPeriod {
			if a != nil {
				for reason, n := range a.excluded {
					excluded[reason] += n
				}
			}
		}
	}
	require.Equal(t, map[string]int{reasonAgreed + "change freeze": 1, "caused by the client": 1}, excluded)
	// The tickets' accounting says why each was left out.
	reasons := map[string]int{}
	for _, r := range w.st.record(contract.Tickets).reasons {
		reasons[r.reason] += r.n
	}
	require.Equal(t, map[string]int{reasonAgreed + "change freeze": 1, "caused by the client": 1}, reasons)
}
