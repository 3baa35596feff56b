package sla

import (
	"slices"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
)

// scopeMemo keeps the outcomes of the scopes that depend on text fields
// alone (kind == "incident" && priority == "P1") from one record to the
// next: tickets of a class come in runs, and a contract's scopes are
// mostly such tests, so the next ticket usually reads the same texts and
// its scopes need not be evaluated again. Records that come mixed, as an
// export's may, would pay for the comparison and the copy and gain
// nothing: the memo then stands aside for a while (see load). The memo
// belongs to one evaluator: it is scratch state, like the evaluator's
// environments.
type scopeMemo[E dsl.Env] struct {
	fields   []func(*E) string // the text fields the memoized scopes read
	key      []string          // their texts on the record the outcomes are from
	outcomes []scopeOutcome    // per scope slot, as Evaluator.scopes; unknown for the others
	memo     []bool            // the slot's scope depends on the fields alone
	valid    bool              // key and outcomes are the previous record's
	credit   int               // hits less twice the misses, lately
	idle     int               // records left before the memo tries again

	// ruleSlots is the scope slot of each rule of the source (−1: none);
	// live lists, for the outcomes kept, the rules whose scope does not
	// leave the record out, and out tells whether one does: a record that
	// hits goes through those rules alone.
	ruleSlots []int
	live      []int
	out       bool
}

// The memo pays when at least two records in three hit; below that it
// stands aside for memoIdle records, then tries again, and one miss then
// sends it aside again: records in no order pay for one miss in 257.
const (
	memoCredit = 16
	memoIdle   = 256
)

// newScopeMemo prepares the memo of the rules of one source, whose scopes
// scope gives; nil when none of them depends on text fields alone.
func newScopeMemo[E dsl.Env](rules []*preparedRule, slots int, scope func(*preparedRule) *fast.Program[E]) *scopeMemo[E] {
	m := &scopeMemo[E]{outcomes: make([]scopeOutcome, slots), memo: make([]bool, slots)}
	var names []string
	for _, rule := range rules {
		m.ruleSlots = append(m.ruleSlots, rule.scopeSlot)
		p := scope(rule)
		if p == nil || rule.scopeSlot < 0 || p.SafeBoolFunc() == nil {
			continue
		}
		fields, ok := p.TextInputs()
		if !ok {
			continue
		}
		m.memo[rule.scopeSlot] = true
		for _, f := range fields {
			if !slices.Contains(names, f.Name) {
				names = append(names, f.Name)
				m.fields = append(m.fields, f.Get)
			}
		}
	}
	if len(m.fields) == 0 {
		return nil
	}
	m.key = make([]string, len(m.fields))
	return m
}

// load sets scopes for the record of env: the memoized outcomes when its
// texts are those of the record they are from, nothing otherwise. It
// reports whether it could; if not, the caller stores the record's
// outcomes once its rules have evaluated their scopes.
func (m *scopeMemo[E]) load(env *E, scopes []scopeOutcome) bool {
	if m == nil {
		clear(scopes)
		return false
	}
	if m.idle > 0 {
		if m.idle--; m.idle > 0 {
			clear(scopes)
			return false
		}
		// The last record it stands aside for: its key is read below, so
		// that the next record may hit.
	}
	hit := m.valid
	for i, f := range m.fields {
		if s := f(env); s != m.key[i] {
			m.key[i], hit = s, false
		}
	}
	if hit {
		m.credit = min(m.credit+1, memoCredit)
		copy(scopes, m.outcomes)
		return true
	}
	if m.valid {
		if m.credit -= 2; m.credit < -memoCredit {
			m.credit, m.idle = -memoCredit, memoIdle
		}
	}
	m.valid = false
	clear(scopes)
	return false
}

// store keeps the outcomes of the memoized scopes of the record load was
// last given, unless the memo stands aside.
func (m *scopeMemo[E]) store(scopes []scopeOutcome) {
	if m == nil || m.idle > 0 {
		return
	}
	for i, ok := range m.memo {
		if ok {
			m.outcomes[i] = scopes[i]
		}
	}
	m.live, m.out = m.live[:0], false
	for i, slot := range m.ruleSlots {
		if slot >= 0 && m.memo[slot] && m.outcomes[slot] == scopeOut {
			m.out = true
		} else {
			m.live = append(m.live, i)
		}
	}
	m.valid = true
}

// openMemo keeps the outcome of a scope that is is_open(cal, t) from one
// record to the next, with the span of instants it holds for: a desk's
// calls come in time order, hundreds within each opening, so one search
// of the calendar at each change replaces one for each call. Calls that
// come out of order would pay for the span and gain nothing: the memo
// then stands aside for a while, as scopeMemo does.
type openMemo[E dsl.Env] struct {
	cal      *calendar.Calendar
	at       func(*E) time.Time
	from, to int64 // the outcome holds for instants in [from, to), unix seconds
	open     bool
	credit   int // hits less twice the misses, lately, as scopeMemo's
	idle     int // records left that ask the calendar directly, when calls come out of order
}

// newOpenMemos prepares the memos of the scope slots of rules that are
// open tests, whose scopes scope gives; nil when there is none.
func newOpenMemos[E dsl.Env](rules []*preparedRule, slots int, scope func(*preparedRule) *fast.Program[E]) []openMemo[E] {
	var memos []openMemo[E]
	for _, rule := range rules {
		p := scope(rule)
		if p == nil || rule.scopeSlot < 0 {
			continue
		}
		if cal, at, ok := p.OpenTest(); ok {
			if memos == nil {
				memos = make([]openMemo[E], slots)
			}
			memos[rule.scopeSlot] = openMemo[E]{cal: cal, at: at, from: 1, to: 0} // empty
		}
	}
	return memos
}

// isOpen is cal.IsOpen(at(env)). The calendar answers by the second.
func (m *openMemo[E]) isOpen(env *E) bool {
	t := m.at(env)
	if m.idle > 0 { // finding the span costs two searches: not worth it now
		m.idle--
		return m.cal.IsOpen(t)
	}
	u := t.Unix()
	if u >= m.from && u < m.to {
		m.credit = min(m.credit+1, memoCredit)
		return m.open
	}
	if m.credit -= 2; m.credit < -memoCredit {
		m.credit, m.idle, m.from, m.to = -memoCredit, memoIdle, 1, 0
		return m.cal.IsOpen(t)
	}
	// The span is looked for a week ahead at most: a calendar always open
	// (24x7) or never open would otherwise be searched to its last year.
	m.open = m.cal.IsOpen(t)
	horizon := t.Add(openMemoHorizon)
	next := horizon
	for w := range m.cal.Windows(t, horizon) {
		next = w.Start // the next opening
		if m.open {
			next = w.End // the end of this one
		}
		break
	}
	m.from, m.to = u, next.Unix()
	return m.open
}

// openMemoHorizon is how far ahead the open memo looks for the next
// change: past a weekend.
const openMemoHorizon = 7 * 24 * time.Hour
