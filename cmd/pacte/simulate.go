package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

var simulateCommand = &command{
	name:    "simulate",
	summary: "draw many runs of a contract's term against a workload scenario",
	usage: `pacte simulate [flags] CONTRACT SCENARIO

Simulate prices the SLA risk of a contract before the bid: it draws runs of
the contract's term against a workload scenario (its format is documented
in package sla/simulate), evaluates each with the engine that computes the
real penalties, and prints the penalties, bonuses and margin per contract
year (mean and percentiles, each with its 95 % confidence interval), the
rules that drive the risk and how often each cap is reached. The same seed
gives the same figures whatever the number of workers. Timing goes to
standard error.

-precision 2% draws runs by batches of -batch until the 95 % interval of
the P90 of the term's net penalty is within ±2 % of it, or -runs are spent
(default 20,000); the batches keep the result the same whatever -workers.
-antithetic draws the runs in antithetic pairs (sound, but it gains little
on a P90). The control variates a scenario declares (tickets[].controls:
the months with two P1 incidents over their 4h deadline, say, whose
distribution the scenario gives) correct the percentiles and narrow their
intervals, unless -controls=false: on the reference scenario, ±2 % on the
P90 takes a third to a half of the runs. -first-run starts at another run: with -figures, which keeps
each run's figures in the JSON, the results of two ranges of runs merge
into the result of both (Result.Merge in package sla/simulate).

-seeds FROM-TO draws runs FROM to TO (both included) of the seed of
-seed, with their figures: -first-run FROM -runs TO−FROM+1 -figures. Run n
is the same whatever range holds it, so that the JSON results of disjoint
ranges (0-499, 500-999), drawn on as many machines, merge into the result
of -runs 1000, byte for byte.

-sweep also runs the same draws at each value of one parameter (with
-precision, the runs it chose): agents=10,12,14 (a constant staffing),
restore:KIND:PRIORITY=2h,4h,6h (a restoration median), volume=0.8,1,1.2
(every volume).

Instead of the risk table, one of the bid team's questions, each answered
on the same runs for every option, as tables and (in HTML) charts:

  -price UNIT or -price discount: the fixed fee or unit price of a work
      unit, or the discount on every price, at which the margin over the
      term reaches -margin AMOUNT (plus -margin-rate, a share of the
      invoice), on average and in 90 % of the runs; -price-range LOW:HIGH
      bounds the search, -price-step is its resolution (a euro for a fee).
  -staff 0.8,1,1.2 (factors on the desk's staffing, whatever its form) or
      -staff sl=80%,85%,90% (the service level a target staffing meets):
      penalties, staffing cost and margin at each, and the cheapest whose
      P90 of the net penalty stays under -limit AMOUNT.
  -compare FILE (another version of the contract) or -amend PATH=VALUE
      (repeatable: rules.INC-P1.deadline=6h, penalties.caps.month=5% *
      invoice): the same runs under both, side by side, with the
      differences run by run and their intervals.

The exit status is 1 when the engine rejected generated records.

A run of the reference scenario (three years, half a million records) takes
about a tenth of a second of one core: the default 1,000 runs, about a
minute on two cores; a ±2 % P90, a few thousand runs. The examples draw a
few.

Examples:

  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 8
  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 2 -sweep agents=12,16 -format md
  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 2 -price FORFAIT-APP -margin 1000000
  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 2 -staff 0.9,1,1.1 -limit 45000 -format html -o staffing.html
  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 2 -amend rules.INC-P1.deadline=6h -format json
  pacte simulate examples/contracts/acme.yaml examples/scenarios/quarter.yaml -precision 20% -batch 50
`,
	flags: simulateFlags,
}

type simulateOptions struct {
	format, out, sweep, progress string
	runs, firstRun, workers      int
	batch                        int
	seeds                        string // -seeds FROM-TO, read into firstRun and runs
	seed                         uint64
	staffing, antithetic         bool
	controls                     bool
	figures                      bool
	precision                    decimal.Decimal

	// The bid team's questions, one at a time.
	price, priceRange, staff, compare string
	margin, marginRate, priceStep     decimal.Decimal
	limit                             decimal.Decimal
	amend                             []simulate.Amendment

	set map[string]bool // the flags given
}

func simulateFlags(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
	var o simulateOptions
	fs.IntVar(&o.runs, "runs", simulate.DefaultRuns, "number of runs (with -precision, the most that may be drawn)")
	fs.IntVar(&o.firstRun, "first-run", 0, "index of the first run: the results of two ranges merge (see -figures)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the runs")
	fs.IntVar(&o.workers, "workers", 0, "runs evaluated at once (0: the number of CPUs)")
	fs.Func("precision", "run until the P90 of the term's net penalty is known to this share: 2%", shareFlag(&o.precision))
	fs.IntVar(&o.batch, "batch", simulate.DefaultBatch, "runs between two checks of -precision")
	fs.BoolVar(&o.antithetic, "antithetic", false, "draw the runs in antithetic pairs (-runs, -first-run and -batch even)")
	fs.BoolVar(&o.controls, "controls", true, "correct the percentiles with the scenario's control variates, if it declares some (-controls=false: from the runs alone)")
	fs.StringVar(&o.format, "format", "text", "text, md, json or html")
	fs.StringVar(&o.out, "o", "", "write to this file, once complete")
	fs.BoolVar(&o.figures, "figures", false, "keep each run's figures in the JSON, so that results merge")
	fs.BoolVar(&o.staffing, "staffing", false, "also print the phone desk's staffing, month by month")
	fs.StringVar(&o.sweep, "sweep", "", "vary a parameter: agents=10,12,14 | restore:incident:P1=2h,4h,6h | volume=0.8,1,1.2")
	fs.StringVar(&o.seeds, "seeds", "", "draw runs FROM to TO of -seed (0-1999), in place of -runs: the JSON results of disjoint ranges merge into that of them all")
	fs.StringVar(&o.progress, "progress", "auto", "progress on standard error: auto (when it is a terminal), on or off")
	fs.StringVar(&o.price, "price", "", "the price at which the margin reaches -margin: a work unit (FORFAIT-APP), or discount")
	fs.Func("margin", "the margin wanted over the term, in the contract's currency, for -price", amountFlag(&o.margin))
	fs.Func("margin-rate", "the margin wanted as a share of the invoice (10%), for -price", shareFlag(&o.marginRate))
	fs.StringVar(&o.priceRange, "price-range", "", "LOW:HIGH, the prices searched (a discount as shares: -10%:30%)")
	fs.Func("price-step", "the resolution of the price found (default a unit of currency for a fee)", amountFlag(&o.priceStep))
	fs.StringVar(&o.staff, "staff", "", "staffing options: 0.8,1,1.2 (factors) or sl=80%,85%,90% (service level targets)")
	fs.Func("limit", "the most the P90 of the net penalty may be, for -staff", amountFlag(&o.limit))
	fs.StringVar(&o.compare, "compare", "", "another version of the contract, compared on the same runs")
	fs.Func("amend", "PATH=VALUE: compare with the contract with this clause changed (repeatable)", func(s string) error {
		a, err := simulate.ParseAmendment(s)
		if err == nil {
			o.amend = append(o.amend, a)
		}
		return err
	})
	return func(ctx context.Context, args []string) error {
		o.set = map[string]bool{}
		fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
		return o.exec(ctx, e, args)
	}
}

// question is what the command line asks, read before any work: the risk
// table (with a sweep), or one of the bid team's questions.
type question struct {
	sweep *simulate.Parameter     // the risk table's -sweep
	price *simulate.PriceQuestion // -price
	staff *simulate.Parameter     // -staff
	what  bool                    // -compare or -amend
	show  bool                    // the progress on standard error
}

// seedRange reads -seeds FROM-TO into the first run and the number of runs.
func seedRange(s string) (first, runs int, err error) {
	from, to, ok := strings.Cut(s, "-")
	a, errA := strconv.Atoi(from)
	b, errB := strconv.Atoi(to)
	if !ok || errA != nil || errB != nil || a < 0 || b < a {
		return 0, 0, usagef("-seeds %q: want FROM-TO, two run numbers, FROM ≤ TO: 0-499", s)
	}
	if b-a >= simulate.MaxRuns {
		return 0, 0, usagef("-seeds %q: at most %d runs", s, simulate.MaxRuns)
	}
	return a, b - a + 1, nil
}

// check checks the command line, before any work.
func (o *simulateOptions) check(args []string, e *env) (question, error) {
	var q question
	if o.seeds != "" {
		if o.set["runs"] || o.set["first-run"] {
			return q, usagef("-seeds FROM-TO sets the runs: without -runs and -first-run")
		}
		if o.set["precision"] {
			return q, usagef("-seeds FROM-TO sets the runs: without -precision")
		}
		var err error
		if o.firstRun, o.runs, err = seedRange(o.seeds); err != nil {
			return q, err
		}
		o.figures = true // the point of a range: its result merges
	}
	if err := o.checkCombination(args); err != nil {
		return q, err
	}
	if err := checkFormat(o.format, []string{"text", "md", "json", "html"}); err != nil {
		return q, err
	}
	var err error
	if q.show, err = checkProgress(o.progress, e); err != nil {
		return q, err
	}
	switch {
	case o.sweep != "":
		p, err := parseSweep(o.sweep)
		if err != nil {
			return q, usageError{err}
		}
		q.sweep = &p
	case o.price != "":
		if q.price, err = o.priceQuestion(); err != nil {
			return q, err
		}
	case o.staff != "":
		p, err := parseStaff(o.staff)
		if err != nil {
			return q, usageError{err}
		}
		q.staff = &p
	case o.compare != "" || len(o.amend) > 0:
		q.what = true
	}
	if o.precision.IsPositive() && !o.set["runs"] {
		o.runs = 0 // the default budget
	}
	return q, checkOutput(o.out)
}

// checkCombination refuses what the flags cannot mean together.
func (o *simulateOptions) checkCombination(args []string) error {
	questions := 0
	for _, asked := range []bool{o.price != "", o.staff != "", o.compare != "" || len(o.amend) > 0} {
		if asked {
			questions++
		}
	}
	switch {
	case len(args) != 2:
		return usagef("want a contract and a scenario, found %d %s", len(args), plural(len(args), "file", "files"))
	case o.runs < 1 || o.runs > simulate.MaxRuns:
		return usagef("-runs %d: want 1 to %d", o.runs, simulate.MaxRuns)
	case o.workers < 0:
		return usagef("-workers %d: want 0 (the number of CPUs) or more", o.workers)
	case o.firstRun < 0 || o.firstRun > math.MaxInt-o.runs:
		return usagef("-first-run %d: want 0 or more, and runs numbered within an int", o.firstRun)
	case o.batch < 1:
		return usagef("-batch %d: want at least 1", o.batch)
	case o.precision.IsNegative() || o.precision.GreaterThanOrEqual(decimal.NewFromInt(1)) || o.set["precision"] && o.precision.IsZero():
		return usagef("-precision %s: want a share between 0 and 100 %%, such as 2%%", o.precision.Shift(2).String()+"%")
	case o.set["batch"] && !o.precision.IsPositive():
		return usagef("-batch goes with -precision")
	case o.set["figures"] && o.format != "json":
		return usagef("-figures keeps the runs' figures in the JSON: with -format json")
	case o.set["figures"] && (o.price != "" || o.staff != ""):
		return usagef("-figures keeps the figures of a result: with the risk table or -compare/-amend, not -price or -staff")
	case o.antithetic && (o.runs%2 != 0 || o.firstRun%2 != 0 || o.batch%2 != 0):
		return usagef("-antithetic draws pairs: -runs (%d), -first-run (%d) and -batch (%d) must be even", o.runs, o.firstRun, o.batch)
	case questions > 1:
		return usagef("ask one question at a time: -price, -staff or -compare/-amend")
	case questions > 0 && (o.sweep != "" || o.staffing):
		return usagef("-sweep and -staffing go with the risk table, not with a question")
	case o.compare != "" && len(o.amend) > 0:
		return usagef("-compare a file or -amend the contract, not both")
	case o.price != "" && o.precision.IsPositive():
		return usagef("-price evaluates every price on the same runs: give -runs, not -precision")
	case o.staff != "" && o.precision.IsPositive():
		return usagef("-staff evaluates every staffing on the same runs: give -runs, not -precision")
	case o.price != "" && !o.set["margin"] && !o.set["margin-rate"]:
		return usagef("-price needs -margin or -margin-rate, the margin wanted")
	case o.price == "" && (o.set["margin"] || o.set["margin-rate"] || o.priceRange != "" || o.set["price-step"]):
		return usagef("-margin, -margin-rate, -price-range and -price-step go with -price")
	case o.set["price-step"] && !o.priceStep.IsPositive():
		return usagef("-price-step %s: want a step above 0", o.priceStep)
	case o.staff != "" && !o.set["limit"]:
		return usagef("-staff needs -limit, the most the P90 of the net penalty may be")
	case o.staff == "" && o.set["limit"]:
		return usagef("-limit goes with -staff")
	}
	return nil
}

// priceQuestion reads -price and the flags that go with it.
func (o *simulateOptions) priceQuestion() (*simulate.PriceQuestion, error) {
	q := &simulate.PriceQuestion{Target: o.margin, TargetRate: o.marginRate, Step: o.priceStep}
	if strings.EqualFold(o.price, "discount") {
		q.Discount = true
	} else {
		q.Unit = o.price
	}
	if o.priceRange != "" {
		lo, hi, ok := strings.Cut(o.priceRange, ":")
		read := amountFlag
		if q.Discount {
			read = shareFlag
		}
		if !ok || read(&q.Low)(lo) != nil || read(&q.High)(hi) != nil {
			want := "LOW:HIGH, amounts such as 10000:30000"
			if q.Discount {
				want = "LOW:HIGH, shares such as -10%:30%"
			}
			return nil, usagef("-price-range %q: want %s", o.priceRange, want)
		}
	}
	return q, nil
}

func (o *simulateOptions) exec(ctx context.Context, e *env, args []string) error {
	q, err := o.check(args, e)
	if err != nil {
		return err
	}
	for _, path := range []string{args[0], args[1], o.compare} {
		if err := readable(path); err != nil {
			return err
		}
	}
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	sc, err := simulate.LoadScenario(args[1])
	if err != nil {
		return inputError{err}
	}
	sim, err := simulate.New(c, sc)
	if err != nil {
		return inputError{err}
	}
	prog := newProgress(e.stderr, q.show, "runs", o.total(q))
	var runs atomic.Int64
	opts := simulate.Options{Runs: o.runs, FirstRun: o.firstRun, Seed: o.seed, Workers: o.workers, Antithetic: o.antithetic,
		Controls: o.controls, Precision: o.precision, Batch: o.batch, Progress: func(int, int) { prog.update(int(runs.Add(1))) }}
	start := time.Now()
	out, err := o.answer(ctx, q, sim, opts)
	prog.stop(err, ctx.Err() != nil)
	if errors.Is(err, simulate.ErrQuestion) {
		return usageError{err}
	} else if err != nil {
		return err
	}
	elapsed := time.Since(start)
	workers := o.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := runs.Load()
	fmt.Fprintf(e.stderr, "pacte simulate: %d runs in %s (%.2f runs/s) on %d workers\n", n, elapsed.Round(time.Millisecond),
		float64(n)/elapsed.Seconds(), min(int64(workers), max(n, 1)))
	if !o.figures {
		out.dropFigures()
	}
	if err := writeOutput(o.out, e.stdout, func(w io.Writer) error { return writeSimulation(w, o.format, out) }); err != nil {
		return err
	}
	if rejected, failed, messages := out.errors(); rejected > 0 || failed > 0 {
		fmt.Fprintf(e.stderr, "pacte simulate: the engine rejected %d generated records and %d rules failed on an item: %s\n",
			rejected, failed, strings.Join(messages, "; "))
		return errFailed
	}
	return nil
}

// total is the number of runs the progress counts to; 0 when it is not
// known in advance (a price search draws as many passes as it needs).
func (o *simulateOptions) total(q question) int {
	runs := o.runs
	if o.precision.IsPositive() && runs == 0 {
		runs = simulate.DefaultBudget
	}
	switch {
	case q.price != nil:
		return 0
	case q.staff != nil:
		return runs * len(q.staff.Values)
	case q.sweep != nil:
		return runs * (1 + len(q.sweep.Values))
	}
	return runs
}

// shareFlag reads a share written as a percentage (2%) or a number (0.02).
func shareFlag(d *decimal.Decimal) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		num, pct := strings.CutSuffix(s, "%")
		v, err := decimal.NewFromString(strings.TrimSpace(num))
		if err != nil {
			return fmt.Errorf("want a share such as 2%% or 0.02, not %q", s)
		}
		if pct {
			v = v.Shift(-2)
		}
		*d = v
		return nil
	}
}

// amountFlag reads an amount: 45000, 45_000 or 12.50.
func amountFlag(d *decimal.Decimal) func(string) error {
	return func(s string) error {
		v, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
		if err != nil {
			return fmt.Errorf("want an amount such as 45000 or 12.50, not %q", s)
		}
		*d = v
		return nil
	}
}
