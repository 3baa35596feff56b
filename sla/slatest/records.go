package slatest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// slot is an instant of a record as written, and where it goes.
type slot struct {
	name  string       // "resolved", "history[2].at"
	spec  string       // as written
	expr  *instantExpr // read from spec; nil until then, or when it cannot be
	node  *yaml.Node   // where it is written; nil from the Go builders
	dst   *time.Time
	state int8 // 0 to do, 1 being read, 2 done, 3 failed
}

// record is the instants of one record, read once every field is known,
// since one may count from another.
type record struct {
	first string           // the field relative instants count from by default
	named map[string]*slot // the record's own instant fields
	slots []*slot          // every instant, in the order written
}

func newRecord(first string) *record { return &record{first: first, named: map[string]*slot{}} }

// add adds an instant; top-level fields are named so that others may count
// from them.
func (r *record) add(name, spec string, node *yaml.Node, dst *time.Time, named bool) *slot {
	s := &slot{name: name, spec: spec, node: node, dst: dst}
	r.slots = append(r.slots, s)
	if named {
		r.named[name] = s
	}
	return s
}

// errCycle is an instant that counts from itself, through other fields.
var errCycle = errors.New("counts from itself")

// resolve reads every instant of the record, its absolute instants moved
// by shift; fail is called once for each that cannot be read.
func (k *Clock) resolve(r *record, shift time.Duration, consts constants, fail func(s *slot, err error)) {
	for _, s := range r.slots {
		s.state = 0
	}
	var read func(s *slot) error
	anchor := func(name string) (time.Time, error) {
		if name == "" {
			name = r.first
		}
		a, ok := r.named[name]
		if !ok {
			if name == r.first {
				return time.Time{}, fmt.Errorf("%s is not given: a relative instant counts from it", r.first)
			}
			return time.Time{}, fmt.Errorf("unknown instant %q (the record's: %s)", name, strings.Join(slices.Sorted(maps.Keys(r.named)), ", "))
		}
		if err := read(a); err != nil {
			if errors.Is(err, errCycle) {
				return time.Time{}, err
			}
			return time.Time{}, fmt.Errorf("%s cannot be read", name)
		}
		return *a.dst, nil
	}
	read = func(s *slot) error {
		switch s.state {
		case 1:
			return fmt.Errorf("%s %w, through the instants it counts from", s.name, errCycle)
		case 2:
			return nil
		case 3:
			return errors.New("unreadable")
		}
		s.state = 1
		var err error
		if s.expr == nil {
			s.expr, err = k.parse(s.spec, true, consts)
		}
		var t time.Time
		if err == nil {
			t, err = s.expr.eval(anchor, shift)
		}
		if err != nil {
			s.state = 3
			fail(s, err)
			return err
		}
		*s.dst, s.state = t, 2
		return nil
	}
	for _, s := range r.slots {
		_ = read(s)
	}
}

// copies is how many copies of a record a case asks for, and the time
// between two.
type copies struct {
	count int
	every time.Duration
}

// ids returns the ID of copy i: the ID itself for a single record,
// ID-1, ID-2… for copies.
func (c copies) id(base string, i int) string {
	if c.count <= 1 {
		return base
	}
	return fmt.Sprintf("%s-%d", base, i+1)
}

// recordReader decodes the records of a case.
type recordReader struct {
	d *decoder
	k *Clock
	// exprs keeps the instants read, so that the copies of a record read
	// each once.
	exprs map[*yaml.Node]*instantExpr
}

// instants adds the instants of keys to the record, in the order of the
// keys, so that errors come out the same every time.
func (rr recordReader) instants(rec *record, f map[string]*yaml.Node, keys []string, dsts ...*time.Time) {
	for i, key := range keys {
		if n, ok := f[key]; ok {
			rr.add(rec, key, n, dsts[i], true)
		}
	}
}

// add adds the instant written at n.
func (rr recordReader) add(rec *record, name string, n *yaml.Node, dst *time.Time, named bool) {
	s, ok := rr.d.scalar(n, name)
	if !ok {
		return
	}
	sl := rec.add(name, s, n, dst, named)
	sl.expr = rr.exprs[n]
}

// keep keeps the instants a record has read, for its next copies.
func (rr recordReader) keep(rec *record) {
	for _, s := range rec.slots {
		if s.expr != nil && s.node != nil {
			rr.exprs[s.node] = s.expr
		}
	}
}

func (rr recordReader) copies(f map[string]*yaml.Node) copies {
	c := copies{count: 1}
	if n, ok := f["count"]; ok {
		if v, ok := rr.d.integer(n, "count"); ok {
			if v < 1 || v > maxCopies {
				rr.d.fail(n, contract.ErrInvalid, "", "count must be from 1 to %d, found %d", maxCopies, v)
			} else {
				c.count = v
			}
		}
	}
	if n, ok := f["every"]; ok {
		s, _ := rr.d.scalar(n, "every")
		d, err := rr.d.consts.duration(s)
		if err != nil {
			rr.d.notation(n, "every", err)
		}
		c.every = d
	}
	return c
}

func (rr recordReader) attrs(f map[string]*yaml.Node) map[string]string {
	n, ok := f["attrs"]
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, kv := range rr.d.pairs(n, "attrs") {
		out[kv[0].Value] = rr.d.text(kv[1], "attrs."+kv[0].Value)
	}
	return out
}

// entry is what every record of a case has: its fields, its copies, and
// the field its instants count from.
type entry struct {
	f      map[string]*yaml.Node
	copies copies
}

// entry decodes the fields every kind of record decodes alike: text and
// yes/no fields, attrs, and the instant the record cannot do without.
func (rr recordReader) entry(n *yaml.Node, what, first string, keys []string, texts map[string]*string, flags map[string]*bool, attrs *map[string]string) entry {
	d := rr.d
	f := d.fields(n, what, keys...)
	for key, dst := range texts {
		if v, ok := f[key]; ok {
			*dst = d.text(v, key)
		}
	}
	for key, dst := range flags {
		if v, ok := f[key]; ok {
			*dst, _ = d.boolean(v, key)
		}
	}
	*attrs = rr.attrs(f)
	if _, ok := f[first]; !ok {
		d.fail(n, contract.ErrSchema, "", "%s needs its %s instant", what, first)
	}
	return entry{f: f, copies: rr.copies(f)}
}

// decimal decodes a number field.
func (rr recordReader) decimal(f map[string]*yaml.Node, key string, dst *decimal.Decimal) bool {
	v, ok := f[key]
	if !ok {
		return false
	}
	s, _ := rr.d.scalar(v, key)
	x, err := rr.d.consts.decimal(s)
	if err != nil {
		rr.d.notation(v, key, err)
	}
	*dst = x
	return true
}

// expand returns the copies of a record: each starts from base, gets its
// instants from instants, and the ID of its copy.
func expand[T any](rr recordReader, e entry, base T, id func(*T) *string, instants func(v *T, rec *record)) []T {
	out := make([]T, 0, e.copies.count)
	baseID := *id(&base)
	for i := range e.copies.count {
		v := base
		rec := &record{named: map[string]*slot{}}
		instants(&v, rec)
		failed := false
		rr.k.resolve(rec, time.Duration(i)*e.copies.every, rr.d.consts, func(s *slot, err error) {
			if i == 0 { // the same fault in every copy: report it once
				rr.d.notation(s.node, s.name, err)
			}
			failed = true
		})
		if failed {
			return nil
		}
		rr.keep(rec)
		*id(&v) = e.copies.id(baseID, i)
		out = append(out, v)
	}
	return out
}

// maxCopies bounds count, so that a typo cannot ask for a billion records.
const maxCopies = 100_000

var ticketKeys = []string{"id", "kind", "priority", "service", "category", "group", "level", "opened", "acknowledged",
	"resolved", "closed", "status", "history", "pauses", "reopened", "reopen_count", "reassignment_count", "satisfaction", "links", "exclusion",
	"attrs", "count", "every"}

// ticket decodes one ticket entry into its copies.
func (rr recordReader) ticket(n *yaml.Node, index int) []pacte.Ticket {
	d := rr.d
	b := pacte.Ticket{ID: fmt.Sprintf("T%d", index+1)}
	e := rr.entry(n, "a ticket", "opened", ticketKeys, map[string]*string{"id": &b.ID, "kind": &b.Kind, "priority": &b.Priority,
		"service": &b.Service, "category": &b.Category, "group": &b.Group, "status": &b.Status, "exclusion": &b.Exclusion}, nil, &b.Attrs)
	for key, dst := range map[string]*int{"level": &b.Level, "reopen_count": &b.ReopenCount, "reassignment_count": &b.ReassignmentCount} {
		if v, ok := e.f[key]; ok {
			*dst, _ = d.integer(v, key)
		}
	}
	rr.decimal(e.f, "satisfaction", &b.Satisfaction)
	return expand(rr, e, b, func(t *pacte.Ticket) *string { return &t.ID }, func(t *pacte.Ticket, rec *record) {
		rec.first = "opened"
		t.Attrs = maps.Clone(b.Attrs)
		rr.instants(rec, e.f, []string{"opened", "acknowledged", "resolved", "closed"}, &t.Opened, &t.Acknowledged, &t.Resolved, &t.Closed)
		rr.history(rec, e.f, t)
		rr.pauses(rec, e.f, t)
		readList(rr, e.f, "reopened", &t.Reopened, func(i int, it *yaml.Node, at *time.Time) {
			rr.add(rec, fmt.Sprintf("reopened[%d]", i), it, at, false)
		})
		rr.links(rec, e.f, t)
	})
}

func (rr recordReader) history(rec *record, f map[string]*yaml.Node, t *pacte.Ticket) {
	readList(rr, f, "history", &t.History, func(i int, it *yaml.Node, c *pacte.StatusChange) {
		if !isMapping(it) {
			rr.d.fields(it, "a status change") // says what it is instead
			return
		}
		hf := rr.d.fields(it, "a status change", "at", "status")
		if n, ok := hf["status"]; ok {
			c.Status = rr.d.text(n, "status")
		} else {
			rr.d.fail(it, contract.ErrSchema, "{at: +1h, status: in progress}", "history[%d].status is missing", i)
		}
		rr.instantOf(rec, fmt.Sprintf("history[%d].at", i), hf["at"], it, &c.At)
	})
}

func (rr recordReader) pauses(rec *record, f map[string]*yaml.Node, t *pacte.Ticket) {
	readList(rr, f, "pauses", &t.Pauses, func(i int, it *yaml.Node, p *pacte.Interval) {
		ends := rr.d.list(it, "a pause")
		if ends != nil && len(ends) != 2 {
			rr.d.fail(it, contract.ErrSchema, "write a pause as [from, to]", "a pause is two instants, found %d", len(ends))
			return
		}
		if ends != nil {
			rr.instantOf(rec, fmt.Sprintf("pauses[%d] start", i), ends[0], it, &p.Start)
			rr.instantOf(rec, fmt.Sprintf("pauses[%d] end", i), ends[1], it, &p.End)
		}
	})
}

func (rr recordReader) links(rec *record, f map[string]*yaml.Node, t *pacte.Ticket) {
	readList(rr, f, "links", &t.Links, func(i int, it *yaml.Node, l *pacte.Link) {
		lf := rr.d.fields(it, "a link", "id", "kind", "priority", "resolved")
		for key, dst := range map[string]*string{"id": &l.ID, "kind": &l.Kind, "priority": &l.Priority} {
			if n, ok := lf[key]; ok {
				*dst = rr.d.text(n, key)
			}
		}
		if n, ok := lf["resolved"]; ok {
			rr.instantOf(rec, fmt.Sprintf("links[%d].resolved", i), n, it, &l.Resolved)
		}
	})
}

// readList reads the list under key, when there is one, into a new slice
// at dst, each item by read.
func readList[T any](rr recordReader, f map[string]*yaml.Node, key string, dst *[]T, read func(i int, it *yaml.Node, x *T)) {
	v, ok := f[key]
	if !ok {
		return
	}
	items := rr.d.list(v, key)
	*dst = make([]T, len(items))
	for i, it := range items {
		read(i, it, &(*dst)[i])
	}
}

// instantOf adds an instant that other fields cannot count from.
func (rr recordReader) instantOf(rec *record, name string, n, parent *yaml.Node, dst *time.Time) {
	if n == nil {
		rr.d.fail(parent, contract.ErrSchema, "", "%s is missing", name)
		return
	}
	rr.add(rec, name, n, dst, false)
}

var callKeys = []string{"id", "queue", "offered", "answered", "ended", "abandoned", "first_contact", "agent", "attrs", "count", "every"}

func (rr recordReader) call(n *yaml.Node, index int) []pacte.Call {
	b := pacte.Call{ID: fmt.Sprintf("C%d", index+1)}
	e := rr.entry(n, "a call", "offered", callKeys, map[string]*string{"id": &b.ID, "queue": &b.Queue, "agent": &b.Agent},
		map[string]*bool{"abandoned": &b.Abandoned, "first_contact": &b.FirstContact}, &b.Attrs)
	return expand(rr, e, b, func(c *pacte.Call) *string { return &c.ID }, func(c *pacte.Call, rec *record) {
		rec.first = "offered"
		rr.instants(rec, e.f, []string{"offered", "answered", "ended"}, &c.Offered, &c.Answered, &c.Ended)
	})
}

var outageKeys = []string{"id", "service", "start", "end", "planned", "announced", "attrs", "count", "every"}

func (rr recordReader) outage(n *yaml.Node, index int) []pacte.Outage {
	b := pacte.Outage{ID: fmt.Sprintf("O%d", index+1)}
	e := rr.entry(n, "an outage", "start", outageKeys, map[string]*string{"id": &b.ID, "service": &b.Service},
		map[string]*bool{"planned": &b.Planned}, &b.Attrs)
	return expand(rr, e, b, func(o *pacte.Outage) *string { return &o.ID }, func(o *pacte.Outage, rec *record) {
		rec.first = "start"
		rr.instants(rec, e.f, []string{"start", "end", "announced"}, &o.Start, &o.End, &o.Announced)
	})
}

var sampleKeys = []string{"id", "name", "at", "value", "attrs", "count", "every"}

func (rr recordReader) sample(n *yaml.Node, index int) []pacte.Sample {
	b := pacte.Sample{ID: fmt.Sprintf("S%d", index+1)}
	e := rr.entry(n, "a sample", "at", sampleKeys, map[string]*string{"id": &b.ID, "name": &b.Name}, nil, &b.Attrs)
	if !rr.decimal(e.f, "value", &b.Value) {
		rr.d.fail(n, contract.ErrSchema, "", "a sample needs its value")
	}
	return expand(rr, e, b, func(s *pacte.Sample) *string { return &s.ID }, func(s *pacte.Sample, rec *record) {
		rec.first = "at"
		rr.instants(rec, e.f, []string{"at"}, &s.At)
	})
}
