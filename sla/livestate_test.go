package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestLiveStateResumes: a live table written and read back midway, then
// given the rest of the updates, holds what the table that never stopped
// holds: the same timers, margin and state bytes.
func TestLiveStateResumes(t *testing.T) {
	c := loadACME(t)
	d := genData(4, 600, time.May, time.July)
	now := time.Date(2027, time.June, 17, 15, 30, 0, 0, paris)
	ups := replay(d.tickets, now)
	for _, opts := range [][]sla.LiveOption{nil, {sla.TimersOnly()}} {
		whole, err := sla.NewLive(c, opts...)
		require.NoError(t, err)
		for i, up := range ups {
			_ = whole.Update(up.t)
			if i < 20 {
				_ = whole.AddCall(d.calls[i])
			}
		}
		first, err := sla.NewLive(c, opts...)
		require.NoError(t, err)
		half := len(ups) / 2
		for i, up := range ups[:half] {
			_ = first.Update(up.t)
			if i < 20 {
				_ = first.AddCall(d.calls[i])
			}
		}
		state, err := first.MarshalBinary()
		require.NoError(t, err)
		resumed, err := sla.NewLive(c, opts...)
		require.NoError(t, err)
		require.NoError(t, resumed.UnmarshalBinary(state))
		again, err := resumed.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, state, again, "read and written back, the same bytes")
		for _, up := range ups[half:] {
			_ = resumed.Update(up.t)
		}
		require.Equal(t, whole.Open(), resumed.Open())
		b1, err := whole.MarshalBinary()
		require.NoError(t, err)
		b2, err := resumed.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, b1, b2, "the same table, the same bytes")
		require.Equal(t, whole.AppendOpenTimers(nil, now), resumed.AppendOpenTimers(nil, now))
		if opts == nil {
			m1, err := whole.Margin(now)
			require.NoError(t, err)
			m2, err := resumed.Margin(now)
			require.NoError(t, err)
			j1, _ := json.Marshal(m1)
			j2, _ := json.Marshal(m2)
			require.JSONEq(t, string(j1), string(j2))
		}
		other, err := sla.NewLive(c, append(opts, sla.TimersOnly())...)
		require.NoError(t, err)
		if opts == nil {
			require.ErrorIs(t, other.UnmarshalBinary(state), sla.ErrCorruptState)
		}
		e, err := sla.NewEvaluator(c)
		require.NoError(t, err)
		require.ErrorIs(t, e.UnmarshalBinary(state), sla.ErrCorruptState, "a live table's state is not an evaluator's")
	}
}

// FuzzLiveUnmarshal: a corrupt live state is an error, never a panic;
// what decodes writes back to the same bytes.
func FuzzLiveUnmarshal(f *testing.F) {
	c := loadACME(f)
	d := genData(5, 120, time.May, time.July)
	now := time.Date(2027, time.June, 17, 15, 30, 0, 0, paris)
	l, err := sla.NewLive(c)
	if err != nil {
		f.Fatal(err)
	}
	for i, up := range replay(d.tickets, now) {
		_ = l.Update(up.t)
		if i%40 == 0 {
			b, err := l.MarshalBinary()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	into, err := sla.NewLive(c)
	if err != nil {
		f.Fatal(err)
	}
	fuzzStateRoundTrip(f, into, func(l *sla.Live) error {
		_, err := l.Margin(now)
		return err
	})
}
