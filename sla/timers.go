package sla

import (
	"encoding/json"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// Stage is where a rule's clock stands for a ticket.
type Stage string

// The stages of a timer. Whether the deadline was passed is a separate
// flag ([Timer].Breached): a breached clock runs on, pauses and stops like
// any other.
const (
	StageNotStarted Stage = "not_started" // its start instant has not come
	StageRunning    Stage = "running"
	StagePaused     Stage = "paused"    // a pause of the ticket or a status the rule pauses on holds now
	StageStopped    Stage = "stopped"   // its stop instant has come
	StageCancelled  Stage = "cancelled" // the rule took the ticket at an earlier update and no longer does
	StageExcluded   Stage = "excluded"  // an exclusion of the rule holds on the ticket's current fields
)

// Timer is a rule's clock on one ticket at an instant: the live face of
// what the evaluation measures once the ticket stops.
type Timer struct {
	Rule     string
	Ticket   string
	Stage    Stage
	Breached bool // the open time measured is past the deadline (or reached it while running)
	// Excluded is the reason of the exclusion that holds (StageExcluded).
	Excluded string
	Start    time.Time // when the clock started; zero when not started
	Stop     time.Time // when it stopped; zero while it runs
	// BreachAt is the instant the deadline is reached if the clock runs on
	// from now, through closed hours, holidays and daylight-saving
	// changes; once breached, the instant it was. Zero when the clock is
	// paused within its deadline (Remaining says what is left), stopped on
	// time, or has no deadline, and when the calendar never has that much
	// open time.
	BreachAt time.Time
	Elapsed  time.Duration // open time measured, less pauses, up to now or the stop
	Budget   time.Duration // open time the deadline allows; zero without a deadline
	// Remaining is the open time left before the deadline, zero once it
	// is passed.
	Remaining time.Duration
	// CalendarChange is the next instant the rule's calendar opens (when
	// it is closed now) or closes (when it is open); CalendarOpens says
	// which.
	CalendarChange time.Time
	CalendarOpens  bool
	Error          string // the rule failed on the ticket: the figures are zero
}

// Used is the share of the allowance used, elapsed ÷ budget, exact to 16
// decimal places: over 1 once breached. It is zero without a deadline.
func (t Timer) Used() decimal.Decimal {
	if t.Budget <= 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(int64(t.Elapsed)).DivRound(decimal.NewFromInt(int64(t.Budget)), dsl.QuotientPlaces)
}

// UsedAtLeast tells exactly whether the share of the allowance used has
// reached the fraction num/den (3/4 for 75 %).
func (t Timer) UsedAtLeast(num, den int64) bool {
	if t.Budget <= 0 || den <= 0 {
		return false
	}
	return decimal.NewFromInt(int64(t.Elapsed)).Mul(decimal.NewFromInt(den)).Cmp(decimal.NewFromInt(int64(t.Budget)).Mul(decimal.NewFromInt(num))) >= 0
}

// timerJSON is a timer as JSON has it: stable snake_case names, durations
// in seconds, the share used as a decimal string.
type timerJSON struct {
	Rule           string    `json:"rule"`
	Ticket         string    `json:"ticket"`
	Stage          Stage     `json:"stage"`
	Breached       bool      `json:"breached"`
	Excluded       string    `json:"excluded,omitempty"`
	Start          time.Time `json:"start,omitzero"`
	Stop           time.Time `json:"stop,omitzero"`
	BreachAt       time.Time `json:"breach_at,omitzero"`
	Elapsed        Seconds   `json:"elapsed"`
	Budget         Seconds   `json:"budget"`
	Remaining      Seconds   `json:"remaining"`
	Used           *Number   `json:"used,omitempty"`
	CalendarChange time.Time `json:"calendar_change,omitzero"`
	CalendarOpens  bool      `json:"calendar_opens"`
	Error          string    `json:"error,omitempty"`
}

// MarshalJSON writes the timer with the share used.
func (t Timer) MarshalJSON() ([]byte, error) { return json.Marshal(t.wire()) }

// wire is the timer as JSON has it.
func (t Timer) wire() timerJSON {
	j := timerJSON{Rule: t.Rule, Ticket: t.Ticket, Stage: t.Stage, Breached: t.Breached, Excluded: t.Excluded, Start: t.Start, Stop: t.Stop,
		BreachAt: t.BreachAt, Elapsed: Seconds(t.Elapsed), Budget: Seconds(t.Budget), Remaining: Seconds(t.Remaining),
		CalendarChange: t.CalendarChange, CalendarOpens: t.CalendarOpens, Error: t.Error}
	if t.Budget > 0 {
		j.Used = &Number{t.Used()}
	}
	return j
}

// Timers returns the timers of a ticket of the table at now: one for each
// rule with a clock whose scope takes it (or took it at an earlier update:
// then cancelled), in the contract's order.
func (l *Live) Timers(id string, now time.Time) ([]Timer, error) {
	return l.AppendTimers(nil, id, now)
}

// AppendTimers is [Live.Timers] appending to dst, which a caller may
// reuse from ticket to ticket.
func (l *Live) AppendTimers(dst []Timer, id string, now time.Time) ([]Timer, error) {
	lt, err := l.ticketOf(id)
	if err != nil {
		return dst, err
	}
	return l.appendTimers(dst, lt, now), nil
}

// AppendOpenTimers appends the timers of every open ticket at now, ticket
// by ticket in no set order, each ticket's in the contract's order.
func (l *Live) AppendOpenTimers(dst []Timer, now time.Time) []Timer {
	for _, lt := range l.list {
		dst = l.appendTimers(dst, lt, now)
	}
	return dst
}

// appendTimers appends the timers of an entry at now, in the contract's
// order.
func (l *Live) appendTimers(dst []Timer, lt *liveTicket, now time.Time) []Timer {
	e := l.e
	env := &e.tenv
	*env = dsl.Ticket{Ticket: &lt.t}
	e.pauseFrom = nil
	for k, rule := range e.ticketRules {
		i := k
		if l.order != nil {
			i = l.order[k]
			rule = e.ticketRules[i]
		}
		mark := lt.marks[i]
		if rule.cal == nil || mark&markTaken == 0 || !rule.inForceAt(now) {
			continue
		}
		dst = append(dst, Timer{Rule: rule.def.ID, Ticket: lt.t.ID})
		tm := &dst[len(dst)-1]
		if mark&markIn == 0 {
			tm.Stage = StageCancelled
			if mark&markFailed != 0 {
				tm.Error = lt.facts[i].scopeErr.Error()
			}
			continue
		}
		e.timerFrom(rule, env, now, tm, true, lt.facts[i].bounds(e, rule, env))
		tm.CalendarChange, tm.CalendarOpens = e.calendarChange(clockCalendar(rule, env), now)
	}
	return dst
}

// timer measures the rule's clock on the ticket of env at now into tm,
// but for the calendar's next change. A stop or a start after now is not
// known at now: the clock has not stopped, or not started. Without
// breachAt, the instant of the breach is left out when the clock has not
// breached: a watch schedules its crossings from the open time left.
func (e *Evaluator) timer(rule *preparedRule, env *dsl.Ticket, now time.Time, tm *Timer, breachAt bool) {
	env.Clock, env.Paused = dsl.Clock{}, nil
	var f ruleFacts
	e.timerFrom(rule, env, now, tm, breachAt, f.bounds(e, rule, env))
}

// timerFrom is timer with the clock's bounds on the ticket already
// evaluated (a live ticket's facts).
func (e *Evaluator) timerFrom(rule *preparedRule, env *dsl.Ticket, now time.Time, tm *Timer, breachAt bool, f *ruleFacts) {
	env.Clock, env.Paused = dsl.Clock{}, nil
	start, stop, err := f.start, f.stop, f.boundsErr
	if err != nil {
		tm.Stage, tm.Error = StageNotStarted, err.Error()
		return
	}
	if start.IsZero() || start.After(now) {
		tm.Stage = StageNotStarted
		return
	}
	if stop.After(now) {
		stop = time.Time{}
	}
	end := stop
	if end.IsZero() {
		end = now
	}
	if err := e.measureElapsed(rule, env, start, stop, end); err != nil {
		tm.Stage, tm.Error = StageNotStarted, err.Error()
		return
	}
	tm.Start, tm.Stop, tm.Elapsed, tm.Budget = start, stop, env.Elapsed, env.Budget
	switch {
	case !stop.IsZero():
		tm.Stage = StageStopped
	case e.pausedAt(rule, env.Ticket, now):
		tm.Stage = StagePaused
	default:
		tm.Stage = StageRunning
	}
	if rule.deadline != nil {
		// The open time measured reaches the budget at the deadline
		// instant: a running clock has breached once it has reached it,
		// as the evaluation counts it; a stopped one when it went past.
		if tm.Stage == StageStopped {
			tm.Breached = !env.OnTime
		} else {
			tm.Breached = env.Elapsed >= env.Budget
		}
		tm.Remaining = max(env.Budget-env.Elapsed, 0)
		if tm.Breached || (tm.Stage == StageRunning && breachAt) {
			env.Deadline = deadlineInstant(env.Calendar, start, env.Budget, env.Paused)
			if env.Deadline.Before(calendar.Never) {
				tm.BreachAt = env.Deadline
			}
		}
	}
	if reason, ok := agreedExclusion(env.Attrs); ok {
		tm.Stage, tm.Excluded = StageExcluded, reason
		return
	}
	if i := f.exclusion(rule, env); i >= 0 {
		tm.Stage, tm.Excluded = StageExcluded, rule.tickets.excl[i].reason
	}
}

// pausedAt tells whether the rule's clock is paused for the ticket at
// now: a pause of the ticket holds then, or its status at now is one the
// rule pauses on.
func (e *Evaluator) pausedAt(rule *preparedRule, t *pacte.Ticket, now time.Time) bool {
	for _, p := range t.Pauses {
		if !p.Start.After(now) && (p.End.IsZero() || p.End.After(now)) {
			return true
		}
	}
	if rule.pauseWhen == nil {
		return false
	}
	// The history is in time order: its last change at or before now,
	// from the end, where it most often is.
	last := len(t.History) - 1
	for last >= 0 && t.History[last].At.After(now) {
		last--
	}
	if last < 0 {
		return false
	}
	e.status.StatusChange = &t.History[last]
	ok, err := rule.pauseWhen(&e.status)
	return err == nil && ok
}

// calendarChange returns the next instant the calendar opens or closes
// after now, and whether it opens then; zero when it never changes. The
// timers of many tickets at one instant ask it of few calendars, in turn:
// the last answer of each of the first few calendars is kept.
func (e *Evaluator) calendarChange(cal *calendar.Calendar, now time.Time) (time.Time, bool) {
	k := &e.change[0]
	for i := range e.change {
		if c := &e.change[i]; c.cal == cal || c.cal == nil {
			k = c
			break
		}
	}
	if k.cal == cal && k.now.Equal(now) {
		return k.at, k.opens
	}
	var at time.Time
	opens := !cal.IsOpen(now)
	if opens {
		at = cal.NextOpening(now)
	} else {
		at = cal.NextClosing(now)
	}
	if at.Equal(calendar.Never) {
		at = time.Time{}
	}
	*k = calendarChange{cal: cal, now: now, at: at, opens: opens}
	return at, opens
}

// calendarChange is an answer of Evaluator.calendarChange kept.
type calendarChange struct {
	cal   *calendar.Calendar
	now   time.Time
	at    time.Time
	opens bool
}
