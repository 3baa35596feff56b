package dsl

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// The environments below are what an expression sees. Names come from the
// `expr` tags: the record's fields (priority, opened, resolved…), then the
// measures the engine computes for the rule. Environments are small values
// holding a pointer to the record, passed by value to the expr VM and by
// pointer to compiled closures, so that evaluating allocates nothing.

// Ticket is the environment of an expression about one ticket.
type Ticket struct {
	*pacte.Ticket
	Clock
	Paused []pacte.Interval `expr:"-"` // the pauses the rule's clock applies, merged; set by the engine
	// Fees are the invoice amounts per work unit fee() reads in a per-item
	// amount (see [ItemFees]); set by the engine.
	Fees map[string]decimal.Decimal `expr:"-"`
	metered
}

// Clock holds the measures of a rule's clock for one item. They are zero
// in a rule without a clock.
type Clock struct {
	Start    time.Time     `expr:"start"`    // when the clock started
	Stop     time.Time     `expr:"stop"`     // when it stopped; zero while running
	Elapsed  time.Duration `expr:"elapsed"`  // open time from start to stop (or to the end of the period), less pauses
	Budget   time.Duration `expr:"budget"`   // open time allowed by the rule's deadline
	Deadline time.Time     `expr:"deadline"` // the instant the budget runs out, pauses included
	Late     time.Duration `expr:"late"`     // open time beyond the budget; zero when on time
	OnTime   bool          `expr:"on_time"`  // stopped within the budget

	// Calendar is the calendar the clock measured the item on: the rule's,
	// or the one a table of the contract gives the item.
	Calendar *calendar.Calendar `expr:"-"`
}

// Call is the environment of an expression about one call.
type Call struct {
	*pacte.Call
	Wait     time.Duration              `expr:"wait"`     // from offered to answered, or to the hang-up of an unanswered call
	Talk     time.Duration              `expr:"talk"`     // from answered to ended
	Answered bool                       `expr:"answered"` // an agent picked it up
	Fees     map[string]decimal.Decimal `expr:"-"`        // read by fee() in a per-item amount
	metered
}

// NewCall returns the environment of a call, with its waiting and talk
// times.
func NewCall(c *pacte.Call) Call {
	e := Call{Call: c, Answered: !c.Answered.IsZero()}
	switch {
	case e.Answered:
		e.Wait = nonNegative(sub(c.Answered, c.Offered))
		if !c.Ended.IsZero() {
			e.Talk = nonNegative(sub(c.Ended, c.Answered))
		}
	case !c.Ended.IsZero():
		e.Wait = nonNegative(sub(c.Ended, c.Offered))
	}
	return e
}

// sub is t.Sub(u). Sub checks for overflow with an Add and an Equal,
// which cost as much as the rest of a call's environment: instants less
// than 272 years apart, whose difference in nanoseconds fits, skip it.
// An instant with a monotonic clock reading goes through Sub, which may
// use it.
func sub(t, u time.Time) time.Duration {
	if s := t.Unix() - u.Unix(); s > -1<<33 && s < 1<<33 && u == u.Round(0) {
		return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
	}
	return t.Sub(u)
}

func nonNegative(d time.Duration) time.Duration { return max(d, 0) }

// Outage is the environment of an expression about one outage.
type Outage struct {
	*pacte.Outage
	Duration time.Duration              `expr:"duration"` // End − Start; zero while it goes on
	Fees     map[string]decimal.Decimal `expr:"-"`        // read by fee() in a per-item amount
	metered
}

// NewOutage returns the environment of an outage.
func NewOutage(o *pacte.Outage) Outage {
	e := Outage{Outage: o}
	if !o.End.IsZero() {
		e.Duration = nonNegative(o.End.Sub(o.Start))
	}
	return e
}

// Sample is the environment of an expression about one sample.
type Sample struct {
	*pacte.Sample
	Fees map[string]decimal.Decimal `expr:"-"` // read by fee() in a per-item amount
	metered
}

// StatusChange is the environment of a condition on one entry of a
// ticket's status history, such as a rule's pause_when.
type StatusChange struct {
	*pacte.StatusChange
	metered
}

// Measure is the type of a period's achieved value and objective:
// a decimal for shares, rates, scores and availability, a duration for
// statistics of durations, an int for counts.
type Measure interface {
	decimal.Decimal | time.Duration | int
}

// Period is the environment of a rule's penalty and bonus formulas: the
// figures of one rule over one period.
type Period[M Measure] struct {
	Start        time.Time `expr:"start"`
	End          time.Time `expr:"end"`
	Month        int       `expr:"month"`         // 1 to 12, the month the period starts in
	Year         int       `expr:"year"`          // the civil year it starts in
	ContractYear int       `expr:"contract_year"` // 1 for the first year of the term

	Eligible int `expr:"eligible"` // items counted
	Met      int `expr:"met"`      // items meeting the rule's condition
	Missed   int `expr:"missed"`   // eligible − met
	Excluded int `expr:"excluded"` // items excluded, for any reason

	Achieved  M `expr:"achieved"`  // the measured value
	Objective M `expr:"objective"` // the objective that applied (the fallback one below the minimum volume)
	// Shortfall is how far achieved is from the objective, on the wrong
	// side, and zero when the objective is met: 3 points below 90 % is 3%.
	Shortfall M `expr:"shortfall"`

	Breached    bool `expr:"breached"`    // the objective was not met
	Consecutive int  `expr:"consecutive"` // breached periods in a row, this one included; 0 when met

	Late    time.Duration   `expr:"late"`    // total lateness of the missed items
	Invoice decimal.Decimal `expr:"invoice"` // the period's invoice, all work units

	// Fees are the period's invoice amounts per work unit, read by fee().
	Fees map[string]decimal.Decimal `expr:"-"`
	// Results are the other rules' and groups' results, read by
	// result(); set by the engine.
	Results RuleResults `expr:"-"`
	metered
}

// fee returns the sum of the invoice amounts of the named work units.
func (p Period[M]) fee(units ...string) decimal.Decimal { return sumFees(p.Fees, units) }

// feeSource is what fee() needs of a period, whatever its measure type.
type feeSource interface {
	fee(units ...string) decimal.Decimal
}

// The fees of an item's environment, for fee() in a per-item amount.
func (t Ticket) fee(units ...string) decimal.Decimal { return sumFees(t.Fees, units) }
func (c Call) fee(units ...string) decimal.Decimal   { return sumFees(c.Fees, units) }
func (o Outage) fee(units ...string) decimal.Decimal { return sumFees(o.Fees, units) }
func (s Sample) fee(units ...string) decimal.Decimal { return sumFees(s.Fees, units) }

func sumFees(fees map[string]decimal.Decimal, units []string) decimal.Decimal {
	var sum decimal.Decimal
	for _, u := range units {
		sum = sum.Add(fees[u])
	}
	return sum
}
