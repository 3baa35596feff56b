package dsl

import (
	"reflect"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/clock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

type fieldCase struct {
	name string
	typ  Type
	want any
}

// checkFields evaluates each field by its name, on both backends, and
// checks its type and value.
func checkFields[E Env](t *testing.T, env *E, fields []fieldCase, compiled bool) {
	t.Helper()
	names := Names[E]()
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			require.Contains(t, names, f.name)
			p := compileT[E](t, f.name)
			require.Equal(t, f.typ, p.Type())
			if compiled && f.typ != Other {
			}
			requireSameValue(t, f.want, evalT(t, p, env), f.name)
		})
	}
}

func TestTicketFields(t *testing.T) {
	env := sampleTicket()
	tk := env.Ticket
	tk.Exclusion = "client"
	tk.Reopened = []time.Time{at(2027, time.May, 10, 9, 0)}
	checkFields(t, env, []fieldCase{
		{"id", String, "INC-1"},
		{"kind", String, "incident"},
		{"priority", String, "P1"},
		{"service", String, "ERP"},
		{"category", String, "software"},
		{"group", String, "N2"},
		{"level", Int, 2},
		{"status", String, "closed"},
		{"exclusion", String, "client"},
		{"opened", Time, tk.Opened},
		{"acknowledged", Time, tk.Acknowledged},
		{"resolved", Time, tk.Resolved},
		{"closed", Time, tk.Closed},
		{"satisfaction", Decimal, dec("4.5")},
		{"attrs", Other, tk.Attrs},
		{"history", Other, tk.History},
		{"pauses", Other, tk.Pauses},
		{"reopened", Other, tk.Reopened},
		{"links", Other, tk.Links},
		// the clock's measures
		{"start", Time, env.Start},
		{"stop", Time, env.Stop},
		{"elapsed", Duration, env.Elapsed},
		{"budget", Duration, env.Budget},
		{"deadline", Time, env.Deadline},
		{"late", Duration, env.Late},
		{"on_time", Bool, true},
	}, true)

	// Go field names, and what the engine keeps to itself, are not names.
	for _, src := range []string{"Priority", "Paused", "paused", "Elapsed", "Opened"} {
		_, err := Compile[Ticket](src)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
}

func TestCallFields(t *testing.T) {
	offered := at(2027, time.May, 5, 10, 0)
	c := &pacte.Call{ID: "C-1", Queue: "N1", Offered: offered, Answered: offered.Add(25 * time.Second),
		Ended: offered.Add(5*time.Minute + 25*time.Second), FirstContact: true, Agent: "alice", Attrs: map[string]string{"lang": "fr"}}
	env := NewCall(c)
	checkFields(t, &env, []fieldCase{
		{"id", String, "C-1"},
		{"queue", String, "N1"},
		{"agent", String, "alice"},
		{"offered", Time, offered},
		{"answered_at", Time, c.Answered},
		{"ended", Time, c.Ended},
		{"abandoned", Bool, false},
		{"first_contact", Bool, true},
		{"answered", Bool, true},
		{"wait", Duration, 25 * time.Second},
		{"talk", Duration, 5 * time.Minute},
		{"attrs", Other, c.Attrs},
	}, true)
}

func TestNewCall(t *testing.T) {
	offered := at(2027, time.May, 5, 10, 0)
	tests := []struct {
		name     string
		call     pacte.Call
		wait     time.Duration
		talk     time.Duration
		answered bool
	}{
		{"answered", pacte.Call{Offered: offered, Answered: offered.Add(25 * time.Second), Ended: offered.Add(5 * time.Minute)}, 25 * time.Second, 4*time.Minute + 35*time.Second, true},
		{"answered, still talking", pacte.Call{Offered: offered, Answered: offered.Add(25 * time.Second)}, 25 * time.Second, 0, true},
		{"abandoned", pacte.Call{Offered: offered, Ended: offered.Add(40 * time.Second), Abandoned: true}, 40 * time.Second, 0, false},
		{"neither answered nor abandoned", pacte.Call{Offered: offered}, 0, 0, false},
		{"overflowed out of the queue", pacte.Call{Offered: offered, Ended: offered.Add(90 * time.Second)}, 90 * time.Second, 0, false},
		{"clock skew: answered before offered", pacte.Call{Offered: offered, Answered: offered.Add(-time.Second), Ended: offered.Add(-2 * time.Second)}, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := NewCall(&tt.call)
			require.Same(t, &tt.call, env.Call)
			require.Equal(t, tt.wait, env.Wait)
			require.Equal(t, tt.talk, env.Talk)
			require.Equal(t, tt.answered, env.Answered)
			p := compileT[Call](t, "answered && wait <= 30s", Expect(Bool))
			require.Equal(t, tt.answered && tt.wait <= 30*time.Second, evalT(t, p, &env))
		})
	}
}

func TestOutageFields(t *testing.T) {
	o := &pacte.Outage{ID: "O-1", Service: "ERP", Start: at(2027, time.May, 5, 10, 0), End: at(2027, time.May, 5, 11, 30),
		Planned: true, Announced: at(2027, time.April, 26, 9, 0), Attrs: map[string]string{"cause": "network"}}
	env := NewOutage(o)
	checkFields(t, &env, []fieldCase{
		{"id", String, "O-1"},
		{"service", String, "ERP"},
		{"start", Time, o.Start},
		{"end", Time, o.End},
		{"planned", Bool, true},
		{"announced", Time, o.Announced},
		{"duration", Duration, 90 * time.Minute},
		{"attrs", Other, o.Attrs},
	}, true)
}

func TestNewOutage(t *testing.T) {
	start := at(2027, time.May, 5, 10, 0)
	for _, tt := range []struct {
		name string
		o    pacte.Outage
		want time.Duration
	}{
		{"ended", pacte.Outage{Start: start, End: start.Add(90 * time.Minute)}, 90 * time.Minute},
		{"still going on", pacte.Outage{Start: start}, 0},
		{"end before start", pacte.Outage{Start: start, End: start.Add(-time.Minute)}, 0},
	} {
		env := NewOutage(&tt.o)
		require.Same(t, &tt.o, env.Outage, tt.name)
		require.Equal(t, tt.want, env.Duration, tt.name)
	}
}

func TestSampleAndStatusFields(t *testing.T) {
	s := &pacte.Sample{ID: "S-1", Name: "csat", At: at(2027, time.May, 31, 12, 0), Value: dec("4.2"), Attrs: map[string]string{"site": "Lyon"}}
	checkFields(t, &Sample{Sample: s}, []fieldCase{
		{"id", String, "S-1"},
		{"name", String, "csat"},
		{"at", Time, s.At},
		{"value", Decimal, dec("4.2")},
		{"attrs", Other, s.Attrs},
	}, true)
	p := compileT[Sample](t, `name == "csat" && value >= 4`, Expect(Bool))
	require.Equal(t, true, evalT(t, p, &Sample{Sample: s}))

	sc := &pacte.StatusChange{At: at(2027, time.May, 5, 17, 0), Status: "waiting for client"}
	checkFields(t, &StatusChange{StatusChange: sc}, []fieldCase{
		{"status", String, "waiting for client"},
		{"at", Time, sc.At},
	}, true)
	p2 := compileT[StatusChange](t, `status in ["waiting for client", "on hold"]`, Expect(Bool))
	require.Equal(t, true, evalT(t, p2, &StatusChange{StatusChange: sc}))
}

func periodFields[M Measure](achieved, objective, shortfall M) []fieldCase {
	return []fieldCase{
		{"start", Time, at(2027, time.May, 1, 0, 0)},
		{"end", Time, at(2027, time.June, 1, 0, 0)},
		{"month", Int, 5},
		{"year", Int, 2027},
		{"contract_year", Int, 1},
		{"eligible", Int, 20},
		{"met", Int, 18},
		{"missed", Int, 2},
		{"excluded", Int, 3},
		{"achieved", typeOf(reflect.TypeFor[M]()), achieved},
		{"objective", typeOf(reflect.TypeFor[M]()), objective},
		{"shortfall", typeOf(reflect.TypeFor[M]()), shortfall},
		{"breached", Bool, true},
		{"consecutive", Int, 2},
		{"late", Duration, 5 * time.Hour},
		{"invoice", Decimal, dec("42000.00")},
	}
}

func newPeriod[M Measure](achieved, objective, shortfall M) *Period[M] {
	return &Period[M]{
		Start: at(2027, time.May, 1, 0, 0), End: at(2027, time.June, 1, 0, 0), Month: 5, Year: 2027, ContractYear: 1,
		Eligible: 20, Met: 18, Missed: 2, Excluded: 3,
		Achieved: achieved, Objective: objective, Shortfall: shortfall,
		Breached: true, Consecutive: 2, Late: 5 * time.Hour, Invoice: dec("42000.00"),
		Fees: map[string]decimal.Decimal{"UO-TKT": dec("12300.00"), "UO-TEL": dec("5700.00"), "FORFAIT-APP": dec("18000.00")},
	}
}

func TestPeriodFields(t *testing.T) {
	t.Run("decimal", func(t *testing.T) {
		checkFields(t, newPeriod(dec("0.9"), dec("0.95"), dec("0.05")), periodFields(dec("0.9"), dec("0.95"), dec("0.05")), false)
	})
	t.Run("duration", func(t *testing.T) {
		checkFields(t, newPeriod(45*time.Second, 30*time.Second, 15*time.Second), periodFields(45*time.Second, 30*time.Second, 15*time.Second), false)
	})
	t.Run("int", func(t *testing.T) {
		checkFields(t, newPeriod(3, 1, 2), periodFields(3, 1, 2), false)
	})
	// Fees are read through fee(), not by name.
	for _, src := range []string{"Fees", "fees", "Invoice"} {
		_, err := Compile[Period[decimal.Decimal]](src)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
}

// TestPenaltyFormulas: period formulas run on the VM (once per period).
func TestPenaltyFormulas(t *testing.T) {
	units := WorkUnits("UO-TKT", "UO-TEL", "FORFAIT-APP")
	pd := newPeriod(dec("0.9"), dec("0.95"), dec("0.05"))
	for src, want := range map[string]string{
		`3% * invoice`:                            "1260",
		`fee("FORFAIT-APP")`:                      "18000",
		`5% * fee("FORFAIT-APP")`:                 "900",
		`fee("UO-TEL", "UO-TKT")`:                 "18000",
		`fee()`:                                   "0",
		`breached ? 10% * fee("FORFAIT-APP") : 0`: "1800",
		`shortfall * 100 * 500`:                   "2500", // 500 per point of shortfall
		`ceil(shortfall / 1%) * 500`:              "2500", // per started point
		`consecutive >= 2 ? 2 * 3% * invoice : 3% * invoice`:                                             "2520",
		`min(3% * invoice, 10% * fee("UO-TKT"))`:                                                         "1230",
		`achieved < 90% ? 20% * fee("FORFAIT-APP") : achieved < objective ? 5% * fee("FORFAIT-APP") : 0`: "900",
		`150 * ceil(late / 1h)`: "750",
		`met / eligible`:        "0.9",
	} {
		p := compileT[Period[decimal.Decimal]](t, src, units, Expect(Decimal))
		d, err := EvalAs[decimal.Decimal](p, pd)
		require.NoError(t, err, src)
		require.True(t, dec(want).Equal(d), "%s: want %s, got %s", src, want, d)
	}

	pu := newPeriod(45*time.Second, 30*time.Second, 15*time.Second)
	for src, want := range map[string]any{
		`achieved <= 30s`: false,
		`achieved > objective ? 10 * ceil((achieved - objective) / 1s) : 0`: dec("150"),
		`shortfall / 1s * 100`: dec("1500"),
		`2% * fee("UO-TEL")`:   dec("114"),
	} {
		p := compileT[Period[time.Duration]](t, src, units)
		requireSameValue(t, want, evalT(t, p, pu), src)
	}

	pi := newPeriod(3, 1, 2)
	for src, want := range map[string]any{
		`missed <= 1`: false,
		`achieved > objective ? 100 * (achieved - objective) : 0`: 200,
		`shortfall * 1.5`:    dec("3"),
		`fee("UO-TKT") * 1%`: dec("123"),
	} {
		p := compileT[Period[int]](t, src, units)
		requireSameValue(t, want, evalT(t, p, pi), src)
	}
}

func TestFeeValidation(t *testing.T) {
	units := WorkUnits("UO-TKT", "UO-TEL", "FORFAIT-APP")
	_, err := Compile[Period[decimal.Decimal]](`5% * fee("FORFAIT-AP")`, units)
	e := asError(t, err)
	require.ErrorIs(t, err, ErrUnknownName)
	require.Equal(t, `unknown work unit "FORFAIT-AP"`, e.Msg)
	require.Equal(t, `did you mean "FORFAIT-APP"?`, e.Hint)
	require.Equal(t, 1, e.Line)
	require.Equal(t, 6, e.Column)

	_, err = Compile[Period[int]](`fee("UO-TKT", "UO-TELL")`, units)
	e = asError(t, err)
	require.Equal(t, `unknown work unit "UO-TELL"`, e.Msg)
	require.Equal(t, `did you mean "UO-TEL"?`, e.Hint)

	_, err = Compile[Period[time.Duration]](`fee("nothing like it")`, units)
	e = asError(t, err)
	require.Equal(t, `unknown work unit "nothing like it"`, e.Msg)
	require.Empty(t, e.Hint)

	_, err = Compile[Period[decimal.Decimal]](`fee(string(month))`, units)
	e = asError(t, err)
	require.ErrorIs(t, err, ErrType)
	require.Equal(t, "fee: work units must be named by string constants", e.Msg)

	_, err = Compile[Period[decimal.Decimal]](`fee(1)`, units)
	require.Error(t, err)

	// Without WorkUnits, any unit is accepted, and a unit without fees is 0.
	p := compileT[Period[decimal.Decimal]](t, `fee("UO-UNKNOWN")`)
	requireDecimal(t, "0", evalT(t, p, newPeriod(dec("1"), dec("1"), dec("0"))))

	// fee() is a function of periods only.
	for _, src := range []string{`fee("UO-TKT")`, `5% * fee("UO-TKT")`} {
		_, err = Compile[Ticket](src, units)
		require.ErrorIs(t, err, ErrUnknownName, src)
		_, err = Compile[Call](src, units)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
}

// TestFeeOutsidePeriodsHint: the hint of fee() in an item expression says
// where fee() belongs, rather than suggesting an unrelated name.
func TestFeeOutsidePeriodsHint(t *testing.T) {
	_, err := Compile[Ticket](`fee("UO-TKT")`)
	e := asError(t, err)
	require.NotEqual(t, `did you mean "len"?`, e.Hint)
	require.Contains(t, e.Msg+e.Hint, "penalty")
}

// TestClockFunctions computes each value by hand from the calendars of
// helpers_test.go. The week of 3 May 2027: Mon 3, Tue 4, Wed 5, Thu 6
// (Ascension, closed), Fri 7, Sat 8 (Victory Day, closed even in HE),
// Sun 9, Mon 10. HO is 08:00-12:30 and 13:30-18:00 on weekdays, HE
// 07:00-20:00 Monday to Saturday; the rule's calendar is HE.
func TestClockFunctions(t *testing.T) {
	env := sampleTicket() // opened Wed 5 May 16:00, resolved Fri 7 May 10:00
	tests := []struct {
		src  string
		want any
		why  string
	}{
		{"open_time(opened, resolved)", 7 * time.Hour, "HE: Wed 16:00-20:00 (4h) + Fri 07:00-10:00 (3h)"},
		{`open_time("HE", opened, resolved)`, 7 * time.Hour, "the same, named"},
		{`open_time("HO", opened, resolved)`, 4 * time.Hour, "HO: Wed 16:00-18:00 (2h) + Fri 08:00-10:00 (2h)"},
		{`open_time("H24", opened, resolved)`, 42 * time.Hour, "Wed 16:00 to Fri 10:00"},
		{`open_time("HO", resolved, opened)`, time.Duration(0), "an empty span"},
		{`open_time("HO", opened, opened + 30min)`, 30 * time.Minute, "Wed 16:00-16:30"},
		{`open_time("HO", opened - 4h, opened)`, 3 * time.Hour, "Wed 12:00-12:30 and 13:30-16:00, not the lunch break"},
		{"add_open_time(opened, 4h)", at(2027, time.May, 5, 20, 0), "HE: Wed 16:00 + 4h ends with the window: 20:00, not Fri 07:00"},
		{"add_open_time(opened, 5h)", at(2027, time.May, 7, 8, 0), "HE: 4h on Wed, 1h from Fri 07:00"},
		{`add_open_time("HO", opened, 4h)`, at(2027, time.May, 7, 10, 0), "HO: 2h on Wed, 2h from Fri 08:00"},
		{`add_open_time("HO", opened, 2h30min)`, at(2027, time.May, 7, 8, 30), "HO: 2h on Wed, 30min on Fri"},
		{`add_open_time("HO", opened, 0s)`, env.Opened, "nothing to add"},
		{`add_open_time("HO", opened + 3 * 24h, 1h)`, at(2027, time.May, 10, 9, 0), "from Sat 8 May 16:00 (closed), Mon 08:00 + 1h"},
		{`add_open_time("H24", opened, 24h)`, at(2027, time.May, 6, 16, 0), "a day of 24x7"},
		{`end_of_open_day("HO", opened, 0)`, at(2027, time.May, 5, 18, 0), "the day of opened, open"},
		{`end_of_open_day("HO", opened, 1)`, at(2027, time.May, 7, 18, 0), "Thursday is closed: Friday"},
		{`end_of_open_day("HO", opened, 2)`, at(2027, time.May, 10, 18, 0), "then Monday"},
		{"end_of_open_day(opened, 1)", at(2027, time.May, 7, 20, 0), "HE: Friday"},
		{"end_of_open_day(opened, 2)", at(2027, time.May, 10, 20, 0), "HE: Saturday 8 May is a holiday: Monday"},
		{"is_open(opened)", true, "HE, Wed 16:00"},
		{`is_open("HO", opened)`, true, "Wed 16:00"},
		{`is_open("HO", opened - 3h30min)`, false, "Wed 12:30: the end of a window is closed"},
		{`is_open("HO", opened - 3h31min)`, true, "Wed 12:29"},
		{`is_open("HO", opened - 3h15min)`, false, "Wed 12:45, lunch"},
		{`is_open("HO", opened - 2h30min)`, true, "Wed 13:30, the start of a window is open"},
		{`is_open("HO", opened + 2h)`, false, "Wed 18:00"},
		{`is_open("HO", opened + 18h)`, false, "Thu 10:00, Ascension"},
		{`is_open("H24", opened + 18h)`, true, "24x7 has no holidays"},
		{`is_open(opened + 18h)`, false, "HE is closed on Ascension too"},
		{`is_open(opened + 66h)`, false, "HE, Sat 8 May 10:00: a holiday"},
		{`is_open(opened + 234h)`, true, "HE, Sat 15 May 10:00"},
		{`open_days_between("HO", opened - 30h, opened + 138h)`, 3, "Tue 4 to Tue 11 May: Wed 5, Fri 7, Mon 10"},
		{`open_days_between("HO", opened, resolved)`, 0, "Thursday only, closed"},
		{`open_days_between("HO", opened, opened)`, 0, "the same day"},
		{`open_days_between("HO", resolved, opened)`, 0, "backwards"},
		{`open_days_between("HO", opened + 114h, opened + 282h)`, 4, "Mon 10 to Mon 17 May: Tue to Fri"},
		{`open_days_between(opened + 114h, opened + 282h)`, 5, "HE: Tue to Sat 15 May"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, withCalendars()...)
			requireSameValue(t, tt.want, evalT(t, p, env), tt.why)
		})
	}

	t.Run("instants in any zone", func(t *testing.T) {
		utc := sampleTicket()
		utc.Ticket.Opened = utc.Opened.UTC()
		utc.Ticket.Resolved = utc.Resolved.UTC()
		for _, tt := range tests {
			p := compileT[Ticket](t, tt.src, withCalendars()...)
			requireSameValue(t, tt.want, evalT(t, p, utc), tt.src)
		}
	})

	t.Run("daylight saving", func(t *testing.T) {
		// Europe/Paris moves to summer time on Sunday 28 March 2027 (a
		// 23-hour day) and back on Sunday 31 October (25 hours).
		e := &Ticket{Ticket: &pacte.Ticket{Opened: at(2027, time.March, 27, 0, 0), Resolved: at(2027, time.March, 29, 0, 0)}}
		p := compileT[Ticket](t, `open_time("H24", opened, resolved)`, withCalendars()...)
		require.Equal(t, 47*time.Hour, evalT(t, p, e))
		e.Ticket.Opened, e.Ticket.Resolved = at(2027, time.October, 30, 0, 0), at(2027, time.November, 1, 0, 0)
		require.Equal(t, 49*time.Hour, evalT(t, p, e))
		// Friday 26 March 17:00 + 2h of HO: 1h on Friday, then the change of
		// time, then Easter Monday (29 March, closed): 09:00 local on Tuesday.
		e.Ticket.Opened = at(2027, time.March, 26, 17, 0)
		p = compileT[Ticket](t, `add_open_time("HO", opened, 2h)`, withCalendars()...)
		got := evalT(t, p, e).(time.Time)
		require.True(t, at(2027, time.March, 30, 9, 0).Equal(got), "got %s", got)
	})
}

func TestCalendarErrors(t *testing.T) {
	tests := []struct {
		src  string
		opts []Option
		code error
		msg  string
		hint string
		col  int
	}{
		{`open_time("ho", opened, resolved)`, withCalendars(), ErrUnknownName, `unknown calendar "ho"`, `did you mean "HO"?`, 1},
		{`open_time("HOO", opened, resolved)`, withCalendars(), ErrUnknownName, `unknown calendar "HOO"`, `did you mean "HO"?`, 1},
		{`elapsed <= 4h && is_open("Business", opened)`, withCalendars(), ErrUnknownName, `unknown calendar "Business"`, "calendars: H24, HE, HO", 18},
		{`open_time("HO", opened, resolved)`, []Option{RuleCalendar(calHE)}, ErrUnknownName, `unknown calendar "HO"`, "", 1},
		{`open_time(kind, opened, resolved)`, withCalendars(), ErrType, "open_time: the calendar must be named by a string constant", "", 1},
		{`open_time(opened, resolved)`, []Option{Calendars(namedCalendars)}, ErrUnknownName, "open_time: this expression has no calendar of its own", `name one, as in open_time("HO", …)`, 1},
		{`add_open_time(opened, 4h)`, nil, ErrUnknownName, "add_open_time: this expression has no calendar of its own", `name one, as in add_open_time("HO", …)`, 1},
		{`resolved <= end_of_open_day(opened, 3)`, nil, ErrUnknownName, "end_of_open_day: this expression has no calendar of its own", `name one, as in end_of_open_day("HO", …)`, 13},
		{`is_open(opened)`, nil, ErrUnknownName, "is_open: this expression has no calendar of its own", `name one, as in is_open("HO", …)`, 1},
		{`open_days_between(opened, resolved) > 2`, nil, ErrUnknownName, "open_days_between: this expression has no calendar of its own", `name one, as in open_days_between("HO", …)`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Compile[Ticket](tt.src, tt.opts...)
			e := asError(t, err)
			require.ErrorIs(t, err, tt.code)
			require.Equal(t, tt.msg, e.Msg)
			require.Equal(t, tt.hint, e.Hint)
			require.Equal(t, tt.col, e.Column)
		})
	}

	t.Run("several unknown calendars, sorted", func(t *testing.T) {
		_, err := Compile[Ticket](`open_time("XX", opened, resolved) + open_time("HO", opened, resolved) + open_time("YY", opened, resolved)`, withCalendars()...)
		var list ErrorList
		require.ErrorAs(t, err, &list)
		require.Len(t, list, 2)
		require.Equal(t, `unknown calendar "XX"`, list[0].Msg)
		require.Equal(t, 1, list[0].Column)
		require.Equal(t, `unknown calendar "YY"`, list[1].Msg)
		require.Equal(t, 73, list[1].Column)
		require.ErrorIs(t, err, ErrUnknownName)
	})
}

// TestElapsedBetweenNeedsACalendar: elapsed_between uses the rule's
// calendar like open_time; without one it must fail when the contract
// loads, as open_time does, not on every evaluation.
func TestElapsedBetweenNeedsACalendar(t *testing.T) {
	// Regression test of a bug: elapsed_between(opened, resolved) without RuleCalendar compiles, then every evaluation fails with a nil pointer dereference
	p, err := Compile[Ticket]("elapsed_between(opened, resolved)", Calendars(namedCalendars))
	if err != nil {
		require.ErrorIs(t, err, ErrUnknownName)
		return
	}
	_, err = p.Eval(sampleTicket())
	require.NoError(t, err)
}

func TestTicketFunctions(t *testing.T) {
	env := sampleTicket()
	tests := []struct {
		src  string
		want any
	}{
		// HE: 7h open from Wed 16:00 to Fri 10:00, less the pause Wed 17:00
		// to Fri 08:30: Wed 17:00-20:00 (3h) and Fri 07:00-08:30 (1h30).
		{"elapsed_between(opened, resolved)", 2*time.Hour + 30*time.Minute},
		{"elapsed_between(opened, resolved) == elapsed", true},
		{"elapsed_between(opened, opened + 1h)", time.Hour}, // Wed 16:00-17:00, before the pause
		// Wed 18:00-20:00 and Fri 07:00-10:00 are 5h, less Wed 18:00-20:00
		// and Fri 07:00-08:30 paused.
		{"elapsed_between(opened + 2h, resolved)", 90 * time.Minute},
		{"elapsed_between(resolved, opened)", time.Duration(0)},
		{`entered("waiting for client")`, at(2027, time.May, 5, 17, 0)}, // compared without case
		{`entered("in progress")`, at(2027, time.May, 5, 16, 10)},       // the first time
		{`entered("known error")`, time.Time{}},                         // never
		{`entered("known error") == opened`, false},
		{`resolved - entered("in progress")`, 41*time.Hour + 50*time.Minute},
		{`link("problem").priority`, "P2"},
		{`link("PROBLEM").id`, "PRB-7"},
		{`link("problem").kind`, "problem"},
		{`link("problem").resolved`, at(2027, time.May, 20, 12, 0)},
		{`link("problem").priority == "P2" && priority == "P1"`, true},
		{`link("incident").id`, ""},
		{`link("incident").resolved`, time.Time{}},
		{`open_time("HO", resolved, link("problem").resolved) <= 10 * 9h`, true},
		{"reopened_within(calendar_days(10))", false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, withCalendars()...)
			requireSameValue(t, tt.want, evalT(t, p, env), tt.src)
		})
	}
	for _, src := range []string{"entered(1)", "link(1)", "reopened_within(1)", "elapsed_between(opened)", `entered("a", "b")`} {
		_, err := Compile[Ticket](src, withCalendars()...)
		require.ErrorIs(t, err, ErrType, src)
	}
	// Ticket functions belong to tickets.
	for _, src := range []string{`entered("x")`, `link("x").id`, `reopened_within(1h)`, `elapsed_between(start, end)`} {
		_, err := Compile[Outage](src, withCalendars()...)
		require.ErrorIs(t, err, ErrUnknownName, src)
	}
}

func TestReopenedWithin(t *testing.T) {
	resolved := at(2027, time.May, 7, 10, 0)
	tests := []struct {
		name string
		t    pacte.Ticket
		src  string
		want bool
	}{
		{"never reopened", pacte.Ticket{Resolved: resolved}, "reopened_within(calendar_days(10))", false},
		{"5 days after Resolved", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(5 * 24 * time.Hour)}}, "reopened_within(calendar_days(10))", true},
		{"5 days after, within 3", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(5 * 24 * time.Hour)}}, "reopened_within(calendar_days(3))", false},
		{"exactly at the limit", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(72 * time.Hour)}}, "reopened_within(72h)", true},
		{"a nanosecond late", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(72*time.Hour + 1)}}, "reopened_within(72h)", false},
		{
			"the resolution comes from the history",
			pacte.Ticket{
				History: []pacte.StatusChange{
					{At: resolved.Add(-48 * time.Hour), Status: "in progress"},
					{At: resolved, Status: "Resolved"},
					{At: resolved.Add(2 * time.Hour), Status: "in progress"},
					{At: resolved.Add(30 * 24 * time.Hour), Status: "closed"},
				},
				Resolved: resolved.Add(30 * 24 * time.Hour), // the last resolution
				Reopened: []time.Time{resolved.Add(2 * time.Hour)},
			},
			"reopened_within(4h)", true,
		},
		{
			"the last resolution before the reopening",
			pacte.Ticket{
				History: []pacte.StatusChange{
					{At: resolved, Status: "resolved"},
					{At: resolved.Add(24 * time.Hour), Status: "solved"},
				},
				Reopened: []time.Time{resolved.Add(25 * time.Hour)},
			},
			"reopened_within(1h)", true,
		},
		{"a reopening without a known resolution", pacte.Ticket{Reopened: []time.Time{resolved}}, "reopened_within(1h)", true},
		{"a second reopening within", pacte.Ticket{Resolved: resolved, Reopened: []time.Time{resolved.Add(20 * 24 * time.Hour), resolved.Add(-time.Hour)}}, "reopened_within(calendar_days(10))", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			tk := tt.t
			require.Equal(t, tt.want, evalT(t, p, &Ticket{Ticket: &tk}))
		})
	}
}

// elapsed_between subtracts the ticket's merged pauses (see
// internal/clock's tests for the measure itself).
func TestElapsedBetweenSubtractsPauses(t *testing.T) {
	h := func(day, hour int) time.Time { return at(2027, time.May, day, hour, 0) }
	opened, resolved := h(5, 16), h(7, 12)
	overlapping := []pacte.Interval{{Start: h(5, 17), End: at(2027, time.May, 7, 8, 30)}, {Start: h(7, 8), End: h(7, 9)}}
	env := &Ticket{Ticket: &pacte.Ticket{Opened: opened, Resolved: resolved}, Paused: clock.Merge(overlapping)}
	p := compileT[Ticket](t, "elapsed_between(opened, resolved)", RuleCalendar(calHO))
	require.Equal(t, 4*time.Hour, evalT(t, p, env))
}

func TestAttrsAndMembership(t *testing.T) {
	env := sampleTicket() // attrs: cause=network, site=Lyon, amount=12,50; level 2
	noAttrs := sampleTicket()
	noAttrs.Ticket.Attrs = nil
	tests := []struct {
		src      string
		want     any
		wantNone any // with no attributes at all
	}{
		{`attrs["cause"]`, "network", ""},
		{`attrs.cause`, "network", ""},
		{`attrs["missing"]`, "", ""},
		{`attrs["cause"] == "network"`, true, false},
		{`attrs.site in ["Paris", "Lyon"]`, true, false},
		{`attrs.site not in ["Paris", "Lyon"]`, false, true},
		{`attrs["missing"] == ""`, true, true},
		{`len(attrs.cause)`, 7, 0},
		{`priority in ["P1", "P2"]`, true, true},
		{`priority not in ["P1", "P2"]`, false, false},
		{`priority in []`, false, false},
		{`kind in ["incident"] && !(priority in ["P3", "P4"])`, true, true},
		{`level in [1, 2]`, true, true},
		{`level not in [1, 2]`, false, false},
		{`level + 1 in [3]`, true, true},
		{`"P" + "1" in ["P1"]`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src)
			require.Equal(t, tt.want, evalT(t, p, env))
			require.Equal(t, tt.wantNone, evalT(t, p, noAttrs))
		})
	}
	// Lists the closures leave to the VM.
	for src, want := range map[string]bool{
		`elapsed in [2h30min, 4h]`:                     true,
		`"network" in attrs`:                           false, // keys, not values
		`"cause" in attrs`:                             true,
		`opened in [resolved, opened]`:                 true,
		`any(["net", "work"], attrs.cause contains #)`: true,
	} {
		p := compileT[Ticket](t, src)
		require.Equal(t, want, evalT(t, p, env), src)
	}
}

// TestDecimalMembership: "in" compares decimals by value, as == does.
func TestDecimalMembership(t *testing.T) {
	// Regression test of a bug: `in` compares decimals by representation: satisfaction in [4.0, 5.0] is false for a satisfaction of 4, 1.10 in [1.1] is false; satisfaction in [4, 5] does not compile
	env := sampleTicket()
	env.Ticket.Satisfaction = decimal.NewFromInt(4)
	for src, want := range map[string]bool{
		"satisfaction in [4.0, 5.0]": true,
		"1.10 in [1.1]":              true,
		"satisfaction in [4, 5]":     true,
		"satisfaction not in [4.00]": false,
		"95% in [0.95, 0.950]":       true,
	} {
		p, err := Compile[Ticket](src)
		require.NoError(t, err, src)
		require.Equal(t, want, evalT(t, p, env), src)
	}
}

func TestNames(t *testing.T) {
	names := Names[Ticket]()
	require.IsNonDecreasing(t, names)
	for _, n := range []string{"priority", "elapsed", "open_time", "entered", "link", "ceil", "percentile", "attrs", "on_time"} {
		require.Contains(t, names, n)
	}
	require.Contains(t, names, "fee", "in per-item amounts, with ItemFees")
	require.NotContains(t, names, "now")

	pn := Names[Period[decimal.Decimal]]()
	require.Contains(t, pn, "fee")
	require.Contains(t, pn, "achieved")
	require.NotContains(t, pn, "entered")

	cn := Names[Call]()
	for _, n := range []string{"wait", "talk", "answered", "answered_at", "abandoned", "queue"} {
		require.Contains(t, cn, n)
	}
	require.NotContains(t, cn, "link")
}

func TestSubIsTimeSub(t *testing.T) {
	base := time.Date(2027, 3, 28, 1, 59, 59, 999_999_999, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	pairs := [][2]time.Time{
		{base, base},
		{base.Add(time.Nanosecond), base},
		{base, base.Add(time.Nanosecond)},
		{base.Add(90 * time.Second).In(paris), base},
		{base.Add(-271 * 365 * 24 * time.Hour), base},
		{base.Add(271 * 365 * 24 * time.Hour), base.In(paris)},
		{time.Date(2199, 12, 31, 23, 59, 59, 999_999_999, time.UTC), time.Date(1900, 1, 1, 0, 0, 0, 1, time.UTC)},
		{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{now.Add(time.Second), now},
		{now, now.Round(0).Add(-time.Second)},
	}
	for _, p := range pairs {
		if got, want := sub(p[0], p[1]), p[0].Sub(p[1]); got != want {
			t.Errorf("sub(%v, %v) = %v, want %v", p[0], p[1], got, want)
		}
	}
}

// TestCivilDayFunctions checks the civil dates of the sample ticket,
// opened Wed 5 May 2027 16:00 and resolved Fri 7 May 10:00 in Paris, in
// the week of Ascension (Thu 6) and Victory Day (Sat 8).
func TestCivilDayFunctions(t *testing.T) {
	env := sampleTicket()
	tests := []struct {
		src  string
		want any
		why  string
	}{
		{"date_of(resolved)", at(2027, time.May, 7, 0, 0), "midnight in Paris"},
		{"date_of(opened + 8h)", at(2027, time.May, 6, 0, 0), "Thu 00:00, the next day"},
		{`date_of(link("none").resolved)`, time.Time{}, "an instant that did not happen has no date"},
		{"day_of_week(opened)", 3, "Wednesday"},
		{"day_of_week(opened + 80h)", 7, "Sunday 9 May 00:00"},
		{"days_between(opened, resolved)", 2, "Thu 6 and Fri 7"},
		{"days_between(resolved, opened)", -2, "backwards"},
		{"days_between(opened, opened + 7h59min)", 0, "23:59 the same day"},
		{"days_between(opened, opened + 8h)", 1, "Thu 00:00 in Paris"},
		{`jours_ouvres_between(opened, resolved, "FR")`, 1, "Fri 7; Thu 6 is Ascension"},
		{`jours_ouvres_between(opened, resolved)`, 2, "no holidays named"},
		{`jours_ouvres_between(opened, opened + 5 * 24h, "FR")`, 2, "Fri 7, Mon 10"},
		{`jours_ouvrables_between(opened, opened + 5 * 24h, "FR")`, 2, "Sat 8 is Victory Day"},
		{`jours_ouvrables_between(opened, opened + 5 * 24h)`, 4, "Thu 6, Fri 7, Sat 8, Mon 10"},
		{`jours_ouvres_between(opened, opened + 5 * 24h, "FR", "FR-67")`, 2, "Bas-Rhin adds nothing in May"},
		{`25000.00 * days_between(opened, resolved) / 1000`, dec("50"), "the CCAG's P = V × R / 1000"},
	}
	opts := append(withCalendars(), Zone(paris))
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p := compileT[Ticket](t, tt.src, opts...)
			requireSameValue(t, tt.want, evalT(t, p, env), tt.why)
		})
	}
	p := compileT[Ticket](t, `days_between(link("none").resolved, resolved)`, opts...)
	_, err := p.Eval(env)
	require.ErrorIs(t, err, ErrRuntime)
	// Without a zone, dates are read in UTC: Thu 6 May 00:00 in Paris is
	// Wed 5 May 22:00 UTC.
	p = compileT[Ticket](t, "day_of_week(opened + 8h)", withCalendars()...)
	requireSameValue(t, 3, evalT(t, p, env), "Wednesday in UTC")
}

func TestCivilDayErrors(t *testing.T) {
	for _, tt := range []struct{ src, msg, hint string }{
		{`jours_ouvres_between(opened, resolved, "FRA")`, `unknown holiday code "FRA"`, `did you mean "FR"?`},
		{`jours_ouvrables_between(opened, resolved, kind)`, `jours_ouvrables_between: holidays must be named by string constants, as in "FR"`, ""},
		{`days_between(opened, resolved, "FR")`, "", ""},
	} {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Compile[Ticket](tt.src, Zone(paris))
			e := asError(t, err)
			if tt.msg != "" {
				require.Equal(t, tt.msg, e.Msg)
				require.Equal(t, tt.hint, e.Hint)
			}
		})
	}
}

// fee() in an expression about an item: refused but in a per-item amount
// (ItemFees), where it reads the fees the engine sets.
func TestFeeInItemExpressions(t *testing.T) {
	_, err := Compile[Ticket](`fee("FEE") > 0`, WorkUnits("FEE"))
	e := asError(t, err)
	require.ErrorIs(t, err, ErrUnknownName)
	require.Equal(t, "fee() is only available in penalty and bonus formulas and per-item amounts", e.Msg)

	p := compileT[Ticket](t, `late > 0s ? 1% * fee("FEE", "OTHER") : 0`, WorkUnits("FEE", "OTHER"), ItemFees(), Expect(Decimal))
	env := sampleTicket()
	env.Late = time.Hour
	env.Fees = map[string]decimal.Decimal{"FEE": dec("18000"), "OTHER": dec("2000")}
	requireSameValue(t, dec("200"), evalT(t, p, env), "1 % of 20,000.00")
	env.Fees = nil
	requireSameValue(t, dec("0"), evalT(t, p, env), "no fees set: 0")

	_, err = Compile[Call](`fee("NONE")`, WorkUnits("FEE"), ItemFees())
	require.ErrorIs(t, err, ErrUnknownName)
}
