package simulate

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deskCall is what a test compares of a simulated call.
type deskCall struct {
	id                       string
	offered, answered, ended int64 // unix nanoseconds; 0: none
	abandoned, firstContact  bool
}

func deskCallOf(c *pacte.Call) deskCall {
	ns := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return t.UnixNano()
	}
	return deskCall{c.ID, ns(c.Offered), ns(c.Answered), ns(c.Ended), c.Abandoned, c.FirstContact}
}

// deskCalls runs the desk of a run and returns its calls in ID order.
func deskCalls(sim *Simulation, seed uint64, run int, queueAll bool) []deskCall {
	var calls []deskCall
	sim.runDesk(sim.rand(seed, run, streamCalls), &deskState{queueAll: queueAll, yield: func(c *pacte.Call) bool {
		calls = append(calls, deskCallOf(c))
		return true
	}})
	slices.SortFunc(calls, func(a, b deskCall) int { return cmp.Compare(a.id, b.id) })
	return calls
}

// The desk settles most calls as they arrive, by the workload recursion;
// the callers it queues, and every caller when it queues them all, go
// event by event. Both give the same calls, with rotas that grow, shrink
// with agents busy, close with callers waiting, and queues that outlast a
// half hour.
func TestDeskSettlesCallsAsTheQueueWould(t *testing.T) {
	rota := map[string]int{"mon-fri 08:00-12:00": 20, "mon-fri 10:00-17:00": 12, "wed 12:00-12:30": 1, "sat 09:00-12:00": 3}
	variants := map[string]func(*Calls){
		"reference": func(*Calls) {},
		"rota":      func(k *Calls) { k.Staffing = Staffing{Rota: rota} },
		"overload": func(k *Calls) {
			k.PerMonth = 30000
			k.Staffing = Staffing{Rota: rota}
		},
		"no patience": func(k *Calls) {
			k.Patience = Dist{}
			k.Staffing = Staffing{Agents: 21}
		},
		"other distributions": func(k *Calls) {
			k.Handling = Lognormal(4*time.Minute, 9*time.Minute)
			k.Patience = Empirical(10*time.Second, time.Minute, 3*time.Minute, 10*time.Minute)
			k.Staffing = Staffing{Rota: rota}
		},
	}
	var waited, abandoned, closed int
	for name, change := range variants {
		sc, err := LoadScenario("../../examples/scenarios/acme.yaml")
		require.NoError(t, err)
		sc.Months = 2
		change(sc.Calls)
		sim, err := New(referenceContract(t), sc)
		require.NoError(t, err, name)
		for seed := range uint64(3) {
			settled := deskCalls(sim, seed, 0, false)
			require.Equal(t, deskCalls(sim, seed, 0, true), settled, "%s, seed %d", name, seed)
			for _, c := range settled {
				switch {
				case c.answered > c.offered:
					waited++
				case c.abandoned:
					abandoned++
				case c.answered == 0:
					closed++
				}
			}
		}
	}
	// What the comparison is worth: callers of every fate.
	assert.Positive(t, waited)
	assert.Positive(t, abandoned)
	assert.Positive(t, closed)
}
