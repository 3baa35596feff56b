package slatest

import (
	"context"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/records"
	"github.com/pacte-sla/pacte/sla"
)

// TB is the part of *testing.T the helpers use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Records builds records for a Go test, their instants written in the
// notation of clause test files (see [Clock]) on the contract's calendars.
// A spec that cannot be read fails the test.
type Records struct {
	t TB
	k *Clock
}

// NewRecords returns a builder of records for the contract.
func NewRecords(t TB, c *contract.Contract) *Records {
	return &Records{t: t, k: NewClock(c)}
}

// At reads an absolute instant: "Mon 2027-04-05 09:00".
func (b *Records) At(spec string) time.Time {
	b.t.Helper()
	t, err := b.k.At(spec)
	if err != nil {
		b.t.Fatalf("instant %q: %v", spec, err)
	}
	return t
}

// After reads an instant relative to from: "+4h30min HE".
func (b *Records) After(from time.Time, spec string) time.Time {
	b.t.Helper()
	t, err := b.k.After(from, spec)
	if err != nil {
		b.t.Fatalf("instant %q: %v", spec, err)
	}
	return t
}

// pending is an instant of a record being built.
type pending[T any] struct {
	name, spec string
	named      bool
	field      func(*T) *time.Time
}

// builder holds a record and its instants until Build reads them.
type builder[T any] struct {
	b     *Records
	first string
	v     T
	specs []pending[T]
	clone func(*T)
}

func (bd *builder[T]) set(name, spec string, field func(*T) *time.Time) {
	bd.specs = append(bd.specs, pending[T]{name: name, spec: spec, named: true, field: field})
}

func (bd *builder[T]) add(name, spec string, field func(*T) *time.Time) {
	bd.specs = append(bd.specs, pending[T]{name: name, spec: spec, field: field})
}

func (bd *builder[T]) build() T {
	bd.b.t.Helper()
	v := bd.v
	if bd.clone != nil {
		bd.clone(&v)
	}
	rec := newRecord(bd.first)
	for _, p := range bd.specs {
		rec.add(p.name, p.spec, nil, p.field(&v), p.named)
	}
	bd.b.k.resolve(rec, 0, nil, func(s *slot, err error) {
		bd.b.t.Helper()
		bd.b.t.Fatalf("%s: %s %q: %v", records.ID(&v), s.name, s.spec, err)
	})
	return v
}

// TicketBuilder builds a ticket; its relative instants count from its
// opened instant, or from the field they name ("resolved +71h").
type TicketBuilder struct{ bd builder[pacte.Ticket] }

// Ticket starts a ticket of a kind and priority, opened at an absolute
// instant.
func (b *Records) Ticket(id, kind, priority, opened string) *TicketBuilder {
	tb := &TicketBuilder{bd: builder[pacte.Ticket]{b: b, first: "opened", v: pacte.Ticket{ID: id, Kind: kind, Priority: priority}}}
	tb.bd.clone = func(t *pacte.Ticket) {
		t.History, t.Pauses, t.Reopened = slices.Clone(t.History), slices.Clone(t.Pauses), slices.Clone(t.Reopened)
		t.Links = slices.Clone(t.Links)
	}
	tb.bd.set("opened", opened, func(t *pacte.Ticket) *time.Time { return &t.Opened })
	return tb
}

// Acknowledged sets the acknowledgement instant.
func (tb *TicketBuilder) Acknowledged(spec string) *TicketBuilder {
	tb.bd.set("acknowledged", spec, func(t *pacte.Ticket) *time.Time { return &t.Acknowledged })
	return tb
}

// Resolved sets the resolution (restoration) instant.
func (tb *TicketBuilder) Resolved(spec string) *TicketBuilder {
	tb.bd.set("resolved", spec, func(t *pacte.Ticket) *time.Time { return &t.Resolved })
	return tb
}

// Closed sets the closure instant.
func (tb *TicketBuilder) Closed(spec string) *TicketBuilder {
	tb.bd.set("closed", spec, func(t *pacte.Ticket) *time.Time { return &t.Closed })
	return tb
}

// Status adds an entry to the status history: from the instant on, the
// ticket is in the status.
func (tb *TicketBuilder) Status(at, status string) *TicketBuilder {
	i := len(tb.bd.v.History)
	tb.bd.v.History = append(tb.bd.v.History, pacte.StatusChange{Status: status})
	tb.bd.v.Status = status
	tb.bd.add("history", at, func(t *pacte.Ticket) *time.Time { return &t.History[i].At })
	return tb
}

// Pause adds an explicit pause of the ticket's clocks, [from, to).
func (tb *TicketBuilder) Pause(from, to string) *TicketBuilder {
	i := len(tb.bd.v.Pauses)
	tb.bd.v.Pauses = append(tb.bd.v.Pauses, pacte.Interval{})
	tb.bd.add("pause start", from, func(t *pacte.Ticket) *time.Time { return &t.Pauses[i].Start })
	tb.bd.add("pause end", to, func(t *pacte.Ticket) *time.Time { return &t.Pauses[i].End })
	return tb
}

// Reopened adds a reopening instant.
func (tb *TicketBuilder) Reopened(spec string) *TicketBuilder {
	i := len(tb.bd.v.Reopened)
	tb.bd.v.Reopened = append(tb.bd.v.Reopened, time.Time{})
	tb.bd.add("reopened", spec, func(t *pacte.Ticket) *time.Time { return &t.Reopened[i] })
	return tb
}

// Link links the ticket to another record, resolved at an instant ("" for
// none).
func (tb *TicketBuilder) Link(id, kind, priority, resolved string) *TicketBuilder {
	i := len(tb.bd.v.Links)
	tb.bd.v.Links = append(tb.bd.v.Links, pacte.Link{ID: id, Kind: kind, Priority: priority})
	if resolved != "" {
		tb.bd.add("link resolved", resolved, func(t *pacte.Ticket) *time.Time { return &t.Links[i].Resolved })
	}
	return tb
}

// With changes the ticket's other fields: level, service, exclusion…
func (tb *TicketBuilder) With(f func(*pacte.Ticket)) *TicketBuilder {
	f(&tb.bd.v)
	return tb
}

// Build reads the instants and returns the ticket.
func (tb *TicketBuilder) Build() pacte.Ticket {
	tb.bd.b.t.Helper()
	return tb.bd.build()
}

// CallBuilder builds a call; its relative instants count from its offer.
type CallBuilder struct{ bd builder[pacte.Call] }

// Call starts a call offered at an absolute instant.
func (b *Records) Call(id, offered string) *CallBuilder {
	cb := &CallBuilder{bd: builder[pacte.Call]{b: b, first: "offered", v: pacte.Call{ID: id}}}
	cb.bd.set("offered", offered, func(c *pacte.Call) *time.Time { return &c.Offered })
	return cb
}

// Answered sets the instant an agent picked the call up.
func (cb *CallBuilder) Answered(spec string) *CallBuilder {
	cb.bd.set("answered", spec, func(c *pacte.Call) *time.Time { return &c.Answered })
	return cb
}

// Ended sets the instant the call ended.
func (cb *CallBuilder) Ended(spec string) *CallBuilder {
	cb.bd.set("ended", spec, func(c *pacte.Call) *time.Time { return &c.Ended })
	return cb
}

// Abandoned marks the call abandoned by the caller at an instant.
func (cb *CallBuilder) Abandoned(spec string) *CallBuilder {
	cb.bd.v.Abandoned = true
	return cb.Ended(spec)
}

// With changes the call's other fields: queue, first contact, agent…
func (cb *CallBuilder) With(f func(*pacte.Call)) *CallBuilder {
	f(&cb.bd.v)
	return cb
}

// Build reads the instants and returns the call.
func (cb *CallBuilder) Build() pacte.Call {
	cb.bd.b.t.Helper()
	return cb.bd.build()
}

// OutageBuilder builds an outage; its relative instants count from its
// start.
type OutageBuilder struct{ bd builder[pacte.Outage] }

// Outage starts an outage of a service, from start to end.
func (b *Records) Outage(id, service, start, end string) *OutageBuilder {
	ob := &OutageBuilder{bd: builder[pacte.Outage]{b: b, first: "start", v: pacte.Outage{ID: id, Service: service}}}
	ob.bd.set("start", start, func(o *pacte.Outage) *time.Time { return &o.Start })
	if end != "" {
		ob.bd.set("end", end, func(o *pacte.Outage) *time.Time { return &o.End })
	}
	return ob
}

// Planned marks the outage planned, announced at an instant.
func (ob *OutageBuilder) Planned(announced string) *OutageBuilder {
	ob.bd.v.Planned = true
	ob.bd.set("announced", announced, func(o *pacte.Outage) *time.Time { return &o.Announced })
	return ob
}

// Build reads the instants and returns the outage.
func (ob *OutageBuilder) Build() pacte.Outage {
	ob.bd.b.t.Helper()
	return ob.bd.build()
}

// Sample returns a sample: a named value at an absolute instant.
func (b *Records) Sample(id, name, at, value string) pacte.Sample {
	b.t.Helper()
	v, err := Decimal(value)
	if err != nil {
		b.t.Fatalf("sample %s: value: %v", id, err)
	}
	return pacte.Sample{ID: id, Name: name, At: b.At(at), Value: v}
}

// Evaluate evaluates the input against the contract, failing the test if
// the evaluation cannot run.
func Evaluate(t TB, c *contract.Contract, in sla.Input, opts ...sla.Option) *sla.Report {
	t.Helper()
	rep, err := sla.Evaluate(context.Background(), c, in, opts...)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return rep
}
