package pacte

import (
	"errors"
	"fmt"
	"time"

	"github.com/pacte-sla/pacte/calendar"
)

// The instants a record may hold, in unix seconds: the years calendars
// compute ([calendar.MinYear] to [calendar.MaxYear]), less a day at each
// end, so that an instant in range is within those years in every zone.
const (
	MinUnix int64 = -2208902400 // 1900-01-02T00:00:00Z
	MaxUnix int64 = 7257945600  // 2199-12-30T00:00:00Z
)

// InRange reports whether t is zero (an event that did not happen) or
// within [MinUnix, MaxUnix].
func InRange(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	u := t.Unix()
	return u >= MinUnix && u <= MaxUnix
}

// Reasons a record cannot be evaluated. The errors of [CheckTicket],
// [CheckCall], [CheckOutage] and [CheckSample] wrap one of them.
var (
	// ErrMissing: a field the record cannot do without is empty (a
	// ticket's ID or opening instant, a call's offered instant…).
	ErrMissing = errors.New("missing value")
	// ErrOutOfRange: an instant outside [MinUnix, MaxUnix], which no
	// calendar computes (a year 0001 or 9999 written by a tool for
	// "never").
	ErrOutOfRange = errors.New("instant out of range")
	// ErrOrder: two instants of the record contradict each other (resolved
	// before opened, a status history out of time order…).
	ErrOrder = errors.New("instants out of order")
	// ErrConflict: two fields contradict each other (a call both answered
	// and abandoned).
	ErrConflict = errors.New("contradictory values")
)

// InvalidError is why a record cannot be evaluated: the reason, one of
// ErrMissing, ErrOutOfRange, ErrOrder and ErrConflict, and the field at
// fault. The engine refuses such a record; a reader refuses it too, with
// the place of its row, so that the user is told where it came from.
type InvalidError struct {
	Field  string // the JSON name of the field at fault: "opened", "answered"…
	Reason error
	Detail string // the message, with the instants at fault
}

func (e *InvalidError) Error() string { return e.Detail }
func (e *InvalidError) Unwrap() error { return e.Reason }

// stamp writes an instant for a message, in loc when it is set.
func stamp(t time.Time, loc *time.Location) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(time.RFC3339)
}

// before reports whether a happened and happened before b.
func before(a, b time.Time) bool { return !a.IsZero() && a.Compare(b) < 0 }

// named is an instant of a record with its field's name, for the checks
// that look at several.
type named struct {
	field string
	at    time.Time
}

// outOfRange returns the error of the first instant out of range.
func outOfRange(loc *time.Location, instants ...named) error {
	for _, n := range instants {
		if !InRange(n.at) {
			return &InvalidError{Field: n.field, Reason: ErrOutOfRange,
				Detail: fmt.Sprintf("%s (%s) is outside %d–%d", n.field, stamp(n.at, loc), calendar.MinYear, calendar.MaxYear)}
		}
	}
	return nil
}

// order returns the error of an instant before the one it follows.
func order(loc *time.Location, later named, earlier named) error {
	return &InvalidError{Field: later.field, Reason: ErrOrder,
		Detail: fmt.Sprintf("%s (%s) before %s (%s)", later.field, stamp(later.at, loc), earlier.field, stamp(earlier.at, loc))}
}

// CheckTicket reports why the engine cannot evaluate t, as an
// *InvalidError, or nil. loc is the zone instants are written in, in
// messages (the contract's); nil writes them in their own.
func CheckTicket(t *Ticket, loc *time.Location) error {
	switch {
	case t.ID == "":
		return &InvalidError{Field: "id", Reason: ErrMissing, Detail: "ticket without an id"}
	case t.Opened.IsZero():
		return &InvalidError{Field: "opened", Reason: ErrMissing, Detail: "opened is missing"}
	case !InRange(t.Opened) || !InRange(t.Resolved) || !InRange(t.Closed) || !InRange(t.Acknowledged):
		return outOfRange(loc, named{"opened", t.Opened}, named{"resolved", t.Resolved},
			named{"closed", t.Closed}, named{"acknowledged", t.Acknowledged})
	case before(t.Resolved, t.Opened):
		return order(loc, named{"resolved", t.Resolved}, named{"opened", t.Opened})
	case before(t.Closed, t.Opened):
		return order(loc, named{"closed", t.Closed}, named{"opened", t.Opened})
	case before(t.Acknowledged, t.Opened):
		return order(loc, named{"acknowledged", t.Acknowledged}, named{"opened", t.Opened})
	}
	if len(t.History) > 1 {
		// Compared as integers first: this runs for every ticket.
		prev := t.History[0].At.Unix()
		for i := 1; i < len(t.History); i++ {
			at := t.History[i].At.Unix()
			if at < prev || (at == prev && t.History[i].At.Before(t.History[i-1].At)) {
				return &InvalidError{Field: "history", Reason: ErrOrder,
					Detail: fmt.Sprintf("status history out of time order at %s", stamp(t.History[i].At, loc))}
			}
			prev = at
		}
	}
	for _, p := range t.Pauses {
		if p.Start.IsZero() || before(p.End, p.Start) {
			return &InvalidError{Field: "pauses", Reason: ErrOrder,
				Detail: fmt.Sprintf("pause %s–%s ends before it starts", stamp(p.Start, loc), stamp(p.End, loc))}
		}
	}
	return nil
}

// CheckCall reports why the engine cannot evaluate c, as an
// *InvalidError, or nil; loc as for [CheckTicket].
func CheckCall(c *Call, loc *time.Location) error {
	switch {
	case c.ID == "":
		return &InvalidError{Field: "id", Reason: ErrMissing, Detail: "call without an id"}
	case c.Offered.IsZero():
		return &InvalidError{Field: "offered", Reason: ErrMissing, Detail: "offered is missing"}
	case !InRange(c.Offered) || !InRange(c.Answered) || !InRange(c.Ended):
		return outOfRange(loc, named{"offered", c.Offered}, named{"answered", c.Answered}, named{"ended", c.Ended})
	case before(c.Answered, c.Offered):
		return order(loc, named{"answered", c.Answered}, named{"offered", c.Offered})
	case before(c.Ended, c.Offered):
		return order(loc, named{"ended", c.Ended}, named{"offered", c.Offered})
	case !c.Answered.IsZero() && before(c.Ended, c.Answered):
		return order(loc, named{"ended", c.Ended}, named{"answered", c.Answered})
	case c.Abandoned && !c.Answered.IsZero():
		return &InvalidError{Field: "abandoned", Reason: ErrConflict, Detail: "both answered and abandoned"}
	}
	return nil
}

// CheckOutage reports why the engine cannot evaluate o, as an
// *InvalidError, or nil; loc as for [CheckTicket].
func CheckOutage(o *Outage, loc *time.Location) error {
	switch {
	case o.Service == "":
		return &InvalidError{Field: "service", Reason: ErrMissing, Detail: "outage without a service"}
	case o.Start.IsZero():
		return &InvalidError{Field: "start", Reason: ErrMissing, Detail: "start is missing"}
	case !InRange(o.Start) || !InRange(o.End) || !InRange(o.Announced):
		return outOfRange(loc, named{"start", o.Start}, named{"end", o.End}, named{"announced", o.Announced})
	case before(o.End, o.Start):
		return &InvalidError{Field: "end", Reason: ErrOrder, Detail: "ends before it starts"}
	}
	return nil
}

// CheckSample reports why the engine cannot evaluate s, as an
// *InvalidError, or nil; loc as for [CheckTicket].
func CheckSample(s *Sample, loc *time.Location) error {
	switch {
	case s.Name == "":
		return &InvalidError{Field: "name", Reason: ErrMissing, Detail: "sample without a name"}
	case s.At.IsZero():
		return &InvalidError{Field: "at", Reason: ErrMissing, Detail: "sample without an instant"}
	case !InRange(s.At):
		return outOfRange(loc, named{"at", s.At})
	}
	return nil
}
