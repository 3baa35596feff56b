package sla_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// acmeINCP2 is the ACME contract with INC-P2's deadline and objective
// written as given.
func acmeINCP2(t *testing.T, clauses string) *contract.Contract {
	t.Helper()
	text := mustRead(t, "../examples/contracts/acme.yaml")
	old := "    deadline: 8h\n    objective: share(on_time) >= 90%\n"
	require.Equal(t, 1, strings.Count(text, old))
	c, err := contract.Parse([]byte(strings.Replace(text, old, clauses, 1)), "acme.yaml")
	require.NoError(t, err)
	return c
}

// ruleRows are the rows of a rule, by period, with what the rule's
// clauses decide: the counts, the achieved value, the status, the
// missed items and the amounts the rule's formulas give (the pipeline
// that follows depends on the other periods).
func ruleRows(t *testing.T, rep *sla.Report, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if r.ID != id {
				continue
			}
			r.VersionFrom = ""
			r.Penalty, r.Bonus, r.Steps = sla.Money{}, sla.Money{}, nil
			b, err := json.Marshal(r)
			require.NoError(t, err)
			out[p.Period] = string(b)
		}
	}
	return out
}

// TestRuleVersionIsTheFixedContractOfItsPeriods: a rule whose deadline
// and objective change by an amendment from April evaluates January to
// March as the contract without it, and April on as the contract with
// the amended clauses from the start; each row says which version applied.
func TestRuleVersionIsTheFixedContractOfItsPeriods(t *testing.T) {
	amended := acmeINCP2(t, "    deadline: 8h\n    objective: share(on_time) >= 90%\n"+
		"    versions: [{from: 2027-04-01, deadline: 4h, objective: share(on_time) >= 95%}]\n")
	before := acmeINCP2(t, "    deadline: 8h\n    objective: share(on_time) >= 90%\n")
	after := acmeINCP2(t, "    deadline: 4h\n    objective: share(on_time) >= 95%\n")
	d := genData(7, 3000, 1, 7)
	got := evaluate(t, amended, d.input())
	rows := ruleRows(t, got, "INC-P2")
	old, amendedRows := ruleRows(t, evaluate(t, before, d.input()), "INC-P2"), ruleRows(t, evaluate(t, after, d.input()), "INC-P2")
	require.GreaterOrEqual(t, len(rows), 6)
	changed := 0
	for _, p := range got.Periods {
		want := old[p.Period]
		from := ""
		if p.Period >= "2027-04" {
			want, from = amendedRows[p.Period], "2027-04-01"
		}
		require.True(t, want == rows[p.Period], "%s: the row is not the fixed contract's", p.Period)
		if p.Period >= "2027-04" && old[p.Period] != amendedRows[p.Period] {
			changed++
		}
		for _, r := range p.Rules {
			if r.ID == "INC-P2" {
				require.Equal(t, from, r.VersionFrom, p.Period)
			} else {
				require.Empty(t, r.VersionFrom, "%s %s", r.ID, p.Period)
			}
		}
	}
	require.GreaterOrEqual(t, changed, 3, "the two versions differ from April: the test tells them apart")
	// The other rules are the contract's own.
	for _, id := range []string{"INC-P1", "INC-P3", "ACK"} {
		require.True(t, reflect.DeepEqual(ruleRows(t, evaluate(t, before, d.input()), id), ruleRows(t, got, id)), id)
	}
}

// amendedDeadline is a contract whose one rule's deadline goes from 8
// to 4 open hours on 1 April 2027.
func amendedDeadline(t *testing.T) *contract.Contract { return amendedDeadlineWith(t, "") }

// amendedDeadlineWith is amendedDeadline with more rules after its own.
func amendedDeadlineWith(t *testing.T, rules string) *contract.Contract {
	t.Helper()
	return contractOf2027(t, "amended", `calendars:
  HO: mon-fri 08:00-18:00
rules:
  - id: P2
    source: tickets
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 90%
    versions: [{from: 2027-04-01, deadline: 4h}]
`+rules)
}

// TestRuleVersionTimers: the live timers of a running ticket show the
// rule once, with the deadline of the version in force in the period of
// now.
func TestRuleVersionTimers(t *testing.T) {
	c := amendedDeadline(t)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	opened := time.Date(2027, 3, 31, 10, 0, 0, 0, c.Location())
	require.NoError(t, l.Update(pacte.Ticket{ID: "RUN", Opened: opened}))
	for _, tc := range []struct {
		now    time.Time
		budget time.Duration
	}{
		{opened.Add(time.Hour), 8 * time.Hour},
		{time.Date(2027, 4, 1, 9, 0, 0, 0, c.Location()), 4 * time.Hour},
	} {
		tm, err := l.Timers("RUN", tc.now)
		require.NoError(t, err)
		require.Len(t, tm, 1, tc.now)
		require.Equal(t, "P2", tm[0].Rule)
		require.Equal(t, tc.budget, tm[0].Budget, tc.now)
	}
}

// TestRuleVersionState: the state of an evaluator of a contract with
// amended rules holds what its versions accumulate: halves evaluated
// apart, marshalled, read back and merged give the report of the whole.
func TestRuleVersionState(t *testing.T) {
	c := acmeINCP2(t, "    deadline: 8h\n    objective: share(on_time) >= 90%\n"+
		"    versions: [{from: 2027-04-01, deadline: 4h, objective: share(on_time) >= 95%}]\n")
	d := genData(11, 1500, 1, 7)
	accumulate := func(tickets []pacte.Ticket) *sla.Evaluator {
		e, err := sla.Accumulate(context.Background(), c, sla.Input{Tickets: slices.Values(tickets), AsOf: asOf})
		require.NoError(t, err)
		return e
	}
	want := stateReportJSON(t, accumulate(d.tickets), nil)
	half := len(d.tickets) / 2
	var merged *sla.Evaluator
	for _, part := range [][]pacte.Ticket{d.tickets[:half], d.tickets[half:]} {
		b, err := accumulate(part).MarshalBinary()
		require.NoError(t, err)
		e, err := sla.NewEvaluator(c, sla.AsOf(asOf))
		require.NoError(t, err)
		require.NoError(t, e.UnmarshalBinary(b))
		if merged == nil {
			merged = e
		} else {
			require.NoError(t, merged.Merge(e))
		}
	}
	require.True(t, bytes.Equal(want, stateReportJSON(t, merged, nil)), "the merged report differs")
	require.Contains(t, string(want), `"version_from": "2027-04-01"`)
}

// TestRuleVersionWatch: a watch says what happens to a ticket by the
// version of its rule in force at each instant: opened under the 8-hour
// deadline, it breaches the 4-hour one in force from April the next
// morning, once.
func TestRuleVersionWatch(t *testing.T) {
	c := amendedDeadline(t)
	l, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	opened := time.Date(2027, 3, 31, 16, 0, 0, 0, c.Location())
	var in feed
	in.update(opened, pacte.Ticket{ID: "A", Opened: opened})
	in.ticks(opened.Add(time.Hour), opened.Add(24*time.Hour), time.Hour)
	var breaches []string
	for _, ev := range watchAll(t, l, in) {
		if ev.Kind == sla.EventBreached {
			breaches = append(breaches, ev.Rule+" "+ev.At.In(c.Location()).Format("01-02 15:04"))
		}
	}
	require.Equal(t, []string{"P2 04-01 10:00"}, breaches)
}

// TestRuleVersionWatchBreachedBeforeItsForce: a ticket opened the day
// before the amendment breaches the 4-hour deadline that evening, while
// the 8-hour one is in force. From 1 April, the timers show the 4-hour
// version breached: the watch says so at the amendment, the crossings
// its clock went through dated when they happened, each threshold once
// for the rule; the 8-hour version's crossings after it are not said.
func TestRuleVersionWatchBreachedBeforeItsForce(t *testing.T) {
	c := amendedDeadline(t)
	l, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	opened := time.Date(2027, 3, 31, 14, 0, 0, 0, c.Location()) // HO 08:00-18:00
	var in feed
	in.update(opened, pacte.Ticket{ID: "A", Opened: opened})
	in.ticks(opened.Add(time.Hour), opened.Add(24*time.Hour), time.Hour)
	april := slices.IndexFunc(in, func(x sla.WatchInput) bool { return !x.At.Before(time.Date(2027, 4, 1, 0, 0, 0, 0, c.Location())) })
	march, err := sla.NewLive(c, sla.TimersOnly())
	require.NoError(t, err)
	require.Len(t, watchAll(t, march, in[:april]), 1, "the 4-hour version is not in force in March")
	var got []string
	for _, ev := range watchAll(t, l, in) {
		line := fmt.Sprintf("%s %s %s", ev.At.In(c.Location()).Format("01-02 15:04"), ev.Rule, ev.Kind)
		if ev.Threshold != nil {
			line += " " + ev.Threshold.String()
		}
		got = append(got, line)
	}
	require.Equal(t, []string{
		"03-31 18:00 P2 threshold 0.5",                                                             // 4 h of 8
		"03-31 17:00 P2 threshold 0.75", "03-31 17:36 P2 threshold 0.9", "03-31 18:00 P2 breached", // of 4 h, said on 1 April
	}, got)
	tm, err := l.Timers("A", time.Date(2027, 4, 1, 9, 0, 0, 0, c.Location()))
	require.NoError(t, err)
	require.True(t, tm[0].Breached)
	require.Equal(t, time.Date(2027, 3, 31, 18, 0, 0, 0, c.Location()), tm[0].BreachAt.In(c.Location()))
}

// TestRuleVersionTimersInTheContractsOrder: the timers of a ticket, the
// margins and the projections come in the contract's order, an amended
// rule's at its place whichever version is in force, as in the report.
func TestRuleVersionTimersInTheContractsOrder(t *testing.T) {
	c := amendedDeadlineWith(t, `  - id: ACK
    source: tickets
    clock: {start: opened, stop: acknowledged, calendar: HO}
    deadline: 30min
    objective: share(on_time) >= 90%
`)
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	opened := time.Date(2027, 3, 31, 10, 0, 0, 0, c.Location())
	require.NoError(t, l.Update(pacte.Ticket{ID: "RUN", Opened: opened}))
	for _, day := range []int{30, 31} { // settled, for the projections
		done := time.Date(2027, 3, day, 9, 0, 0, 0, c.Location())
		if day == 31 {
			done = time.Date(2027, 4, 1, 8, 0, 0, 0, c.Location())
		}
		require.NoError(t, l.Update(pacte.Ticket{ID: fmt.Sprint("DONE", day), Opened: done, Acknowledged: done.Add(time.Minute), Resolved: done.Add(time.Hour)}))
	}
	for _, now := range []time.Time{opened.Add(time.Hour), time.Date(2027, 4, 1, 10, 0, 0, 0, c.Location())} {
		tms, err := l.Timers("RUN", now)
		require.NoError(t, err)
		var rules []string
		for _, tm := range tms {
			rules = append(rules, tm.Rule)
		}
		require.Equal(t, []string{"P2", "ACK"}, rules, now)
		tms = l.AppendOpenTimers(nil, now)
		rules = rules[:0]
		for _, tm := range tms {
			rules = append(rules, tm.Rule)
		}
		require.Equal(t, []string{"P2", "ACK"}, rules, now)
		m, err := l.Margin(now)
		require.NoError(t, err)
		rules = rules[:0]
		for _, r := range m.Rules {
			rules = append(rules, r.Rule)
		}
		require.Equal(t, []string{"P2", "ACK"}, rules, now)
		risk, err := l.AtRisk(now, nil)
		require.NoError(t, err)
		rules = rules[:0]
		for _, p := range risk.Projections {
			rules = append(rules, p.Rule)
		}
		require.Equal(t, []string{"P2", "ACK"}, rules, now)
	}
}
