// Command tender prices the SLA risk of a contract before the bid: it
// draws many runs of the contract's term against a workload scenario,
// evaluates each with the engine that will compute the real penalties,
// and prints the risk table: penalties, bonuses and margin per contract
// year (mean and percentiles, each with its 95 % confidence interval),
// the rules that drive the risk, and how often each cap is reached. It
// also answers the bid team's questions: the price at which the margin
// reaches a target, the cheapest staffing whose penalties stay under a
// limit, and what a clause negotiated differently would change.
//
//	go run ./examples/tender                       # the reference contract and scenario, 1,000 runs
//	go run ./examples/tender -precision 2%          # as many runs as a ±2 % P90 takes
//	go run ./examples/tender -runs 200 -seed 7 -format md
//	go run ./examples/tender -runs 200 -sweep 'restore:incident:P1=2h,3h,4h,5h,6h' -format html -o risk.html
//	go run ./examples/tender -runs 200 -price FORFAIT-APP -margin 600000
//	go run ./examples/tender -runs 200 -staff 0.8,0.9,1,1.1,1.2 -limit 45000
//	go run ./examples/tender -runs 200 -amend 'rules.INC-P1.deadline=6h'
//	go run ./examples/tender -contract my.yaml -scenario my-workload.yaml -workers 4 -format json
//
// Flags:
//
//	-contract    the contract file (default examples/contracts/acme.yaml)
//	-scenario    the workload scenario (default examples/scenarios/acme.yaml;
//	             its format is documented in package sla/simulate)
//	-runs        number of runs (default 1000); with -precision, the most
//	             that may be drawn (default 20000). -seed makes them
//	             reproducible: the same seed gives the same output whatever
//	             -workers
//	-first-run   index of the first run (default 0): the results of two
//	             ranges of runs merge (see -figures)
//	-precision   a share such as 2%: draw runs by batches of -batch (default
//	             100) until the 95 % interval of the P90 of the term's net
//	             penalty is within ±2 % of it, or -runs are spent
//	-antithetic  draw the runs in antithetic pairs (see package sla/simulate:
//	             sound, but it gains little on a P90)
//	-workers     runs evaluated at once (default: the number of CPUs)
//	-format      text, md, json or html; -o writes to a file
//	-figures     keep each run's figures in the JSON, so that results merge
//	-staffing    also print the phone desk's staffing, month by month, with
//	             the Erlang forecast
//	-sweep       also vary one parameter, the same runs at each value:
//	             agents=10,12,14,16,18,20 (a constant staffing),
//	             restore:KIND:PRIORITY=2h,4h,6h (a restoration median),
//	             volume=0.8,1,1.2 (every volume); html draws it as a chart
//	-progress    auto (a progress bar on standard error when it is a
//	             terminal), on or off
//
// The bid team's questions, one at a time, instead of the risk table:
//
//	-price       UNIT (a work unit's fixed fee or unit price) or discount (on
//	             every price): the price at which the margin over the span
//	             reaches -margin AMOUNT (and -margin-rate, a share of the
//	             invoice), on average and in 90 % of the runs, every price
//	             on the same runs; -price-range LOW:HIGH bounds the search,
//	             -price-step its resolution (a euro for a fee)
//	-staff       0.8,1,1.2 (factors on the desk's staffing, whatever its form)
//	             or sl=80%,85%,90% (the service level a target staffing
//	             meets): penalties and margin at each, and the cheapest whose
//	             P90 of the net penalty stays under -limit AMOUNT
//	-compare     FILE, another version of the contract, or -amend PATH=VALUE
//	             (repeatable: rules.INC-P1.deadline=6h, penalties.caps.month=5%
//	             * invoice): the same runs under both, side by side, with the
//	             differences run by run
//
// The figures are exact decimals; the tables round them to the unit of
// currency, the JSON keeps them whole. Timing goes to standard error, so
// that standard output is the same for the same seed. Exit status: 0 on
// success, 1 when the runs fail or the engine rejected generated records,
// 2 on a usage error or a file that cannot be read.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/shopspring/decimal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	contract, scenario, format, out, sweep, progress string
	runs, firstRun, workers, batch                   int
	seed                                             uint64
	staffing, antithetic, figures                    bool
	precision                                        decimal.Decimal
	set                                              map[string]bool // the flags given

	// The questions.
	price, priceRange, staff, compare string
	margin, marginRate, priceStep     decimal.Decimal
	limit                             decimal.Decimal
	amend                             []simulate.Amendment
}

// usageError is a mistake in the command line or an unreadable file:
// exit status 2.
type usageError struct{ error }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tender", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.contract, "contract", exampledir.Path("contracts/acme.yaml"), "the contract file")
	fs.StringVar(&o.scenario, "scenario", exampledir.Path("scenarios/acme.yaml"), "the workload scenario")
	fs.IntVar(&o.runs, "runs", simulate.DefaultRuns, "number of runs (with -precision, the most that may be drawn)")
	fs.IntVar(&o.firstRun, "first-run", 0, "index of the first run")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the runs")
	fs.IntVar(&o.workers, "workers", 0, "runs evaluated at once (0: the number of CPUs)")
	fs.Func("precision", "run until the P90 of the term's net penalty is known to this share (2%)", shareFlag(&o.precision))
	fs.IntVar(&o.batch, "batch", simulate.DefaultBatch, "runs between two checks of -precision")
	fs.BoolVar(&o.antithetic, "antithetic", false, "draw the runs in antithetic pairs")
	fs.StringVar(&o.format, "format", "text", "text, md, json or html")
	fs.StringVar(&o.out, "o", "", "write to this file rather than to standard output")
	fs.BoolVar(&o.figures, "figures", false, "keep each run's figures in the JSON, so that results merge")
	fs.BoolVar(&o.staffing, "staffing", false, "also print the phone desk's staffing month by month")
	fs.StringVar(&o.sweep, "sweep", "", "vary a parameter: agents=10,12,14 | restore:incident:P1=2h,4h,6h | volume=0.8,1,1.2")
	fs.StringVar(&o.progress, "progress", "auto", "progress bar on standard error: auto, on or off")
	fs.StringVar(&o.price, "price", "", "the price at which the margin reaches -margin: a work unit, or discount")
	fs.Func("margin", "the margin over the span wanted, in the contract's currency", amountFlag(&o.margin))
	fs.Func("margin-rate", "the margin wanted as a share of the invoice (10%)", shareFlag(&o.marginRate))
	fs.StringVar(&o.priceRange, "price-range", "", "LOW:HIGH, the prices searched (a discount as shares: -10%:30%)")
	fs.Func("price-step", "the resolution of the price found", amountFlag(&o.priceStep))
	fs.StringVar(&o.staff, "staff", "", "staffing options: 0.8,1,1.2 (factors) or sl=80%,85%,90% (service level targets)")
	fs.Func("limit", "the most the P90 of the net penalty may be, for -staff", amountFlag(&o.limit))
	fs.StringVar(&o.compare, "compare", "", "another version of the contract, compared on the same runs")
	fs.Func("amend", "PATH=VALUE: a version of the contract with this clause changed (repeatable)", func(s string) error {
		a, err := simulate.ParseAmendment(s)
		o.amend = append(o.amend, a)
		return err
	})
	if err := fs.Parse(args); err != nil {
		return o, usageError{err}
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o, o.check(fs)
}

// check refuses what the flags cannot mean together.
func (o *options) check(fs *flag.FlagSet) error {
	questions := 0
	for _, q := range []bool{o.price != "", o.staff != "", o.compare != "" || len(o.amend) > 0} {
		if q {
			questions++
		}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case o.runs < 1:
		return usageError{fmt.Errorf("-runs %d: want at least 1", o.runs)}
	case o.workers < 0 || o.firstRun < 0 || o.batch < 1:
		return usageError{fmt.Errorf("-workers %d, -first-run %d, -batch %d: want 0 or more, 0 or more, 1 or more", o.workers, o.firstRun, o.batch)}
	case questions > 1:
		return usageError{errors.New("ask one question at a time: -price, -staff or -compare/-amend")}
	case questions > 0 && (o.sweep != "" || o.staffing):
		return usageError{errors.New("-sweep and -staffing go with the risk table, not with a question")}
	case o.compare != "" && len(o.amend) > 0:
		return usageError{errors.New("-compare a file or -amend the contract, not both")}
	case o.antithetic && (o.runs%2 != 0 || o.firstRun%2 != 0 || o.batch%2 != 0):
		return usageError{fmt.Errorf("-antithetic draws pairs: -runs (%d), -first-run (%d) and -batch (%d) must be even", o.runs, o.firstRun, o.batch)}
	case o.price != "" && o.precision.IsPositive():
		return usageError{errors.New("-price evaluates every price on the same runs: give -runs, not -precision")}
	case o.staff != "" && !o.set["limit"]:
		return usageError{errors.New("-staff needs -limit, the most the P90 of the net penalty may be")}
	case o.price != "" && !o.set["margin"] && !o.set["margin-rate"]:
		return usageError{errors.New("-price needs -margin or -margin-rate, the margin wanted")}
	}
	if o.precision.IsPositive() && !o.set["runs"] {
		o.runs = 0 // the default budget
	}
	switch o.format {
	case "text", "md", "json", "html":
	default:
		return usageError{fmt.Errorf("-format %q: want text, md, json or html", o.format)}
	}
	switch o.progress {
	case "auto", "on", "off":
	default:
		return usageError{fmt.Errorf("-progress %q: want auto, on or off", o.progress)}
	}
	return nil
}

// shareFlag reads a share written as a percentage (2%) or a number (0.02).
func shareFlag(d *decimal.Decimal) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		pct := strings.HasSuffix(s, "%")
		v, err := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(s, "%")))
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

// amountFlag reads an amount.
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err == nil {
		err = tender(ctx, o, stdout, stderr)
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "tender:", err)
		return 2
	}
	fmt.Fprintln(stderr, "tender:", err)
	return 1
}

func tender(ctx context.Context, o options, stdout, stderr io.Writer) error {
	c, err := contract.Load(o.contract)
	if err != nil {
		return usageError{err}
	}
	sc, err := simulate.LoadScenario(o.scenario)
	if err != nil {
		return usageError{err}
	}
	sim, err := simulate.New(c, sc)
	if err != nil {
		return usageError{err}
	}
	bar := newBar(stderr, o.progress)
	var runs atomic.Int64
	opts := simulate.Options{Runs: o.runs, FirstRun: o.firstRun, Seed: o.seed, Workers: o.workers, Antithetic: o.antithetic,
		Precision: o.precision, Batch: o.batch, Progress: func(done, total int) { runs.Add(1); bar.update(done, total) }}
	start := time.Now()
	out, err := answer(ctx, o, sim, opts)
	bar.stop()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	workers := o.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := runs.Load()
	fmt.Fprintf(stderr, "tender: %d runs in %s (%.2f runs/s) on %d workers\n", n, elapsed.Round(time.Millisecond),
		float64(n)/elapsed.Seconds(), min(int64(workers), max(n, 1)))
	if !o.figures {
		out.dropFigures()
	}
	if err := writeTo(o.out, stdout, func(w io.Writer) error { return write(w, o.format, out) }); err != nil {
		return err
	}
	if r := out.main; r.Rejected > 0 || r.RuleErrors > 0 {
		return fmt.Errorf("the engine rejected %d generated records and %d rules failed on an item: %s",
			r.Rejected, r.RuleErrors, strings.Join(r.Messages, "; "))
	}
	return nil
}

// writeTo writes through write to the file named, or to stdout.
func writeTo(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "" {
		return write(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return usageError{err}
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// parseSweep reads -sweep: agents=10,12 | restore:KIND:PRIORITY=2h,4h |
// volume=0.8,1.2.
func parseSweep(s string) (simulate.Parameter, error) {
	name, list, ok := strings.Cut(s, "=")
	values := strings.Split(list, ",")
	if !ok || list == "" {
		return simulate.Parameter{}, fmt.Errorf("-sweep %q: want name=value,value…", s)
	}
	fail := func(v string, err error) (simulate.Parameter, error) {
		return simulate.Parameter{}, fmt.Errorf("-sweep %q: value %q: %v", s, v, err)
	}
	switch parts := strings.Split(name, ":"); {
	case name == "agents":
		var n []int
		for _, v := range values {
			x, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || x < 1 {
				return fail(v, errors.New("want a number of agents ≥ 1"))
			}
			n = append(n, x)
		}
		return simulate.Agents(n...), nil
	case name == "volume":
		f, bad := factors(values)
		if bad != "" {
			return fail(bad, errors.New("want a factor ≥ 0"))
		}
		return simulate.Volume(f...), nil
	case parts[0] == "restore" && len(parts) == 3:
		var d []time.Duration
		for _, v := range values {
			x, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || x <= 0 {
				return fail(v, errors.New("want a duration such as 4h"))
			}
			d = append(d, x)
		}
		return simulate.RestoreMedian(parts[1], parts[2], d...), nil
	}
	return simulate.Parameter{}, fmt.Errorf("-sweep %q: unknown parameter %q: want agents, restore:KIND:PRIORITY or volume", s, name)
}

// factors reads factors ≥ 0; bad is the first value that is not one.
func factors(values []string) (f []float64, bad string) {
	for _, v := range values {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(x >= 0) {
			return nil, v
		}
		f = append(f, x)
	}
	return f, ""
}
