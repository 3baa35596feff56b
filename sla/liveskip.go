package sla

import (
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/calendar"
)

// An update of an open ticket most often changes a field no rule reads
// (its assignment group, a comment's attribute): the scopes, the clocks'
// bounds and the timers of the ticket are then what they were, and the
// table keeps them rather than evaluating them again. Which fields the
// rules read is found in their texts: a field is read when one of the
// expressions of a ticket rule that the live table evaluates (its scope,
// its clock's start and stop, the keys of its deadline's and calendar's
// tables, its exclusions) names it, or reads the whole record ($env). A
// name in a string or of a link's field counts too: it only costs time.
// The fields the engine reads itself (the instants, the history, which a
// pause condition reads, the pauses, the reopenings, the links, which the
// language's functions read, and an agreed exclusion in the attributes)
// are always compared. An update that changes only those (a status, an
// acknowledgement, a resolution) keeps the outcomes of the scopes that
// read text fields alone, and evaluates the clocks again.

// fieldSet is a set of the optional fields of a ticket, those only
// expressions read, by their bit.
type fieldSet uint16

const (
	fieldKind fieldSet = 1 << iota
	fieldPriority
	fieldService
	fieldCategory
	fieldGroup
	fieldLevel
	fieldStatus
	fieldSatisfaction
	fieldExclusion
	fieldAttrs
	fieldReopenCount
	fieldReassignmentCount
)

// optionalFields names the optional fields as expressions do.
var optionalFields = [...]struct {
	name string
	bit  fieldSet
}{
	{"kind", fieldKind}, {"priority", fieldPriority}, {"service", fieldService}, {"category", fieldCategory},
	{"group", fieldGroup}, {"level", fieldLevel}, {"status", fieldStatus}, {"satisfaction", fieldSatisfaction},
	{"exclusion", fieldExclusion}, {"attrs", fieldAttrs},
	{"reopen_count", fieldReopenCount}, {"reassignment_count", fieldReassignmentCount},
}

// readFields returns the optional fields the live table's expressions
// may read.
func readFields(e *Evaluator) fieldSet {
	var texts []string
	for _, rule := range e.ticketRules {
		r := &rule.def
		texts = append(texts, r.Scope.Text)
		if r.Clock != nil {
			texts = append(texts, r.Clock.Start.Text, r.Clock.Stop.Text)
			if r.Clock.ByItem != nil {
				texts = append(texts, r.Clock.ByItem.Key.Text)
			}
		}
		if r.Deadline != nil && r.Deadline.ByItem != nil {
			texts = append(texts, r.Deadline.ByItem.Key.Text)
		}
		for _, ex := range r.Exclusions {
			texts = append(texts, ex.When.Text)
		}
	}
	var read fieldSet
	for _, f := range optionalFields {
		named := regexp.MustCompile(`(^|[^A-Za-z0-9_])(` + f.name + `|\$env)([^A-Za-z0-9_]|$)`)
		if slices.ContainsFunc(texts, named.MatchString) {
			read |= f.bit
		}
	}
	return read
}

// sameIn tells whether two versions of a ticket have the same values of
// the optional fields of the set.
func sameIn(a, b *pacte.Ticket, set fieldSet) bool {
	has := func(f fieldSet) bool { return set&f != 0 }
	return (!has(fieldKind) || a.Kind == b.Kind) && (!has(fieldPriority) || a.Priority == b.Priority) &&
		(!has(fieldService) || a.Service == b.Service) && (!has(fieldCategory) || a.Category == b.Category) &&
		(!has(fieldGroup) || a.Group == b.Group) && (!has(fieldLevel) || a.Level == b.Level) &&
		(!has(fieldStatus) || a.Status == b.Status) && (!has(fieldSatisfaction) || a.Satisfaction.Equal(b.Satisfaction)) &&
		(!has(fieldExclusion) || a.Exclusion == b.Exclusion) && (!has(fieldAttrs) || maps.Equal(a.Attrs, b.Attrs)) &&
		(!has(fieldReopenCount) || a.ReopenCount == b.ReopenCount) &&
		(!has(fieldReassignmentCount) || a.ReassignmentCount == b.ReassignmentCount) &&
		sameAgreedExclusion(a.Attrs, b.Attrs)
}

// sameAgreedExclusion tells whether two versions of a ticket carry the
// same agreed exclusion, or none.
func sameAgreedExclusion(a, b map[string]string) bool {
	ra, oka := agreedExclusion(a)
	rb, okb := agreedExclusion(b)
	return oka == okb && (!oka || ra == rb)
}

// sameTexts tells whether a new version of a ticket has the old one's
// values of every field the live table reads but its dated lists and
// instants: the optional fields the rules read, the links and an agreed
// exclusion. The scopes that read text fields alone then say what they
// said (see Live.scope).
func (l *Live) sameTexts(old, t *pacte.Ticket) bool {
	return sameIn(old, t, l.read) && slices.EqualFunc(old.Links, t.Links, func(a, b pacte.Link) bool {
		return a.ID == b.ID && a.Kind == b.Kind && a.Priority == b.Priority && sameInstant(a.Resolved, b.Resolved)
	})
}

// sameDates tells whether two versions of a ticket have the same
// instants, status history, pauses and reopenings: with sameTexts, the
// new one reads as the old one to the live table's expressions and clocks.
func sameDates(old, t *pacte.Ticket) bool {
	return sameInstant(old.Opened, t.Opened) && sameInstant(old.Acknowledged, t.Acknowledged) &&
		sameInstant(old.Resolved, t.Resolved) && sameInstant(old.Closed, t.Closed) &&
		slices.EqualFunc(old.History, t.History, func(a, b pacte.StatusChange) bool { return a.Status == b.Status && sameInstant(a.At, b.At) }) &&
		slices.EqualFunc(old.Pauses, t.Pauses, func(a, b pacte.Interval) bool { return sameInstant(a.Start, b.Start) && sameInstant(a.End, b.End) }) &&
		slices.EqualFunc(old.Reopened, t.Reopened, sameInstant)
}

// sameInstant is a.Equal(b), quicker for the copies of one value an
// update most often holds.
func sameInstant(a, b time.Time) bool { return a == b || a.Equal(b) }

// clockReads finds, in an exclusion's text, the names of the clock's
// measures, which change as time passes with the ticket unchanged.
var clockReads = regexp.MustCompile(`(^|[^A-Za-z0-9_])(start|stop|elapsed|budget|deadline|late|on_time|elapsed_between|\$env)([^A-Za-z0-9_]|$)`)

// readsClock tells whether an exclusion of a ticket rule with a clock
// may read its measures: its outcome may then change between two updates
// of an unchanged ticket.
func readsClock(e *Evaluator) bool {
	for _, rule := range e.ticketRules {
		if rule.cal == nil {
			continue
		}
		for _, ex := range rule.def.Exclusions {
			if clockReads.MatchString(ex.When.Text) {
				return true
			}
		}
	}
	return false
}

// nextDated returns the first instant after from at which something of
// an entry's ticket is dated: a clock's start or stop, a pause's edge, a
// status change, a reopening; Never when nothing is. Until then its
// clocks only run on, or stay paused.
func nextDated(lt *liveTicket, from time.Time) time.Time {
	next := calendar.Never
	consider := func(t time.Time) {
		if t.After(from) && t.Before(next) {
			next = t
		}
	}
	for i, mark := range lt.marks {
		if mark&markIn == 0 {
			continue
		}
		if f := &lt.facts[i]; f.bounded {
			consider(f.start)
			consider(f.stop)
		}
	}
	t := &lt.t
	for _, p := range t.Pauses {
		consider(p.Start)
		consider(p.End)
	}
	// The history is in time order (the ticket's checks say so): from
	// its end, the changes after from.
	for i := len(t.History) - 1; i >= 0 && t.History[i].At.After(from); i-- {
		consider(t.History[i].At)
	}
	for _, at := range t.Reopened {
		consider(at)
	}
	return next
}
