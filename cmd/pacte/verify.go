package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

var verifyCommand = &command{
	name:    "verify",
	summary: "make a JSON report again from its inputs and compare",
	usage: `pacte verify REPORT.json

Verify reads the provenance block of a JSON report written by pacte eval:
the contract file and the input files, with their SHA-256 and their paths
relative to the report's folder, and the settings of the evaluation. It
evaluates the contract over those files again and compares every figure
with the report's. A report of pacte merge names the states it merged
instead: verify merges them again.

It says "identical" when every figure is the same, and exits 0. Otherwise
it names the input files that changed since the report was made (or are
missing) and lists the figures that differ, the report's then the one made
now, and exits 1. A report made by another version of pacte is said so,
and its figures compared all the same. A report without a provenance
block, or whose files cannot be read, is exit status 2.

Examples:

  pacte eval examples/contracts/acme.yaml -tickets examples/data/incidents.csv -mapping examples/data/servicenow.yaml -calls examples/data/calls.csv -outages examples/data/outages.csv -samples examples/data/samples.csv -volumes examples/data/volumes.json -asof 2027-07-01T06:00 -format json -o report.json
  pacte verify report.json
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		return func(ctx context.Context, args []string) error { return verify(ctx, e, args) }
	},
}

// maxDifferences bounds the figures listed: past them, their count.
const maxDifferences = 40

func verify(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		return usagef("the report file is missing")
	case len(args) > 1:
		return usagef("one report at a time: unexpected %q", args[1])
	}
	path := args[0]
	if err := readable(path); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return inputError{err}
	}
	var rep sla.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return inputError{fmt.Errorf("%s: not a JSON report of pacte: %w", path, err)}
	}
	p := rep.Provenance
	if p == nil {
		return inputError{fmt.Errorf("%s has no provenance block: make it with pacte eval or pacte merge, -format json", path)}
	}
	dir := filepath.Dir(path)
	if p.Pacte != version() {
		fmt.Fprintf(e.stdout, "%s was made by pacte %s; this is pacte %s: the figures are compared all the same.\n", path, p.Pacte, version())
	}
	changed := changedInputs(dir, p)
	now, err := evaluateAgain(ctx, e, dir, p)
	if err != nil {
		for _, c := range changed {
			fmt.Fprintln(e.stderr, "  "+c)
		}
		return err
	}
	diffs, err := differences(&rep, now)
	if err != nil {
		return err
	}
	if len(diffs) == 0 {
		fmt.Fprintf(e.stdout, "identical: every figure of %s is the one its inputs give\n", path)
		for _, c := range changed {
			fmt.Fprintln(e.stdout, "  but "+c)
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "%s differs from what its inputs give now.\n", path)
	if len(changed) > 0 {
		fmt.Fprintln(e.stdout, "Inputs changed since the report was made:")
		for _, c := range changed {
			fmt.Fprintln(e.stdout, "  "+c)
		}
	} else {
		fmt.Fprintln(e.stdout, "No input changed: the report was not made from these files as they are, or was edited.")
	}
	fmt.Fprintf(e.stdout, "Figures that differ (%d), the report's then now:\n", len(diffs))
	for i, d := range diffs {
		if i == maxDifferences {
			fmt.Fprintf(e.stdout, "  … and %d more\n", len(diffs)-i)
			break
		}
		fmt.Fprintln(e.stdout, "  "+d)
	}
	return errFailed
}

// changedInputs names the files of the provenance whose bytes are not
// the ones the report was made from, or that are missing.
func changedInputs(dir string, p *sla.Provenance) []string {
	var out []string
	for _, f := range append([]sla.FileDigest{p.Contract}, p.Inputs...) {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		sum, err := fileSHA256(path)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("%s %s: missing (%v)", f.Role, f.Path, err))
		case sum != f.SHA256:
			out = append(out, fmt.Sprintf("%s %s: changed (SHA-256 %s, now %s)", f.Role, f.Path, short(f.SHA256), short(sum)))
		}
	}
	return out
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}

// evaluateAgain evaluates the contract over the files of the provenance,
// with its settings, as eval did.
func evaluateAgain(ctx context.Context, e *env, dir string, p *sla.Provenance) (*sla.Report, error) {
	at := func(path string) string { return filepath.Join(dir, filepath.FromSlash(path)) }
	if slices.ContainsFunc(p.Inputs, func(f sla.FileDigest) bool { return f.Role == stateRole }) {
		return mergeAgain(ctx, at, p)
	}
	o := evalOptions{asOf: p.Settings["asof"], from: p.Settings["from"], to: p.Settings["to"], preset: p.Settings["preset"],
		encoding: p.Settings["encoding"], allowDuplicates: p.Settings["allow-duplicates"] == "true"}
	for _, f := range p.Inputs {
		if !o.setInput(f.Role, at(f.Path)) {
			return nil, inputError{fmt.Errorf("the provenance names an input of an unknown role %q", f.Role)}
		}
	}
	if err := (bounds{o.from, o.to, o.asOf}).check(); err != nil {
		return nil, inputError{err}
	}
	for _, f := range append([]string{at(p.Contract.Path)}, o.tickets, o.calls, o.outages, o.samples, o.volumes, o.indices, o.mapping, o.adjustments) {
		if err := readable(f); err != nil {
			return nil, err
		}
	}
	c, err := contract.Load(at(p.Contract.Path))
	if err != nil {
		return nil, inputError{err}
	}
	in, err := o.input(c)
	if err != nil {
		return nil, err
	}
	return in.evaluate(ctx, c, newProgress(e.stderr, false, "records", 0))
}

// mergeAgain merges the states of the provenance of a report of merge
// again, with its volumes and index files, as merge did.
func mergeAgain(ctx context.Context, at func(string) string, p *sla.Provenance) (*sla.Report, error) {
	var states []string
	var volumes volumesFile
	var indices contract.Indices
	var err error
	for _, f := range p.Inputs {
		path := at(f.Path)
		if err := readable(path); err != nil {
			return nil, err
		}
		switch f.Role {
		case stateRole:
			states = append(states, path)
		case "volumes":
			volumes, err = readJSONFile[volumesFile](path)
		case "indices":
			indices, err = readJSONFile[contract.Indices](path)
		default:
			err = inputError{fmt.Errorf("the provenance of a merged report names an input of role %q: want state, volumes or indices", f.Role)}
		}
		if err != nil {
			return nil, err
		}
	}
	if err := readable(at(p.Contract.Path)); err != nil {
		return nil, err
	}
	c, err := contract.Load(at(p.Contract.Path))
	if err != nil {
		return nil, inputError{err}
	}
	merged, err := mergeStates(ctx, c, states)
	if err != nil {
		return nil, err
	}
	return merged.Report(volumes, indices)
}

// differences lists the figures of two reports that differ, by where
// they are ("2027-04 INC-P1 penalty: 840.00, now 990.00"), leaving out
// what is not a figure: the provenance and the contract's path. A
// rejected record's file is compared by its name: eval names it as it was
// given, relative to where eval ran, and verify as it finds it from the
// report's folder.
func differences(was, now *sla.Report) ([]string, error) {
	tree := func(r *sla.Report) (any, error) {
		c := *r
		c.Provenance, c.File = nil, ""
		c.Rejected = slices.Clone(c.Rejected)
		for i := range c.Rejected {
			if src := c.Rejected[i].Source; src != "" {
				c.Rejected[i].Source = filepath.Base(src)
			}
		}
		b, err := json.Marshal(&c)
		if err != nil {
			return nil, err
		}
		var v any
		return v, json.Unmarshal(b, &v)
	}
	a, errA := tree(was)
	b, errB := tree(now)
	if err := errors.Join(errA, errB); err != nil {
		return nil, err
	}
	var out []string
	diffValues(nil, a, b, &out)
	return out, nil
}

// diffValues walks two JSON values side by side. An element of a list is
// named by its period or id when it has one, by its index otherwise.
func diffValues(at []string, a, b any, out *[]string) {
	where := strings.Join(at, " ")
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			diffValues(append(slices.Clone(at), k), x[k], y[k], out)
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok {
			break
		}
		name := func(v any, i int) string {
			if m, ok := v.(map[string]any); ok {
				for _, k := range []string{"id", "period", "source", "rule"} {
					if s, ok := m[k].(string); ok && s != "" {
						return s
					}
				}
			}
			return fmt.Sprintf("#%d", i+1)
		}
		if len(x) != len(y) {
			*out = append(*out, fmt.Sprintf("%s: %d entries, now %d", where, len(x), len(y)))
		}
		for i := 0; i < min(len(x), len(y)); i++ {
			diffValues(append(slices.Clone(at), name(x[i], i)), x[i], y[i], out)
		}
		return
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		*out = append(*out, fmt.Sprintf("%s: %s, now %s", where, text(a), text(b)))
	}
}

func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprint(v)
}
