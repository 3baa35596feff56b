package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/require"
)

// quarter is a small scenario with a staffing target and a cost model: a
// run takes milliseconds.
const quarter = "examples/scenarios/quarter.yaml"

func simulateQuarter(t *testing.T, args ...string) result {
	t.Helper()
	return run1(t, append([]string{"simulate", acme, quarter, "-progress", "off"}, args...)...)
}

// simulated is the result of a simulate run that wrote JSON.
func simulated(t *testing.T, r result) *simulate.Result {
	t.Helper()
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		Result *simulate.Result `json:"result"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	return out.Result
}

// requireMergesTo requires a merged with b to be whole, byte for byte
// in JSON.
func requireMergesTo(t *testing.T, whole, a, b *simulate.Result) {
	t.Helper()
	merged, err := a.Merge(b)
	require.NoError(t, err)
	want, err := json.Marshal(whole)
	require.NoError(t, err)
	got, err := json.Marshal(merged)
	require.NoError(t, err)
	require.True(t, string(want) == string(got), "the merged result differs from the whole")
}

// wellFormed checks that an HTML page is well-formed XML too, as the
// reports' pages are.
func wellFormed(t *testing.T, page string) {
	t.Helper()
	require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n"), page)
	require.True(t, strings.HasSuffix(page, "</html>\n"))
	d := xml.NewDecoder(strings.NewReader(strings.TrimPrefix(page, "<!DOCTYPE html>")))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
	}
}

// Each question answers in text, JSON and HTML; the same runs under every
// option, so the run count is the runs times the options.
func TestSimulateQuestions(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		text []string // in the text
		json string   // the key of the answer in the JSON
		svgs int
		runs string // the runs drawn, on standard error
	}{
		{"price of a fee", []string{"-price", "FORFAIT-APP", "-margin", "40000"}, []string{"Tender price: ACME",
			"Price: the fixed fee of FORFAIT-APP at which the margin over the span reaches 40,000 EUR", "expected (mean)",
			"reached in 90 % of runs (P10)", "Prices evaluated (the contract's: 18,000)"}, "price", 1, ""},
		{"price as a discount", []string{"-price", "discount", "-margin-rate", "30%", "-price-range", "-10%:60%", "-price-step", "0.01"},
			[]string{"discount on every price"}, "price", 1, ""},
		{"staffing factors", []string{"-staff", "0.6,1,1.4", "-limit", "1500"}, []string{"Tender staffing: ACME",
			"Staffing: penalties and margin over the span as the staffing varies", "×0.6", "×1.4",
			"The cheapest staffing whose P90 of the net penalty stays under 1,500 EUR is"}, "staffing_plan", 2, "24 runs"},
		{"staffing by service level", []string{"-staff", "sl=70%,90%", "-limit", "2000"}, []string{"service level target", "70 %", "90 %"},
			"staffing_plan", 2, "16 runs"},
		{"what-if by amendment", []string{"-amend", "rules.INC-P2.deadline=10h", "-amend", "penalties.caps.month=5% * invoice"},
			[]string{"Tender what-if: ACME", "What-if: the contract with rules.INC-P2.deadline = 10h, penalties.caps.month = 5% * invoice against the contract",
				"rule INC-P2, expected penalty"}, "comparison", 1, "8 runs"},
		{"what-if against a file", []string{"-compare", acme}, []string{"Tender what-if: ACME", "differences run by run"}, "comparison", 1, "8 runs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-runs", "8"}, tc.args...)
			r := simulateQuarter(t, args...)
			require.Equal(t, 0, r.code, r.stderr)
			for _, s := range tc.text {
				require.Contains(t, r.stdout, s)
			}
			require.Contains(t, r.stdout, "8 runs, seed 1")
			require.Contains(t, r.stderr, "pacte simulate: "+tc.runs)

			r = simulateQuarter(t, append(args, "-format", "json")...)
			require.Equal(t, 0, r.code, r.stderr)
			var got map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
			require.Contains(t, got, tc.json)
			require.NotContains(t, got, "result", "a question, not the risk table")
			require.NotContains(t, r.stdout, `"figures"`, "figures only with -figures")

			page := filepath.Join(t.TempDir(), "answer.html")
			r = simulateQuarter(t, append(args, "-format", "html", "-o", page)...)
			require.Equal(t, 0, r.code, r.stderr)
			require.Empty(t, r.stdout)
			data, err := os.ReadFile(page)
			require.NoError(t, err)
			wellFormed(t, string(data))
			require.Equal(t, tc.svgs, strings.Count(string(data), "<svg"))
			require.Contains(t, string(data), "<table>")
		})
	}
}

// The answers' figures in JSON: a price found, a staffing plan, and a
// contract against itself differing by nothing.
func TestSimulateQuestionsJSON(t *testing.T) {
	r := simulateQuarter(t, "-runs", "8", "-price", "FORFAIT-APP", "-margin", "40000", "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var price struct{ Price simulate.PriceAnswer }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &price))
	require.Equal(t, "fixed fee of FORFAIT-APP", price.Price.What)
	require.True(t, price.Price.Expected.Found)
	require.True(t, price.Price.Expected.Price.IsInteger(), "to the euro: %s", price.Price.Expected.Price)
	require.Equal(t, 8, price.Price.Runs)

	r = simulateQuarter(t, "-runs", "8", "-staff", "0.6,1,1.4", "-limit", "1500", "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var staff struct {
		Plan simulate.StaffingPlan `json:"staffing_plan"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &staff))
	require.Len(t, staff.Plan.Options, 3)
	require.Equal(t, "1500", staff.Plan.Limit.String())
	require.True(t, staff.Plan.Options[0].Cost.LessThan(staff.Plan.Options[2].Cost), "more agents cost more")

	r = simulateQuarter(t, "-runs", "8", "-compare", acme, "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var cmp struct{ Comparison simulate.Comparison }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &cmp))
	require.NotEmpty(t, cmp.Comparison.Differences)
	for _, d := range cmp.Comparison.Differences {
		require.True(t, d.Difference.IsZero(), "a contract against itself: %s", d.Figure)
	}
}

// The risk table as an HTML page is well-formed too, with the sweep's chart.
func TestSimulateRiskHTML(t *testing.T) {
	r := simulateQuarter(t, "-runs", "4", "-format", "html", "-sweep", "agents=2,3", "-staffing")
	require.Equal(t, 0, r.code, r.stderr)
	wellFormed(t, r.stdout)
	require.Contains(t, r.stdout, "Tender risk: ACME")
	require.Contains(t, r.stdout, "Phone desk: staffing")
	require.Equal(t, 1, strings.Count(r.stdout, "<svg"))
	require.Contains(t, r.stderr, "pacte simulate: 12 runs in ", "4 runs and 4 at each of 2 values")
}

// A precision target gives the same output on one worker or two: the
// runs are checked by batches, whatever the order they finish in.
func TestSimulatePrecisionSameOutput(t *testing.T) {
	args := []string{"-precision", "30%", "-batch", "10", "-runs", "300"}
	one := simulateQuarter(t, append(args, "-workers", "1")...)
	require.Equal(t, 0, one.code, one.stderr)
	two := simulateQuarter(t, append(args, "-workers", "2")...)
	require.Equal(t, 0, two.code, two.stderr)
	require.Equal(t, one.stdout, two.stdout)
	require.Contains(t, one.stdout, "runs (precision target ±30 % on the term's net P90: ±")
	require.Contains(t, one.stdout, "%, met)")
	require.Contains(t, one.stdout, "Precision: 95 % confidence intervals")

	// Antithetic pairs, to a precision (met or not): the same on one
	// worker or two.
	args = []string{"-precision", "30%", "-batch", "10", "-runs", "60", "-antithetic"}
	one = simulateQuarter(t, append(args, "-workers", "1")...)
	require.Equal(t, 0, one.code, one.stderr)
	two = simulateQuarter(t, append(args, "-workers", "2")...)
	require.Equal(t, one.stdout, two.stdout)
	require.Contains(t, one.stdout, "runs in antithetic pairs (precision target ±30 % on the term's net P90: ")
}

// -figures keeps each run's figures, so that two ranges of runs merge
// into the result of both.
func TestSimulateFiguresMerge(t *testing.T) {
	read := func(args ...string) *simulate.Result {
		t.Helper()
		res := simulated(t, simulateQuarter(t, append([]string{"-format", "json", "-figures", "-seed", "4"}, args...)...))
		require.NotEmpty(t, res.Figures)
		return res
	}
	whole := read("-runs", "6")
	requireMergesTo(t, whole, read("-runs", "2"), read("-runs", "4", "-first-run", "2"))

	r := simulateQuarter(t, "-runs", "4", "-first-run", "2", "-seed", "4")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "4 runs (2 to 5), seed 4")
}

// Usage errors exit with 2 before any work: the files named do not exist,
// and the error is the flags'.
func TestSimulateUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-first-run", "-1"}, "-first-run -1: want 0 or more"},
		{[]string{"-batch", "0"}, "-batch 0: want at least 1"},
		{[]string{"-precision", "2 percent"}, `invalid value "2 percent" for flag -precision: want a share such as 2% or 0.02, not "2 percent"`},
		{[]string{"-precision", "150%"}, "-precision 150%: want a share between 0 and 100 %"},
		{[]string{"-antithetic", "-runs", "3"}, "-antithetic draws pairs: -runs (3), -first-run (0) and -batch (100) must be even"},
		{[]string{"-price", "FORFAIT-APP", "-margin", "1", "-staff", "1,2", "-limit", "1"}, "ask one question at a time: -price, -staff or -compare/-amend"},
		{[]string{"-staff", "1", "-limit", "1", "-amend", "a=b"}, "ask one question at a time"},
		{[]string{"-price", "FORFAIT-APP"}, "-price needs -margin or -margin-rate, the margin wanted"},
		{[]string{"-margin", "1000"}, "-margin, -margin-rate, -price-range and -price-step go with -price"},
		{[]string{"-price", "FORFAIT-APP", "-margin", "1", "-precision", "2%"}, "-price evaluates every price on the same runs: give -runs, not -precision"},
		{[]string{"-price", "FORFAIT-APP", "-margin", "1", "-price-range", "10"}, `-price-range "10": want LOW:HIGH, amounts such as 10000:30000`},
		{[]string{"-price", "discount", "-margin", "1", "-price-range", "a:b"}, `-price-range "a:b": want LOW:HIGH, shares such as -10%:30%`},
		{[]string{"-margin", "lots", "-price", "X"}, `invalid value "lots" for flag -margin: want an amount such as 45000 or 12.50, not "lots"`},
		{[]string{"-staff", "1,2"}, "-staff needs -limit, the most the P90 of the net penalty may be"},
		{[]string{"-limit", "5"}, "-limit goes with -staff"},
		{[]string{"-staff", "1,x", "-limit", "5"}, `-staff "1,x": value "x": want factors such as 0.8,1,1.2`},
		{[]string{"-staff", "sl=85%,100%", "-limit", "5"}, `-staff "sl=85%,100%": value "100%": want a service level such as 85%`},
		{[]string{"-staff", "1", "-limit", "1", "-sweep", "agents=1"}, "-sweep and -staffing go with the risk table, not with a question"},
		{[]string{"-amend", "a=b", "-compare", "x.yaml"}, "-compare a file or -amend the contract, not both"},
		{[]string{"-amend", "deadline"}, `invalid value "deadline" for flag -amend: want PATH=VALUE (rules.INC-P1.deadline=6h), not "deadline"`},
		{[]string{"-amend", "a=b", "-o", "no/such/folder/a.json"}, "-o no/such/folder/a.json: the folder no/such/folder does not exist"},
	} {
		r := run1(t, append([]string{"simulate", "missing.yaml", "missing.yaml"}, tc.args...)...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, "pacte simulate: "+tc.want, tc.args)
		require.Contains(t, r.stderr, "Run 'pacte help simulate' for usage.", tc.args)
		require.NotContains(t, r.stderr, "missing.yaml", tc.args)
		require.Empty(t, r.stdout, tc.args)
	}
}

// A question the contract or the scenario cannot answer is a usage error
// too, found once they are read; a -compare file that cannot be read is
// an input error. Nothing is written.
func TestSimulateQuestionErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-price", "UO-TKT", "-margin", "1"}, "work unit UO-TKT is priced by bands: ask for a discount instead"},
		{[]string{"-price", "NOPE", "-margin", "1"}, "NOPE"},
		{[]string{"-amend", "rules.NOPE.deadline=6h"}, `amendment rules.NOPE.deadline = 6h: no item with id "NOPE"`},
		{[]string{"-compare", "missing.yaml"}, "missing.yaml: no such file"},
	} {
		out := filepath.Join(t.TempDir(), "answer.txt")
		r := simulateQuarter(t, append(tc.args, "-runs", "2", "-o", out)...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, tc.want, tc.args)
		require.Empty(t, r.stdout)
		_, err := os.Stat(out)
		require.True(t, os.IsNotExist(err), "nothing is written to -o")
	}
	r := run1(t, "simulate", acme, "cmd/pacte/testdata/month.yaml", "-runs", "2", "-staff", "sl=80%", "-limit", "1")
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "the scenario does not staff the desk by a target")
}
