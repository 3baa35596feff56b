package sla

import (
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
		{acc{}, []string{"objs", "nMissed", "calls", "excluded", "late", "perItem", "perItemFees", "missed", "outages"}},
		{objAcc{}, []string{"eligible", "holds", "n", "sumHi", "sumLo", "sumDec", "sumInt", "durs", "decs", "ints", "min", "max"}},
		{itemMeasure{}, []string{"eligible", "holds", "dur", "dec", "num", "typ"}},
		{callAcc{}, []string{"offered", "answered", "abandoned", "short", "within", "waitSum"}},
		{outageSpan{}, []string{"id", "start", "end", "whole"}},
		{runningTicket{}, []string{"t", "rules", "tally"}},
		{recordTally{}, []string{"counted", "reason", "err"}},
		{records{}, []string{"tickets", "calls", "outages", "samples", "others"}},
		{tallies{}, []string{"read", "counted", "excluded", "rejected", "reasons", "inferred"}},
		{MissedItem{}, []string{"ID", "At", "Measured", "Deadline", "Late", "Amount", "Open", "Adjustment", "feeCoefs"}},
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
