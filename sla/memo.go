package sla

import "github.com/pacte-sla/pacte/dsl"

// scopeMemo keeps the outcomes of the scopes that depend on text fields
// alone (kind == "incident" && priority == "P1") from one record to the
// next: tickets of a class come in runs, and a contract's scopes are
// mostly such tests, so the next ticket usually reads the same texts and
// its scopes need not be evaluated again. The memo belongs to one
// evaluator: it is scratch state, like the evaluator's environments.
type scopeMemo[E dsl.Env] struct {
	fields   []func(*E) string // the text fields the memoized scopes read
	key      []string          // their texts on the record the outcomes are from
	outcomes []int8            // per scope slot, as Evaluator.scopes; 0 for the others
	memo     []bool            // the slot's scope depends on the fields alone
	valid    bool
}

// newScopeMemo prepares the memo of the rules of one source; nil when none
// of their scopes depends on text fields alone.
func newScopeMemo[E dsl.Env](rules []*ruleRT, slots int) *scopeMemo[E] {
	m := &scopeMemo[E]{outcomes: make([]int8, slots), memo: make([]bool, slots)}
	var names []string
	for _, rt := range rules {
		p, _ := rt.r.Scope.Program.(*dsl.Program[E])
		if p == nil || rt.scopeSlot < 0 || p.SafeBoolFunc() == nil {
			continue
		}
		fields, ok := p.TextInputs()
		if !ok {
			continue
		}
		m.memo[rt.scopeSlot] = true
		for _, f := range fields {
			if !contains(names, f.Name) {
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

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// load sets scopes for the record of env: the memoized outcomes when its
// texts are those of the record they are from, nothing otherwise. It
// reports whether it could; if not, the caller stores the record's
// outcomes once its rules have evaluated their scopes.
func (m *scopeMemo[E]) load(env *E, scopes []int8) bool {
	if m == nil {
		clear(scopes)
		return false
	}
	hit := m.valid
	for i, f := range m.fields {
		if s := f(env); s != m.key[i] {
			m.key[i], hit = s, false
		}
	}
	if hit {
		copy(scopes, m.outcomes)
		return true
	}
	m.valid = false
	clear(scopes)
	return false
}

// store keeps the outcomes of the memoized scopes of the record load was
// last given.
func (m *scopeMemo[E]) store(scopes []int8) {
	if m == nil {
		return
	}
	for i, ok := range m.memo {
		if ok {
			m.outcomes[i] = scopes[i]
		}
	}
	m.valid = true
}
