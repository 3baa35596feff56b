package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/adjust"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/shopspring/decimal"
)

// readable checks that a file given on the command line can be read: it
// exists, is not a folder and is not empty ("" is no file).
func readable(path string) error {
	if path == "" {
		return nil
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return inputError{err}
	case st.IsDir():
		return inputError{fmt.Errorf("%s is a folder, not a file", path)}
	case st.Size() == 0 && st.Mode().IsRegular():
		return inputError{fmt.Errorf("%s is empty", path)}
	}
	return nil
}

// volumesFile is the JSON of -volumes: by month, then work unit.
type volumesFile = map[string]map[string]decimal.Decimal

// readJSONFile reads a JSON file into a T.
func readJSONFile[T any](path string) (T, error) {
	var v T
	data, err := os.ReadFile(path)
	if err != nil {
		return v, inputError{err}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, inputError{fmt.Errorf("%s: %w", path, err)}
	}
	return v, nil
}

// evalInput is what eval reads: the files of each source, and the
// settings of the evaluation.
type evalInput struct {
	files          map[string]string // by source: tickets, calls, outages, samples
	mapping        *ingest.Mapping   // of the tickets
	opts           ingest.Options
	volumes        volumesFile
	indices        contract.Indices
	from, to, asOf time.Time
	adjust         *adjust.Set     // the agreed adjustments, nil when none
	applied        *adjust.Applied // what they matched, once evaluated
	// missing says, once the files are read, which mapped columns they
	// lack: the command says so on standard error (see warnMissing).
	missing []string
}

// given is the sources whose file was given.
func (in *evalInput) given() []contract.Source {
	var sources []contract.Source
	for _, src := range []contract.Source{contract.Tickets, contract.Calls, contract.Outages, contract.Samples} {
		if in.files[string(src)] != "" {
			sources = append(sources, src)
		}
	}
	return sources
}

// adjusted applies the agreed adjustments, if any, to the records of si.
func (in *evalInput) adjusted(si sla.Input) sla.Input {
	if in.adjust == nil {
		return si
	}
	si, in.applied = in.adjust.Apply(si)
	return si
}

// annotate adds to a report what the adjustments matched: the
// adjustments in its provenance, a warning for each item not found.
func (in *evalInput) annotate(rep *sla.Report) {
	if in.applied != nil {
		in.applied.Annotate(rep)
	}
}

// warnMissing says which mapped columns the files lack: their fields
// read as empty, which no figure of the report shows (a misspelt column
// of the resolution reads every ticket as open).
func (in *evalInput) warnMissing(e *env) {
	for _, m := range in.missing {
		fmt.Fprintf(e.stderr, "warning: %s\n", m)
	}
}

// source is a reader of one file, seen from the evaluation.
type source struct {
	path     string
	err      func() error
	rejected iter.Seq[*pacte.RecordError]
	missing  func() []ingest.MissingColumn
}

// counter counts the records read, for the progress line.
type counter struct {
	n    int
	prog *progress
}

func (c *counter) add() {
	if c.n++; c.n%4096 == 0 {
		c.prog.update(c.n)
	}
}

// open opens the file of a source with its reader, and returns its records
// counted as they are read.
func open[T any](in *evalInput, src string, m *ingest.Mapping, files *[]*os.File, sources *[]source, n *counter,
	read func(io.Reader, *ingest.Mapping, ingest.Options) (*ingest.Reader[T], error)) (iter.Seq[T], error) {
	path := in.files[src]
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError{err}
	}
	*files = append(*files, f)
	opts := in.opts
	opts.Name = path
	r, err := read(f, m, opts)
	if err != nil {
		return nil, inputError{fmt.Errorf("%s: %w", path, err)}
	}
	*sources = append(*sources, source{path: path, err: r.Err, rejected: r.Rejected(), missing: r.MissingColumns})
	return func(yield func(T) bool) {
		for v := range r.Records() {
			n.add()
			if !yield(v) {
				return
			}
		}
	}, nil
}

// evaluate reads the files and evaluates them. A file that cannot be read
// to its end is an input error, and no report comes out.
func (in *evalInput) evaluate(ctx context.Context, c *contract.Contract, prog *progress) (*sla.Report, error) {
	ev, err := in.accumulate(ctx, c, prog)
	if err != nil {
		return nil, err
	}
	rep, err := ev.Report(in.volumes, in.indices)
	if err != nil {
		return nil, err
	}
	in.annotate(rep)
	return rep, nil
}

// accumulate reads the records into an evaluator, which evaluate reports
// and eval -state-out writes.
func (in *evalInput) accumulate(ctx context.Context, c *contract.Contract, prog *progress) (*sla.Evaluator, error) {
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	var sources []source
	n := &counter{prog: prog}
	si := sla.Input{Volumes: in.volumes, Indices: in.indices, From: in.from, To: in.to, AsOf: in.asOf}
	var err error
	if si.Tickets, err = open(in, "tickets", in.mapping, &files, &sources, n, ingest.ReadTickets); err != nil {
		return nil, err
	}
	if si.Calls, err = open(in, "calls", nil, &files, &sources, n, ingest.ReadCalls); err != nil {
		return nil, err
	}
	if si.Outages, err = open(in, "outages", nil, &files, &sources, n, ingest.ReadOutages); err != nil {
		return nil, err
	}
	if si.Samples, err = open(in, "samples", nil, &files, &sources, n, ingest.ReadSamples); err != nil {
		return nil, err
	}
	si.Rejected = func(yield func(*pacte.RecordError) bool) {
		for _, s := range sources {
			for e := range s.rejected {
				if !yield(e) {
					return
				}
			}
		}
	}
	ev, err := sla.Accumulate(ctx, c, in.adjusted(si))
	prog.update(n.n)
	for _, s := range sources {
		if serr := s.err(); serr != nil {
			return nil, inputError{serr}
		}
		for _, m := range s.missing() {
			in.missing = append(in.missing, s.path+": "+m.String())
		}
	}
	if err != nil {
		return nil, err
	}
	return ev, nil
}
