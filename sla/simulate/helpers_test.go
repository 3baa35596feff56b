package simulate

import (
	"os"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/stretchr/testify/require"
)

const referenceContractFile = "../../examples/contracts/acme.yaml"

func referenceContract(tb testing.TB) *contract.Contract {
	tb.Helper()
	c, err := contract.Load(referenceContractFile)
	require.NoError(tb, err)
	return c
}

func parse(tb testing.TB, yaml string) *Scenario {
	tb.Helper()
	s, err := ParseScenario([]byte(yaml), "test.yaml")
	require.NoError(tb, err)
	return s
}

// tinyACME is the reference scenario's shape at a tenth of its volume
// over three months: every rule of the reference contract has items, and
// a run takes milliseconds.
const tinyACME = `
scenario: tiny ACME
start: 2027-03-01
months: 3
arrivals:
  weekdays: {mon: 1.2, tue: 1.1, wed: 1, thu: 1, fri: 0.9, sat: 0.1, sun: 0.05}
  hours: [0.05, 0.03, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1, 1.2, 1.15, 1, 0.6, 0.7, 1.1, 1.1, 1, 0.8, 0.4, 0.2, 0.12, 0.08, 0.06, 0.05]
  holidays: FR
tickets:
  - {kind: incident, priority: P1, per_month: 6, calendar: HE, acknowledge: {median: 5m, p90: 20m},
     restore: {median: 2h, p90: 5h}, problems: {probability: 100%, root_cause: {median: 40h, p90: 90h}, calendar: HO},
     levels: [0%, 100%]}
  - {kind: incident, priority: P2, per_month: 20, calendar: HO, acknowledge_calendar: HE,
     acknowledge: {median: 8m, p90: 25m}, restore: {median: 3h, p90: 8h}, pauses: {probability: 10%, length: {median: 2h, p90: 8h}},
     reopen: {rate: 5%}, excluded: {client: 5%}, levels: [50%, 50%]}
  - {kind: incident, priority: P3, per_month: 60, calendar: HO, restore: {median: 9h, p90: 25h}, levels: [70%, 30%]}
  - {kind: request, category: standard, per_month: 80, calendar: HO, restore: {median: 14h, p90: 40h}, levels: [90%]}
calls:
  per_month: 900
  arrivals:
    weekdays: {mon: 1, tue: 1, wed: 1, thu: 1, fri: 1}
    hours: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    holidays: FR
  handling: {mean: 5m}
  patience: {mean: 90s}
  first_contact: 70%
  staffing: {agents: 2}
outages:
  - {service: ERP, per_month: 1, duration: {median: 1h, p90: 4h}, planned: 30%, notice: {median: 100h, p90: 300h}, planned_in: HNO}
  - {service: e-mail, per_month: 1, duration: {median: 30m, p90: 2h}}
surveys: {per_ticket: 30%, scores: {"5": 40%, "4": 40%, "3": 10%, "2": 5%, "1": 5%}}
reported: {UO-POSTE: 240, UO-SRV: 18}
costs: {agent_hour: 30, monthly: 9000}
`

func tinySimulation(tb testing.TB) *Simulation {
	tb.Helper()
	sim, err := New(referenceContract(tb), parse(tb, tinyACME))
	require.NoError(tb, err)
	return sim
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return b
}
