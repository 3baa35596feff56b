package simulate

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/internal/diag"
	"github.com/shopspring/decimal"
)

// Scenario is a tender team's guess of the workload of a contract: how
// many tickets, calls and outages, when they come, how fast they are
// handled, and what the desk costs. It is read from a YAML file
// ([LoadScenario], [ParseScenario]) or built in Go; [New] checks it against
// the contract and prepares it to run.
//
// The YAML keys are the yaml tags below. Durations are written as in a
// contract (90s, 45min, 4h30min, 1.5h) or the Go way (45m, 4h30m): a day
// is never assumed to be 24 hours, so "3d" is refused; write 72h of
// wall-clock time, or 27h of a 9-hour business calendar. Shares are written as percentages (15%) or as numbers in
// [0, 1] (0.15). Amounts are exact decimals.
//
// Defaults, where the file is silent: the scenario covers the contract's
// whole term; no growth and no seasonality; arrivals evenly spread over
// every half hour of every day; durations counted in wall-clock time
// (calendar 24x7); tickets acknowledged at once; no pauses, reopenings,
// exclusions or problems; tickets at level 0 (unknown); calls never
// abandoned; no outages, surveys, reported volumes, indices or costs.
type Scenario struct {
	// Name describes the scenario in reports.
	Name string `yaml:"scenario"`
	// Start is the first day simulated, the first day of a month; zero:
	// the contract's start.
	Start calendar.Date `yaml:"start"`
	// Months is the number of months simulated; zero: to the contract's end.
	Months int `yaml:"months"`
	// Growth is the yearly growth of every ticket, call and survey volume,
	// compounded month by month from Start: month m (0 for the first) has
	// its volume multiplied by (1 + Growth)^(m/12).
	Growth float64 `yaml:"growth" unit:"share"`
	// Seasonality multiplies the volumes of each calendar month, January
	// first; empty means 1 for every month. The factors are applied as
	// written, not normalised: factors averaging 1 keep the yearly volume.
	Seasonality []float64 `yaml:"seasonality"`

	// Arrivals is when tickets are opened.
	Arrivals Profile `yaml:"arrivals"`
	// History is a file of past tickets, for durations drawn from what
	// they measured (a Dist with History set).
	History *History `yaml:"history"`
	// Tickets are the classes of tickets, each with its own volume and
	// durations.
	Tickets []TicketClass `yaml:"tickets"`
	// Calls is the phone desk; nil for none.
	Calls *Calls `yaml:"calls"`
	// Outages are the outages of each service.
	Outages []OutageClass `yaml:"outages"`
	// Surveys are the satisfaction surveys returned.
	Surveys *Surveys `yaml:"surveys"`

	// Reported are the monthly volumes of the work units whose volume is
	// reported rather than counted (managed workstations), the same every
	// month.
	Reported map[string]decimal.Decimal `yaml:"reported"`
	// Indices are the index values of the price revision, by index then
	// month ("2027-09"), in addition to those of the contract file.
	Indices map[string]map[string]decimal.Decimal `yaml:"indices"`
	// Costs is the provider's cost model, for the margin.
	Costs Costs `yaml:"costs"`

	file string              // the file it was read from; "" when built in Go
	pos  map[string]position // where each key was, by path
}

// position is a place in a scenario file.
type position struct {
	Line, Column int
}

// Profile is an arrival pattern over the week and the day, in the
// contract's time zone: the weight of a half hour is its weekday's weight
// times its time of day's weight. Only ratios matter; a month's volume is
// spread over its half hours in proportion to their weights.
type Profile struct {
	// Weekdays weighs the days of the week, by their three-letter English
	// names (mon … sun); a day not listed weighs 0 when the map is not
	// empty, and every day weighs 1 when it is.
	Weekdays map[string]float64 `yaml:"weekdays"`
	// Hours weighs the times of day: 24 weights (one per hour, from
	// midnight) or 48 (one per half hour); empty means a flat day.
	Hours []float64 `yaml:"hours"`
	// Holidays names a holiday set (FR, FR-67, DE… as in package calendar)
	// whose days take Sunday's weight.
	Holidays string `yaml:"holidays"`
	// Calendar, when set, names a calendar of the contract (or is a
	// calendar spec): nothing arrives in a half hour that starts while it
	// is closed.
	Calendar string `yaml:"calendar"`
}

// History names a file of past tickets, read through package sla/ingest.
type History struct {
	// File is the path of the export, relative to the scenario file.
	File string `yaml:"file"`
	// Preset is the name of an ingest preset (servicenow-incident, glpi…);
	// Mapping the path of a mapping file. Neither: pacte's own format.
	Preset  string `yaml:"preset"`
	Mapping string `yaml:"mapping"`
}

// TicketClass is a kind of ticket at one priority: its volume and how it
// is handled.
type TicketClass struct {
	Kind     string `yaml:"kind"`     // incident, request, problem, change…; required
	Priority string `yaml:"priority"` // P1, P2…; may be empty
	Category string `yaml:"category"` // "standard" for standard requests…
	// PerMonth is the mean number opened in a month, before growth and
	// seasonality.
	PerMonth float64 `yaml:"per_month"`
	// Services spreads the tickets over business services, by share; the
	// shares must add up to at most 100 %, the rest having no service.
	Services map[string]float64 `yaml:"services" unit:"share"`
	// Levels are the shares resolved at level 1, 2, 3…; they must add up
	// to at most 100 %, the rest at level 0 (unknown).
	Levels []float64 `yaml:"levels" unit:"share"`
	// Calendar names the calendar (of the contract, or a spec) whose open
	// time the durations below count: a 4h restoration on HO opened on
	// Friday at 17:00 ends on Monday at 11:00. Default 24x7.
	Calendar string `yaml:"calendar"`
	// Acknowledge is the time to acknowledge (prise en charge); zero: at
	// once. An acknowledgement later than the restoration is moved to it,
	// and one later than the start of a pause to that start.
	Acknowledge Dist `yaml:"acknowledge"`
	// AcknowledgeCalendar is the calendar whose open time Acknowledge
	// counts; default Calendar. The desk that acknowledges often keeps
	// longer hours than the teams that restore.
	AcknowledgeCalendar string `yaml:"acknowledge_calendar"`
	// Restore is the time to restore an incident or fulfil a request, from
	// its opening, less its pauses. Required.
	Restore Dist `yaml:"restore"`
	// Pauses: a share of tickets wait for the client once, for a length of
	// open time, starting at a uniform point of the work.
	Pauses *Pauses `yaml:"pauses"`
	// Reopen: a share of tickets are reopened after their restoration.
	Reopen *Reopen `yaml:"reopen"`
	// Excluded flags a share of tickets with an exclusion reason
	// (Ticket.Exclusion), by reason.
	Excluded map[string]float64 `yaml:"excluded" unit:"share"`
	// Problems: a share of these tickets get a problem ticket, linked to
	// them, whose root cause is found after a delay.
	Problems *Problems `yaml:"problems"`
	// Controls declare control variates of the class (Options.Controls):
	// the months in which at least AtLeast of its tickets take longer
	// than LongerThan to restore, the contract's deadline for them.
	Controls []TicketControl `yaml:"controls"`
}

// TicketControl is a count of a run's draws that predicts its penalties
// and whose distribution the scenario gives in closed form: the number
// of months, after the contract's observation period, in which at least
// AtLeast tickets of the class take longer than LongerThan (open time of
// the class's calendar, less pauses) to restore. Runs are compared with
// that distribution to correct the percentiles (see the package
// documentation): declare the count that makes a month's penalty, such
// as two P1 incidents over a 4h deadline where the contract allows one.
type TicketControl struct {
	LongerThan time.Duration `yaml:"longer_than"`
	AtLeast    int           `yaml:"at_least"` // default 1
}

// Pauses is how often and how long tickets wait for the client.
type Pauses struct {
	Probability float64 `yaml:"probability" unit:"share"`
	Length      Dist    `yaml:"length"` // open time of the class's calendar
	// Status is the status of the ticket while it waits; default
	// "waiting for client".
	Status string `yaml:"status"`
}

// Reopen is how often tickets are reopened, and when.
type Reopen struct {
	Rate float64 `yaml:"rate" unit:"share"`
	// After is the wall-clock time from the restoration to the reopening;
	// default lognormal, median 24h, P90 120h.
	After Dist `yaml:"after"`
}

// Problems is the problem management of a ticket class.
type Problems struct {
	// Probability that a ticket of the class gets a problem, opened at its
	// restoration and linked to it (kind incident, the class's priority).
	Probability float64 `yaml:"probability" unit:"share"`
	// RootCause is the time from the ticket's restoration to the root
	// cause (the problem enters Status), in open time of Calendar.
	RootCause Dist   `yaml:"root_cause"`
	Calendar  string `yaml:"calendar"` // default: the class's calendar
	Status    string `yaml:"status"`   // default "known error"
}

// Calls is the phone desk: the calls offered, how long they take, how
// patient callers are and how many agents answer.
//
// The desk is simulated call by call, first come first served, with the
// staffing of each half hour: a call offered while no agent is scheduled
// is not answered and not abandoned (a closed message); callers still
// waiting when the desk closes get the same message.
type Calls struct {
	// PerMonth is the mean number of calls offered in a month, before
	// growth and seasonality, spread over the half hours by Arrivals.
	PerMonth float64 `yaml:"per_month"`
	Queue    string  `yaml:"queue"` // the queue's name on every call
	Arrivals Profile `yaml:"arrivals"`
	// Handling is the handling time (talk, hold and wrap-up); its mean is
	// the AHT of the Erlang formulas. Required.
	Handling Dist `yaml:"handling"`
	// Patience is how long a caller waits before hanging up; zero: never.
	Patience Dist `yaml:"patience"`
	// FirstContact is the share of answered calls resolved during the call.
	FirstContact float64  `yaml:"first_contact" unit:"share"`
	Staffing     Staffing `yaml:"staffing"`
}

// Staffing is how many agents answer, half hour by half hour: a constant
// number whenever calls are expected, a rota, or the fewest agents that
// meet a target in each half hour by Erlang C (Erlang A when callers hang
// up). Exactly one must be given.
type Staffing struct {
	Agents int `yaml:"agents"`
	// Rota maps "DAYS HH:MM-HH:MM" (mon-fri 08:00-18:00, sat 09:00-12:00)
	// to the agents on duty then; later entries add to earlier ones where
	// they overlap. Holidays of the arrival profile take Sunday's rota.
	Rota   map[string]int `yaml:"rota"`
	Target *Target        `yaml:"target"`
	// Scale multiplies the agents of every half hour, whichever way they
	// are given, rounded to the nearest agent (half up): 1.2 staffs a
	// fifth more, 0.9 a tenth fewer. Zero (absent) is 1.
	Scale float64 `yaml:"scale"`
}

// Target is what a staffing must achieve in every half hour, by the
// queueing formulas (see [StaffingTarget]).
type Target struct {
	ServiceLevel float64       `yaml:"service_level" unit:"share"`
	Within       time.Duration `yaml:"within"`
	MaxASA       time.Duration `yaml:"max_asa"`
	MaxAbandon   float64       `yaml:"max_abandon" unit:"share"`
	MaxOccupancy float64       `yaml:"max_occupancy" unit:"share"`
}

// OutageClass is the outages of one service.
type OutageClass struct {
	Service  string  `yaml:"service"`   // required
	PerMonth float64 `yaml:"per_month"` // mean number of outages a month
	Duration Dist    `yaml:"duration"`  // wall-clock; required
	// Planned is the share of outages that are planned maintenance.
	Planned float64 `yaml:"planned" unit:"share"`
	// Notice is how long before its start a planned outage is announced
	// (wall-clock); zero: announced as it starts.
	Notice Dist `yaml:"notice"`
	// PlannedIn names a calendar (or is a spec) within whose open time
	// planned outages start, such as HNO; default: anywhere in the month.
	PlannedIn string `yaml:"planned_in"`
}

// Surveys are satisfaction surveys, each a Sample.
type Surveys struct {
	Name string `yaml:"name"` // the samples' name; default "csat"
	// PerTicket is the share of tickets (of Kinds) that return a survey;
	// surveys come in over the month with the tickets' arrival profile.
	PerTicket float64  `yaml:"per_ticket" unit:"share"`
	Kinds     []string `yaml:"kinds"` // default: every kind
	// Scores are the shares of each score ("5": 40%); they must add up to
	// 100 %.
	Scores map[string]float64 `yaml:"scores" unit:"share"`
}

// Costs is the provider's cost model.
type Costs struct {
	// AgentHour is the cost of one agent on the phones for an hour.
	AgentHour decimal.Decimal `yaml:"agent_hour"`
	// Monthly is the fixed cost of a month (the rest of the team, tools…).
	Monthly decimal.Decimal `yaml:"monthly"`
}

// LoadScenario reads a scenario file.
func LoadScenario(path string) (*Scenario, error) {
	return diag.Load(path, maxScenarioSize, ParseScenario)
}

// maxScenarioSize bounds what ParseScenario reads.
const maxScenarioSize = 1 << 20

// ParseScenario reads a scenario from its YAML text; filename is used in
// errors and to find the history file. Errors are reported as an
// [ErrorList] of *[Error] with their line and column: first every error
// of shape (an unknown key, a value of the wrong type, a duplicate), all
// at once; when there is none, every invalid value ([Scenario.Validate]).
func ParseScenario(data []byte, filename string) (*Scenario, error) {
	if filename == "" {
		filename = "scenario"
	}
	s := &Scenario{file: filename, pos: map[string]position{}}
	if len(data) > maxScenarioSize {
		return nil, ErrorList{{File: filename, Line: 1, Column: 1, Msg: fmt.Sprintf("file has more than %d bytes, the most a scenario may have", maxScenarioSize)}}
	}
	d := newDecoder(filename, s.pos)
	d.document(data, s)
	if len(d.Errs) > 0 {
		return nil, errorList(d.Errs)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// File returns the file the scenario was read from, or "".
func (s *Scenario) File() string { return s.file }

// dir is the directory relative paths of the scenario start from.
func (s *Scenario) dir() string {
	if s.file == "" {
		return "."
	}
	return filepath.Dir(s.file)
}

// Clone returns a deep copy of the scenario, which can be changed without
// changing s (a sensitivity analysis changes one parameter of a clone).
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Seasonality = slices.Clone(s.Seasonality)
	c.Arrivals = s.Arrivals.clone()
	c.History = copyOf(s.History, nil)
	c.Tickets = slices.Clone(s.Tickets)
	for i := range c.Tickets {
		c.Tickets[i] = c.Tickets[i].clone()
	}
	c.Calls = copyOf(s.Calls, func(k *Calls) {
		k.Arrivals = k.Arrivals.clone()
		k.Handling = k.Handling.clone()
		k.Patience = k.Patience.clone()
		k.Staffing.Rota = maps.Clone(k.Staffing.Rota)
		k.Staffing.Target = copyOf(k.Staffing.Target, nil)
	})
	c.Outages = slices.Clone(s.Outages)
	for i := range c.Outages {
		c.Outages[i].Duration = c.Outages[i].Duration.clone()
		c.Outages[i].Notice = c.Outages[i].Notice.clone()
	}
	c.Surveys = copyOf(s.Surveys, func(v *Surveys) {
		v.Kinds = slices.Clone(v.Kinds)
		v.Scores = maps.Clone(v.Scores)
	})
	c.Reported = maps.Clone(s.Reported)
	if s.Indices != nil {
		c.Indices = make(map[string]map[string]decimal.Decimal, len(s.Indices))
		for k, v := range s.Indices {
			c.Indices[k] = maps.Clone(v)
		}
	}
	// Positions are never changed once read: sharing them is safe.
	return &c
}

func (p Profile) clone() Profile {
	p.Weekdays = maps.Clone(p.Weekdays)
	p.Hours = slices.Clone(p.Hours)
	return p
}

func (t TicketClass) clone() TicketClass {
	t.Services = maps.Clone(t.Services)
	t.Levels = slices.Clone(t.Levels)
	t.Acknowledge = t.Acknowledge.clone()
	t.Restore = t.Restore.clone()
	t.Excluded = maps.Clone(t.Excluded)
	t.Pauses = copyOf(t.Pauses, func(p *Pauses) { p.Length = p.Length.clone() })
	t.Reopen = copyOf(t.Reopen, func(r *Reopen) { r.After = r.After.clone() })
	t.Problems = copyOf(t.Problems, func(p *Problems) { p.RootCause = p.RootCause.clone() })
	t.Controls = slices.Clone(t.Controls)
	return t
}

// copyOf returns a copy of *p, or nil for nil; deepen, when given, then
// gives the copy its own maps, slices and distributions, so that
// changing it leaves *p as it was.
func copyOf[T any](p *T, deepen func(*T)) *T {
	if p == nil {
		return nil
	}
	c := *p
	if deepen != nil {
		deepen(&c)
	}
	return &c
}

// Error is an error in a scenario: where it is and what is wrong.
type Error struct {
	File   string // "" for a scenario built in Go
	Line   int    // 0 when unknown
	Column int
	Path   string // the key, as tickets[2].restore.p90; "" for the whole file
	Msg    string
}

func (e *Error) Error() string {
	where := diag.Where(e.File, e.Line, e.Column)
	if e.Path == "" {
		return where + e.Msg
	}
	return where + e.Path + ": " + e.Msg
}

// ErrorList is every error found in a scenario, in the order of the file.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors, for errors.As.
func (l ErrorList) Unwrap() []error { return diag.Unwrap(l) }

func (l ErrorList) sorted() ErrorList {
	diag.Sort(l, func(e *Error) (string, int, int) { return e.File, e.Line, e.Column })
	return l
}

// errorAt builds an error about the value at path, placed where the file
// had it (or its closest parent key).
func (s *Scenario) errorAt(path, format string, args ...any) *Error {
	e := &Error{File: s.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	for p := path; ; {
		if pos, ok := s.pos[p]; ok {
			e.Line, e.Column = pos.Line, pos.Column
			break
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return e
}
