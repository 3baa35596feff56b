package simulate

import (
	"iter"
	"math"
	"time"

	"github.com/pacte-sla/pacte"
)

// The phone desk is simulated call by call: calls arrive as a Poisson
// process whose rate is constant within each half hour (the forecast of
// that half hour), each with a handling time, a patience and whether it
// will be resolved at first contact; agents take the waiting callers
// first come, first served; a caller whose patience runs out before an
// agent is free hangs up at that instant. At each half hour the rota
// changes: agents who join take waiting callers at once, idle agents are
// the first to leave, and busy ones finish their call before leaving.
//
// First come, first served, a caller's fate depends only on those before
// it: between two changes of the rota, it is answered by the first agent
// free, at once or when that agent is, unless it hangs up before. So the
// desk settles most calls as they arrive, from the agents' free instants
// alone (the workload recursion of Kiefer and Wolfowitz), and keeps a
// queue only for the callers whose fate a change of the rota may still
// change: those still waiting at the end of the half hour, and those
// behind them. A test checks that it gives the same calls as the queue
// alone. Calls are yielded as their fate is known, not in time order:
// the engine does not need any order.

// waitingCall is a caller in the queue.
type waitingCall struct {
	n        int   // the call's number in the run, for its ID
	offered  int64 // unix nanoseconds
	deadline int64 // when the caller hangs up; MaxInt64 for never
	handling int64 // nanoseconds
	fcr      bool
}

// deskState is the state of the desk during a run.
type deskState struct {
	loc     *time.Location
	yield   func(*pacte.Call) bool
	call    pacte.Call // the call yielded, rewritten for each
	stopped bool
	ids     idMaker

	// The instants the agents on duty are free from, a min-heap: an
	// agent whose instant is past is idle. There are more agents than
	// scheduled while those leaving finish their call.
	freeAt    []int64
	scheduled int   // agents the rota wants now
	until     int64 // the next change of the rota: calls are settled up to it
	queue     []waitingCall
	head      int // first caller of queue still waiting

	// queueAll sends every caller who waits through the queue, event by
	// event: the reference tests compare the settled calls with.
	queueAll bool
}

func (sim *Simulation) callStream(seed uint64, run int) iter.Seq[pacte.Call] {
	return func(yield func(pacte.Call) bool) {
		sim.drawCalls(seed, run, func(c *pacte.Call) bool { return yield(*c) })
	}
}

// drawCalls draws the calls of a run, handing each to yield until it returns
// false. The call is only lent: it is rewritten for the next.
func (sim *Simulation) drawCalls(seed uint64, run int, yield func(*pacte.Call) bool) {
	sim.runDesk(sim.rand(seed, run, streamCalls), &deskState{yield: yield})
}

// runDesk draws the calls of a run from r, the run's generator of calls,
// through st, which has its yield set.
func (sim *Simulation) runDesk(r *rng, st *deskState) {
	d := sim.desk
	if d == nil {
		return
	}
	st.loc, st.call.Queue, st.ids = sim.loc, d.queue, idMaker{table: d.ids}
	n := 0
	// Handling times and patience are exponential in the Erlang models,
	// two draws a call: drawn here rather than through sampler.draw.
	handlingExp, patienceExp := d.handling.form == 'e', d.patience.form == 'e'
	for mi := range sim.months {
		sm := &d.table.months[mi]
		for k, rate := range d.rate[mi] {
			from := sm.start + int64(k)*int64(slotLen)
			to := min(from+int64(slotLen), sm.end)
			st.advance(from)
			st.shift(from, int(d.agents[mi][k]))
			if st.stopped {
				return
			}
			if !(rate > 0) {
				continue
			}
			st.until = to
			if st.queueAll {
				st.until = from
			}
			gap := float64(to-from) / rate // mean nanoseconds between two calls
			offset := 0.0
			for {
				offset += r.ExpFloat64() * gap
				if offset >= float64(to-from) {
					break
				}
				n++
				c := waitingCall{n: n, offered: from + int64(offset), deadline: math.MaxInt64}
				if handlingExp {
					c.handling = int64(clampDraw(d.handling.mean * r.ExpFloat64()))
				} else {
					c.handling = int64(d.handling.draw(r))
				}
				if patienceExp {
					c.deadline = c.offered + int64(clampDraw(d.patience.mean*r.ExpFloat64()))
				} else if d.hasPatience {
					c.deadline = c.offered + int64(d.patience.draw(r))
				}
				c.fcr = r.Float64() < d.fcr
				st.offer(&c)
				if st.stopped {
					return
				}
			}
		}
	}
	// The last callers are answered by the agents still on duty: there
	// is one whenever the rota was not closed, and a closed desk has
	// sent its callers away.
	st.advance(math.MaxInt64)
}

// offer takes a call offered at its instant.
func (st *deskState) offer(c *waitingCall) {
	t := c.offered
	if st.head < len(st.queue) || len(st.freeAt) > st.scheduled {
		st.advance(t)
	}
	switch {
	case st.scheduled == 0:
		st.closed(c, t)
		return
	case st.head < len(st.queue) || len(st.freeAt) > st.scheduled:
		// Every agent on duty is busy (the queue is served, and those
		// leaving leave, as each ends a call): the caller waits.
		st.queue = append(st.queue, *c)
		return
	}
	// Nobody waits and nobody leaves: the caller gets the first agent
	// free, now or when it is, unless it hangs up before; a caller still
	// waiting at the next change of the rota waits in the queue.
	free := st.freeAt[0]
	switch {
	case free <= t:
		st.freeAt[0] = t + c.handling
		st.down()
		st.answer(c, t)
	case c.deadline < free && c.deadline < st.until:
		st.abandon(c)
	case free <= st.until && c.deadline >= free:
		st.freeAt[0] = free + c.handling
		st.down()
		st.answer(c, free)
	default:
		st.queue = append(st.queue, *c)
	}
}

// advance has the agents free by t take the waiting callers, in the
// order they are free, and those leaving leave; it stops at the first
// agent free with nobody waiting, who stays idle.
func (st *deskState) advance(t int64) {
	for len(st.freeAt) > 0 && st.freeAt[0] <= t && !st.stopped {
		done := st.freeAt[0]
		if len(st.freeAt) > st.scheduled { // the rota has shrunk: this agent leaves
			st.pop()
			continue
		}
		c, ok := st.next(done)
		if !ok {
			return
		}
		st.freeAt[0] = done + c.handling
		st.down()
		st.answer(&c, done)
	}
}

// shift sets the agents on duty from instant t, once advance(t) has run.
func (st *deskState) shift(t int64, agents int) {
	st.scheduled = agents
	for len(st.freeAt) < agents { // those who join take the waiting callers
		c, ok := st.next(t)
		if !ok {
			st.push(t)
			continue
		}
		st.push(t + c.handling)
		st.answer(&c, t)
	}
	for len(st.freeAt) > agents && st.freeAt[0] <= t { // idle agents leave first
		st.pop()
	}
	if agents == 0 { // closing: whoever still waits gets the closed message
		for st.head < len(st.queue) && !st.stopped {
			c := st.queue[st.head]
			st.head++
			if c.deadline < t {
				st.abandon(&c)
			} else {
				st.closed(&c, t)
			}
		}
		st.queue, st.head = st.queue[:0], 0
	}
}

// next takes the first caller still waiting at t; those whose patience
// ran out before t hung up then.
func (st *deskState) next(t int64) (waitingCall, bool) {
	for st.head < len(st.queue) {
		c := st.queue[st.head]
		st.head++
		if st.head == len(st.queue) {
			st.queue, st.head = st.queue[:0], 0
		} else if st.head > 1024 && st.head*2 > len(st.queue) {
			st.queue = st.queue[:copy(st.queue, st.queue[st.head:])]
			st.head = 0
		}
		if c.deadline < t {
			st.abandon(&c)
			continue
		}
		return c, true
	}
	return waitingCall{}, false
}

// answer yields a call answered at instant at.
func (st *deskState) answer(c *waitingCall, at int64) {
	offered := st.at(c.offered)
	answered := offered // most calls find an agent free
	if at != c.offered {
		answered = st.at(at)
	}
	st.settle(c, offered, answered, st.at(at+c.handling), false)
}

// abandon yields a call whose caller hung up.
func (st *deskState) abandon(c *waitingCall) {
	st.settle(c, st.at(c.offered), time.Time{}, st.at(c.deadline), true)
}

// closed ends a call that no agent will answer: the desk is closed.
func (st *deskState) closed(c *waitingCall, at int64) {
	st.settle(c, st.at(c.offered), time.Time{}, st.at(at), false)
}

// settle yields a call. The call is written field by field over the
// previous one: its queue never changes, nor its agent and attributes,
// which the desk leaves empty.
func (st *deskState) settle(c *waitingCall, offered, answered, ended time.Time, abandoned bool) {
	if st.stopped {
		return
	}
	call := &st.call
	call.ID = st.ids.id(c.n)
	call.Offered, call.Answered, call.Ended = offered, answered, ended
	call.Abandoned = abandoned
	call.FirstContact = c.fcr && !answered.IsZero()
	if !st.yield(call) {
		st.stopped = true
	}
}

// at turns unix nanoseconds into an instant in the contract's zone.
func (st *deskState) at(ns int64) time.Time { return unixNano(ns, st.loc) }

// oneIf is 1 for true and 0 for false, which the compiler computes
// without a branch.
func oneIf(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// The instants the agents on duty are free from form a binary min-heap
// (an idle agent's is past). Which of two equal instants is taken first
// does not matter: agents are alike.

func (st *deskState) push(t int64) {
	st.freeAt = append(st.freeAt, t)
	up(st.freeAt, len(st.freeAt)-1, t)
}

func (st *deskState) pop() {
	n := len(st.freeAt) - 1
	st.freeAt[0] = st.freeAt[n]
	st.freeAt = st.freeAt[:n]
	st.down()
}

// down restores the heap after its first instant grew. The new instant
// usually belongs near the bottom (a call that starts ends after most of
// those under way), so the hole goes down to a leaf along the smaller
// children, one comparison a level, and the instant climbs back from
// there (Floyd's bottom-up heapsort).
func (st *deskState) down() {
	h := st.freeAt
	n := len(h)
	if n < 2 {
		return
	}
	x := h[0]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		// Which child ends first is a coin toss to the processor: chosen
		// by a conditional move rather than a branch it would miss half
		// the time.
		if r := l + 1; r < n {
			l += oneIf(h[r] < h[l])
		}
		h[i] = h[l]
		i = l
	}
	up(h, i, x)
}

// up puts x in the hole at i of the heap h, after moving up the hole past
// the parents later than x.
func up(h []int64, i int, x int64) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= x {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}
