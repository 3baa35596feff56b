package simulate

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/shopspring/decimal"
)

// Simulation is a scenario prepared against a contract: calendars
// resolved, arrival tables and staffing computed, history read. It is
// immutable and safe for concurrent use; [Simulation.Run] draws runs from
// it and [Simulation.Records] gives the records of one run.
type Simulation struct {
	c     *contract.Contract
	s     *Scenario
	loc   *time.Location
	start time.Time // first instant simulated
	end   time.Time // first instant after

	// digest identifies the scenario as prepared (see identify).
	digest [sha256.Size]byte

	months   []month
	tickets  *slotTable // when tickets are opened (and surveys returned)
	classes  []*ticketClass
	desk     *deskModel
	outages  []*outageClass
	surveys  *surveyModel
	volumes  map[string]map[string]decimal.Decimal
	indices  contract.Indices
	staffing []MonthStaffing

	// The contract years of the span, in order, and the cost of each
	// and of the span (the staffing is planned: the same every run).
	years    []int
	yearCost []decimal.Decimal
	termCost decimal.Decimal

	// pairs is set in the simulation that draws antithetic pairs
	// (antithetic.go); paired is that simulation, made by New.
	pairs  bool
	paired *Simulation
}

// month is one month of the scenario.
type month struct {
	start, end time.Time
	label      string  // "2027-03"
	factor     float64 // growth × seasonality
}

// slotLen is the length of a slot of the arrival tables and the staffing.
const slotLen = 30 * time.Minute

// New checks a scenario against a contract and prepares it: calendar
// names resolved, the span within the term, arrival tables, the staffing
// of every half hour (by Erlang C or A when the scenario sets a target),
// and the durations of the history file. The scenario is copied: later
// changes to it do not change the simulation.
func New(c *contract.Contract, sc *Scenario) (*Simulation, error) {
	if c == nil || sc == nil {
		return nil, fmt.Errorf("simulate: New needs a contract and a scenario")
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	s := sc.Clone()
	sim := &Simulation{c: c, s: s, loc: c.Location()}
	v := &validator{s: s}
	sim.span(v)
	if len(v.errs) > 0 {
		return nil, v.errs.sorted()
	}
	sim.tickets = sim.slotTable(v, "arrivals", s.Arrivals)
	nerr := len(v.errs)
	history := sim.readHistory(v)
	sim.identify(history)
	historyRead := len(v.errs) == nerr
	for i := range s.Tickets {
		sim.classes = append(sim.classes, sim.ticketClass(v, i, history, historyRead))
	}
	sim.clocks()
	if s.Calls != nil && s.Calls.PerMonth > 0 {
		sim.desk = sim.deskModel(v)
	}
	for i := range s.Outages {
		sim.outages = append(sim.outages, sim.outageClass(v, i))
	}
	if s.Surveys != nil && s.Surveys.PerTicket > 0 {
		sim.surveys = sim.surveyModel()
	}
	sim.reported(v)
	if len(v.errs) > 0 {
		return nil, v.errs.sorted()
	}
	sim.staff()
	sim.costYears()
	sim.paired = sim.antithetic()
	return sim, nil
}

// costYears sums the cost of each month into its contract year's.
func (sim *Simulation) costYears() {
	for i, m := range sim.months {
		y, cost := sim.c.ContractYear(m.start), sim.monthCost(i)
		if k := len(sim.years) - 1; k >= 0 && sim.years[k] == y {
			sim.yearCost[k] = sim.yearCost[k].Add(cost)
		} else {
			sim.years = append(sim.years, y)
			sim.yearCost = append(sim.yearCost, cost)
		}
		sim.termCost = sim.termCost.Add(cost)
	}
}

// Contract returns the contract simulated.
func (sim *Simulation) Contract() *contract.Contract { return sim.c }

// Scenario returns a copy of the scenario simulated.
func (sim *Simulation) Scenario() *Scenario { return sim.s.Clone() }

// Span returns the first instant simulated and the first after.
func (sim *Simulation) Span() (start, end time.Time) { return sim.start, sim.end }

func (sim *Simulation) span(v *validator) {
	c, s := sim.c, sim.s
	start := c.Start()
	if s.Start != (calendar.Date{}) {
		start = time.Date(s.Start.Year, s.Start.Month, s.Start.Day, 0, 0, 0, 0, sim.loc)
	}
	if start.Before(c.Start()) || !start.Before(c.End()) {
		v.fail("start", "%s is outside the contract's term (%s to %s)", start.Format(time.DateOnly),
			c.Start().Format(time.DateOnly), c.End().AddDate(0, 0, -1).Format(time.DateOnly))
		return
	}
	end := c.End()
	if s.Months > 0 {
		end = start.AddDate(0, s.Months, 0)
		if end.After(c.End()) {
			v.fail("months", "%d months from %s run past the contract's end (%s)", s.Months, start.Format(time.DateOnly),
				c.End().AddDate(0, 0, -1).Format(time.DateOnly))
			return
		}
	}
	sim.start, sim.end = start, end
	for i, p := range c.Periods(contract.Month, start, end) {
		f := math.Pow(1+s.Growth, float64(i)/12)
		if len(s.Seasonality) == 12 {
			f *= s.Seasonality[p.Start.Month()-1]
		}
		m := month{start: p.Start, end: p.End, label: p.Start.Format("2006-01"), factor: f}
		if m.start.Before(start) {
			m.start = start
		}
		if m.end.After(end) {
			m.end = end
		}
		sim.months = append(sim.months, m)
	}
}

// calendar resolves a calendar name of the contract, or a spec in the
// contract's zone; "" is nil (wall-clock time).
func (sim *Simulation) calendar(v *validator, path, name string) *calendar.Calendar {
	if name == "" {
		return nil
	}
	if cal, ok := sim.c.Calendar(name); ok {
		return cal
	}
	if name == "24x7" {
		return nil
	}
	if strings.ContainsAny(name, " :;") {
		cal, err := calendar.ParseIn(name, sim.loc)
		if err == nil {
			return cal
		}
		v.fail(path, "%v", err)
		return nil
	}
	msg := fmt.Sprintf("unknown calendar %q: the contract has %s", name, strings.Join(sim.c.CalendarNames(), ", "))
	v.fail(path, "%s; or write a calendar spec (mon-fri 08:00-18:00)", msg)
	return nil
}

// clocks builds the clocks of the ticket classes' calendars, one a
// calendar, over the span and the year after it (when the last tickets
// are resolved and their problems found).
func (sim *Simulation) clocks() {
	made := map[*calendar.Calendar]*clock{}
	get := func(cal *calendar.Calendar) *clock {
		if cal == nil {
			return nil
		}
		c, ok := made[cal]
		if !ok {
			c = newClock(cal, sim.start, sim.end.AddDate(1, 0, 0))
			made[cal] = c
		}
		return c
	}
	for _, tc := range sim.classes {
		tc.clock, tc.ackClock, tc.problemClock = get(tc.cal), get(tc.ackCal), get(tc.problemCal)
	}
}

// slotTable spreads a month's volume over its half hours by a profile.
type slotTable struct {
	months []slotMonth
}

type slotMonth struct {
	start  int64     // unix nanoseconds of the first slot
	end    int64     // unix nanoseconds of the month's end
	weight []float64 // per slot
	total  float64
	// alias is Walker's alias table of the weights: slot k is drawn with
	// probability 1/n, kept with probability alias[k].keep / 2³² and replaced
	// by alias[k].slot otherwise, in constant time. Both halves of an
	// entry side by side: one cache line read a draw.
	alias  []aliasEntry
	day    []uint8 // per slot: the day type (weekday, holidays as Sunday)
	minute []int16 // per slot: local minutes since midnight, rounded down to the half hour
}

func (sim *Simulation) slotTable(v *validator, path string, p Profile) *slotTable {
	var hol *calendar.Calendar
	if p.Holidays != "" {
		cal, err := calendar.New(calendar.In(sim.loc), calendar.AlwaysOpen(), calendar.WithHolidays(p.Holidays))
		if err != nil {
			v.fail(path+".holidays", "%v", err)
		} else {
			hol = cal
		}
	}
	var open *calendar.Calendar
	if p.Calendar != "" {
		open = sim.calendar(v, path+".calendar", p.Calendar)
	}
	var days [7]float64
	for i, name := range weekdayNames {
		w, ok := p.Weekdays[name]
		switch {
		case len(p.Weekdays) == 0:
			days[i] = 1
		case ok:
			days[i] = w
		}
	}
	hours := func(minute int) float64 {
		switch len(p.Hours) {
		case 24:
			return p.Hours[minute/60]
		case 48:
			return p.Hours[minute/30]
		}
		return 1
	}
	t := &slotTable{}
	for _, m := range sim.months {
		sm := slotMonth{start: m.start.UnixNano(), end: m.end.UnixNano()}
		holiday := map[[3]int]bool{}
		for at := m.start; at.Before(m.end); at = at.Add(slotLen) {
			local := at.In(sim.loc)
			y, mo, d := local.Date()
			day := uint8(local.Weekday())
			if hol != nil {
				key := [3]int{y, int(mo), d}
				h, ok := holiday[key]
				if !ok {
					h = !hol.IsOpen(time.Date(y, mo, d, 12, 0, 0, 0, sim.loc))
					holiday[key] = h
				}
				if h {
					day = uint8(time.Sunday)
				}
			}
			minute := local.Hour()*60 + local.Minute()/30*30
			w := days[day] * hours(minute)
			if open != nil && !open.IsOpen(at) {
				w = 0
			}
			if rest := m.end.Sub(at); rest < slotLen {
				w *= float64(rest) / float64(slotLen)
			}
			sm.total += w
			sm.weight = append(sm.weight, w)
			sm.day = append(sm.day, day)
			sm.minute = append(sm.minute, int16(minute))
		}
		prob, alias := aliasTable(sm.weight, sm.total)
		sm.alias = make([]aliasEntry, len(prob))
		for k := range prob {
			sm.alias[k] = aliasEntry{keep: uint32(min(prob[k]*(1<<32), math.MaxUint32)), slot: alias[k]}
		}
		t.months = append(t.months, sm)
	}
	return t
}

// instant draws an instant of the month with the table's weights: a slot
// by its weight, then a uniform instant within it.
func (t *slotTable) instant(r *rng, mi int) int64 {
	sm := &t.months[mi]
	if sm.total == 0 {
		return sm.start + int64(r.Float64()*float64(sm.end-sm.start))
	}
	// One draw: its high half picks the slot, its low half whether the
	// slot is kept or replaced by its alias.
	x := r.Uint64()
	k := int((x >> 32) * uint64(len(sm.alias)) >> 32)
	if e := sm.alias[k]; uint32(x) >= e.keep {
		k = int(e.slot)
	}
	from := sm.start + int64(k)*int64(slotLen)
	to := min(from+int64(slotLen), sm.end)
	return from + int64(r.Float64()*float64(to-from))
}

// aliasEntry is a slot's entry of an alias table, eight bytes: a month's
// table (1,488 slots) stays in the first-level cache while tickets are
// drawn from it.
type aliasEntry struct {
	keep uint32 // the slot is kept when a uniform 32-bit draw is below keep: its probability · 2³²
	slot int32  // the slot drawn otherwise
}

// aliasTable builds Walker's alias table of weights (Vose's method).
func aliasTable(weight []float64, total float64) ([]float64, []int32) {
	n := len(weight)
	prob, alias := make([]float64, n), make([]int32, n)
	if total <= 0 {
		return prob, alias
	}
	scaled := make([]float64, n)
	var small, large []int32
	for i, w := range weight {
		scaled[i] = w * float64(n) / total
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		prob[s], alias[s] = scaled[s], l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains is 1 up to rounding; a slot of weight 0 left here
	// (rounding again) must never be drawn, so it points to a slot that
	// can be.
	for _, i := range large {
		prob[i], alias[i] = 1, i
	}
	for _, i := range small {
		prob[i] = 1
		alias[i] = i
		if weight[i] == 0 {
			prob[i] = 0
			for j, w := range weight {
				if w > 0 {
					alias[i] = int32(j)
					break
				}
			}
		}
	}
	return prob, alias
}

// readHistory reads the history file's tickets, once, keeping their
// opening, acknowledgement and resolution by kind and priority.
func (sim *Simulation) readHistory(v *validator) []pastTicket {
	h := sim.s.History
	if h == nil {
		return nil
	}
	path := h.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(sim.s.dir(), path)
	}
	f, err := os.Open(path)
	if err != nil {
		v.fail("history.file", "%v", err)
		return nil
	}
	defer f.Close()
	var m *ingest.Mapping
	switch {
	case h.Preset != "":
		m, err = ingest.Preset(h.Preset)
	case h.Mapping != "":
		mp := h.Mapping
		if !filepath.IsAbs(mp) {
			mp = filepath.Join(sim.s.dir(), mp)
		}
		m, err = ingest.LoadMapping(mp)
	}
	if err != nil {
		v.fail("history", "%v", err)
		return nil
	}
	rd, err := ingest.ReadTickets(f, m, ingest.Options{Name: h.File, Location: sim.loc})
	if err != nil {
		v.fail("history", "%v", err)
		return nil
	}
	var out []pastTicket
	for t := range rd.Records() {
		out = append(out, pastTicket{kind: t.Kind, priority: t.Priority, opened: t.Opened,
			acknowledged: t.Acknowledged, resolved: t.Resolved, pauses: t.Pauses})
	}
	if err := rd.Err(); err != nil {
		v.fail("history.file", "%v", err)
	}
	return out
}

// identify computes the simulation's digest: a SHA-256 of the scenario
// as prepared and of the history it read, what the runs depend on
// besides the contract, the seed and the run numbers. Two results merge
// only when they come from one simulation: a scenario of the same name
// whose volumes or history changed between two machines must not.
func (sim *Simulation) identify(history []pastTicket) {
	h := sha256.New()
	h.Write([]byte("pacte simulation 1\n"))
	// The scenario is plain data: its JSON holds every field, and a
	// scenario that does not encode (a NaN) has failed its validation.
	if err := json.NewEncoder(h).Encode(sim.s); err != nil {
		h.Write([]byte(err.Error()))
	}
	instant := func(t time.Time) { h.Write(binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))) }
	for _, p := range history {
		fmt.Fprintf(h, "%q %q %d\n", p.kind, p.priority, len(p.pauses))
		instant(p.opened)
		instant(p.acknowledged)
		instant(p.resolved)
		for _, iv := range p.pauses {
			instant(iv.Start)
			instant(iv.End)
		}
	}
	h.Sum(sim.digest[:0])
}

// digestWith is the identity of the results of the simulation's runs
// under a contract: its digest and the contract's, in hexadecimal.
func (sim *Simulation) digestWith(c *contract.Contract) string {
	cd := c.Digest()
	return fmt.Sprintf("%x", sha256.Sum256(append(cd[:], sim.digest[:]...)))
}

type pastTicket struct {
	kind, priority                 string
	opened, acknowledged, resolved time.Time
	pauses                         []calendar.Interval
}

// fromHistory returns the durations the history measured for a class,
// in open time of its calendar, less pauses: the time to restore
// (acknowledge false) or to acknowledge.
func fromHistory(history []pastTicket, kind, priority string, cal *calendar.Calendar, acknowledge bool) []time.Duration {
	open := func(from, to time.Time) time.Duration {
		if !to.After(from) {
			return 0
		}
		if cal == nil {
			return to.Sub(from)
		}
		return cal.Between(from, to)
	}
	var out []time.Duration
	for _, t := range history {
		if !strings.EqualFold(t.kind, kind) || !strings.EqualFold(t.priority, priority) {
			continue
		}
		stop := t.resolved
		if acknowledge {
			stop = t.acknowledged
		}
		if stop.IsZero() || stop.Before(t.opened) {
			continue
		}
		d := open(t.opened, stop)
		for _, p := range t.pauses {
			s, e := p.Start, p.End
			if s.Before(t.opened) {
				s = t.opened
			}
			if e.IsZero() || e.After(stop) {
				e = stop
			}
			d -= open(s, e)
		}
		out = append(out, max(d, 0))
	}
	slices.Sort(out)
	return out
}

// ticketClass is a TicketClass ready to draw from.
type ticketClass struct {
	TicketClass
	idx                   int
	prefix                string
	ids, problemIDs       *idTable
	cal                   *calendar.Calendar // nil: wall-clock time
	ackCal                *calendar.Calendar
	ack, restore          sampler
	hasAck                bool
	pauseLen, reopenAfter sampler
	rootCause             sampler
	problemCal            *calendar.Calendar
	// The clocks of cal, ackCal and problemCal: nil for wall-clock time.
	clock, ackClock, problemClock *clock
	services, excluded            []weighted
	levels                        []float64 // cumulative
	pauseStatus, keStatus         string
	pauseProb, reopenRate         float64
	problemProb                   float64
}

type weighted struct {
	name string
	cum  float64
}

func cumulative(m map[string]float64) []weighted {
	var out []weighted
	total := 0.0
	for _, k := range sortedKeys(m) {
		total += m[k]
		out = append(out, weighted{k, total})
	}
	return out
}

// pick returns the name whose cumulative share first exceeds u, or "".
func pick(ws []weighted, u float64) string {
	for _, w := range ws {
		if u < w.cum {
			return w.name
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func (sim *Simulation) ticketClass(v *validator, i int, history []pastTicket, historyRead bool) *ticketClass {
	t := sim.s.Tickets[i]
	p := fmt.Sprintf("tickets[%d]", i)
	tc := &ticketClass{TicketClass: t, idx: i}
	tc.cal = sim.calendar(v, p+".calendar", t.Calendar)
	tc.ackCal = tc.cal
	if t.AcknowledgeCalendar != "" {
		tc.ackCal = sim.calendar(v, p+".acknowledge_calendar", t.AcknowledgeCalendar)
	}
	dist := func(path string, d Dist, acknowledge bool) sampler {
		var h []time.Duration
		if d.History {
			h = fromHistory(history, t.Kind, t.Priority, tc.cal, acknowledge)
			if len(h) == 0 && historyRead {
				what := "resolved"
				if acknowledge {
					what = "acknowledged"
				}
				v.fail(path, "the history has no %s ticket of kind %q and priority %q", what, t.Kind, t.Priority)
				h = []time.Duration{0}
			}
		}
		return newSampler(d, h)
	}
	tc.restore = dist(p+".restore", t.Restore, false)
	tc.hasAck = !t.Acknowledge.IsZero()
	if tc.hasAck {
		cal := tc.cal
		tc.cal = tc.ackCal // the history's acknowledgements, measured on their calendar
		tc.ack = dist(p+".acknowledge", t.Acknowledge, true)
		tc.cal = cal
	}
	if t.Pauses != nil && t.Pauses.Probability > 0 {
		tc.pauseProb = t.Pauses.Probability
		tc.pauseLen = newSampler(t.Pauses.Length, nil)
		tc.pauseStatus = cmp.Or(t.Pauses.Status, "waiting for client")
	}
	if t.Reopen != nil && t.Reopen.Rate > 0 {
		tc.reopenRate = t.Reopen.Rate
		after := t.Reopen.After
		if after.IsZero() {
			after = Lognormal(24*time.Hour, 120*time.Hour)
		}
		tc.reopenAfter = newSampler(after, nil)
	}
	if pr := t.Problems; pr != nil && pr.Probability > 0 {
		tc.problemProb = pr.Probability
		tc.rootCause = newSampler(pr.RootCause, nil)
		tc.problemCal = tc.cal
		if pr.Calendar != "" {
			tc.problemCal = sim.calendar(v, p+".problems.calendar", pr.Calendar)
		}
		tc.keStatus = cmp.Or(pr.Status, "known error")
	}
	tc.services = cumulative(t.Services)
	tc.excluded = cumulative(t.Excluded)
	total := 0.0
	for _, l := range t.Levels {
		total += l
		tc.levels = append(tc.levels, total)
	}
	tc.prefix = idPrefix(t.Kind, t.Priority)
	for _, other := range sim.classes {
		if other.prefix == tc.prefix || strings.HasPrefix(other.prefix, tc.prefix) {
			tc.prefix = fmt.Sprintf("%s%d-", tc.prefix, i+1)
			break
		}
	}
	tc.ids, tc.problemIDs = newIDTable(tc.prefix), newIDTable("PRB-"+tc.prefix)
	return tc
}

// idPrefix names the tickets of a class: INC-P1-, REQ-P3-, PRO-.
func idPrefix(kind, priority string) string {
	k := strings.ToUpper(kind)
	if len(k) > 3 {
		k = k[:3]
	}
	if priority != "" {
		k += "-" + priority
	}
	return k + "-"
}

// outageClass is an OutageClass ready to draw from.
type outageClass struct {
	OutageClass
	duration, notice sampler
	in               *calendar.Calendar
	ids              *idTable
}

func (sim *Simulation) outageClass(v *validator, i int) *outageClass {
	o := sim.s.Outages[i]
	oc := &outageClass{OutageClass: o, duration: newSampler(o.Duration, nil), notice: newSampler(o.Notice, nil),
		ids: newIDTable(o.Service + "-OUT-")}
	if o.PlannedIn != "" {
		oc.in = sim.calendar(v, fmt.Sprintf("outages[%d].planned_in", i), o.PlannedIn)
	}
	return oc
}

// surveyModel draws the satisfaction surveys of each month.
type surveyModel struct {
	name     string
	perMonth []float64 // expected surveys, by month
	scores   []decimal.Decimal
	cum      []float64
	ids      *idTable
}

func (sim *Simulation) surveyModel() *surveyModel {
	sv := sim.s.Surveys
	sm := &surveyModel{name: cmp.Or(sv.Name, "csat"), ids: newIDTable("SURVEY-")}
	base := 0.0
	for _, t := range sim.s.Tickets {
		if len(sv.Kinds) == 0 || slices.ContainsFunc(sv.Kinds, func(k string) bool { return strings.EqualFold(k, t.Kind) }) {
			base += t.PerMonth
		}
	}
	for _, m := range sim.months {
		sm.perMonth = append(sm.perMonth, base*m.factor*sv.PerTicket)
	}
	type score struct {
		v     decimal.Decimal
		share float64
	}
	var scores []score
	for k, share := range sv.Scores {
		scores = append(scores, score{decimal.RequireFromString(k), share})
	}
	slices.SortFunc(scores, func(a, b score) int { return a.v.Cmp(b.v) })
	total := 0.0
	for _, s := range scores {
		total += s.share
		sm.scores = append(sm.scores, s.v)
		sm.cum = append(sm.cum, total)
	}
	return sm
}

func (sim *Simulation) reported(v *validator) {
	s := sim.s
	for _, k := range sortedKeys(s.Reported) {
		u, ok := sim.c.WorkUnit(k)
		switch {
		case !ok:
			var ids []string
			for _, w := range sim.c.WorkUnits() {
				if w.Volume.Given {
					ids = append(ids, w.ID)
				}
			}
			v.fail("reported."+k, "the contract has no work unit %s (reported units: %s)", k, strings.Join(ids, ", "))
			continue
		case !u.Volume.Given:
			v.fail("reported."+k, "the volume of %s is counted from records, not reported", k)
			continue
		}
	}
	if len(s.Reported) > 0 {
		sim.volumes = map[string]map[string]decimal.Decimal{}
		for _, m := range sim.months {
			sim.volumes[m.label] = maps.Clone(s.Reported)
		}
	}
	if len(s.Indices) > 0 {
		sim.indices = contract.Indices{}
		for k, vs := range s.Indices {
			sim.indices[k] = maps.Clone(vs)
		}
	}
}

// splitMix64 is the finaliser of SplitMix64, a bijection that scatters
// nearby inputs.
func splitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// The random streams of a run: each record source, and each class within
// it, draws from its own generator, so that changing one class changes
// no draw of another.
const (
	streamCalls   = 1
	streamSurveys = 2
	streamTickets = 1 << 20 // + class index
	streamOutages = 2 << 20 // + class index
)

// newRand returns the generator of one stream of one run: a PCG whose
// state is derived from the seed, the run's index and the stream by
// SplitMix64. It depends on nothing else, so a run gives the same records
// whatever the number of workers and the order runs are drawn in.
func newRand(seed uint64, run int, stream uint64) *rng {
	return rand.New(newPCG(seed, run, stream))
}

func newPCG(seed uint64, run int, stream uint64) *rand.PCG {
	a := splitMix64(seed ^ splitMix64(uint64(run)))
	b := splitMix64(a ^ splitMix64(stream))
	return rand.NewPCG(a, b)
}

// rand returns the generator of one stream of one run: newRand's, or in
// the simulation of antithetic pairs, the pair's generator, its words
// complemented for the pair's second run (antithetic.go).
func (sim *Simulation) rand(seed uint64, run int, stream uint64) *rng {
	if !sim.pairs {
		return newRand(seed, run, stream)
	}
	src := newPCG(seed, run&^1, stream)
	if run&1 == 1 {
		return rand.New(complement{src})
	}
	return rand.New(src)
}

// rng is the random generator of one stream of one run.
type rng = rand.Rand
