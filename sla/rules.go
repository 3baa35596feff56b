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

// ruleRT is a rule ready to run: its compiled programs with their types
// recovered, its periods indexed. The fields every item reads come first,
// close together: between two records, a simulation's generator evicts
// them from the cache.
type ruleRT struct {
	idx int
	// scopeSlot numbers the rule's scope among the distinct scopes of the
	// contract (−1: none), so that rules with the same scope evaluate it
	// once per record.
	scopeSlot int
	// attrSlot numbers the attribution of a call or sample rule among the
	// distinct ones (−1: none or another source), likewise.
	attrSlot int

	// What the per-item path checks of the rule, worked out once.
	perItem      bool          // a component has a per-item formula
	calls        bool          // a call rule
	fastCall     bool          // a call rule that callRule evaluates
	shortAbandon time.Duration // a call rule's short abandons, 0 for the others

	t *progs[dsl.Ticket]
	c *progs[dsl.Call]

	// views are what the per-item path reads of each objective (the
	// first nObjs), small enough to keep here rather than behind a slice.
	views [2]objView
	nObjs int

	periods periodIndex

	o *progs[dsl.Outage]
	s *progs[dsl.Sample]

	// The clock of a ticket rule.
	cal                   *calendar.Calendar
	deadline              *contract.Deadline
	clockStart, clockStop instant[dsl.Ticket]
	pauseWhen             func(*dsl.Status) (bool, error) // nil: no status pauses the clock
	pauseSrc              string                          // its text, which identifies it

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
	r    contract.Rule
}

// progs are the programs of a rule over its item environment, compiled
// into closures, as the fastest evaluators the programs give.
type progs[E dsl.Env] struct {
	scope     cond[E]          // none: every item
	scopeProg *fast.Program[E] // its program, nil when the rule has no scope
	attr      instant[E]
	excl      []exclusionRT[E]
	args      []*fast.Program[E] // per objective: its condition or measure, nil for the built-in measures
	conds     []cond[E]          // per objective: the condition of a share or a count
	perItem   []*fast.Program[E] // per component: its per-item formula, nil for the others
}

type exclusionRT[E dsl.Env] struct {
	reason string
	when   cond[E]
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

// newRuleRT prepares a rule; named are the contract's calendars,
// interrupt stops the evaluations on expr's VM.
func newRuleRT(c *contract.Contract, idx int, r contract.Rule, named map[string]*calendar.Calendar, interrupt fast.Option) (*ruleRT, error) {
	rt := &ruleRT{idx: idx, r: r, objs: []contract.Objective{r.Objective}}
	if r.SmallVolume != nil {
		rt.objs = append(rt.objs, r.SmallVolume.Objective)
	}
	rt.nObjs = len(rt.objs) // one or two
	for i := range rt.objs {
		rt.views[i] = viewOf(&rt.objs[i])
	}
	rt.periods = newPeriodIndex(c.Periods(r.Period, c.Start(), c.End()))
	rt.components = append(append(rt.components, r.Penalty...), r.Bonus...)
	rt.nPenalty = len(r.Penalty)
	cals := fast.Calendars{Named: named, Rule: ruleCalendar(r)}
	var err error
	switch r.Source {
	case contract.Tickets:
		rt.t, err = newProgs[dsl.Ticket](rt, cals, interrupt)
	case contract.Calls:
		rt.c, err = newProgs[dsl.Call](rt, cals, interrupt)
	case contract.Outages:
		rt.o, err = newProgs[dsl.Outage](rt, cals, interrupt)
	case contract.Samples:
		rt.s, err = newProgs[dsl.Sample](rt, cals, interrupt)
	default:
		err = fmt.Errorf("unknown source %q", r.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("sla: rule %s: %w", r.ID, err)
	}
	if cl := r.Clock; cl != nil {
		rt.cal = cl.Cal
		start, err := compiled[dsl.Ticket](cl.Start, cals, interrupt)
		if err != nil {
			return nil, err
		}
		stop, err := compiled[dsl.Ticket](cl.Stop, cals, interrupt)
		if err != nil {
			return nil, err
		}
		pause, err := compiled[dsl.Status](cl.PauseWhen, cals, interrupt)
		if err != nil {
			return nil, err
		}
		rt.clockStart, rt.clockStop = instantOf(start), instantOf(stop)
		if pause != nil {
			rt.pauseWhen, rt.pauseSrc = pause.BoolFunc(), pause.Source()
		}
		rt.deadline = r.Deadline
	}
	if a := r.Availability; a != nil {
		rt.availCal, rt.minOutage = a.Cal, a.MinOutage
	}
	rt.needsDeadline = readsDeadline(r)
	for _, c := range rt.components {
		rt.perItem = rt.perItem || !c.Item.IsZero()
	}
	if r.Source == contract.Calls {
		rt.calls, rt.shortAbandon = true, r.ShortAbandon
		rt.fastCall = len(rt.r.Exclusions) == 0 && !rt.perItem
		for _, v := range rt.views[:rt.nObjs] {
			switch v.measure {
			case codeNone, codeCondition, codeAnswerRate, codeAbandonRate, codeFCR, codeServiceLevel:
			default:
				rt.fastCall = false
			}
		}
	}
	return rt, nil
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

func newProgs[E dsl.Env](rt *ruleRT, cals fast.Calendars, interrupt fast.Option) (*progs[E], error) {
	p := &progs[E]{}
	scope, err := compiled[E](rt.r.Scope, cals, interrupt)
	if err != nil {
		return nil, err
	}
	if scope != nil {
		p.scope, p.scopeProg = condOf(scope), scope
	}
	attr, err := compiled[E](rt.r.Attribution, cals, interrupt)
	if err != nil {
		return nil, err
	}
	if attr != nil { // outages have none: they are cut at period bounds
		p.attr = instantOf(attr)
	}
	for _, ex := range rt.r.Exclusions {
		w, err := compiled[E](ex.When, cals, interrupt)
		if err != nil {
			return nil, err
		}
		p.excl = append(p.excl, exclusionRT[E]{ex.Reason, condOf(w)})
	}
	for _, o := range rt.objs {
		a, err := compiled[E](o.Arg, cals, interrupt)
		if err != nil {
			return nil, err
		}
		var c cond[E]
		if a != nil && (o.Measure == contract.MeasureShare || o.Measure == contract.MeasureCount) {
			c = condOf(a)
		}
		p.args, p.conds = append(p.args, a), append(p.conds, c)
	}
	for _, comp := range rt.components {
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

// objView is the part of an objective the per-item path reads.
type objView struct {
	measure measureCode
	higher  bool // a minimum (>=, >)
	stat    bool // a statistic of a per-item measure
	keep    bool // its values are kept, for a median or a percentile
	variant slVariant
	within  time.Duration
	obj     *contract.Objective // the rest, for a statistic's threshold
}

// measureCode is an objective's measure as the per-item path tells them
// apart: a small integer rather than the contract's name of it.
type measureCode uint8

const (
	codeNone         measureCode = iota
	codeCondition                // share(cond), count(cond)
	codeMet                      // met, missed: the ticket's clock
	codeAvailability             // availability
	codeStat                     // mean, median, percentile, sum, min, max of a per-item measure
	codeAnswerRate               // answer_rate
	codeAbandonRate              // abandon_rate
	codeFCR                      // fcr
	codeASA                      // asa
	codeServiceLevel             // service_level
)

// slVariant is a service level's variant: what the share of calls
// answered in time is taken of.
type slVariant uint8

const (
	slOffered slVariant = iota
	slAnswered
	slAbandonsIgnored
	slAbandonsMet
)

func viewOf(o *contract.Objective) objView {
	v := objView{higher: o.HigherIsBetter(), within: o.Within, obj: o}
	switch o.Measure {
	case contract.MeasureShare, contract.MeasureCount:
		v.measure = codeCondition
	case contract.MeasureMet, contract.MeasureMissed:
		v.measure = codeMet
	case contract.MeasureAvailability:
		v.measure = codeAvailability
	case contract.MeasureMean, contract.MeasureMedian, contract.MeasurePercentile, contract.MeasureSum, contract.MeasureMin, contract.MeasureMax:
		v.measure, v.stat = codeStat, true
	case contract.MeasureAnswerRate:
		v.measure = codeAnswerRate
	case contract.MeasureAbandonRate:
		v.measure = codeAbandonRate
	case contract.MeasureFCR:
		v.measure = codeFCR
	case contract.MeasureASA:
		v.measure, v.stat = codeASA, true
	case contract.MeasureServiceLevel:
		v.measure = codeServiceLevel
	default: // none, and any measure the engine does not know: nothing to measure per item
		v.measure = codeNone
	}
	switch o.Variant {
	case contract.SLAnswered:
		v.variant = slAnswered
	case contract.SLAbandonsIgnored:
		v.variant = slAbandonsIgnored
	case contract.SLAbandonsMet:
		v.variant = slAbandonsMet
	}
	v.keep = o.Measure == contract.MeasureMedian || o.Measure == contract.MeasurePercentile
	return v
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
