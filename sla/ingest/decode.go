package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/records"
	"github.com/shopspring/decimal"
)

// decoder turns rows into records for one reader. It is not shared
// between readers: it memoises priorities as it goes.
type decoder struct {
	c      *compiled
	loc    *time.Location
	source string
	prio   map[string]string
}

// maxMemo bounds the priority memo, so that a column of distinct values
// cannot grow it without limit.
const maxMemo = 1024

func newDecoder(c *compiled, loc *time.Location, source string) *decoder {
	return &decoder{c: c, loc: loc, source: source, prio: make(map[string]string)}
}

// cells reads the fields of one row and keeps the first error met, so
// that the record decoders read as a list of fields rather than a ladder
// of error checks.
type cells struct {
	d       *decoder
	p       *plan
	vals    []string
	line    int
	err     error
	errFrom field
}

func (r *cells) fail(f field, err error) {
	if r.err == nil {
		r.err, r.errFrom = err, f
	}
}

// get returns the trimmed value of f, or its default; ok is false when
// the value is missing.
func (r *cells) get(f field) (string, bool) {
	if i := r.p.col[f]; i >= 0 && i < len(r.vals) {
		if v := trim(r.vals[i]); !r.d.c.isMissing(v) {
			return v, true
		}
	}
	if r.d.c.hasDefault[f] {
		return r.d.c.defaults[f], true
	}
	return "", false
}

func (r *cells) has(f field) bool {
	_, ok := r.get(f)
	return ok
}

func (r *cells) str(f field) string {
	v, _ := r.get(f)
	return v
}

func (r *cells) time(f field) time.Time {
	v, ok := r.get(f)
	if !ok {
		return time.Time{}
	}
	t, err := r.d.c.parseTime(v, r.d.loc)
	if err != nil {
		r.fail(f, err)
	}
	return t
}

func (r *cells) boolean(f field) bool { return parsed(r, f, false, parseBool) }

func (r *cells) decimal(f field) decimal.Decimal {
	return parsed(r, f, decimal.Decimal{}, parseDecimal)
}

func (r *cells) level() int { return parsed(r, fLevel, 0, parseLevel) }

// parsed reads f with parse: missing when the value is missing, what
// parse gives, and the row's error, when it is bad.
func parsed[T any](r *cells, f field, missing T, parse func(string) (T, error)) T {
	v, ok := r.get(f)
	if !ok {
		return missing
	}
	x, err := parse(v)
	if err != nil {
		r.fail(f, err)
	}
	return x
}

// count returns -1 when the value is missing, since 0 is a real count.
func (r *cells) count(f field) int64 {
	v, ok := r.get(f)
	if !ok {
		return -1
	}
	n, err := parseCount(v)
	if err != nil {
		r.fail(f, err)
		return -1
	}
	return n
}

func (r *cells) priority() string {
	v, ok := r.get(fPriority)
	if !ok {
		return ""
	}
	if p, ok := r.d.c.priorities[v]; ok {
		return p
	}
	if p, ok := r.d.prio[v]; ok {
		return p
	}
	p, err := r.d.c.normalisePriority(v)
	if err != nil {
		r.fail(fPriority, err)
		return ""
	}
	if len(r.d.prio) < maxMemo {
		r.d.prio[strings.Clone(v)] = p
	}
	return p
}

func (r *cells) kind() string { return r.named(fKind, r.d.c.kinds, r.d.c.kindsFolded) }

func (r *cells) status() string { return r.named(fStatus, r.d.c.statuses, r.d.c.statusesFolded) }

// named reads field f and gives the name the mapping gives its value, or
// the value as written when the mapping names it not.
func (r *cells) named(f field, exact, folded map[string]string) string {
	v, ok := r.get(f)
	if !ok {
		return ""
	}
	if name, ok := lookup(exact, folded, v); ok {
		return name
	}
	return v
}

// attrs collects the unmapped columns that have a value. It allocates
// only when there is one, so that a fully mapped export costs no map per
// row.
func (r *cells) attrs() map[string]string {
	p := r.p
	var m map[string]string
	for i, col := range p.attrCols {
		if col >= len(r.vals) {
			continue
		}
		v := trim(r.vals[col])
		if r.d.c.isMissing(v) {
			continue
		}
		if m == nil {
			m = make(map[string]string, len(p.attrCols)-i)
		}
		name := p.attrNames[i]
		if p.attrDup {
			if prev, ok := m[name]; ok {
				v = prev + "; " + v
			}
		}
		m[name] = v
	}
	return m
}

// trim is strings.TrimSpace with a fast path for the usual cell, which
// has nothing to trim: it is called for every cell read.
func trim(v string) string {
	if n := len(v); n == 0 || (v[0] > ' ' && v[0] < utf8.RuneSelf && v[n-1] > ' ' && v[n-1] < utf8.RuneSelf) {
		return v
	}
	return strings.TrimSpace(v)
}

// rejection builds the RecordError of a row. The ID is copied so that
// the error does not pin the whole row in memory.
func (d *decoder) rejection(line int, id, column string, err error) *pacte.RecordError {
	return &pacte.RecordError{Source: d.source, Line: line, Column: column, ID: strings.Clone(id), Err: err}
}

func (r *cells) rejection(id string) *pacte.RecordError {
	col := r.errFrom.String()
	if i := r.p.col[r.errFrom]; i >= 0 {
		col = r.p.colName[r.errFrom]
	}
	return r.d.rejection(r.line, id, col, r.err)
}

// ticketFields reads the fields every ticket row has, flat or event log.
func (r *cells) ticketFields() pacte.Ticket {
	t := pacte.Ticket{
		ID:           r.str(fID),
		Kind:         r.kind(),
		Priority:     r.priority(),
		Service:      r.str(fService),
		Category:     r.str(fCategory),
		Group:        r.str(fGroup),
		Level:        r.level(),
		Opened:       r.time(fOpened),
		Acknowledged: r.time(fAcknowledged),
		Resolved:     r.time(fResolved),
		Closed:       r.time(fClosed),
		Status:       r.status(),
		Satisfaction: r.decimal(fSatisfaction),
		Exclusion:    r.str(fExclusion),
		Attrs:        r.attrs(),
	}
	t.ReopenCount = int(max(r.count(fReopenCount), 0))
	t.ReassignmentCount = int(max(r.count(fReassignmentCount), 0))
	if p := r.str(fProblem); p != "" {
		t.Links = []pacte.Link{{ID: p, Kind: "problem"}}
	}
	return t
}

// decodeRow reads one record from a row. The record types are told
// apart by a type switch rather than through function values: calls
// through function values make the compiler move the record and its
// cells to the heap, two allocations per row on the hot path.
func decodeRow[T any](d *decoder, rw row) (T, *pacte.RecordError) {
	var t T
	if rw.raw != nil {
		return decodeNative[T](d, rw)
	}
	r := cells{d: d, p: rw.plan, vals: rw.vals, line: rw.line}
	fill(&r, &t)
	if r.err == nil {
		if name, err := d.check(&t, &r); err != nil {
			// A mapped record has no history nor pauses: the field at
			// fault is one of its columns.
			f, _ := fieldNamed(name)
			r.fail(f, err)
		}
	}
	if r.err != nil {
		rej := r.rejection(records.ID(&t))
		var zero T
		return zero, rej
	}
	return t, nil
}

// fill reads the fields of the record dst points to.
func fill(r *cells, dst any) {
	switch t := dst.(type) {
	case *pacte.Ticket:
		*t = r.ticketFields()
	case *pacte.Call:
		*t = pacte.Call{
			ID:           r.str(fID),
			Queue:        r.str(fQueue),
			Offered:      r.time(fOffered),
			Answered:     r.time(fAnswered),
			Ended:        r.time(fEnded),
			Abandoned:    r.boolean(fAbandoned),
			FirstContact: r.boolean(fFirstContact),
			Agent:        r.str(fAgent),
			Attrs:        r.attrs(),
		}
	case *pacte.Outage:
		*t = pacte.Outage{
			ID:        r.str(fID),
			Service:   r.str(fService),
			Start:     r.time(fStart),
			End:       r.time(fEnd),
			Planned:   r.boolean(fPlanned),
			Announced: r.time(fAnnounced),
			Attrs:     r.attrs(),
		}
	case *pacte.Sample:
		*t = pacte.Sample{
			ID:    r.str(fID),
			Name:  r.str(fName),
			At:    r.time(fAt),
			Value: r.decimal(fValue),
			Attrs: r.attrs(),
		}
	}
}

// check refuses what the engine would refuse (pacte.CheckTicket and its
// kin: a missing required field, an instant out of range or out of
// order…), so that such a record is refused here, with its row's place,
// rather than by the engine without one; and a sample without a value. r
// is nil for records decoded natively, whose missing values cannot be
// told from zero ones. It returns the JSON name of the field at fault.
func (d *decoder) check(rec any, r *cells) (string, error) {
	var err error
	switch t := rec.(type) {
	case *pacte.Ticket:
		err = pacte.CheckTicket(t, d.loc)
	case *pacte.Call:
		err = pacte.CheckCall(t, d.loc)
	case *pacte.Outage:
		err = pacte.CheckOutage(t, d.loc)
	case *pacte.Sample:
		err = pacte.CheckSample(t, d.loc)
		if err == nil && r != nil && !r.has(fValue) {
			// A survey not answered is not a score of zero.
			return fValue.String(), ErrMissing
		}
	}
	return refusal(err)
}

// refusal gives the engine's refusal of a record the reader's codes: the
// same reason, so that errors.Is finds both.
func refusal(err error) (string, error) {
	if err == nil {
		return "", nil
	}
	var inv *pacte.InvalidError
	if !errors.As(err, &inv) {
		return "", err
	}
	switch {
	case errors.Is(inv, pacte.ErrMissing):
		return inv.Field, ErrMissing // the column says which
	case errors.Is(inv, pacte.ErrOrder):
		return inv.Field, fmt.Errorf("%w: %w", ErrOrder, inv)
	}
	return inv.Field, fmt.Errorf("%w: %w", inv.Reason, inv) // ErrOutOfRange, ErrConflict are pacte's
}

// decodeNative reads a row of pacte's own JSON. Unknown keys refuse the
// row: in a format meant to round-trip, they are typos.
func decodeNative[T any](d *decoder, rw row) (T, *pacte.RecordError) {
	var t, zero T
	dec := json.NewDecoder(bytes.NewReader(rw.raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		col, at := "", 0
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te):
			col, at = te.Field, int(te.Offset)
		case errors.As(err, &se):
			at = int(se.Offset)
		default:
			// A field's own decoding failed (time.Time, decimal), which
			// encoding/json does not place: find the field.
			col, at = failingField[T](rw.raw)
		}
		if at > 0 {
			return zero, d.rejection(rw.line, "", col, fmt.Errorf("%w at column %d: %v", ErrSyntax, rw.lead+at, err))
		}
		return zero, d.rejection(rw.line, "", col, fmt.Errorf("%w: %v", ErrSyntax, err))
	}
	if dec.More() {
		return zero, d.rejection(rw.line, records.ID(&t), "", fmt.Errorf("%w at column %d: text after the object", ErrSyntax, rw.lead+int(dec.InputOffset())+1))
	}
	if name, err := d.check(&t, nil); err != nil {
		return zero, d.rejection(rw.line, records.ID(&t), name, err)
	}
	inZone(&t, d.loc)
	return t, nil
}

// failingField finds the top-level key of a JSON object whose value alone
// fails to decode into a T, and the 1-based byte where that value starts;
// "" and 0 when none does. It is the error path only.
func failingField[T any](raw []byte) (string, int) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", 0
	}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return "", 0
		}
		start := int(dec.InputOffset())
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return "", 0
		}
		// The value starts after the colon and the spaces that follow the key.
		for start < len(raw) && (raw[start] == ':' || raw[start] == ' ' || raw[start] == '\t') {
			start++
		}
		one, err := json.Marshal(map[string]json.RawMessage{key: value})
		if err != nil {
			return "", 0
		}
		var t T
		if json.Unmarshal(one, &t) != nil {
			return key, start + 1
		}
	}
	return "", 0
}

// inZone moves the instants of a natively decoded record into the
// reader's zone, as the mapped readers return them, so that a record
// reads the same whichever way it came in.
func inZone(rec any, loc *time.Location) {
	in := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	switch t := rec.(type) {
	case *pacte.Ticket:
		for _, p := range []*time.Time{&t.Opened, &t.Acknowledged, &t.Resolved, &t.Closed} {
			in(p)
		}
		for i := range t.History {
			in(&t.History[i].At)
		}
		for i := range t.Pauses {
			in(&t.Pauses[i].Start)
			in(&t.Pauses[i].End)
		}
		for i := range t.Reopened {
			in(&t.Reopened[i])
		}
		for i := range t.Links {
			in(&t.Links[i].Resolved)
		}
	case *pacte.Call:
		in(&t.Offered)
		in(&t.Answered)
		in(&t.Ended)
	case *pacte.Outage:
		in(&t.Start)
		in(&t.End)
		in(&t.Announced)
	case *pacte.Sample:
		in(&t.At)
	}
}
