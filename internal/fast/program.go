package fast

import (
	"context"
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// Calendars are the calendars a program was compiled with (the options
// dsl.Calendars and dsl.RuleCalendar): the closures of its clock functions
// hold them.
type Calendars struct {
	Named map[string]*calendar.Calendar // those it may name, as in open_time("HO", a, b)
	Rule  *calendar.Calendar            // the rule's, for clock functions that name none
}

// Program is a dsl.Program compiled further into closures where it can
// be. It is immutable and safe for concurrent use.
type Program[E dsl.Env] struct {
	p      *dsl.Program[E]
	c      *closures[E]   // nil when the expression needs the VM
	inputs []TextField[E] // see TextInputs; nil when it reads more than texts
	ctx    func() context.Context
}

// Option configures [Compile].
type Option func(*options)

type options struct{ ctx func() context.Context }

// Interrupt gives the context that stops the evaluations on the VM (the
// closures are quick; the VM runs the predicates, which may be long): ctx
// is called at each such evaluation, and may return nil.
func Interrupt(ctx func() context.Context) Option {
	return func(o *options) { o.ctx = ctx }
}

// Compile compiles the checked tree of p into closures, with the
// calendars p was compiled with; what the closures do not cover runs on
// p's VM. It returns nil for a nil program.
func Compile[E dsl.Env](p *dsl.Program[E], cals Calendars, opts ...Option) *Program[E] {
	if p == nil {
		return nil
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	tree := p.Tree()
	return &Program[E]{p: p, c: build[E](tree, cals), inputs: textInputs[E](tree), ctx: o.ctx}
}

// context is the context of the VM's evaluations, nil when none.
func (f *Program[E]) context() context.Context {
	if f.ctx == nil {
		return nil
	}
	return f.ctx()
}

// onVM evaluates p on the VM, stopped by f's context.
func onVM[T dsl.Result, E dsl.Env](f *Program[E], env *E) (T, error) {
	if ctx := f.context(); ctx != nil {
		return dsl.EvalAsContext[T](ctx, f.p, env)
	}
	return dsl.EvalAs[T](f.p, env)
}

// Source returns the expression as written.
func (f *Program[E]) Source() string { return f.p.Source() }

// Type returns the type of the expression's value.
func (f *Program[E]) Type() dsl.Type { return f.p.Type() }

// Compiled reports whether the expression runs as compiled Go closures
// rather than on expr's VM. Both give the same results; closures allocate
// nothing.
func (f *Program[E]) Compiled() bool { return f.c != nil }

// Eval evaluates the expression and returns its value.
func (f *Program[E]) Eval(env *E) (any, error) {
	if f.c != nil {
		return f.c.eval(env)
	}
	if ctx := f.context(); ctx != nil {
		return f.p.EvalContext(ctx, env)
	}
	return f.p.Eval(env)
}

// Bool evaluates a condition.
func (f *Program[E]) Bool(env *E) (bool, error) {
	if c := f.c; c != nil && c.b != nil {
		return c.bool(env)
	}
	return onVM[bool](f, env)
}

// Decimal evaluates an amount or a ratio; an integer expression is
// converted.
func (f *Program[E]) Decimal(env *E) (decimal.Decimal, error) {
	if c := f.c; c != nil && (c.d != nil || c.i != nil) {
		return c.decimal(env)
	}
	return onVM[decimal.Decimal](f, env)
}

// Time evaluates an instant.
func (f *Program[E]) Time(env *E) (time.Time, error) {
	if c := f.c; c != nil && c.t != nil {
		return c.time(env)
	}
	return onVM[time.Time](f, env)
}

// BoolFunc returns the fastest evaluator of a condition, for callers that
// evaluate it many times: the compiled closure itself when it cannot fail.
// It checks the expression's type once, here, rather than at each call.
func (f *Program[E]) BoolFunc() func(*E) (bool, error) {
	if f.Type() != dsl.Bool {
		_, err := dsl.EvalAs[bool](f.p, nil) // the type error, before any evaluation
		return func(*E) (bool, error) { return false, err }
	}
	if c := f.c; c != nil && c.b != nil {
		if b := c.b; c.safe {
			return func(e *E) (bool, error) { return b(e), nil }
		}
		return c.bool
	}
	return f.Bool
}

// SafeBoolFunc returns the compiled closure of a condition that cannot
// fail, or nil when the condition may fail or runs on the VM. A caller
// evaluating it many times saves [Program.BoolFunc]'s wrapper, one
// indirect call per evaluation.
func (f *Program[E]) SafeBoolFunc() func(*E) bool {
	if c := f.c; c != nil && c.b != nil && c.safe {
		return c.b
	}
	return nil
}

// TimeFunc is [Program.BoolFunc] for an instant.
func (f *Program[E]) TimeFunc() func(*E) (time.Time, error) {
	if f.Type() != dsl.Time {
		_, err := dsl.EvalAs[time.Time](f.p, nil)
		return func(*E) (time.Time, error) { return time.Time{}, err }
	}
	if c := f.c; c != nil && c.t != nil {
		if t := c.t; c.safe {
			return func(e *E) (time.Time, error) { return t(e), nil }
		}
		return c.time
	}
	return f.Time
}

// SafeTimeFunc is [Program.SafeBoolFunc] for an instant.
func (f *Program[E]) SafeTimeFunc() func(*E) time.Time {
	if c := f.c; c != nil && c.t != nil && c.safe {
		return c.t
	}
	return nil
}
