package sla

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/shopspring/decimal"
)

// StateVersion is the version of the evaluator state format that
// MarshalBinary writes, and the only one UnmarshalBinary reads.
const StateVersion = 1

// stateMagic opens every evaluator state.
const stateMagic = "PACTEST\x00"

// ErrOtherContract is the error (errors.Is) of a state made for another
// contract than the evaluator's.
var ErrOtherContract = errors.New("sla: the state was made for another contract")

// ErrStateVersion is the error (errors.Is) of a state of a format
// version this build does not read.
var ErrStateVersion = errors.New("sla: unsupported state format version")

// ErrCorruptState is the error (errors.Is) of bytes that are not a
// well-formed evaluator state of the evaluator's contract.
var ErrCorruptState = errors.New("sla: corrupt evaluator state")

// MarshalBinary writes what the evaluator has accumulated, with its
// configuration, in the format the package documentation describes. The
// same state always gives the same bytes. The evaluator is unchanged.
func (e *Evaluator) MarshalBinary() ([]byte, error) {
	// Sized once for the usual state: growing the buffer as it goes
	// costs more than the encoding.
	var n int
	e.st.each(func(_ accKey, a *acc) { n += 64 + 48*(len(a.missed)+len(a.excludedItems)) + 24*len(a.outages) })
	var w stateWriter // on the stack: appending then needs no write barrier
	w.buf = make([]byte, 0, 256+n+256*len(e.st.running)+64*len(e.st.rejected))
	w.buf = append(w.buf, stateMagic...)
	w.uint(StateVersion)
	d := e.digest()
	w.buf = append(w.buf, d[:]...)
	w.config(&e.cfg)
	w.state(e.st)
	return w.buf, nil
}

// UnmarshalBinary replaces the evaluator's state and configuration with
// those MarshalBinary wrote, for the same contract: a state of another
// contract is refused (ErrOtherContract), as is one of another format
// version (ErrStateVersion) or one that is corrupt (ErrCorruptState). On
// error, the evaluator is left as it was.
func (e *Evaluator) UnmarshalBinary(data []byte) error {
	cfg, st, err := e.decodeState(data)
	if err != nil {
		return err
	}
	e.cfg = cfg
	for _, rule := range e.rules {
		rule.periods.markReported(&e.cfg)
	}
	for _, u := range e.units {
		u.periods.markReported(&e.cfg)
	}
	e.st = st
	return nil
}

// decodeState reads a state MarshalBinary wrote for e's contract.
func (e *Evaluator) decodeState(data []byte) (config, *state, error) {
	r := &stateReader{buf: data, home: e.c.Location()}
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		return config{}, nil, fmt.Errorf("%w: not an evaluator state (no %q header)", ErrCorruptState, stateMagic[:7])
	}
	r.buf = r.buf[len(stateMagic):]
	r.header(e)
	cfg := r.config()
	st := r.state(e)
	if r.err == nil && len(r.buf) > 0 {
		r.fail("%d bytes after the end of the state", len(r.buf))
	}
	return cfg, st, r.err
}

// header reads the format version and the contract's digest, and checks
// them against this build's and e's.
func (r *stateReader) header(e *Evaluator) {
	if v := r.uint(); r.err == nil && v != StateVersion {
		r.err = fmt.Errorf("%w: the state is of version %d, this build reads version %d", ErrStateVersion, v, StateVersion)
		return
	}
	digest := r.bytes(32)
	if r.err != nil {
		return
	}
	if want := e.digest(); !bytes.Equal(digest, want[:]) {
		r.err = fmt.Errorf("%w: its contract digest is %x, %s has %x", ErrOtherContract, digest[:8], e.c.Name(), want[:8])
	}
}

// digest is the contract's digest, computed once per evaluator.
func (e *Evaluator) digest() [32]byte {
	if e.contractDigest == nil {
		d := e.c.Digest()
		e.contractDigest = &d
	}
	return *e.contractDigest
}

// stateWriter appends the encoding of a state to buf.
type stateWriter struct{ buf []byte }

func (w *stateWriter) uint(n uint64) { w.buf = binary.AppendUvarint(w.buf, n) }
func (w *stateWriter) int(n int64)   { w.buf = binary.AppendVarint(w.buf, n) }

func (w *stateWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

func (w *stateWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// instant writes a time as its zone's name and offset, then its Unix
// nanoseconds; the zero time as an empty name and offset −1.
func (w *stateWriter) instant(t time.Time) {
	if t.IsZero() {
		w.str("")
		w.int(-1)
		return
	}
	_, off := t.Zone()
	w.str(t.Location().String())
	w.int(int64(off))
	w.int(t.UnixNano())
}

// dec writes a decimal exactly: its exponent, then its coefficient's sign
// and magnitude.
func (w *stateWriter) dec(d decimal.Decimal) {
	w.int(int64(d.Exponent()))
	c := d.Coefficient()
	w.int(int64(c.Sign()))
	w.str(string(c.Bytes()))
}

// writeList writes the length of a list, then each item with write.
func writeList[T any](w *stateWriter, list []T, write func(T)) {
	w.uint(uint64(len(list)))
	for _, x := range list {
		write(x)
	}
}

func (w *stateWriter) ints(ns []int) { writeList(w, ns, func(n int) { w.int(int64(n)) }) }

func (w *stateWriter) decs(ds []decimal.Decimal) { writeList(w, ds, w.dec) }

func (w *stateWriter) counts(m map[string]int) {
	w.uint(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.str(k)
		w.int(int64(m[k]))
	}
}

func (w *stateWriter) strings(m map[string]string) {
	w.uint(uint64(len(m)))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.str(k)
		w.str(m[k])
	}
}

func (w *stateWriter) config(c *config) {
	w.instant(c.from)
	w.instant(c.to)
	w.instant(c.asOf)
	w.int(int64(c.listMissed))
	w.bool(c.given != nil)
	if c.given != nil {
		var given []string
		for src, ok := range c.given {
			if ok {
				given = append(given, string(src))
			}
		}
		slices.Sort(given)
		w.uint(uint64(len(given)))
		for _, s := range given {
			w.str(s)
		}
	}
}

func (w *stateWriter) state(s *state) {
	var n int
	s.each(func(accKey, *acc) { n++ })
	w.uint(uint64(n))
	s.each(func(k accKey, a *acc) {
		w.uint(uint64(k.rule))
		w.uint(uint64(k.period))
		w.acc(a)
	})
	w.records(&s.records)
	writeList(w, s.rejected, func(r Rejection) {
		w.str(r.Source)
		w.int(int64(r.Line))
		w.str(r.Column)
		w.str(r.ID)
		w.str(r.Error)
	})
	writeList(w, s.errors, func(r RuleError) {
		w.str(r.Rule)
		w.str(r.Item)
		w.str(r.Period)
		w.str(r.Error)
	})
	writeList(w, s.volumes, w.ints)
	w.instant(s.maxSeen)
	writeList(w, s.running, func(r *runningTicket) {
		w.ticket(r.t)
		writeList(w, r.rules, func(i int) { w.uint(uint64(i)) })
		w.bool(r.tally.counted)
		w.str(r.tally.reason)
		w.bool(r.tally.err != nil)
		if r.tally.err != nil {
			w.str(r.tally.err.Error())
		}
	})
	writeList(w, s.ongoing, w.outage)
}

func (w *stateWriter) records(r *records) {
	for _, t := range []*tallies{&r.tickets, &r.calls, &r.outages, &r.samples} {
		w.tallies(t)
	}
	w.uint(uint64(len(r.others)))
	for _, src := range slices.Sorted(maps.Keys(r.others)) {
		w.str(string(src))
		w.tallies(r.others[src])
	}
}

func (w *stateWriter) tallies(t *tallies) {
	w.int(int64(t.read))
	w.int(int64(t.counted))
	w.int(int64(t.excluded))
	w.int(int64(t.rejected))
	for _, list := range [][]reasonCount{t.reasons, t.inferred} {
		w.uint(uint64(len(list)))
		for _, r := range list {
			w.str(r.reason)
			w.int(int64(r.n))
		}
	}
}

func (w *stateWriter) acc(a *acc) {
	w.uint(uint64(len(a.objs)))
	for i := range a.objs {
		w.objAcc(&a.objs[i])
	}
	w.int(int64(a.nMissed))
	c := &a.calls
	for _, n := range []int{c.offered, c.answered, c.abandoned, c.short, c.within} {
		w.int(int64(n))
	}
	w.int(int64(c.waitSum))
	w.counts(a.excluded)
	w.int(int64(a.late))
	w.decs(a.perItem)
	writeList(w, a.perItemFees, w.decs)
	w.uint(uint64(len(a.missed)))
	for i := range a.missed {
		w.missed(&a.missed[i])
	}
	writeList(w, a.excludedItems, func(x ExcludedItem) {
		w.str(x.ID)
		w.instant(x.At)
		w.str(x.Reason)
		w.str(x.Adjustment)
	})
	writeList(w, a.outages, func(o outageSpan) {
		w.str(o.id)
		w.instant(o.start)
		w.instant(o.end)
		w.int(int64(o.whole))
	})
}

func (w *stateWriter) objAcc(o *objAcc) {
	w.int(int64(o.eligible))
	w.int(int64(o.holds))
	w.int(int64(o.n))
	w.int(o.sumHi)
	w.uint(o.sumLo)
	w.dec(o.sumDec)
	w.int(o.sumInt)
	writeList(w, o.durs, func(d time.Duration) { w.int(int64(d)) })
	w.decs(o.decs)
	w.ints(o.ints)
	w.measure(&o.min)
	w.measure(&o.max)
}

func (w *stateWriter) measure(m *itemMeasure) {
	w.bool(m.eligible)
	w.bool(m.holds)
	w.int(int64(m.dur))
	w.dec(m.dec)
	w.int(int64(m.num))
	w.int(int64(m.typ))
}

func (w *stateWriter) missed(m *MissedItem) {
	w.str(m.ID)
	w.instant(m.At)
	w.str(m.Measured)
	w.instant(m.Deadline)
	w.int(int64(m.Late))
	w.bool(m.Amount != nil)
	if m.Amount != nil {
		w.dec(m.Amount.Decimal)
	}
	w.bool(m.Open)
	w.str(m.Adjustment)
	w.bool(m.feeCoefs != nil)
	if m.feeCoefs != nil {
		w.uint(uint64(len(m.feeCoefs)))
		for _, k := range slices.Sorted(maps.Keys(m.feeCoefs)) {
			w.str(k)
			w.dec(m.feeCoefs[k])
		}
	}
}

func (w *stateWriter) ticket(t *pacte.Ticket) {
	for _, s := range []string{t.ID, t.Kind, t.Priority, t.Service, t.Category, t.Group} {
		w.str(s)
	}
	w.int(int64(t.Level))
	for _, at := range []time.Time{t.Opened, t.Acknowledged, t.Resolved, t.Closed} {
		w.instant(at)
	}
	w.str(t.Status)
	writeList(w, t.History, func(h pacte.StatusChange) {
		w.instant(h.At)
		w.str(h.Status)
	})
	writeList(w, t.Pauses, func(p pacte.Interval) {
		w.instant(p.Start)
		w.instant(p.End)
	})
	writeList(w, t.Reopened, w.instant)
	w.dec(t.Satisfaction)
	writeList(w, t.Links, func(l pacte.Link) {
		w.str(l.ID)
		w.str(l.Kind)
		w.str(l.Priority)
		w.instant(l.Resolved)
	})
	w.str(t.Exclusion)
	w.int(int64(t.ReopenCount))
	w.int(int64(t.ReassignmentCount))
	w.strings(t.Attrs)
}

func (w *stateWriter) outage(o *pacte.Outage) {
	w.str(o.ID)
	w.str(o.Service)
	w.instant(o.Start)
	w.instant(o.End)
	w.bool(o.Planned)
	w.instant(o.Announced)
	w.strings(o.Attrs)
}
