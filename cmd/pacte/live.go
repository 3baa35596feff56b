package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// liveOptions are the flags timers and watch share: the records, read
// as eval reads them, and the provider's operating settings, which are
// not clauses of the contract and never come from its file.
type liveOptions struct {
	evalOptions         // the files of records, -format, -o, -allow-duplicates
	options, thresholds string
	targets, filters    listFlag
	// fed says that the tickets come from a change feed, not a file.
	fed bool
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func (o *liveOptions) register(fs *flag.FlagSet) {
	o.recordFlags(fs, "tickets: CSV or JSON Lines, their latest known versions")
	fs.StringVar(&o.format, "format", "text", "text or json")
	fs.StringVar(&o.out, "o", "", "write to this file, once complete")
	fs.BoolVar(&o.allowDuplicates, "allow-duplicates", false, "read rows whose ticket ID repeats an earlier row's as later versions of it")
	fs.StringVar(&o.options, "options", "", "operating settings (YAML or JSON): alert thresholds and internal targets by rule")
	fs.StringVar(&o.thresholds, "thresholds", "", "alert thresholds of the allowance used: 50%,75%,90% (the default)")
	fs.Var(&o.targets, "target", "internal target of a rule, tighter than the contract: INC-P1=3h (repeatable)")
	fs.Var(&o.filters, "filter", "only the tickets whose field has the value: group=Network, site=Lyon (repeatable)")
}

// check checks the command line, before any work.
func (o *liveOptions) check(args []string) error {
	switch {
	case len(args) == 0:
		return usagef("the contract file is missing")
	case len(args) > 1:
		return usagef("one contract at a time: unexpected %q", args[1])
	case o.preset != "" && o.mapping != "":
		return usagef("-preset and -mapping are exclusive")
	case o.tickets == "" && !o.fed:
		return usagef("no tickets: give -tickets")
	case o.tickets != "" && o.fed:
		return usagef("-feed and -tickets are exclusive: the feed brings the tickets")
	}
	if o.preset != "" {
		if _, err := ingest.Preset(o.preset); err != nil {
			return usageError{err}
		}
	}
	if err := checkFormat(o.format, []string{"text", "json"}); err != nil {
		return err
	}
	if err := checkEncoding(o.encoding); err != nil {
		return err
	}
	for _, f := range o.filters {
		if k, _, ok := strings.Cut(f, "="); !ok || k == "" {
			return usagef("-filter %q: write field=value", f)
		}
	}
	if _, err := o.flagRisk(); err != nil {
		return err
	}
	if err := checkOutput(o.out); err != nil {
		return err
	}
	for _, f := range []string{args[0], o.tickets, o.calls, o.outages, o.samples, o.volumes, o.indices, o.mapping, o.options, o.adjustments} {
		if err := readable(f); err != nil {
			return err
		}
	}
	return nil
}

// riskFile is the operating settings' file: thresholds as percentages
// ("75%") or fractions, targets as durations ("3h", "30min") by rule.
type riskFile struct {
	Thresholds []string          `yaml:"thresholds" json:"thresholds"`
	Targets    map[string]string `yaml:"targets" json:"targets"`
}

// flagRisk reads -thresholds and -target; nil thresholds when not given.
func (o *liveOptions) flagRisk() (riskFile, error) {
	var rf riskFile
	if o.thresholds != "" {
		rf.Thresholds = strings.Split(o.thresholds, ",")
		if _, err := fractions(rf.Thresholds); err != nil {
			return rf, usagef("-thresholds: %v", err)
		}
	}
	for _, t := range o.targets {
		id, d, ok := strings.Cut(t, "=")
		if !ok || id == "" {
			return rf, usagef("-target %q: write RULE=DURATION, as INC-P1=3h", t)
		}
		if _, err := duration(d); err != nil {
			return rf, usagef("-target %s: %v", t, err)
		}
		if rf.Targets == nil {
			rf.Targets = map[string]string{}
		}
		rf.Targets[id] = d
	}
	return rf, nil
}

// risk assembles the operating settings: the file's, then the flags',
// which win; the rules named must be the contract's. Each error names
// where the setting was written: the file, or the flag.
func (o *liveOptions) risk(c *contract.Contract) (sla.RiskOptions, error) {
	ro := sla.DefaultRisk()
	var file riskFile
	if o.options != "" {
		data, err := os.ReadFile(o.options)
		if err != nil {
			return ro, inputError{err}
		}
		dec := yaml.NewDecoder(bytes.NewReader(data)) // JSON is YAML
		dec.KnownFields(true)
		if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
			return ro, inputError{fmt.Errorf("%s: %w", o.options, err)}
		}
	}
	flags, _ := o.flagRisk()
	var errs []error
	if file.Thresholds != nil {
		ths, err := fractions(file.Thresholds)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: thresholds: %w", o.options, err))
		}
		ro.Thresholds = ths
	}
	if flags.Thresholds != nil {
		ro.Thresholds, _ = fractions(flags.Thresholds) // checked with the command line
	}
	targets := func(ts map[string]string, where func(id string) string) {
		for _, id := range slices.Sorted(maps.Keys(ts)) {
			if !slices.ContainsFunc(c.Rules(), func(r contract.Rule) bool { return r.ID == id && r.Clock != nil }) {
				errs = append(errs, fmt.Errorf("%s: the contract has no rule %s with a clock", where(id), id))
				continue
			}
			v, err := duration(ts[id])
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", where(id), err))
				continue
			}
			if ro.Targets == nil {
				ro.Targets = map[string]time.Duration{}
			}
			ro.Targets[id] = v
		}
	}
	targets(file.Targets, func(id string) string { return o.options + ": target of " + id })
	targets(flags.Targets, func(id string) string { return "-target " + id + "=" + flags.Targets[id] })
	if err := errors.Join(errs...); err != nil {
		return ro, inputError{err}
	}
	return ro, nil
}

// fractions reads thresholds written 75% or 0.75: each a share of the
// allowance above 0 and at most all of it, in increasing order. An error
// quotes them as written.
func fractions(ss []string) ([]decimal.Decimal, error) {
	var out []decimal.Decimal
	one := decimal.NewFromInt(1)
	for i, s := range ss {
		s = strings.TrimSpace(s)
		pct := strings.HasSuffix(s, "%")
		d, err := decimal.NewFromString(strings.TrimSpace(strings.TrimSuffix(s, "%")))
		if err != nil {
			return nil, fmt.Errorf("%q is not a share: write 75%% or 0.75", s)
		}
		if pct {
			d = d.Shift(-2)
		}
		switch {
		case !d.IsPositive() || d.GreaterThan(one):
			return nil, fmt.Errorf("%s is not a share of the allowance above 0 and at most 100%%: write 75%% or 0.75", s)
		case i > 0 && !d.GreaterThan(out[i-1]):
			return nil, fmt.Errorf("%s after %s: write the thresholds in increasing order", s, strings.TrimSpace(ss[i-1]))
		}
		out = append(out, d)
	}
	return out, nil
}

// duration reads 3h, 45min, 1h30m.
func duration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.ReplaceAll(strings.TrimSpace(s), "min", "m"))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration: write 3h or 45min", s)
	}
	return d, nil
}

// keep is the filter of -filter: every field=value must hold.
func (o *liveOptions) keep() func(*pacte.Ticket) bool {
	if len(o.filters) == 0 {
		return nil
	}
	var fs []func(*pacte.Ticket) bool
	for _, f := range o.filters {
		k, v, _ := strings.Cut(f, "=")
		fs = append(fs, sla.FieldFilter(k, v))
	}
	return func(t *pacte.Ticket) bool {
		for _, f := range fs {
			if !f(t) {
				return false
			}
		}
		return true
	}
}

// isTicketField tells whether -filter reads a field of the ticket itself
// (as sla.FieldFilter does); any other name is an attribute.
func isTicketField(name string) bool {
	switch strings.ToLower(name) {
	case "id", "kind", "priority", "service", "category", "group", "status", "level", "exclusion":
		return true
	}
	return false
}

// filterFields checks that each attribute a -filter names is one some
// ticket has: a misspelt field would keep no ticket and say nothing.
type filterFields struct {
	missing map[string]string   // the attributes no ticket had yet: their -filter
	seen    map[string]struct{} // the attributes the tickets have, to suggest
}

// filterFields returns the check of the filters' attributes; nil when no
// filter names one.
func (o *liveOptions) filterFields() *filterFields {
	ff := &filterFields{missing: map[string]string{}, seen: map[string]struct{}{}}
	for _, f := range o.filters {
		if k, _, _ := strings.Cut(f, "="); !isTicketField(k) {
			ff.missing[k] = f
		}
	}
	if len(ff.missing) == 0 {
		return nil
	}
	return ff
}

// see notes the attributes of a ticket read.
func (ff *filterFields) see(t *pacte.Ticket) {
	if ff == nil || len(ff.missing) == 0 {
		return
	}
	for k := range t.Attrs {
		delete(ff.missing, k)
		if len(ff.seen) < 100 {
			ff.seen[k] = struct{}{}
		}
	}
}

// err says which filters name an attribute no ticket read had.
func (ff *filterFields) err() error {
	if ff == nil || len(ff.missing) == 0 {
		return nil
	}
	attrs := "none"
	if len(ff.seen) > 0 {
		attrs = strings.Join(slices.Sorted(maps.Keys(ff.seen)), ", ")
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(ff.missing)) {
		errs = append(errs, fmt.Errorf("-filter %s: no ticket has a field or attribute %q (fields: id, kind, priority, service, category, group, status, level, exclusion; the tickets' attributes: %s)",
			ff.missing[k], k, attrs))
	}
	return errors.Join(errs...)
}

// liveInput is what timers and watch read: a Live with the calls,
// outages and samples counted, and the tickets, given to use.
type liveInput struct {
	live     *sla.Live
	rejected []*pacte.RecordError
	missing  []string // the mapped columns the files lack (see evalInput.missing)
}

// load reads the records into a new Live; tickets receives the tickets
// as they are read. The calls, outages and samples are taken as they were
// known at the instant at: those after it are left out, an outage going
// on then has no end yet.
func (o *liveOptions) load(c *contract.Contract, at time.Time, opts []sla.LiveOption, tickets func(*sla.Live, pacte.Ticket) error) (*liveInput, error) {
	risk, err := o.risk(c)
	if err != nil {
		return nil, err
	}
	in, err := o.input(c)
	if err != nil {
		return nil, err
	}
	given := sla.LiveGiven(in.given()...)
	l, err := sla.NewLive(c, append([]sla.LiveOption{sla.LiveVolumes(in.volumes), sla.LiveIndices(in.indices), sla.WithRisk(risk), given}, opts...)...)
	if err != nil {
		return nil, err
	}
	li := &liveInput{live: l}
	ld := &liveLoad{in: in, li: li, n: &counter{prog: newProgress(io.Discard, false, "records", 0)}}
	defer ld.close()
	adjustTickets := func(s iter.Seq[pacte.Ticket]) iter.Seq[pacte.Ticket] {
		return in.adjusted(sla.Input{Tickets: s}).Tickets
	}
	adjustOutages := func(s iter.Seq[pacte.Outage]) iter.Seq[pacte.Outage] {
		return in.adjusted(sla.Input{Outages: s}).Outages
	}
	addOutage := func(x pacte.Outage) error {
		if x.End.After(at) {
			x.End = time.Time{}
		}
		return l.AddOutage(x)
	}
	err = readSource(ld, "tickets", in.mapping, ingest.ReadTickets, adjustTickets, func(t pacte.Ticket) error { return tickets(l, t) })
	if err == nil {
		err = readSource(ld, "calls", nil, ingest.ReadCalls, nil, knownAt(at, func(x pacte.Call) time.Time { return x.Offered }, l.AddCall))
	}
	if err == nil {
		err = readSource(ld, "outages", nil, ingest.ReadOutages, adjustOutages, knownAt(at, func(x pacte.Outage) time.Time { return x.Start }, addOutage))
	}
	if err == nil {
		err = readSource(ld, "samples", nil, ingest.ReadSamples, nil, knownAt(at, func(x pacte.Sample) time.Time { return x.At }, l.AddSample))
	}
	if err != nil {
		return nil, err
	}
	for _, s := range ld.sources {
		if err := s.err(); err != nil {
			return nil, inputError{err}
		}
		for r := range s.rejected {
			li.rejected = append(li.rejected, r)
		}
		for _, m := range s.missing() {
			li.missing = append(li.missing, s.path+": "+m.String())
		}
	}
	return li, nil
}

// liveLoad is what load shares among the sources it reads.
type liveLoad struct {
	in      *evalInput
	li      *liveInput
	files   []*os.File
	sources []source
	n       *counter
}

func (ld *liveLoad) close() {
	for _, f := range ld.files {
		f.Close()
	}
}

// readSource opens the file of a source and gives add its records,
// adjusted by adjust when it is not nil.
func readSource[T any](ld *liveLoad, src string, m *ingest.Mapping,
	read func(io.Reader, *ingest.Mapping, ingest.Options) (*ingest.Reader[T], error),
	adjust func(iter.Seq[T]) iter.Seq[T], add func(T) error) error {
	seq, err := open(ld.in, src, m, &ld.files, &ld.sources, ld.n, read)
	if err != nil {
		return err
	}
	if adjust != nil {
		seq = adjust(seq)
	}
	return each(seq, add, ld.li)
}

// knownAt gives add the records begun by the instant at, begun being
// when a record begins: those after it were not known then.
func knownAt[T any](at time.Time, begun func(T) time.Time, add func(T) error) func(T) error {
	return func(x T) error {
		if begun(x).After(at) {
			return nil
		}
		return add(x)
	}
}

// each gives the records of a stream to add; a record add refuses is
// listed as rejected.
func each[T any](seq iter.Seq[T], add func(T) error, li *liveInput) error {
	if seq == nil {
		return nil
	}
	for v := range seq {
		if err := add(v); err != nil {
			if errors.Is(err, sla.ErrTimersOnly) {
				return err
			}
			li.rejected = append(li.rejected, &pacte.RecordError{Err: err})
		}
	}
	return nil
}

// reportRejected says on standard error which mapped columns the files
// lack, and lists the rejected rows: exit status 1.
func (li *liveInput) reportRejected(e *env) error {
	for _, m := range li.missing {
		fmt.Fprintf(e.stderr, "warning: %s\n", m)
	}
	if len(li.rejected) == 0 {
		return nil
	}
	fmt.Fprintf(e.stderr, "%d %s rejected:\n", len(li.rejected), plural(len(li.rejected), "record", "records"))
	for _, r := range li.rejected {
		fmt.Fprintf(e.stderr, "  %v\n", r)
	}
	return errFailed
}
