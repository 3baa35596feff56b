package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

var mergeCommand = &command{
	name:    "merge",
	summary: "merge the states pacte eval -state-out wrote into one report",
	usage: `pacte merge [flags] CONTRACT PART.state...

Merge reads the evaluator states that pacte eval -state-out wrote for
parts of the records (shards of the exports, evaluated apart, on one
machine or many) and writes the report of the whole: the same figures, byte
for byte, as one pacte eval over every part's records, in any order of the
parts. The parts are evaluated alike: a state whose report range (-from,
-to) or extraction instant (-asof) differs from the first's is refused. The volumes and index values, which belong to
no part, are given here.

A state made for another contract (one whose clauses differ; comments and
layout aside), by a pacte of another state format version, or damaged, is
refused with exit status 2, as is a state given twice (the same file or a
copy of it), whose records would count twice. A JSON report's provenance block names the
contract, the states in their order and the volumes and index files, with
their SHA-256: pacte verify merges the states again and compares (the
records the states were made of were read elsewhere, and are not named).
Records rejected by any part are listed on standard error, and the exit
status is then 1, as eval's.

Example:

  pacte eval examples/contracts/acme.yaml -calls examples/data/calls.csv -state-out calls.state
  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -state-out tickets.state
  pacte merge examples/contracts/acme.yaml -volumes examples/data/volumes.json calls.state tickets.state
`,
	flags: mergeFlags,
}

type mergeOptions struct {
	volumes, indices, format, out, locale string
}

func mergeFlags(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
	var o mergeOptions
	fs.StringVar(&o.volumes, "volumes", "", `reported volumes, JSON: {"2027-04": {"UO-POSTE": "1201"}}`)
	fs.StringVar(&o.indices, "indices", "", `index values, JSON: {"Syntec": {"2027-09": "305.1"}}`)
	fs.StringVar(&o.format, "format", "text", strings.Join(reportFormats, ", "))
	fs.StringVar(&o.out, "o", "", "write the report to this file, once it is complete")
	fs.StringVar(&o.locale, "locale", "contract", "number format: contract (the contract's), fr, en or plain")
	return func(ctx context.Context, args []string) error { return o.run(ctx, e, args) }
}

func (o *mergeOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) < 2 {
		return usagef("want a contract and at least one state, found %d %s", len(args), plural(len(args), "file", "files"))
	}
	if err := checkFormat(o.format, reportFormats); err != nil {
		return err
	}
	locale, err := checkLocale(o.locale)
	if err != nil {
		return err
	}
	if err := checkOutput(o.out); err != nil {
		return err
	}
	inputs := []readFile{{args[0], "the contract file"}, {o.volumes, "the file of -volumes"}, {o.indices, "the file of -indices"}}
	for _, s := range args[1:] {
		inputs = append(inputs, readFile{s, "a state merged"})
	}
	if err := checkNotRead("-o", o.out, inputs); err != nil {
		return err
	}
	for _, f := range append([]string{o.volumes, o.indices}, args...) {
		if err := readable(f); err != nil {
			return err
		}
	}
	c, err := contract.Load(args[0])
	if err != nil {
		return inputError{err}
	}
	var volumes volumesFile
	var indices contract.Indices
	if o.volumes != "" {
		if volumes, err = readJSONFile[volumesFile](o.volumes); err != nil {
			return err
		}
	}
	if o.indices != "" {
		if indices, err = readJSONFile[contract.Indices](o.indices); err != nil {
			return err
		}
	}
	merged, err := mergeStates(ctx, c, args[1:])
	if err != nil {
		return err
	}
	rep, err := merged.Report(volumes, indices)
	if err != nil {
		return err
	}
	if rep.Provenance, err = o.provenance(args[0], args[1:], volumes, indices); err != nil {
		return err
	}
	if err := writeReport(o.out, e, o.format, rep, locale); err != nil {
		return err
	}
	return listRejected(e, rep)
}

// mergeStates reads the states of the files into evaluators of c and
// merges them into the first.
func mergeStates(ctx context.Context, c *contract.Contract, paths []string) (*sla.Evaluator, error) {
	var merged *sla.Evaluator
	seen := map[[sha256.Size]byte]string{}
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, inputError{err}
		}
		ev, err := sla.NewEvaluator(c)
		if err != nil {
			return nil, err
		}
		if err := ev.UnmarshalBinary(data); err != nil {
			if errors.Is(err, sla.ErrOtherContract) {
				err = fmt.Errorf("%w (%s)", err, c.File())
			}
			return nil, inputError{fmt.Errorf("%s: %w", path, err)}
		}
		// A part given twice would count its records twice; two parts
		// without records are alike and add nothing.
		sum := sha256.Sum256(data)
		if first, ok := seen[sum]; ok {
			if empty, err := holdsNoRecord(ev); err != nil || empty {
				continue
			}
			return nil, inputError{fmt.Errorf("%s: the same state as %s: a part merged twice would count its records twice", path, first)}
		}
		seen[sum] = path
		if merged == nil {
			merged = ev
		} else if err := merged.Merge(ev); err != nil {
			if errors.Is(err, sla.ErrOtherSettings) {
				err = inputError{fmt.Errorf("%s merged into %s: %w; the parts of one report are evaluated with the same -from, -to and -asof", path, paths[0], err)}
			}
			return nil, err
		}
	}
	return merged, nil
}

// holdsNoRecord tells whether a state was made of no record at all.
func holdsNoRecord(ev *sla.Evaluator) (bool, error) {
	rep, err := ev.Report(nil, nil)
	if err != nil {
		return false, err
	}
	for _, n := range rep.Records {
		if n.Read > 0 {
			return false, nil
		}
	}
	return true, nil
}
