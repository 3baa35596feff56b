package sla_test

// The golden quarter of rule groups and references: the contract of
// testdata/groups-q1-2027 over January to March 2027, every figure
// computed by hand below, not copied from the program's output.
//
// # The contract
//
// FORFAIT is 10,000.00 a month: the invoice of every month, and the month
// cap 6 % of it is 600.00. QUAL-P1 and QUAL-P2 measure the satisfaction of
// P1 and P2 tickets (share scored 4 or more ≥ 90 %, ≥ 80 %); QUAL-P1 costs
// 500.00, QUAL-P2 33.333 per missed ticket. REPORTS (every ticket with
// attrs.report "yes" ≥ 90 %) costs 400.00 in a month the group QUALITY
// "carried a penalty" (result("QUALITY").penalised: a member carried
// one), 200.00 otherwise. QUALITY groups QUAL-P1 and QUAL-P2: 1 % of the
// invoice (100.00) when a member carried a penalty this month and the
// month before (penalised_in_a_row >= 2), its own repeat × 1.25 from the
// second month in a row with a member breached, a cap of 120.00; a bonus
// of 50.00 when both members were measured and none breached. The
// pipeline: the first breach of each contract year is waived but for
// QUAL-P2 and REPORTS; the pipeline's repeat × 1.5 from the second breach
// in a row; rounding to the cent; the month cap.
//
// A member "carried a penalty" when its amount after observation,
// franchise, repeat and rounding, before the caps, is above zero.
//
// # The data: 10 P1 and 10 P2 tickets resolved each month
//
//	month  P1 scored ≥ 4   P2 scored ≥ 4   reports "yes" (of 20)
//	Jan    9 (90 %)        9 (90 %)        17 (85 %)
//	Feb    8 (80 %)        7 (70 %)        18 (90 %)
//	Mar    7 (70 %)        6 (60 %)        16 (80 %)
//
// # January
//
//	QUAL-P1  90 % ≥ 90 %: met, 0.             QUAL-P2  90 % ≥ 80 %: met, 0.
//	QUALITY  both measured, none breached: not penalised (in a row 0),
//	         penalty 0; bonus 50.00.
//	REPORTS  85 % < 90 %: breached; QUALITY not penalised: 200.00.
//	Period   penalties 200.00 (within 600.00), bonuses 50.00, net 150.00.
//
// # February
//
//	QUAL-P1  80 %: breached, 500.00; its first breach of contract year 1:
//	         waived, 0.00. It carried no penalty.
//	QUAL-P2  70 % < 80 %: breached, 3 missed × 33.333 = 99.999; first
//	         breach in a row (January met): no repeat; rounded 100.00. It
//	         carried 100.00.
//	QUALITY  breached (both); penalised: QUAL-P2 only; in a row 1 (January
//	         none): the penalty's when is false, 0.00; no bonus (breached).
//	REPORTS  90 % ≥ 90 %: met, 0.00.
//	Period   penalties 100.00, bonuses 0, net 100.00.
//
// # March
//
//	QUAL-P1  70 %: breached, 500.00, second breach in a row: × 1.5 =
//	         750.00. Carried 750.00.
//	QUAL-P2  60 %: breached, 4 × 33.333 = 133.332, second in a row: × 1.5
//	         = 199.998, rounded 200.00. Carried 200.00.
//	QUALITY  penalised (both), in a row 2 (February, March): 1 % × 10,000
//	         = 100.00; a member breached two months in a row (consecutive
//	         2): its own repeat × 1.25 = 125.00; its cap 120.00.
//	REPORTS  80 %: breached; QUALITY penalised: 400.00.
//	Period   750 + 200 + 400 + 120 = 1,470.00 above the month cap 600.00:
//	         each cut in proportion, to the cent by largest remainder:
//	           QUAL-P1  750 × 600 / 1470 = 306.1224…  306.12 (remainder .24)
//	           QUAL-P2  200 × 600 / 1470 =  81.6326…   81.63 (.26)
//	           REPORTS  400 × 600 / 1470 = 163.2653…  163.26 (.53) + 0.01 = 163.27
//	           QUALITY  120 × 600 / 1470 =  48.9795…   48.97 (.95) + 0.01 =  48.98
//	         (599.98 rounded down; the two cents left go to the largest
//	         remainders, .95 then .53): 306.12 + 81.63 + 163.27 + 48.98 = 600.00.
//	         Penalties 600.00, net 600.00.
//
// # The quarter
//
//	penalties 200.00 + 100.00 + 600.00 = 900.00; bonuses 50.00; net 850.00.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

const groupsQ1 = "testdata/groups-q1-2027/contract.yaml"

// groupsMonth is a month of the data: of 10 P1 and 10 P2 tickets, how
// many are scored 4 or more, and of the twenty how many have a report.
type groupsMonth struct{ p1, p2, reports int }

// groupsQ1Tickets are the tickets of the table above.
func groupsQ1Tickets() []pacte.Ticket {
	return groupsTickets([]groupsMonth{{9, 9, 17}, {8, 7, 18}, {7, 6, 16}})
}

// groupsTickets are the tickets of months from January 2027: in each, 10
// P1 and 10 P2 resolved, the first n of each scored 4 and the others 2,
// and the first r of the twenty with a report.
func groupsTickets(months []groupsMonth) []pacte.Ticket {
	var out []pacte.Ticket
	for m, mo := range months {
		k := 0
		for _, pr := range []struct {
			prio string
			good int
		}{{"P1", mo.p1}, {"P2", mo.p2}} {
			for i := range 10 {
				opened := time.Date(2027, time.Month(m+1), 4+i, 9, 0, 0, 0, paris)
				t := pacte.Ticket{ID: fmt.Sprintf("%s-%02d-%02d", pr.prio, m+1, i), Kind: "incident", Priority: pr.prio,
					Opened: opened, Resolved: opened.Add(3 * time.Hour), Satisfaction: decimal.NewFromInt(2), Attrs: map[string]string{"report": "no"}}
				if i < pr.good {
					t.Satisfaction = decimal.NewFromInt(4)
				}
				if k < mo.reports {
					t.Attrs["report"] = "yes"
				}
				k++
				out = append(out, t)
			}
		}
	}
	return out
}

func evaluateGroupsQ1(t testing.TB, c *contract.Contract) *sla.Report {
	t.Helper()
	return evaluate(t, c, sla.Input{Tickets: slices.Values(groupsQ1Tickets()), AsOf: time.Date(2027, time.April, 1, 0, 0, 0, 0, paris)})
}

func TestGoldenGroupsQ1(t *testing.T) {
	c, err := contract.Load(groupsQ1)
	require.NoError(t, err)
	rep := evaluateGroupsQ1(t, c)
	require.Empty(t, rep.Errors)
	require.Len(t, rep.Periods, 3)

	type row struct {
		status              sla.Status
		raw, penalty, bonus string
	}
	want := []struct {
		period                  string
		rules                   map[string]row
		penalised, breached     []string
		penalties, bonuses, net string
	}{
		{"2027-01", map[string]row{
			"QUAL-P1": {sla.StatusMet, "0", "0", "0"}, "QUAL-P2": {sla.StatusMet, "0", "0", "0"},
			"REPORTS": {sla.StatusBreached, "200", "200", "0"}, "QUALITY": {sla.StatusMet, "0", "0", "50"},
		}, []string{}, []string{}, "200", "50", "150"},
		{"2027-02", map[string]row{
			"QUAL-P1": {sla.StatusBreached, "500", "0", "0"}, "QUAL-P2": {sla.StatusBreached, "99.999", "100", "0"},
			"REPORTS": {sla.StatusMet, "0", "0", "0"}, "QUALITY": {sla.StatusBreached, "0", "0", "0"},
		}, []string{"QUAL-P2"}, []string{"QUAL-P1", "QUAL-P2"}, "100", "0", "100"},
		{"2027-03", map[string]row{
			"QUAL-P1": {sla.StatusBreached, "500", "306.12", "0"}, "QUAL-P2": {sla.StatusBreached, "133.332", "81.63", "0"},
			"REPORTS": {sla.StatusBreached, "400", "163.27", "0"}, "QUALITY": {sla.StatusBreached, "100", "48.98", "0"},
		}, []string{"QUAL-P1", "QUAL-P2"}, []string{"QUAL-P1", "QUAL-P2"}, "600", "0", "600"},
	}
	for i, w := range want {
		p := rep.Periods[i]
		require.Equal(t, w.period, p.Period)
		var ids []string
		for _, r := range p.Rules {
			ids = append(ids, r.ID)
			x, ok := w.rules[r.ID]
			require.True(t, ok, r.ID)
			require.Equal(t, x.status, r.Status, "%s %s", w.period, r.ID)
			requireMoney(t, x.raw, r.RawPenalty, "%s %s raw penalty", w.period, r.ID)
			requireMoney(t, x.penalty, r.Penalty, "%s %s penalty", w.period, r.ID)
			requireMoney(t, x.bonus, r.Bonus, "%s %s bonus", w.period, r.ID)
		}
		// The rules in the contract's order, then the groups.
		require.Equal(t, []string{"QUAL-P1", "QUAL-P2", "REPORTS", "QUALITY"}, ids)
		g := p.Rules[3]
		require.NotNil(t, g.Group)
		require.Equal(t, []string{"QUAL-P1", "QUAL-P2"}, g.Group.Members)
		require.Equal(t, w.penalised, g.Group.Penalised, w.period)
		require.Equal(t, w.breached, g.Group.Breached, w.period)
		require.Equal(t, contract.StepGroup, g.Steps[0].Step)
		requireMoney(t, w.penalties, p.Penalties, "%s penalties", w.period)
		requireMoney(t, w.bonuses, p.Bonuses, "%s bonuses", w.period)
		requireMoney(t, w.net, p.Net, "%s net", w.period)
	}
	requireMoney(t, "900", rep.Totals.Penalties, "quarter penalties")
	requireMoney(t, "50", rep.Totals.Bonuses, "quarter bonuses")
	requireMoney(t, "850", rep.Totals.Net, "quarter net")

	// The trace says which members carried a penalty, and why QUAL-P1 did
	// not in February.
	feb := rep.Periods[1].Rules
	require.Equal(t, "2 of 2 members measured; breached: QUAL-P1, QUAL-P2; carried a penalty (after observation, franchise, repeat and rounding, before the caps): QUAL-P2 (100.00); penalised 1 period in a row",
		feb[3].Steps[0].Note)
	require.Equal(t, "first breach of contract year 1: waived", feb[0].Steps[0].Note)
	// March: the group's repeat, its cap, then the month cap.
	var steps []string
	for _, s := range rep.Periods[2].Rules[3].Steps {
		steps = append(steps, fmt.Sprintf("%s %s→%s", s.Step, s.Before.StringFixed(2), s.After.StringFixed(2)))
	}
	require.Equal(t, []string{"group 100.00→100.00", "repeat 100.00→125.00", "rule_caps 125.00→120.00", "month_cap 120.00→48.98"}, steps)
	require.True(t, strings.HasPrefix(rep.Periods[2].Rules[3].Steps[2].Note, "group cap 120"))
}

// TestGoldenGroupsQ1JSON compares the quarter's report with its JSON
// golden file (go test ./sla -run GroupsQ1JSON -update rewrites it); the
// hand-computed figures above are the authority, the file shows changes.
func TestGoldenGroupsQ1JSON(t *testing.T) {
	c, err := contract.Load(groupsQ1)
	require.NoError(t, err)
	got := reportJSON(t, evaluateGroupsQ1(t, c)) + "\n"
	golden.Check(t, "testdata/groups-q1-2027/report.golden.json", []byte(got), h1Update())
}

func requireMoney(t testing.TB, want string, got sla.Money, msg string, args ...any) {
	t.Helper()
	require.True(t, decimal.RequireFromString(want).Equal(got.Decimal), "%s: want %s, got %s", fmt.Sprintf(msg, args...), want, got.String())
}
