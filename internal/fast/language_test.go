package fast

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// TestLanguageExpressions runs the item expressions of package dsl's tests
// (testdata/language.txt) both ways, on random records and on the tests'
// sample ticket: the closures give the values and the errors the VM
// gives, and still cover those they covered.
func TestLanguageExpressions(t *testing.T) {
	f, err := os.Open("testdata/language.txt")
	require.NoError(t, err)
	defer f.Close()
	g := recordGen{rand.New(rand.NewPCG(2027, 7))}
	const n = 20
	tickets := []*dsl.Ticket{sampleTicket()}
	var calls []*dsl.Call
	var outages []*dsl.Outage
	var samples []*dsl.Sample
	var statuses []*dsl.StatusChange
	for range n {
		tk := g.ticket()
		if tk.Resolved.IsZero() {
			// open_days_between(resolved, opened) would count the days
			// since year 1: TestDifferential covers zero instants.
			tk.Resolved = tk.Opened.Add(time.Duration(g.r.IntN(240)) * time.Hour)
		}
		tickets, calls, outages = append(tickets, tk), append(calls, g.call()), append(outages, g.outage())
		samples = append(samples, g.sample())
		statuses = append(statuses, g.status())
	}
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		parts := strings.Split(line, "\t")
		require.Len(t, parts, 3, line)
		src, err := strconv.Unquote(parts[1])
		require.NoError(t, err, line)
		c := diffCase{src: src, compiled: parts[2] == "true"}
		switch parts[0] {
		case "Ticket":
			runDifferential(t, []diffCase{c}, tickets)
		case "Call":
			runDifferential(t, []diffCase{c}, calls)
		case "Outage":
			runDifferential(t, []diffCase{c}, outages)
		case "Sample":
			runDifferential(t, []diffCase{c}, samples)
		case "Status":
			runDifferential(t, []diffCase{c}, statuses)
		default:
			t.Fatalf("unknown environment in %q", line)
		}
		lines++
	}
	require.Greater(t, lines, 400)
}

func (g recordGen) sample() *dsl.Sample {
	return &dsl.Sample{Sample: &pacte.Sample{ID: "S-" + strconv.Itoa(g.r.IntN(100)), Name: g.pick("csat", "workstations"),
		At: g.instant(), Value: dec(g.pick("4.5", "3", "812", "0.95")), Attrs: g.attrs()}}
}

func (g recordGen) status() *dsl.StatusChange {
	return &dsl.StatusChange{StatusChange: &pacte.StatusChange{At: g.instant().Add(time.Duration(g.r.IntN(60)) * time.Minute),
		Status: g.pick("in progress", "Waiting for client", "resolved", "pending")}}
}
