package slatest_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// recorder is a TB that keeps what the helpers report.
type recorder struct {
	errors []string
	fatal  string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	panic(r)
}

// fatal runs f and returns the message it failed with, "" if none.
func (r *recorder) run(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			if p != r {
				panic(p)
			}
			msg = r.fatal
		}
	}()
	f()
	return ""
}

func threeP1(t *testing.T) (*contract.Contract, *sla.Report) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	b := slatest.NewRecords(t, c)
	tickets := []pacte.Ticket{
		b.Ticket("INC-1", "incident", "P1", "Mon 2027-04-05 09:00").Acknowledged("+5min").Resolved("+2h30min HE").Build(),
		b.Ticket("INC-2", "incident", "P1", "Tue 2027-04-06 14:00").Acknowledged("+5min").Resolved("+3h45min HE").Build(),
		b.Ticket("INC-3", "incident", "P1", "Wed 2027-04-07 08:00").Acknowledged("+5min").Resolved("+8h30min HE").Build(),
	}
	return c, slatest.Evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: b.At("2027-05-01")})
}

func TestAssertionsPass(t *testing.T) {
	_, rep := threeP1(t)
	slatest.Rule(t, rep, "2027-04", "INC-P1").Eligible(3).Met(2).Missed(1).Excluded(0).ExcludedFor(map[string]int{}).ExcludedFor(map[string]int{"caused by the client": 0}).
		Achieved("1").Status(sla.StatusMet).SmallVolume(true).Penalty("150.00").RawPenalty("150").
		Bonus("0").RawBonus("0").Capped(false).MissedItems("INC-3")
	slatest.Period(t, rep, "2027-04").Invoice("18000").Penalties("150").Bonuses("0").Net("150.00").Capped(false).BonusCapped(false)
}

// A failing assertion says what was expected, what came out, and the
// trace of the figure.
func TestAssertionsFail(t *testing.T) {
	_, rep := threeP1(t)
	r := &recorder{}
	slatest.Rule(r, rep, "2027-04", "INC-P1").Missed(2).Penalty("3% * 18000").Status(sla.StatusBreached).MissedItems("INC-1", "INC-3").Achieved("fast")
	slatest.Period(r, rep, "2027-04").Net("0").Capped(true)
	require.Len(t, r.errors, 7)
	require.Equal(t, "2027-04 INC-P1 missed: want 2, got 1\n"+
		"    3 eligible, 2 met, 1 missed; achieved 1 against <= 1 (missed <= 1): met\n"+
		"    3 items, fewer than 20: the objective missed <= 1 applies\n"+
		"    missed INC-3: measured 8h30min, late 4h30min, 150.00", r.errors[0])
	require.Equal(t, "2027-04 INC-P1 penalty: want 540.00 (3% * 18000), got 150.00\n    raw penalty 150.00", r.errors[1])
	require.True(t, strings.HasPrefix(r.errors[2], "2027-04 INC-P1 status: want breached, got met\n"), r.errors[2])
	require.True(t, strings.HasPrefix(r.errors[3], "2027-04 INC-P1 missed_items: want [INC-1 INC-3], got [INC-3]\n"), r.errors[3])
	require.Contains(t, r.errors[4], "2027-04 INC-P1 achieved: \"fast\": unknown name fast")
	require.Equal(t, "2027-04 net: want 0, got 150.00\n    INC-P1: penalty 150.00, bonus 0.00\n"+
		"    month_cap penalty: 150.00 → 150.00 (within the monthly cap 10% * invoice = 1800.00)\n"+
		"    year_cap penalty: 150.00 → 150.00 (contract year 1: 150.00 of the cap 6% * invoice = 1080.00 used; computed on the invoices of 1 of its 12 months, provisional until 2027-12-31)", r.errors[5])
	require.True(t, strings.HasPrefix(r.errors[6], "2027-04 capped: want true, got false\n"), r.errors[6])

	require.Equal(t, "period 2027-09: not in the report, whose periods are 2027-04",
		r.run(func() { slatest.Rule(r, rep, "2027-09", "INC-P1") }))
	require.Equal(t, "2027-04 INC-P9: no such rule in the period", r.run(func() { slatest.Rule(r, rep, "2027-04", "INC-P9") }))
}

func TestBuildersFailOnBadInstants(t *testing.T) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	r := &recorder{}
	b := slatest.NewRecords(r, c)
	require.Equal(t, `instant "Tue 2027-04-05": 2027-04-05 is a Monday, not a Tuesday`, r.run(func() { b.At("Tue 2027-04-05") }))
	msg := r.run(func() { b.Ticket("T", "incident", "P1", "2027-04-05 09:00").Resolved("+4h HX").Build() })
	require.Equal(t, `T: resolved "+4h HX": unexpected "HX" (steps are +4h (wall clock), +4h HE (open time of a calendar) and end_of_open_day(3) HO)`, msg)

	tk := b.Ticket("T", "incident", "P2", "Mon 2027-04-05 09:00").Status("+1h", "waiting for client").Status("+3h", "in progress").
		Pause("+5h", "+6h").Resolved("+10h HO").Closed("resolved +1h").Reopened("closed +24h").Link("P-1", "problem", "", "").
		With(func(t *pacte.Ticket) { t.Level = 2 }).Build()
	require.Equal(t, "in progress", tk.Status)
	require.Len(t, tk.History, 2)
	require.Equal(t, tk.Opened.Add(time.Hour), tk.History[0].At)
	require.Equal(t, tk.Resolved.Add(25*time.Hour), tk.Reopened[0])
	require.Equal(t, 2, tk.Level)

	call := b.Call("C", "Mon 2027-04-05 09:00").Answered("+20s").Ended("answered +5min").Build()
	require.Equal(t, call.Offered.Add(5*time.Minute+20*time.Second), call.Ended)
	o := b.Outage("O", "ERP", "Sat 2027-04-17 08:00", "+1h").Planned("2027-04-09 10:00").Build()
	require.True(t, o.Planned)
	s := b.Sample("S", "csat", "2027-04-05 10:00", "4.5")
	require.Equal(t, "4.5", s.Value.String())
}

// An achieved value compares with a value of its own type: a count is
// no percentage, and a duration no number of seconds.
func TestAchievedComparesTypes(t *testing.T) {
	report := func(q sla.Quantity) *sla.Report {
		return &sla.Report{Periods: []sla.PeriodReport{{Period: "2027-04", Rules: []sla.RuleReport{{ID: "R", Achieved: &q}}}}}
	}
	count := sla.Quantity{Type: dsl.Int, Int: 1}
	hour := sla.Quantity{Type: dsl.Duration, Duration: time.Hour}
	ratio := sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.90")}
	for _, tc := range []struct {
		got  sla.Quantity
		want string
		fail string // "" when the value matches
	}{
		{count, "1", ""},
		{count, "100%", "R achieved: want 100%, got 1"},
		{count, "2", "R achieved: want 2, got 1"},
		{hour, "1h", ""},
		{hour, "60min", ""},
		{hour, "3600", "R achieved: want 3600, got 1h"},
		{hour, "3600.0", "R achieved: want 3600.0, got 1h"},
		{ratio, "90%", ""},
		{ratio, "0.9", ""},
		{ratio, "1h", "R achieved: want 1h, got 0.9"},
		// To the precision written: 99.50% is 4 places of the ratio.
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.99504")}, "99.50%", ""},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.99506")}, "99.50%", "R achieved: want 99.50%, got 99.506%"},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.996")}, "100%", ""},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.994")}, "100%", "R achieved: want 100%, got 99.4%"},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.996")}, "99.6%", ""},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.996")}, "(1000 - 4) / 1000", ""},
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.9961")}, "(1000 - 4) / 1000", "R achieved: want 0.996 ((1000 - 4) / 1000), got 0.9961"},
	} {
		t.Run(tc.got.Text()+" "+tc.want, func(t *testing.T) {
			r := &recorder{}
			slatest.Rule(r, report(tc.got), "2027-04", "R").Achieved(tc.want)
			if tc.fail == "" {
				require.Empty(t, r.errors)
				return
			}
			require.Len(t, r.errors, 1)
			require.True(t, strings.HasPrefix(r.errors[0], "2027-04 "+tc.fail), r.errors[0])
		})
	}
}

// Items excluded per reason compare reason by reason, a reason written
// with 0 being one that excluded nothing.
func TestExcludedPerReason(t *testing.T) {
	rep := &sla.Report{Periods: []sla.PeriodReport{{Period: "2027-04", Rules: []sla.RuleReport{{ID: "R",
		Excluded: map[string]int{"announced maintenance": 1}}}}}}
	for _, tc := range []struct {
		want map[string]int
		ok   bool
	}{
		{map[string]int{"announced maintenance": 1}, true},
		{map[string]int{"announced maintenance": 1, "caused by the client": 0}, true},
		{map[string]int{"announced maintenance": 2}, false},
		{map[string]int{"caused by the client": 0}, false},
		{map[string]int{"caused by the client": 1}, false},
		{map[string]int{}, false},
	} {
		r := &recorder{}
		slatest.Rule(r, rep, "2027-04", "R").ExcludedFor(tc.want)
		require.Equal(t, tc.ok, len(r.errors) == 0, "%v: %v", tc.want, r.errors)
	}
}

// excluded_items checks the IDs of the items an exclusion left out, and
// its failure says each with its reason, and the short abandons counted
// but not listed.
func TestExcludedItems(t *testing.T) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	b := slatest.NewRecords(t, c)
	tickets := []pacte.Ticket{
		b.Ticket("RQ", "request", "", "Mon 2027-04-05 09:00").With(func(t *pacte.Ticket) { t.Category = "standard" }).Resolved("+10h HO").Build(),
		b.Ticket("RQ-CLIENT", "request", "", "Mon 2027-04-05 09:00").With(func(t *pacte.Ticket) { t.Category, t.Exclusion = "standard", "client" }).
			Resolved("+60h HO").Build(),
	}
	calls := []pacte.Call{
		b.Call("C1", "Mon 2027-04-05 09:00").Answered("+20s").Ended("answered +5min").Build(),
		b.Call("C2", "Mon 2027-04-05 09:10").Abandoned("+5s").Build(),
	}
	rep := slatest.Evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), Calls: slices.Values(calls), AsOf: b.At("2027-05-01")})
	slatest.Rule(t, rep, "2027-04", "REQ").ExcludedItems("RQ-CLIENT")
	slatest.Rule(t, rep, "2027-04", "TEL-ANSWER").ExcludedItems().Excluded(1)

	r := &recorder{}
	slatest.Rule(r, rep, "2027-04", "REQ").ExcludedItems()
	slatest.Rule(r, rep, "2027-04", "TEL-ANSWER").ExcludedItems("C2")
	require.Equal(t, []string{
		"2027-04 REQ excluded_items: want [], got [RQ-CLIENT]\n    excluded RQ-CLIENT: caused by the client",
		"2027-04 TEL-ANSWER excluded_items: want [C2], got []\n    1 more excluded (short abandon), counted but not listed",
	}, r.errors)
}
