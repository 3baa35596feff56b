package slatest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte/sla"
	"go.yaml.in/yaml/v3"
)

// Result is the outcome of a case: the report, and every expectation it
// does not meet.
type Result struct {
	Case     *Case
	Report   *sla.Report // nil when the evaluation failed
	Failures []Failure
	// Err is an evaluation that could not run (a cancelled context).
	Err error
}

// Passed reports whether the case ran and met every expectation.
func (r Result) Passed() bool { return r.Err == nil && len(r.Failures) == 0 }

// Run runs every case, in the file's order. It stops early, with the
// context's error in the results not run, when ctx is cancelled.
func (s *Suite) Run(ctx context.Context) []Result {
	out := make([]Result, len(s.Cases))
	for i, c := range s.Cases {
		out[i] = c.Run(ctx)
	}
	return out
}

// Input returns the case's records and settings as the engine's input. A
// nil slice of records is a source the case does not give: its rules have
// no data (sla.StatusNoData). A case file gives the sources it lists,
// even empty (outages: []).
func (c *Case) Input() sla.Input {
	return sla.Input{
		Tickets: given(c.Tickets), Calls: given(c.Calls), Outages: given(c.Outages), Samples: given(c.Samples),
		Volumes: c.Volumes, Indices: c.Indices, From: c.From, To: c.To, AsOf: c.AsOf,
	}
}

// given is the stream of a source's records, nil when it is not given.
func given[T any](records []T) iter.Seq[T] {
	if records == nil {
		return nil
	}
	return slices.Values(records)
}

// Run evaluates the case's records against its contract and compares the
// report with what the case expects.
func (c *Case) Run(ctx context.Context) Result {
	res := Result{Case: c}
	if c.contract == nil {
		res.Err = errors.New("slatest: a case runs against the contract of its file: read it with Load or Parse")
		return res
	}
	if err := ctx.Err(); err != nil {
		res.Err = err
		return res
	}
	rep, err := sla.Evaluate(ctx, c.contract, c.Input())
	if err != nil {
		res.Err = err
		return res
	}
	res.Report = rep
	fail := func(n *yaml.Node, f Failure) {
		f.File, f.Case = c.File, c.Name
		if n != nil {
			f.Line, f.Column = n.Line, n.Column
		}
		res.Failures = append(res.Failures, f)
	}
	if len(rep.Rejected) != c.Rejected {
		var trace []string
		for _, r := range rep.Rejected {
			trace = append(trace, fmt.Sprintf("%s %s: %s", r.Source, r.ID, r.Error))
		}
		fail(c.node, Failure{Field: "rejected records", Want: strconv.Itoa(c.Rejected), Got: strconv.Itoa(len(rep.Rejected)), Trace: trace})
	}
	c.checkErrors(rep, fail)
	for _, pw := range c.expect {
		p, why := findPeriod(rep, pw.period)
		if p == nil {
			fail(pw.node, Failure{Period: pw.period, Field: "period", Want: "in the report", Got: why})
			continue
		}
		for _, w := range pw.wants {
			if got, ok, trace := w.onPeriod(p); !ok {
				fail(w.node, Failure{Period: p.Period, Field: w.field, Want: w.text, Got: got, Trace: trace})
			}
		}
		for _, rw := range pw.rules {
			r, why := findRule(p, rw.id)
			if r == nil {
				fail(rw.node, Failure{Period: p.Period, Rule: rw.id, Field: "rule", Want: "in the period", Got: why})
				continue
			}
			for _, w := range rw.wants {
				if got, ok, trace := w.onRule(r); !ok {
					fail(w.node, Failure{Period: p.Period, Rule: r.ID, Field: w.field, Want: w.text, Got: got, Trace: trace})
				}
			}
		}
	}
	return res
}

// checkErrors compares the report's errors with the number the case
// expects: each unexpected one is a failure of its own, and a case that
// expects some fails with the list of those there are when their number
// differs.
func (c *Case) checkErrors(rep *sla.Report, fail func(*yaml.Node, Failure)) {
	var all []string
	for _, e := range rep.Errors {
		got := e.Error
		if e.Item != "" {
			got = e.Item + ": " + got
		}
		if c.Errors == 0 {
			fail(c.node, Failure{Period: e.Period, Rule: e.Rule, Field: "rule error", Want: "none", Got: got})
		}
		all = append(all, strings.TrimSpace(e.Period+" "+e.Rule)+": "+got)
	}
	if c.Errors > 0 && len(rep.Errors) != c.Errors {
		fail(c.node, Failure{Field: "rule errors", Want: strconv.Itoa(c.Errors), Got: strconv.Itoa(len(rep.Errors)), Trace: all})
	}
}
