package sla_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// marginsContract is the body of a contract (contractOf2027 gives its
// head) with a rule of each measure whose margin counts items,
// and a mean and an availability, on a 24x7 calendar so that each item's
// measure is what its instants say.
const marginsContract = `calendars:
  ALL: 24x7
work_units:
  FEE: {fixed: 10000.00}
rules:
  - id: SHARE
    source: tickets
    scope: priority == "P1"
    clock: {start: opened, stop: resolved, calendar: ALL}
    deadline: 4h
    objective: share(on_time) >= 95%
    small_volume: {below: 20, objective: missed <= 1}
    penalty: 3% * invoice
  - id: LIMIT
    source: tickets
    scope: priority == "P2"
    objective: share(level > 1) <= 10%
    penalty: 100.00
  - id: COUNT
    source: tickets
    scope: priority == "P3"
    clock: {start: opened, stop: resolved, calendar: ALL}
    deadline: 4h
    objective: missed <= 3
    penalty: 200.00
  - id: PCT
    source: tickets
    scope: priority == "P4"
    clock: {start: opened, stop: resolved, calendar: ALL}
    objective: p90(elapsed) <= 4h
    penalty: 300.00
  - id: MEAN
    source: tickets
    scope: priority == "P5"
    clock: {start: opened, stop: resolved, calendar: ALL}
    objective: mean(elapsed) <= 2h
    penalty: 400.00
  - id: ANSWER
    source: calls
    short_abandon: 10s
    objective: answer_rate >= 90%
    penalty: 50.00
  - {id: SL-ANSWERED, source: calls, objective: 'service_level(60s, "answered") >= 80%', penalty: 60.00}
  - {id: SL-OFFERED, source: calls, short_abandon: 10s, objective: 'service_level(60s, "offered") >= 80%', penalty: 70.00}
  - {id: SL-IGNORED, source: calls, objective: 'service_level(60s, "abandons_ignored") >= 80%', penalty: 80.00}
  - {id: SL-MET, source: calls, objective: 'service_level(60s, "abandons_met") >= 80%', penalty: 90.00}
  - id: AVAIL
    source: outages
    scope: service == "ERP"
    availability: {calendar: ALL}
    objective: availability >= 99.5%
    penalty: 5% * invoice
`

// items makes the records of the margins contract: a ticket of a rule
// (its priority) that meets or misses it, a call, an outage.
type items struct {
	r       *rand.Rand
	n       int
	tickets []pacte.Ticket
	calls   []pacte.Call
	outages []pacte.Outage
}

var marginNow = time.Date(2027, 6, 20, 12, 0, 0, 0, paris)

func (it *items) instant() time.Time {
	return instantIn(it.r, time.Date(2027, 6, 1, 0, 0, 0, 0, paris), time.Date(2027, 6, 16, 0, 0, 0, 0, paris))
}

// ticket adds a ticket of the priority resolved after d (level 2 for a
// miss of LIMIT).
func (it *items) ticket(priority string, d time.Duration, level int) {
	it.n++
	o := it.instant()
	it.tickets = append(it.tickets, pacte.Ticket{ID: fmt.Sprintf("T%d", it.n), Priority: priority, Level: level, Opened: o, Resolved: o.Add(d)})
}

// item adds an item of a rule that meets (good) or misses it.
func (it *items) item(rule string, good bool) {
	d, level := 5*time.Hour, 2
	if good {
		d, level = time.Hour, 1
	}
	switch rule {
	case "SHARE":
		it.ticket("P1", d, level)
	case "LIMIT":
		it.ticket("P2", d, level)
	case "COUNT":
		it.ticket("P3", d, level)
	case "PCT":
		it.ticket("P4", d, level)
	case "ANSWER":
		it.call(good, 30*time.Second, true)
	default: // the service levels: answered late, or in time
		it.call(good, 90*time.Second, false)
	}
}

// call adds a call answered within 20 s (good), or abandoned after wait
// (abandon) or answered after it.
func (it *items) call(good bool, wait time.Duration, abandon bool) {
	it.n++
	o := it.instant()
	c := pacte.Call{ID: fmt.Sprintf("C%d", it.n), Offered: o}
	switch {
	case good:
		c.Answered, c.Ended = o.Add(20*time.Second), o.Add(5*time.Minute)
	case abandon:
		c.Abandoned, c.Ended = true, o.Add(wait)
	default:
		c.Answered, c.Ended = o.Add(wait), o.Add(10*time.Minute)
	}
	it.calls = append(it.calls, c)
}

func (it *items) clone() *items {
	return &items{r: it.r, n: it.n, tickets: slices.Clone(it.tickets), calls: slices.Clone(it.calls), outages: slices.Clone(it.outages)}
}

// status is the rule's status in June as the evaluation gives it.
func (it *items) status(t *testing.T, c *contract.Contract, id string) sla.Status {
	t.Helper()
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(it.tickets), Calls: slices.Values(it.calls), Outages: slices.Values(it.outages), AsOf: marginNow})
	if len(rep.Periods) == 0 {
		return sla.StatusNotApplicable // nothing at all
	}
	return rule(t, rep, "2027-06", id).Status
}

// live is a Live fed with the items.
func (it *items) margin(t *testing.T, c *contract.Contract, id string) sla.Margin {
	t.Helper()
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	for _, tk := range it.tickets {
		require.NoError(t, l.Update(tk))
	}
	for _, call := range it.calls {
		require.NoError(t, l.AddCall(call))
	}
	for _, o := range it.outages {
		require.NoError(t, l.AddOutage(o))
	}
	return marginOf(t, l, marginNow, id)
}

// misses_left = k means that k more misses keep the objective met and
// k + 1 breach it; met_needed = m that m more items on time make a
// breached period met and m − 1 do not: both through the evaluation,
// for every measure that counts items, across the minimum volume.
func TestMissesLeftThroughTheEvaluation(t *testing.T) {
	c := contractOf2027(t, "margins", marginsContract)
	r := rand.New(rand.NewPCG(3, 33))
	for _, id := range []string{"SHARE", "LIMIT", "COUNT", "PCT", "ANSWER", "SL-ANSWERED", "SL-OFFERED", "SL-IGNORED", "SL-MET"} {
		var withLeft, withNeeded int
		for round := range 40 {
			it := &items{r: r}
			n, missRate := r.IntN(45), r.IntN(25)
			for range n {
				it.item(id, r.IntN(100) >= missRate)
			}
			m := it.margin(t, c, id)
			require.Equal(t, it.status(t, c, id), m.Status, "%s round %d", id, round)
			switch m.Status {
			case sla.StatusBreached:
				require.Nil(t, m.MissesLeft)
				if m.MetNeeded == nil {
					continue // none recovers (a count of misses)
				}
				withNeeded++
				more := it.clone()
				for range *m.MetNeeded - 1 {
					more.item(id, true)
				}
				require.Equal(t, sla.StatusBreached, more.status(t, c, id), "%s: %d on time", id, *m.MetNeeded-1)
				more.item(id, true)
				require.Equal(t, sla.StatusMet, more.status(t, c, id), "%s: %d on time", id, *m.MetNeeded)
			default:
				require.NotNil(t, m.MissesLeft, "%s round %d", id, round)
				withLeft++
				more := it.clone()
				for range *m.MissesLeft {
					more.item(id, false)
				}
				require.NotEqual(t, sla.StatusBreached, more.status(t, c, id), "%s: %d more misses", id, *m.MissesLeft)
				more.item(id, false)
				require.Equal(t, sla.StatusBreached, more.status(t, c, id), "%s: %d more misses", id, *m.MissesLeft+1)
			}
		}
		require.Positive(t, withLeft, id)
		if id != "COUNT" {
			require.Positive(t, withNeeded, id)
		}
	}
}

// The example of the small-volume fallback: two misses breach at 19
// items (missed <= 1 applies) and meet at 40 (38 of 40 is 95 %): the
// margin says how many items on time recover it.
func TestMetNeededAcrossTheMinimumVolume(t *testing.T) {
	c := contractOf2027(t, "margins", marginsContract)
	it := &items{r: rand.New(rand.NewPCG(1, 2))}
	for i := range 19 {
		it.item("SHARE", i >= 2)
	}
	m := it.margin(t, c, "SHARE")
	require.Equal(t, sla.StatusBreached, m.Status)
	require.True(t, m.SmallVolume)
	require.Equal(t, 21, *m.MetNeeded)
	require.Equal(t, "300.00", m.Due.StringFixed(2))
	require.Equal(t, m.Due, m.AtStake)
}

// A mean's slack is the value the next item may take with the objective
// met; an availability's downtime left is the downtime it may still
// take. Both through the evaluation, to the nanosecond.
func TestSlackAndDowntimeLeft(t *testing.T) {
	c := contractOf2027(t, "margins", marginsContract)
	r := rand.New(rand.NewPCG(5, 55))
	for round := range 30 {
		it := &items{r: r}
		for range r.IntN(30) {
			it.ticket("P5", time.Duration(r.Int64N(int64(3*time.Hour)))+time.Duration(r.IntN(1000)), 1)
		}
		for range r.IntN(4) {
			s := it.instant()
			it.outages = append(it.outages, pacte.Outage{ID: fmt.Sprintf("O%d", len(it.outages)), Service: "ERP", Start: s, End: s.Add(time.Duration(r.Int64N(int64(90 * time.Minute))))})
		}
		m := it.margin(t, c, "MEAN")
		if m.Slack != nil {
			v := m.Slack.Duration
			if v > 0 {
				more := it.clone()
				more.ticket("P5", v, 1)
				require.Equal(t, sla.StatusMet, more.status(t, c, "MEAN"), "round %d: next item of %s", round, v)
				more = it.clone()
				more.ticket("P5", v+1, 1)
				require.Equal(t, sla.StatusBreached, more.status(t, c, "MEAN"), "round %d: next item of %s", round, v+1)
			}
		} else {
			require.Equal(t, sla.StatusBreached, m.Status)
		}
		a := it.margin(t, c, "AVAIL")
		require.NotNil(t, a.DowntimeLeft)
		if left := a.DowntimeLeft.Duration(); left > 0 {
			for _, extra := range []time.Duration{left, left + 1} {
				more := it.clone()
				s := time.Date(2027, 6, 18, 0, 0, 0, 0, paris)
				for _, o := range it.outages {
					if o.End.After(s) {
						s = o.End
					}
				}
				more.outages = append(more.outages, pacte.Outage{ID: "X", Service: "ERP", Start: s, End: s.Add(extra)})
				want := sla.StatusMet
				if extra > left {
					want = sla.StatusBreached
				}
				require.Equal(t, want, more.status(t, c, "AVAIL"), "round %d: %s more downtime", round, extra)
			}
			require.True(t, a.AtStake.Equal(decimal.NewFromInt(500)), "5 %% of the invoice at stake, not %s", a.AtStake)
		}
	}
}

// The margin says what one more miss is, in each rule's terms.
func TestMissIsSaid(t *testing.T) {
	c := contractOf2027(t, "margins", marginsContract)
	it := &items{r: rand.New(rand.NewPCG(1, 1))}
	want := map[string]string{
		"SHARE":       "an item past its deadline",
		"LIMIT":       "an item for which level > 1 holds",
		"PCT":         "an item whose elapsed misses <= 4h",
		"ANSWER":      "an offered call not answered (short abandons are not offered)",
		"SL-ANSWERED": "an answered call answered after 1min",
		"SL-OFFERED":  "an offered call not answered within 1min (short abandons are not offered)",
		"SL-IGNORED":  "a call not answered within 1min (calls abandoned within it are not counted)",
		"SL-MET":      "a call neither answered nor abandoned within 1min",
		"MEAN":        "",
	}
	for id, miss := range want {
		require.Equal(t, miss, it.margin(t, c, id).Miss, id)
	}
}

// A margin asked outside the contract's term has no rule, and says why
// rather than listing nothing.
func TestMarginOutsideTerm(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	for _, tc := range []struct {
		now  time.Time
		note string
	}{
		{time.Date(2026, 12, 31, 23, 59, 0, 0, paris), "2026-12-31 23:59 is before the contract's term (2027-01-01 to 2027-12-31): no rule is measured then"},
		{time.Date(2027, 6, 15, 12, 0, 0, 0, paris), ""},
		{time.Date(2028, 1, 1, 0, 0, 0, 0, paris), "2028-01-01 00:00 is after the contract's term (2027-01-01 to 2027-12-31): no rule is measured then"},
	} {
		m, err := l.Margin(tc.now)
		require.NoError(t, err)
		require.Equal(t, tc.note, m.Note, tc.now)
		require.Equal(t, tc.note == "", len(m.Rules) > 0, tc.now)
	}
}

// The margin of a sum is the value the next item may take, as for a
// mean: with 2 minutes of wait in the month, sum(wait) <= 5min takes a
// call waiting 3 minutes more and no second longer, and the month's
// evaluation says so. One call over the threshold was taken for the only
// miss that breaks it (misses_left 0), which told a manager that calls
// of 4 minutes were free.
func TestMarginOfASum(t *testing.T) {
	for _, tc := range []struct {
		objective string
		status    sla.Status
		slack     time.Duration
	}{
		{"sum(wait) <= 5min", sla.StatusMet, 3 * time.Minute},
		{"sum(wait) < 5min", sla.StatusMet, 3*time.Minute - time.Nanosecond},
		{"sum(wait) >= 5min", sla.StatusBreached, 3 * time.Minute},
	} {
		t.Run(tc.objective, func(t *testing.T) {
			c := contractOf2027(t, "sum", "rules:\n  - {id: WAIT, source: calls, objective: '"+tc.objective+"', penalty: 100.00}\n")
			s := time.Date(2027, 6, 10, 10, 0, 0, 0, paris)
			calls := []pacte.Call{{ID: "C1", Offered: s, Answered: s.Add(2 * time.Minute), Ended: s.Add(3 * time.Minute)}}
			l, err := sla.NewLive(c)
			require.NoError(t, err)
			require.NoError(t, l.AddCall(calls[0]))
			m, err := l.Margin(marginNow)
			require.NoError(t, err)
			r := m.Rules[0]
			require.Equal(t, tc.status, r.Status)
			require.Nil(t, r.MissesLeft)
			require.Empty(t, r.Miss)
			require.NotNil(t, r.Slack)
			require.Equal(t, tc.slack, r.Slack.Duration)

			// The evaluation with the next call at the slack, and past it.
			for _, next := range []struct {
				wait time.Duration
				met  bool
			}{{tc.slack, true}, {tc.slack + time.Nanosecond, tc.status == sla.StatusBreached}, {tc.slack - time.Nanosecond, tc.status == sla.StatusMet}} {
				o := s.Add(time.Hour)
				month := append(slices.Clone(calls), pacte.Call{ID: "C2", Offered: o, Answered: o.Add(next.wait), Ended: o.Add(next.wait + time.Minute)})
				rep, err := sla.Evaluate(t.Context(), c, sla.Input{Calls: slices.Values(month)})
				require.NoError(t, err)
				want := sla.StatusBreached
				if next.met {
					want = sla.StatusMet
				}
				require.Equal(t, want, rule(t, rep, "2027-06", "WAIT").Status, "next call waiting %s", next.wait)
			}
		})
	}
}

// An outage rule measured by a sum of its outages' durations, as the
// contract format's example OUTAGE-TIME (sum(duration) <= 2h), measures
// them: an hour of outage is an hour, and the margin has an hour left.
func TestOutageSumIsMeasured(t *testing.T) {
	c := contractOf2027(t, "outage-time", "rules:\n  - {id: OUTAGE-TIME, source: outages, objective: sum(duration) <= 2h, penalty: 100.00}\n")
	s := time.Date(2027, 6, 10, 10, 0, 0, 0, paris)
	outages := []pacte.Outage{{ID: "O1", Service: "ERP", Start: s, End: s.Add(time.Hour)}}
	rep, err := sla.Evaluate(t.Context(), c, sla.Input{Outages: slices.Values(outages)})
	require.NoError(t, err)
	r := rule(t, rep, "2027-06", "OUTAGE-TIME")
	require.Equal(t, sla.StatusMet, r.Status, r.Note)
	require.Equal(t, time.Hour, r.Achieved.Duration)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	require.NoError(t, l.AddOutage(outages[0]))
	m, err := l.Margin(marginNow)
	require.NoError(t, err)
	require.NotNil(t, m.Rules[0].Slack)
	require.Equal(t, time.Hour, m.Rules[0].Slack.Duration)
}

// A call, an outage or a sample the engine cannot evaluate is refused by
// the table with its error, as a ticket is by Update: it was counted as
// rejected in a state whose rejections no margin reports, and the caller
// was told nothing.
func TestLiveAddRefusesBadRecords(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	noon := time.Date(2027, 5, 3, 12, 0, 0, 0, paris)
	for _, tc := range []struct {
		name string
		add  func() error
	}{
		{"call answered before it was offered", func() error {
			return l.AddCall(pacte.Call{ID: "C", Offered: noon, Answered: noon.Add(-time.Minute)})
		}},
		{"call without an id", func() error { return l.AddCall(pacte.Call{Offered: noon}) }},
		{"outage ending before it starts", func() error {
			return l.AddOutage(pacte.Outage{ID: "O", Service: "ERP", Start: noon, End: noon.Add(-time.Hour)})
		}},
		{"sample without a name", func() error { return l.AddSample(pacte.Sample{At: noon}) }},
	} {
		require.Error(t, tc.add(), tc.name)
	}
}
