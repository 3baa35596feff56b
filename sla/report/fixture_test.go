package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// fixture is the report every golden file renders: the reference contract
// over the engine's golden dataset, the first half of 2027
// (sla/testdata/h1-2027, whose README says what each record exercises),
// as of 1 July 2027. Between them its months show the observation period,
// franchise waivers, repeat doublings, rule caps, the monthly and yearly
// caps, a bonus cap and netting, per-item penalties, exclusions, open and
// pending tickets, a rule below its minimum volume and a rejected record
// of each source.
//
// It is the one place that says which report the tests render.
func fixture(tb testing.TB) *sla.Report {
	tb.Helper()
	fixtureOnce.Do(func() {
		fixtureRep, fixtureErr = evaluate(contractPath, referenceData, "2027-07-01T00:00:00+02:00")
	})
	if fixtureErr != nil {
		tb.Fatal(fixtureErr)
	}
	return fixtureRep
}

var (
	fixtureOnce sync.Once
	fixtureRep  *sla.Report
	fixtureErr  error
)

const (
	contractPath  = "../../examples/contracts/acme.yaml"
	referenceData = "../testdata/h1-2027"
)

// evaluate evaluates the records of dir (tickets.jsonl, calls.jsonl,
// outages.jsonl, samples.jsonl in pacte's JSON, volumes.json) against a
// contract, as of an instant. The sources named in without, and those
// without a file, are not given.
func evaluate(contractFile, dir, asOf string, without ...contract.Source) (*sla.Report, error) {
	data, err := os.ReadFile(contractFile)
	if err != nil {
		return nil, err
	}
	// The name the report shows, wherever the tests run.
	c, err := contract.Parse(data, "examples/contracts/acme.yaml")
	if err != nil {
		return nil, err
	}
	at, err := time.Parse(time.RFC3339, asOf)
	if err != nil {
		return nil, err
	}
	in := sla.Input{AsOf: at}
	var err1, err2, err3, err4 error
	in.Tickets, err1 = readJSONL[pacte.Ticket](dir, contract.Tickets, without)
	in.Calls, err2 = readJSONL[pacte.Call](dir, contract.Calls, without)
	in.Outages, err3 = readJSONL[pacte.Outage](dir, contract.Outages, without)
	in.Samples, err4 = readJSONL[pacte.Sample](dir, contract.Samples, without)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "volumes.json")); err == nil {
		if err := json.Unmarshal(b, &in.Volumes); err != nil {
			return nil, fmt.Errorf("volumes.json: %w", err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	return sla.Evaluate(context.Background(), c, in)
}

// readJSONL reads the records of a source, one a line, from its file in
// dir; a source left out, or without a file, is not given (nil).
func readJSONL[T any](dir string, src contract.Source, without []contract.Source) (iter.Seq[T], error) {
	if slices.Contains(without, src) {
		return nil, nil
	}
	var out []T
	path := filepath.Join(dir, string(src)+".jsonl")
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, v)
	}
	return slices.Values(out), sc.Err()
}
