package sla_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// h1Feed are the records of the reference data, each as a function
// that feeds it to an evaluator.
type h1Feed struct {
	c    *contract.Contract
	feed []func(*sla.Evaluator)
	vols map[string]map[string]decimal.Decimal
}

func loadH1Feed(t testing.TB) *h1Feed {
	t.Helper()
	h := &h1Feed{c: loadACME(t)}
	for _, r := range h1JSONL[pacte.Ticket](t, "tickets.jsonl") {
		h.feed = append(h.feed, func(e *sla.Evaluator) { e.AddTicket(&r) })
	}
	for _, r := range h1JSONL[pacte.Call](t, "calls.jsonl") {
		h.feed = append(h.feed, func(e *sla.Evaluator) { e.AddCall(&r) })
	}
	for _, r := range h1JSONL[pacte.Outage](t, "outages.jsonl") {
		h.feed = append(h.feed, func(e *sla.Evaluator) { e.AddOutage(&r) })
	}
	for _, r := range h1JSONL[pacte.Sample](t, "samples.jsonl") {
		h.feed = append(h.feed, func(e *sla.Evaluator) { e.AddSample(&r) })
	}
	b, err := os.ReadFile(filepath.Join(h1Dir, "volumes.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &h.vols))
	return h
}

// evaluator returns an evaluator fed with records [from, to).
func (h *h1Feed) evaluator(t testing.TB, from, to int, opts ...sla.Option) *sla.Evaluator {
	e, err := sla.NewEvaluator(h.c, opts...)
	require.NoError(t, err)
	for _, f := range h.feed[from:to] {
		f(e)
	}
	return e
}

func stateReportJSON(t testing.TB, e *sla.Evaluator, vols map[string]map[string]decimal.Decimal) []byte {
	t.Helper()
	rep, err := e.Report(vols, nil)
	require.NoError(t, err)
	b, err := json.MarshalIndent(rep, "", "  ")
	require.NoError(t, err)
	return b
}

// TestStateSplitMerge: the reference data split at random points into
// parts, each evaluated on its own, marshalled, unmarshalled and merged in
// a random order, gives the report of one evaluation of it all, byte for
// byte; with the extraction instant given, and without it (tickets then
// run until the report).
func TestStateSplitMerge(t *testing.T) {
	h := loadH1Feed(t)
	for _, withAsOf := range []bool{true, false} {
		var opts []sla.Option
		if withAsOf {
			opts = append(opts, sla.AsOf(asOf))
		}
		want := stateReportJSON(t, h.evaluator(t, 0, len(h.feed), opts...), h.vols)
		require.Contains(t, string(want), `"excluded_items"`, "the parts' listings of excluded items merge too")
		rng := rand.New(rand.NewPCG(19, map[bool]uint64{true: 1, false: 2}[withAsOf]))
		for run := range 12 {
			k := 1 + rng.IntN(5)
			cuts := []int{0, len(h.feed)}
			for range k - 1 {
				cuts = append(cuts, rng.IntN(len(h.feed)+1))
			}
			slices.Sort(cuts)
			var states [][]byte
			for i := range len(cuts) - 1 {
				b, err := h.evaluator(t, cuts[i], cuts[i+1], opts...).MarshalBinary()
				require.NoError(t, err)
				states = append(states, b)
			}
			rng.Shuffle(len(states), func(i, j int) { states[i], states[j] = states[j], states[i] })
			var merged *sla.Evaluator
			for _, b := range states {
				e, err := sla.NewEvaluator(h.c)
				require.NoError(t, err)
				require.NoError(t, e.UnmarshalBinary(b))
				again, err := e.MarshalBinary()
				require.NoError(t, err)
				require.Equal(t, b, again, "a state read and written back is the same bytes")
				if merged == nil {
					merged = e
				} else {
					require.NoError(t, merged.Merge(e))
				}
			}
			got := stateReportJSON(t, merged, h.vols)
			require.True(t, bytes.Equal(want, got), "run %d (as of given: %v), cuts %v: the merged report differs", run, withAsOf, cuts)
		}
	}
}

// TestStateDeterministic: the same state gives the same bytes, and a
// report unchanged by a round trip.
func TestStateDeterministic(t *testing.T) {
	h := loadH1Feed(t)
	a, err := h.evaluator(t, 0, len(h.feed)).MarshalBinary()
	require.NoError(t, err)
	b, err := h.evaluator(t, 0, len(h.feed)).MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, a, b)
}

// TestStateRefused: a state of another contract, of another version, or
// truncated is refused with an error that says so.
func TestStateRefused(t *testing.T) {
	h := loadH1Feed(t)
	state, err := h.evaluator(t, 0, len(h.feed)/2).MarshalBinary()
	require.NoError(t, err)

	text, err := os.ReadFile("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	other, err := contract.Parse([]byte(strings.Replace(string(text), "answer_rate >= 90%", "answer_rate >= 91%", 1)), "acme.yaml")
	require.NoError(t, err)
	e, err := sla.NewEvaluator(other)
	require.NoError(t, err)
	err = e.UnmarshalBinary(state)
	require.ErrorIs(t, err, sla.ErrOtherContract)

	e, err = sla.NewEvaluator(h.c)
	require.NoError(t, err)
	future := bytes.Clone(state)
	future[8] = sla.StateVersion + 1
	err = e.UnmarshalBinary(future)
	require.ErrorIs(t, err, sla.ErrStateVersion)
	require.Contains(t, err.Error(), "version 2, this build reads version 1")

	for _, bad := range [][]byte{nil, []byte("not a state"), state[:len(state)/2], append(bytes.Clone(state), 0)} {
		err := e.UnmarshalBinary(bad)
		require.ErrorIs(t, err, sla.ErrCorruptState)
		require.False(t, errors.Is(err, sla.ErrOtherContract))
	}
}
