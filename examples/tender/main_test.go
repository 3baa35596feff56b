package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runTender(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(context.Background(), append([]string{"-contract", "../contracts/acme.yaml", "-scenario", "testdata/quarter.yaml"}, args...), &out, &errs)
	return code, out.String(), errs.String()
}

// tenderOK runs the command, requires it to succeed, and returns what it
// wrote on standard output and standard error.
func tenderOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := runTender(t, args...)
	require.Equal(t, 0, code, errs)
	return out, errs
}

// containsAll asserts that out contains each of want.
func containsAll(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		assert.Contains(t, out, w)
	}
}

func TestText(t *testing.T) {
	out, errs := tenderOK(t, "-runs", "4", "-seed", "3", "-staffing")
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
	out, errs := tenderOK(t, "-runs", "2", "-format", "json", "-sweep", "agents=2,3")
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
	out, _ := tenderOK(t, "-runs", "2", "-format", "md")
	containsAll(t, out,
		"# Tender risk: ACME",
		"| span | invoice | penalties |",
		"| ---: |",
	)

	out, _ = tenderOK(t, "-runs", "2", "-format", "html", "-sweep", "restore:incident:P1=1h,3h")
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
	containsAll(t, out,
		"<table>",
		"<svg",
		"incident P1 restore median",
	)
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
		{[]string{"-price", "FORFAIT-APP", "-staff", "1,2", "-limit", "1"}, "tender: ask one question at a time: -price, -staff or -compare/-amend"},
		{[]string{"-price", "FORFAIT-APP"}, "tender: -price needs -margin or -margin-rate, the margin wanted"},
		{[]string{"-staff", "1,2"}, "tender: -staff needs -limit, the most the P90 of the net penalty may be"},
		{[]string{"-staff", "1,x", "-limit", "5"}, `tender: -staff "1,x": want factors such as 0.8,1,1.2 or service levels such as sl=80%,85%`},
		{[]string{"-price", "UO-TKT", "-margin", "1", "-scenario", "testdata/quarter.yaml", "-runs", "2"}, "tender: simulate: the question cannot be asked: work unit UO-TKT is priced by bands: ask for a discount instead"},
		{[]string{"-amend", "rules.NOPE.deadline=6h", "-scenario", "testdata/quarter.yaml"}, `tender: amendment rules.NOPE.deadline = 6h: no item with id "NOPE"`},
		{[]string{"-amend", "deadline"}, `tender: invalid value "deadline" for flag -amend: want PATH=VALUE (rules.INC-P1.deadline=6h), not "deadline"`},
		{[]string{"-precision", "2 percent"}, `tender: invalid value "2 percent" for flag -precision: want a share such as 2% or 0.02, not "2 percent"`},
		{[]string{"-price", "FORFAIT-APP", "-margin", "1", "-precision", "2%"}, "tender: -price evaluates every price on the same runs: give -runs, not -precision"},
		{[]string{"-amend", "a=b", "-compare", "x.yaml"}, "tender: -compare a file or -amend the contract, not both"},
		{[]string{"-staff", "1", "-limit", "1", "-sweep", "agents=1"}, "tender: -sweep and -staffing go with the risk table, not with a question"},
		{[]string{"-antithetic", "-runs", "3", "-scenario", "testdata/quarter.yaml"}, "tender: -antithetic draws pairs: -runs (3), -first-run (0) and -batch (100) must be even"},
	} {
		var out, errs bytes.Buffer
		code := run(context.Background(), append([]string{"-contract", "../contracts/acme.yaml"}, c.args...), &out, &errs)
		assert.Equal(t, 2, code, c.args)
		lines := strings.Split(strings.TrimSpace(errs.String()), "\n") // a flag's error comes after the usage
		assert.Equal(t, c.want, lines[len(lines)-1], c.args)
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

// A precision target gives the same output on one worker or two: the
// runs are checked by batches, whatever the order they finish in.
func TestPrecisionSameOutput(t *testing.T) {
	args := []string{"-precision", "30%", "-batch", "10", "-runs", "300"}
	_, one, _ := runTender(t, append(args, "-workers", "1")...)
	two, _ := tenderOK(t, append(args, "-workers", "2")...)
	assert.Equal(t, one, two)
	containsAll(t, one,
		"runs (precision target ±30 % on the term's net P90: ±",
		"%, met)",
		"Precision: 95 % confidence intervals",
	)
}

func TestPriceQuestion(t *testing.T) {
	out, _ := tenderOK(t, "-runs", "6", "-price", "FORFAIT-APP", "-margin", "40000")
	containsAll(t, out,
		"Tender price: ACME",
		"Price: the fixed fee of FORFAIT-APP at which the margin over the span reaches 40,000 EUR",
		"expected (mean)",
		"Prices evaluated (the contract's: 18,000)",
	)

	out, _ = tenderOK(t, "-runs", "6", "-price", "discount", "-margin-rate", "30%", "-format", "json")
	var got struct {
		Price struct {
			What     string
			Expected struct {
				Found bool
				Price string
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "discount on every price", got.Price.What)
	assert.True(t, got.Price.Expected.Found)

	out, _ = tenderOK(t, "-runs", "4", "-price", "FORFAIT-APP", "-margin", "40000", "-format", "html")
	wellFormed(t, out)
	containsAll(t, out,
		"<svg",
		"Margin over the span by fixed fee of FORFAIT-APP",
	)
}

func TestStaffQuestion(t *testing.T) {
	out, errs := tenderOK(t, "-runs", "4", "-staff", "0.6,1,1.4", "-limit", "1500", "-format", "html")
	wellFormed(t, out)
	containsAll(t, out,
		"Staffing: penalties and margin over the span as the staffing varies",
		"The cheapest staffing whose P90 of the net penalty stays under 1,500 EUR is",
	)
	assert.Equal(t, 2, strings.Count(out, "<svg"))
	assert.Contains(t, errs, "tender: 12 runs in ", "4 runs at each of 3 staffings")
}

func TestCompareQuestion(t *testing.T) {
	out, _ := tenderOK(t, "-runs", "4", "-amend", "rules.INC-P2.deadline=10h", "-format", "md")
	containsAll(t, out,
		"# Tender what-if: ACME",
		"What-if: the contract with rules.INC-P2.deadline = 10h against the contract",
		"| rule INC-P2, expected penalty |",
	)

	out, _ = tenderOK(t, "-runs", "4", "-compare", "../contracts/acme.yaml", "-format", "json")
	var got struct {
		Comparison struct {
			Differences []struct {
				Figure     string
				Difference string
			}
			Base struct {
				Figures []any
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.NotEmpty(t, got.Comparison.Differences)
	for _, d := range got.Comparison.Differences {
		assert.Equal(t, "0", d.Difference, "a contract against itself: %s", d.Figure)
	}
	assert.Empty(t, got.Comparison.Base.Figures, "figures only with -figures")
}

// -figures keeps each run's figures, so that two ranges of runs merge
// into the result of both.
func TestFiguresMerge(t *testing.T) {
	read := func(args ...string) *simulate.Result {
		code, out, errs := runTender(t, append([]string{"-format", "json", "-figures", "-seed", "4"}, args...)...)
		require.Equal(t, 0, code, errs)
		var o struct{ Result *simulate.Result }
		require.NoError(t, json.Unmarshal([]byte(out), &o))
		return o.Result
	}
	whole := read("-runs", "6")
	a, b := read("-runs", "2"), read("-runs", "4", "-first-run", "2")
	m, err := a.Merge(b)
	require.NoError(t, err)
	wb, _ := json.Marshal(whole)
	mb, _ := json.Marshal(m)
	assert.JSONEq(t, string(wb), string(mb))
	assert.Equal(t, string(wb), string(mb))
}

// wellFormed checks that an HTML page is well-formed XML too, as the
// reports' pages are: XML tools can read it.
func wellFormed(t *testing.T, page string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(page, "<!DOCTYPE html>")))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
	}
}
