package sla_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The items at risk come by breach instant, each with what its breach
// would add: the fixed penalty while the month holds, nothing once it is
// lost, and the per-hour penalty accruing on a breached one; the
// provider's internal target and the filters by field.
func TestAtRisk(t *testing.T) {
	risk := sla.DefaultRisk()
	risk.Targets = map[string]time.Duration{"P1": 3 * time.Hour}
	l, err := sla.NewLive(mini(t), sla.WithRisk(risk))
	require.NoError(t, err)
	for i := range 7 { // on time, early in the month
		o := at(t, "2027-03-01 09:00").Add(time.Duration(i) * time.Hour)
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprintf("OK%d", i), Priority: "P1", Opened: o, Resolved: o.Add(time.Hour)}))
	}
	now := at(t, "2027-03-10 15:00") // a Wednesday
	open := func(id, opened, group string) {
		require.NoError(t, l.Update(pacte.Ticket{ID: id, Priority: "P1", Opened: at(t, opened), Group: group}))
	}
	open("LATE", "2027-03-09 09:00", "desk")   // 14 h: breached at 13:00 the day before
	open("SOON", "2027-03-10 11:30", "desk")   // 3 h 30: breach at 15:30
	open("LATER", "2027-03-10 14:00", "field") // 1 h: breach at 2027-03-11 10:00
	rr, err := l.AtRisk(now, nil)
	require.NoError(t, err)
	var ids []string
	for _, it := range rr.Items {
		ids = append(ids, it.Ticket)
	}
	require.Equal(t, []string{"LATE", "SOON", "LATER"}, ids)
	late, soon, later := rr.Items[0], rr.Items[1], rr.Items[2]
	// 9 items counted (7 on time, LATE missed, SOON and LATER running met):
	// one more miss makes 7 of 9, under 90 %: the 100.00 of the month.
	require.True(t, soon.Cost.Equal(decimal.NewFromInt(100)), "cost %s", soon.Cost)
	require.True(t, later.Cost.Equal(decimal.NewFromInt(100)))
	require.True(t, late.Cost.IsZero())
	require.True(t, late.Accrued.Equal(decimal.NewFromInt(100)), "10 hours late: %s", late.Accrued)
	require.Equal(t, at(t, "2027-03-10 14:30"), soon.TargetAt)
	require.True(t, soon.TargetMissed)
	require.False(t, later.TargetMissed)
	require.Equal(t, at(t, "2027-03-10 17:00"), later.TargetAt)
	require.Equal(t, "SOON", rr.ByCost()[0].Ticket, "cost first, then breach instant")

	field, err := l.AtRisk(now, sla.FieldFilter("group", "field"))
	require.NoError(t, err)
	require.Len(t, field.Items, 1)
	require.Equal(t, "LATER", field.Items[0].Ticket)

	// 9.6 days of March gone with 10 items, one missed: 32 items, 3
	// missed, 90.6 %, met; the per-item penalty of LATE so far is due.
	require.Len(t, rr.Projections, 1, "DIV has nothing to project")
	require.Equal(t, sla.Projection{Rule: "P1", Period: "2027-03", Eligible: 32, Missed: 3, Status: sla.StatusMet,
		Due: sla.Money{Decimal: decimal.NewFromInt(100)}}, rr.Projections[0])

	b, err := json.Marshal(late)
	require.NoError(t, err)
	require.Contains(t, string(b), `"accrued":"100.00"`)
	require.Contains(t, string(b), `"stage":"running"`)
}

func TestRiskOptionsAreChecked(t *testing.T) {
	bad := sla.RiskOptions{Thresholds: []decimal.Decimal{decimal.New(9, -1), decimal.New(5, -1), decimal.NewFromInt(2)},
		Targets: map[string]time.Duration{"P1": -time.Hour}}
	_, err := sla.NewLive(mini(t), sla.WithRisk(bad))
	require.ErrorContains(t, err, "must increase")
	require.ErrorContains(t, err, "not in (0, 1]")
	require.ErrorContains(t, err, "must be positive")

	// A target of a rule the contract lacks, or of one without a clock,
	// would never be reached: a misspelt ID is told, as the command tells it.
	for _, id := range []string{"P9", "DIV"} {
		_, err = sla.NewLive(mini(t), sla.WithRisk(sla.RiskOptions{Targets: map[string]time.Duration{id: time.Hour}}))
		require.EqualError(t, err, "sla: the internal target of "+id+": the contract has no rule "+id+" with a clock")
	}
	_, err = sla.NewLive(mini(t), sla.WithRisk(sla.RiskOptions{Targets: map[string]time.Duration{"P1": time.Hour}}))
	require.NoError(t, err)
}

// The projection of a month of many items: the items so far grow with the
// month's time gone, whatever their number (the product of the items and
// the month's length in nanoseconds exceeds 64 bits from 3,444 items in
// a 31-day month).
func TestProjectionOfManyItems(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	start := at(t, "2027-03-01 09:00")
	for i := range 5000 {
		o := start.Add(time.Duration(i) * 4 * time.Minute) // 20,000 minutes: to 14 March 22:20
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprint("T", i), Priority: "P1", Opened: o, Resolved: o}))
	}
	// 372 hours gone of March's 743 (summer time takes one): 5,000 ×
	// 743 ÷ 372 is 9,986.6.
	rr, err := l.AtRisk(at(t, "2027-03-16 12:00"), nil)
	require.NoError(t, err)
	require.Len(t, rr.Projections, 1)
	p := rr.Projections[0]
	require.Equal(t, 9986, p.Eligible)
	require.Zero(t, p.Missed)
	require.Equal(t, sla.StatusMet, p.Status)
}

// What a miss would cost is counted in the period the miss would land in:
// a ticket opened on the last afternoon of March breaches on 1 April, in
// April's period, whose penalty one miss makes due; March's is lost
// already, and a miss there would add nothing.
func TestAtRiskCostInThePeriodOfTheMiss(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	for i, late := range []bool{true, true, false} {
		o := at(t, "2027-03-15 09:00").Add(time.Duration(i) * 24 * time.Hour)
		d := time.Hour
		if late {
			d = 6 * time.Hour
		}
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprint("M", i), Priority: "P1", Opened: o, Resolved: o.Add(d)}))
	}
	require.NoError(t, l.Update(pacte.Ticket{ID: "EVE", Priority: "P1", Opened: at(t, "2027-03-31 15:00")}))
	rr, err := l.AtRisk(at(t, "2027-03-31 16:00"), nil) // a Wednesday; HO 09:00-17:00, 4 h
	require.NoError(t, err)
	require.Len(t, rr.Items, 1)
	require.Equal(t, at(t, "2027-04-01 11:00"), rr.Items[0].BreachAt)
	require.True(t, rr.Items[0].Cost.Equal(decimal.NewFromInt(100)), "cost %s", rr.Items[0].Cost)
}

// What a breached item has accrued is its per-item penalty as the
// evaluation charges it when it stops: a formula that names a fee reads
// the fee of the period, not zero.
func TestAtRiskAccruedReadsFees(t *testing.T) {
	for _, tc := range []struct {
		perItem string
		want    int64
	}{
		{`elapsed > 4h ? 1% * fee("FEE") : 0`, 100},
		{`elapsed > 4h ? 50 + 1% * fee("FEE") : 0`, 150},
		{`150 * ceil(late / 1h)`, 300},
	} {
		t.Run(tc.perItem, func(t *testing.T) {
			c := contractOf2027(t, "fee", "calendars:\n  ALL: 24x7\nwork_units:\n  FEE: {fixed: 10000.00}\nrules:\n"+
				p1Rule("P1", "share(on_time) >= 90%", "\n      - when: true\n        per_item: '"+tc.perItem+"'"))
			l, err := sla.NewLive(c)
			require.NoError(t, err)
			opened, now := at(t, "2027-06-10 08:00"), at(t, "2027-06-10 14:00")
			require.NoError(t, l.Update(pacte.Ticket{ID: "A", Priority: "P1", Opened: opened}))
			rr, err := l.AtRisk(now, nil)
			require.NoError(t, err)
			require.Len(t, rr.Items, 1)
			require.True(t, rr.Items[0].Accrued.Equal(decimal.NewFromInt(tc.want)), "accrued %s", rr.Items[0].Accrued)

			// The evaluation of the ticket stopped then charges the same.
			rep, err := sla.Evaluate(t.Context(), c, sla.Input{Tickets: slices.Values([]pacte.Ticket{{ID: "A", Priority: "P1", Opened: opened, Resolved: now}})})
			require.NoError(t, err)
			require.True(t, rule(t, rep, "2027-06", "P1").Penalty.Equal(decimal.NewFromInt(tc.want)))
		})
	}
}

// The items at risk come by breach instant, the soonest first: a paused
// item, whose clock waits and has no breach instant, comes after those
// that will breach, not before them; by cost, it comes after those of
// the same cost that will breach.
func TestAtRiskPausedLast(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  func(*sla.RiskReport) []string
	}{
		{"by breach instant", func(rr *sla.RiskReport) []string { return riskIDs(rr.Items) }},
		{"by cost", func(rr *sla.RiskReport) []string { return riskIDs(rr.ByCost()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := sla.NewLive(mini(t))
			require.NoError(t, err)
			now := at(t, "2027-03-10 15:00") // a Wednesday
			require.NoError(t, l.Update(pacte.Ticket{ID: "WAITING", Priority: "P1", Opened: at(t, "2027-03-10 09:00"),
				Pauses: []pacte.Interval{{Start: at(t, "2027-03-10 10:00")}}}))
			require.NoError(t, l.Update(pacte.Ticket{ID: "SOON", Priority: "P1", Opened: at(t, "2027-03-10 12:00")}))
			require.NoError(t, l.Update(pacte.Ticket{ID: "LATER", Priority: "P1", Opened: at(t, "2027-03-10 14:00")}))
			rr, err := l.AtRisk(now, nil)
			require.NoError(t, err)
			require.Equal(t, []string{"SOON", "LATER", "WAITING"}, tc.ids(rr))
			require.Equal(t, sla.StagePaused, rr.Items[2].Stage)
			require.True(t, rr.Items[2].BreachAt.IsZero())
		})
	}
}

func riskIDs(items []sla.RiskItem) []string {
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.Ticket)
	}
	return ids
}

// An item at risk is its timer as Timers gives it, with the figures of
// the risk: the calendar's next change included.
func TestAtRiskItemIsItsTimer(t *testing.T) {
	l, err := sla.NewLive(mini(t))
	require.NoError(t, err)
	for _, tc := range []struct{ id, opened, now string }{
		{"OPEN", "2027-03-10 14:00", "2027-03-10 15:00"},   // the calendar closes at 17:00
		{"CLOSED", "2027-03-10 14:00", "2027-03-10 20:00"}, // it opens the next morning
	} {
		t.Run(tc.id, func(t *testing.T) {
			require.NoError(t, l.Update(pacte.Ticket{ID: tc.id, Priority: "P1", Opened: at(t, tc.opened)}))
			now := at(t, tc.now)
			timers, err := l.Timers(tc.id, now)
			require.NoError(t, err)
			rr, err := l.AtRisk(now, func(tk *pacte.Ticket) bool { return tk.ID == tc.id })
			require.NoError(t, err)
			var got []sla.Timer
			for _, it := range rr.Items {
				got = append(got, it.Timer)
			}
			want := slices.DeleteFunc(timers, func(tm sla.Timer) bool { return tm.Stage != sla.StageRunning || tm.Budget == 0 })
			require.NotEmpty(t, want)
			require.False(t, want[0].CalendarChange.IsZero())
			require.Equal(t, want, got)
		})
	}
}

// FieldFilter reads the ticket's own fields by name, in any case, and
// else its attributes.
func TestFieldFilter(t *testing.T) {
	tk := &pacte.Ticket{ID: "T1", Kind: "incident", Priority: "P1", Service: "ERP", Category: "standard", Group: "Network",
		Status: "new", Level: 2, Exclusion: "client", Attrs: map[string]string{"site": "Lyon"}}
	for _, tc := range []struct {
		field, value string
		want         bool
	}{
		{"id", "T1", true},
		{"ID", "T1", true},
		{"id", "T2", false},
		{"kind", "incident", true},
		{"priority", "P1", true},
		{"service", "ERP", true},
		{"category", "standard", true},
		{"Group", "Network", true},
		{"status", "new", true},
		{"level", "2", true},
		{"exclusion", "client", true},
		{"site", "Lyon", true},
		{"site", "Paris", false},
		{"region", "", true}, // an attribute it lacks reads empty
	} {
		require.Equal(t, tc.want, sla.FieldFilter(tc.field, tc.value)(tk), "%s=%s", tc.field, tc.value)
	}
}

// What an item's miss costs is what the month's evaluation charges more
// when it misses than when it stops on time now: the item counts as met
// until then, so its miss takes that back. 18 on time and one running
// make 19 of 19; its miss makes 18 of 19, under 95 %, and the month's
// 100.00 is due. It was taken for one more item (19 of 20, met): no cost.
func TestAtRiskCostIsTheItemsOwnMiss(t *testing.T) {
	c := contractOf2027(t, "own-miss", "calendars:\n  ALL: 24x7\nrules:\n"+p1Rule("P1", "share(on_time) >= 95%", "100.00"))
	for _, tc := range []struct {
		name           string
		onTime         int
		opened, now    string
		late, promptly string // when the item stops, late and on time
		cost           int64
	}{
		{"a miss that breaches the month", 18, "2027-06-10 08:00", "2027-06-10 10:00", "2027-06-10 13:00", "2027-06-10 10:00", 100},
		{"a miss the month takes", 30, "2027-06-10 08:00", "2027-06-10 10:00", "2027-06-10 13:00", "2027-06-10 10:00", 0},
		// Counted met in June now, it would miss in July, alone there.
		{"a miss in the next month", 18, "2027-06-30 22:00", "2027-06-30 23:00", "2027-07-01 03:00", "2027-06-30 23:00", 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := p1OnTime(tc.onTime)
			l, err := sla.NewLive(c)
			require.NoError(t, err)
			for _, tk := range done {
				require.NoError(t, l.Update(tk))
			}
			run := pacte.Ticket{ID: "RUN", Priority: "P1", Opened: at(t, tc.opened)}
			require.NoError(t, l.Update(run))
			rr, err := l.AtRisk(at(t, tc.now), nil)
			require.NoError(t, err)
			require.Len(t, rr.Items, 1)
			require.True(t, rr.Items[0].Cost.Equal(decimal.NewFromInt(tc.cost)), "cost %s", rr.Items[0].Cost)

			total := func(resolved string) decimal.Decimal {
				r := run
				r.Resolved = at(t, resolved)
				rep, err := sla.Evaluate(t.Context(), c, sla.Input{Tickets: slices.Values(append(slices.Clone(done), r))})
				require.NoError(t, err)
				sum := decimal.Zero
				for _, p := range rep.Periods {
					for _, r := range p.Rules {
						sum = sum.Add(r.Penalty.Decimal)
					}
				}
				return sum
			}
			require.True(t, total(tc.late).Sub(total(tc.promptly)).Equal(decimal.NewFromInt(tc.cost)))
		})
	}
}

// p1Rule is a rule, under rules:, of the P1 tickets on a 24x7 calendar
// ALL with a deadline of 4 hours, and its objective and penalty.
func p1Rule(id, objective, penalty string) string {
	return "  - id: " + id + "\n    source: tickets\n    scope: priority == \"P1\"\n" +
		"    clock: {start: opened, stop: resolved, calendar: ALL}\n    deadline: 4h\n" +
		"    objective: " + objective + "\n    penalty: " + penalty + "\n"
}

// p1OnTime returns n P1 tickets of June 2027 resolved within the hour.
func p1OnTime(n int) []pacte.Ticket {
	var out []pacte.Ticket
	for i := range n {
		o := time.Date(2027, 6, 1, 8, 0, 0, 0, paris).Add(time.Duration(i) * time.Hour)
		out = append(out, pacte.Ticket{ID: fmt.Sprint("OK", i), Priority: "P1", Opened: o, Resolved: o.Add(time.Hour)})
	}
	return out
}
