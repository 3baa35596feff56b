package simulate

import (
	"errors"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const referenceScenario = "../../examples/scenarios/acme.yaml"

func TestParseReferenceScenario(t *testing.T) {
	s, err := LoadScenario(referenceScenario)
	require.NoError(t, err)
	assert.Equal(t, "ACME Industrie — tender workload 2027-2029 (base case)", s.Name)
	assert.Equal(t, calendar.Date{Year: 2027, Month: time.January, Day: 1}, s.Start)
	assert.Equal(t, 36, s.Months)
	assert.InDelta(t, 0.02, s.Growth, 1e-12)
	require.Len(t, s.Seasonality, 12)
	assert.InDelta(t, 0.72, s.Seasonality[7], 1e-12)

	assert.Equal(t, map[string]float64{"mon": 1.2, "tue": 1.1, "wed": 1.0, "thu": 1.0, "fri": 0.9, "sat": 0.12, "sun": 0.05}, s.Arrivals.Weekdays)
	assert.Len(t, s.Arrivals.Hours, 24)
	assert.Equal(t, "FR", s.Arrivals.Holidays)

	require.Len(t, s.Tickets, 5)
	p1 := s.Tickets[0]
	assert.Equal(t, "incident", p1.Kind)
	assert.Equal(t, "P1", p1.Priority)
	assert.InDelta(t, 8, p1.PerMonth, 0)
	assert.Equal(t, Lognormal(4*time.Minute, 10*time.Minute), p1.Acknowledge)
	assert.Equal(t, Lognormal(90*time.Minute, 210*time.Minute), p1.Restore)
	assert.Equal(t, "HE", p1.Calendar)
	require.NotNil(t, p1.Problems)
	assert.InDelta(t, 1, p1.Problems.Probability, 0)
	assert.Equal(t, "HO", p1.Problems.Calendar)
	assert.InDelta(t, 0.35, p1.Services["ERP"], 1e-12)
	assert.InDeltaSlice(t, []float64{0, 0.4, 0.6}, p1.Levels, 1e-12)
	assert.Equal(t, "HE", s.Tickets[1].AcknowledgeCalendar)
	assert.InDelta(t, 0.015, s.Tickets[1].Excluded["client"], 1e-12)
	assert.Equal(t, "standard", s.Tickets[3].Category)

	require.NotNil(t, s.Calls)
	assert.InDelta(t, 12000, s.Calls.PerMonth, 0)
	assert.Len(t, s.Calls.Arrivals.Hours, 48)
	assert.Equal(t, Exponential(5*time.Minute), s.Calls.Handling)
	assert.Equal(t, Exponential(2*time.Minute), s.Calls.Patience)
	assert.Equal(t, &Target{ServiceLevel: 0.85, Within: time.Minute, MaxAbandon: 0.05}, s.Calls.Staffing.Target)

	require.Len(t, s.Outages, 2)
	assert.Equal(t, "ERP", s.Outages[0].Service)
	assert.Equal(t, "HNO", s.Outages[0].PlannedIn)
	assert.InDelta(t, 0.35, s.Outages[0].Planned, 1e-12)

	require.NotNil(t, s.Surveys)
	assert.Len(t, s.Surveys.Scores, 5)
	assert.True(t, decimal.RequireFromString("2400").Equal(s.Reported["UO-POSTE"]))
	assert.True(t, decimal.RequireFromString("303.5").Equal(s.Indices["Syntec"]["2027-09"]))
	assert.True(t, decimal.RequireFromString("32").Equal(s.Costs.AgentHour))
}

func TestParseScenarioDefaults(t *testing.T) {
	s, err := ParseScenario([]byte("tickets:\n  - {kind: incident, per_month: 10, restore: 4h}\n"), "min.yaml")
	require.NoError(t, err)
	assert.Equal(t, "min.yaml", s.File())
	assert.Zero(t, s.Start)
	assert.Zero(t, s.Months)
	assert.Nil(t, s.Calls)
	tc := s.Tickets[0]
	assert.Equal(t, Fixed(4*time.Hour), tc.Restore)
	assert.True(t, tc.Acknowledge.IsZero())
	assert.Empty(t, tc.Calendar)
}

// The errors of bad scenarios, exactly: the shape first (every error at
// once), then the values.
func TestParseScenarioErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"typo with a suggestion", "tickets:\n  - kind: incident\n    restore: {medain: 2h, p90: 4h}\n",
			`s.yaml:3:15: tickets[0].restore: unknown key "medain" (did you mean "median"?)`},
		{"unknown key without a close one", "a: 1\n",
			`s.yaml:1:1: unknown key "a" (known: arrivals, calls, costs, growth, history, indices, months, outages, reported, scenario, seasonality, start, surveys, tickets)`},
		{"wrong type", "months: three\n", `s.yaml:1:9: months: want a whole number, not "three"`},
		{"days are refused", "tickets:\n  - {kind: incident, restore: 3d}\n",
			`s.yaml:2:31: tickets[0].restore: want a duration in h, m or s, not "3d": a day is 24h of wall-clock time but 9h of HO time, so write the hours`},
		{"p90 below the median", "tickets:\n  - kind: incident\n    restore: {median: 4h, p90: 2h}\n",
			`s.yaml:3:14: tickets[0].restore: p90 (2h0m0s) is below the median (4h0m0s)`},
		{"two errors of shape", "arrivals: {weekdays: {mon: x}, hours: 3}\n",
			"s.yaml:1:28: arrivals.weekdays.mon: want a number, not \"x\"\ns.yaml:1:39: arrivals.hours: want a list, not \"3\""},
		{"bad profile", "arrivals: {weekdays: {mon: 1, lundi: 2}, hours: [1, 2]}\n",
			"s.yaml:1:38: arrivals.weekdays.lundi: unknown day \"lundi\": want mon, tue, wed, thu, fri, sat or sun\n" +
				"s.yaml:1:49: arrivals.hours: want 24 hourly or 48 half-hourly weights, not 2"},
		{"no staffing", "calls: {per_month: 100, handling: {mean: 5m}}\n",
			`s.yaml:1:8: calls.staffing: say how the desk is staffed: agents, a rota or a target`},
		{"two staffings", "calls: {per_month: 100, handling: {mean: 5m}, staffing: {agents: 3, target: {service_level: 80%, within: 20s}}}\n",
			`s.yaml:1:57: calls.staffing: give one of agents, rota and target, not 2`},
		{"unreachable target", "calls: {per_month: 100, handling: {mean: 5m}, staffing: {target: {service_level: 100%, within: 20s}}}\n",
			`s.yaml:1:66: calls.staffing.target: a 100 % service level: with random arrivals some call always waits`},
		{"bad rota", "calls: {per_month: 100, handling: {mean: 5m}, staffing: {rota: {\"mon-fri 08:15-18:00\": 3, \"lundi 8h\": 2}}}\n",
			"s.yaml:1:88: calls.staffing.rota.mon-fri 08:15-18:00: a rota changes on the half hour: \"mon-fri 08:15-18:00\"\n" +
				"s.yaml:1:103: calls.staffing.rota.lundi 8h: want days and hours such as \"mon-fri 08:00-18:00\", not \"lundi 8h\""},
		{"bad surveys", "surveys: {per_ticket: 120%, scores: {\"5\": 50%, \"4\": 40%, bad: 5%}}\n",
			"s.yaml:1:23: surveys.per_ticket: want a share between 0% and 100%, not 120%\n" +
				"s.yaml:1:37: surveys.scores: the shares of the scores add up to 95%, not 100%\n" +
				"s.yaml:1:63: surveys.scores.bad: a score is a number, not \"bad\""},
		{"duplicate key", "scenario: x\nscenario: y\n", `s.yaml:2:1: scenario: duplicate key "scenario"`},
		{"not a mapping", "- a\n- b\n", `s.yaml:1:1: a scenario is a mapping of keys (scenario, tickets, calls…), not a list`},
		{"bad YAML", "scenario: [x\n", `s.yaml:1:1: YAML: did not find expected ',' or ']'`},
		{"empty", "", `s.yaml:1:1: empty scenario`},
		{"span", "start: 2027-01-15\ngrowth: -120%\nseasonality: [1, 2]\n",
			"s.yaml:1:8: start: the scenario starts on the first day of a month, not on 2027-01-15\n" +
				"s.yaml:2:9: growth: want a yearly growth above -100% and at most 1000%, not -120%\n" +
				"s.yaml:3:14: seasonality: want 12 factors, January to December, not 2"},
		{"history without a file", "tickets:\n  - kind: incident\n    restore: history\n",
			`s.yaml:3:14: tickets[0].restore: history needs the scenario's history file (key history)`},
		{"outage class", "outages:\n  - per_month: 1\n    planned: 1.5\n",
			"s.yaml:2:5: outages[0]: an outage class needs a service\n" +
				"s.yaml:2:5: outages[0].duration: required: a duration, history, {median, p90}, {mean} or {values}\n" +
				"s.yaml:3:14: outages[0].planned: want a share between 0% and 100%, not 150%"},
		{"shares above 100 %", "tickets:\n  - kind: incident\n    restore: 2h\n    services: {ERP: 60%, mail: 50%}\n    levels: [80%, 30%]\n",
			"s.yaml:4:15: tickets[0].services: the shares add up to 110%, more than 100%\n" +
				"s.yaml:5:13: tickets[0].levels: the shares of the levels add up to 110%, more than 100%"},
		{"negative amounts", "costs: {agent_hour: 30, monthly: -3}\nreported: {UO-POSTE: -1}\n",
			"s.yaml:1:34: costs.monthly: a cost is ≥ 0, not -3\ns.yaml:2:22: reported.UO-POSTE: a volume is ≥ 0, not -1"},
		{"list where a mapping is due", "tickets: {kind: incident}\n", `s.yaml:1:10: tickets: want a list, not a mapping`},
		{"restore required", "tickets:\n  - kind: incident\n", `s.yaml:2:5: tickets[0].restore: required: a duration, history, {median, p90}, {mean} or {values}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseScenario([]byte(c.yaml), "s.yaml")
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, c.want, err.Error())
			var list ErrorList
			require.ErrorAs(t, err, &list)
			var one *Error
			require.ErrorAs(t, err, &one)
			assert.Equal(t, "s.yaml", one.File)
			assert.Positive(t, one.Line)
		})
	}
}

// A scenario built in Go is validated the same way, without positions.
func TestValidateInGo(t *testing.T) {
	s := &Scenario{Tickets: []TicketClass{{Kind: "incident", PerMonth: -1, Restore: Lognormal(2*time.Hour, 0)}}}
	err := s.Validate()
	require.Error(t, err)
	assert.Equal(t, "tickets[0].per_month: want a volume between 0 and 1e+09 a month, not -1\n"+
		"tickets[0].restore: a lognormal needs both median and p90", err.Error())
}

func TestScenarioClone(t *testing.T) {
	s, err := LoadScenario(referenceScenario)
	require.NoError(t, err)
	c := s.Clone()
	assert.Equal(t, s, c)
	c.Tickets[0].Restore.Median = time.Hour
	c.Tickets[0].Services["ERP"] = 0
	c.Calls.Staffing.Target.ServiceLevel = 0.5
	c.Calls.Arrivals.Hours[20] = 99
	c.Indices["Syntec"]["2027-09"] = decimal.Zero
	assert.Equal(t, 90*time.Minute, s.Tickets[0].Restore.Median)
	assert.InDelta(t, 0.35, s.Tickets[0].Services["ERP"], 1e-12)
	assert.InDelta(t, 0.85, s.Calls.Staffing.Target.ServiceLevel, 1e-12)
	assert.InDelta(t, 1.4, s.Calls.Arrivals.Hours[20], 1e-12)
	assert.True(t, decimal.RequireFromString("303.5").Equal(s.Indices["Syntec"]["2027-09"]))
}

// Every pointer of a scenario, and the distributions, slices and maps
// behind it, belongs to the clone alone.
func TestScenarioCloneOwnsItsPointers(t *testing.T) {
	scenario := func() *Scenario {
		return &Scenario{
			History: &History{File: "history.csv"},
			Tickets: []TicketClass{{
				Pauses:   &Pauses{Probability: 0.1, Length: Empirical(time.Hour)},
				Reopen:   &Reopen{Rate: 0.02, After: Empirical(time.Hour)},
				Problems: &Problems{Probability: 0.5, RootCause: Empirical(time.Hour)},
			}},
			Calls:   &Calls{Staffing: Staffing{Target: &Target{ServiceLevel: 0.8}}},
			Surveys: &Surveys{PerTicket: 0.1, Kinds: []string{"ticket"}, Scores: map[string]float64{"5": 1}},
		}
	}
	s := scenario()
	c := s.Clone()
	require.Equal(t, s, c)
	c.History.File = "other.csv"
	tc := &c.Tickets[0]
	tc.Pauses.Probability, tc.Pauses.Length.Values[0] = 0.9, time.Minute
	tc.Reopen.Rate, tc.Reopen.After.Values[0] = 0.9, time.Minute
	tc.Problems.Probability, tc.Problems.RootCause.Values[0] = 0.9, time.Minute
	c.Calls.Staffing.Target.ServiceLevel = 0.5
	c.Surveys.PerTicket, c.Surveys.Kinds[0], c.Surveys.Scores["5"] = 0.9, "call", 0
	require.Equal(t, scenario(), s)
	require.Nil(t, (&Scenario{}).Clone().Calls)
}

// New checks what needs the contract: calendar names, the span, work
// units, and the history file.
func TestNewChecksAgainstTheContract(t *testing.T) {
	c := referenceContract(t)
	s, err := ParseScenario([]byte(`start: 2026-06-01
tickets:
  - {kind: incident, per_month: 1, restore: 2h, calendar: HX}
reported: {UO-TKT: 3, UO-NONE: 1}
`), "s.yaml")
	require.NoError(t, err)
	_, err = New(c, s)
	require.Error(t, err)
	assert.Equal(t, `s.yaml:1:8: start: 2026-06-01 is outside the contract's term (2027-01-01 to 2029-12-31)`, err.Error())

	s.Start = calendar.Date{Year: 2027, Month: time.March, Day: 1}
	s.Months = 40
	_, err = New(c, s)
	// months was set in Go: the error has no line.
	require.EqualError(t, err, `s.yaml: months: 40 months from 2027-03-01 run past the contract's end (2029-12-31)`)

	s.Months = 2
	_, err = New(c, s)
	require.EqualError(t, err, "s.yaml:3:59: tickets[0].calendar: unknown calendar \"HX\": the contract has 24x7, HE, HNO, HO, HO-Strasbourg; or write a calendar spec (mon-fri 08:00-18:00)\n"+
		"s.yaml:4:20: reported.UO-TKT: the volume of UO-TKT is counted from records, not reported\n"+
		"s.yaml:4:32: reported.UO-NONE: the contract has no work unit UO-NONE (reported units: UO-POSTE, UO-SRV)")

	s.Tickets[0].Calendar = "mon-fri 09:00-17:00"
	s.Reported = nil
	sim, err := New(c, s)
	require.NoError(t, err)
	from, to := sim.Span()
	assert.Equal(t, "2027-03-01T00:00:00+01:00", from.Format(time.RFC3339))
	assert.Equal(t, "2027-05-01T00:00:00+02:00", to.Format(time.RFC3339))
}

func TestHistory(t *testing.T) {
	c := referenceContract(t)
	s, err := ParseScenario([]byte(`months: 1
history: {file: history.csv}
tickets:
  - {kind: incident, priority: P1, per_month: 200, restore: history, acknowledge: history, calendar: 24x7}
  - {kind: incident, priority: P3, per_month: 1, restore: history}
`), "testdata/s.yaml")
	require.NoError(t, err)
	_, err = New(c, s)
	require.EqualError(t, err, `testdata/s.yaml:5:59: tickets[1].restore: the history has no resolved ticket of kind "incident" and priority "P3"`)

	s.Tickets = s.Tickets[:1]
	sim, err := New(c, s)
	require.NoError(t, err)
	// The P1 incidents of the history took 1h, 2h, 3h and 4h to restore
	// and 1, 5, 10 and 20 minutes to acknowledge (H-6 is still open, H-4
	// was never acknowledged).
	restore := map[time.Duration]int{}
	ack := map[time.Duration]int{}
	for tk := range sim.Records(1, 0).Tickets {
		restore[tk.Resolved.Sub(tk.Opened)]++
		ack[tk.Acknowledged.Sub(tk.Opened)]++
	}
	assert.ElementsMatch(t, []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 4 * time.Hour}, keys(restore))
	assert.ElementsMatch(t, []time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 20 * time.Minute}, keys(ack))

	s.History.File = "missing.csv"
	_, err = New(c, s)
	require.EqualError(t, err, "testdata/s.yaml:2:17: history.file: open testdata/missing.csv: no such file or directory")
}

func keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestErrorsAreErrors(t *testing.T) {
	_, err := ParseScenario([]byte("months: x\n"), "")
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "scenario", e.File)
	assert.Equal(t, 1, e.Line)
	assert.Equal(t, "months", e.Path)
}

// A scenario reads durations as a contract writes them (30min, 1h30min)
// and as Go does (30m, 1h30m): 30min means the same in both files.
func TestScenarioDurations(t *testing.T) {
	for _, tc := range []struct {
		text string
		want time.Duration
	}{{"30min", 30 * time.Minute}, {"30m", 30 * time.Minute}, {"1h30min", 90 * time.Minute}, {"1h30m", 90 * time.Minute}, {"1.5h", 90 * time.Minute}, {"90s", 90 * time.Second}} {
		text, want := tc.text, tc.want
		s, err := ParseScenario([]byte("tickets:\n  - kind: incident\n    restore: "+text+"\n    acknowledge: {median: "+text+", p90: 2h}\n"), "s.yaml")
		require.NoError(t, err, text)
		assert.Equal(t, Fixed(want), s.Tickets[0].Restore, text)
		assert.Equal(t, want, s.Tickets[0].Acknowledge.Median, text)
	}
	for text, msg := range map[string]string{
		"30mn":     `s.yaml:3:14: tickets[0].restore: want a duration such as 90s, 45m or 4h30m, not "30mn"`,
		"1h 30min": `s.yaml:3:14: tickets[0].restore: want a duration such as 90s, 45m or 4h30m, not "1h 30min"`,
		"2 days":   `s.yaml:3:14: tickets[0].restore: want a duration in h, m or s, not "2 days": a day is 24h of wall-clock time but 9h of HO time, so write the hours`,
		"-30min":   `s.yaml:3:14: tickets[0].restore: want a duration such as 90s, 45m or 4h30m, not "-30min"`,
		"-30m":     `s.yaml:3:14: tickets[0].restore: want a duration ≥ 0, not -30m`,
	} {
		_, err := ParseScenario([]byte("tickets:\n  - kind: incident\n    restore: "+text+"\n"), "s.yaml")
		require.Error(t, err, text)
		assert.Equal(t, msg, err.Error(), text)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, [2]int{3, 14}, [2]int{e.Line, e.Column}, text)
	}
	// In a mapping of durations, the error is at the value.
	_, err := ParseScenario([]byte("tickets:\n  - kind: incident\n    restore: {median: 2h, p90: 6hr}\n"), "s.yaml")
	assert.EqualError(t, err, `s.yaml:3:32: tickets[0].restore.p90: want a duration such as 90s, 45m or 4h30m, not "6hr"`)
}
