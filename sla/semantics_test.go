package sla_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// miniRules is the body of a one-rule contract on a plain calendar (its
// calendars, work units and rules), so that each figure below is easy to
// check by hand: testdata/mini-rules.yaml, which the watch's oracle reads
// too.
func miniRules(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile("testdata/mini-rules.yaml")
	require.NoError(t, err)
	return string(data)
}

func mini(t testing.TB) *contract.Contract { return contractOf2027(t, "mini", miniRules(t)) }

// contractOf2027 parses the contract name over 2027 in Paris time; body
// is the rest of its file: calendars, work units, rules.
func contractOf2027(t testing.TB, name, body string) *contract.Contract {
	t.Helper()
	src := "contract: " + name + "\nterm: {start: 2027-01-01, end: 2027-12-31}\ntimezone: Europe/Paris\n" + body
	c, err := contract.Parse([]byte(src), name+".yaml")
	require.NoError(t, err)
	return c
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	require.NoError(t, err)
	return v
}

func rule(t testing.TB, rep *sla.Report, period, id string) sla.RuleReport {
	t.Helper()
	for _, p := range rep.Periods {
		if p.Period != period {
			continue
		}
		for _, r := range p.Rules {
			if r.ID == id {
				return r
			}
		}
	}
	t.Fatalf("no rule %s in %s", id, period)
	return sla.RuleReport{}
}

// A ticket past its deadline and still open at the end of that month
// counts as missed there, and not in the month it is resolved.
func TestOpenTicketPastDeadlineCountsOnce(t *testing.T) {
	c := mini(t)
	tickets := []pacte.Ticket{
		// Opened Friday 29 January 15:00: 2 h that day, 2 h on Monday 1
		// February: the deadline is 1 February 11:00. Resolved 3 February.
		{ID: "LATE", Priority: "P1", Opened: at(t, "2027-01-29 15:00"), Resolved: at(t, "2027-02-03 10:00")},
		// Opened Thursday 28 January 09:00, deadline 13:00 the same day,
		// still open on 31 January and resolved on 2 February.
		{ID: "OPEN", Priority: "P1", Opened: at(t, "2027-01-28 09:00"), Resolved: at(t, "2027-02-02 09:00")},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-03-01 00:00")})
	jan := rule(t, rep, "2027-01", "P1")
	feb := rule(t, rep, "2027-02", "P1")
	require.Equal(t, 1, jan.Eligible, "OPEN is missed in January, the month of its deadline")
	require.Equal(t, "OPEN", jan.MissedItems[0].ID)
	require.True(t, jan.MissedItems[0].Open)
	require.Equal(t, 1, feb.Eligible, "LATE's deadline is in February, when it was resolved")
	require.Equal(t, "LATE", feb.MissedItems[0].ID)
	// OPEN: from Thursday 28 Jan 09:00 to Tuesday 2 Feb 09:00 is three
	// whole HO days (28 and 29 January, 1 February) of 8 h: 24 h, late
	// 20 h beyond the 4 h → 10 × 20 = 200.00.
	require.Equal(t, "24h", jan.MissedItems[0].Measured)
	require.Equal(t, "200.00", jan.MissedItems[0].Amount.StringFixed(2))
}

// With late_open: attribution, a late ticket counts in its attribution
// period, as a tool that counts by the month of resolution does: OPEN,
// resolved in February, is missed in February, not in January; a ticket
// still running past its deadline when the data was extracted counts
// nowhere until it is resolved, and the accounting says so, unless its
// attribution instant is known (opened), where it is missed and open.
func TestLateOpenByAttribution(t *testing.T) {
	text := strings.Replace(miniRules(t), "    deadline: 4h\n", "    deadline: 4h\n    late_open: attribution\n", 1)
	text = strings.Replace(text, "  - id: DIV", `  - id: BY-OPENING
    source: tickets
    scope: priority == "P2"
    attribution: opened
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 4h
    late_open: attribution
    objective: share(on_time) >= 90%
  - id: DIV`, 1)
	c := contractOf2027(t, "mini", text)
	tickets := []pacte.Ticket{
		{ID: "OPEN", Priority: "P1", Opened: at(t, "2027-01-28 09:00"), Resolved: at(t, "2027-02-02 09:00")},
		{ID: "RUNNING", Priority: "P1", Opened: at(t, "2027-02-25 09:00")},
		{ID: "RUNNING-P2", Priority: "P2", Opened: at(t, "2027-02-25 09:00")},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-03-01 00:00")},
		sla.Between(at(t, "2027-01-01 00:00"), at(t, "2027-03-01 00:00")))
	require.Equal(t, 0, rule(t, rep, "2027-01", "P1").Eligible, "OPEN is resolved in February")
	feb := rule(t, rep, "2027-02", "P1")
	require.Equal(t, 1, feb.Eligible)
	require.Equal(t, "OPEN", feb.MissedItems[0].ID)
	require.False(t, feb.MissedItems[0].Open, "OPEN was resolved when the data was extracted")
	require.Equal(t, 1, rep.Records["tickets"].Reasons["open past its deadline, counted when it ends"], "RUNNING in P1")

	byOpening := rule(t, rep, "2027-02", "BY-OPENING")
	require.Equal(t, 1, byOpening.Eligible, "RUNNING-P2 counts in February, the month it was opened")
	require.Equal(t, "RUNNING-P2", byOpening.MissedItems[0].ID)
	require.True(t, byOpening.MissedItems[0].Open)
	require.Equal(t, contract.LateOpenAttribution, byOpening.LateOpen)
	require.Equal(t, "16h", byOpening.MissedItems[0].Measured, "Thursday 25 and Friday 26 February, 8 h each, to 1 March 00:00")
}

// A ticket still running at AsOf is missed once its deadline has passed,
// pending before.
func TestRunningTicketsDependOnAsOf(t *testing.T) {
	c := mini(t)
	tickets := []pacte.Ticket{{ID: "RUN", Priority: "P1", Opened: at(t, "2027-03-01 09:00")}}
	in := sla.Input{Tickets: slices.Values(tickets)}

	in.AsOf = at(t, "2027-03-01 12:00") // 3 h elapsed: not yet due
	rep := evaluate(t, c, in, sla.Between(at(t, "2027-03-01 00:00"), at(t, "2027-04-01 00:00")))
	require.Equal(t, 0, rule(t, rep, "2027-03", "P1").Eligible)
	require.Equal(t, 1, rep.Records["tickets"].Reasons["open, not yet due"])

	in.AsOf = at(t, "2027-03-01 14:00") // 5 h elapsed: missed in March
	rep = evaluate(t, c, in)
	r := rule(t, rep, "2027-03", "P1")
	require.Equal(t, 1, r.Missed)
	require.Equal(t, "5h", r.MissedItems[0].Measured)
	require.Equal(t, at(t, "2027-03-01 13:00"), r.MissedItems[0].Deadline)
}

// Pauses from the status history and explicit ones stop the clock, merged
// when they overlap.
func TestPausesStopTheClock(t *testing.T) {
	c := mini(t)
	tk := pacte.Ticket{ID: "P", Priority: "P1", Opened: at(t, "2027-03-02 09:00"), Resolved: at(t, "2027-03-02 16:00"),
		History: []pacte.StatusChange{
			{At: at(t, "2027-03-02 09:00"), Status: "new"},
			{At: at(t, "2027-03-02 10:00"), Status: "waiting"},
			{At: at(t, "2027-03-02 12:00"), Status: "in progress"},
		},
		// 11:00–13:00 overlaps the waiting span: together 10:00–13:00.
		Pauses: []pacte.Interval{{Start: at(t, "2027-03-02 11:00"), End: at(t, "2027-03-02 13:00")}},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values([]pacte.Ticket{tk}), AsOf: at(t, "2027-04-01 00:00")})
	r := rule(t, rep, "2027-03", "P1")
	// 7 h from 09:00 to 16:00, less 3 h paused: 4 h, exactly the deadline.
	require.Equal(t, 1, r.Met)
	require.Equal(t, sla.StatusMet, r.Status)
}

// A rule that fails on an item reports the rule and the item, and leaves
// the item out of that rule only.
func TestRuntimeErrorsAreReported(t *testing.T) {
	c := mini(t)
	tickets := []pacte.Ticket{
		{ID: "OK", Priority: "P9", Level: 2, Opened: at(t, "2027-03-02 09:00"), Resolved: at(t, "2027-03-02 10:00")},
		{ID: "ZERO", Priority: "P9", Level: 1, Opened: at(t, "2027-03-02 09:00"), Resolved: at(t, "2027-03-02 10:00")},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-04-01 00:00")})
	require.Len(t, rep.Errors, 1)
	require.Equal(t, "DIV", rep.Errors[0].Rule)
	require.Equal(t, "ZERO", rep.Errors[0].Item)
	require.Contains(t, rep.Errors[0].Error, "division by zero")
	r := rule(t, rep, "2027-03", "DIV")
	require.Equal(t, 1, r.Eligible, "the other item still counts")
	require.Equal(t, "1.00", r.Penalty.StringFixed(2))
	require.Equal(t, 1, rep.Records["tickets"].Rejected, "failing everywhere, it is rejected with its error")
	require.Equal(t, "ZERO", rep.Rejected[0].ID)
}

// Bad records are rejected with a reason, never dropped, never a panic.
func TestBadRecordsAreRejected(t *testing.T) {
	c := loadACME(t)
	now := at(t, "2027-03-02 09:00")
	tickets := []pacte.Ticket{
		{},
		{ID: "NO-OPEN"},
		{ID: "BACKWARDS", Opened: now, Resolved: now.Add(-time.Hour)},
		{ID: "ACK", Opened: now, Acknowledged: now.Add(-time.Minute)},
		{ID: "HISTORY", Opened: now, History: []pacte.StatusChange{{At: now.Add(time.Hour)}, {At: now}}},
		{ID: "PAUSE", Opened: now, Pauses: []pacte.Interval{{Start: now.Add(time.Hour), End: now}}},
		{ID: "FAR", Opened: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	calls := []pacte.Call{{}, {ID: "BOTH", Offered: now, Answered: now.Add(time.Second), Abandoned: true}, {ID: "ENDS", Offered: now, Ended: now.Add(-time.Second)}}
	outages := []pacte.Outage{{ID: "NOSVC", Start: now}, {ID: "BACK", Service: "ERP", Start: now, End: now.Add(-time.Second)}}
	samples := []pacte.Sample{{ID: "NONAME", At: now}, {ID: "NOAT", Name: "csat"}}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), Calls: slices.Values(calls), Outages: slices.Values(outages), Samples: slices.Values(samples)})
	require.Equal(t, len(tickets), rep.Records["tickets"].Rejected)
	require.Equal(t, len(calls), rep.Records["calls"].Rejected)
	require.Equal(t, len(outages), rep.Records["outages"].Rejected)
	require.Equal(t, len(samples), rep.Records["samples"].Rejected)
	for _, r := range rep.Rejected {
		require.NotEmpty(t, r.Error)
	}
}

// Shares are compared exactly: 19 met of 20 meets 95 %, 18 of 19 does not.
func TestSharesAreComparedExactly(t *testing.T) {
	const body = `
rules:
  - id: S
    source: calls
    objective: share(answered) >= 95%
    penalty:
      per_point: 10.00
`
	c := contractOf2027(t, "exact", body)
	calls := func(answered, missed int) []pacte.Call {
		var out []pacte.Call
		for i := range answered + missed {
			c := pacte.Call{ID: string(rune('a'+i%26)) + time.Duration(i).String(), Offered: at(t, "2027-03-02 09:00").Add(time.Duration(i) * time.Minute)}
			if i < answered {
				c.Answered = c.Offered.Add(time.Second)
			} else {
				c.Abandoned, c.Ended = true, c.Offered.Add(time.Minute)
			}
			out = append(out, c)
		}
		return out
	}
	tests := []struct {
		answered, missed int
		status           sla.Status
		penalty          string
	}{
		{19, 1, sla.StatusMet, "0.00"},
		{18, 1, sla.StatusBreached, "10.00"},  // 94.74 %: 0.26 point, 1 started point
		{17, 3, sla.StatusBreached, "100.00"}, // 85 %: exactly 10 points
		{3, 1, sla.StatusBreached, "200.00"},  // 75 %: exactly 20 points
		{2, 1, sla.StatusBreached, "290.00"},  // 66.67 %: 28.33 points, 29 started
	}
	for _, tt := range tests {
		rep := evaluate(t, c, sla.Input{Calls: slices.Values(calls(tt.answered, tt.missed))})
		r := rule(t, rep, "2027-03", "S")
		require.Equal(t, tt.status, r.Status, "%d of %d", tt.answered, tt.answered+tt.missed)
		require.Equal(t, tt.penalty, r.Penalty.StringFixed(2), "%d of %d", tt.answered, tt.answered+tt.missed)
	}
}

// A work unit counts a call in the month it was offered, whether a rule
// with the same attribution found that instant for the call (answered
// calls, in ANS's scope), did not (abandoned ones), or placed the call by
// another instant (END, by its end): the unit reads the rules' instant
// only when it is its own.
func TestCallUnitsCountByTheirOwnInstant(t *testing.T) {
	c := contractOf2027(t, "units", `
calendars:
  HO: mon-fri 09:00-17:00
work_units:
  UO-TEL: {price: 1.00, volume: "count(calls, answered)"}
  UO-ALL: {price: 1.00, volume: "count(calls)"}
rules:
  - id: END
    source: calls
    attribution: ended
    objective: share(answered) >= 50%
    penalty: 1.00
  - id: ANS
    source: calls
    scope: answered
    objective: share(first_contact) >= 50%
    penalty: 1.00
`)
	call := func(id, offered string, answeredAfter, endedAfter time.Duration, abandoned bool) pacte.Call {
		o := at(t, offered)
		c := pacte.Call{ID: id, Offered: o, Ended: o.Add(endedAfter), Abandoned: abandoned}
		if !abandoned {
			c.Answered = o.Add(answeredAfter)
		}
		return c
	}
	calls := []pacte.Call{
		// Offered in January, ended in February: January's.
		call("A1", "2027-01-31 23:59", 30*time.Second, 5*time.Minute, false),
		call("A2", "2027-01-31 23:58", 0, 10*time.Minute, true),
		call("A3", "2027-02-01 10:00", 10*time.Second, time.Minute, false),
		call("A4", "2027-03-01 09:00", 0, time.Minute, true), // after a call of February in ANS's scope
		call("A5", "2027-03-01 10:05", 0, time.Minute, false),
	}
	rep, err := sla.Evaluate(t.Context(), c, sla.Input{Calls: slices.Values(calls)}, sla.Between(at(t, "2027-01-01 00:00"), at(t, "2027-04-01 00:00")))
	require.NoError(t, err)
	want := map[string][2]string{"2027-01": {"1", "2"}, "2027-02": {"1", "1"}, "2027-03": {"1", "2"}}
	for _, p := range rep.Periods {
		w, ok := want[p.Period]
		if !ok {
			continue
		}
		got := map[string]string{}
		for _, l := range p.Invoice.Lines {
			got[l.Unit] = l.Quantity.String()
		}
		require.Equal(t, map[string]string{"UO-TEL": w[0], "UO-ALL": w[1]}, got, p.Period)
		delete(want, p.Period)
	}
	require.Empty(t, want, "months not reported")
}

// TestSameScopeOnAnotherCalendar: rules evaluate a scope once per record
// when they share its text, but is_open(opened) names no calendar and
// reads each rule's own: a ticket opened on a Saturday is in the scope of
// the rule on HE and out of the one on HO, in whichever order they come.
func TestSameScopeOnAnotherCalendar(t *testing.T) {
	for _, order := range [][2]string{{"HO", "HE"}, {"HE", "HO"}} {
		var rules string
		for _, cal := range order {
			rules += `
  - {id: ` + cal + `, source: tickets, scope: is_open(opened), clock: {start: opened, stop: resolved, calendar: ` + cal + `}, deadline: 8h, objective: share(on_time) >= 90%}`
		}
		eligible, _ := onSaturdayTicket(t, rules, time.Hour)
		if eligible["HE"] != 1 || eligible["HO"] != 0 {
			t.Errorf("rules in the order %v: eligible %v, want HE 1 and HO 0", order, eligible)
		}
	}
}

// TestSameExclusionOnAnotherClock: an exclusion written the same in two
// rules is evaluated with each rule's clock and calendar, whatever their
// order (a memo shared between rules, as scopes have, must not change
// that). A ticket of Saturday 10:00, acknowledged at 10:30 and resolved
// at 13:00, has run 3 hours of HE time to its resolution and 30 minutes to
// its acknowledgement; Saturday is open on HE and closed on HO.
func TestSameExclusionOnAnotherClock(t *testing.T) {
	type rule struct{ id, cal, stop string }
	for _, tc := range []struct {
		when         string
		out, counted rule // the rule that excludes the ticket, the one that counts it
	}{
		{"elapsed > 2h", rule{"RESOLVE", "HE", "resolved"}, rule{"ACK", "HE", "acknowledged"}},
		{"is_open(opened)", rule{"HE", "HE", "resolved"}, rule{"HO", "HO", "resolved"}},
	} {
		for _, order := range [][2]rule{{tc.out, tc.counted}, {tc.counted, tc.out}} {
			var rules string
			for _, r := range order {
				rules += `
  - id: ` + r.id + `
    source: tickets
    clock: {start: opened, stop: ` + r.stop + `, calendar: ` + r.cal + `}
    deadline: 8h
    exclude: {excluded: '` + tc.when + `'}
    objective: share(on_time) >= 90%`
			}
			eligible, excluded := onSaturdayTicket(t, rules, 3*time.Hour)
			if eligible[tc.counted.id] != 1 || excluded[tc.out.id] != 1 {
				t.Errorf("%s, rules %s then %s: eligible %v, excluded %v; want %s excluded, %s eligible",
					tc.when, order[0].id, order[1].id, eligible, excluded, tc.out.id, tc.counted.id)
			}
		}
	}
}

// onSaturdayTicket evaluates the rules, on the calendars HO (mon-fri
// 08:00-18:00) and HE (mon-sat 07:00-20:00), on an incident opened on
// Saturday 6 March 2027 at 10:00, acknowledged at 10:30 and resolved
// after d. It returns, per rule, the items counted and those excluded.
func onSaturdayTicket(t *testing.T, rules string, d time.Duration) (eligible, excluded map[string]int) {
	t.Helper()
	body := `
calendars:
  HO: mon-fri 08:00-18:00
  HE: mon-sat 07:00-20:00
rules:` + rules + "\n"
	c := contractOf2027(t, "saturday", body)
	sat := time.Date(2027, 3, 6, 10, 0, 0, 0, c.Location())
	tickets := []pacte.Ticket{{ID: "T1", Kind: "incident", Opened: sat, Acknowledged: sat.Add(30 * time.Minute), Resolved: sat.Add(d)}}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets)})
	eligible, excluded = map[string]int{}, map[string]int{}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			eligible[r.ID] += r.Eligible
			excluded[r.ID] += r.Excluded["excluded"]
		}
	}
	return eligible, excluded
}

// The CCAG's penalty for delay, P = V × R / 1000, R the calendar days of
// delay counted from the day after the deadline.
func TestPenaltyPerCalendarDayOfDelay(t *testing.T) {
	c := contractOf2027(t, "ccag", `calendars:
  HO: mon-fri 09:00-17:00; holidays FR
rules:
  - id: DELIVERY
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 100%
    penalty:
      per_item: 'late > 0s ? decimal(attrs["value"]) * days_between(deadline, resolved) / 1000 : 0'
  - id: WORKS
    source: tickets
    objective: share(jours_ouvres_between(opened, resolved, "FR") <= 1) >= 50%
`)
	tickets := []pacte.Ticket{
		// Due Fri 5 March 17:00, delivered Mon 8 March: 6, 7, 8 March.
		{ID: "LATE", Opened: at(t, "2027-03-05 09:00"), Resolved: at(t, "2027-03-08 10:00"), Attrs: map[string]string{"value": "25000.00"}},
		// Due and delivered Fri 12 March.
		{ID: "ON-TIME", Opened: at(t, "2027-03-12 09:00"), Resolved: at(t, "2027-03-12 16:00"), Attrs: map[string]string{"value": "9000.00"}},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-04-01 00:00")})
	r := rule(t, rep, "2027-03", "DELIVERY")
	require.Equal(t, "75.00", r.RawPenalty.StringFixed(2))
	require.Equal(t, "LATE", r.MissedItems[0].ID)
	// LATE: one jour ouvré (Mon 8 March), ON-TIME none: both within 1.
	require.Equal(t, 2, rule(t, rep, "2027-03", "WORKS").Met)
}

// A term cap and a franchise over the term look at the term's data, and
// say that what they decide may change until the term ends.
func TestTermStepsAreProvisional(t *testing.T) {
	c, err := contract.Load("../examples/contracts/desk.yaml")
	require.NoError(t, err)
	var tickets []pacte.Ticket
	for i := range 14 {
		opened := at(t, "2027-04-06 09:00")
		if i >= 8 {
			opened = at(t, "2027-05-04 09:00")
		}
		tickets = append(tickets, pacte.Ticket{ID: fmt.Sprintf("P2-%d", i), Priority: "P2", Opened: opened, Resolved: opened.Add(30 * time.Hour)})
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2027-06-01 00:00")})
	var may sla.PeriodReport
	for _, p := range rep.Periods {
		if p.Period == "2027-05" {
			may = p
		}
	}
	require.Len(t, may.Steps, 1)
	step := may.Steps[0]
	require.Equal(t, "400.00", step.After.StringFixed(2))
	require.True(t, step.Provisional)
	require.Equal(t, "the term cap 1200.00 = 1200.00 reached: 400.00 of 600.00 due; computed on the invoices of 2 of its 24 months, provisional until 2028-12-31", step.Note)

	rep = evaluate(t, c, sla.Input{Tickets: slices.Values(tickets[:1]), AsOf: at(t, "2027-05-01 00:00")})
	r := rule(t, rep, "2027-04", "INC-P2")
	require.Equal(t, "0.00", r.Penalty.StringFixed(2))
	require.True(t, r.Steps[0].Provisional)
	require.Contains(t, r.Steps[0].Note, "the data given covers it from 2027-04-01 up to 2027-05-01 00:00: provisional until 2028-12-31")
}

// A per-item amount may be proportional to a fee: each late ticket costs
// 0.5 % of the month's forfait per started hour late, the forfait being
// revised in 2028.
func TestPerItemAmountOfAFee(t *testing.T) {
	c, err := contract.Parse([]byte(`
contract: fees
term: {start: 2027-01-01, end: 2028-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 09:00-17:00
work_units:
  FORFAIT: {fixed: 10000.00}
  DESK: {price: 2.00, volume: count(tickets)}
revision: {index: Syntec, fixed: 0, indexed: 1, base: 2026-09, reference_month: 9, from: 2028-01-01}
indices: {Syntec: {2026-09: 100, 2027-09: 110}}
rules:
  - id: P1
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 4h
    objective: share(on_time) >= 100%
    penalty:
      per_item: 'late > 0s ? 0.5% * fee("FORFAIT") * ceil(late / 1h) + 1% * fee("DESK") : 0'
`), "fees.yaml")
	require.NoError(t, err)
	tickets := []pacte.Ticket{
		// 2 h late, then 1 h 30 late: 2 + 2 started hours.
		{ID: "LATE-2H", Opened: at(t, "2027-03-02 09:00"), Resolved: at(t, "2027-03-02 15:00")},
		{ID: "LATE-1H30", Opened: at(t, "2027-03-03 09:00"), Resolved: at(t, "2027-03-03 14:30")},
		{ID: "ON-TIME", Opened: at(t, "2027-03-04 09:00"), Resolved: at(t, "2027-03-04 10:00")},
		{ID: "LATE-1H", Opened: at(t, "2028-03-02 09:00"), Resolved: at(t, "2028-03-02 14:00")},
	}
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: at(t, "2028-04-01 00:00")})
	// March 2027: 0.5 % × 10,000.00 × 4 started hours + 2 × 1 % × 6.00
	// (three tickets resolved in March at 2.00) = 200.00 + 0.12.
	mar := rule(t, rep, "2027-03", "P1")
	require.Equal(t, "200.12", mar.RawPenalty.StringFixed(2))
	require.Equal(t, "LATE-2H", mar.MissedItems[0].ID)
	require.Equal(t, "100.06", mar.MissedItems[0].Amount.StringFixed(2))
	// March 2028: the forfait revised × 1.1: 0.5 % × 11,000.00 × 1 + 1 % × 2.20.
	require.Equal(t, "55.02", rule(t, rep, "2028-03", "P1").RawPenalty.StringFixed(2))

	// Split over two evaluators and merged, then reported twice: the same.
	a, err := sla.NewEvaluator(c, sla.AsOf(at(t, "2028-04-01 00:00")))
	require.NoError(t, err)
	b, err := sla.NewEvaluator(c, sla.AsOf(at(t, "2028-04-01 00:00")))
	require.NoError(t, err)
	for i := range tickets {
		if i%2 == 0 {
			a.AddTicket(&tickets[i])
		} else {
			b.AddTicket(&tickets[i])
		}
	}
	require.NoError(t, a.Merge(b))
	for range 2 {
		merged, err := a.Report(nil, nil)
		require.NoError(t, err)
		require.Equal(t, "200.12", rule(t, merged, "2027-03", "P1").RawPenalty.StringFixed(2))
	}
}
