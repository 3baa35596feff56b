package sla

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/fast"
	"github.com/shopspring/decimal"
)

// preparedRule is a rule ready to run: its compiled programs with their
// types recovered, its periods indexed. The fields every item reads come first,
// close together: between two records, a simulation's generator evicts
// them from the cache.
type preparedRule struct {
	idx int
	// own is the rule a version belongs to, the rule itself when it is
	// not a version. The contract's rules come first in the evaluator's,
	// the versions of a rule after them: each version is evaluated on every
	// record as its own rule would be, and the report takes each period from
	// the one in force on its first day (inForce).
	own *preparedRule
	// inForce, of a rule with versions: per period, the prepared rule in
	// force, and versionFrom the first day of its version (zero: the rule's
	// own). Nil without versions.
	inForce     []*preparedRule
	versionFrom []time.Time
	// scopeSlot numbers the rule's scope among the distinct scopes of the
	// contract (−1: none), so that rules with the same scope evaluate it
	// once per record.
	scopeSlot int
	// attrSlot numbers the attribution of a call or sample rule among the
	// distinct ones (−1: none or another source), likewise.
	attrSlot int

	// What the per-item path checks of the rule, worked out once.
	perItem bool // a component has a per-item formula
	// itemFees: per component, the work units its per-item formula's
	// fee() names (contract.Component.ItemUnits); unitFee, per such unit,
	// the fees that value it at 1 and the others at 0.
	itemFees     [][]string
	unitFee      map[string]map[string]decimal.Decimal
	countsCalls  bool          // a call rule: its calls' telephony figures are counted
	fastCall     bool          // a call rule that callRule evaluates
	shortAbandon time.Duration // a call rule's short abandons, 0 for the others

	// The rule's programs over its records: those of its source.
	tickets *programs[dsl.Ticket]
	calls   *programs[dsl.Call]

	// plans are how the per-item path measures each objective (the
	// first nObjs), small enough to keep here rather than behind a slice.
	plans [2]objectivePlan
	nObjs int

	periods periodIndex

	outages *programs[dsl.Outage]
	samples *programs[dsl.Sample]

	// The clock of a ticket rule.
	cal                   *calendar.Calendar
	deadline              *contract.Deadline
	clockStart, clockStop instant[dsl.Ticket]
	pauseWhen             func(*dsl.StatusChange) (bool, error) // nil: no status pauses the clock
	pauseSrc              string                                // its text, which identifies it
	byItem                *itemClock                            // nil: the same calendar and deadline for every ticket

	// needsDeadline: the rule's expressions may read the deadline instant
	// of a ticket stopped on time, or list it with a per-item amount.
	needsDeadline bool

	// Availability of an outage rule.
	availCal  *calendar.Calendar
	minOutage time.Duration

	// components lists the penalty components, then the bonus ones; the
	// per-item sums of the accumulators follow this order.
	components []contract.Component
	nPenalty   int

	// objs are the objectives counted per item: the main one and, when the
	// rule has a minimum volume, the fallback.
	objs []contract.Objective
	def  contract.Rule // the rule as the contract defines it
}

// programs are the programs of a rule over its item environment, compiled
// into closures, as the fastest evaluators the programs give.
type programs[E dsl.Env] struct {
	scope     cond[E]          // none: every item
	scopeProg *fast.Program[E] // its program, nil when the rule has no scope
	// scopeTextOnly: the rule has no scope, or one whose value is a
	// function of the record's text fields alone that cannot fail.
	scopeTextOnly bool
	attr          instant[E]
	excl          []exclusion[E]
	args          []*fast.Program[E] // per objective: its condition or measure, nil for the built-in measures
	conds         []cond[E]          // per objective: the condition of a share or a count
	perItem       []*fast.Program[E] // per component: its per-item formula, nil for the others
}

type exclusion[E dsl.Env] struct {
	reason string
	when   cond[E]
	// textOnly: its value is a function of the record's text fields
	// alone (see fast.Program.TextInputs), the same at every instant.
	textOnly bool
}

// cond is a condition as its fastest evaluators: the compiled closure
// itself when it cannot fail (one indirect call rather than two), and
// the general one.
type cond[E dsl.Env] struct {
	safe func(*E) bool
	f    func(*E) (bool, error) // nil: no condition
}

func condOf[E dsl.Env](p *fast.Program[E]) cond[E] {
	return cond[E]{p.SafeBoolFunc(), p.BoolFunc()}
}

func (c *cond[E]) eval(env *E) (bool, error) {
	if c.safe != nil {
		return c.safe(env), nil
	}
	return c.f(env)
}

// instant is cond for an instant.
type instant[E dsl.Env] struct {
	safe func(*E) time.Time
	f    func(*E) (time.Time, error) // nil: no expression
}

func instantOf[E dsl.Env](p *fast.Program[E]) instant[E] {
	return instant[E]{p.SafeTimeFunc(), p.TimeFunc()}
}

func (c *instant[E]) eval(env *E) (time.Time, error) {
	if c.safe != nil {
		return c.safe(env), nil
	}
	return c.f(env)
}

// at is the prepared rule in force in period pi of the rule: its own, or
// that of a version; its own outside the term.
func (rule *preparedRule) at(pi int) *preparedRule {
	own := rule.own
	if own.inForce == nil || pi < 0 || pi >= len(own.inForce) {
		return own
	}
	return own.inForce[pi]
}

// isVersion reports whether the rule is a version of a rule of the
// contract, which its own rule reports.
func (rule *preparedRule) isVersion() bool { return rule.own != rule }

// inForceAt reports whether the rule, or version of a rule, is the one in
// force in the period of t: the live views (timers, risks, margins) show
// only it.
func (rule *preparedRule) inForceAt(t time.Time) bool { return rule.at(rule.periods.find(t)) == rule }

// versionFromOf is the first day (yyyy-mm-dd) of the version in force in
// period pi, empty for the rule's own.
func (rule *preparedRule) versionFromOf(pi int) string {
	own := rule.own
	if own.versionFrom == nil || pi < 0 || pi >= len(own.versionFrom) || own.versionFrom[pi].IsZero() {
		return ""
	}
	return own.versionFrom[pi].Format(time.DateOnly)
}

// prepareVersions prepares the versions of a rule, each a rule of its
// own at the next index from next, and the table of those in force.
func prepareVersions(c *contract.Contract, own *preparedRule, next int, named map[string]*calendar.Calendar, interrupt fast.Option) ([]*preparedRule, error) {
	vs := own.def.Versions
	if len(vs) == 0 {
		return nil, nil
	}
	out := make([]*preparedRule, len(vs))
	for i, v := range vs {
		r := v.Rule
		r.Versions = nil
		rule, err := prepareRule(c, next+i, r, named, interrupt)
		if err != nil {
			return nil, err
		}
		rule.own = own
		out[i] = rule
	}
	ps := own.periods.periods
	own.inForce, own.versionFrom = make([]*preparedRule, len(ps)), make([]time.Time, len(ps))
	for pi, p := range ps {
		own.inForce[pi] = own
		_, from := own.def.InForce(p.Start)
		for i, v := range vs {
			if v.From.Equal(from) && !from.IsZero() {
				own.inForce[pi], own.versionFrom[pi] = out[i], from
			}
		}
	}
	return out, nil
}

// prepareRule prepares a rule; named are the contract's calendars,
// interrupt stops the evaluations on expr's VM.
func prepareRule(c *contract.Contract, idx int, r contract.Rule, named map[string]*calendar.Calendar, interrupt fast.Option) (*preparedRule, error) {
	rule := &preparedRule{idx: idx, def: r, objs: []contract.Objective{r.Objective}}
	rule.own = rule
	if r.SmallVolume != nil {
		rule.objs = append(rule.objs, r.SmallVolume.Objective)
	}
	rule.nObjs = len(rule.objs) // one or two
	for i := range rule.objs {
		rule.plans[i] = planOf(&rule.objs[i])
	}
	rule.periods = newPeriodIndex(c.Periods(r.Period, c.Start(), c.End()))
	rule.components = append(append(rule.components, r.Penalty...), r.Bonus...)
	rule.nPenalty = len(r.Penalty)
	cals := fast.Calendars{Named: named, Rule: ruleCalendar(r)}
	var err error
	switch r.Source {
	case contract.Tickets:
		rule.tickets, err = newProgs[dsl.Ticket](rule, cals, interrupt)
	case contract.Calls:
		rule.calls, err = newProgs[dsl.Call](rule, cals, interrupt)
	case contract.Outages:
		rule.outages, err = newProgs[dsl.Outage](rule, cals, interrupt)
	case contract.Samples:
		rule.samples, err = newProgs[dsl.Sample](rule, cals, interrupt)
	default:
		err = fmt.Errorf("unknown source %q", r.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("sla: rule %s: %w", r.ID, err)
	}
	if cl := r.Clock; cl != nil {
		rule.cal = cl.Cal
		start, err := compiled[dsl.Ticket](cl.Start, cals, interrupt)
		if err != nil {
			return nil, err
		}
		stop, err := compiled[dsl.Ticket](cl.Stop, cals, interrupt)
		if err != nil {
			return nil, err
		}
		pause, err := compiled[dsl.StatusChange](cl.PauseWhen, cals, interrupt)
		if err != nil {
			return nil, err
		}
		rule.clockStart, rule.clockStop = instantOf(start), instantOf(stop)
		if pause != nil {
			rule.pauseWhen, rule.pauseSrc = pause.BoolFunc(), pause.Source()
		}
		rule.deadline = r.Deadline
		if rule.byItem, err = prepareItemClock(r, cals, interrupt); err != nil {
			return nil, err
		}
		if cl.ByItem != nil {
			rule.cal = placeholderCalendar(cl.ByItem)
		}
	}
	if a := r.Availability; a != nil {
		rule.availCal, rule.minOutage = a.Cal, a.MinOutage
	}
	rule.needsDeadline = readsDeadline(r)
	for _, c := range rule.components {
		rule.perItem = rule.perItem || !c.Item.IsZero()
		rule.itemFees = append(rule.itemFees, c.ItemUnits)
		for _, u := range c.ItemUnits {
			if rule.unitFee == nil {
				rule.unitFee = map[string]map[string]decimal.Decimal{}
			}
			rule.unitFee[u] = map[string]decimal.Decimal{u: decimal.NewFromInt(1)}
		}
	}
	if r.Source == contract.Calls {
		rule.countsCalls, rule.shortAbandon = true, r.ShortAbandon
		rule.fastCall = len(rule.def.Exclusions) == 0 && !rule.perItem
		for _, v := range rule.plans[:rule.nObjs] {
			switch v.item {
			case contract.ItemNothing, contract.ItemCondition, contract.ItemAnswered, contract.ItemAbandoned, contract.ItemFirstContact, contract.ItemAnsweredWithin:
			default:
				rule.fastCall = false
			}
		}
	}
	return rule, nil
}

var deadlineName = regexp.MustCompile(`(^|[^A-Za-z0-9_.])deadline([^A-Za-z0-9_(]|$)`)

// readsDeadline tells whether a rule needs the deadline instant of every
// ticket: one of its item expressions names it, or it has per-item
// amounts, whose items are listed with their deadline. A name in a string
// counts too: it only costs time.
func readsDeadline(r contract.Rule) bool {
	texts := []string{r.Scope.Text, r.Attribution.Text, r.Objective.Arg.Text}
	if r.SmallVolume != nil {
		texts = append(texts, r.SmallVolume.Objective.Arg.Text)
	}
	for _, ex := range r.Exclusions {
		texts = append(texts, ex.When.Text)
	}
	for _, c := range append(slices.Clone(r.Penalty), r.Bonus...) {
		if c.Form == contract.FormPerItem {
			return true
		}
	}
	for _, t := range texts {
		if deadlineName.MatchString(t) {
			return true
		}
	}
	return false
}

// ruleCalendar is the calendar of the clock functions of a rule's
// expressions that name none: its clock's or its availability's.
func ruleCalendar(r contract.Rule) *calendar.Calendar {
	switch {
	case r.Clock != nil:
		return r.Clock.Cal
	case r.Availability != nil:
		return r.Availability.Cal
	}
	return nil
}

func newProgs[E dsl.Env](rule *preparedRule, cals fast.Calendars, interrupt fast.Option) (*programs[E], error) {
	p := &programs[E]{}
	scope, err := compiled[E](rule.def.Scope, cals, interrupt)
	if err != nil {
		return nil, err
	}
	p.scopeTextOnly = scope == nil
	if scope != nil {
		p.scope, p.scopeProg = condOf(scope), scope
		_, textOnly := scope.TextInputs()
		p.scopeTextOnly = textOnly && scope.SafeBoolFunc() != nil
	}
	attr, err := compiled[E](rule.def.Attribution, cals, interrupt)
	if err != nil {
		return nil, err
	}
	if attr != nil { // outages have none: they are cut at period bounds
		p.attr = instantOf(attr)
	}
	for _, ex := range rule.def.Exclusions {
		w, err := compiled[E](ex.When, cals, interrupt)
		if err != nil {
			return nil, err
		}
		_, textOnly := w.TextInputs()
		p.excl = append(p.excl, exclusion[E]{ex.Reason, condOf(w), textOnly && w.SafeBoolFunc() != nil})
	}
	for j, o := range rule.objs {
		a, err := compiled[E](o.Arg, cals, interrupt)
		if err != nil {
			return nil, err
		}
		var c cond[E]
		if a != nil && rule.plans[j].item == contract.ItemCondition {
			c = condOf(a)
		}
		p.args, p.conds = append(p.args, a), append(p.conds, c)
	}
	for _, comp := range rule.components {
		item, err := compiled[E](comp.Item, cals, interrupt)
		if err != nil {
			return nil, err
		}
		p.perItem = append(p.perItem, item)
	}
	return p, nil
}

// program returns the program of a contract expression about E; nil when
// the expression is absent.
func program[E dsl.Env](x contract.Expr) (*dsl.Program[E], error) {
	p := contract.Program[E](x)
	if p == nil && !x.IsZero() {
		return nil, fmt.Errorf("expression %q at %s is compiled for other records than %T", x.Text, x.Pos, *new(E))
	}
	return p, nil
}

// compiled is program compiled into closures, with the calendars of the
// expression's rule.
func compiled[E dsl.Env](x contract.Expr, cals fast.Calendars, interrupt fast.Option) (*fast.Program[E], error) {
	p, err := program[E](x)
	return fast.Compile(p, cals, interrupt), err
}

// objectivePlan is how the per-item path measures an objective: the part
// of it that path reads, worked out once.
type objectivePlan struct {
	item    contract.ItemMeasure // what the measure takes of each item
	of      contract.Aggregate   // and what it makes of them
	higher  bool                 // a minimum (>=, >)
	stat    bool                 // a statistic of the items' values
	keep    bool                 // its values are kept, for a median or a percentile
	variant serviceLevelVariant
	within  time.Duration
	obj     *contract.Objective // the rest, for a statistic's threshold
}

// serviceLevelVariant is a service level's variant: what the share of calls
// answered in time is taken of.
type serviceLevelVariant uint8

const (
	variantOffered serviceLevelVariant = iota
	variantAnswered
	variantAbandonsIgnored
	variantAbandonsMet
)

func planOf(o *contract.Objective) objectivePlan {
	m, _ := contract.MeasureOf(o.Measure) // none, or a measure the engine does not know: nothing to measure
	plan := objectivePlan{item: m.Item, of: m.Of, higher: o.HigherIsBetter(), within: o.Within, obj: o}
	plan.stat, plan.keep = m.Of.IsStatistic(), m.Of == contract.OfPercentile
	switch o.Variant {
	case contract.SLAnswered:
		plan.variant = variantAnswered
	case contract.SLAbandonsIgnored:
		plan.variant = variantAbandonsIgnored
	case contract.SLAbandonsMet:
		plan.variant = variantAbandonsMet
	}
	return plan
}

// itemMeasure classifies an item for one objective: whether it is in the
// measure's denominator, whether its condition holds (the numerator of a
// share), and its value for a statistic.
type itemMeasure struct {
	eligible bool
	holds    bool
	dur      time.Duration
	dec      decimal.Decimal
	num      int
	typ      dsl.Type
}
