package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/pacte-sla/pacte/sla/slatest"
)

var simulateCommand = &command{
	name:    "simulate",
	summary: "draw many runs of a contract's term against a workload scenario",
	usage: `pacte simulate [flags] CONTRACT SCENARIO

Simulate prices the SLA risk of a contract before the bid: it draws runs of
the contract's term against a workload scenario (its format is documented
in package sla/simulate), evaluates each with the engine that computes the
real penalties, and prints the penalties, bonuses and margin per contract
year (mean and percentiles), the rules that drive the risk and how often
each cap is reached. The same seed gives the same figures whatever the
number of workers. Timing goes to standard error.

-seeds FROM-TO draws runs FROM to TO (both included) of the seed of
-seed, rather than -runs runs from run 0: run n is the same whatever range
holds it. The JSON results of disjoint ranges (0-499, 500-999) combine
with simulate.Result.Merge into the result of -runs 1000, byte for byte,
so that a simulation spreads over machines.

-sweep also runs the same draws at each value of one parameter:
agents=10,12,14 (a constant staffing), restore:KIND:PRIORITY=2h,4h,6h (a
restoration median), volume=0.8,1,1.2 (every volume).

The exit status is 1 when the engine rejected generated records.

A run of the reference scenario (three years, half a million records) takes
about a tenth of a second of one core: the default 1,000 runs, about a
minute on two cores. The examples draw a few.

Examples:

  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 8
  pacte simulate examples/contracts/acme.yaml examples/scenarios/acme.yaml -runs 2 -sweep agents=12,16 -format md
`,
	flags: simulateFlags,
}

type simulateOptions struct {
	format, out, sweep, progress string
	seeds                        string // -seeds FROM-TO; read into firstRun and runs
	runs, workers, firstRun      int
	seed                         uint64
	staffing                     bool
}

func simulateFlags(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
	var o simulateOptions
	fs.IntVar(&o.runs, "runs", simulate.DefaultRuns, "number of runs")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the runs")
	fs.IntVar(&o.workers, "workers", 0, "runs evaluated at once (0: the number of CPUs)")
	fs.StringVar(&o.format, "format", "text", "text, md, json or html")
	fs.StringVar(&o.out, "o", "", "write to this file, once complete")
	fs.BoolVar(&o.staffing, "staffing", false, "also print the phone desk's staffing, month by month")
	fs.StringVar(&o.sweep, "sweep", "", "vary a parameter: agents=10,12,14 | restore:incident:P1=2h,4h,6h | volume=0.8,1,1.2")
	fs.StringVar(&o.seeds, "seeds", "", "draw runs FROM to TO of -seed (0-1999), in place of -runs: the JSON results of disjoint ranges merge into that of them all")
	fs.StringVar(&o.progress, "progress", "auto", "progress on standard error: auto (when it is a terminal), on or off")
	return func(ctx context.Context, args []string) error { return o.exec(ctx, e, args) }
}

// simulateOutput is what simulate writes, in every format.
type simulateOutput struct {
	Result      *simulate.Result         `json:"result"`
	Staffing    []simulate.MonthStaffing `json:"staffing,omitempty"`
	Sensitivity *simulate.Sensitivity    `json:"sensitivity,omitempty"`
	tables      []simulate.Table
}

// seedRange reads -seeds FROM-TO into the first run and the number of runs.
func seedRange(s string) (first, runs int, err error) {
	from, to, ok := strings.Cut(s, "-")
	a, errA := strconv.Atoi(from)
	b, errB := strconv.Atoi(to)
	if !ok || errA != nil || errB != nil || a < 0 || b < a {
		return 0, 0, usagef("-seeds %q: want FROM-TO, two run numbers, FROM ≤ TO: 0-499", s)
	}
	return a, b - a + 1, nil
}

func (o simulateOptions) check(args []string, e *env) (*simulate.Parameter, bool, error) {
	if o.seeds != "" {
		if _, _, err := seedRange(o.seeds); err != nil {
			return nil, false, err
		}
		if o.sweep != "" {
			return nil, false, usagef("-seeds and -sweep are exclusive")
		}
	}
	switch {
	case len(args) != 2:
		return nil, false, usagef("want a contract and a scenario, found %d %s", len(args), plural(len(args), "file", "files"))
	case o.runs < 1:
		return nil, false, usagef("-runs %d: want at least 1", o.runs)
	case o.workers < 0:
		return nil, false, usagef("-workers %d: want 0 (the number of CPUs) or more", o.workers)
	}
	if err := checkFormat(o.format, []string{"text", "md", "json", "html"}); err != nil {
		return nil, false, err
	}
	show, err := checkProgress(o.progress, e)
	if err != nil {
		return nil, false, err
	}
	var param *simulate.Parameter
	if o.sweep != "" {
		p, err := parseSweep(o.sweep)
		if err != nil {
			return nil, false, usageError{err}
		}
		param = &p
	}
	return param, show, checkOutput(o.out)
}

func (o simulateOptions) exec(ctx context.Context, e *env, args []string) error {
	param, show, err := o.check(args, e)
	if err != nil {
		return err
	}
	if o.seeds != "" {
		o.firstRun, o.runs, _ = seedRange(o.seeds)
	}
	for _, path := range args {
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
	total := o.runs
	if param != nil {
		total += o.runs * len(param.Values)
	}
	prog := newProgress(e.stderr, show, "runs", total)
	start := time.Now()
	out, err := o.simulate(ctx, sim, param, prog)
	prog.stop(err, ctx.Err() != nil)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	workers := o.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	fmt.Fprintf(e.stderr, "pacte simulate: %d runs in %s (%.2f runs/s) on %d workers\n", total, elapsed.Round(time.Millisecond),
		float64(total)/elapsed.Seconds(), min(workers, o.runs))
	if err := writeOutput(o.out, e.stdout, func(w io.Writer) error { return writeSimulation(w, o.format, c, out) }); err != nil {
		return err
	}
	if r := out.Result; r.Rejected > 0 || r.RuleErrors > 0 {
		fmt.Fprintf(e.stderr, "pacte simulate: the engine rejected %d generated records and %d rules failed on an item: %s\n",
			r.Rejected, r.RuleErrors, strings.Join(r.Messages, "; "))
		return errFailed
	}
	return nil
}

// simulate runs the simulation, then the sweep.
func (o simulateOptions) simulate(ctx context.Context, sim *simulate.Simulation, param *simulate.Parameter, prog *progress) (simulateOutput, error) {
	opts := simulate.Options{FirstRun: o.firstRun, Runs: o.runs, Seed: o.seed, Workers: o.workers, Progress: func(done, _ int) { prog.update(done) }}
	res, err := sim.Run(ctx, opts)
	if err != nil {
		return simulateOutput{}, err
	}
	out := simulateOutput{Result: res, tables: res.Tables()}
	if o.staffing {
		if out.Staffing = sim.Staffing(); len(out.Staffing) > 0 {
			out.tables = append(out.tables, simulate.StaffingTable(out.Staffing))
		}
	}
	if param != nil {
		opts.Progress = func(done, _ int) { prog.update(o.runs + done) }
		s, err := simulate.Sweep(ctx, sim.Contract(), sim.Scenario(), *param, opts)
		if err != nil {
			return simulateOutput{}, err
		}
		out.Sensitivity = s
		out.tables = append(out.tables, s.Table())
	}
	return out, nil
}

// parseSweep reads -sweep: agents=10,12 | restore:KIND:PRIORITY=2h,4h |
// volume=0.8,1.2.
func parseSweep(s string) (simulate.Parameter, error) {
	name, list, ok := strings.Cut(s, "=")
	if !ok || list == "" {
		return simulate.Parameter{}, fmt.Errorf("-sweep %q: want name=value,value…", s)
	}
	values := strings.Split(list, ",")
	bad := func(v, want string) error { return fmt.Errorf("-sweep %q: value %q: want %s", s, v, want) }
	parts := strings.Split(name, ":")
	switch {
	case name == "agents":
		n := make([]int, len(values))
		for i, v := range values {
			x, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || x < 1 {
				return simulate.Parameter{}, bad(v, "a number of agents ≥ 1")
			}
			n[i] = x
		}
		return simulate.Agents(n...), nil
	case name == "volume":
		f := make([]float64, len(values))
		for i, v := range values {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(x >= 0) {
				return simulate.Parameter{}, bad(v, "a factor ≥ 0")
			}
			f[i] = x
		}
		return simulate.Volume(f...), nil
	case parts[0] == "restore" && len(parts) == 3:
		d := make([]time.Duration, len(values))
		for i, v := range values {
			x, err := slatest.Duration(strings.TrimSpace(v))
			if err != nil || x <= 0 {
				return simulate.Parameter{}, bad(v, "a duration such as 4h or 1h30min")
			}
			d[i] = x
		}
		return simulate.RestoreMedian(parts[1], parts[2], d...), nil
	}
	return simulate.Parameter{}, fmt.Errorf("-sweep %q: unknown parameter %q: want agents, restore:KIND:PRIORITY or volume", s, name)
}

// writeSimulation writes the output in its format: the result's own
// tables, as text, Markdown or an HTML page, or the figures as JSON.
func writeSimulation(w io.Writer, format string, c *contract.Contract, out simulateOutput) error {
	r := out.Result
	var b strings.Builder
	title := "Tender risk: " + r.Contract
	header := fmt.Sprintf("%s to %s, %d runs, seed %d; records per run: %s", r.From.Format(time.DateOnly),
		r.To.AddDate(0, 0, -1).Format(time.DateOnly), r.Runs, r.Seed, recordsPerRun(r))
	var notes []string
	for _, m := range r.Warnings {
		notes = append(notes, "warning: "+m)
	}
	for _, m := range r.Messages {
		notes = append(notes, "error: "+m)
	}
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "html":
		fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n<p>",
			html.EscapeString(title), pageStyle, html.EscapeString(title))
		if r.Scenario != "" {
			fmt.Fprintf(&b, "Scenario: %s.<br>\n", html.EscapeString(r.Scenario))
		}
		fmt.Fprintf(&b, "%s. Amounts in %s.</p>\n", html.EscapeString(header), html.EscapeString(c.Currency()))
		for _, t := range out.tables {
			err = errors.Join(err, t.WriteHTML(&b))
		}
		if out.Sensitivity != nil {
			b.WriteString("<figure>\n")
			err = errors.Join(err, out.Sensitivity.Chart().WriteSVG(&b))
			b.WriteString("\n</figure>\n")
		}
		for _, n := range notes {
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(n))
		}
		b.WriteString("</body>\n</html>\n")
	default:
		md := format == "md"
		if md {
			fmt.Fprintf(&b, "# %s\n\n", title)
		} else {
			fmt.Fprintf(&b, "%s\n", title)
		}
		if r.Scenario != "" {
			fmt.Fprintf(&b, "Scenario: %s\n", r.Scenario)
		}
		fmt.Fprintf(&b, "%s\n\n", header)
		for _, t := range out.tables {
			if md {
				err = errors.Join(err, t.WriteMarkdown(&b))
			} else {
				err = errors.Join(err, t.WriteText(&b))
			}
			b.WriteByte('\n')
		}
		for _, n := range notes {
			b.WriteString(n + "\n")
		}
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

const pageStyle = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0 2em; }
caption { text-align: left; font-weight: 600; padding-bottom: .4em; }
th, td { padding: .25em .6em; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
td { font-variant-numeric: tabular-nums; }
`

// recordsPerRun describes the mean records of a run.
func recordsPerRun(r *simulate.Result) string {
	var parts []string
	for _, src := range []string{"tickets", "calls", "outages", "samples"} {
		if n, ok := r.Records[src]; ok {
			parts = append(parts, n.Round(0).String()+" "+src)
		}
	}
	return strings.Join(parts, ", ")
}
