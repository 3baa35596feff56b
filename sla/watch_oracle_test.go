package sla

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/require"
)

// The watch checked against an oracle that knows nothing of its queue,
// its wake timers or its observations: a second table given the same
// updates, each evaluated in full, whose timers (Live.Timers, a ticket
// evaluated from scratch at an instant) are sampled through each ticket's
// life. What the watch must have said follows from those samples alone:
//
//   - Between two updates of a ticket, the table holds its version, and it
//     is sampled at each of the version's dated instants (opening,
//     acknowledgement, resolution, status changes, pause edges,
//     reopenings: a clock changes stage at those alone) and at each input,
//     up to and including the next update's instant (the watch emits what
//     is due there before applying it). At an update, the new version's
//     sample at its instant is compared with the old one's: what changed
//     is revealed by the update. A ticket whose every clock has stopped
//     (its last stop come, even one dated ahead) is no longer sampled.
//   - A change of stage between two samples gives an event as the docs
//     list them: running to paused (paused), paused to running (resumed),
//     to stopped (stopped, at the timer's Stop), stopped to running or
//     paused (reopened, at the last reopening), taken to no longer taken
//     (cancelled, at the update). A paused or resumed event is at the
//     instant the version entered its stage: the earliest of its dated
//     instants from which the timers say that stage up to the sample.
//     When that instant is not after the one the previous stage began at,
//     the new version takes that stage back (a wait undone at its own
//     instant, a pause deleted): the change has no instant of its own, and
//     the event may be anywhere from it to the update.
//   - A share of the allowance reached (Timer.UsedAtLeast), the internal
//     target reached, the deadline reached give threshold, target and
//     breached events, each once: an update that lowers the time measured
//     (a pause moved back) does not take them back, and a cancelled rule
//     starts afresh. Each is at the instant the version's clock reached
//     its amount: within the minute a search of the version's timers from
//     the clock's start finds (every input is on the minute); a breach
//     exactly at the sample's BreachAt.
//   - The exceptions the docs give: a rule's timer seen for the first time
//     stopped, or on a reopened ticket, has its crossings taken as
//     emitted (and its stop too); such a timer may say it was reopened. A
//     watch that keeps open tickets only forgets a settled ticket: its
//     next update is a first sight. A watch started on a table that holds
//     tickets adopts them at its first input: what they reached by then
//     is taken as emitted (the oracle's samples there make no events);
//     the settled ones of a table that counts, at their next update, as
//     their version stood then.
//
// Per ticket and rule, the watch's events must be the oracle's, in its
// order; the events the oracle finds at one sample may come in any order
// among themselves, in time order when the clock brought them. Each is
// emitted while the watch reads the input the oracle expects: the update
// that revealed it, or the first input that takes the watch to its
// instant (to the update's, for what an update revealed) plus the
// lateness. The watch runs on a table that keeps open tickets only and on
// one that counts, with no lateness, with one and the input in order, with
// the input delivered out of order within it, and started on a table
// given the first third of the updates.
func TestWatchOracle(t *testing.T) {
	seeds, tickets, steps, least := uint64(4), 80, 1200, 100
	if testing.Short() {
		seeds, steps, least = 2, 400, 20
	}
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	acme, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	mini := miniOf2027(t)
	cases := []struct {
		name    string
		c       *contract.Contract
		spec    oracleSpec
		targets map[string]time.Duration
	}{
		{"acme", acme, oracleSpec{start: time.Date(2028, 6, 12, 7, 30, 0, 0, paris), waiting: "waiting for client",
			kinds: []string{"incident", "incident", "incident", "request"}, priorities: []string{"P1", "P2", "P3", "P4"}, exclusion: true},
			map[string]time.Duration{"INC-P1": 3 * time.Hour, "ACK": 20 * time.Minute}},
		{"mini", mini, oracleSpec{start: time.Date(2027, 3, 1, 8, 30, 0, 0, paris), waiting: "waiting",
			kinds: []string{"incident"}, priorities: []string{"P1", "P1", "P1", "P9"}},
			map[string]time.Duration{"P1": 150 * time.Minute}},
	}
	for _, tc := range cases {
		risk := DefaultRisk()
		risk.Targets = tc.targets
		for seed := range seeds {
			spec := tc.spec
			spec.tickets, spec.steps = tickets, steps
			in := oracleFeed(seed, spec)
			shuffled := deliveredLate(in, seed, 40*time.Minute)
			require.False(t, slices.IsSortedFunc(shuffled, func(a, b WatchInput) int { return a.At.Compare(b.At) }))
			type oracleMode struct {
				given      int
				timersOnly bool
			}
			oracles := map[oracleMode]*oracle{}
			for _, mode := range []struct {
				timersOnly bool
				lateness   time.Duration
				in         []WatchInput
				given      int // updates given to the table before the watch
			}{{true, 0, in, 0}, {false, 0, in, 0}, {true, 25 * time.Minute, in, 0}, {true, 40 * time.Minute, shuffled, 0},
				{true, 0, in, len(in) / 3}, {false, 0, in, len(in) / 3}} {
				name := fmt.Sprintf("%s/seed=%d/timersOnly=%v/lateness=%s/given=%d", tc.name, seed, mode.timersOnly, mode.lateness, mode.given)
				key := oracleMode{mode.given, mode.timersOnly}
				o := oracles[key]
				if o == nil {
					o = newOracle(t, tc.c, risk, in, mode.given, mode.timersOnly)
					oracles[key] = o
				}
				opts := []LiveOption{WithRisk(risk)}
				if mode.timersOnly {
					opts = append(opts, TimersOnly())
				}
				t.Run(name, func(t *testing.T) {
					l, err := NewLive(tc.c, opts...)
					require.NoError(t, err)
					for _, x := range mode.in[:mode.given] {
						if x.Ticket != nil {
							require.NoError(t, l.Update(*x.Ticket))
						}
					}
					watched := mode.in[mode.given:]
					got := watchIndexed(t, l, watched, Lateness(mode.lateness))
					require.Greater(t, o.compare(t, got, delivery(watched, mode.lateness)), least)
				})
			}
		}
	}
}

// deliveredLate is the input as delivered up to within after each
// instant, out of order.
func deliveredLate(in []WatchInput, seed uint64, within time.Duration) []WatchInput {
	r := rand.New(rand.NewPCG(seed, uint64(within)))
	type delivery struct {
		at time.Time
		x  WatchInput
	}
	ds := make([]delivery, len(in))
	for i, x := range in {
		ds[i] = delivery{x.At.Add(time.Duration(r.Int64N(int64(within)))), x}
	}
	slices.SortStableFunc(ds, func(a, b delivery) int { return a.at.Compare(b.at) })
	out := make([]WatchInput, len(ds))
	for i, d := range ds {
		out[i] = d.x
	}
	return out
}

// oracleDelivery is how a watch read its input: the latest instant it
// had read at each input, and its lateness.
type oracleDelivery struct {
	seen     []time.Time
	lateness time.Duration
}

func delivery(in []WatchInput, lateness time.Duration) oracleDelivery {
	d := oracleDelivery{lateness: lateness}
	var seen time.Time
	for _, x := range in {
		if x.At.After(seen) {
			seen = x.At
		}
		d.seen = append(d.seen, seen)
	}
	return d
}

// Feeds made by hand for what random ones seldom bring together, checked
// by the same oracle: a pause recorded after the fact whose start the tool
// then moves back, the number of pauses and the end of the last the same,
// with nothing dated ahead to wake the watch before the next crossing; a
// pause given ahead whose end is moved back before it comes.
func TestWatchOracleByHand(t *testing.T) {
	c := miniOf2027(t)
	at := func(h, m int) time.Time { return time.Date(2027, 3, 1, h, m, 0, 0, c.Location()) } // a Monday; HO 09:00-17:00, 4 h
	update := func(in []WatchInput, h, m int, tk pacte.Ticket) []WatchInput {
		tk.Pauses = slices.Clone(tk.Pauses)
		return append(in, WatchInput{At: at(h, m), Ticket: &tk})
	}
	ticks := func(in []WatchInput, from, to time.Time) []WatchInput {
		for x := from; !x.After(to); x = x.Add(5 * time.Minute) {
			in = append(in, WatchInput{At: x})
		}
		return in
	}
	tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: at(9, 0), History: []pacte.StatusChange{{At: at(9, 0), Status: "new"}}}
	var moved []WatchInput
	moved = update(moved, 9, 0, tk)
	tk.Pauses = []pacte.Interval{{Start: at(10, 0), End: at(10, 30)}}
	moved = update(moved, 10, 40, tk)
	tk.Pauses[0].Start = at(9, 30)
	moved = update(moved, 11, 0, tk)
	moved = ticks(moved, at(11, 5), at(15, 0))

	tk = pacte.Ticket{ID: "B", Priority: "P1", Opened: at(9, 0), History: []pacte.StatusChange{{At: at(9, 0), Status: "new"}}}
	var ahead []WatchInput
	ahead = update(ahead, 9, 0, tk)
	tk.Pauses = []pacte.Interval{{Start: at(10, 0), End: at(12, 0)}}
	ahead = update(ahead, 9, 30, tk)
	ahead = ticks(ahead, at(9, 35), at(10, 50))
	tk.Pauses[0].End = at(11, 0)
	ahead = update(ahead, 10, 55, tk)
	ahead = ticks(ahead, at(11, 0), at(15, 0))

	for _, tc := range []struct {
		in     []WatchInput
		events int
	}{
		{moved, 4}, // the thresholds and the breach, no pause: it had ended when the tool told it
		{ahead, 6}, // paused at 10:00, resumed at 11:00, then the same
	} {
		in := tc.in
		for _, timersOnly := range []bool{true, false} {
			o := newOracle(t, c, DefaultRisk(), in, 0, timersOnly)
			opts := []LiveOption{}
			if timersOnly {
				opts = append(opts, TimersOnly())
			}
			l, err := NewLive(c, opts...)
			require.NoError(t, err)
			require.Equal(t, tc.events, o.compare(t, watchIndexed(t, l, in), delivery(in, 0)))
		}
	}
}

// miniOf2027 is the mini contract of the semantics tests (a rule on a
// plain calendar that pauses on a status, and one without a clock) over
// 2027 in Paris time.
func miniOf2027(t *testing.T) *contract.Contract {
	t.Helper()
	rules, err := os.ReadFile("testdata/mini-rules.yaml")
	require.NoError(t, err)
	src := "contract: mini\nterm: {start: 2027-01-01, end: 2027-12-31}\ntimezone: Europe/Paris\n" + string(rules)
	c, err := contract.Parse([]byte(src), "mini.yaml")
	require.NoError(t, err)
	return c
}

// oracleSpec is what a feed is drawn over.
type oracleSpec struct {
	start             time.Time
	waiting           string // the status the rules pause on
	kinds, priorities []string
	exclusion         bool // the contract excludes on the exclusion field
	tickets, steps    int
}

// oracleFeed draws a feed in time order, every instant on the minute:
// tickets opened as it goes (some reported a few minutes late), changes
// no rule reads, acknowledgements, status changes into and out of the
// wait (some dated back a few minutes, some ahead), pauses the tool gives
// ahead or back, with or without an end, then edits (an end moved back
// or on, a start moved back), resolutions (some dated back) and
// reopenings, changes of priority, exclusions (the field, and an agreed
// one), the same version again; ticks every few minutes, and nights with
// no input at all.
func oracleFeed(seed uint64, spec oracleSpec) []WatchInput {
	r := rand.New(rand.NewPCG(seed, 0x0dac1e))
	now := spec.start
	minutes := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var ts []*pacte.Ticket
	var in []WatchInput
	emit := func(t *pacte.Ticket) {
		c := *t
		c.History, c.Pauses, c.Reopened, c.Attrs = slices.Clone(t.History), slices.Clone(t.Pauses), slices.Clone(t.Reopened), maps.Clone(t.Attrs)
		in = append(in, WatchInput{At: now, Ticket: &c})
	}
	status := func(t *pacte.Ticket, at time.Time, s string) {
		if last := t.History[len(t.History)-1].At; at.Before(last) {
			at = last
		}
		t.History = append(t.History, pacte.StatusChange{At: at, Status: s})
	}
	later := func(a, b time.Time) time.Time {
		if a.After(b) {
			return a
		}
		return b
	}
	for range spec.steps {
		if r.IntN(40) == 0 {
			now = now.Add(time.Duration(2+r.IntN(12)) * time.Hour)
		} else {
			now = now.Add(minutes(1 + r.IntN(15)))
		}
		if r.IntN(3) == 0 {
			in = append(in, WatchInput{At: now})
			continue
		}
		if len(ts) < spec.tickets && (len(ts) == 0 || r.IntN(5) == 0) {
			opened := now.Add(-minutes(r.IntN(15)))
			if r.IntN(6) == 0 { // opened by the tool a little ahead
				opened = now.Add(minutes(1 + r.IntN(20)))
			}
			t := &pacte.Ticket{ID: fmt.Sprintf("T%02d", len(ts)), Kind: pick(spec.kinds), Priority: pick(spec.priorities),
				Category: "standard", Opened: opened, History: []pacte.StatusChange{{At: opened, Status: "new"}}}
			ts = append(ts, t)
			emit(t)
			continue
		}
		// Most often one of the latest tickets, now and then an older one.
		t := ts[len(ts)-1-r.IntN(min(len(ts), 8))]
		if r.IntN(5) == 0 {
			t = ts[r.IntN(len(ts))]
		}
		ago := func(n int) time.Time { return later(now.Add(-minutes(r.IntN(n+1))), t.Opened) }
		// Some instants the tool gives a little ahead of the update.
		when := func(back int) time.Time {
			if r.IntN(4) == 0 {
				return later(now, t.Opened).Add(minutes(1 + r.IntN(30)))
			}
			return ago(back)
		}
		switch k := r.IntN(25); {
		case k < 4: // assigned, or a comment: nothing the rules read
			t.Group = pick([]string{"desk", "network", "apps"})
			if k%2 == 0 {
				if t.Attrs == nil {
					t.Attrs = map[string]string{}
				}
				t.Attrs["note"] = pick([]string{"a", "b", "c"})
			}
		case k < 6:
			if t.Acknowledged.IsZero() {
				t.Acknowledged = when(5)
			}
			status(t, ago(5), "in progress")
		case k < 8:
			status(t, ago(10), spec.waiting)
		case k == 8: // a wait the tool dates ahead
			status(t, now.Add(minutes(10+r.IntN(50))), spec.waiting)
		case k < 11:
			status(t, ago(10), "in progress")
		case k == 11: // on hold from later, until a date or not
			start := now.Add(minutes(15 * r.IntN(6)))
			end := start.Add(minutes(20 * (1 + r.IntN(6))))
			if r.IntN(5) == 0 {
				end = time.Time{}
			}
			t.Pauses = append(t.Pauses, pacte.Interval{Start: start, End: end})
		case k == 12: // on hold since a while, or for a while (said after the fact)
			start := ago(90)
			end := later(now, start).Add(minutes(20 * r.IntN(6)))
			if r.IntN(2) == 0 {
				end = start.Add(minutes(5 + r.IntN(30)))
			}
			t.Pauses = append(t.Pauses, pacte.Interval{Start: start, End: end})
		case k < 16: // a pause edited, the last or an earlier one
			if len(t.Pauses) == 0 {
				break
			}
			p := &t.Pauses[max(len(t.Pauses)-1-r.IntN(3), 0)]
			switch r.IntN(5) {
			case 0: // its end moved back in time
				p.End = later(now.Add(-minutes(r.IntN(40))), p.Start.Add(5*time.Minute))
			case 1: // or on
				p.End = later(later(now, p.End), p.Start).Add(minutes(15 * (1 + r.IntN(4))))
			case 2, 3: // its start moved back
				p.Start = later(p.Start.Add(-minutes(15*(1+r.IntN(4)))), t.Opened)
			default: // it ends now
				p.End = later(now, p.Start.Add(5*time.Minute))
			}
		case k < 19:
			if t.Resolved.IsZero() {
				t.Resolved = when(10)
				if n := len(t.Reopened); n > 0 {
					t.Resolved = later(t.Resolved, t.Reopened[n-1])
				}
				status(t, t.Resolved, "resolved")
			} else {
				reopened := later(now, t.Resolved)
				t.Resolved = time.Time{}
				t.Reopened = append(t.Reopened, reopened)
				status(t, reopened, "in progress")
			}
		case k == 19:
			t.Priority = pick(spec.priorities)
		case k == 20:
			if spec.exclusion {
				t.Exclusion = pick([]string{"", "client"})
				break
			}
			fallthrough
		case k == 21:
			if _, ok := t.Attrs[pacte.AttrAgreedExclusion]; ok {
				delete(t.Attrs, pacte.AttrAgreedExclusion)
			} else if r.IntN(2) == 0 {
				if t.Attrs == nil {
					t.Attrs = map[string]string{}
				}
				t.Attrs[pacte.AttrAgreedExclusion] = "agreed"
			}
		default: // the same version again
		}
		emit(t)
	}
	return in
}

// indexedEvent is an event of a watch and the index of the input it was
// emitted at (the length of the input: at the end).
type indexedEvent struct {
	Event
	input int
}

func watchIndexed(t *testing.T, l *Live, in []WatchInput, opts ...WatchOption) []indexedEvent {
	t.Helper()
	read := -1
	src := func(yield func(WatchInput) bool) {
		for i, x := range in {
			read = i
			if !yield(x) {
				return
			}
		}
		read = len(in)
	}
	evs, err := l.Watch(src, opts...)
	require.NoError(t, err)
	var got []indexedEvent
	for ev := range evs {
		got = append(got, indexedEvent{ev, read})
	}
	return got
}

type oracleKey struct{ ticket, rule string }

// oracleWant is an event the oracle requires (or allows, optional).
type oracleWant struct {
	kind      EventKind
	threshold string
	from, to  time.Time // its At, in [from, to]
	optional  bool
	sample    time.Time // the instant the oracle found it
	update    int       // the input of the update that revealed it; −1: the clock did
}

// oracleState is what the oracle says a watch knows of a rule's timer.
type oracleState struct {
	stage   Stage
	since   time.Time // running or paused: the instant the stage began
	crossed int
	target  bool
	breach  bool
}

type oracle struct {
	t       *testing.T
	ref     *Live
	quiet   bool // the samples make no events: what the watch adopts
	thr     []oracleThreshold
	targets map[string]time.Duration
	version map[string]*pacte.Ticket
	state   map[oracleKey]*oracleState
	want    map[oracleKey][][]oracleWant // by sample
}

type oracleThreshold struct {
	num, den int64
	label    string
}

// newOracle reads the whole input: updates into a table of its own,
// samples of each ticket's timers at every minute until its next update
// (or its settlement), and the events they make.
func newOracle(t *testing.T, c *contract.Contract, risk RiskOptions, in []WatchInput, given int, timersOnly bool) *oracle {
	ref, err := NewLive(c)
	require.NoError(t, err)
	ref.inFull = true // no shortcut for an update that changes nothing the rules read
	o := &oracle{t: t, ref: ref, targets: risk.Targets, version: map[string]*pacte.Ticket{},
		state: map[oracleKey]*oracleState{}, want: map[oracleKey][][]oracleWant{}}
	for _, d := range risk.Thresholds {
		num := d.Shift(2).IntPart()
		o.thr = append(o.thr, oracleThreshold{num, 100, d.String()})
	}
	last := map[string]time.Time{}    // by ticket observed, its last sample
	settles := map[string]time.Time{} // by ticket whose every clock has a stop, the last
	// settle stops observing the tickets whose last stop has come: nothing
	// changes until their next update, which a watch that keeps open
	// tickets only takes for a first sight.
	settle := func(upTo time.Time) {
		for _, id := range slices.Sorted(maps.Keys(settles)) {
			if settles[id].After(upTo) {
				continue
			}
			delete(settles, id)
			delete(last, id)
			if timersOnly {
				delete(ref.done, id)
				for k := range o.state {
					if k.ticket == id {
						delete(o.state, k)
					}
				}
			}
		}
	}
	// The updates given to the table before the watch starts: a ticket
	// settled then is forgotten by a table that keeps open tickets only,
	// even with a stop dated ahead (Live.Update knows no instant); the
	// others the watch adopts at its first input, what they reached by
	// then taken as emitted.
	for _, x := range in[:given] {
		if x.Ticket == nil {
			continue
		}
		require.NoError(t, ref.Update(*x.Ticket))
		o.version[x.Ticket.ID] = x.Ticket
		if ref.open[x.Ticket.ID] == nil && timersOnly {
			delete(ref.done, x.Ticket.ID)
		}
	}
	if given > 0 && given < len(in) {
		o.quiet = true
		for _, id := range slices.Sorted(maps.Keys(ref.open)) {
			o.observe(id, in[given].At, -1)
			last[id] = in[given].At
		}
		o.quiet = false
	}
	for i, x := range in[given:] {
		for _, id := range slices.Sorted(maps.Keys(last)) {
			// The instants a stage may change at, then the input's: a
			// crossing in between is searched for at the next.
			for _, at := range slices.Backward(dated(o.version[id], x.At)) {
				if at.After(last[id]) && at.Before(x.At) {
					o.observe(id, at, -1)
				}
			}
			if x.At.After(last[id]) {
				o.observe(id, x.At, -1)
				last[id] = x.At
			}
		}
		settle(x.At)
		if x.Ticket == nil {
			continue
		}
		id := x.Ticket.ID
		if ref.done[id] != nil && !o.known(id) {
			// A settled ticket a counting table held before the watch:
			// adopted at its update, as its version stood then.
			o.quiet = true
			o.observe(id, x.At, -1)
			o.quiet = false
		}
		require.NoError(t, ref.Update(*x.Ticket))
		o.version[id] = x.Ticket
		o.observe(id, x.At, i)
		last[id] = x.At
		delete(settles, id)
		if ref.open[id] == nil {
			settles[id] = o.lastStop(id, x.At)
			settle(x.At)
		}
	}
	return o
}

// known tells whether the oracle has sampled a ticket's timers since it
// last forgot it.
func (o *oracle) known(id string) bool {
	for k := range o.state {
		if k.ticket == id {
			return true
		}
	}
	return false
}

// lastStop is the last instant a clock of a settled ticket stops, or at
// when that is before: a stop dated ahead is not known until it comes.
func (o *oracle) lastStop(id string, at time.Time) time.Time {
	last := at
	tms, err := o.ref.Timers(id, at.AddDate(0, 0, 60))
	require.NoError(o.t, err)
	for _, tm := range tms {
		if tm.Stop.After(last) {
			last = tm.Stop
		}
	}
	return last
}

// timerOf is the rule's timer of a ticket at an instant, as the table's
// version has it; false when the table has none.
func (o *oracle) timerOf(id, rule string, at time.Time) (Timer, bool) {
	tms, err := o.ref.Timers(id, at)
	require.NoError(o.t, err)
	for _, tm := range tms {
		if tm.Rule == rule {
			return tm, true
		}
	}
	return Timer{}, false
}

// observe samples a ticket's timers at an instant and records the events
// the change since the previous sample makes.
func (o *oracle) observe(id string, s time.Time, update int) {
	tms, err := o.ref.Timers(id, s)
	require.NoError(o.t, err)
	v := o.version[id]
	for _, tm := range tms {
		k := oracleKey{id, tm.Rule}
		st := o.state[k]
		if st == nil {
			st = &oracleState{}
			o.state[k] = st
		}
		var evs []oracleWant
		add := func(kind EventKind, from, to time.Time) *oracleWant {
			evs = append(evs, oracleWant{kind: kind, from: from, to: to, sample: s, update: update})
			return &evs[len(evs)-1]
		}
		prev, now := st.stage, tm.Stage
		runs := now == StageRunning || now == StagePaused
		switch {
		case now == StageCancelled:
			if prev != "" && prev != StageCancelled {
				add(EventCancelled, s, s)
			}
		case runs && prev == StageStopped:
			r := lastReopening(v, s)
			add(EventReopened, r, r)
			st.since = r
		case runs && prev == "" && len(v.Reopened) > 0:
			r := lastReopening(v, s)
			add(EventReopened, r, r).optional = true
			st.since = r
		case prev == StageRunning && now == StagePaused, prev == StagePaused && now == StageRunning:
			kind := EventPaused
			if now == StageRunning {
				kind = EventResumed
			}
			e, to := o.entered(id, tm.Rule, v, s, now), s
			if e.After(st.since) {
				to = e
			}
			add(kind, e, to)
			st.since = e
		case runs && prev != now:
			st.since = o.entered(id, tm.Rule, v, s, now)
		case now == StageStopped && prev != StageStopped && prev != "":
			add(EventStopped, tm.Stop, tm.Stop)
		}
		st.stage = now
		if now == StageCancelled {
			st.crossed, st.target, st.breach = 0, false, false
		}
		if now != StageCancelled && now != StageNotStarted && now != StageExcluded {
			silent := prev == "" && (now == StageStopped || len(v.Reopened) > 0)
			for st.crossed < len(o.thr) && tm.UsedAtLeast(o.thr[st.crossed].num, o.thr[st.crossed].den) {
				th := o.thr[st.crossed]
				if !silent {
					from, to := o.reached(id, tm, s, func(x Timer) bool { return x.UsedAtLeast(th.num, th.den) })
					add(EventThreshold, from, to).threshold = th.label
				}
				st.crossed++
			}
			if target := o.targets[tm.Rule]; target > 0 && !st.target && tm.Elapsed >= target {
				if !silent {
					from, to := o.reached(id, tm, s, func(x Timer) bool { return x.Elapsed >= target })
					add(EventTarget, from, to)
				}
				st.target = true
			}
			if tm.Breached && !st.breach {
				if !silent {
					from, to := o.reached(id, tm, s, func(x Timer) bool { return x.Budget > 0 && x.Elapsed >= x.Budget })
					require.False(o.t, tm.BreachAt.Before(from) || tm.BreachAt.After(to),
						"%s %s: the timers breach at %s, reached the budget in [%s, %s]", id, tm.Rule, tm.BreachAt, from, to)
					add(EventBreached, tm.BreachAt, tm.BreachAt)
				}
				st.breach = true
			}
		}
		if len(evs) > 0 && !o.quiet {
			o.want[k] = append(o.want[k], evs)
		}
	}
}

// reached returns the minute in which the version's clock first met the
// condition, searched in its timers from its start up to the sample s,
// at which it holds: (g − 1 min, g].
func (o *oracle) reached(id string, tm Timer, s time.Time, ok func(Timer) bool) (time.Time, time.Time) {
	holds := func(at time.Time) bool {
		x, found := o.timerOf(id, tm.Rule, at)
		return found && ok(x)
	}
	require.True(o.t, holds(s), "%s %s at %s", id, tm.Rule, s)
	lo := tm.Start.Truncate(time.Minute)
	n := int(s.Sub(lo) / time.Minute)
	i := sort.Search(n+1, func(i int) bool { return holds(lo.Add(time.Duration(i) * time.Minute)) })
	g := lo.Add(time.Duration(i) * time.Minute)
	return g.Add(-time.Minute + time.Nanosecond), g
}

// entered returns the instant from which the version's clock has been at
// its stage up to s: the earliest of the version's dated instants, going
// back from s, at which the timers say that stage.
func (o *oracle) entered(id, rule string, v *pacte.Ticket, s time.Time, stage Stage) time.Time {
	from := s
	for _, at := range dated(v, s) {
		x, found := o.timerOf(id, rule, at)
		if !found || x.Stage != stage {
			break
		}
		from = at
	}
	return from
}

// dated returns a version's dated instants up to s, latest first: its
// changes (Changes). Its clocks change stage at those alone.
func dated(v *pacte.Ticket, s time.Time) []time.Time {
	ds := slices.DeleteFunc(Changes(*v), func(at time.Time) bool { return at.After(s) })
	slices.Reverse(ds)
	return ds
}

// lastReopening is the version's last reopening at or before s.
func lastReopening(v *pacte.Ticket, s time.Time) time.Time {
	last := s
	for i := len(v.Reopened) - 1; i >= 0; i-- {
		if !v.Reopened[i].After(s) {
			return v.Reopened[i]
		}
	}
	return last
}

// emittedAt is the input at which the watch must emit what the oracle
// found: the update that revealed it, or the first input that takes the
// watch to its instant (or the update's, for what it revealed) plus the
// lateness; the length of the input when only the end does.
func (d oracleDelivery) emittedAt(w oracleWant) int {
	if w.update >= 0 && d.lateness == 0 {
		return w.update
	}
	due := w.to
	if w.update >= 0 {
		due = w.sample
	}
	due = due.Add(d.lateness)
	return sort.Search(len(d.seen), func(i int) bool { return !d.seen[i].Before(due) })
}

// compare requires the watch's events to be the oracle's, and returns how
// many it compared.
func (o *oracle) compare(t *testing.T, got []indexedEvent, d oracleDelivery) int {
	t.Helper()
	byKey := map[oracleKey][]indexedEvent{}
	for _, ev := range got {
		require.NotContains(t, []EventKind{EventLate, EventRejected}, ev.Kind, "%+v", ev)
		k := oracleKey{ev.Ticket, ev.Rule}
		byKey[k] = append(byKey[k], ev)
	}
	keys := slices.Collect(maps.Keys(o.want))
	for k := range byKey {
		if _, ok := o.want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b oracleKey) int { return strings.Compare(a.ticket+" "+a.rule, b.ticket+" "+b.rule) })
	checked := 0
	for _, k := range keys {
		evs := byKey[k]
		pos := 0
		for _, group := range o.want[k] {
			var required []oracleWant
			for _, w := range group {
				if !w.optional {
					required = append(required, w)
					continue
				}
				if pos < len(evs) && o.matches(w, evs[pos], d) == "" {
					pos++
				}
			}
			if pos+len(required) > len(evs) {
				t.Fatalf("%v: missing %s\n%s", k, describeWants(required), o.context(evs, pos))
			}
			used := make([]bool, len(required))
			for _, ev := range evs[pos : pos+len(required)] {
				why := "no such event expected"
				for i, w := range required {
					if used[i] || w.kind != ev.Kind || w.threshold != thresholdOf(ev.Event) {
						continue
					}
					if why = o.matches(w, ev, d); why == "" {
						used[i] = true
						break
					}
				}
				if why != "" {
					t.Fatalf("%v: got %s: %s; want %s\n%s", k, describeEvent(ev), why, describeWants(required), o.context(evs, pos))
				}
				checked++
			}
			window := evs[pos : pos+len(required)]
			if !slices.ContainsFunc(required, func(w oracleWant) bool { return w.update >= 0 }) &&
				!slices.IsSortedFunc(window, func(a, b indexedEvent) int { return a.At.Compare(b.At) }) {
				t.Fatalf("%v: what the clock brings is out of time order\n%s", k, o.context(evs, pos))
			}
			pos += len(required)
		}
		if pos < len(evs) {
			t.Fatalf("%v: unexpected %s\n%s", k, describeEvent(evs[pos]), o.context(evs, pos))
		}
	}
	return checked
}

// matches says why an event is not the one the oracle wants; "" when it is.
func (o *oracle) matches(w oracleWant, ev indexedEvent, d oracleDelivery) string {
	switch {
	case w.kind != ev.Kind || w.threshold != thresholdOf(ev.Event):
		return "another event"
	case ev.At.Before(w.from) || ev.At.After(w.to):
		return fmt.Sprintf("at %s, not in [%s, %s]", ev.At.Format(time.DateTime), w.from.Format(time.DateTime+".000"), w.to.Format(time.DateTime))
	case ev.input != d.emittedAt(w):
		return fmt.Sprintf("emitted at input %d, not %d", ev.input, d.emittedAt(w))
	}
	return ""
}

func thresholdOf(ev Event) string {
	if ev.Threshold == nil {
		return ""
	}
	return ev.Threshold.String()
}

func describeEvent(ev indexedEvent) string {
	return fmt.Sprintf("%s %s at %s (input %d)", ev.Kind, thresholdOf(ev.Event), ev.At.Format(time.DateTime), ev.input)
}

func describeWants(ws []oracleWant) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "[%s %s in [%s, %s] found at %s, update %d] ", w.kind, w.threshold, w.from.Format(time.DateTime), w.to.Format(time.DateTime),
			w.sample.Format(time.DateTime), w.update)
	}
	return b.String()
}

// context lists the watch's events of a timer around a position.
func (o *oracle) context(evs []indexedEvent, pos int) string {
	var b strings.Builder
	for i := max(pos-4, 0); i < min(pos+4, len(evs)); i++ {
		mark := "  "
		if i == pos {
			mark = "> "
		}
		fmt.Fprintf(&b, "%s%s\n", mark, describeEvent(evs[i]))
	}
	return b.String()
}

// A resolution the tool dates ahead of the update that brings it stops
// the clock at its instant, not before: the crossings up to it and the
// stop are emitted when they come, and a watch that keeps open tickets
// only forgets the ticket then, not at the update.
func TestWatchStopDatedAhead(t *testing.T) {
	c := miniOf2027(t)
	paris := c.Location()
	at := func(h, m int) time.Time { return time.Date(2027, 3, 1, h, m, 0, 0, paris) } // a Monday; HO 09:00-17:00, 4 h
	tk := pacte.Ticket{ID: "A", Priority: "P1", Opened: at(9, 0), History: []pacte.StatusChange{{At: at(9, 0), Status: "new"}}}
	resolved := tk
	resolved.Resolved = at(12, 30)
	in := []WatchInput{{At: at(9, 0), Ticket: &tk}, {At: at(10, 0), Ticket: &resolved}}
	for m := 10*60 + 5; m < 14*60; m += 15 {
		in = append(in, WatchInput{At: at(m/60, m%60)})
	}
	for _, opts := range [][]LiveOption{{TimersOnly()}, nil} {
		l, err := NewLive(c, opts...)
		require.NoError(t, err)
		var open []int // the open tickets as each input is read
		evs, err := l.Watch(func(yield func(WatchInput) bool) {
			for _, x := range in {
				open = append(open, l.Open())
				if !yield(x) {
					return
				}
			}
		})
		require.NoError(t, err)
		var lines []string
		for ev := range evs {
			lines = append(lines, fmt.Sprintf("%s %s %s", ev.At.In(paris).Format("15:04"), ev.Kind, thresholdOf(ev)))
		}
		require.Equal(t, []string{"11:00 threshold 0.5", "12:00 threshold 0.75", "12:30 stopped "}, lines)
		// Open from its first update until the tick at 12:35 (the 13th
		// input) is read.
		require.Equal(t, []int{0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, open[:14])
		require.Zero(t, l.Open())
	}
}

// A rule amended while tickets run, over random feeds that cross the
// amendment (a 4-hour deadline, then 2 hours from 1 March): the oracle's
// samples mix the versions and do not apply, but what the watch says must
// still agree with the timers. Each threshold, target and breach of a
// rule's timer is said once (a cancelled rule starts afresh), and a
// ticket still running at the end that its timers show breached, by the
// version in force then, was said breached (but for a ticket reopened,
// which a watch that keeps open tickets only may first see reopened).
func TestWatchAcrossAnAmendment(t *testing.T) {
	rules, err := os.ReadFile("testdata/mini-rules.yaml")
	require.NoError(t, err)
	amended := strings.Replace(string(rules), "    deadline: 4h\n", "    deadline: 4h\n    versions: [{from: 2027-03-01, deadline: 2h}]\n", 1)
	c, err := contract.Parse([]byte("contract: mini\nterm: {start: 2027-01-01, end: 2027-12-31}\ntimezone: Europe/Paris\n"+amended), "mini.yaml")
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	risk := DefaultRisk()
	risk.Targets = map[string]time.Duration{"P1": 90 * time.Minute}
	breached := 0
	for seed := range uint64(6) {
		in := oracleFeed(seed, oracleSpec{start: time.Date(2027, 2, 25, 8, 30, 0, 0, paris), waiting: "waiting",
			kinds: []string{"incident"}, priorities: []string{"P1", "P1", "P1", "P9"}, tickets: 60, steps: 500})
		l, err := NewLive(c, WithRisk(risk), TimersOnly())
		require.NoError(t, err)
		said := map[oracleKey]map[string]int{}
		for _, ev := range watchIndexed(t, l, in) {
			k := oracleKey{ev.Ticket, ev.Rule}
			if ev.Kind == EventCancelled {
				delete(said, k)
				continue
			}
			if said[k] == nil {
				said[k] = map[string]int{}
			}
			name := string(ev.Kind) + " " + thresholdOf(ev.Event)
			said[k][name]++
			if ev.Kind == EventThreshold || ev.Kind == EventTarget || ev.Kind == EventBreached {
				require.Equal(t, 1, said[k][name], "seed %d: %v %s said twice", seed, k, name)
			}
		}
		end := in[len(in)-1].At
		for _, tm := range l.AppendOpenTimers(nil, end) {
			if len(l.open[tm.Ticket].t.Reopened) > 0 {
				continue // first seen reopened, by a watch that forgot it: its crossings are taken as said
			}
			if tm.Breached && (tm.Stage == StageRunning || tm.Stage == StagePaused) {
				require.Equal(t, 1, said[oracleKey{tm.Ticket, tm.Rule}]["breached "], "seed %d: %s %s breached at %s", seed, tm.Ticket, tm.Rule, tm.BreachAt)
				breached++
			}
		}
	}
	require.Greater(t, breached, 10)
}
