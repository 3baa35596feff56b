package simulate

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// Options are the settings of a simulation run.
type Options struct {
	// Runs is the number of runs drawn; default [DefaultRuns].
	Runs int
	// Seed makes the runs reproducible: run i draws from generators
	// seeded with (Seed, i), whatever the number of workers.
	Seed uint64
	// Workers is the number of runs evaluated at once; default
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, when set, is called after each run with the runs done
	// and the total, from one goroutine at a time, done increasing.
	Progress func(done, total int)
}

// DefaultRuns is the number of runs when Options.Runs is zero: enough for
// a P99 read from ten runs beyond it.
const DefaultRuns = 1000

func (o Options) withDefaults() (Options, error) {
	if o.Runs < 0 || o.Workers < 0 {
		return o, fmt.Errorf("simulate: runs (%d) and workers (%d) must be ≥ 0", o.Runs, o.Workers)
	}
	if o.Runs == 0 {
		o.Runs = DefaultRuns
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	o.Workers = min(o.Workers, o.Runs)
	return o, nil
}

// Run prepares the scenario against the contract ([New]) and runs it.
func Run(ctx context.Context, c *contract.Contract, sc *Scenario, opts Options) (*Result, error) {
	sim, err := New(c, sc)
	if err != nil {
		return nil, err
	}
	return sim.Run(ctx, opts)
}

// Run draws opts.Runs runs of the scenario over its span, evaluates each
// as [sla.Evaluate] does ([Simulation.Evaluate]), with the engine that
// computes real penalties (there is no second implementation of the
// rules), and summarises them. The runs are spread over opts.Workers
// goroutines; the result is the same whatever their number. A cancelled
// context stops the runs and returns its error.
func (sim *Simulation) Run(ctx context.Context, opts Options) (*Result, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	runs, err := sim.runAll(ctx, opts)
	if err != nil {
		return nil, err
	}
	return sim.summarise(runs, opts), nil
}

// runAll evaluates every run, in parallel, and returns their figures in
// run order.
func (sim *Simulation) runAll(ctx context.Context, opts Options) ([]runFigures, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]runFigures, opts.Runs)
	var (
		next     atomic.Int64
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range opts.Workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= opts.Runs || ctx.Err() != nil {
					return
				}
				f, err := sim.runOne(ctx, opts.Seed, i)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				out[i] = f
				done++
				if opts.Progress != nil {
					opts.Progress(done, opts.Runs)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
		return nil, firstErr
	}
	if err := context.Cause(ctx); err != nil && done < opts.Runs {
		if firstErr != nil {
			return nil, firstErr
		}
		return nil, err
	}
	return out, nil
}

// Evaluate evaluates one run: the report [sla.Evaluate] gives for its
// records, without listing the missed items. It is what [Simulation.Run]
// does for each run, before keeping only its figures. The records go
// straight from the generators to an [sla.Evaluator], as sla.Evaluate
// hands them over, in the same order, but lent by pointer: the streams
// of [Simulation.Records] copy each call twice on its way, which a run's
// half a million calls feel.
func (sim *Simulation) Evaluate(ctx context.Context, seed uint64, run int) (*sla.Report, error) {
	e, err := sla.NewEvaluator(sim.c, sla.Between(sim.start, sim.end), sla.AsOf(sim.end), sla.ListMissed(0))
	if err != nil {
		return nil, err
	}
	// The context is asked every 1,024 records, as sla.Evaluate does, and
	// between the streams: once it is done, no stream is drawn further.
	n := uint(0)
	going := func() bool { n++; return n%1024 != 0 || ctx.Err() == nil }
	sim.drawTickets(seed, run, func(t *pacte.Ticket) bool { e.AddTicket(t); return going() })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sim.drawCalls(seed, run, func(c *pacte.Call) bool { e.AddCall(c); return going() })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Outages and surveys are a few thousand records a run.
	var o pacte.Outage // one variable, reused: a loop variable would escape
	for o = range sim.outageStream(seed, run) {
		e.AddOutage(&o)
	}
	var s pacte.Sample
	for s = range sim.surveyStream(seed, run) {
		e.AddSample(&s)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return e.Report(sim.volumes, sim.indices)
}

// runFigures is what a run's report says, reduced to what the result
// summarises.
type runFigures struct {
	years    map[int]*money // by contract year
	term     money
	rules    []ruleFigures // in contract order
	caps     []capFigures  // in the order of Simulation.capList
	records  map[string]int
	rejected int
	errors   int
	warnings []string
	messages []string // the first rejections and rule errors
}

type money struct {
	invoice, penalties, bonuses, net, cost decimal.Decimal
}

func (m money) margin() decimal.Decimal { return m.invoice.Sub(m.net).Sub(m.cost) }

type ruleFigures struct {
	penalty, bonus decimal.Decimal
	breached       int // periods breached
}

type capFigures struct {
	hits int             // periods in which the cap reduced an amount
	cut  decimal.Decimal // what it took off
}

// capKey names a cap of the contract: a pipeline step, and the rule for
// the per-rule caps.
type capKey struct {
	step, rule string
}

// capList lists the contract's caps, rule caps first in rule order.
func (sim *Simulation) capList() []capKey {
	var out []capKey
	for _, r := range sim.c.Rules() {
		if !r.Cap.IsZero() {
			out = append(out, capKey{string(contract.StepRuleCaps), r.ID})
		}
	}
	pl := sim.c.Pipeline()
	if !pl.MonthCap.IsZero() {
		out = append(out, capKey{string(contract.StepMonthCap), ""})
	}
	if !pl.YearCap.IsZero() {
		out = append(out, capKey{string(contract.StepYearCap), ""})
	}
	if !pl.BonusCap.IsZero() {
		out = append(out, capKey{string(contract.StepBonus), ""})
	}
	return out
}

// maxMessages bounds the rejections and rule errors a run keeps.
const maxMessages = 5

func (sim *Simulation) runOne(ctx context.Context, seed uint64, run int) (runFigures, error) {
	rep, err := sim.Evaluate(ctx, seed, run)
	if err != nil {
		return runFigures{}, err
	}
	return sim.figures(rep), nil
}

// figures reduces a report to what the result needs.
func (sim *Simulation) figures(rep *sla.Report) runFigures {
	f := runFigures{years: map[int]*money{}, records: map[string]int{}}
	rules := sim.c.Rules()
	ruleIdx := make(map[string]int, len(rules))
	for i, r := range rules {
		ruleIdx[r.ID] = i
	}
	f.rules = make([]ruleFigures, len(rules))
	caps := sim.capList()
	capIdx := make(map[capKey]int, len(caps))
	for i, k := range caps {
		capIdx[k] = i
	}
	f.caps = make([]capFigures, len(caps))
	hit := func(k capKey, s sla.TraceLine) {
		if i, ok := capIdx[k]; ok && s.After.LessThan(s.Before.Decimal) {
			f.caps[i].hits++
			f.caps[i].cut = f.caps[i].cut.Add(s.Before.Sub(s.After.Decimal))
		}
	}
	costs := sim.costs
	for _, p := range rep.Periods {
		for _, rr := range p.Rules {
			i, ok := ruleIdx[rr.ID]
			if !ok {
				continue
			}
			f.rules[i].penalty = f.rules[i].penalty.Add(rr.Penalty.Decimal)
			f.rules[i].bonus = f.rules[i].bonus.Add(rr.Bonus.Decimal)
			if rr.Status == sla.StatusBreached {
				f.rules[i].breached++
			}
			for _, s := range rr.Steps {
				if s.Step == contract.StepRuleCaps && s.Kind == sla.PenaltyAmount {
					hit(capKey{string(s.Step), rr.ID}, s)
				}
			}
		}
		for _, s := range p.Steps {
			switch {
			case (s.Step == contract.StepMonthCap || s.Step == contract.StepYearCap) && s.Kind == sla.PenaltyAmount,
				s.Step == contract.StepBonus && s.Kind == sla.BonusAmount:
				hit(capKey{string(s.Step), ""}, s)
			}
		}
		cost := costs[p.Period]
		y := f.years[p.ContractYear]
		if y == nil {
			y = &money{}
			f.years[p.ContractYear] = y
		}
		y.cost = y.cost.Add(cost)
		f.term.cost = f.term.cost.Add(cost)
	}
	for k, yt := range rep.Totals.ContractYears {
		n, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		y := f.years[n]
		if y == nil {
			y = &money{}
			f.years[n] = y
		}
		y.invoice, y.penalties, y.bonuses, y.net = yt.Invoice.Decimal, yt.Penalties.Decimal, yt.Bonuses.Decimal, yt.Net.Decimal
	}
	t := rep.Totals
	f.term.invoice, f.term.penalties, f.term.bonuses, f.term.net = t.Invoice.Decimal, t.Penalties.Decimal, t.Bonuses.Decimal, t.Net.Decimal
	for src, rc := range rep.Records {
		f.records[src] = rc.Read
		f.rejected += rc.Rejected
	}
	f.errors = len(rep.Errors)
	f.warnings = rep.Warnings
	for _, r := range rep.Rejected {
		if len(f.messages) == maxMessages {
			break
		}
		f.messages = append(f.messages, fmt.Sprintf("record %s %s rejected: %s", r.Source, r.ID, r.Error))
	}
	for _, e := range rep.Errors {
		if len(f.messages) == maxMessages {
			break
		}
		f.messages = append(f.messages, fmt.Sprintf("rule %s failed on %s: %s", e.Rule, e.Item, e.Error))
	}
	return f
}

// sortedYears returns the contract years of the runs, in order.
func sortedYears(runs []runFigures) []int {
	seen := map[int]bool{}
	for _, r := range runs {
		for y := range r.years {
			seen[y] = true
		}
	}
	var out []int
	for y := range seen {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}
