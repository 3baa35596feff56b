package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/require"
)

// The program runs its pipelines on the default runner, Prism, in
// process.
func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

const h1 = "../../sla/testdata/h1-2027/"

// TestRun: the program's flags make the pipelines, which write the report
// in every format and the simulation's result.
func TestRun(t *testing.T) {
	out := t.TempDir()
	o := options{contract: "../contracts/acme.yaml", output: out, tickets: h1 + "tickets*.jsonl", calls: h1 + "calls*.jsonl",
		outages: h1 + "outages*.jsonl", samples: h1 + "samples*.jsonl", volumes: h1 + "volumes.json", asOf: "2027-07-01T00:00",
		locale: "contract"}
	require.NoError(t, o.run(context.Background()))
	for _, name := range []string{"report.txt", "report.md", "report.csv", "report.json", "report.html"} {
		st, err := os.Stat(filepath.Join(out, name))
		require.NoError(t, err)
		require.Positive(t, st.Size(), name)
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	require.NoError(t, err)
	var rep struct {
		Rejected []json.RawMessage `json:"rejected"`
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	require.Len(t, rep.Rejected, 4, "a rejected record of each kind")

	o = options{contract: "../contracts/acme.yaml", scenario: "../scenarios/acme.yaml", output: out, seed: 3, runs: 2, shardRuns: 1}
	require.NoError(t, o.run(context.Background()))
	data, err = os.ReadFile(filepath.Join(out, "simulation.json"))
	require.NoError(t, err)
	var res simulate.Result
	require.NoError(t, json.Unmarshal(data, &res))
	require.Equal(t, 2, res.Runs)
	require.Len(t, res.Figures, 2)

	for _, bad := range []options{
		{output: out},
		{contract: "../contracts/acme.yaml", output: out, tickets: "x", asOf: "tomorrow"},
		{contract: "../contracts/acme.yaml", output: out, tickets: "x", from: "2027"},
		{contract: "missing.yaml", output: out, tickets: "x"},
	} {
		require.Error(t, bad.run(context.Background()), "%+v", bad)
	}
}
