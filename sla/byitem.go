package sla

import (
	"fmt"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
)

// itemClock is what a rule's clock takes of each ticket from the tables
// of the contract: its calendar, its deadline, or both. The evaluation,
// the live timers, the watch and the margin all measure through
// [preparedRule.clockOf], so that they agree.
type itemClock struct {
	calendars   *contract.Lookup[contract.NamedCalendar]
	calendarKey *fast.Program[dsl.Ticket]
	deadlines   *contract.Lookup[contract.Deadline]
	deadlineKey *fast.Program[dsl.Ticket]
}

// prepareItemClock prepares the lookups of a rule's clock; nil when its
// calendar and deadline are the same for every ticket.
func prepareItemClock(r contract.Rule, cals fast.Calendars, interrupt fast.Option) (*itemClock, error) {
	ic := &itemClock{}
	if r.Clock != nil && r.Clock.ByItem != nil {
		key, err := compiled[dsl.Ticket](r.Clock.ByItem.Key, cals, interrupt)
		if err != nil {
			return nil, err
		}
		ic.calendars, ic.calendarKey = r.Clock.ByItem, key
	}
	if r.Deadline != nil && r.Deadline.ByItem != nil {
		key, err := compiled[dsl.Ticket](r.Deadline.ByItem.Key, cals, interrupt)
		if err != nil {
			return nil, err
		}
		ic.deadlines, ic.deadlineKey = r.Deadline.ByItem, key
	}
	if ic.calendars == nil && ic.deadlines == nil {
		return nil, nil
	}
	return ic, nil
}

// placeholderCalendar is the calendar a rule whose clock takes its
// calendar from a table keeps as its own: the table's default, else the
// value of its last key in key order (All gives the default last). The
// engine measures each ticket on its own (clockOf); the rule's own only
// says that the rule has a clock.
func placeholderCalendar(l *contract.Lookup[contract.NamedCalendar]) *calendar.Calendar {
	if all := l.All(); len(all) > 0 {
		return all[len(all)-1].Cal
	}
	return nil
}

// clockOf returns the calendar and the deadline of the rule's clock for
// the ticket of env: the rule's own, or those its tables give the ticket.
// A key a table does not list, when it has no default, is an error of the
// item.
func (rule *preparedRule) clockOf(env *dsl.Ticket) (*calendar.Calendar, *contract.Deadline, error) {
	ic := rule.byItem
	if ic == nil {
		return rule.cal, rule.deadline, nil
	}
	cal, deadline := rule.cal, rule.deadline
	if ic.calendars != nil {
		nc, err := lookupItem(ic.calendars, ic.calendarKey, env, "calendar")
		if err != nil {
			return nil, nil, err
		}
		cal = nc.Cal
	}
	if ic.deadlines != nil {
		d, err := lookupItem(ic.deadlines, ic.deadlineKey, env, "deadline")
		if err != nil {
			return nil, nil, err
		}
		deadline = &d
	}
	return cal, deadline, nil
}

// lookupItem finds the value of a ticket's key in a table.
func lookupItem[V any](l *contract.Lookup[V], key *fast.Program[dsl.Ticket], env *dsl.Ticket, what string) (V, error) {
	var zero V
	k, err := key.Eval(env)
	if err != nil {
		return zero, fmt.Errorf("%s: key of table %s: %w", what, l.Table, err)
	}
	s, ok := k.(string)
	if !ok {
		return zero, fmt.Errorf("%s: key of table %s is %T, not a text", what, l.Table, k)
	}
	v, ok := l.Find(s)
	if !ok {
		return zero, &contract.MissingKeyError{Table: l.Table, Key: s, What: what}
	}
	return v, nil
}

// clockCalendar is the calendar the rule's clock last measured the ticket
// of env on, or the rule's when it has not measured it.
func clockCalendar(rule *preparedRule, env *dsl.Ticket) *calendar.Calendar {
	if env.Calendar != nil {
		return env.Calendar
	}
	return rule.cal
}
