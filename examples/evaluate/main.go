// Command evaluate evaluates a contract over exported data and writes the
// report.
//
//	go run ./examples/evaluate -contract examples/contracts/acme.yaml \
//	    -tickets incidents.csv -preset servicenow-incident \
//	    -calls calls.jsonl -outages outages.jsonl -samples surveys.jsonl \
//	    -volumes volumes.json -from 2027-01 -to 2027-07 -format html -o report.html
//
// Tickets are read with the mapping of -preset (see -help for the names)
// or of a YAML -mapping file; without either, and for calls, outages and
// samples, files are in pacte's own format (CSV with the field names as
// headers, or JSON Lines). -volumes is a JSON file of the volumes reported
// for the work units whose volume is given: {"2027-03": {"UO-POSTE": "812"}}.
// -from and -to bound the periods reported (2027-01 or 2027-01-01); -asof
// says when the data was extracted (default: its latest instant). A row
// whose record ID repeats an earlier row's of the same file is rejected,
// since it would be counted twice, unless -allow-duplicates is given.
//
// Exit status: 0 when every record was evaluated, 1 when some were
// rejected (they are listed on standard error, and in the report), 2 on a
// usage error or a file that cannot be read.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ error }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	contract, tickets, calls, outages, samples, volumes  string
	preset, mapping, from, to, asOf, format, out, locale string
	allowDuplicates                                      bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.contract, "contract", "", "the contract file (YAML or JSON); required")
	fs.StringVar(&o.tickets, "tickets", "", "tickets: CSV or JSON Lines")
	fs.StringVar(&o.calls, "calls", "", "calls, in pacte's format")
	fs.StringVar(&o.outages, "outages", "", "outages, in pacte's format")
	fs.StringVar(&o.samples, "samples", "", "samples (surveys, counts), in pacte's format")
	fs.StringVar(&o.volumes, "volumes", "", `reported volumes, JSON: {"2027-03": {"UO-POSTE": "812"}}`)
	fs.StringVar(&o.preset, "preset", "", "mapping of the tickets export: "+strings.Join(ingest.PresetNames(), ", "))
	fs.StringVar(&o.mapping, "mapping", "", "mapping file (YAML) of the tickets export")
	fs.StringVar(&o.from, "from", "", "first period reported: 2027-01 or 2027-01-01")
	fs.StringVar(&o.to, "to", "", "end of the periods reported, exclusive: 2027-07")
	fs.StringVar(&o.asOf, "asof", "", "when the data was extracted: 2027-07-01T06:00 (default: its latest instant)")
	fs.StringVar(&o.format, "format", "text", "text, md, csv, json or html")
	fs.StringVar(&o.out, "o", "", "write the report to this file rather than to standard output")
	fs.StringVar(&o.locale, "locale", "contract", "number format: contract (the contract's), fr, en or plain")
	fs.BoolVar(&o.allowDuplicates, "allow-duplicates", false, "evaluate every row of a file even when its record ID repeats an earlier row's (by default such rows are rejected)")
	if err := fs.Parse(args); err != nil {
		return o, usageError{err}
	}
	switch {
	case fs.NArg() > 0:
		return o, usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case o.contract == "":
		return o, usageError{errors.New("-contract is required")}
	case o.preset != "" && o.mapping != "":
		return o, usageError{errors.New("-preset and -mapping are exclusive")}
	case o.format != "text" && o.format != "md" && o.format != "csv" && o.format != "json" && o.format != "html":
		return o, usageError{fmt.Errorf("unknown -format %q: text, md, csv, json or html", o.format)}
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err == nil {
		var rep *sla.Report
		if rep, err = evaluate(ctx, o, stderr); err == nil {
			err = write(o, rep, stdout)
			if err == nil && len(rep.Rejected) > 0 {
				fmt.Fprintf(stderr, "%d records rejected:\n", len(rep.Rejected))
				for _, r := range rep.Rejected {
					fmt.Fprintf(stderr, "  %s\n", describe(r))
				}
				return 1
			}
		}
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "evaluate:", err)
		}
		return 2
	}
	return 0
}

func describe(r sla.Rejection) string {
	var b strings.Builder
	b.WriteString(r.Source)
	if r.Line > 0 {
		fmt.Fprintf(&b, ":%d", r.Line)
	}
	if r.ID != "" {
		fmt.Fprintf(&b, " %s", r.ID)
	}
	if r.Column != "" {
		fmt.Fprintf(&b, " (%s)", r.Column)
	}
	return b.String() + ": " + r.Error
}

func evaluate(ctx context.Context, o options, stderr io.Writer) (*sla.Report, error) {
	c, err := contract.Load(o.contract)
	if err != nil {
		return nil, err
	}
	in := sla.Input{}
	loc := c.Location()
	if in.From, err = month(o.from, loc); err != nil {
		return nil, usageError{fmt.Errorf("-from: %w", err)}
	}
	if in.To, err = month(o.to, loc); err != nil {
		return nil, usageError{fmt.Errorf("-to: %w", err)}
	}
	if in.From.IsZero() != in.To.IsZero() {
		return nil, usageError{errors.New("-from and -to go together")}
	}
	if o.asOf != "" {
		if in.AsOf, err = time.ParseInLocation("2006-01-02T15:04", o.asOf, loc); err != nil {
			return nil, usageError{fmt.Errorf("-asof: write 2027-07-01T06:00, not %q", o.asOf)}
		}
	}
	if o.volumes != "" {
		if in.Volumes, err = readVolumes(o.volumes); err != nil {
			return nil, err
		}
	}

	var mapping *ingest.Mapping
	switch {
	case o.preset != "":
		if mapping, err = ingest.Preset(o.preset); err != nil {
			return nil, usageError{err}
		}
	case o.mapping != "":
		if mapping, err = ingest.LoadMapping(o.mapping); err != nil {
			return nil, err
		}
	}
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func(path string) (*os.File, error) {
		f, err := os.Open(path)
		if err == nil {
			files = append(files, f)
		}
		return f, err
	}
	var rejected []iter.Seq[*pacte.RecordError]
	var count atomic.Int64
	opts := func(path string) ingest.Options {
		return ingest.Options{Name: path, Location: loc, AllowDuplicateIDs: o.allowDuplicates}
	}
	if o.tickets != "" {
		f, err := open(o.tickets)
		if err != nil {
			return nil, err
		}
		r, err := ingest.ReadTickets(f, mapping, opts(o.tickets))
		if err != nil {
			return nil, err
		}
		in.Tickets, rejected = counted(r.Records(), &count), append(rejected, r.Rejected())
	}
	if o.calls != "" {
		f, err := open(o.calls)
		if err != nil {
			return nil, err
		}
		r, err := ingest.ReadCalls(f, nil, opts(o.calls))
		if err != nil {
			return nil, err
		}
		in.Calls, rejected = counted(r.Records(), &count), append(rejected, r.Rejected())
	}
	if o.outages != "" {
		f, err := open(o.outages)
		if err != nil {
			return nil, err
		}
		r, err := ingest.ReadOutages(f, nil, opts(o.outages))
		if err != nil {
			return nil, err
		}
		in.Outages, rejected = counted(r.Records(), &count), append(rejected, r.Rejected())
	}
	if o.samples != "" {
		f, err := open(o.samples)
		if err != nil {
			return nil, err
		}
		r, err := ingest.ReadSamples(f, nil, opts(o.samples))
		if err != nil {
			return nil, err
		}
		in.Samples, rejected = counted(r.Records(), &count), append(rejected, r.Rejected())
	}
	in.Rejected = func(yield func(*pacte.RecordError) bool) {
		for _, seq := range rejected {
			for e := range seq {
				if !yield(e) {
					return
				}
			}
		}
	}
	done := progress(&count, stderr)
	defer done()
	return sla.Evaluate(ctx, c, in)
}

// counted counts the records a stream yields, for the progress line.
func counted[T any](seq iter.Seq[T], n *atomic.Int64) iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range seq {
			n.Add(1)
			if !yield(v) {
				return
			}
		}
	}
}

// progress prints, on standard error, how many records have been read,
// every two seconds once the evaluation has taken more than three.
func progress(n *atomic.Int64, stderr io.Writer) func() {
	stop := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(2 * time.Second)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-stop:
				if shown {
					fmt.Fprintf(stderr, "\r%d records read in %s, done\n", n.Load(), time.Since(start).Round(time.Second))
				}
				return
			case <-tick.C:
				if time.Since(start) > 3*time.Second {
					shown = true
					fmt.Fprintf(stderr, "\r%d records read in %s…", n.Load(), time.Since(start).Round(time.Second))
				}
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
	}
}

// month reads 2027-01 (the first of the month) or 2027-01-15.
func month(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("write 2027-01 or 2027-01-15, not %q", s)
}

func readVolumes(path string) (map[string]map[string]decimal.Decimal, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v map[string]map[string]decimal.Decimal
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

func write(o options, rep *sla.Report, stdout io.Writer) (err error) {
	w := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	opts := report.Options{Locale: report.FromReport}
	switch o.locale {
	case "contract":
	case "fr", "en":
		opts.Locale = report.Locale(o.locale)
	case "plain":
		opts.Locale = report.Plain
	default:
		return usageError{fmt.Errorf("unknown -locale %q: contract, fr, en or plain", o.locale)}
	}
	switch o.format {
	case "md":
		return report.Markdown(w, rep, opts)
	case "csv":
		return report.CSV(w, rep, opts)
	case "json":
		return report.JSON(w, rep, opts)
	case "html":
		return report.HTML(w, rep, opts)
	}
	return report.Text(w, rep, opts)
}
