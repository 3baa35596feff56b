package sla

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/require"
)

func TestReadFields(t *testing.T) {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	e, err := NewEvaluator(c)
	require.NoError(t, err)
	// The scopes read kind, priority and category (and the link's
	// priority), the exclusions the exclusion; the rest is left alone.
	require.Equal(t, fieldKind|fieldPriority|fieldCategory|fieldExclusion, readFields(e))
	require.False(t, readsClock(e))
}

// liveFeed is a randomized feed of updates and ticks over tickets of the
// reference contract: assignments and comments (fields no rule reads),
// status changes into and out of a wait, explicit pauses (some dated
// after the update), acknowledgements, resolutions, reopenings, changes
// of priority and exclusion, with ticks between.
func liveFeed(seed uint64, tickets, steps int) []WatchInput {
	r := rand.New(rand.NewPCG(seed, seed+1))
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2028, 6, 12, 8, 0, 0, 0, paris)
	ts := make([]pacte.Ticket, tickets)
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	var in []WatchInput
	emit := func(t *pacte.Ticket) {
		c := *t
		c.History, c.Pauses, c.Reopened = slices.Clone(t.History), slices.Clone(t.Pauses), slices.Clone(t.Reopened)
		if t.Attrs != nil {
			c.Attrs = map[string]string{"note": t.Attrs["note"]}
		}
		in = append(in, WatchInput{At: now, Ticket: &c})
	}
	for i := range ts {
		now = now.Add(time.Duration(r.IntN(20)) * time.Minute)
		ts[i] = pacte.Ticket{ID: fmt.Sprintf("T%03d", i), Kind: pick("incident", "incident", "request"), Priority: pick("P1", "P2", "P3"),
			Category: "standard", Opened: now, History: []pacte.StatusChange{{At: now, Status: "new"}}}
		emit(&ts[i])
	}
	for range steps {
		now = now.Add(time.Duration(1+r.IntN(90)) * time.Minute)
		if r.IntN(5) == 0 {
			in = append(in, WatchInput{At: now})
			continue
		}
		t := &ts[r.IntN(len(ts))]
		status := func(s string) { t.History = append(t.History, pacte.StatusChange{At: now, Status: s}) }
		switch k := r.IntN(20); {
		case k < 8: // assigned, or a comment
			t.Group = pick("desk", "network", "apps")
			if k%2 == 0 {
				t.Attrs = map[string]string{"note": pick("a", "b", "c")}
			}
		case k < 10:
			status("in progress")
			if t.Acknowledged.IsZero() {
				t.Acknowledged = now
			}
		case k < 12:
			status("waiting for client")
		case k == 12: // a pause given by the tool, maybe dated later
			start := now.Add(time.Duration(r.IntN(3)-1) * 30 * time.Minute)
			t.Pauses = append(t.Pauses, pacte.Interval{Start: start, End: start.Add(time.Duration(1+r.IntN(4)) * 30 * time.Minute)})
		case k < 15:
			if t.Resolved.IsZero() {
				t.Resolved = now
				status("resolved")
			} else {
				t.Resolved = time.Time{}
				t.Reopened = append(t.Reopened, now)
				status("in progress")
			}
		case k == 15:
			t.Priority = pick("P1", "P2", "P3", "P4")
		case k == 16:
			t.Exclusion = pick("", "", "client")
		default: // the same version again
		}
		emit(t)
	}
	return in
}

// The watch that keeps an unchanged ticket's timers emits what a watch
// that evaluates every update in full emits, and its timers are those of
// a table given each ticket's last version once: on the reference
// contract, and on one whose P3 scope reads the status history, which
// the scopes of text fields alone do not keep.
func TestWatchShortcutAgreesWithFullUpdates(t *testing.T) {
	acme, err := os.ReadFile("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	p3 := `scope: kind == "incident" && priority == "P3"`
	require.Contains(t, string(acme), p3)
	for _, text := range []string{string(acme), strings.Replace(string(acme), p3, p3+` && len(history) < 5`, 1)} {
		c, err := contract.Parse([]byte(text), "acme.yaml")
		require.NoError(t, err)
		shortcutAgrees(t, c)
	}
}

func shortcutAgrees(t *testing.T, c *contract.Contract) {
	t.Helper()
	for seed := range uint64(6) {
		in := liveFeed(seed, 40, 3000)
		events := func(l *Live, opts ...WatchOption) []Event {
			evs, err := l.Watch(slices.Values(in), opts...)
			require.NoError(t, err)
			return slices.Collect(evs)
		}
		fast, err := NewLive(c, TimersOnly())
		require.NoError(t, err)
		full, err := NewLive(c, TimersOnly())
		require.NoError(t, err)
		full.inFull = true
		want := events(full)
		sameEvents(t, want, events(fast), seed)
		require.Greater(t, len(want), 100)

		fresh, err := NewLive(c, TimersOnly())
		require.NoError(t, err)
		fresh.inFull = true
		last := map[string]*pacte.Ticket{}
		for _, x := range in {
			if x.Ticket != nil {
				last[x.Ticket.ID] = x.Ticket
			}
		}
		for _, tk := range last {
			require.NoError(t, fresh.Update(*tk))
		}
		end := in[len(in)-1].At.Add(time.Hour)
		require.Equal(t, fresh.Open(), fast.Open())
		for id := range last {
			got, errGot := fast.Timers(id, end)
			want, errWant := full.Timers(id, end)
			require.Equal(t, errWant == nil, errGot == nil, id)
			require.Equal(t, want, got, id)
			// A table given the last version alone does not know the
			// rules that took the ticket before: no cancelled timers.
			want, _ = fresh.Timers(id, end)
			got = slices.DeleteFunc(got, func(tm Timer) bool { return tm.Stage == StageCancelled })
			require.Equal(t, want, got, id)
		}

		// Within a lateness, the same again.
		lateFast, err := NewLive(c, TimersOnly())
		require.NoError(t, err)
		lateFull, err := NewLive(c, TimersOnly())
		require.NoError(t, err)
		lateFull.inFull = true
		sameEvents(t, events(lateFull, Lateness(time.Hour)), events(lateFast, Lateness(time.Hour)), seed)
	}
}

// sameEvents requires two watches' events to be the same, and names the
// first that differs.
func sameEvents(t *testing.T, want, got []Event, seed uint64) {
	t.Helper()
	for i := range min(len(want), len(got)) {
		require.Equal(t, want[i], got[i], "seed %d, event %d", seed, i)
	}
	require.Equal(t, len(want), len(got), "seed %d", seed)
}

// An update that changes only fields no rule reads is not evaluated again;
// one that changes a field a rule reads is.
func TestUnchangedUpdate(t *testing.T) {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	l, err := NewLive(c, TimersOnly())
	require.NoError(t, err)
	in := liveFeed(9, 1, 0)
	tk := *in[0].Ticket
	require.NoError(t, l.Update(tk))
	next := func(change func(*pacte.Ticket)) bool {
		v := tk
		v.History = slices.Clone(tk.History)
		change(&v)
		_, _, same, err := l.upsert(&v)
		require.NoError(t, err)
		return same
	}
	require.True(t, next(func(v *pacte.Ticket) { v.Group = "apps" }))
	require.True(t, next(func(v *pacte.Ticket) { v.Service, v.Level, v.Status = "ERP", 2, "assigned" }))
	require.True(t, next(func(v *pacte.Ticket) { v.Attrs = map[string]string{"note": "x"} }))
	require.False(t, next(func(v *pacte.Ticket) { v.Priority = "P4" }))
	require.False(t, next(func(v *pacte.Ticket) { v.Exclusion = "client" }))
	require.False(t, next(func(v *pacte.Ticket) { v.History = append(v.History, pacte.StatusChange{At: v.Opened, Status: "new"}) }))
	require.False(t, next(func(v *pacte.Ticket) { v.History[0].Status = "in progress" }))
	require.False(t, next(func(v *pacte.Ticket) { v.Acknowledged = v.Opened }))
	require.False(t, next(func(v *pacte.Ticket) { v.Pauses = []pacte.Interval{{Start: v.Opened}} }))
	require.False(t, next(func(v *pacte.Ticket) { v.Reopened = []time.Time{v.Opened} }))
	require.False(t, next(func(v *pacte.Ticket) { v.Links = []pacte.Link{{ID: "x"}} }))
	require.False(t, next(func(v *pacte.Ticket) { v.Opened = v.Opened.Add(-time.Second); v.History[0].At = v.Opened }))
}

// The keys of the tables a rule's deadline and calendar are looked up in
// are read too: a ticket that moves to another site or category gets its
// timers again.
func TestReadFieldsOfLookups(t *testing.T) {
	c, err := contract.Load("../examples/contracts/catalogue.yaml")
	require.NoError(t, err)
	e, err := NewEvaluator(c)
	require.NoError(t, err)
	read := readFields(e)
	require.NotZero(t, read&fieldCategory, "the deadline's key")
	require.NotZero(t, read&fieldAttrs, "the calendar's key")
}

// An agreed exclusion reaches the timers whatever the rules read.
func TestAgreedExclusionIsAChange(t *testing.T) {
	a := map[string]string{"note": "x"}
	b := map[string]string{"note": "x", pacte.AttrAgreedExclusion: "client"}
	require.True(t, sameAgreedExclusion(a, map[string]string{}))
	require.False(t, sameAgreedExclusion(a, b))
	require.True(t, sameAgreedExclusion(b, maps.Clone(b)))
}
