package simulate

import (
	"iter"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/sla"
)

// Records returns the records of one run, as the input of [sla.Evaluate]:
// streams of tickets, calls, outages and surveys generated as they are
// read, the reported volumes, the scenario's indices, and the span
// simulated as the range reported (AsOf its end).
//
// The records depend only on the simulation, the seed and the run's
// index: each stream may be read any number of times, from any goroutine,
// and gives the same records every time. A record's slices (History,
// Reopened, Links) are its own. No stream is in time order: tickets come
// month by month, each class in turn, and calls as their fate is known.
func (sim *Simulation) Records(seed uint64, run int) sla.Input {
	return sla.Input{
		Tickets: sim.ticketStream(seed, run),
		Calls:   sim.callStream(seed, run),
		Outages: sim.outageStream(seed, run),
		Samples: sim.surveyStream(seed, run),
		Volumes: sim.volumes,
		Indices: sim.indices,
		From:    sim.start,
		To:      sim.end,
		AsOf:    sim.end,
	}
}

// at turns unix nanoseconds into an instant in the contract's zone.
func (sim *Simulation) at(ns int64) time.Time { return unixNano(ns, sim.loc) }

// unixNano is time.Unix(0, ns).In(loc) for the instants of a simulation,
// which are after 1970: divided as unsigned integers, which costs fewer
// instructions, and the desk converts three instants a call.
func unixNano(ns int64, loc *time.Location) time.Time {
	if ns < 0 {
		return time.Unix(0, ns).In(loc)
	}
	u := uint64(ns)
	return time.Unix(int64(u/1e9), int64(u%1e9)).In(loc)
}

func (sim *Simulation) ticketStream(seed uint64, run int) iter.Seq[pacte.Ticket] {
	return func(yield func(pacte.Ticket) bool) {
		sim.drawTickets(seed, run, func(t *pacte.Ticket) bool { return yield(*t) }, nil)
	}
}

// drawTickets draws the tickets of a run, handing each to yield until it
// returns false. The ticket is only lent: its place is reused. When tl is
// not nil, it counts the tickets drawn and their long restorations
// (control.go).
func (sim *Simulation) drawTickets(seed uint64, run int, yield func(*pacte.Ticket) bool, tl *tally) {
	// Month by month, every class in turn: the month's arrival table
	// serves them all while it is in the cache. Each class draws
	// from its own generator, in the same order as class by class.
	type classRun struct {
		r               *rng
		ids, problemIDs idMaker
		n               int
	}
	runs := make([]classRun, len(sim.classes))
	for i, tc := range sim.classes {
		runs[i] = classRun{r: sim.rand(seed, run, streamTickets+uint64(tc.idx)),
			ids: idMaker{table: tc.ids}, problemIDs: idMaker{table: tc.problemIDs}}
	}
	var sl ticketSlabs
	// Tickets are drawn by batches, then yielded: drawing a ticket and
	// evaluating one are each more code than the processor's
	// instruction cache holds with the other.
	batch := make([]pacte.Ticket, 0, ticketBatch)
	flush := func() bool {
		for i := range batch {
			if !yield(&batch[i]) {
				return false
			}
		}
		batch = batch[:0]
		return true
	}
	for mi, m := range sim.months {
		for i, tc := range sim.classes {
			cr := &runs[i]
			r := cr.r
			count := poisson(r, tc.PerMonth*m.factor)
			for range count {
				cr.n++
				t, work := sim.ticket(r, tc, mi, cr.ids.id(cr.n), &sl)
				batch = append(batch, t)
				if tl != nil {
					tl.add(i, mi, work)
				}
				if tc.problemProb > 0 && r.Float64() < tc.problemProb {
					batch = append(batch, sim.problem(r, tc, &batch[len(batch)-1], cr.problemIDs.id(cr.n), &sl))
				}
				if len(batch) >= ticketBatch-1 && !flush() {
					return
				}
			}
		}
	}
	flush()
}

// ticketBatch is how many tickets a stream draws before it yields them.
const ticketBatch = 32

// ticket draws one ticket of a class opened in month mi. How many random
// values a ticket consumes depends only on whether it pauses, is reopened
// or gets a problem: runs that differ in a duration's parameters, or in
// the shares of levels, services or exclusions, draw the same tickets
// otherwise (common random numbers, for sensitivity analyses). It returns
// the ticket and the work drawn for it, its time to restore less pauses.
func (sim *Simulation) ticket(r *rng, tc *ticketClass, mi int, id string, sl *ticketSlabs) (pacte.Ticket, time.Duration) {
	opened := sim.at(sim.tickets.instant(r, mi))
	work := tc.restore.draw(r)
	var ack time.Duration
	if tc.hasAck {
		ack = tc.ack.draw(r)
	}
	uLevel, uService, uExcl := r.Float64(), r.Float64(), r.Float64()
	t := pacte.Ticket{
		ID:       id,
		Kind:     tc.Kind,
		Priority: tc.Priority,
		Category: tc.Category,
		Service:  pick(tc.services, uService),
		Opened:   opened,
		Status:   "resolved",
	}
	for i, c := range tc.levels {
		if uLevel < c {
			t.Level = i + 1
			break
		}
	}
	t.Exclusion = pick(tc.excluded, uExcl)
	t.Acknowledged = opened
	if ack > 0 {
		t.Acknowledged = tc.ackClock.add(opened, ack)
	}
	if tc.pauseProb > 0 && r.Float64() < tc.pauseProb {
		before := time.Duration(r.Float64() * float64(work))
		length := tc.pauseLen.draw(r)
		from := tc.clock.add(opened, before)
		to := tc.clock.add(from, length)
		t.Resolved = tc.clock.add(to, work-before)
		t.History = sl.history.take(4)
		t.History[0] = pacte.StatusChange{At: opened, Status: "new"}
		t.History[1] = pacte.StatusChange{At: from, Status: tc.pauseStatus}
		t.History[2] = pacte.StatusChange{At: to, Status: "in progress"}
		t.History[3] = pacte.StatusChange{At: t.Resolved, Status: "resolved"}
		if t.Acknowledged.After(from) { // nobody waits for a client before owning the ticket
			t.Acknowledged = from
		}
	} else {
		t.Resolved = tc.clock.add(opened, work)
	}
	if t.Acknowledged.After(t.Resolved) {
		t.Acknowledged = t.Resolved
	}
	if tc.reopenRate > 0 && r.Float64() < tc.reopenRate {
		t.Reopened = sl.times.take(1)
		t.Reopened[0] = t.Resolved.Add(tc.reopenAfter.draw(r))
	}
	return t, work
}

// problem draws the problem opened for a ticket at its restoration, whose
// root cause is found (it enters the known-error status, and is resolved)
// after the class's root-cause delay.
func (sim *Simulation) problem(r *rng, tc *ticketClass, t *pacte.Ticket, id string, sl *ticketSlabs) pacte.Ticket {
	found := tc.problemClock.add(t.Resolved, tc.rootCause.draw(r))
	history, links := sl.history.take(2), sl.links.take(1)
	history[0] = pacte.StatusChange{At: t.Resolved, Status: "new"}
	history[1] = pacte.StatusChange{At: found, Status: tc.keStatus}
	links[0] = pacte.Link{ID: t.ID, Kind: t.Kind, Priority: t.Priority, Resolved: t.Resolved}
	return pacte.Ticket{
		ID:       id, // PRB-INC-P1-7
		Kind:     "problem",
		Priority: t.Priority,
		Service:  t.Service,
		Opened:   t.Resolved,
		Resolved: found,
		Status:   tc.keStatus,
		History:  history,
		Links:    links,
	}
}

// ticketSlabs hands out the slices of a stream's tickets.
type ticketSlabs struct {
	history slab[pacte.StatusChange]
	times   slab[time.Time]
	links   slab[pacte.Link]
}

// slabLen is how many elements a slab allocates at once.
const slabLen = 256

// slab cuts small slices out of larger blocks: one allocation for a few
// hundred records' History, Reopened or Links instead of one each. Each
// slice is capped at its length, so a record's slices stay its own:
// appending to one never writes into another's.
type slab[T any] struct{ free []T }

func (s *slab[T]) take(n int) []T {
	if len(s.free) < n {
		s.free = make([]T, max(n, slabLen))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

func (sim *Simulation) outageStream(seed uint64, run int) iter.Seq[pacte.Outage] {
	return func(yield func(pacte.Outage) bool) {
		for i, oc := range sim.outages {
			r := sim.rand(seed, run, streamOutages+uint64(i))
			ids := idMaker{table: oc.ids}
			n := 0
			for _, m := range sim.months {
				count := poisson(r, oc.PerMonth*float64(m.end.Sub(m.start))/float64(monthLen(m.start)))
				for range count {
					n++
					uStart, uPlanned := r.Float64(), r.Float64()
					length, notice := oc.duration.draw(r), oc.notice.draw(r)
					o := pacte.Outage{ID: ids.id(n), Service: oc.Service, Planned: uPlanned < oc.Planned}
					if o.Planned && oc.in != nil {
						open := oc.in.Between(m.start, m.end)
						o.Start = oc.in.Add(m.start, time.Duration(uStart*float64(open)))
					} else {
						o.Start = sim.at(m.start.UnixNano() + int64(uStart*float64(m.end.Sub(m.start))))
					}
					o.End = o.Start.Add(length)
					if o.Planned {
						o.Announced = o.Start.Add(-notice)
					}
					if !yield(o) {
						return
					}
				}
			}
		}
	}
}

// monthLen is the length of the calendar month starting at t.
func monthLen(t time.Time) time.Duration {
	y, m, _ := t.Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, t.Location())
	return first.AddDate(0, 1, 0).Sub(first)
}

func (sim *Simulation) surveyStream(seed uint64, run int) iter.Seq[pacte.Sample] {
	return func(yield func(pacte.Sample) bool) {
		sv := sim.surveys
		if sv == nil {
			return
		}
		r := sim.rand(seed, run, streamSurveys)
		ids := idMaker{table: sv.ids}
		n := 0
		for mi := range sim.months {
			for range poisson(r, sv.perMonth[mi]) {
				n++
				at := sim.at(sim.tickets.instant(r, mi))
				u := r.Float64()
				score := sv.scores[len(sv.scores)-1]
				for i, c := range sv.cum {
					if u < c {
						score = sv.scores[i]
						break
					}
				}
				if !yield(pacte.Sample{ID: ids.id(n), Name: sv.name, At: at, Value: score}) {
					return
				}
			}
		}
	}
}
