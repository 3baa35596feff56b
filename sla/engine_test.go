package sla_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func loadACME(t testing.TB) *contract.Contract {
	t.Helper()
	c, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	return c
}

var asOf = time.Date(2027, time.July, 1, 0, 0, 0, 0, paris)

func (d dataset) input() sla.Input {
	return sla.Input{
		Tickets: slices.Values(d.tickets), Calls: slices.Values(d.calls),
		Outages: slices.Values(d.outages), Samples: slices.Values(d.samples),
		AsOf: asOf,
	}
}

func evaluate(t testing.TB, c *contract.Contract, in sla.Input, opts ...sla.Option) *sla.Report {
	t.Helper()
	rep, err := sla.Evaluate(context.Background(), c, in, opts...)
	require.NoError(t, err)
	checkAccounting(t, rep)
	return rep
}

func reportJSON(t testing.TB, rep *sla.Report) string {
	t.Helper()
	b, err := json.MarshalIndent(rep, "", "  ")
	require.NoError(t, err)
	return string(b)
}

// checkAccounting asserts that every record read is counted, excluded or
// rejected, and that the rejected ones are listed.
func checkAccounting(t testing.TB, rep *sla.Report) {
	t.Helper()
	rejected := 0
	for src, rc := range rep.Records {
		require.Equal(t, rc.Read, rc.Counted+rc.Excluded+rc.Rejected, "accounting of %s", src)
		sum := 0
		for _, n := range rc.Reasons {
			sum += n
		}
		require.Equal(t, rc.Excluded, sum, "reasons of %s", src)
		rejected += rc.Rejected
	}
	require.Len(t, rep.Rejected, rejected)
}

// TestAccountingOfEveryRecord: the records given are all read, and each is
// counted, excluded with a reason, or rejected with an error.
func TestAccountingOfEveryRecord(t *testing.T) {
	c := loadACME(t)
	for _, seed := range []uint64{1, 2, 3} {
		d := genData(seed, 400, time.January, time.July)
		in := d.input()
		in.From, in.To = time.Date(2027, 1, 1, 0, 0, 0, 0, paris), asOf
		rep := evaluate(t, c, in)
		require.Equal(t, len(d.tickets), rep.Records["tickets"].Read)
		require.Equal(t, len(d.calls), rep.Records["calls"].Read)
		require.Equal(t, len(d.outages), rep.Records["outages"].Read)
		require.Equal(t, len(d.samples), rep.Records["samples"].Read)
		require.Positive(t, rep.Records["tickets"].Rejected, "the generator makes bad tickets")
		require.Positive(t, rep.Records["calls"].Rejected, "and bad calls")
		require.Equal(t, 6, len(rep.Periods))
		require.Positive(t, rep.Records["tickets"].Reasons["after the reported periods"], "tickets resolved after June")
	}
}

// halfYear is the reference contract, genData's first half of 2027 for
// seed, and the JSON of their report.
func halfYear(t *testing.T, seed uint64) (*contract.Contract, dataset, string) {
	t.Helper()
	c := loadACME(t)
	d := genData(seed, 300, time.January, time.July)
	return c, d, reportJSON(t, evaluate(t, c, d.input()))
}

func shuffled[T any](r *rand.Rand, xs []T) []T {
	out := slices.Clone(xs)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestSameReportWhateverTheOrder: the report's bytes do not depend on the
// order of the records.
func TestSameReportWhateverTheOrder(t *testing.T) {
	c, d, want := halfYear(t, 4)
	r := rand.New(rand.NewPCG(5, 6))
	for range 3 {
		s := dataset{shuffled(r, d.tickets), shuffled(r, d.calls), shuffled(r, d.outages), shuffled(r, d.samples)}
		require.Equal(t, want, reportJSON(t, evaluate(t, c, s.input())))
	}
}

// TestSameReportWhateverTheZones: the zone the records' instants are
// expressed in, and GOMAXPROCS, do not change the report.
func TestSameReportWhateverTheZones(t *testing.T) {
	c, d, want := halfYear(t, 7)
	for _, name := range []string{"UTC", "Asia/Tokyo", "America/Los_Angeles"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		require.Equal(t, want, reportJSON(t, evaluate(t, c, inZone(d, loc).input())), name)
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	require.Equal(t, want, reportJSON(t, evaluate(t, c, d.input())), "GOMAXPROCS=1")
}

func inZone(d dataset, loc *time.Location) dataset {
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	var out dataset
	for _, t := range d.tickets {
		t.Opened, t.Acknowledged, t.Resolved, t.Closed = in(t.Opened), in(t.Acknowledged), in(t.Resolved), in(t.Closed)
		t.History = slices.Clone(t.History)
		for i := range t.History {
			t.History[i].At = in(t.History[i].At)
		}
		out.tickets = append(out.tickets, t)
	}
	for _, c := range d.calls {
		c.Offered, c.Answered, c.Ended = in(c.Offered), in(c.Answered), in(c.Ended)
		out.calls = append(out.calls, c)
	}
	for _, o := range d.outages {
		o.Start, o.End, o.Announced = in(o.Start), in(o.End), in(o.Announced)
		out.outages = append(out.outages, o)
	}
	for _, s := range d.samples {
		s.At = in(s.At)
		out.samples = append(out.samples, s)
	}
	return out
}

// TestMergeOfRandomSplits: evaluating parts of the data and merging gives
// the report of the whole.
func TestMergeOfRandomSplits(t *testing.T) {
	c, d, want := halfYear(t, 8)
	r := rand.New(rand.NewPCG(9, 10))
	for trial := range 5 {
		parts := 2 + r.IntN(3)
		evs := make([]*sla.Evaluator, parts)
		for i := range evs {
			var err error
			evs[i], err = sla.NewEvaluator(c, sla.AsOf(asOf))
			require.NoError(t, err)
		}
		for i := range d.tickets {
			evs[r.IntN(parts)].AddTicket(&d.tickets[i])
		}
		for i := range d.calls {
			evs[r.IntN(parts)].AddCall(&d.calls[i])
		}
		for i := range d.outages {
			evs[r.IntN(parts)].AddOutage(&d.outages[i])
		}
		for i := range d.samples {
			evs[r.IntN(parts)].AddSample(&d.samples[i])
		}
		for _, ev := range evs[1:] {
			require.NoError(t, evs[0].Merge(ev))
		}
		rep, err := evs[0].Report(nil, nil)
		require.NoError(t, err)
		checkAccounting(t, rep)
		require.Equal(t, want, reportJSON(t, rep), "trial %d, %d parts", trial, parts)
	}
}

// TestReportLeavesTheEvaluatorAsItWas: a report counts the running tickets
// without consuming them, so a later report sees them again.
func TestReportLeavesTheEvaluatorAsItWas(t *testing.T) {
	c := loadACME(t)
	d := genData(11, 200, time.January, time.July)
	ev, err := sla.NewEvaluator(c, sla.AsOf(asOf))
	require.NoError(t, err)
	for i := range d.tickets {
		ev.AddTicket(&d.tickets[i])
	}
	first, err := ev.Report(nil, nil)
	require.NoError(t, err)
	second, err := ev.Report(nil, nil)
	require.NoError(t, err)
	require.Equal(t, reportJSON(t, first), reportJSON(t, second))
}

func TestMergeRefusesAnotherContract(t *testing.T) {
	a, err := sla.NewEvaluator(loadACME(t))
	require.NoError(t, err)
	b, err := sla.NewEvaluator(loadACME(t))
	require.NoError(t, err)
	require.Error(t, a.Merge(b))
	require.NoError(t, a.Merge(nil))
}

func TestEvaluateStopsWhenCancelled(t *testing.T) {
	c := loadACME(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	endless := func(yield func(pacte.Call) bool) {
		for i := 0; ; i++ {
			if !yield(pacte.Call{ID: "C", Offered: asOf.Add(-time.Duration(i) * time.Second)}) {
				return
			}
		}
	}
	_, err := sla.Evaluate(ctx, c, sla.Input{Calls: iter.Seq[pacte.Call](endless)})
	require.ErrorIs(t, err, context.Canceled)
}

func TestOptionsAreChecked(t *testing.T) {
	c := loadACME(t)
	_, err := sla.NewEvaluator(c, sla.Between(asOf, asOf.Add(-time.Hour)))
	require.Error(t, err)
	_, err = sla.NewEvaluator(c, sla.ListMissed(-1))
	require.Error(t, err)
	_, err = sla.NewEvaluator(nil)
	require.Error(t, err)
}

// TestReaderRejectionsAreAccounted: rows a reader refused are listed and
// counted under their kind of record.
func TestReaderRejectionsAreAccounted(t *testing.T) {
	c := loadACME(t)
	bad := []*pacte.RecordError{
		{Kind: "tickets", Source: "incidents.csv", Line: 7, Column: "opened_at", ID: "INC7", Err: errors.New("bad date")},
		{Source: "calls.csv", Line: 3, Err: errors.New("bad row")},
	}
	rep := evaluate(t, c, sla.Input{Rejected: slices.Values(bad), AsOf: asOf})
	require.Equal(t, 1, rep.Records["tickets"].Rejected)
	require.Equal(t, 1, rep.Records["unknown"].Rejected)
	require.Equal(t, []sla.Rejection{
		{Source: "calls.csv", Line: 3, Error: "bad row"},
		{Source: "incidents.csv", Line: 7, Column: "opened_at", ID: "INC7", Error: "bad date"},
	}, rep.Rejected)
}

// TestInferredFieldsAreAccounted: the records whose fields a reader
// inferred are counted, by field, in the accounting, merged evaluators
// included.
func TestInferredFieldsAreAccounted(t *testing.T) {
	c := loadACME(t)
	tickets := []pacte.Ticket{
		{ID: "A", Kind: "incident", Priority: "P3", Opened: asOf.Add(-72 * time.Hour), Resolved: asOf.Add(-70 * time.Hour),
			Attrs: map[string]string{pacte.AttrInferred: "resolved"}},
		{ID: "B", Kind: "incident", Priority: "P3", Opened: asOf.Add(-72 * time.Hour), Resolved: asOf.Add(-70 * time.Hour), Closed: asOf.Add(-1 * time.Hour),
			Attrs: map[string]string{pacte.AttrInferred: "resolved,closed"}},
		{ID: "C", Kind: "incident", Priority: "P3", Opened: asOf.Add(-72 * time.Hour), Resolved: asOf.Add(-70 * time.Hour)},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: asOf})
	require.Equal(t, map[string]int{"resolved": 2, "closed": 1}, rep.Records["tickets"].Inferred)

	a, err := sla.NewEvaluator(c, sla.AsOf(asOf))
	require.NoError(t, err)
	b, err := sla.NewEvaluator(c, sla.AsOf(asOf))
	require.NoError(t, err)
	a.AddTicket(&tickets[0])
	b.AddTicket(&tickets[1])
	require.NoError(t, a.Merge(b))
	merged, err := a.Report(nil, nil)
	require.NoError(t, err)
	require.Equal(t, map[string]int{"resolved": 2, "closed": 1}, merged.Records["tickets"].Inferred)
}

// TestEmptyInput: no data and no range is an empty report, not an error.
// With a range, every period appears: a source not given leaves its rules
// without data (no penalty, no bonus), whereas a source given empty leaves
// its rules not applicable, but for availability, whose service time was
// all available.
func TestEmptyInput(t *testing.T) {
	c := loadACME(t)
	rep := evaluate(t, c, sla.Input{})
	require.Empty(t, rep.Periods)
	from := time.Date(2027, 4, 1, 0, 0, 0, 0, paris)
	given := sla.Input{From: from, To: from.AddDate(0, 2, 0), Tickets: slices.Values([]pacte.Ticket{}),
		Calls: slices.Values([]pacte.Call{}), Outages: slices.Values([]pacte.Outage{}), Samples: slices.Values([]pacte.Sample{})}
	for name, in := range map[string]sla.Input{"not given": {From: given.From, To: given.To}, "given empty": given} {
		rep = evaluate(t, c, in)
		require.Len(t, rep.Periods, 2, name)
		for _, p := range rep.Periods {
			require.Len(t, p.Rules, len(c.Rules()))
			for _, r := range p.Rules {
				switch {
				case name == "not given":
					require.Equal(t, sla.StatusNoData, r.Status, r.ID)
					require.Nil(t, r.Achieved, r.ID)
					require.Equal(t, "no "+rep.Rules[slices.IndexFunc(rep.Rules, func(ri sla.RuleInfo) bool { return ri.ID == r.ID })].Source+" given: not evaluated", r.Note)
					require.True(t, r.Penalty.IsZero() && r.Bonus.IsZero() && r.RawPenalty.IsZero() && r.RawBonus.IsZero(), r.ID)
				case r.Measure == "availability":
					// No outage recorded: the service time was all available.
					require.Equal(t, sla.StatusMet, r.Status, r.ID)
					require.Equal(t, "1", r.Achieved.Text())
				default:
					require.Equal(t, sla.StatusNotApplicable, r.Status, r.ID)
				}
			}
			require.Equal(t, "18000.00", p.Invoice.Total.StringFixed(2), "the fixed fee is due anyway")
		}
	}
}

// TestNoDataOnlyForTheSourceNotGiven: tickets given, outages not: the
// ticket rules are evaluated, the availability rules have no data, and a
// streaming evaluator told which sources it is fed says the same.
func TestNoDataOnlyForTheSourceNotGiven(t *testing.T) {
	c := loadACME(t)
	d := genData(3, 120, time.March, time.May)
	in := d.input()
	in.Outages = nil
	rep := evaluate(t, c, in)
	bySource := map[string]string{}
	for _, ri := range rep.Rules {
		bySource[ri.ID] = ri.Source
	}
	seen := map[sla.Status]bool{}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			seen[r.Status] = true
			require.Equal(t, bySource[r.ID] == "outages", r.Status == sla.StatusNoData, r.ID)
		}
	}
	require.True(t, seen[sla.StatusBreached] || seen[sla.StatusMet], "the rules of the sources given are evaluated")

	e, err := sla.NewEvaluator(c, sla.Given(contract.Tickets, contract.Calls, contract.Samples), sla.AsOf(in.AsOf))
	require.NoError(t, err)
	for tk := range in.Tickets {
		e.AddTicket(&tk)
	}
	for call := range in.Calls {
		e.AddCall(&call)
	}
	for s := range in.Samples {
		e.AddSample(&s)
	}
	streamed, err := e.Report(in.Volumes, in.Indices)
	require.NoError(t, err)
	require.Equal(t, rep, streamed)
}

// TestEvaluateIsTheStreamingEvaluator: Evaluate reports on its evaluator's
// own state, without the copy Report makes; without an extraction
// instant, it finalizes the running tickets and the ongoing outages there,
// and says what an Evaluator fed the same records says, report after
// report.
func TestEvaluateIsTheStreamingEvaluator(t *testing.T) {
	c := loadACME(t)
	d := genData(12, 300, time.January, time.July)
	in := d.input()
	in.AsOf = time.Time{} // running tickets wait for the report
	running := 0
	for _, tk := range d.tickets {
		if tk.Resolved.IsZero() {
			running++
		}
	}
	require.Positive(t, running, "the data should have running tickets")
	want := reportJSON(t, evaluate(t, c, in))
	ev, err := sla.NewEvaluator(c)
	require.NoError(t, err)
	for i := range d.tickets {
		ev.AddTicket(&d.tickets[i])
	}
	for i := range d.calls {
		ev.AddCall(&d.calls[i])
	}
	for i := range d.outages {
		ev.AddOutage(&d.outages[i])
	}
	for i := range d.samples {
		ev.AddSample(&d.samples[i])
	}
	for range 2 {
		rep, err := ev.Report(nil, nil)
		require.NoError(t, err)
		require.Equal(t, want, reportJSON(t, rep))
	}
}

// TestUnknownVolumeWarns: a volume given for a work unit the contract
// does not have is named in the warnings, with the unit it may mean.
func TestUnknownVolumeWarns(t *testing.T) {
	c := loadACME(t)
	from := time.Date(2027, 4, 1, 0, 0, 0, 0, paris)
	rep := evaluate(t, c, sla.Input{From: from, To: from.AddDate(0, 1, 0), Volumes: map[string]map[string]decimal.Decimal{
		"2027-04": {"UO-POSTEX": decimal.NewFromInt(800), "UO-POSTE": decimal.NewFromInt(800), "UO-SRV": decimal.NewFromInt(40)},
		"2027-05": {"UO-POSTEX": decimal.NewFromInt(810)},
	}})
	require.Equal(t, []string{`a volume is given for "UO-POSTEX" (2027-04, 2027-05), which is no work unit of the contract: it is ignored (did you mean "UO-POSTE"?)`,
		"work unit UO-TEL counts calls, which were not given: billed 0", "work unit UO-TKT counts tickets, which were not given: billed 0"},
		rep.Warnings)
}

// TestUnusedIndexWarns: index values the revision cannot read (another
// index, a key that is no month) are named in the warnings rather than
// leaving the prices unrevised without a word on why.
func TestUnusedIndexWarns(t *testing.T) {
	c := loadACME(t)
	from := time.Date(2028, 1, 1, 0, 0, 0, 0, paris)
	rep := evaluate(t, c, sla.Input{From: from, To: from.AddDate(0, 1, 0), Indices: contract.Indices{
		"Syntec": {"2026-9": decimal.NewFromInt(300), "2027-09": decimal.NewFromInt(310)},
		"Syntex": {"2026-09": decimal.NewFromInt(300)},
	}})
	require.Contains(t, rep.Warnings, `index values are given for "Syntex", which the contract's revision does not use (it uses "Syntec"): they are ignored`)
	require.Contains(t, rep.Warnings, `index values of Syntec are given for "2026-9", which is not a month written as 2027-01: they are ignored`)
}

// TestVolumeOfNoMonthWarns: volumes given under a key that is not a month
// as the invoices look them up ("2027-4", "04/2027") are named in the
// warnings rather than left out of the invoice in silence.
func TestVolumeOfNoMonthWarns(t *testing.T) {
	c := loadACME(t)
	from := time.Date(2027, 4, 1, 0, 0, 0, 0, paris)
	rep := evaluate(t, c, sla.Input{From: from, To: from.AddDate(0, 1, 0), Volumes: map[string]map[string]decimal.Decimal{
		"2027-4":  {"UO-POSTE": decimal.NewFromInt(800), "UO-SRV": decimal.NewFromInt(40)},
		"04/2027": {"UO-POSTE": decimal.NewFromInt(800)},
		"2027-05": {"UO-POSTE": decimal.NewFromInt(810), "UO-SRV": decimal.NewFromInt(40)},
	}})
	require.Contains(t, rep.Warnings, `volumes are given for "04/2027", which is not a month written as 2027-01: they are ignored`)
	require.Contains(t, rep.Warnings, `volumes are given for "2027-4", which is not a month written as 2027-01: they are ignored`)
}
