package adjust_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/adjust"
	"github.com/stretchr/testify/require"
)

const desk = `
contract: Desk
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00
  24x7: 24x7
rules:
  - id: P1
    source: tickets
    scope: priority == "P1"
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 4h
    objective: share(on_time) >= 90%
  - id: P2
    source: tickets
    scope: priority == "P2"
    clock: {start: opened, stop: resolved, calendar: HO}
    deadline: 8h
    objective: share(on_time) >= 90%
  - id: AVAIL
    source: outages
    scope: '!planned'
    availability: {calendar: 24x7}
    objective: availability >= 99%
`

var paris, _ = time.LoadLocation("Europe/Paris")

func deskInput() sla.Input {
	opened := time.Date(2027, 5, 3, 9, 0, 0, 0, paris)
	tickets := []pacte.Ticket{
		{ID: "INC-CLIENT", Kind: "incident", Priority: "P1", Opened: opened, Resolved: opened.Add(30 * time.Hour), Attrs: map[string]string{"site": "Lyon"}},
		{ID: "INC-P2", Kind: "incident", Priority: "P1", Opened: opened, Resolved: opened.Add(50 * time.Hour)},
		{ID: "INC-OK", Kind: "incident", Priority: "P1", Opened: opened, Resolved: opened.Add(time.Hour)},
	}
	outages := []pacte.Outage{{ID: "OUT-1", Service: "ERP", Start: opened, End: opened.Add(24 * time.Hour)}}
	return sla.Input{Tickets: slices.Values(tickets), Outages: slices.Values(outages), AsOf: time.Date(2027, 6, 1, 0, 0, 0, 0, paris)}
}

func ruleOf(t *testing.T, rep *sla.Report, id string) sla.RuleReport {
	t.Helper()
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if r.ID == id && p.Period == "2027-05" {
				return r
			}
		}
	}
	t.Fatalf("no %s in 2027-05", id)
	return sla.RuleReport{}
}

// An exclusion leaves the ticket out of its rule, counted excluded with
// the agreed reason; a reclassified ticket counts in the rule of its new
// priority, its missed line saying what was agreed; an outage reclassified
// planned leaves the availability; an adjustment of an item the input
// lacks is a warning; the provenance lists them all, with what each
// matched.
func TestApply(t *testing.T) {
	c, err := contract.Parse([]byte(desk), "desk.yaml")
	require.NoError(t, err)
	set, err := adjust.Parse([]byte(`adjustments:
  - {item: INC-CLIENT, decision: exclude, reason: power cut on the client's site, agreed_by: COPIL, date: 2027-06-04}
  - {item: INC-P2, decision: "reclassify priority=P2, attrs.site=Metz", reason: one user affected, agreed_by: COPIL, date: 2027-06-04}
  - {item: OUT-1, source: outages, decision: reclassify planned=true, reason: announced by mail, agreed_by: COPIL, date: 2027-06-04}
  - {item: INC-GHOST, decision: exclude, reason: typo, agreed_by: COPIL, date: 2027-06-04}
`), "june.yaml")
	require.NoError(t, err)

	before, err := sla.Evaluate(context.Background(), c, deskInput())
	require.NoError(t, err)
	require.Equal(t, 2, ruleOf(t, before, "P1").Missed)
	require.Equal(t, 1, ruleOf(t, before, "AVAIL").Eligible)

	in, applied := set.Apply(deskInput())
	rep, err := sla.Evaluate(context.Background(), c, in)
	require.NoError(t, err)
	rep.Provenance = &sla.Provenance{}
	applied.Annotate(rep)

	p1 := ruleOf(t, rep, "P1")
	require.Equal(t, 1, p1.Eligible)
	require.Equal(t, 0, p1.Missed)
	require.Equal(t, map[string]int{"agreed: power cut on the client's site": 1}, p1.Excluded)
	p2 := ruleOf(t, rep, "P2")
	require.Equal(t, 1, p2.Missed)
	require.Equal(t, "INC-P2", p2.MissedItems[0].ID)
	require.Equal(t, "reclassify priority=P2, attrs.site=Metz: one user affected (agreed by COPIL, 2027-06-04)", p2.MissedItems[0].Adjustment)
	require.Equal(t, 0, ruleOf(t, rep, "AVAIL").Eligible, "planned now")
	require.Equal(t, 1, rep.Records["tickets"].Excluded)

	require.Equal(t, []string{"june.yaml:5: adjustment of ticket INC-GHOST: no such ticket in the input, nothing adjusted"}, rep.Warnings)
	require.Equal(t, []sla.Adjustment{
		{Item: "INC-CLIENT", Source: "tickets", Decision: "exclude", Reason: "power cut on the client's site", AgreedBy: "COPIL", Date: "2027-06-04", Matched: 1},
		{Item: "INC-P2", Source: "tickets", Decision: "reclassify priority=P2, attrs.site=Metz", Reason: "one user affected", AgreedBy: "COPIL", Date: "2027-06-04", Matched: 1},
		{Item: "OUT-1", Source: "outages", Decision: "reclassify planned=true", Reason: "announced by mail", AgreedBy: "COPIL", Date: "2027-06-04", Matched: 1},
		{Item: "INC-GHOST", Source: "tickets", Decision: "exclude", Reason: "typo", AgreedBy: "COPIL", Date: "2027-06-04", Matched: 0},
	}, rep.Provenance.Adjustments)

	// The input's records are not changed: each adjusted one is a copy.
	for tk := range deskInput().Tickets {
		require.NotContains(t, tk.Attrs, pacte.AttrAdjustment)
	}

	// The live timers see the exclusion too.
	l, err := sla.NewLive(c)
	require.NoError(t, err)
	in, _ = set.Apply(sla.Input{Tickets: slices.Values([]pacte.Ticket{{ID: "INC-CLIENT", Priority: "P1", Opened: time.Date(2027, 5, 3, 9, 0, 0, 0, paris)}})})
	for tk := range in.Tickets {
		require.NoError(t, l.Update(tk))
	}
	tm, err := l.Timers("INC-CLIENT", time.Date(2027, 5, 3, 10, 0, 0, 0, paris))
	require.NoError(t, err)
	require.Equal(t, sla.StageExcluded, tm[0].Stage)
	require.Equal(t, "agreed: power cut on the client's site", tm[0].Excluded)
}

// Apply changes an evaluation's input as it streams; Annotate names in
// the report what matched nothing.
func ExampleSet_Apply() {
	c, err := contract.Parse([]byte(desk), "desk.yaml")
	if err != nil {
		log.Fatal(err)
	}
	set, err := adjust.Parse([]byte("item,decision,reason,agreed_by,date\n"+
		"INC-P2,reclassify priority=P2,one user affected,COPIL,2027-06-04\n"), "june.csv")
	if err != nil {
		log.Fatal(err)
	}
	in, applied := set.Apply(deskInput())
	rep, err := sla.Evaluate(context.Background(), c, in)
	if err != nil {
		log.Fatal(err)
	}
	applied.Annotate(rep)
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			for _, m := range r.MissedItems {
				fmt.Println(strings.TrimSpace(fmt.Sprintln(p.Period, r.ID, "missed", m.ID, m.Adjustment)))
			}
		}
	}
	// Output:
	// 2027-05 P1 missed INC-CLIENT
	// 2027-05 P2 missed INC-P2 reclassify priority=P2: one user affected (agreed by COPIL, 2027-06-04)
	// 2027-05 AVAIL missed OUT-1
}
