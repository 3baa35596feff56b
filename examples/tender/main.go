// Command tender prices the SLA risk of a contract before the bid: it
// draws many runs of the contract's term against a workload scenario,
// evaluates each with the engine that will compute the real penalties,
// and prints the risk table: penalties, bonuses and margin per contract
// year (mean and percentiles), the rules that drive the risk, and how
// often each cap is reached.
//
//	go run ./examples/tender                       # the reference contract and scenario, 1,000 runs
//	go run ./examples/tender -runs 200 -seed 7 -format md
//	go run ./examples/tender -runs 200 -sweep 'restore:incident:P1=2h,3h,4h,5h,6h' -format html -o risk.html
//	go run ./examples/tender -contract my.yaml -scenario my-workload.yaml -workers 4 -format json
//
// Flags:
//
//	-contract  the contract file (default examples/contracts/acme.yaml)
//	-scenario  the workload scenario (default examples/scenarios/acme.yaml;
//	           its format is documented in package sla/simulate)
//	-runs      number of runs (default 1000); -seed makes them reproducible:
//	           the same seed gives the same table whatever -workers
//	-workers   runs evaluated at once (default: the number of CPUs)
//	-format    text, md, json or html; -o writes to a file
//	-staffing  also print the phone desk's staffing, month by month, with
//	           the Erlang forecast
//	-sweep     also vary one parameter, the same runs at each value:
//	           agents=10,12,14,16,18,20 (a constant staffing),
//	           restore:KIND:PRIORITY=2h,4h,6h (a restoration median),
//	           volume=0.8,1,1.2 (every volume); html draws it as a chart
//	-progress  auto (a progress bar on standard error when it is a
//	           terminal), on or off
//
// The figures are exact decimals; the tables round them to the unit of
// currency, the JSON keeps them whole. Timing goes to standard error, so
// that standard output is the same for the same seed. Exit status: 0 on
// success, 1 when the runs fail or the engine rejected generated records,
// 2 on a usage error or a file that cannot be read.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/simulate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	contract, scenario, format, out, sweep, progress string
	runs, workers                                    int
	seed                                             uint64
	staffing                                         bool
}

// usageError is a mistake in the command line or an unreadable file:
// exit status 2.
type usageError struct{ error }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tender", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.contract, "contract", example("contracts/acme.yaml"), "the contract file")
	fs.StringVar(&o.scenario, "scenario", example("scenarios/acme.yaml"), "the workload scenario")
	fs.IntVar(&o.runs, "runs", simulate.DefaultRuns, "number of runs")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the runs")
	fs.IntVar(&o.workers, "workers", 0, "runs evaluated at once (0: the number of CPUs)")
	fs.StringVar(&o.format, "format", "text", "text, md, json or html")
	fs.StringVar(&o.out, "o", "", "write to this file rather than to standard output")
	fs.BoolVar(&o.staffing, "staffing", false, "also print the phone desk's staffing month by month")
	fs.StringVar(&o.sweep, "sweep", "", "vary a parameter: agents=10,12,14 | restore:incident:P1=2h,4h,6h | volume=0.8,1,1.2")
	fs.StringVar(&o.progress, "progress", "auto", "progress bar on standard error: auto, on or off")
	if err := fs.Parse(args); err != nil {
		return o, usageError{err}
	}
	switch {
	case fs.NArg() > 0:
		return o, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case o.runs < 1:
		return o, usageError{fmt.Errorf("-runs %d: want at least 1", o.runs)}
	case o.workers < 0:
		return o, usageError{fmt.Errorf("-workers %d: want 0 (the number of CPUs) or more", o.workers)}
	}
	switch o.format {
	case "text", "md", "json", "html":
	default:
		return o, usageError{fmt.Errorf("-format %q: want text, md, json or html", o.format)}
	}
	switch o.progress {
	case "auto", "on", "off":
	default:
		return o, usageError{fmt.Errorf("-progress %q: want auto, on or off", o.progress)}
	}
	return o, nil
}

// example returns the path of a file of the examples directory: relative
// to the working directory when it is there (go run from the module's
// root), else next to this source file.
func example(rel string) string {
	p := filepath.Join("examples", rel)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		q := filepath.Join(filepath.Dir(file), "..", rel)
		if _, err := os.Stat(q); err == nil {
			return q
		}
	}
	return p
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

// output is what the command writes, in every format.
type output struct {
	Result      *simulate.Result         `json:"result"`
	Staffing    []simulate.MonthStaffing `json:"staffing,omitempty"`
	Sensitivity *simulate.Sensitivity    `json:"sensitivity,omitempty"`
	tables      []simulate.Table         // the risk tables, then staffing and sweep
	sweep       *simulate.Sensitivity    // for the chart
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
	var param *simulate.Parameter
	if o.sweep != "" {
		p, err := parseSweep(o.sweep)
		if err != nil {
			return usageError{err}
		}
		param = &p
	}
	sim, err := simulate.New(c, sc)
	if err != nil {
		return usageError{err}
	}

	total := o.runs
	if param != nil {
		total += o.runs * len(param.Values)
	}
	bar := newBar(stderr, o.progress, total)
	opts := simulate.Options{Runs: o.runs, Seed: o.seed, Workers: o.workers, Progress: func(done, _ int) { bar.update(done) }}
	start := time.Now()
	res, err := sim.Run(ctx, opts)
	if err != nil {
		bar.stop()
		return err
	}
	out := output{Result: res}
	out.tables = res.Tables()
	if o.staffing {
		out.Staffing = sim.Staffing()
		if len(out.Staffing) > 0 {
			out.tables = append(out.tables, simulate.StaffingTable(out.Staffing))
		}
	}
	if param != nil {
		sweepOpts := opts
		sweepOpts.Progress = func(done, _ int) { bar.update(o.runs + done) }
		s, err := simulate.Sweep(ctx, c, sc, *param, sweepOpts)
		if err != nil {
			bar.stop()
			return err
		}
		out.Sensitivity, out.sweep = s, s
		out.tables = append(out.tables, s.Table())
	}
	bar.stop()
	elapsed := time.Since(start)
	workers := o.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	fmt.Fprintf(stderr, "tender: %d runs in %s (%.2f runs/s) on %d workers\n", total, elapsed.Round(time.Millisecond),
		float64(total)/elapsed.Seconds(), min(workers, o.runs))

	w := stdout
	var f *os.File
	if o.out != "" {
		f, err = os.Create(o.out)
		if err != nil {
			return usageError{err}
		}
		w = f
	}
	err = write(w, o.format, c, out)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	if res.Rejected > 0 || res.RuleErrors > 0 {
		return fmt.Errorf("the engine rejected %d generated records and %d rules failed on an item: %s",
			res.Rejected, res.RuleErrors, strings.Join(res.Messages, "; "))
	}
	return nil
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
		var f []float64
		for _, v := range values {
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(x >= 0) {
				return fail(v, errors.New("want a factor ≥ 0"))
			}
			f = append(f, x)
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

// write writes the output in its format.
func write(w io.Writer, format string, c *contract.Contract, out output) error {
	r := out.Result
	switch format {
	case "json":
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(out)
	case "html":
		return writeHTML(w, c, out)
	}
	var b strings.Builder
	title := "Tender risk: " + r.Contract
	from, to := r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly)
	if format == "md" {
		fmt.Fprintf(&b, "# %s\n\n", title)
		if r.Scenario != "" {
			fmt.Fprintf(&b, "Scenario: %s.  \n", r.Scenario)
		}
		fmt.Fprintf(&b, "%s to %s, %d runs, seed %d; records per run: %s.\n\n", from, to, r.Runs, r.Seed, records(r))
	} else {
		fmt.Fprintf(&b, "%s\n", title)
		if r.Scenario != "" {
			fmt.Fprintf(&b, "Scenario: %s\n", r.Scenario)
		}
		fmt.Fprintf(&b, "%s to %s, %d runs, seed %d; records per run: %s\n\n", from, to, r.Runs, r.Seed, records(r))
	}
	for _, t := range out.tables {
		var err error
		if format == "md" {
			err = t.WriteMarkdown(&b)
		} else {
			err = t.WriteText(&b)
		}
		if err != nil {
			return err
		}
		b.WriteByte('\n')
	}
	for _, m := range notes(r) {
		if format == "md" {
			b.WriteString("- ")
		}
		b.WriteString(m + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// records describes the mean records of a run.
func records(r *simulate.Result) string {
	var parts []string
	for _, src := range []string{"tickets", "calls", "outages", "samples"} {
		if n, ok := r.Records[src]; ok {
			parts = append(parts, grouped(n.Round(0).IntPart())+" "+src)
		}
	}
	return strings.Join(parts, ", ")
}

// grouped writes a count with its thousands separated by commas.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func notes(r *simulate.Result) []string {
	var out []string
	for _, w := range r.Warnings {
		out = append(out, "warning: "+w)
	}
	for _, m := range r.Messages {
		out = append(out, "error: "+m)
	}
	return out
}

func writeHTML(w io.Writer, c *contract.Contract, out output) error {
	r := out.Result
	var b strings.Builder
	title := "Tender risk: " + r.Contract
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>` + html.EscapeString(title) + `</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 1em 0 2em; }
caption { text-align: left; font-weight: 600; padding-bottom: .4em; }
th, td { padding: .25em .6em; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
td { font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
`)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p>", html.EscapeString(title))
	if r.Scenario != "" {
		fmt.Fprintf(&b, "Scenario: %s.<br>\n", html.EscapeString(r.Scenario))
	}
	fmt.Fprintf(&b, "%s to %s, %d runs, seed %d; records per run: %s. Amounts in %s, rounded to the unit.</p>\n",
		r.From.Format(time.DateOnly), r.To.AddDate(0, 0, -1).Format(time.DateOnly), r.Runs, r.Seed,
		html.EscapeString(records(r)), html.EscapeString(c.Currency()))
	for _, t := range out.tables {
		if err := t.WriteHTML(&b); err != nil {
			return err
		}
	}
	if out.sweep != nil {
		b.WriteString("<figure>\n")
		if err := out.sweep.Chart().WriteSVG(&b); err != nil {
			return err
		}
		b.WriteString("\n</figure>\n")
	}
	if n := notes(r); len(n) > 0 {
		b.WriteString("<ul>\n")
		for _, m := range n {
			b.WriteString("<li>" + html.EscapeString(m) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// bar is a progress bar on standard error.
type bar struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	total   int
	start   time.Time
	last    time.Time
	drawn   bool
	stopped bool
}

const barWidth = 30

func newBar(w io.Writer, mode string, total int) *bar {
	on := mode == "on"
	if mode == "auto" {
		f, ok := w.(*os.File)
		if ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				on = total >= 10
			}
		}
	}
	return &bar{w: w, on: on, total: total, start: time.Now()}
}

func (b *bar) update(done int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.on || b.stopped {
		return
	}
	now := time.Now()
	if done < b.total && now.Sub(b.last) < 200*time.Millisecond {
		return
	}
	b.last = now
	filled := done * barWidth / b.total
	rate := float64(done) / now.Sub(b.start).Seconds()
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(b.total-done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d runs  %.1f runs/s  ETA %s   ", strings.Repeat("#", filled),
		strings.Repeat(".", barWidth-filled), done, b.total, rate, eta)
	b.drawn = true
}

func (b *bar) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn && !b.stopped {
		fmt.Fprintln(b.w)
	}
	b.stopped = true
}
