package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pacte-sla/pacte/sla/simulate"
	"github.com/stretchr/testify/require"
)

// -sweep with -precision sweeps on the runs the precision target chose
// for the risk table, every value on the same runs; it used to run each
// value to its own precision and report the budget (20000 runs per
// value).
func TestSimulateSweepWithPrecision(t *testing.T) {
	r := simulateQuarter(t, "-precision", "50%", "-batch", "10", "-sweep", "volume=1,1.2", "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var out struct {
		Result      *simulate.Result      `json:"result"`
		Sensitivity *simulate.Sensitivity `json:"sensitivity"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.True(t, out.Result.Precision.Met)
	require.Equal(t, out.Result.Runs, out.Sensitivity.Runs)
	require.Equal(t, out.Result.Term.Penalties, out.Sensitivity.Points[0].Penalties, "volume ×1 is the risk table's runs")
	require.Contains(t, r.stderr, fmt.Sprintf("pacte simulate: %d runs in ", 3*out.Result.Runs), "the risk table's runs, and as many at each value")
}

// Flags that cannot mean anything together are refused before any work,
// rather than accepted and ignored.
func TestSimulateReviewUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-staff", "1,2", "-limit", "1", "-precision", "2%"}, "-staff evaluates every staffing on the same runs: give -runs, not -precision"},
		// Out of memory, or a panic in makeslice.
		{[]string{"-runs", "1000000000000"}, "-runs 1000000000000: want 1 to 10000000"},
		{[]string{"-runs", "9223372036854775807"}, "-runs 9223372036854775807: want 1 to 10000000"},
		{[]string{"-first-run", "9223372036854775807"}, "-first-run 9223372036854775807: want 0 or more, and runs numbered within an int"},
		{[]string{"-seeds", "0-9223372036854775807"}, `-seeds "0-9223372036854775807": at most 10000000 runs`},
		// -seeds 10-19 -precision 50% drew runs 10 to 109.
		{[]string{"-seeds", "10-19", "-precision", "50%"}, "-seeds FROM-TO sets the runs: without -precision"},
		// Accepted, and changed nothing.
		{[]string{"-batch", "50"}, "-batch goes with -precision"},
		{[]string{"-precision", "0"}, "-precision 0%: want a share between 0 and 100 %"},
		{[]string{"-price", "FORFAIT-APP", "-margin", "1", "-price-step", "0"}, "-price-step 0: want a step above 0"},
		{[]string{"-figures"}, "-figures keeps the runs' figures in the JSON: with -format json"},
		{[]string{"-figures", "-format", "html"}, "-figures keeps the runs' figures in the JSON: with -format json"},
		{[]string{"-figures", "-format", "json", "-staff", "1", "-limit", "1"}, "-figures keeps the figures of a result: with the risk table or -compare/-amend, not -price or -staff"},
	} {
		r := run1(t, append([]string{"simulate", "missing.yaml", "missing.yaml"}, tc.args...)...)
		require.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		require.Contains(t, r.stderr, "pacte simulate: "+tc.want, tc.args)
		require.Empty(t, r.stdout, tc.args)
	}
}

// The engine's errors under an amended contract (a scope that fails on
// every ticket) are reported and fail the command, as the contract's own
// would: the variant's 811 errors used to be dropped, exit 0.
func TestSimulateVariantErrorsAreReported(t *testing.T) {
	r := simulateQuarter(t, "-runs", "2", "-amend", `rules.INC-P1.scope=kind == "incident" && int(service) > 0`)
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "rules failed on an item")
	require.Contains(t, r.stderr, "rule INC-P1 failed on INC-P1-1")
	require.Contains(t, r.stdout, "error: the contract with rules.INC-P1.scope = ")
}

// A what-if compares the runs' own percentiles, run by run: its heading
// said "percentiles corrected by 5 control variates" over a table whose
// percentiles are not (base P50 119.65 there, 118.59 corrected).
func TestSimulateWhatIfSaysItsPercentilesAreTheRuns(t *testing.T) {
	r := run1(t, "simulate", "sla/simulate/testdata/coverage-contract.yaml", "sla/simulate/testdata/coverage-scenario.yaml",
		"-progress", "off", "-runs", "200", "-amend", "rules.DELAY.penalty.per_item=20 * (elapsed / 1min)")
	require.Equal(t, 0, r.code, r.stderr)
	require.NotContains(t, r.stdout, "percentiles corrected")
	require.Contains(t, r.stdout, "200 runs, the differences' percentiles from the runs alone (not corrected by the 5 control variates)")
}
