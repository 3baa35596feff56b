package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/civil"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/adjust"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/pacte-sla/pacte/sla/report"
)

var evalCommand = &command{
	name:    "eval",
	summary: "evaluate a contract over exported records, into a report",
	usage: `pacte eval [flags] CONTRACT

Eval evaluates the contract over the records of the files given and writes
the report: per period and rule, the counts, the achieved value against the
objective, the penalties and bonuses through the contract's pipeline, and
the missed items.

Tickets are read with the mapping of -preset or of a -mapping file;
without either, and for calls, outages and samples, files are in pacte's
own format: CSV whose headers are the records' field names, or JSON Lines.
Files are UTF-8 unless the mapping or -encoding says windows-1252 (a file
saved again by Excel on a French Windows) or iso-8859-1.
-volumes is a JSON file of the volumes reported for the work units whose
volume is given, by month: {"2027-04": {"UO-POSTE": "1201"}}; -indices the
index values of the price revision: {"Syntec": {"2027-09": "305.1"}}.

A JSON report carries a provenance block, apart from the figures: pacte's
version, the SHA-256 of the contract and of every input file with its path
relative to the report's folder (the folder of -o), the digests of the
volumes and index values, and the settings (-asof, -from, -to, -preset).
pacte verify makes the report again from them and compares.

-adjustments is a file of the decisions the parties agreed on items (YAML
or CSV, see package sla/adjust): a ticket or an outage excluded, or
reclassified (reclassify priority=P2), with the reason, who agreed and
when. They are applied before the evaluation: an excluded item counts as
excluded for "agreed: " and its reason, a reclassified one is marked in
the missed items. The report lists them in its provenance with the records
each matched, and warns of an item the input does not hold.

A row that cannot be read, or whose record ID repeats an earlier row's of
the same file (unless -allow-duplicates), is rejected: it is listed on
standard error and in the report, and the exit status is 1. A file that
cannot be read at all (missing, a folder, empty, a CSV header without the
mapping's required columns) is exit status 2, and no report is written. A
column the mapping gives for another field and the header lacks is said
on standard error ("warning: FILE: no column …"): that field is empty in
every row, as a misspelt column of the resolution reads every ticket as
open.

Examples:

  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -calls examples/data/calls.csv -outages examples/data/outages.csv -samples examples/data/samples.csv -volumes examples/data/volumes.json -asof 2027-07-01T06:00
  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -preset servicenow-incident -from 2027-06 -to 2027-07 -format md
  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -outages examples/data/outages.csv -volumes examples/data/volumes.json -adjustments examples/data/adjustments.yaml
  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -calls examples/data/calls.csv -volumes examples/data/volumes.json -format html -o report.html

With -state-out, eval writes the evaluator's state instead of the report
(beside it with -o): a part of the evaluation that pacte merge combines
with the others into the report of the whole. Shard the records, not the
periods: give each part its own files, with the same -from, -to and
-asof. The state is bound to the contract's meaning and to pacte's state
format version; merge refuses a state of another.
`,
	flags: evalFlags,
}

type evalOptions struct {
	tickets, calls, outages, samples, volumes, indices string
	preset, mapping, from, to, asOf, format, out       string
	locale, progress, stateOut                         string
	adjustments, encoding                              string
	allowDuplicates                                    bool
}

// reportFormats are the formats of a report, for -format.
var reportFormats = []string{"text", "md", "csv", "json", "html"}

func evalFlags(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
	var o evalOptions
	o.recordFlags(fs, "tickets: CSV or JSON Lines")
	fs.StringVar(&o.from, "from", "", "first period reported: 2027-01 or 2027-01-15")
	fs.StringVar(&o.to, "to", "", "end of the periods reported, exclusive: 2027-07")
	fs.StringVar(&o.asOf, "asof", "", "when the data was extracted: 2027-07-01T06:00 (default: its latest instant)")
	fs.StringVar(&o.format, "format", "text", strings.Join(reportFormats, ", "))
	fs.StringVar(&o.out, "o", "", "write the report to this file, once it is complete")
	fs.StringVar(&o.locale, "locale", "contract", "number format: contract (the contract's), fr, en or plain")
	fs.StringVar(&o.progress, "progress", "auto", "records read, on standard error: auto (when it is a terminal), on or off")
	fs.StringVar(&o.stateOut, "state-out", "", "write the evaluator's state to this file, for pacte merge; the report then only with -o")
	fs.BoolVar(&o.allowDuplicates, "allow-duplicates", false, "evaluate every row of a file even when its record ID repeats an earlier row's")
	return func(ctx context.Context, args []string) error { return o.run(ctx, e, args) }
}

// recordFlags declares the flags of the files of records, which eval,
// timers and watch read alike.
func (o *evalOptions) recordFlags(fs *flag.FlagSet, tickets string) {
	fs.StringVar(&o.tickets, "tickets", "", tickets)
	fs.StringVar(&o.calls, "calls", "", "calls, in pacte's format")
	fs.StringVar(&o.outages, "outages", "", "outages, in pacte's format")
	fs.StringVar(&o.samples, "samples", "", "samples (surveys, counts), in pacte's format")
	fs.StringVar(&o.volumes, "volumes", "", `reported volumes, JSON: {"2027-04": {"UO-POSTE": "1201"}}`)
	fs.StringVar(&o.indices, "indices", "", `index values, JSON: {"Syntec": {"2027-09": "305.1"}}`)
	fs.StringVar(&o.preset, "preset", "", "mapping of the tickets export: "+strings.Join(ingest.PresetNames(), ", "))
	fs.StringVar(&o.mapping, "mapping", "", "mapping file (YAML) of the tickets export")
	fs.StringVar(&o.adjustments, "adjustments", "", "agreed adjustments (YAML or CSV): items excluded or reclassified before evaluation")
	fs.StringVar(&o.encoding, "encoding", "", "character encoding of the files of records: utf-8, windows-1252 (a file saved again by Excel on a French Windows) or iso-8859-1; default the mapping's, else utf-8")
}

// bounds are -from, -to and -asof, read in the contract's zone.
type bounds struct{ from, to, asOf string }

func (b bounds) check() error {
	utc := time.UTC
	if _, err := month(b.from, utc); err != nil {
		return usagef("-from: %v", err)
	}
	if _, err := month(b.to, utc); err != nil {
		return usagef("-to: %v", err)
	}
	if (b.from == "") != (b.to == "") {
		return usagef("-from and -to go together")
	}
	if _, err := instant(b.asOf, utc); err != nil {
		return usagef("-asof: %v", err)
	}
	from, _ := month(b.from, utc)
	to, _ := month(b.to, utc)
	if !from.IsZero() && !to.After(from) {
		return usagef("-to %s must come after -from %s", b.to, b.from)
	}
	return nil
}

func (b bounds) in(loc *time.Location) (from, to, asOf time.Time) {
	from, _ = month(b.from, loc)
	to, _ = month(b.to, loc)
	asOf, _ = instant(b.asOf, loc)
	return from, to, asOf
}

// month reads 2027-01 (the first of the month) or 2027-01-15.
func month(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("write 2027-01 or 2027-01-15, not %q", s)
}

// instant reads 2027-07-01T06:00, 2027-07-01 06:00 or 2027-07-01.
func instant(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	// A local time of the hour repeated when clocks go back is its first
	// occurrence, as the readers of exports take it.
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return civil.FirstOccurrence(t), nil
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("write 2027-07-01T06:00, not %q", s)
}

// checkEncoding checks -encoding with the readers' own check: a reader
// of no input refuses an encoding it does not know.
func checkEncoding(name string) error {
	if name == "" {
		return nil
	}
	if _, err := ingest.ReadSamples(strings.NewReader(""), nil, ingest.Options{Location: time.UTC, Encoding: name}); err != nil {
		return usagef("-encoding: %v", errors.Unwrap(err))
	}
	return nil
}

// checkLocale reads -locale.
func checkLocale(s string) (report.Locale, error) {
	switch s {
	case "contract":
		return report.FromReport, nil
	case "fr", "en":
		return report.Locale(s), nil
	case "plain":
		return report.Plain, nil
	}
	return "", usagef("-locale %q: want contract, fr, en or plain", s)
}

func checkFormat(format string, formats []string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return usagef("-format %q: want %s", format, strings.Join(formats, ", "))
}

// check checks the command line, before any work.
func (o *evalOptions) check(args []string, e *env) (report.Locale, bool, error) {
	switch {
	case len(args) == 0:
		return "", false, usagef("the contract file is missing")
	case len(args) > 1:
		return "", false, usagef("one contract at a time: unexpected %q", args[1])
	case o.preset != "" && o.mapping != "":
		return "", false, usagef("-preset and -mapping are exclusive")
	case o.tickets == "" && o.calls == "" && o.outages == "" && o.samples == "":
		return "", false, usagef("no records to evaluate: give -tickets, -calls, -outages or -samples")
	}
	if o.preset != "" {
		if _, err := ingest.Preset(o.preset); err != nil {
			return "", false, usageError{err}
		}
	}
	if err := checkEncoding(o.encoding); err != nil {
		return "", false, err
	}
	if err := checkFormat(o.format, reportFormats); err != nil {
		return "", false, err
	}
	loc, err := checkLocale(o.locale)
	if err != nil {
		return "", false, err
	}
	if err := (bounds{o.from, o.to, o.asOf}).check(); err != nil {
		return "", false, err
	}
	show, err := checkProgress(o.progress, e)
	if err != nil {
		return "", false, err
	}
	if err := checkOutput(o.stateOut); err != nil {
		return "", false, err
	}
	if err := checkOutput(o.out); err != nil {
		return "", false, err
	}
	if o.out != "" && o.stateOut != "" && checkNotRead("-o", o.out, []readFile{{o.stateOut, "-state-out"}}) != nil {
		return "", false, usagef("-o and -state-out name the same file, %s: the report would replace the state", o.out)
	}
	inputs := []readFile{{args[0], "the contract file"}}
	for _, f := range o.inputFiles() {
		inputs = append(inputs, readFile{f.path, "the file of -" + f.role})
	}
	if err := checkNotRead("-state-out", o.stateOut, inputs); err != nil {
		return "", false, err
	}
	return loc, show, checkNotRead("-o", o.out, inputs)
}

func (o *evalOptions) run(ctx context.Context, e *env, args []string) error {
	locale, show, err := o.check(args, e)
	if err != nil {
		return err
	}
	files := []string{args[0], o.tickets, o.calls, o.outages, o.samples, o.volumes, o.indices, o.mapping, o.adjustments}
	for _, f := range files {
		if err := readable(f); err != nil {
			return err
		}
	}
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	in, err := o.input(c)
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, show, "records", 0)
	ev, err := in.accumulate(ctx, c, prog)
	prog.stop(err, ctx.Err() != nil)
	if err != nil {
		return err
	}
	in.warnMissing(e)
	rep, err := ev.Report(in.volumes, in.indices)
	if err != nil {
		return err
	}
	if o.stateOut != "" {
		if err := writeState(o.stateOut, e, ev); err != nil {
			return err
		}
	}
	if o.stateOut == "" || o.out != "" {
		if rep.Provenance, err = o.provenance(args[0], in); err != nil {
			return err
		}
		in.annotate(rep)
		if err := writeReport(o.out, e, o.format, rep, locale); err != nil {
			return err
		}
	}
	return listRejected(e, rep)
}

// writeReport renders the report to path (standard output when empty).
func writeReport(path string, e *env, format string, rep *sla.Report, locale report.Locale) error {
	return writeOutput(path, e.stdout, func(w io.Writer) error {
		return render(w, format, rep, report.Options{Locale: locale})
	})
}

// writeState writes the evaluator's state to path.
func writeState(path string, e *env, ev *sla.Evaluator) error {
	state, err := ev.MarshalBinary()
	if err != nil {
		return err
	}
	return writeOutput(path, e.stdout, func(w io.Writer) error {
		_, err := w.Write(state)
		return err
	})
}

// listRejected lists the records rejected on standard error; any is a
// failure.
func listRejected(e *env, rep *sla.Report) error {
	if len(rep.Rejected) > 0 {
		fmt.Fprintf(e.stderr, "%d %s rejected:\n", len(rep.Rejected), plural(len(rep.Rejected), "record", "records"))
		for _, r := range rep.Rejected {
			fmt.Fprintf(e.stderr, "  %s\n", describeRejection(r))
		}
		return errFailed
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func render(w io.Writer, format string, rep *sla.Report, opts report.Options) error {
	switch format {
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

func describeRejection(r sla.Rejection) string {
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

// input reads the settings of the evaluation in the contract's terms.
func (o *evalOptions) input(c *contract.Contract) (*evalInput, error) {
	in := &evalInput{opts: ingest.Options{Location: c.Location(), AllowDuplicateIDs: o.allowDuplicates, Encoding: o.encoding}}
	in.from, in.to, in.asOf = bounds{o.from, o.to, o.asOf}.in(c.Location())
	var err error
	if o.volumes != "" {
		if in.volumes, err = readJSONFile[volumesFile](o.volumes); err != nil {
			return nil, err
		}
	}
	if o.indices != "" {
		if in.indices, err = readJSONFile[contract.Indices](o.indices); err != nil {
			return nil, err
		}
	}
	switch {
	case o.preset != "":
		if in.mapping, err = ingest.Preset(o.preset); err != nil {
			return nil, inputError{err} // eval checks it first; verify reads it from a report
		}
	case o.mapping != "":
		if in.mapping, err = ingest.LoadMapping(o.mapping); err != nil {
			return nil, inputError{err}
		}
	}
	if o.adjustments != "" {
		if in.adjust, err = adjust.Load(o.adjustments); err != nil {
			return nil, inputError{err}
		}
	}
	in.files = map[string]string{"tickets": o.tickets, "calls": o.calls, "outages": o.outages, "samples": o.samples}
	return in, nil
}
