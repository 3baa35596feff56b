package slatest_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

const (
	acmeContract = "../../examples/contracts/acme.yaml"
	acmeTests    = "../../examples/contracts/acme_test.yaml"
)

// The clause tests of the reference contract pass.
func TestAcmeClauses(t *testing.T) {
	slatest.RunFile(t, acmeTests)
}

// edit changes one value of the contract file: in the scalar at path,
// every occurrence of old becomes new; with old empty, the node at path
// is replaced by the YAML text new, or deleted when new is empty too.
// A path walks mappings by key and lists by index, or by the id of their
// items ("rules/INC-P1/deadline").
type edit struct{ path, old, new string }

// mutation is a change of one clause or pipeline parameter.
type mutation struct {
	name  string
	edits []edit
}

func change(path, old, new string) []edit { return []edit{{path, old, new}} }

// tierTop moves the upper bound of a rule's penalty tier, which the file
// writes twice: in the tier's range, and in the objective (for the first
// tier) or the range of the tier above.
func tierTop(rule string, tier int, old, new string) []edit {
	tiers := "rules/" + rule + "/penalty/tiers/"
	above := "rules/" + rule + "/objective"
	if tier > 0 {
		above = tiers + strconv.Itoa(tier-1) + "/range"
	}
	return []edit{{above, old, new}, {tiers + strconv.Itoa(tier) + "/range", old, new}}
}

// mutations change each rule's deadline (or the time that plays its part),
// objective threshold and penalty amount or tier bound, and each parameter
// of the penalty pipeline, one at a time, in both directions where the
// parameter has two.
var mutations = []mutation{
	{"TEL-ANSWER short abandon 5s", change("rules/TEL-ANSWER/short_abandon", "10s", "5s")},
	{"TEL-ANSWER short abandon 15s", change("rules/TEL-ANSWER/short_abandon", "10s", "15s")},
	{"TEL-ANSWER objective 91%", change("rules/TEL-ANSWER/objective", "90%", "91%")},
	{"TEL-ANSWER objective 89%", change("rules/TEL-ANSWER/objective", "90%", "89%")},
	{"TEL-ANSWER per point 2%", change("rules/TEL-ANSWER/penalty/per_point", "1%", "2%")},
	{"TEL-ANSWER cap 6%", change("rules/TEL-ANSWER/cap", "5%", "6%")},
	{"TEL-ANSWER cap 4%", change("rules/TEL-ANSWER/cap", "5%", "4%")},

	{"TEL-SL within 50s", change("rules/TEL-SL/objective", "60s", "50s")},
	{"TEL-SL within 70s", change("rules/TEL-SL/objective", "60s", "70s")},
	{"TEL-SL objective 85%", change("rules/TEL-SL/objective", "80%", "85%")},
	{"TEL-SL objective 75%", change("rules/TEL-SL/objective", "80%", "75%")},
	{"TEL-SL penalty 600", change("rules/TEL-SL/penalty", "500.00", "600.00")},

	{"TEL-ABANDON short abandon 5s", change("rules/TEL-ABANDON/short_abandon", "10s", "5s")},
	{"TEL-ABANDON short abandon 15s", change("rules/TEL-ABANDON/short_abandon", "10s", "15s")},
	{"TEL-ABANDON objective 7%", change("rules/TEL-ABANDON/objective", "8%", "7%")},
	{"TEL-ABANDON objective 9%", change("rules/TEL-ABANDON/objective", "8%", "9%")},
	{"TEL-ABANDON penalty 350", change("rules/TEL-ABANDON/penalty", "300.00", "350.00")},

	{"FCR objective 70%", change("rules/FCR/objective", "65%", "70%")},
	{"FCR objective 60%", change("rules/FCR/objective", "65%", "60%")},
	{"FCR bonus from 80%", change("rules/FCR/bonus/when", "75%", "80%")},
	{"FCR bonus from 70%", change("rules/FCR/bonus/when", "75%", "70%")},
	{"FCR bonus 2%", change("rules/FCR/bonus/amount", "1%", "2%")},

	{"INC-P1 deadline 3h50min", change("rules/INC-P1/deadline", "4h", "3h50min")},
	{"INC-P1 deadline 4h10min", change("rules/INC-P1/deadline", "4h", "4h10min")},
	{"INC-P1 objective 96%", change("rules/INC-P1/objective", "95%", "96%")},
	{"INC-P1 objective 90%", change("rules/INC-P1/objective", "95%", "90%")},
	{"INC-P1 small volume below 21", change("rules/INC-P1/small_volume/below", "20", "21")},
	{"INC-P1 small volume below 19", change("rules/INC-P1/small_volume/below", "20", "19")},
	{"INC-P1 small volume missed <= 0", change("rules/INC-P1/small_volume/objective", "1", "0")},
	{"INC-P1 small volume missed <= 2", change("rules/INC-P1/small_volume/objective", "1", "2")},
	{"INC-P1 penalty 4%", change("rules/INC-P1/penalty/0/amount", "3%", "4%")},
	{"INC-P1 per item 160", change("rules/INC-P1/penalty/1/per_item", "150", "160")},
	{"INC-P1 per item beyond 9h", change("rules/INC-P1/penalty/1/per_item", "8h", "9h")},
	{"INC-P1 per item beyond 7h", change("rules/INC-P1/penalty/1/per_item", "8h", "7h")},

	{"INC-P2 deadline 7h50min", change("rules/INC-P2/deadline", "8h", "7h50min")},
	{"INC-P2 deadline 8h10min", change("rules/INC-P2/deadline", "8h", "8h10min")},
	{"INC-P2 objective 91%", tierTop("INC-P2", 0, "90%", "91%")},
	{"INC-P2 objective 88%", tierTop("INC-P2", 0, "90%", "88%")},
	{"INC-P2 tier bound 86%", tierTop("INC-P2", 1, "85%", "86%")},
	{"INC-P2 tier bound 81%", tierTop("INC-P2", 2, "80%", "81%")},
	{"INC-P2 first tier 1.5%", change("rules/INC-P2/penalty/tiers/0/amount", "1%", "1.5%")},
	{"INC-P2 second tier 2.5%", change("rules/INC-P2/penalty/tiers/1/amount", "2%", "2.5%")},
	{"INC-P2 third tier 5%", change("rules/INC-P2/penalty/tiers/2/amount", "4%", "5%")},

	{"INC-P3 deadline 2 open days", change("rules/INC-P3/deadline", "(3)", "(2)")},
	{"INC-P3 deadline 4 open days", change("rules/INC-P3/deadline", "(3)", "(4)")},
	{"INC-P3 objective 91%", change("rules/INC-P3/objective", "90%", "91%")},
	{"INC-P3 objective 85%", change("rules/INC-P3/objective", "90%", "85%")},
	{"INC-P3 penalty 1100", change("rules/INC-P3/penalty", "1000.00", "1100.00")},

	{"ACK deadline 25min", change("rules/ACK/deadline", "30min", "25min")},
	{"ACK deadline 35min", change("rules/ACK/deadline", "30min", "35min")},
	{"ACK objective 99%", change("rules/ACK/objective", "98%", "99%")},
	{"ACK objective 95%", change("rules/ACK/objective", "98%", "95%")},
	{"ACK penalty 500", change("rules/ACK/penalty", "400.00", "500.00")},

	{"REQ deadline 44h", change("rules/REQ/deadline", "45h", "44h")},
	{"REQ deadline 46h", change("rules/REQ/deadline", "45h", "46h")},
	{"REQ objective 91%", change("rules/REQ/objective", "90%", "91%")},
	{"REQ objective 85%", change("rules/REQ/objective", "90%", "85%")},
	{"REQ per missed 25", change("rules/REQ/penalty/per_missed", "20.00", "25.00")},
	{"REQ cap 2100", change("rules/REQ/cap", "2000.00", "2100.00")},
	{"REQ cap 1900", change("rules/REQ/cap", "2000.00", "1900.00")},

	{"REOPEN within 9 days", change("rules/REOPEN/objective", "(10)", "(9)")},
	{"REOPEN within 11 days", change("rules/REOPEN/objective", "(10)", "(11)")},
	{"REOPEN objective 4%", change("rules/REOPEN/objective", "5%", "4%")},
	{"REOPEN objective 6%", change("rules/REOPEN/objective", "5%", "6%")},
	{"REOPEN per point 300", change("rules/REOPEN/penalty/per_point", "250.00", "300.00")},

	{"CSAT objective 4.1", change("rules/CSAT/objective", "4.0", "4.1")},
	{"CSAT objective 3.9", change("rules/CSAT/objective", "4.0", "3.9")},
	{"CSAT small volume below 31", change("rules/CSAT/small_volume/below", "30", "31")},
	{"CSAT small volume below 29", change("rules/CSAT/small_volume/below", "30", "29")},
	{"CSAT bonus from 4.6", change("rules/CSAT/bonus/when", "4.5", "4.6")},
	{"CSAT bonus from 4.4", change("rules/CSAT/bonus/when", "4.5", "4.4")},
	{"CSAT bonus 1100", change("rules/CSAT/bonus/amount", "1000.00", "1100.00")},
	{"CSAT malus below 3.6", change("rules/CSAT/penalty/when", "3.5", "3.6")},
	{"CSAT malus below 3.4", change("rules/CSAT/penalty/when", "3.5", "3.4")},
	{"CSAT malus 1100", change("rules/CSAT/penalty/amount", "1000.00", "1100.00")},

	{"RCA deadline 9 open days", change("rules/RCA/deadline", "(10)", "(9)")},
	{"RCA deadline 11 open days", change("rules/RCA/deadline", "(10)", "(11)")},
	{"RCA objective 90%", change("rules/RCA/objective", "100%", "90%")},
	{"RCA per missed 600", change("rules/RCA/penalty/per_missed", "500.00", "600.00")},

	{"AVAIL-ERP minimum outage 1min", change("rules/AVAIL-ERP/availability/min_outage", "2min", "1min")},
	{"AVAIL-ERP minimum outage 3min", change("rules/AVAIL-ERP/availability/min_outage", "2min", "3min")},
	{"AVAIL-ERP notice 4 open days", change("rules/AVAIL-ERP/exclude/announced maintenance", "5", "4")},
	{"AVAIL-ERP notice 6 open days", change("rules/AVAIL-ERP/exclude/announced maintenance", "5", "6")},
	{"AVAIL-ERP objective 99.6%", tierTop("AVAIL-ERP", 0, "99.5%", "99.6%")},
	{"AVAIL-ERP objective 99.4%", tierTop("AVAIL-ERP", 0, "99.5%", "99.4%")},
	{"AVAIL-ERP tier bound 99.1%", tierTop("AVAIL-ERP", 1, "99.0%", "99.1%")},
	{"AVAIL-ERP tier bound 98.1%", tierTop("AVAIL-ERP", 2, "98.0%", "98.1%")},
	{"AVAIL-ERP first tier 6%", change("rules/AVAIL-ERP/penalty/tiers/0/amount", "5%", "6%")},
	{"AVAIL-ERP second tier 11%", change("rules/AVAIL-ERP/penalty/tiers/1/amount", "10%", "11%")},
	{"AVAIL-ERP third tier 21%", change("rules/AVAIL-ERP/penalty/tiers/2/amount", "20%", "21%")},

	{"AVAIL-MAIL minimum outage 1min", change("rules/AVAIL-MAIL/availability/min_outage", "2min", "1min")},
	{"AVAIL-MAIL minimum outage 3min", change("rules/AVAIL-MAIL/availability/min_outage", "2min", "3min")},
	{"AVAIL-MAIL notice 4 open days", change("rules/AVAIL-MAIL/exclude/announced maintenance", "5", "4")},
	{"AVAIL-MAIL notice 6 open days", change("rules/AVAIL-MAIL/exclude/announced maintenance", "5", "6")},
	{"AVAIL-MAIL objective 99.95%", change("rules/AVAIL-MAIL/objective", "99.9%", "99.95%")},
	{"AVAIL-MAIL objective 99.8%", change("rules/AVAIL-MAIL/objective", "99.9%", "99.8%")},
	{"AVAIL-MAIL penalty 3%", change("rules/AVAIL-MAIL/penalty", "2%", "3%")},

	{"pause when on hold", change("defaults/tickets/pause_when", "waiting for client", "on hold")},
	{"client exclusion misspelt", change("defaults/tickets/exclude/caused by the client", `"client"`, `"customer"`)},
	{"revision weights 0.20 and 0.80", []edit{{"revision/fixed", "0.15", "0.20"}, {"revision/indexed", "0.85", "0.80"}}},

	{"observation until February", change("penalties/observation/until", "2027-03-31", "2027-02-28")},
	{"observation until April", change("penalties/observation/until", "2027-03-31", "2027-04-30")},
	{"no franchise", change("penalties/franchise", "", "")},
	{"franchise per term", change("penalties/franchise/first_breach/per", "contract_year", "term")},
	{"franchise for INC-P1 too", change("penalties/franchise/first_breach/except", "", "[]")},
	{"repeat from 3 in a row", change("penalties/repeat/consecutive", "2", "3")},
	{"repeat factor 3", change("penalties/repeat/factor", "2", "3")},
	{"rounding to the unit", change("penalties/rounding/to", "0.01", "1")},
	{"rounding half even", change("penalties/rounding/mode", "half_up", "half_even")},
	{"rounding down", change("penalties/rounding/mode", "half_up", "down")},
	{"month cap 9%", change("penalties/caps/month", "10%", "9%")},
	{"month cap 11%", change("penalties/caps/month", "10%", "11%")},
	{"contract year cap 5%", change("penalties/caps/contract_year", "6%", "5%")},
	{"contract year cap 7%", change("penalties/caps/contract_year", "6%", "7%")},
	{"bonus cap 1%", change("penalties/bonus/cap", "2%", "1%")},
	{"bonus cap 3%", change("penalties/bonus/cap", "2%", "3%")},
	{"no netting", change("penalties/bonus/netting", "true", "false")},
}

// Every mutation of the contract makes at least one clause test fail:
// the test file pins every clause and every step of the pipeline.
func TestAcmeMutationsFail(t *testing.T) {
	original, err := os.ReadFile(acmeContract)
	require.NoError(t, err)
	tests, err := os.ReadFile(acmeTests)
	require.NoError(t, err)
	for i, m := range mutations {
		if raceEnabled && i%8 != 0 {
			continue // the race detector makes each mutation ten times slower, and finds nothing more here
		}
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			var doc yaml.Node
			require.NoError(t, yaml.Unmarshal(original, &doc))
			for _, e := range m.edits {
				apply(t, &doc, e)
			}
			text, err := yaml.Marshal(&doc)
			require.NoError(t, err)
			c, err := contract.Parse(text, "acme.yaml")
			require.NoError(t, err, "the mutated contract must load:\n%s", text)
			s, err := slatest.Parse(tests, acmeTests, slatest.WithContract(c))
			require.NoError(t, err)
			for _, tc := range s.Cases {
				r := tc.Run(context.Background())
				require.NoError(t, r.Err)
				if !r.Passed() {
					return
				}
			}
			t.Errorf("no case fails when the contract says %s", m.name)
		})
	}
}

// apply makes an edit on the YAML tree, failing the test when the path
// or the old text is not found: a mutation that changes nothing would
// prove nothing.
func apply(t *testing.T, doc *yaml.Node, e edit) {
	t.Helper()
	parent, key, n := (*yaml.Node)(nil), -1, doc.Content[0]
	for _, step := range strings.Split(e.path, "/") {
		parent, key, n = n, -1, nil
		switch parent.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(parent.Content); i += 2 {
				if parent.Content[i].Value == step {
					key, n = i+1, parent.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(step); err == nil && i < len(parent.Content) {
				key, n = i, parent.Content[i]
				break
			}
			for i, item := range parent.Content {
				for j := 0; j+1 < len(item.Content); j += 2 {
					if item.Content[j].Value == "id" && item.Content[j+1].Value == step {
						key, n = i, item
					}
				}
			}
		}
		require.NotNil(t, n, "%s: no %q", e.path, step)
	}
	switch {
	case e.old == "" && e.new == "":
		require.Equal(t, yaml.MappingNode, parent.Kind)
		parent.Content = slices.Delete(parent.Content, key-1, key+1)
	case e.old == "":
		var repl yaml.Node
		require.NoError(t, yaml.Unmarshal([]byte(e.new), &repl))
		*n = *repl.Content[0]
	default:
		if n.Kind == yaml.SequenceNode { // a flow list such as the pipeline's order
			var items []string
			for _, it := range n.Content {
				items = append(items, it.Value)
			}
			text := strings.Join(items, ", ") + ", "
			require.Contains(t, text, e.old, e.path)
			var repl yaml.Node
			require.NoError(t, yaml.Unmarshal([]byte("["+strings.TrimSuffix(strings.ReplaceAll(text, e.old, e.new), ", ")+"]"), &repl))
			*n = *repl.Content[0]
			return
		}
		require.Contains(t, n.Value, e.old, e.path)
		n.Value = strings.ReplaceAll(n.Value, e.old, e.new)
	}
}
