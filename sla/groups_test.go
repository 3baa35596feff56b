package sla_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// groupsContract is the golden quarter's contract with its rules in the
// order perm gives and its text edited by the replacements (old, new…).
func groupsContract(t testing.TB, perm []int, replace ...string) *contract.Contract {
	t.Helper()
	data, err := os.ReadFile(groupsQ1)
	require.NoError(t, err)
	text := strings.NewReplacer(replace...).Replace(string(data))
	head, rest, _ := strings.Cut(text, "rules:\n")
	body, tail, _ := strings.Cut(rest, "groups:\n")
	var rules []string
	for _, r := range strings.Split(body, "  - id: ")[1:] {
		rules = append(rules, "  - id: "+r)
	}
	var b strings.Builder
	b.WriteString(head + "rules:\n")
	for _, i := range perm {
		b.WriteString(rules[i])
	}
	b.WriteString("groups:\n" + tail)
	c, err := contract.Parse([]byte(b.String()), "groups.yaml")
	require.NoError(t, err)
	return c
}

// carriedBeforeCaps is what a row's trace says the rule carried before
// the caps: the amount after the last step before them.
func carriedBeforeCaps(r sla.RuleReport) decimal.Decimal {
	v := r.RawPenalty.Decimal
	for _, s := range r.Steps {
		switch s.Step {
		case contract.StepRuleCaps, contract.StepMonthCap, contract.StepYearCap, contract.StepBonus:
			return v
		}
		if s.Kind == sla.PenaltyAmount {
			v = s.After.Decimal
		}
	}
	return v
}

func randomMonths(r *rand.Rand, n int) []groupsMonth {
	out := make([]groupsMonth, n)
	for i := range out {
		out[i] = groupsMonth{5 + r.IntN(6), 5 + r.IntN(6), 14 + r.IntN(7)}
	}
	return out
}

// Properties of groups over random data: a group's penalty never exceeds
// its cap nor a period's penalties the month cap; the rows add up to the
// period; a group's penalised members are exactly those whose trace
// shows an amount above zero before the caps; and the order the rules
// are declared in changes no amount before the caps nor any period's
// total (after the caps, a cent a cap shares may go to another of two
// equal amounts).
func TestGroupsProperties(t *testing.T) {
	perms := [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}
	var contracts []*contract.Contract
	for _, p := range perms {
		contracts = append(contracts, groupsContract(t, p))
	}
	for seed := range uint64(25) {
		r := rand.New(rand.NewPCG(seed, 16))
		tickets := groupsTickets(randomMonths(r, 6))
		var reports []*sla.Report
		for _, c := range contracts {
			reports = append(reports, evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: time.Date(2027, time.July, 1, 0, 0, 0, 0, paris)}))
		}
		for _, p := range reports[0].Periods {
			sum := decimal.Zero
			carried := map[string]decimal.Decimal{}
			for _, row := range p.Rules {
				sum = sum.Add(row.Penalty.Decimal)
				carried[row.ID] = carriedBeforeCaps(row)
				if row.Group != nil {
					require.True(t, row.Penalty.LessThanOrEqual(decimal.NewFromInt(120)), "seed %d %s: group penalty %s above its cap", seed, p.Period, row.Penalty)
					var want []string
					for _, m := range row.Group.Members {
						if carried[m].IsPositive() {
							want = append(want, m)
						}
					}
					require.Equal(t, want, nilIfEmpty(row.Group.Penalised), "seed %d %s", seed, p.Period)
				}
			}
			require.True(t, sum.Equal(p.Penalties.Decimal), "seed %d %s: rows %s, period %s", seed, p.Period, sum, p.Penalties)
			require.True(t, p.Penalties.LessThanOrEqual(decimal.NewFromInt(600)), "seed %d %s: %s above the month cap", seed, p.Period, p.Penalties)
		}
		for k, rep := range reports[1:] {
			for i, p := range rep.Periods {
				p0 := reports[0].Periods[i]
				require.True(t, p0.Penalties.Equal(p.Penalties.Decimal) && p0.Bonuses.Equal(p.Bonuses.Decimal), "seed %d order %v %s", seed, perms[k+1], p.Period)
				for _, row := range p.Rules {
					j := slices.IndexFunc(p0.Rules, func(x sla.RuleReport) bool { return x.ID == row.ID })
					require.True(t, carriedBeforeCaps(p0.Rules[j]).Equal(carriedBeforeCaps(row)), "seed %d order %v %s %s", seed, perms[k+1], p.Period, row.ID)
					require.True(t, p0.Rules[j].Penalty.Sub(row.Penalty.Decimal).Abs().LessThanOrEqual(decimal.New(1, -2)))
				}
			}
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// The de minimis franchise is decided on the whole span, the group's
// amount included, after what each rule carried is known: in February
// QUAL-P2's 100.00 is not above 150.00 and is waived, but it carried a
// penalty, so QUALITY is penalised two months in a row in March.
func TestGroupsDeMinimisDecidedAfter(t *testing.T) {
	c := groupsContract(t, []int{0, 1, 2}, "penalties:\n", "penalties:\n  order: [observation, franchise, repeat, rounding, rule_caps, month_cap, year_cap, bonus]\n",
		"first_breach: {per: contract_year, except: [QUAL-P2, REPORTS]}", "first_breach: {per: contract_year, except: [QUAL-P2, REPORTS]}\n    de_minimis: {below: 150, per: month}")
	rep := evaluateGroupsQ1(t, c)
	feb := rep.Periods[1]
	requireMoney(t, "0", feb.Penalties, "February")
	require.Equal(t, []string{"QUAL-P2"}, feb.Rules[3].Group.Penalised)
	p2 := feb.Rules[1]
	require.Len(t, p2.Steps, 1, "the de minimis line takes the place of the rounding: %+v", p2.Steps)
	require.Contains(t, p2.Steps[0].Note, "not above the de minimis 150.00")
	requireMoney(t, "99.999", p2.Steps[0].Before, "the amount the de minimis looked at")
	requireMoney(t, "600", rep.Periods[2].Penalties, "March, unchanged")
	requireMoney(t, "48.98", rep.Periods[2].Rules[3].Penalty, "QUALITY in March, unchanged")
	requireMoney(t, "200", rep.Periods[0].Penalties, "January: 200.00 is above 150.00")
}

// result() of a period before the data reads as not measured, and a
// rule reading its own past does not wait for itself.
func TestResultBeforeTheData(t *testing.T) {
	c := contractOf2027(t, "T", `rules:
  - id: R
    source: tickets
    objective: share(satisfaction >= 4) >= 90%
    # 100, or 300 when the month before was measured and breached too
    penalty: 'result("R", -1).measured && result("R", -1).breached ? 300 : 100'
`)
	tickets := groupsTickets([]groupsMonth{{5, 5, 0}, {5, 5, 0}, {10, 10, 0}, {5, 5, 0}})
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(tickets), AsOf: time.Date(2027, time.May, 1, 0, 0, 0, 0, paris)})
	var got []string
	for _, p := range rep.Periods {
		got = append(got, p.Rules[0].Penalty.StringFixed(2))
	}
	require.Equal(t, []string{"100.00", "300.00", "0.00", "100.00"}, got)
}

// A group whose members' source was not given has no data, as they have;
// one whose members were given nothing to count is not applicable.
func TestGroupOfMembersWithoutData(t *testing.T) {
	c := contractOf2027(t, "T", `rules:
  - {id: A, source: tickets, objective: share(level == 1) >= 90%, penalty: 10}
  - {id: B, source: tickets, objective: share(level == 2) >= 90%, penalty: 20}
groups:
  - {id: G, members: [A, B], penalty: 50}
`)
	from := time.Date(2027, time.March, 1, 0, 0, 0, 0, paris)
	for _, c1 := range []struct {
		name string
		in   sla.Input
		want sla.Status
	}{
		{"not given", sla.Input{From: from, To: from.AddDate(0, 1, 0)}, sla.StatusNoData},
		{"given empty", sla.Input{From: from, To: from.AddDate(0, 1, 0), Tickets: slices.Values([]pacte.Ticket{})}, sla.StatusNotApplicable},
	} {
		rep := evaluate(t, c, c1.in)
		require.Len(t, rep.Periods, 1, c1.name)
		statuses := map[string]sla.Status{}
		for _, r := range rep.Periods[0].Rules {
			statuses[r.ID] = r.Status
			require.True(t, r.Penalty.IsZero(), "%s: %s", c1.name, r.ID)
		}
		require.Equal(t, map[string]sla.Status{"A": c1.want, "B": c1.want, "G": c1.want}, statuses, c1.name)
	}
}

// A rule reading another's achieved value and penalty, of a duration
// and of a share.
func TestResultFields(t *testing.T) {
	c := contractOf2027(t, "T", `rules:
  - {id: MTTR, source: tickets, objective: mean(resolved - opened) <= 2h, penalty: 10 * ceil((achieved - objective) / 1h)}
  - {id: SAT, source: tickets, objective: share(satisfaction >= 4) >= 90%, penalty: 70}
  - id: BOTH
    source: tickets
    objective: count(priority == "P9") <= 0
    bonus: 'result("MTTR").achieved_duration > 2h && result("SAT").achieved < 90% ? result("MTTR").penalty + result("SAT").penalty + result("SAT").missed : 0'
`)
	rep := evaluate(t, c, sla.Input{Tickets: slices.Values(groupsTickets([]groupsMonth{{5, 5, 0}})), AsOf: time.Date(2027, time.February, 1, 0, 0, 0, 0, paris)})
	// MTTR 3h: 10 × 1 = 10.00; SAT 10 of 20: 70.00, 10 missed: 90.00.
	requireMoney(t, "90", rep.Periods[0].Rules[2].Bonus, "BOTH's bonus")
}

// Groups and references evaluate the same whatever GOMAXPROCS and the
// order of the records, and a merged evaluation equals a whole one.
func TestGroupsMerge(t *testing.T) {
	c, err := contract.Load(groupsQ1)
	require.NoError(t, err)
	tickets := groupsQ1Tickets()
	in := func(ts []pacte.Ticket) sla.Input {
		return sla.Input{Tickets: slices.Values(ts), AsOf: time.Date(2027, time.April, 1, 0, 0, 0, 0, paris)}
	}
	whole := reportJSON(t, evaluate(t, c, in(tickets)))
	a, err := sla.Accumulate(context.Background(), c, in(tickets[:25]))
	require.NoError(t, err)
	b, err := sla.Accumulate(context.Background(), c, in(tickets[25:]))
	require.NoError(t, err)
	require.NoError(t, a.Merge(b))
	rep, err := a.Report(nil, nil)
	require.NoError(t, err)
	require.Equal(t, whole, reportJSON(t, rep))

	// The state as bytes holds all a group needs: its members' figures.
	data, err := a.MarshalBinary()
	require.NoError(t, err)
	resumed, err := sla.NewEvaluator(c, sla.AsOf(time.Date(2027, time.April, 1, 0, 0, 0, 0, paris)))
	require.NoError(t, err)
	require.NoError(t, resumed.UnmarshalBinary(data))
	rep, err = resumed.Report(nil, nil)
	require.NoError(t, err)
	require.Equal(t, whole, reportJSON(t, rep))
}

// A group's row: its members, those breached, those that carried a
// penalty, and the trace line that says so.
func Example_groups() {
	c, err := contract.Parse([]byte(`contract: Service desk
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
work_units:
  FORFAIT: {fixed: 10000}
rules:
  - {id: QUAL-P1, source: tickets, scope: priority == "P1", objective: share(satisfaction >= 4) >= 90%, penalty: 500}
  - {id: QUAL-P2, source: tickets, scope: priority == "P2", objective: share(satisfaction >= 4) >= 80%, penalty: 300}
groups:
  - id: QUALITY
    members: [QUAL-P1, QUAL-P2]
    penalty: {when: penalised_count == members, amount: 1% * invoice}
`), "desk.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	var tickets []pacte.Ticket
	for i, prio := range []string{"P1", "P1", "P2", "P2"} {
		opened := time.Date(2027, 3, 2+i, 9, 0, 0, 0, paris)
		tickets = append(tickets, pacte.Ticket{ID: fmt.Sprint(i), Priority: prio, Opened: opened, Resolved: opened.Add(time.Hour),
			Satisfaction: decimal.NewFromInt(int64(2 + 2*(i%2)))})
	}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{Tickets: slices.Values(tickets), AsOf: time.Date(2027, 4, 1, 0, 0, 0, 0, paris)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Periods[0].Rules {
		fmt.Println(r.ID, r.Status, r.Penalty.StringFixed(2))
		if r.Group != nil {
			fmt.Println("  penalised:", r.Group.Penalised)
			fmt.Println("  " + r.Steps[0].Note)
		}
	}
	// Output:
	// QUAL-P1 breached 500.00
	// QUAL-P2 breached 300.00
	// QUALITY breached 100.00
	//   penalised: [QUAL-P1 QUAL-P2]
	//   2 of 2 members measured; breached: QUAL-P1, QUAL-P2; carried a penalty (after observation, franchise, repeat and rounding, before the caps): QUAL-P1 (500.00), QUAL-P2 (300.00); penalised 1 period in a row
}
