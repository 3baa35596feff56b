package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// Options are the settings of a simulation run.
type Options struct {
	// Runs is the number of runs drawn; default [DefaultRuns]. With
	// Precision, the most runs that may be drawn; default [DefaultBudget].
	// At most [MaxRuns].
	Runs int
	// FirstRun is the index of the first run: the runs are FirstRun to
	// FirstRun + Runs − 1. Results of disjoint ranges merge
	// ([Result.Merge]).
	FirstRun int
	// Seed makes the runs reproducible: run i draws from generators
	// seeded with (Seed, i), whatever the number of workers.
	Seed uint64
	// Workers is the number of runs evaluated at once; default
	// runtime.GOMAXPROCS(0).
	Workers int
	// Antithetic draws the runs in antithetic pairs (2k, 2k+1), the
	// second's uniforms the complements of the first's (see the package
	// documentation): FirstRun, Runs and Batch must be even.
	Antithetic bool
	// Controls corrects the percentiles with the control variates the
	// scenario declares (TicketClass.Controls; see the package
	// documentation); without any, it changes nothing. The runs drawn
	// are the same; each keeps its indicators in its figures.
	Controls bool
	// Precision, when above zero, chooses the number of runs: they are
	// drawn by batches of Batch until the 95 % interval of the P90 of the
	// span's net penalty lies within ± Precision times that P90 (0.02 for
	// 2 %) on both sides, or Runs have been drawn. The batches make
	// the number of runs, hence the result, the same whatever the number
	// of workers.
	Precision decimal.Decimal
	// Batch is the number of runs between two checks of the precision;
	// default [DefaultBatch].
	Batch int
	// Progress, when set, is called after each run with the runs done
	// and the total (the budget, with Precision), from one goroutine at a
	// time, done increasing.
	Progress func(done, total int)
}

// DefaultRuns is the number of runs when Options.Runs is zero: enough for
// a P99 read from ten runs beyond it.
const DefaultRuns = 1000

// DefaultBudget is the most runs a precision target may draw when
// Options.Runs is zero.
const DefaultBudget = 20000

// DefaultBatch is the number of runs between two checks of a precision
// target.
const DefaultBatch = 100

// MaxRuns is the most runs one simulation draws (Options.Runs). A result
// keeps every run's figures, about 3.2 KB a run of the reference
// contract: ten million runs are 32 GB, and months of a core's time.
const MaxRuns = 10_000_000

func (o Options) withDefaults() (Options, error) {
	if o.Runs < 0 || o.Workers < 0 || o.FirstRun < 0 || o.Batch < 0 {
		return o, fmt.Errorf("simulate: runs (%d), first run (%d), workers (%d) and batch (%d) must be ≥ 0", o.Runs, o.FirstRun, o.Workers, o.Batch)
	}
	if o.Runs > MaxRuns || o.FirstRun > math.MaxInt-o.Runs {
		return o, fmt.Errorf("simulate: runs (%d) from the first run (%d): at most %d runs, and indices that fit an int", o.Runs, o.FirstRun, MaxRuns)
	}
	if o.Precision.IsNegative() || o.Precision.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return o, fmt.Errorf("simulate: a precision is a share between 0 and 1 (0.02 for 2 %%), not %s", o.Precision)
	}
	switch {
	case o.Runs > 0:
	case o.Precision.IsPositive():
		o.Runs = DefaultBudget
	default:
		o.Runs = DefaultRuns
	}
	if o.Batch == 0 {
		o.Batch = DefaultBatch
	}
	if o.Antithetic && (o.FirstRun%2 != 0 || o.Runs%2 != 0 || o.Batch%2 != 0) {
		return o, fmt.Errorf("simulate: antithetic runs come in pairs: the first run (%d), the runs (%d) and the batch (%d) must be even", o.FirstRun, o.Runs, o.Batch)
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

// Run draws the runs of the scenario over its span, evaluates each as
// [sla.Evaluate] does ([Simulation.Evaluate]), with the engine that
// computes real penalties (there is no second implementation of the
// rules), and summarises them. The runs are spread over opts.Workers
// goroutines; the result is the same whatever their number. A cancelled
// context stops the runs and returns its error.
func (sim *Simulation) Run(ctx context.Context, opts Options) (*Result, error) {
	results, err := sim.runContracts(ctx, []*contract.Contract{sim.c}, opts)
	if err != nil {
		return nil, err
	}
	return results[0], nil
}

// runContracts runs the scenario once and evaluates each run under each
// contract, which must be versions of sim's (the same calendars and
// term): the results have the same runs, the same records, and differ by
// the contracts alone. With a precision target, the first contract's
// P90 decides when to stop.
func (sim *Simulation) runContracts(ctx context.Context, cs []*contract.Contract, opts Options) ([]*Result, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := sim
	if opts.Antithetic {
		s = sim.paired
	}
	var figs [][]RunFigures
	var stop *PrecisionReport
	if opts.Precision.IsPositive() {
		figs, stop, err = s.runToPrecision(ctx, cs, opts, sim.meta(cs[0], opts))
	} else {
		figs, err = s.runRange(ctx, cs, opts, opts.FirstRun, opts.Runs, 0)
	}
	if err != nil {
		return nil, err
	}
	out := make([]*Result, len(cs))
	for k, c := range cs {
		out[k] = summarise(sim.meta(c, opts), figs[k])
		out[k].Precision = stop
	}
	return out, nil
}

// meta is what the result of sim's runs under c says besides its figures.
func (sim *Simulation) meta(c *contract.Contract, opts Options) resultMeta {
	m := resultMeta{contract: c.Name(), scenario: sim.s.Name, digest: sim.digestWith(c), currency: c.Currency(), from: sim.start, to: sim.end,
		seed: opts.Seed, antithetic: opts.Antithetic, years: sim.years, yearCost: sim.yearCost, termCost: sim.termCost}
	for _, r := range c.Rules() {
		m.rules = append(m.rules, RuleRisk{ID: r.ID, Name: r.Name})
	}
	for _, k := range capList(c) {
		m.caps = append(m.caps, CapRisk{Step: k.step, Rule: k.rule})
	}
	if opts.Controls {
		_, m.controls = sim.controls()
	}
	return m
}

// runToPrecision draws batches of runs until the first contract's P90 of
// the span's net penalty is known to the precision wanted, or the budget
// is spent.
func (sim *Simulation) runToPrecision(ctx context.Context, cs []*contract.Contract, opts Options, m resultMeta) ([][]RunFigures, *PrecisionReport, error) {
	stop := &PrecisionReport{Target: opts.Precision, Batch: opts.Batch, Budget: opts.Runs}
	all := make([][]RunFigures, len(cs))
	for done := 0; done < opts.Runs && !stop.Met; {
		k := min(opts.Batch, opts.Runs-done)
		figs, err := sim.runRange(ctx, cs, opts, opts.FirstRun+done, k, done)
		if err != nil {
			return nil, nil, err
		}
		for i := range cs {
			all[i] = append(all[i], figs[i]...)
		}
		done += k
		stop.Reached = m.sampling(all[0]).precisionOf(all[0])
		stop.Met = stop.Reached != nil && !stop.Reached.GreaterThan(opts.Precision)
	}
	return all, stop, nil
}

// precisionOf returns how far the interval of the P90 of the span's net
// penalty over the runs reaches from it on its farther side ([Interval.Reach]),
// as a share of the P90 rounded up to four places; nil when it has none
// (a side unbounded, or a P90 of zero).
func (s sampling) precisionOf(runs []RunFigures) *decimal.Decimal {
	net := make([]decimal.Decimal, len(runs))
	for i := range runs {
		net[i] = runs[i].Term.Net
	}
	dist := s.summarize(net, nil, false)
	reach, ok := dist.P90CI.Reach(dist.P90)
	if !ok || dist.P90.IsZero() {
		return nil
	}
	return bound(reach.Div(dist.P90.Abs()).RoundCeil(ratioPlaces))
}

// runRange evaluates runs first to first+count−1 under each contract, in
// parallel, and returns their figures by contract, in run order. Progress
// counts from base.
func (sim *Simulation) runRange(ctx context.Context, cs []*contract.Contract, opts Options, first, count, base int) ([][]RunFigures, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([][]RunFigures, len(cs))
	for k := range out {
		out[k] = make([]RunFigures, count)
	}
	var (
		next     atomic.Int64
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(opts.Workers, count) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= count || ctx.Err() != nil {
					return
				}
				f, err := sim.runOne(ctx, cs, opts.Seed, first+i, opts.Controls)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				for k := range cs {
					out[k][i] = f[k]
				}
				done++
				if opts.Progress != nil {
					opts.Progress(base+done, opts.Runs)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
		return nil, firstErr
	}
	if err := context.Cause(ctx); err != nil && done < count {
		if firstErr != nil {
			return nil, firstErr
		}
		return nil, err
	}
	return out, nil
}

// runOne evaluates one run under each contract: its records are drawn
// once and handed to an evaluator per contract. With controls, its
// figures keep its control counts.
func (sim *Simulation) runOne(ctx context.Context, cs []*contract.Contract, seed uint64, run int, controls bool) ([]RunFigures, error) {
	es := make([]*sla.Evaluator, len(cs))
	for k, c := range cs {
		e, err := sim.evaluator(c)
		if err != nil {
			return nil, err
		}
		es[k] = e
	}
	var tl *tally
	var cvs []ControlVariate
	if controls {
		var th [][]time.Duration
		th, cvs = sim.controls()
		tl = newTally(len(sim.months), th)
	}
	if err := sim.feed(ctx, seed, run, es, tl); err != nil {
		return nil, err
	}
	var counts []int
	for _, c := range cvs {
		counts = append(counts, c.value(tl))
	}
	out := make([]RunFigures, len(cs))
	for k, e := range es {
		rep, err := e.Report(sim.volumes, sim.indices)
		if err != nil {
			return nil, err
		}
		out[k] = runFiguresOf(cs[k], sim.years, run, rep)
		out[k].Controls = counts
	}
	return out, nil
}

func (sim *Simulation) evaluator(c *contract.Contract) (*sla.Evaluator, error) {
	return sla.NewEvaluator(c, sla.Between(sim.start, sim.end), sla.AsOf(sim.end), sla.ListMissed(0))
}

// Evaluate evaluates one run: the report [sla.Evaluate] gives for its
// records, without listing the missed items. It is what [Simulation.Run]
// does for each run, before keeping only its figures. The records go
// straight from the generators to an [sla.Evaluator], as sla.Evaluate
// hands them over, in the same order, but lent by pointer: the streams
// of [Simulation.Records] copy each call twice on its way, which a run's
// half a million calls feel.
func (sim *Simulation) Evaluate(ctx context.Context, seed uint64, run int) (*sla.Report, error) {
	e, err := sim.evaluator(sim.c)
	if err != nil {
		return nil, err
	}
	if err := sim.feed(ctx, seed, run, []*sla.Evaluator{e}, nil); err != nil {
		return nil, err
	}
	return e.Report(sim.volumes, sim.indices)
}

// feed draws the records of a run into each evaluator, in the order
// sla.Evaluate reads them; tl, when not nil, tallies the tickets.
func (sim *Simulation) feed(ctx context.Context, seed uint64, run int, es []*sla.Evaluator, tl *tally) error {
	// The context is asked every 1,024 records, as sla.Evaluate does, and
	// between the streams: once it is done, no stream is drawn further.
	n := uint(0)
	going := func() bool { n++; return n%1024 != 0 || ctx.Err() == nil }
	e := es[0]
	addTicket := func(t *pacte.Ticket) bool { e.AddTicket(t); return going() }
	addCall := func(c *pacte.Call) bool { e.AddCall(c); return going() }
	if len(es) > 1 {
		addTicket = func(t *pacte.Ticket) bool {
			for _, e := range es {
				e.AddTicket(t)
			}
			return going()
		}
		addCall = func(c *pacte.Call) bool {
			for _, e := range es {
				e.AddCall(c)
			}
			return going()
		}
	}
	sim.drawTickets(seed, run, addTicket, tl)
	if err := ctx.Err(); err != nil {
		return err
	}
	sim.drawCalls(seed, run, addCall)
	if err := ctx.Err(); err != nil {
		return err
	}
	// Outages and surveys are a few thousand records a run.
	var o pacte.Outage // one variable, reused: a loop variable would escape
	for o = range sim.outageStream(seed, run) {
		for _, e := range es {
			e.AddOutage(&o)
		}
	}
	var s pacte.Sample
	for s = range sim.surveyStream(seed, run) {
		for _, e := range es {
			e.AddSample(&s)
		}
	}
	return ctx.Err()
}
