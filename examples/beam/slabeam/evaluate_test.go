package slabeam

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/stretchr/testify/require"

	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
)

// The tests run their pipelines on Beam's Prism runner, in process.
func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

const (
	root         = "../../.."
	contractFile = root + "/examples/contracts/acme.yaml"
	h1           = root + "/sla/testdata/h1-2027"
)

var sources = []contract.Source{contract.Tickets, contract.Calls, contract.Outages, contract.Samples}

// shards splits each of the reference data's files into n shards, line
// by line in turn (line i into shard i mod n), gzipped or not, and returns
// the folder of the shards and, by original file and line, the shard and
// line it went to.
func shards(t *testing.T, n int, gz bool) (string, map[string]map[int]position) {
	t.Helper()
	dir := t.TempDir()
	moved := map[string]map[int]position{}
	for _, src := range sources {
		orig := filepath.Join(h1, string(src)+".jsonl")
		data, err := os.ReadFile(orig)
		require.NoError(t, err)
		lines := strings.SplitAfter(string(data), "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		parts := make([]strings.Builder, n)
		moved[orig] = map[int]position{}
		name := func(k int) string {
			if gz {
				return filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl.gz", src, k))
			}
			return filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl", src, k))
		}
		for i, line := range lines {
			k := i % n
			parts[k].WriteString(line)
			moved[orig][i+1] = position{name(k), i/n + 1}
		}
		for k := range parts {
			data := []byte(parts[k].String())
			if gz {
				var b bytes.Buffer
				w := gzip.NewWriter(&b)
				_, err := w.Write(data)
				require.NoError(t, err)
				require.NoError(t, w.Close())
				data = b.Bytes()
			}
			require.NoError(t, os.WriteFile(name(k), data, 0o644))
		}
	}
	return dir, moved
}

type position struct {
	file string
	line int
}

func paris(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return loc
}

// evaluation is the Evaluation of the shards in dir.
func evaluation(t testing.TB, dir string, asOf time.Time) Evaluation {
	t.Helper()
	c, err := os.ReadFile(contractFile)
	require.NoError(t, err)
	vol, err := os.ReadFile(filepath.Join(h1, "volumes.json"))
	require.NoError(t, err)
	glob := func(src contract.Source) string { return filepath.Join(dir, string(src)+"-*.jsonl*") }
	return Evaluation{Contract: c, ContractName: contractFile, Volumes: vol, AsOf: asOf,
		Tickets: glob(contract.Tickets), Calls: glob(contract.Calls), Outages: glob(contract.Outages), Samples: glob(contract.Samples)}
}

// want is the report of one evaluation of the reference data by the
// library, as pacte eval makes it (the provenance block aside), in every
// format; the rejected rows named by the shard and line they went to.
func want(t *testing.T, e Evaluation, moved map[string]map[int]position) []Document {
	t.Helper()
	p, err := e.prepare()
	require.NoError(t, err)
	in := sla.Input{Volumes: p.volumes, AsOf: p.asOf}
	var errs []func() error
	var rejected []iter.Seq[*pacte.RecordError]
	for _, src := range sources {
		name := filepath.Join(h1, string(src)+".jsonl")
		f, err := os.Open(name)
		require.NoError(t, err)
		defer f.Close()
		opts := ingest.Options{Name: name, Location: p.c.Location()}
		var stop func() error
		var rej iter.Seq[*pacte.RecordError]
		switch src {
		case contract.Tickets:
			stop, err = feed(f, nil, opts, ingest.ReadTickets, &in.Tickets, &rej)
		case contract.Calls:
			stop, err = feed(f, nil, opts, ingest.ReadCalls, &in.Calls, &rej)
		case contract.Outages:
			stop, err = feed(f, nil, opts, ingest.ReadOutages, &in.Outages, &rej)
		case contract.Samples:
			stop, err = feed(f, nil, opts, ingest.ReadSamples, &in.Samples, &rej)
		}
		require.NoError(t, err)
		errs, rejected = append(errs, stop), append(rejected, rej)
	}
	in.Rejected = func(yield func(*pacte.RecordError) bool) {
		for _, rej := range rejected {
			for r := range rej {
				if !yield(r) {
					return
				}
			}
		}
	}
	rep, err := sla.Evaluate(context.Background(), p.c, in)
	require.NoError(t, err)
	for _, stop := range errs {
		require.NoError(t, stop())
	}
	require.Len(t, rep.Rejected, 4, "the reference data holds a rejected record of each kind")
	for i, r := range rep.Rejected {
		to, ok := moved[r.Source][r.Line]
		require.True(t, ok, "rejection %+v", r)
		rep.Rejected[i].Source, rep.Rejected[i].Line = to.file, to.line
	}
	// In the order the report keeps them.
	slices.SortFunc(rep.Rejected, func(x, y sla.Rejection) int {
		return strings.Compare(fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", x.Source, x.Line, x.ID, x.Column, x.Error),
			fmt.Sprintf("%s\x00%09d\x00%s\x00%s\x00%s", y.Source, y.Line, y.ID, y.Column, y.Error))
	})
	docs, err := Render(rep, report.Options{Locale: report.FromReport})
	require.NoError(t, err)
	return docs
}

// TestEvaluatePipeline: the pipeline's report, on Prism, is the library's
// one evaluation of all the records, byte for byte in every format,
// whatever the sharding.
func TestEvaluatePipeline(t *testing.T) {
	asOf := time.Date(2027, 7, 1, 0, 0, 0, 0, paris(t))
	for _, tc := range []struct {
		shards int
		asOf   time.Time
		gz     bool
	}{{1, asOf, false}, {3, asOf, false}, {7, asOf, false}, {3, time.Time{}, false}, {2, asOf, true}} {
		t.Run(fmt.Sprintf("%d shards, as of %v, gzip %v", tc.shards, !tc.asOf.IsZero(), tc.gz), func(t *testing.T) {
			dir, moved := shards(t, tc.shards, tc.gz)
			e := evaluation(t, dir, tc.asOf)
			out := run(t, func(s beam.Scope) (beam.PCollection, error) { return Evaluate(s, e) })
			for _, d := range want(t, e, moved) {
				got, err := os.ReadFile(filepath.Join(out, d.Name))
				require.NoError(t, err)
				requireSame(t, d.Data, got, d.Name)
			}
		})
	}
}

// run runs on Prism the pipeline of the documents build makes, writing
// them, and returns their folder.
func run(t *testing.T, build func(beam.Scope) (beam.PCollection, error)) string {
	t.Helper()
	out := t.TempDir()
	p, s := beam.NewPipelineWithRoot()
	docs, err := build(s)
	require.NoError(t, err)
	require.NoError(t, WriteDocuments(s, out, docs))
	require.NoError(t, ptest.Run(p))
	return out
}

// requireSame fails with the first line that differs.
func requireSame(t *testing.T, want, got []byte, name string) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	w, g := bufio.NewScanner(bytes.NewReader(want)), bufio.NewScanner(bytes.NewReader(got))
	w.Buffer(nil, 1<<24)
	g.Buffer(nil, 1<<24)
	for line := 1; ; line++ {
		wok, gok := w.Scan(), g.Scan()
		if !wok || !gok || w.Text() != g.Text() {
			t.Fatalf("%s differs at line %d:\nwant %q\ngot  %q", name, line, w.Text(), g.Text())
		}
	}
}

// TestCombineFn calls the CombineFn as a runner does, each shard in an
// accumulator of its own that travels coded, merged in random orders.
func TestCombineFn(t *testing.T) {
	dir, moved := shards(t, 5, false)
	e := evaluation(t, dir, time.Date(2027, 7, 1, 0, 0, 0, 0, paris(t)))
	wanted := want(t, e, moved)
	ctx := context.Background()
	var all []Shard
	for _, src := range sources {
		files, err := filepath.Glob(filepath.Join(dir, string(src)+"-*.jsonl"))
		require.NoError(t, err)
		for _, f := range files {
			all = append(all, Shard{Source: string(src), Path: f})
		}
	}
	rng := rand.New(rand.NewPCG(19, 2))
	for range 3 {
		// Each worker has its own copy of the function, and of the
		// contract.
		fn := func() *evaluateFn {
			fn := &evaluateFn{Evaluation: e}
			require.NoError(t, fn.Setup())
			return fn
		}
		var coded [][]byte
		for _, sh := range all {
			w := fn()
			acc, err := w.CreateAccumulator()
			require.NoError(t, err)
			acc, err = w.AddInput(ctx, acc, sh)
			require.NoError(t, err)
			data, err := encodePartial(acc)
			require.NoError(t, err)
			coded = append(coded, data)
		}
		rng.Shuffle(len(coded), func(i, j int) { coded[i], coded[j] = coded[j], coded[i] })
		final := fn()
		acc, err := decodePartial(coded[0])
		require.NoError(t, err)
		for _, data := range coded[1:] {
			other, err := decodePartial(data)
			require.NoError(t, err)
			// Half the merges with an accumulator still in memory, of
			// another copy of the contract.
			if rng.IntN(2) == 0 {
				w := fn()
				ev, err := w.evaluator(other)
				require.NoError(t, err)
				other = partial{ev: ev, c: w.p.c}
			}
			acc, err = final.MergeAccumulators(acc, other)
			require.NoError(t, err)
		}
		docs, err := final.ExtractOutput(ctx, acc)
		require.NoError(t, err)
		require.Equal(t, len(wanted), len(docs))
		for i := range docs {
			requireSame(t, wanted[i].Data, docs[i].Data, docs[i].Name)
		}
	}
}

// TestEvaluateRefuses: what cannot be read is refused before the pipeline
// runs, and a glob that matches nothing fails it.
func TestEvaluateRefuses(t *testing.T) {
	e := evaluation(t, t.TempDir(), time.Time{})
	for name, mutate := range map[string]func(*Evaluation){
		"no exports":         func(e *Evaluation) { e.Tickets, e.Calls, e.Outages, e.Samples = "", "", "", "" },
		"bad contract":       func(e *Evaluation) { e.Contract = []byte("contract: [") },
		"bad volumes":        func(e *Evaluation) { e.Volumes = []byte("{") },
		"preset and mapping": func(e *Evaluation) { e.Preset, e.Mapping = "servicenow-incident", []byte("x: y") },
		"unknown preset":     func(e *Evaluation) { e.Preset = "nope" },
		"bad locale":         func(e *Evaluation) { e.Locale = "klingon" },
	} {
		t.Run(name, func(t *testing.T) {
			bad := e
			mutate(&bad)
			_, s := beam.NewPipelineWithRoot()
			_, err := Evaluate(s, bad)
			require.Error(t, err)
		})
	}
	p, s := beam.NewPipelineWithRoot()
	docs, err := Evaluate(s, e) // the folder is empty
	require.NoError(t, err)
	require.NoError(t, WriteDocuments(s, t.TempDir(), docs))
	require.ErrorContains(t, ptest.Run(p), "no files matching pattern")
}
