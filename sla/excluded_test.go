package sla_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// exclusionRules has a rule of each source with exclusions of its own;
// the tickets' read the ticket's exclusion field, as the defaults of the
// reference contract do.
const exclusionRules = `
calendars:
  HO: mon-fri 09:00-17:00
  24x7: 24x7
work_units:
  FEE: {fixed: 1000.00}
rules:
  - id: TKT
    source: tickets
    scope: priority == "P1"
    exclude:
      caused by the client: exclusion == "client"
      force majeure: exclusion == "force majeure"
    objective: share(level == 1) >= 50%
  - id: TEL
    source: calls
    short_abandon: 10s
    exclude:
      test line: queue == "test"
    objective: answer_rate >= 90%
  - id: AVAIL
    source: outages
    availability: {calendar: 24x7, min_outage: 2min}
    exclude:
      announced maintenance: planned
    objective: availability >= 99%
  - id: CSAT
    source: samples
    scope: name == "csat"
    exclude:
      pilot site: attrs.site == "pilot"
    objective: mean(value) >= 4.0
`

// agreed marks a record as an agreed adjustment does: left out of every
// rule, with what was decided.
func agreed(reason string) map[string]string {
	return map[string]string{pacte.AttrAgreedExclusion: reason, pacte.AttrAdjustment: "exclude: " + reason + " (agreed by both, 2027-03-10)"}
}

// TestExcludedItems: every kind of exclusion of every source names the
// item it left out, with its reason, the instant that placed it in the
// period and its agreed adjustment; a short abandon is counted, not
// listed.
func TestExcludedItems(t *testing.T) {
	c := contractOf2027(t, "exclusions", exclusionRules)
	march := func(s string) string { return "2027-03-" + s }
	for _, tc := range []struct {
		name   string
		in     sla.Input
		rule   string
		want   []sla.ExcludedItem
		counts map[string]int
	}{
		{name: "ticket, its own exclusion field", rule: "TKT",
			in: sla.Input{Tickets: slices.Values([]pacte.Ticket{
				{ID: "T1", Priority: "P1", Level: 1, Opened: at(t, march("01 09:00")), Resolved: at(t, march("02 10:00"))},
				{ID: "T2", Priority: "P1", Opened: at(t, march("03 09:00")), Resolved: at(t, march("04 10:00")), Exclusion: "client"},
				{ID: "T3", Priority: "P1", Opened: at(t, march("03 09:00")), Resolved: at(t, march("05 10:00")), Exclusion: "force majeure"},
			})},
			want: []sla.ExcludedItem{
				{ID: "T2", At: at(t, march("04 10:00")), Reason: "caused by the client"},
				{ID: "T3", At: at(t, march("05 10:00")), Reason: "force majeure"},
			},
			counts: map[string]int{"caused by the client": 1, "force majeure": 1}},
		{name: "ticket, agreed exclusion", rule: "TKT",
			in: sla.Input{Tickets: slices.Values([]pacte.Ticket{
				{ID: "T4", Priority: "P1", Opened: at(t, march("08 09:00")), Resolved: at(t, march("09 10:00")), Attrs: agreed("site closed")},
			})},
			want:   []sla.ExcludedItem{{ID: "T4", At: at(t, march("09 10:00")), Reason: "agreed: site closed", Adjustment: "exclude: site closed (agreed by both, 2027-03-10)"}},
			counts: map[string]int{"agreed: site closed": 1}},
		{name: "call, the rule's exclusion; a short abandon only counted", rule: "TEL",
			in: sla.Input{Calls: slices.Values([]pacte.Call{
				{ID: "C1", Offered: at(t, march("01 10:00")), Answered: at(t, march("01 10:01"))},
				{ID: "C2", Queue: "test", Offered: at(t, march("02 10:00")), Answered: at(t, march("02 10:01"))},
				{ID: "C3", Offered: at(t, march("03 10:00")), Ended: at(t, march("03 10:00")).Add(5e9), Abandoned: true},
			})},
			want:   []sla.ExcludedItem{{ID: "C2", At: at(t, march("02 10:00")), Reason: "test line"}},
			counts: map[string]int{"test line": 1, "short abandon": 1}},
		{name: "outage, planned maintenance, agreed, shorter than the minimum", rule: "AVAIL",
			in: sla.Input{Outages: slices.Values([]pacte.Outage{
				{ID: "O1", Service: "ERP", Start: at(t, march("10 02:00")), End: at(t, march("10 04:00")), Planned: true},
				{ID: "O2", Service: "ERP", Start: at(t, march("11 02:00")), End: at(t, march("11 03:00")), Attrs: agreed("power cut")},
				{ID: "O3", Service: "ERP", Start: at(t, march("12 02:00")), End: at(t, march("12 02:01"))},
				{ID: "O4", Service: "ERP", Start: at(t, march("13 02:00")), End: at(t, march("13 02:30"))},
			})},
			want: []sla.ExcludedItem{
				{ID: "O1", At: at(t, march("10 02:00")), Reason: "announced maintenance"},
				{ID: "O2", At: at(t, march("11 02:00")), Reason: "agreed: power cut", Adjustment: "exclude: power cut (agreed by both, 2027-03-10)"},
				{ID: "O3", At: at(t, march("12 02:00")), Reason: "shorter than the minimum outage (2min)"},
			},
			counts: map[string]int{"announced maintenance": 1, "agreed: power cut": 1, "shorter than the minimum outage (2min)": 1}},
		{name: "sample, the rule's exclusion", rule: "CSAT",
			in: sla.Input{Samples: slices.Values([]pacte.Sample{
				{ID: "S1", Name: "csat", At: at(t, march("15 12:00")), Value: decimal.NewFromInt(5)},
				{ID: "S2", Name: "csat", At: at(t, march("16 12:00")), Value: decimal.NewFromInt(1), Attrs: map[string]string{"site": "pilot"}},
			})},
			want:   []sla.ExcludedItem{{ID: "S2", At: at(t, march("16 12:00")), Reason: "pilot site"}},
			counts: map[string]int{"pilot site": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.AsOf = at(t, "2027-04-01 00:00")
			rep, err := sla.Evaluate(context.Background(), c, tc.in)
			require.NoError(t, err)
			r := rule(t, rep, "2027-03", tc.rule)
			require.Equal(t, tc.counts, r.Excluded)
			require.Equal(t, tc.want, r.ExcludedItems)
			require.Equal(t, len(tc.want), r.ExcludedListed)
		})
	}
}

// TestExcludedItemsListed: the listing limit of missed items bounds the
// excluded items too, the counts staying exact; items are listed by
// instant, then ID, in the contract's zone, whatever the order they came
// in; the JSON report names them, and leaves the fields out when none is
// listed.
func TestExcludedItemsListed(t *testing.T) {
	c := contractOf2027(t, "exclusions", exclusionRules)
	var tickets []pacte.Ticket
	for _, id := range []string{"E5", "E3", "E1", "E4", "E2"} {
		day := "2027-03-1" + id[1:]
		tickets = append(tickets, pacte.Ticket{ID: id, Priority: "P1", Opened: at(t, day+" 09:00"), Resolved: at(t, day+" 10:00").UTC(), Exclusion: "client"})
	}
	tickets = append(tickets, pacte.Ticket{ID: "M1", Priority: "P1", Level: 2, Opened: at(t, "2027-03-01 09:00"), Resolved: at(t, "2027-03-01 10:00")})
	for _, tc := range []struct {
		opts []sla.Option
		want []string
	}{
		{nil, []string{"E1", "E2", "E3", "E4", "E5"}},
		{[]sla.Option{sla.ListMissed(2)}, []string{"E3", "E5"}}, // the first two to come, listed in order
		{[]sla.Option{sla.ListMissed(0)}, nil},
	} {
		rep, err := sla.Evaluate(context.Background(), c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-04-01 00:00")}, tc.opts...)
		require.NoError(t, err)
		r := rule(t, rep, "2027-03", "TKT")
		require.Equal(t, map[string]int{"caused by the client": 5}, r.Excluded)
		var ids []string
		for _, it := range r.ExcludedItems {
			ids = append(ids, it.ID)
			require.Equal(t, paris, it.At.Location(), "in the contract's zone")
		}
		require.Equal(t, tc.want, ids)
		require.Equal(t, len(tc.want), r.ExcludedListed)
		require.LessOrEqual(t, len(r.MissedItems), 1)

		b, err := json.Marshal(r)
		require.NoError(t, err)
		if tc.want == nil {
			require.NotContains(t, string(b), "excluded_items")
			require.NotContains(t, string(b), "excluded_listed")
		} else {
			require.Contains(t, string(b), `"excluded_items":[{"id":"`+tc.want[0]+`","at":"2027-03-1`)
			require.Contains(t, string(b), `"reason":"caused by the client"`)
		}
	}
}

// TestExcludedItemsMerge: evaluators fed with parts of the records, their
// states marshalled, read back and merged, list the excluded items of one
// evaluation of them all; a state whose listed items outnumber the count
// of their reason is corrupt.
func TestExcludedItemsMerge(t *testing.T) {
	c := contractOf2027(t, "exclusions", exclusionRules)
	var outages []pacte.Outage
	for i, day := range []string{"02", "05", "09", "14", "20", "27"} {
		o := pacte.Outage{ID: "O" + day, Service: "ERP", Start: at(t, "2027-03-"+day+" 02:00"), End: at(t, "2027-03-"+day+" 03:00"), Planned: i%2 == 0}
		if i == 3 {
			o.Attrs = agreed("storm")
		}
		outages = append(outages, o)
	}
	asOf := sla.AsOf(at(t, "2027-04-01 00:00"))
	whole, err := sla.NewEvaluator(c, asOf)
	require.NoError(t, err)
	for i := range outages {
		whole.AddOutage(&outages[i])
	}
	want, err := whole.Report(nil, nil)
	require.NoError(t, err)
	require.Equal(t, 4, rule(t, want, "2027-03", "AVAIL").ExcludedListed)

	for _, cut := range []int{0, 1, 3, 5, 6} {
		var parts []*sla.Evaluator
		for _, span := range [][2]int{{0, cut}, {cut, len(outages)}} {
			e, err := sla.NewEvaluator(c, asOf)
			require.NoError(t, err)
			for i := span[0]; i < span[1]; i++ {
				e.AddOutage(&outages[i])
			}
			b, err := e.MarshalBinary()
			require.NoError(t, err)
			back, err := sla.NewEvaluator(c)
			require.NoError(t, err)
			require.NoError(t, back.UnmarshalBinary(b))
			parts = append(parts, back)
		}
		require.NoError(t, parts[1].Merge(parts[0]))
		got, err := parts[1].Report(nil, nil)
		require.NoError(t, err)
		require.Equal(t, rule(t, want, "2027-03", "AVAIL"), rule(t, got, "2027-03", "AVAIL"), "cut at %d", cut)
	}

	// One planned outage, counted once, listed once: the state says 1 then
	// lists it; a state that lists it twice for a count of 1 is refused.
	e, err := sla.NewEvaluator(c, asOf)
	require.NoError(t, err)
	e.AddOutage(&outages[0])
	b, err := e.MarshalBinary()
	require.NoError(t, err)
	// The listing is its count (1) then the item: its ID, instant,
	// reason and empty adjustment. Doubling the count and the item is
	// corrupt.
	start := bytes.Index(b, []byte("\x03O02"))
	require.Positive(t, start)
	require.Equal(t, byte(1), b[start-1], "the list's count")
	reason := []byte("\x15announced maintenance\x00")
	end := start + bytes.Index(b[start:], reason) + len(reason)
	twice := slices.Concat(b[:start-1], []byte{2}, b[start:end], b[start:end], b[end:])
	back, err := sla.NewEvaluator(c)
	require.NoError(t, err)
	err = back.UnmarshalBinary(twice)
	require.ErrorIs(t, err, sla.ErrCorruptState)
	require.Contains(t, err.Error(), `2 items listed as excluded for "announced maintenance", 1 counted`)
}
