package sla

import (
	"math"
	"reflect"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

// TestStateFormatCoversState: every field of what an evaluator
// accumulates is one the state format writes. A field added to one of
// these types fails here until MarshalBinary and UnmarshalBinary write and
// read it (and StateVersion moves, once a version is released).
func TestStateFormatCoversState(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		for f := range reflect.TypeOf(v).Fields() {
			out = append(out, f.Name)
		}
		return out
	}
	for _, c := range []struct {
		v    any
		want []string
	}{
		{state{}, []string{"accs", "records", "rejected", "errors", "volumes", "maxSeen", "running", "ongoing", "hot"}},
		{config{}, []string{"from", "to", "asOf", "listMissed", "given"}},
		{acc{}, []string{"objs", "nMissed", "calls", "excluded", "late", "perItem", "perItemFees", "missed", "excludedItems", "outages"}},
		{objAcc{}, []string{"eligible", "holds", "n", "sumHi", "sumLo", "sumDec", "sumInt", "durs", "decs", "ints", "min", "max"}},
		{itemMeasure{}, []string{"eligible", "holds", "dur", "dec", "num", "typ"}},
		{callAcc{}, []string{"offered", "answered", "abandoned", "short", "within", "waitSum"}},
		{outageSpan{}, []string{"id", "start", "end", "whole"}},
		{runningTicket{}, []string{"t", "rules", "tally"}},
		{recordTally{}, []string{"counted", "reason", "err"}},
		{records{}, []string{"tickets", "calls", "outages", "samples", "others"}},
		{tallies{}, []string{"read", "counted", "excluded", "rejected", "reasons", "inferred"}},
		{MissedItem{}, []string{"ID", "At", "Measured", "Deadline", "Late", "Amount", "Open", "Adjustment", "feeCoefs"}},
		{ExcludedItem{}, []string{"ID", "At", "Reason", "Adjustment"}},
		{Rejection{}, []string{"Source", "Line", "Column", "ID", "Error"}},
		{RuleError{}, []string{"Rule", "Item", "Period", "Error"}},
		{pacte.Ticket{}, []string{"ID", "Kind", "Priority", "Service", "Category", "Group", "Level", "Opened", "Acknowledged",
			"Resolved", "Closed", "Status", "History", "Pauses", "Reopened", "ReopenCount", "ReassignmentCount", "Satisfaction", "Links", "Exclusion", "Attrs"}},
		{pacte.Link{}, []string{"ID", "Kind", "Priority", "Resolved"}},
		{pacte.Outage{}, []string{"ID", "Service", "Start", "End", "Planned", "Announced", "Attrs"}},
	} {
		require.Equal(t, c.want, fields(c.v), "%T", c.v)
	}
}

// TestStateNumbers: the reader takes back every number the writer writes,
// and refuses a longer encoding of one, so that a state read and written
// back is the same bytes.
func TestStateNumbers(t *testing.T) {
	for _, n := range []int64{0, 1, -1, 63, -64, 64, 127, 128, 1 << 20, -(1 << 40), math.MaxInt64, math.MinInt64} {
		var w stateWriter
		w.int(n)
		w.uint(uint64(n))
		r := stateReader{buf: w.buf}
		require.Equal(t, n, r.int(), "int %d", n)
		require.Equal(t, uint64(n), r.uint(), "uint %d", n)
		require.NoError(t, r.err)
		require.Empty(t, r.buf)
	}
	for _, bad := range [][]byte{{0x80, 0x00}, {0x81, 0x80, 0x00}, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, {0x80}} {
		r := stateReader{buf: bad}
		r.uint()
		require.ErrorIs(t, r.err, ErrCorruptState, "uint % x", bad)
		r = stateReader{buf: bad}
		r.int()
		require.ErrorIs(t, r.err, ErrCorruptState, "int % x", bad)
	}
}
