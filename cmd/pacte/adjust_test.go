package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestEvalAdjustments: eval -adjustments applies the agreed adjustments,
// names the file among the inputs of the provenance and lists them there;
// verify makes the report again with them, and names the file when it has
// changed since; an adjustment of an unknown item is a warning; a broken
// file is exit status 2 with its errors placed.
func TestEvalAdjustments(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(root, "examples/data"), filepath.Join(dir, "data"))
	copyTree(t, filepath.Join(root, "examples/contracts"), filepath.Join(dir, "contracts"))
	args := []string{"eval", "contracts/acme.yaml", "-tickets", "data/incidents.csv", "-mapping", "data/servicenow.yaml",
		"-outages", "data/outages.csv", "-volumes", "data/volumes.json", "-asof", "2027-07-01T06:00", "-format", "json", "-progress", "off"}
	r := pacteIn(t, dir, append(args, "-adjustments", "data/adjustments.yaml", "-o", "report.json")...)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	validateWithReportSchema(t, data)
	var rep sla.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	p := rep.Provenance
	require.Equal(t, "adjustments", p.Inputs[len(p.Inputs)-1].Role)
	require.Equal(t, "data/adjustments.yaml", p.Inputs[len(p.Inputs)-1].Path)
	require.Len(t, p.Adjustments, 3)
	for _, a := range p.Adjustments {
		require.Equal(t, 1, a.Matched, a.Item)
	}
	require.Equal(t, []string{"work unit UO-TEL counts calls, which were not given: billed 0"}, rep.Warnings) // no calls given; every adjustment matched
	var p1 sla.RuleReport
	for _, rr := range rep.Periods[0].Rules {
		if rr.ID == "INC-P1" {
			p1 = rr
		}
	}
	require.Equal(t, 1, p1.Excluded["agreed: the client's site was closed; nobody could let the technician in"])

	r = pacteIn(t, dir, "verify", "report.json")
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "identical")

	// Without the exclusion, INC0010002 counts again.
	adj := filepath.Join(dir, "data/adjustments.yaml")
	text, err := os.ReadFile(adj)
	require.NoError(t, err)
	changed := strings.Replace(string(text), "item: INC0010002", "item: INC0019999", 1)
	require.NoError(t, os.WriteFile(adj, []byte(changed), 0o644))
	r = pacteIn(t, dir, "verify", "report.json")
	require.Equal(t, 1, r.code, r.stderr+r.stdout)
	require.Contains(t, r.stdout, "adjustments data/adjustments.yaml: changed")
	require.Contains(t, r.stdout, "INC-P1")

	r = pacteIn(t, dir, append(args, "-adjustments", "data/adjustments.yaml", "-format", "text")...)
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stdout, "adjustment of ticket INC0019999: no such ticket in the input")
	require.Contains(t, r.stdout, "Ajustements convenus", "the contract's locale is French")

	writeFile(t, filepath.Join(dir, "data"), "bad.yaml", "adjustments:\n  - {item: X, decision: drop, reason: r, agreed_by: a, date: 2027-01-01}\n")
	r = pacteIn(t, dir, append(args, "-adjustments", "data/bad.yaml")...)
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, `bad.yaml:2:25: unknown decision "drop"`)
}

// TestTimersAdjustments: pacte timers applies the adjustments too: an
// excluded ticket's timers are excluded, for the agreed reason.
func TestTimersAdjustments(t *testing.T) {
	dir := t.TempDir()
	adj := writeFile(t, dir, "adj.csv", "item,decision,reason,agreed_by,date\nINC0010002,exclude,site closed,COPIL,2027-05-06\n")
	stages := func(extra ...string) map[string]string {
		args := append([]string{"timers", filepath.Join(root, "examples/contracts/acme.yaml"), "-tickets", filepath.Join(root, "examples/data/incidents.csv"),
			"-mapping", filepath.Join(root, "examples/data/servicenow.yaml"), "-at", "2027-04-09T19:00", "-format", "json"}, extra...)
		r := pacteIn(t, dir, args...)
		require.Equal(t, 0, r.code, r.stderr)
		var out struct {
			Timers []struct{ Rule, Ticket, Stage, Excluded string }
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
		m := map[string]string{}
		for _, tm := range out.Timers {
			if tm.Ticket == "INC0010002" {
				m[tm.Rule] = tm.Stage + " " + tm.Excluded
			}
		}
		return m
	}
	require.Equal(t, "running ", stages()["INC-P1"])
	require.Equal(t, map[string]string{"INC-P1": "excluded agreed: site closed", "ACK": "excluded agreed: site closed"}, stages("-adjustments", adj))
}
