package sla

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

	"github.com/pacte-sla/pacte"
)

// liveMagic opens the state of a live table.
const liveMagic = "PACTELV\x00"

// MarshalBinary writes the live table: the open tickets in the table's
// order, the settled ones it keeps (by ID) with the rules whose scope took
// each, and the state of its calls, outages and samples and of the settled
// tickets it forgot (see [Live.Forget]), in the format of
// [Evaluator.MarshalBinary] (see the package documentation), under a magic
// of its own. The options given to [NewLive] are not part of it: the Live
// that reads it is made with the same. What a watch keeps between events
// is not part of it either.
func (l *Live) MarshalBinary() ([]byte, error) {
	var w stateWriter
	w.buf = append(w.buf, liveMagic...)
	w.uint(StateVersion)
	d := l.e.digest()
	w.buf = append(w.buf, d[:]...)
	w.bool(l.done != nil)
	writeList(&w, l.list, w.liveTicket)
	if l.done == nil {
		return w.buf, nil
	}
	ids := slices.Sorted(maps.Keys(l.done))
	w.uint(uint64(len(ids)))
	for _, id := range ids {
		w.liveTicket(l.done[id])
	}
	others, err := l.others.MarshalBinary()
	if err != nil {
		return nil, err
	}
	w.str(string(others))
	return w.buf, nil
}

func (w *stateWriter) liveTicket(lt *liveTicket) {
	w.ticket(&lt.t)
	writeList(w, lt.marks, func(m ruleMarks) { w.bool(m&markTaken != 0) })
}

// UnmarshalBinary replaces the table with the one MarshalBinary wrote,
// for the same contract and with the same counting (a TimersOnly table
// reads only a TimersOnly table's state). Its errors are those of
// [Evaluator.UnmarshalBinary]; on error, the table is left as it was.
func (l *Live) UnmarshalBinary(data []byte) error {
	if !bytes.HasPrefix(data, []byte(liveMagic)) {
		return fmt.Errorf("%w: not the state of a live table (no %q header)", ErrCorruptState, liveMagic[:7])
	}
	r := &stateReader{buf: data[len(liveMagic):], home: l.e.c.Location()}
	r.header(l.e)
	if counts := r.bool(); r.err == nil && counts != (l.done != nil) {
		r.fail("a table that counts settled tickets and one that keeps timers only do not read each other's state")
	}
	n := &Live{e: l.e, cfg: l.cfg, open: map[string]*liveTicket{}, read: l.read, order: l.order}
	for range r.count() {
		lt := r.liveTicket(l)
		if r.err == nil && n.open[lt.t.ID] != nil {
			r.fail("ticket %q twice", lt.t.ID)
		}
		n.open[lt.t.ID], lt.pos = lt, len(n.list)
		n.list = append(n.list, lt)
	}
	if l.done != nil {
		r.liveDone(n)
	}
	if r.err == nil && len(r.buf) > 0 {
		r.fail("%d bytes after the end of the state", len(r.buf))
	}
	if r.err != nil {
		return r.err
	}
	*l = *n
	return nil
}

// liveDone reads the settled tickets and the other records of a table
// that counts, into n.
func (r *stateReader) liveDone(n *Live) {
	n.done = map[string]*liveTicket{}
	var prev string
	for i := range r.count() {
		lt := r.liveTicket(n)
		if r.err == nil && ((i > 0 && lt.t.ID <= prev) || n.open[lt.t.ID] != nil) {
			r.fail("settled tickets out of order, or open too")
		}
		prev = lt.t.ID
		n.done[lt.t.ID] = lt
	}
	n.counted, n.others = n.e.worker(newState()), n.e.worker(newState())
	n.dirty = true // counted is rebuilt from done when first read
	others := r.str()
	if r.err != nil {
		return
	}
	// The other records' evaluator shares the table's prepared rules: its
	// state is read without its configuration, which must be the table's.
	cfg, st, err := n.e.decodeState([]byte(others))
	switch {
	case err != nil:
		r.err = err
	case cfg.from != n.others.cfg.from || cfg.to != n.others.cfg.to || cfg.asOf != n.others.cfg.asOf ||
		cfg.listMissed != n.others.cfg.listMissed || (cfg.given == nil) != (n.others.cfg.given == nil):
		r.fail("the other records' state is configured otherwise than the table")
	default:
		n.others.st = st
	}
}

func (r *stateReader) liveTicket(l *Live) *liveTicket {
	lt := &liveTicket{pos: -1, t: *r.ticket()}
	if n := r.count(); r.err == nil && n != len(l.e.ticketRules) {
		r.fail("ticket %q: %d ticket rules, the contract has %d", lt.t.ID, n, len(l.e.ticketRules))
		return lt
	}
	lt.marks, lt.facts = make([]ruleMarks, len(l.e.ticketRules)), make([]ruleFacts, len(l.e.ticketRules))
	for i := range lt.marks {
		if r.bool() {
			lt.marks[i] = markTaken
		}
	}
	if r.err == nil {
		if err := pacte.CheckTicket(&lt.t, l.e.c.Location()); err != nil {
			r.fail("ticket %q: %v", lt.t.ID, err)
			return lt
		}
		l.scope(lt, false) // the facts of its version, which the state does not keep
	}
	return lt
}
