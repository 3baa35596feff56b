package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
)

// MaxEventRows bounds the rows held for one event-log ticket, so that a
// file whose every row carries the same number cannot be held whole.
// The ServiceNow event log's busiest incident has a few dozen rows.
const MaxEventRows = 100_000

// eventRow is one readable row of an event log.
type eventRow struct {
	line    int
	updated time.Time
	seq     int64 // -1 when missing
	reopens int64 // -1 when missing
	t       pacte.Ticket
	// The row gives a satisfaction, a level: their zero is a value, which
	// the ticket's field cannot tell from none.
	hasSatisfaction, hasLevel bool
}

// eventLog rebuilds tickets from their contiguous rows.
type eventLog struct {
	rd   *Reader[pacte.Ticket]
	seen map[string]int // ticket number → line of its first row
	id   string         // ticket being gathered
	// splitFrom is the first line of an earlier run of rows of the
	// current ticket, or 0: when set, its rows are refused.
	splitFrom int
	rows      []eventRow
	plan      *plan // for column names in messages
}

func readEvents(rd *Reader[pacte.Ticket], src source, yield func(pacte.Ticket) bool) {
	el := &eventLog{rd: rd, seen: make(map[string]int)}
	for {
		rw, err := src.next()
		if err == io.EOF {
			el.flush(yield)
			return
		}
		if err != nil {
			var re *rowError
			if !errors.As(err, &re) {
				el.abandon() // the rows gathered are accounted for before the stop
			}
			if rd.malformed(err) {
				el.abandon()
				return
			}
			continue
		}

		el.plan = rw.plan
		r := cells{d: rd.dec, p: rw.plan, vals: rw.vals, line: rw.line}
		t := r.ticketFields()
		updated := r.time(fUpdated)
		seq := r.count(fSequence)
		reopens := r.count(fReopenCount)
		switch {
		case t.ID == "":
			r.fail(fID, ErrMissing)
		case updated.IsZero():
			r.fail(fUpdated, ErrMissing)
		}

		if t.ID != "" && t.ID != el.id {
			if !el.flush(yield) {
				return
			}
			el.start(t.ID, rw.line)
		}
		var rej *pacte.RecordError
		switch {
		case r.err != nil:
			rej = r.rejection(t.ID)
		case el.splitFrom > 0:
			rej = rd.dec.rejection(rw.line, t.ID, "", fmt.Errorf(
				"%w: rows of %s already appeared from line %d, with rows of other tickets since; sort or group the export by ticket",
				ErrSplitTicket, t.ID, el.splitFrom))
		case len(el.rows) >= MaxEventRows:
			rej = rd.dec.rejection(rw.line, t.ID, "", fmt.Errorf("%w: %s has more than %d rows", ErrTooManyEvents, t.ID, MaxEventRows))
		}
		if rej != nil {
			rd.stats.Rows++
			if rd.reject(rej) {
				el.abandon()
				return
			}
			continue
		}
		el.rows = append(el.rows, eventRow{line: rw.line, updated: updated, seq: seq, reopens: reopens, t: t,
			hasSatisfaction: r.has(fSatisfaction), hasLevel: r.has(fLevel)})
	}
}

func (el *eventLog) start(id string, line int) {
	el.id = id
	el.splitFrom = 0
	if first, met := el.seen[id]; met {
		el.splitFrom = first
		return
	}
	el.seen[strings.Clone(id)] = line
}

// flush yields (or refuses) the ticket gathered so far. It reports
// whether reading goes on.
func (el *eventLog) flush(yield func(pacte.Ticket) bool) bool {
	n := len(el.rows)
	if n == 0 {
		return true
	}
	t, rej := el.build()
	el.reset()
	rd := el.rd
	rd.stats.Rows += n
	if rej != nil {
		return !rd.rejectRows(rej, n)
	}
	rd.stats.Accepted += n
	rd.stats.Records++
	return yield(t)
}

// abandon refuses the rows gathered for a ticket when reading stops
// before its end: the ticket may be incomplete, and its rows must still
// be accounted for.
func (el *eventLog) abandon() {
	n := len(el.rows)
	if n == 0 {
		return
	}
	first := slices.MinFunc(el.rows, func(a, b eventRow) int { return cmp.Compare(a.line, b.line) }).line
	rd := el.rd
	rd.stats.Rows += n
	rd.stats.Rejected += n
	rd.rejected = append(rd.rejected, rd.dec.rejection(first, el.id, "",
		fmt.Errorf("%w: ticket not built from its %d rows, which may not be all", ErrStopped, n)))
	el.reset()
}

func (el *eventLog) reset() {
	clear(el.rows) // let the rows' strings go
	if cap(el.rows) > 4096 {
		el.rows = nil
	} else {
		el.rows = el.rows[:0]
	}
}

// build replays the rows of one ticket in time order.
func (el *eventLog) build() (pacte.Ticket, *pacte.RecordError) {
	rows := el.rows
	firstLine := slices.MinFunc(rows, func(a, b eventRow) int { return cmp.Compare(a.line, b.line) }).line
	slices.SortStableFunc(rows, func(a, b eventRow) int {
		if c := a.updated.Compare(b.updated); c != 0 {
			return c
		}
		if c := cmp.Compare(a.seq, b.seq); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})

	c := el.rd.c
	var (
		t                      pacte.Ticket
		status                 string
		paused                 bool
		pauseStart             time.Time
		doneSince, closedSince time.Time
		reopens                int64
		baseReopens            int64 = -1
		reassignments          int
	)
	for i := range rows {
		r := &rows[i]
		if g := r.t.Group; g != "" && t.Group != "" && g != t.Group {
			reassignments++
		}
		mergeLast(&t, r)
		reopenedHere := false
		if s := r.t.Status; s != "" && !strings.EqualFold(s, status) {
			t.History = append(t.History, pacte.StatusChange{At: r.updated, Status: s})
			if p := containsFold(c.pause, s); p != paused {
				if p {
					pauseStart = r.updated
				} else {
					t.Pauses = append(t.Pauses, pacte.Interval{Start: pauseStart, End: r.updated})
				}
				paused = p
			}
			wasDone, isDone := status != "" && c.isDone(status), c.isDone(s)
			if wasDone && !isDone {
				t.Reopened = append(t.Reopened, r.updated)
				reopens++
				reopenedHere = true
			}
			if isDone && !wasDone {
				doneSince = r.updated
			}
			if containsFold(c.closed, s) && !containsFold(c.closed, status) {
				closedSince = r.updated
			}
			status = s
		}
		if r.reopens >= 0 {
			switch {
			case baseReopens < 0:
				baseReopens = r.reopens - reopens
			case r.reopens-baseReopens > reopens && !reopenedHere:
				t.Reopened = append(t.Reopened, r.updated)
				reopens++
			}
		}
	}
	if paused {
		t.Pauses = append(t.Pauses, pacte.Interval{Start: pauseStart})
	}
	// The counts: the export's, which may count what happened before the
	// log starts, or those the replay saw, whichever is more.
	t.ReopenCount = max(t.ReopenCount, int(reopens))
	t.ReassignmentCount = max(t.ReassignmentCount, reassignments)
	t.Status = status
	takeBackStops(&t)
	var inferred []string
	if t.Resolved.IsZero() && status != "" && c.isDone(status) {
		t.Resolved = doneSince
		inferred = append(inferred, "resolved")
	}
	if t.Closed.IsZero() && containsFold(c.closed, status) {
		t.Closed = closedSince
		inferred = append(inferred, "closed")
	}
	if len(inferred) > 0 {
		if t.Attrs == nil {
			t.Attrs = map[string]string{}
		}
		t.Attrs[pacte.AttrInferred] = strings.Join(inferred, ",")
	}
	if name, err := el.rd.dec.check(&t, nil); err != nil {
		return pacte.Ticket{}, el.rd.dec.rejection(firstLine, t.ID, el.column(name),
			fmt.Errorf("%w (ticket refused with its %d rows)", err, len(rows)))
	}
	return t, nil
}

// takeBackStops clears a resolution or closure the rows gave at or before
// the ticket's last reopening: the reopening took it back, whether the
// tool cleared its column then or kept the old value. The ticket is open
// again, or resolved when it last entered a done status (inferred by
// build). Kept, it would stop the clocks of a ticket still open.
func takeBackStops(t *pacte.Ticket) {
	n := len(t.Reopened)
	if n == 0 {
		return
	}
	last := t.Reopened[n-1]
	if !t.Resolved.After(last) {
		t.Resolved = time.Time{}
	}
	if !t.Closed.After(last) {
		t.Closed = time.Time{}
	}
}

// column names the column of a field (by its JSON name), or the field.
func (el *eventLog) column(name string) string {
	if f, ok := fieldNamed(name); ok && el.plan != nil && el.plan.col[f] >= 0 {
		return el.plan.colName[f]
	}
	return name
}

// isDone tells a resolved or closed status.
func (c *compiled) isDone(s string) bool {
	return containsFold(c.resolved, s) || containsFold(c.closed, s)
}

// mergeLast overwrites dst's fields with the values the row has: the
// fields of a ticket take their last known value.
func mergeLast(dst *pacte.Ticket, row *eventRow) {
	src := &row.t
	setString := func(d *string, s string) {
		if s != "" {
			*d = s
		}
	}
	setTime := func(d *time.Time, s time.Time) {
		if !s.IsZero() {
			*d = s
		}
	}
	setString(&dst.ID, src.ID)
	setString(&dst.Kind, src.Kind)
	setString(&dst.Priority, src.Priority)
	setString(&dst.Service, src.Service)
	setString(&dst.Category, src.Category)
	setString(&dst.Group, src.Group)
	setString(&dst.Status, src.Status)
	setString(&dst.Exclusion, src.Exclusion)
	if row.hasLevel {
		dst.Level = src.Level // a level 0 too
	}
	if src.ReopenCount != 0 {
		dst.ReopenCount = src.ReopenCount
	}
	if src.ReassignmentCount != 0 {
		dst.ReassignmentCount = src.ReassignmentCount
	}
	setTime(&dst.Opened, src.Opened)
	setTime(&dst.Acknowledged, src.Acknowledged)
	setTime(&dst.Resolved, src.Resolved)
	setTime(&dst.Closed, src.Closed)
	if row.hasSatisfaction {
		dst.Satisfaction = src.Satisfaction // a score of 0 too
	}
	if len(src.Links) > 0 {
		dst.Links = src.Links
	}
	if len(src.Attrs) > 0 {
		if dst.Attrs == nil {
			dst.Attrs = make(map[string]string, len(src.Attrs))
		}
		maps.Copy(dst.Attrs, src.Attrs)
	}
}
