package slabeam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/fileio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

// Evaluation is what the evaluation pipeline reads: the contract, the
// globs of the exports of each source, and the settings pacte eval takes
// as flags. It travels inside the pipeline (as JSON, the form in which
// Beam ships a function's fields), so that workers need nothing but the
// exports.
type Evaluation struct {
	// Contract is the contract file's content; ContractName its name, in
	// messages.
	Contract     []byte
	ContractName string

	// Tickets, Calls, Outages and Samples are globs of the exports of each
	// source on a Beam file system ("data/tickets-*.jsonl",
	// "gs://bucket/exports/calls-*.csv"): one shard per file, gzip
	// files (.gz) read as such. A glob that matches no file fails the
	// pipeline. An empty glob is a source not given: its rules have the
	// status no_data, as in pacte eval without that flag.
	Tickets, Calls, Outages, Samples string

	// Mapping is the content of the mapping file (YAML) of the tickets
	// export, MappingName its name; Preset names a preset mapping
	// instead (ingest.PresetNames). Neither: pacte's own format.
	Mapping     []byte
	MappingName string
	Preset      string

	// Volumes and Indices are the JSON of pacte eval's -volumes and
	// -indices: {"2027-04": {"UO-POSTE": "1201"}} and
	// {"Syntec": {"2027-09": "305.1"}}.
	Volumes, Indices []byte

	// From and To bound the periods reported, AsOf is the instant the
	// data was extracted (see sla.Input); zero: as sla.Input says.
	From, To, AsOf time.Time

	// Locale is the number format of the report, as pacte eval's -locale:
	// "" or "contract" (the contract's), "fr", "en" or "plain".
	Locale string

	// AllowDuplicateIDs evaluates every row of a shard even when its
	// record ID repeats an earlier row's of the same shard. Without it,
	// such a row is rejected, as pacte eval rejects one within a file;
	// an ID in two shards is not looked for.
	AllowDuplicateIDs bool
}

// Shard is one file of exports, and the source its records are of.
type Shard struct {
	Source string // tickets, calls, outages or samples
	Path   string
}

// Evaluate adds to the pipeline the evaluation of the exports e's globs
// match, and returns a PCollection of one element: the report, as
// []Document, one per format (see [WriteDocuments]). It checks e first:
// a contract, mapping, volumes or indices that cannot be read is an
// error here, before the pipeline runs.
func Evaluate(s beam.Scope, e Evaluation) (beam.PCollection, error) {
	p, err := e.prepare()
	if err != nil {
		return beam.PCollection{}, err
	}
	if len(p.given) == 0 {
		return beam.PCollection{}, errors.New("slabeam: no exports to evaluate: give a glob of tickets, calls, outages or samples")
	}
	for _, src := range p.given {
		if err := fileSystem(e.glob(src)); err != nil {
			return beam.PCollection{}, err
		}
	}
	s = s.Scope("pacte.Evaluate")
	var shards []beam.PCollection
	for _, src := range p.given {
		files := fileio.MatchFiles(s, e.glob(src), fileio.MatchEmptyDisallow())
		shards = append(shards, beam.ParDo(s, &shardFn{Source: string(src)}, files))
	}
	// The shards are spread over the workers; each evaluates its own into
	// an accumulator, and the accumulators are merged.
	all := beam.Reshuffle(s, beam.Flatten(s, shards...))
	return beam.Combine(s, &evaluateFn{Evaluation: e}, all), nil
}

// fileSystem checks that the file system of a path is registered (by
// importing its package: beam/io/filesystem/local, gcs, s3…).
func fileSystem(path string) error {
	fs, err := filesystem.New(context.Background(), path)
	if err != nil {
		return fmt.Errorf("slabeam: %w", err)
	}
	return fs.Close()
}

func (e *Evaluation) glob(src contract.Source) string {
	switch src {
	case contract.Tickets:
		return e.Tickets
	case contract.Calls:
		return e.Calls
	case contract.Outages:
		return e.Outages
	}
	return e.Samples
}

// prepared is an Evaluation read: the contract compiled, the mapping,
// volumes and indices decoded, the instants in the contract's zone.
type prepared struct {
	c              *contract.Contract
	mapping        *ingest.Mapping
	volumes        map[string]map[string]decimal.Decimal
	indices        contract.Indices
	given          []contract.Source
	from, to, asOf time.Time
	locale         report.Locale
	allowDup       bool
}

func (e *Evaluation) prepare() (*prepared, error) {
	c, err := contract.Parse(e.Contract, e.ContractName)
	if err != nil {
		return nil, err
	}
	p := &prepared{c: c, allowDup: e.AllowDuplicateIDs}
	switch {
	case e.Preset != "" && len(e.Mapping) > 0:
		return nil, errors.New("slabeam: a preset and a mapping are exclusive")
	case e.Preset != "":
		if p.mapping, err = ingest.Preset(e.Preset); err != nil {
			return nil, err
		}
	case len(e.Mapping) > 0:
		if p.mapping, err = ingest.ParseMapping(e.MappingName, e.Mapping); err != nil {
			return nil, err
		}
	}
	if err := decodeJSON(e.Volumes, &p.volumes, "volumes"); err != nil {
		return nil, err
	}
	if err := decodeJSON(e.Indices, &p.indices, "indices"); err != nil {
		return nil, err
	}
	if p.locale, err = locale(e.Locale); err != nil {
		return nil, err
	}
	for _, src := range []contract.Source{contract.Tickets, contract.Calls, contract.Outages, contract.Samples} {
		if e.glob(src) != "" {
			p.given = append(p.given, src)
		}
	}
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(c.Location())
	}
	p.from, p.to, p.asOf = in(e.From), in(e.To), in(e.AsOf)
	return p, nil
}

func decodeJSON(data []byte, v any, what string) error {
	if len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("slabeam: %s: %w", what, err)
	}
	return nil
}

// locale reads a locale as pacte eval's -locale does.
func locale(s string) (report.Locale, error) {
	switch s {
	case "", "contract":
		return report.FromReport, nil
	case "fr", "en":
		return report.Locale(s), nil
	case "plain":
		return report.Plain, nil
	}
	return "", fmt.Errorf("slabeam: locale %q: want contract, fr, en or plain", s)
}

// options are the evaluator's options, those sla.Accumulate gives for an
// input of the sources given.
func (p *prepared) options() []sla.Option {
	var opts []sla.Option
	if !p.from.IsZero() || !p.to.IsZero() {
		opts = append(opts, sla.Between(p.from, p.to))
	}
	if !p.asOf.IsZero() {
		opts = append(opts, sla.AsOf(p.asOf))
	}
	return append(opts, sla.Given(p.given...))
}

// partial is the accumulator: a part of the evaluation. On a worker it is
// an evaluator fed shard after shard; between workers it travels as the
// evaluator's binary state (its coder is [encodePartial]), read back into
// an evaluator of the worker's contract when it is next used.
type partial struct {
	ev    *sla.Evaluator
	c     *contract.Contract // ev's contract
	state []byte             // the state decoded, while ev is nil
}

// encodePartial is the accumulator's coding: the evaluator's state.
func encodePartial(p partial) ([]byte, error) {
	if p.ev == nil {
		return p.state, nil
	}
	return p.ev.MarshalBinary()
}

func decodePartial(data []byte) (partial, error) {
	return partial{state: data}, nil
}

// evaluateFn is the CombineFn over the evaluator.
type evaluateFn struct {
	Evaluation Evaluation
	p          *prepared
}

func (fn *evaluateFn) Setup() error {
	var err error
	fn.p, err = fn.Evaluation.prepare()
	return err
}

func (fn *evaluateFn) CreateAccumulator() (partial, error) {
	ev, err := sla.NewEvaluator(fn.p.c, fn.p.options()...)
	return partial{ev: ev, c: fn.p.c}, err
}

// AddInput reads a shard into the accumulator's evaluator.
func (fn *evaluateFn) AddInput(ctx context.Context, acc partial, sh Shard) (partial, error) {
	ev, err := fn.evaluator(acc)
	if err != nil {
		return acc, err
	}
	part, err := fn.p.readShard(ctx, sh)
	if err != nil {
		return acc, err
	}
	if err := ev.Merge(part); err != nil {
		return acc, err
	}
	return partial{ev: ev, c: fn.p.c}, nil
}

func (fn *evaluateFn) MergeAccumulators(a, b partial) (partial, error) {
	ea, err := fn.evaluator(a)
	if err != nil {
		return a, err
	}
	eb, err := fn.evaluator(b)
	if err != nil {
		return a, err
	}
	if err := ea.Merge(eb); err != nil {
		return a, err
	}
	return partial{ev: ea, c: fn.p.c}, nil
}

// ExtractOutput reports the evaluation in every format.
func (fn *evaluateFn) ExtractOutput(ctx context.Context, acc partial) ([]Document, error) {
	ev, err := fn.evaluator(acc)
	if err != nil {
		return nil, err
	}
	rep, err := ev.Report(fn.p.volumes, fn.p.indices)
	if err != nil {
		return nil, err
	}
	if n := len(rep.Rejected); n > 0 {
		log.Warnf(ctx, "pacte: %d records rejected; the report lists them", n)
	}
	return Render(rep, report.Options{Locale: fn.p.locale})
}

// evaluator returns the accumulator's evaluator, made of its state when it
// arrived coded, or made again of its state when it is of another copy of
// the contract (evaluators merge only with those of the same contract).
func (fn *evaluateFn) evaluator(acc partial) (*sla.Evaluator, error) {
	if acc.ev != nil && acc.c == fn.p.c {
		return acc.ev, nil
	}
	state := acc.state
	if acc.ev != nil {
		var err error
		if state, err = acc.ev.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	ev, err := sla.NewEvaluator(fn.p.c, fn.p.options()...)
	if err != nil || len(state) == 0 {
		return ev, err
	}
	if err := ev.UnmarshalBinary(state); err != nil {
		return nil, fmt.Errorf("slabeam: an accumulator of %s: %w", fn.p.c.File(), err)
	}
	return ev, nil
}

// readShard evaluates one shard into an evaluator of its own.
func (p *prepared) readShard(ctx context.Context, sh Shard) (*sla.Evaluator, error) {
	rc, err := fileio.ReadableFile{Metadata: fileio.FileMetadata{Path: sh.Path}}.Open(ctx)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r, done, err := seekable(rc)
	if err != nil {
		return nil, fmt.Errorf("slabeam: %s: %w", sh.Path, err)
	}
	defer done()
	opts := ingest.Options{Name: sh.Path, Location: p.c.Location(), AllowDuplicateIDs: p.allowDup}
	in := sla.Input{From: p.from, To: p.to, AsOf: p.asOf}
	var stop func() error
	switch contract.Source(sh.Source) {
	case contract.Tickets:
		stop, err = feed(r, p.mapping, opts, ingest.ReadTickets, &in.Tickets, &in.Rejected)
	case contract.Calls:
		stop, err = feed(r, nil, opts, ingest.ReadCalls, &in.Calls, &in.Rejected)
	case contract.Outages:
		stop, err = feed(r, nil, opts, ingest.ReadOutages, &in.Outages, &in.Rejected)
	case contract.Samples:
		stop, err = feed(r, nil, opts, ingest.ReadSamples, &in.Samples, &in.Rejected)
	default:
		return nil, fmt.Errorf("slabeam: %s: unknown source %q", sh.Path, sh.Source)
	}
	if err != nil {
		return nil, fmt.Errorf("slabeam: %s: %w", sh.Path, err)
	}
	ev, err := sla.Accumulate(ctx, p.c, in)
	// A shard that cannot be read to its end fails the pipeline, as
	// pacte eval writes no report of a file it cannot read.
	if serr := stop(); serr != nil {
		return nil, serr
	}
	return ev, err
}

// feed opens the reader of a shard and sets the input's stream of its
// source and its rejected rows; stop says whether it was read to its end.
func feed[T any](r io.Reader, m *ingest.Mapping, opts ingest.Options,
	read func(io.Reader, *ingest.Mapping, ingest.Options) (*ingest.Reader[T], error),
	records *iter.Seq[T], rejected *iter.Seq[*pacte.RecordError]) (stop func() error, err error) {
	rd, err := read(r, m, opts)
	if err != nil {
		return nil, err
	}
	*records, *rejected = rd.Records(), rd.Rejected()
	return rd.Err, nil
}

// seekable returns r as an io.ReadSeeker, copied to a temporary file when
// it cannot seek (an object store's stream, a gzip file): ingest checks
// an input's encoding whole before its first record, and holds an input
// that cannot seek in memory only up to 64 MB.
func seekable(r io.Reader) (io.Reader, func(), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		return rs, func() {}, nil
	}
	f, err := os.CreateTemp("", "pacte-shard-*")
	if err != nil {
		return nil, nil, err
	}
	done := func() {
		f.Close()
		os.Remove(f.Name())
	}
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nil, err
	}
	return f, done, nil
}
