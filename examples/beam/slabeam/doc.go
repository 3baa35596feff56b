// Package slabeam runs pacte's evaluation and tender simulation on Apache
// Beam, for volumes past one machine: all the contracts of an outsourcer
// over years of event logs, or tens of thousands of simulated terms.
//
// The evaluation reads sharded exports (CSV or JSON Lines, one shard per
// file, the files matched by a glob on any Beam file system) through
// sla/ingest, and evaluates them with a CombineFn over [sla.Evaluator]:
// CreateAccumulator makes an evaluator of the contract, AddInput reads a
// shard into it, MergeAccumulators merges two evaluators
// ([sla.Evaluator.Merge]) and ExtractOutput renders the report in every
// format of sla/report. Between workers an accumulator travels as the
// evaluator's binary state ([sla.Evaluator.MarshalBinary]), bound to the
// contract's digest: the report is the same, byte for byte, as one
// evaluation of all the records, whatever the sharding and the runner.
//
// The simulation cuts a range of runs into seed ranges, runs each on a
// worker ([simulate.Run] with FirstRun and Runs), and merges the results
// ([simulate.Result.Merge]): the result is that of one run of all the
// seeds, byte for byte.
//
//	p, s := beam.NewPipelineWithRoot()
//	docs, err := slabeam.Evaluate(s, slabeam.Evaluation{
//		Contract: contractYAML, ContractName: "acme.yaml",
//		Tickets:  "gs://exports/2027/tickets-*.jsonl",
//	})
//	if err != nil { … }
//	if err := slabeam.WriteDocuments(s, "gs://reports/2027", docs); err != nil { … }
//	err = beamx.Run(ctx, p)
//
// The contract, mapping, volumes, indices and scenario travel inside the
// pipeline as the files' contents: workers need only the exports.
package slabeam
