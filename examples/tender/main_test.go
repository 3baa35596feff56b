package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runTender(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(context.Background(), append([]string{"-contract", "../contracts/acme.yaml", "-scenario", "testdata/quarter.yaml"}, args...), &out, &errs)
	return code, out.String(), errs.String()
}

func TestText(t *testing.T) {
	code, out, errs := runTender(t, "-runs", "4", "-seed", "3", "-staffing")
	require.Equal(t, 0, code, errs)
	assert.True(t, strings.HasPrefix(out, "Tender risk: ACME Industrie — managed services 2027-2029\n"+
		"Scenario: ACME, one quarter at a tenth of the volume\n"+
		"2027-04-01 to 2027-06-30, 4 runs, seed 3; records per run: "), out)
	for _, s := range []string{"Penalties and margin, EUR, 4 runs (seed 3)", "Rules by expected penalty", "Caps: how often",
		"Phone desk: staffing", "year 1", "term", "INC-P1", "monthly cap", "2027-06"} {
		assert.Contains(t, out, s)
	}
	assert.Contains(t, errs, "tender: 4 runs in ")
}

// The same seed prints the same table on one worker or two.
func TestSameSeedSameOutput(t *testing.T) {
	_, one, _ := runTender(t, "-runs", "4", "-workers", "1")
	_, two, _ := runTender(t, "-runs", "4", "-workers", "2")
	assert.Equal(t, one, two)
}

func TestJSONAndSweep(t *testing.T) {
	code, out, errs := runTender(t, "-runs", "2", "-format", "json", "-sweep", "agents=2,3")
	require.Equal(t, 0, code, errs)
	var got struct {
		Result struct {
			Runs int `json:"runs"`
			Term struct {
				Penalties struct{ Mean, P90 string } `json:"penalties"`
			} `json:"term"`
		} `json:"result"`
		Sensitivity struct {
			Parameter string `json:"parameter"`
			Points    []struct {
				Value string `json:"value"`
			} `json:"points"`
		} `json:"sensitivity"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, 2, got.Result.Runs)
	assert.NotEmpty(t, got.Result.Term.Penalties.P90)
	assert.Equal(t, "agents", got.Sensitivity.Parameter)
	assert.Len(t, got.Sensitivity.Points, 2)
	assert.Contains(t, errs, "tender: 6 runs in ", "2 runs and 2 × 2 for the sweep")
}

func TestMarkdownAndHTML(t *testing.T) {
	code, out, errs := runTender(t, "-runs", "2", "-format", "md")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "# Tender risk: ACME")
	assert.Contains(t, out, "| span | invoice | penalties |")
	assert.Contains(t, out, "| ---: |")

	code, out, errs = runTender(t, "-runs", "2", "-format", "html", "-sweep", "restore:incident:P1=1h,3h")
	require.Equal(t, 0, code, errs)
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
	assert.Contains(t, out, "<table>")
	assert.Contains(t, out, "<svg")
	assert.Contains(t, out, "incident P1 restore median")
	assert.True(t, strings.HasSuffix(out, "</html>\n"))
}

func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-runs", "0"}, "tender: -runs 0: want at least 1"},
		{[]string{"-format", "pdf"}, `tender: -format "pdf": want text, md, json or html`},
		{[]string{"-sweep", "colour=red"}, `tender: -sweep "colour=red": unknown parameter "colour": want agents, restore:KIND:PRIORITY or volume`},
		{[]string{"-sweep", "agents=0"}, `tender: -sweep "agents=0": value "0": want a number of agents ≥ 1`},
		{[]string{"-scenario", "missing.yaml"}, "tender: open missing.yaml: no such file or directory"},
		{[]string{"-progress", "maybe"}, `tender: -progress "maybe": want auto, on or off`},
		{[]string{"extra"}, `tender: unexpected argument "extra"`},
	} {
		var out, errs bytes.Buffer
		code := run(context.Background(), append([]string{"-contract", "../contracts/acme.yaml"}, c.args...), &out, &errs)
		assert.Equal(t, 2, code, c.args)
		assert.Equal(t, c.want, strings.TrimSpace(errs.String()), c.args)
	}
}

// A progress bar when asked for, on standard error only.
func TestProgressBar(t *testing.T) {
	code, out, errs := runTender(t, "-runs", "3", "-progress", "on")
	require.Equal(t, 0, code)
	assert.Contains(t, errs, "] 3/3 runs")
	assert.NotContains(t, out, "runs/s")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errs bytes.Buffer
	code := run(ctx, []string{"-contract", "../contracts/acme.yaml", "-scenario", "testdata/quarter.yaml", "-runs", "5"}, &out, &errs)
	assert.Equal(t, 1, code)
	assert.Equal(t, "tender: context canceled\n", errs.String())
}
