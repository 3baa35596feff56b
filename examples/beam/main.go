// Command beam runs pacte's evaluation of sharded exports, or its tender
// simulation spread over seed ranges, as an Apache Beam pipeline: on the
// in-process Prism runner by default, on Dataflow, Flink or Spark with
// Beam's -runner flag and that runner's flags (see the README).
//
//	go run . -contract ../contracts/acme.yaml -tickets 'exports/tickets-*.jsonl' \
//		-calls 'exports/calls-*.jsonl' -asof 2027-07-01T00:00 -output out
//	go run . -contract ../contracts/acme.yaml -scenario ../scenarios/acme.yaml \
//		-runs 2000 -seed 7 -output out
//
// The evaluation writes report.txt, report.md, report.csv, report.json and
// report.html in the -output folder; the simulation writes
// simulation.json.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/examples/beam/slabeam"
)

type options struct {
	contract, output                  string
	tickets, calls, outages, samples  string
	mapping, preset, volumes, indices string
	from, to, asOf, locale            string
	allowDuplicates                   bool
	scenario                          string
	seed                              uint64
	firstRun, runs, shardRuns         int
	antithetic                        bool
}

func main() {
	var o options
	flag.StringVar(&o.contract, "contract", "", "the contract file (YAML)")
	flag.StringVar(&o.output, "output", "", "the folder of the report or simulation, on any Beam file system (gs://bucket/out)")
	flag.StringVar(&o.tickets, "tickets", "", "glob of the tickets exports, one shard per file: 'exports/tickets-*.jsonl'")
	flag.StringVar(&o.calls, "calls", "", "glob of the calls exports, in pacte's format")
	flag.StringVar(&o.outages, "outages", "", "glob of the outages exports, in pacte's format")
	flag.StringVar(&o.samples, "samples", "", "glob of the samples exports, in pacte's format")
	flag.StringVar(&o.mapping, "mapping", "", "mapping file (YAML) of the tickets exports")
	flag.StringVar(&o.preset, "preset", "", "preset mapping of the tickets exports")
	flag.StringVar(&o.volumes, "volumes", "", `reported volumes, JSON: {"2027-04": {"UO-POSTE": "1201"}}`)
	flag.StringVar(&o.indices, "indices", "", `index values, JSON: {"Syntec": {"2027-09": "305.1"}}`)
	flag.StringVar(&o.from, "from", "", "first period reported: 2027-01 or 2027-01-15")
	flag.StringVar(&o.to, "to", "", "end of the periods reported, exclusive: 2027-07")
	flag.StringVar(&o.asOf, "asof", "", "when the data was extracted: 2027-07-01T06:00 (default: its latest instant)")
	flag.StringVar(&o.locale, "locale", "contract", "number format: contract (the contract's), fr, en or plain")
	flag.BoolVar(&o.allowDuplicates, "allow-duplicates", false, "evaluate every row of a shard even when its record ID repeats an earlier row's")
	flag.StringVar(&o.scenario, "scenario", "", "simulate this scenario (YAML) instead of evaluating exports")
	flag.Uint64Var(&o.seed, "seed", 0, "simulation: the seed of the runs")
	flag.IntVar(&o.firstRun, "first-run", 0, "simulation: the first run drawn")
	flag.IntVar(&o.runs, "runs", 1000, "simulation: the runs drawn")
	flag.IntVar(&o.shardRuns, "shard-runs", slabeam.DefaultShardRuns, "simulation: the runs of a shard, run on one worker")
	flag.BoolVar(&o.antithetic, "antithetic", false, "simulation: draw the runs in antithetic pairs")
	flag.Parse()
	// Init comes first: on a runner's worker, it runs the worker's part of
	// the pipeline and exits.
	beam.Init()
	if err := o.run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

func (o *options) run(ctx context.Context) error {
	if o.contract == "" || o.output == "" {
		return fmt.Errorf("give -contract and -output")
	}
	p, s := beam.NewPipelineWithRoot()
	var docs beam.PCollection
	var err error
	if o.scenario != "" {
		docs, err = o.simulation(s)
	} else {
		docs, err = o.evaluation(s)
	}
	if err != nil {
		return err
	}
	if err := slabeam.WriteDocuments(s, o.output, docs); err != nil {
		return err
	}
	return beamx.Run(ctx, p)
}

func (o *options) simulation(s beam.Scope) (beam.PCollection, error) {
	sm := slabeam.Simulation{ContractName: o.contract, ScenarioName: o.scenario, Seed: o.seed,
		FirstRun: o.firstRun, Runs: o.runs, ShardRuns: o.shardRuns, Antithetic: o.antithetic}
	if err := readFiles(map[string]*[]byte{o.contract: &sm.Contract, o.scenario: &sm.Scenario}); err != nil {
		return beam.PCollection{}, err
	}
	return slabeam.Simulate(s, sm)
}

func (o *options) evaluation(s beam.Scope) (beam.PCollection, error) {
	e := slabeam.Evaluation{ContractName: o.contract, Tickets: o.tickets, Calls: o.calls, Outages: o.outages,
		Samples: o.samples, MappingName: o.mapping, Preset: o.preset, Locale: o.locale, AllowDuplicateIDs: o.allowDuplicates}
	if err := readFiles(map[string]*[]byte{o.contract: &e.Contract, o.mapping: &e.Mapping, o.volumes: &e.Volumes,
		o.indices: &e.Indices}); err != nil {
		return beam.PCollection{}, err
	}
	c, err := contract.Parse(e.Contract, o.contract)
	if err != nil {
		return beam.PCollection{}, err
	}
	loc := c.Location()
	if e.From, err = parseTime("-from", o.from, loc, monthLayouts); err != nil {
		return beam.PCollection{}, err
	}
	if e.To, err = parseTime("-to", o.to, loc, monthLayouts); err != nil {
		return beam.PCollection{}, err
	}
	if e.AsOf, err = parseTime("-asof", o.asOf, loc, instantLayouts); err != nil {
		return beam.PCollection{}, err
	}
	return slabeam.Evaluate(s, e)
}

// readFiles reads the files named (the empty name is no file).
func readFiles(files map[string]*[]byte) error {
	for name, data := range files {
		if name == "" {
			continue
		}
		var err error
		if *data, err = os.ReadFile(name); err != nil {
			return err
		}
	}
	return nil
}

// The layouts of -from and -to, and of -asof, as pacte eval reads them.
var (
	monthLayouts   = []string{"2006-01", time.DateOnly}
	instantLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", time.DateOnly, time.RFC3339}
)

// parseTime reads a flag's value in one of the layouts, in the contract's
// zone unless it names its own ("" is the zero instant).
func parseTime(flag, s string, loc *time.Location, layouts []string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.In(loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: write %s, not %q", flag, strings.Join(layouts[:2], " or "), s)
}
