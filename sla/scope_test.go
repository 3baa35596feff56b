package sla_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// TestSameScopeOnAnotherCalendar: rules evaluate a scope once per record
// when they share its text, but is_open(opened) names no calendar and
// reads each rule's own: a ticket opened on a Saturday is in the scope of
// the rule on HE and out of the one on HO, in whichever order they come.
func TestSameScopeOnAnotherCalendar(t *testing.T) {
	for _, order := range [][2]string{{"HO", "HE"}, {"HE", "HO"}} {
		src := `
contract: scopes
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00
  HE: mon-sat 07:00-20:00
rules:
  - {id: ` + order[0] + `, source: tickets, scope: is_open(opened), clock: {start: opened, stop: resolved, calendar: ` + order[0] + `}, deadline: 8h, objective: share(on_time) >= 90%}
  - {id: ` + order[1] + `, source: tickets, scope: is_open(opened), clock: {start: opened, stop: resolved, calendar: ` + order[1] + `}, deadline: 8h, objective: share(on_time) >= 90%}
`
		c, err := contract.Parse([]byte(src), "scopes.yaml")
		if err != nil {
			t.Fatal(err)
		}
		sat := time.Date(2027, 3, 6, 10, 0, 0, 0, c.Location())
		tickets := []pacte.Ticket{{ID: "T1", Kind: "incident", Opened: sat, Resolved: sat.Add(time.Hour)}}
		rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets)})
		eligible := map[string]int{}
		for _, p := range rep.Periods {
			for _, r := range p.Rules {
				eligible[r.ID] += r.Eligible
			}
		}
		if eligible["HE"] != 1 || eligible["HO"] != 0 {
			t.Errorf("rules in the order %v: eligible %v, want HE 1 and HO 0", order, eligible)
		}
	}
}

// TestSameExclusionOnAnotherClock: an exclusion written the same in two
// rules is evaluated with each rule's clock and calendar, whatever their
// order (a memo shared between rules, as scopes have, must not change
// that). A ticket of Saturday 10:00, acknowledged at 10:30 and resolved
// at 13:00, has run 3 hours of HE time to its resolution and 30 minutes to
// its acknowledgement; Saturday is open on HE and closed on HO.
func TestSameExclusionOnAnotherClock(t *testing.T) {
	type rule struct{ id, cal, stop string }
	for _, tc := range []struct {
		when         string
		out, counted rule // the rule that excludes the ticket, the one that counts it
	}{
		{"elapsed > 2h", rule{"RESOLVE", "HE", "resolved"}, rule{"ACK", "HE", "acknowledged"}},
		{"is_open(opened)", rule{"HE", "HE", "resolved"}, rule{"HO", "HO", "resolved"}},
	} {
		for _, order := range [][2]rule{{tc.out, tc.counted}, {tc.counted, tc.out}} {
			src := `
contract: exclusions
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
calendars:
  HO: mon-fri 08:00-18:00
  HE: mon-sat 07:00-20:00
rules:`
			for _, r := range order {
				src += `
  - id: ` + r.id + `
    source: tickets
    clock: {start: opened, stop: ` + r.stop + `, calendar: ` + r.cal + `}
    deadline: 8h
    exclude: {excluded: '` + tc.when + `'}
    objective: share(on_time) >= 90%`
			}
			c, err := contract.Parse([]byte(src+"\n"), "exclusions.yaml")
			if err != nil {
				t.Fatal(err)
			}
			sat := time.Date(2027, 3, 6, 10, 0, 0, 0, c.Location())
			tickets := []pacte.Ticket{{ID: "T1", Kind: "incident", Opened: sat, Acknowledged: sat.Add(30 * time.Minute), Resolved: sat.Add(3 * time.Hour)}}
			rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets)})
			eligible, excluded := map[string]int{}, map[string]int{}
			for _, p := range rep.Periods {
				for _, r := range p.Rules {
					eligible[r.ID] += r.Eligible
					excluded[r.ID] += r.Excluded["excluded"]
				}
			}
			if eligible[tc.counted.id] != 1 || excluded[tc.out.id] != 1 {
				t.Errorf("%s, rules %s then %s: eligible %v, excluded %v; want %s excluded, %s eligible",
					tc.when, order[0].id, order[1].id, eligible, excluded, tc.out.id, tc.counted.id)
			}
		}
	}
}
