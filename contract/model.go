package contract

import (
	"fmt"
	"slices"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// Position is a place in a contract file.
type Position struct {
	File   string
	Line   int
	Column int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column) }

// Source is the kind of record a rule measures.
type Source string

// The sources of rules.
const (
	Tickets Source = "tickets"
	Calls   Source = "calls"
	Outages Source = "outages"
	Samples Source = "samples"
)

// PeriodKind is the length of a measurement period.
type PeriodKind string

// The periods of measurement. A contract year starts on the anniversary of
// the term's start.
const (
	Month        PeriodKind = "month"
	Quarter      PeriodKind = "quarter"
	Year         PeriodKind = "year"
	ContractYear PeriodKind = "contract_year"
	Term         PeriodKind = "term" // the whole term; only for franchise and caps
)

// Expr is an expression of the contract file: its text, where it is, and
// its compiled program over the environment the expression is about:
// dsl.Ticket for a scope of a ticket rule, dsl.StatusChange for a clock's
// pause_when, dsl.Period[M] for a penalty formula of a rule whose
// objective's measure is an M. [Program] returns it.
type Expr struct {
	Text string
	Pos  Position

	prog programs // none when the file does not give the expression
}

// programs holds an expression's program in the field of its
// environment; at most one is set.
type programs struct {
	ticket    *dsl.Program[dsl.Ticket]
	call      *dsl.Program[dsl.Call]
	outage    *dsl.Program[dsl.Outage]
	sample    *dsl.Program[dsl.Sample]
	status    *dsl.Program[dsl.StatusChange]
	decimals  *dsl.Program[dsl.Period[decimal.Decimal]]
	durations *dsl.Program[dsl.Period[time.Duration]]
	counts    *dsl.Program[dsl.Period[int]]
	group     *dsl.Program[dsl.Group]
	typ       dsl.Type // the program's type
	set       bool
}

// slot is the field of the programs over E.
func slot[E dsl.Env](ps *programs) **dsl.Program[E] {
	var s any
	switch any((*E)(nil)).(type) {
	case *dsl.Ticket:
		s = &ps.ticket
	case *dsl.Call:
		s = &ps.call
	case *dsl.Outage:
		s = &ps.outage
	case *dsl.Sample:
		s = &ps.sample
	case *dsl.StatusChange:
		s = &ps.status
	case *dsl.Period[decimal.Decimal]:
		s = &ps.decimals
	case *dsl.Period[time.Duration]:
		s = &ps.durations
	case *dsl.Period[int]:
		s = &ps.counts
	case *dsl.Group:
		s = &ps.group
	}
	return s.(**dsl.Program[E]) // the cases are those of dsl.Env
}

// Program returns the compiled program of an expression about E; nil when
// the expression is absent, or is about another environment than E.
func Program[E dsl.Env](e Expr) *dsl.Program[E] { return *slot[E](&e.prog) }

// withProgram returns e with its program.
func withProgram[E dsl.Env](e Expr, p *dsl.Program[E]) Expr {
	*slot[E](&e.prog) = p
	e.prog.typ, e.prog.set = p.Type(), true
	return e
}

// IsZero reports whether the expression is absent.
func (e Expr) IsZero() bool { return !e.prog.set }

// Type is the type of the expression's value; dsl.Unknown when it is
// absent.
func (e Expr) Type() dsl.Type { return e.prog.typ }

// Parties names the two sides of the contract.
type Parties struct {
	Client   string
	Provider string
}

// WorkUnit is a priced unit of service (unité d'œuvre).
type WorkUnit struct {
	ID   string
	Name string
	Pos  Position

	// Price is the unit price; Bands, when set, replace it with a price
	// per volume band; Fixed is a flat fee per period (a forfait).
	Price decimal.Decimal
	Bands []Band
	Fixed decimal.Decimal

	Volume Volume

	// Versions are the prices amendments set from later dates, in order:
	// a month is billed at the price in force on its first day (InForce).
	Versions []PriceVersion
}

// IsFixed reports whether the unit is a flat fee, billed whatever the
// volume.
func (u WorkUnit) IsFixed() bool { return !u.Volume.Given && u.Volume.Source == "" }

// Band is a progressive volume band: the units from the end of the
// previous band up to UpTo are billed at Price. UpTo is zero in the last,
// unbounded band.
type Band struct {
	UpTo  decimal.Decimal
	Price decimal.Decimal
}

// Volume says where a work unit's volume comes from.
type Volume struct {
	// Given: the volume is reported for each period (the month's count of
	// managed workstations), not counted from records.
	Given bool
	// Source, Where and By: the volume is the number of records of Source
	// satisfying Where whose By instant falls in the period.
	Source Source
	Where  Expr // bool, over the source's environment
	By     Expr // time, over the source's environment
}

// Revision is a price revision formula P = P0 × (Fixed + Indexed × S / S0),
// applied on From and on each anniversary of it, with S0 the index of Base
// and S the index of ReferenceMonth before the revision date. Revised
// prices are rounded to Rounding.
type Revision struct {
	Index          string
	Fixed          decimal.Decimal
	Indexed        decimal.Decimal
	Base           string // "2026-09"
	ReferenceMonth time.Month
	From           time.Time
	Rounding       decimal.Decimal
	Units          []string // the work units revised; all when empty
	Pos            Position
}

// Indices are index values by index name and month ("2027-09").
type Indices map[string]map[string]decimal.Decimal

// Rule is one service level: what is measured, against what objective,
// and what it costs.
type Rule struct {
	ID          string
	Name        string
	Clause      string // the contract's own reference for it, such as "§4.2"
	Description string
	Pos         Position

	Source Source
	Period PeriodKind
	Scope  Expr // bool: which items count; absent means all

	// Exclusions are tried in order; the first that holds excludes the
	// item, which is then listed with its reason.
	Exclusions []Exclusion

	// Attribution is the instant that puts an item in a period (time);
	// by default the ticket's resolution, the call's offer, the outage's
	// start (outages are also cut at period bounds), the sample's instant.
	Attribution Expr

	Clock    *Clock
	Deadline *Deadline
	// LateOpen is the period in which a ticket still running past its
	// deadline counts; set when the rule has a deadline.
	LateOpen LateOpen

	// ShortAbandon: calls abandoned sooner are not offered calls.
	ShortAbandon time.Duration

	Availability *Availability

	Objective   Objective
	SmallVolume *SmallVolume

	Penalty []Component
	Bonus   []Component

	// Cap is the most the rule's penalty may be in a period, applied in
	// the penalty pipeline's rule_caps step (after repeat and rounding).
	Cap Expr

	// Versions are the rule as amendments set it from later dates, in
	// order: a period is evaluated with the version in force on its first
	// day (InForce).
	Versions []RuleVersion
}

// Exclusion is a reason for not counting an item, and its condition.
type Exclusion struct {
	Reason string
	When   Expr // bool
}

// Clock measures open time on a calendar from Start to Stop, less pauses.
type Clock struct {
	Start    Expr // time
	Stop     Expr // time; zero while the item runs
	Calendar string
	Cal      *calendar.Calendar // nil when ByItem chooses it
	// ByItem, when set, chooses the calendar of each ticket in a table of
	// the contract (Calendar is then the lookup as written).
	ByItem *Lookup[NamedCalendar]
	// PauseWhen selects the statuses of the ticket's history during which
	// the clock stops (a condition over dsl.StatusChange). The ticket's own
	// Pauses always stop it too.
	PauseWhen Expr
}

// Deadline is the open time a clock may run: a duration of open time, or
// up to the end of an open day after the day the clock started, in which
// case the budget is the open time until then.
type Deadline struct {
	Open     time.Duration
	OpenDays int
	Text     string
	// ByItem, when set, chooses the deadline of each ticket in a table of
	// the contract, Open and OpenDays being zero.
	ByItem *Lookup[Deadline]
}

// LateOpen says where a ticket still running past its deadline counts.
type LateOpen string

// The choices of late_open.
const (
	// LateOpenDeadlinePeriod: missed in the period its deadline passed,
	// once that period has ended with the ticket still running, and in no
	// later period, whatever the rule's attribution says.
	LateOpenDeadlinePeriod LateOpen = "deadline_period"
	// LateOpenAttribution: in the period of its attribution instant, as
	// every other ticket; a ticket without that instant yet (not yet
	// resolved) counts nowhere until it has one, and the accounting says so.
	LateOpenAttribution LateOpen = "attribution"
)

// Availability configures an availability objective.
type Availability struct {
	Calendar  string
	Cal       *calendar.Calendar
	MinOutage time.Duration // outages shorter than this do not count
}

// SmallVolume is the objective that applies when fewer than Below items
// are eligible; an objective of MeasureNone makes the rule not applicable.
type SmallVolume struct {
	Below     int
	Objective Objective
}

// Service-level variants: what the share of calls answered within T is
// taken of. A contract must name one; they differ in how abandons count.
const (
	SLAnswered        = "answered"         // answered within T / answered
	SLOffered         = "offered"          // answered within T / offered (short abandons excluded)
	SLAbandonsIgnored = "abandons_ignored" // answered within T / (offered − abandoned within T)
	SLAbandonsMet     = "abandons_met"     // (answered within T + abandoned within T) / offered
)

// Objective is a rule's target: a measure compared with a threshold.
type Objective struct {
	Text    string
	Pos     Position
	Measure MeasureKind
	// Arg is the condition of share and count (bool), or the per-item
	// measure of a statistic (a duration, a decimal or an int).
	Arg        Expr
	Percentile int
	Op         string // ">=", ">", "<=", "<", "=="
	Threshold  Value
	Within     time.Duration // service_level's T
	Variant    string        // service_level's variant
}

// Type is the type of the objective's measure and threshold: the type
// of achieved, objective and shortfall in the rule's formulas.
func (o Objective) Type() dsl.Type { return o.Threshold.Type }

// HigherIsBetter reports whether the objective is a minimum (>=, >).
func (o Objective) HigherIsBetter() bool { return o.Op == ">=" || o.Op == ">" }

// Value is a decimal, a duration or an integer, by Type.
type Value struct {
	Type     dsl.Type
	Decimal  decimal.Decimal
	Duration time.Duration
	Int      int
}

func (v Value) String() string {
	switch v.Type {
	case dsl.Duration:
		return v.Duration.String()
	case dsl.Int:
		return fmt.Sprint(v.Int)
	}
	return v.Decimal.String()
}

// Cmp compares two values of the same type.
func (v Value) Cmp(o Value) int {
	switch v.Type {
	case dsl.Duration:
		return cmpOrdered(v.Duration, o.Duration)
	case dsl.Int:
		return cmpOrdered(v.Int, o.Int)
	}
	return v.Decimal.Cmp(o.Decimal)
}

func cmpOrdered[T int | time.Duration](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Form is the form of a penalty or bonus component.
type Form string

// The forms of penalty and bonus components.
const (
	FormAmount    Form = "amount"     // any expression over the period's figures
	FormPerPoint  Form = "per_point"  // an amount per started point (1%) of shortfall
	FormPerMissed Form = "per_missed" // an amount per missed item
	FormPerItem   Form = "per_item"   // an expression per eligible item, summed
	FormTiers     Form = "tiers"      // a table over the achieved value
)

// Component is one part of a rule's penalty or bonus in a period.
type Component struct {
	Pos  Position
	Form Form
	// When is the condition under which the component applies (bool over
	// the period); absent, a penalty applies when the objective is breached
	// and a bonus when it is met.
	When   Expr
	Amount Expr // decimal over the period: the amount, or the amount per point or per missed item
	Item   Expr // decimal over the rule's item environment, for FormPerItem
	// ItemUnits are the work units Item's fee() calls name, in the order
	// they first appear: the engine gives the item the fees of its period.
	ItemUnits []string
	Tiers     []Tier
	Max       Expr // decimal over the period: the component's cap
}

// Tier is a row of a tier table: an amount for an achieved value in Range.
type Tier struct {
	Range  Range
	Amount Expr
}

// Range is an interval of values, each end open or closed or unbounded:
// "[85%, 90%)", "(1%, 2%]", "(-inf, 80%)".
type Range struct {
	Text          string
	Low, High     Value
	LowUnbounded  bool
	HighUnbounded bool
	LowInclusive  bool
	HighInclusive bool
}

// Contains reports whether v lies in the range.
func (r Range) Contains(v Value) bool {
	if !r.LowUnbounded {
		c := v.Cmp(r.Low)
		if c < 0 || (c == 0 && !r.LowInclusive) {
			return false
		}
	}
	if !r.HighUnbounded {
		c := v.Cmp(r.High)
		if c > 0 || (c == 0 && !r.HighInclusive) {
			return false
		}
	}
	return true
}

// Step is a step of the penalty pipeline.
type Step string

// The steps of the penalty pipeline, in their default order.
const (
	StepObservation Step = "observation"
	StepFranchise   Step = "franchise"
	StepRepeat      Step = "repeat"
	StepRounding    Step = "rounding"
	StepRuleCaps    Step = "rule_caps"
	StepMonthCap    Step = "month_cap"
	StepYearCap     Step = "year_cap"
	StepBonus       Step = "bonus"
)

// DefaultOrder is the order of the steps when the contract does not give one.
var DefaultOrder = []Step{StepObservation, StepFranchise, StepRepeat, StepRounding, StepRuleCaps, StepMonthCap, StepYearCap, StepBonus}

// Pipeline is how the penalties and bonuses of the rules combine.
type Pipeline struct {
	Order []Step

	// Observation: periods that start on or before Until are measured
	// and reported, but no penalty or bonus applies.
	Observation *Observation
	// FirstBreach waives the first breach of each rule in each period of
	// Per (contract_year, year or term) that carries a penalty.
	FirstBreach *FirstBreach
	// DeMinimis waives the penalties of a Per period (month, year,
	// contract_year or term) whose total does not exceed Below.
	DeMinimis *DeMinimis
	// Repeat multiplies the penalty of a rule breached Consecutive or
	// more periods in a row by Factor.
	Repeat *Repeat
	// Rounding rounds every penalty and bonus line.
	Rounding Rounding
	// MonthCap and YearCap bound the period's and the contract year's
	// penalties (decimal formulas over the invoice of that span).
	MonthCap Expr
	YearCap  Expr
	// TermCap bounds the penalties of the whole term, computed on the
	// term's invoices; the year_cap step applies it after YearCap.
	TermCap Expr
	// BonusCap bounds a period's bonuses; Netting sets them off against
	// the period's penalties.
	BonusCap Expr
	Netting  bool
}

// Observation is the ramp-up period without penalties.
type Observation struct {
	Until time.Time // the last day, inclusive
	Pos   Position
}

// FirstBreach is the franchise of the first breach.
type FirstBreach struct {
	Per    PeriodKind
	Except []string
	Pos    Position
}

// DeMinimis is the franchise of small amounts.
type DeMinimis struct {
	Below decimal.Decimal
	Per   PeriodKind
	Pos   Position
}

// Repeat is the escalation of repeated breaches.
type Repeat struct {
	Consecutive int
	Factor      decimal.Decimal
	Pos         Position
}

// Rounding rounds amounts to a multiple of To.
type Rounding struct {
	To   decimal.Decimal
	Mode RoundingMode
}

// RoundingMode is how a rounding breaks ties.
type RoundingMode string

// The rounding modes.
const (
	HalfUp   RoundingMode = "half_up"   // half away from zero: 0.125 → 0.13
	HalfEven RoundingMode = "half_even" // banker's: 0.125 → 0.12
	Down     RoundingMode = "down"      // toward zero
	Up       RoundingMode = "up"        // away from zero
)

// Round rounds an amount.
func (r Rounding) Round(d decimal.Decimal) decimal.Decimal {
	if r.To.IsZero() {
		return d
	}
	q := d.DivRound(r.To, dsl.QuotientPlaces)
	switch r.Mode {
	case HalfEven:
		q = q.RoundBank(0)
	case Down:
		q = q.Truncate(0)
	case Up:
		q = q.RoundUp(0)
	default:
		q = q.Round(0)
	}
	return q.Mul(r.To)
}

func cloneRule(r Rule) Rule {
	r.Versions = slices.Clone(r.Versions)
	for i := range r.Versions {
		r.Versions[i].Rule = cloneRule(r.Versions[i].Rule)
	}
	r.Exclusions = slices.Clone(r.Exclusions)
	r.Penalty = cloneComponents(r.Penalty)
	r.Bonus = cloneComponents(r.Bonus)
	if r.Clock != nil {
		c := *r.Clock
		c.ByItem = c.ByItem.clone()
		r.Clock = &c
	}
	if r.Deadline != nil {
		d := *r.Deadline
		d.ByItem = d.ByItem.clone()
		r.Deadline = &d
	}
	r.Availability = copyOf(r.Availability)
	r.SmallVolume = copyOf(r.SmallVolume)
	return r
}

// copyOf returns a pointer to a shallow copy of *p, or nil for nil: the
// parts of a clone that share nothing a caller could change.
func copyOf[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneComponents(cs []Component) []Component {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Tiers = slices.Clone(out[i].Tiers)
	}
	return out
}
