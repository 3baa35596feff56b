package simulate

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// queueOf builds a half-hour queue with the given offered load in Erlangs.
func queueOf(load float64, aht, patience time.Duration) CallQueue {
	interval := 30 * time.Minute
	return CallQueue{
		Calls:    load * float64(interval) / float64(aht),
		Interval: interval,
		AHT:      aht,
		Patience: patience,
	}
}

// referenceErlangC is the textbook formula, summed in 256-bit floating
// point with factorials and powers: slow, but independent of the Erlang B
// recursion the package uses.
func referenceErlangC(load float64, agents int) float64 {
	const prec = 256
	a := new(big.Float).SetPrec(prec).SetFloat64(load)
	term := new(big.Float).SetPrec(prec).SetInt64(1) // A^k / k!
	below := new(big.Float).SetPrec(prec)            // Σ_{k<N} A^k / k!
	for k := 0; k < agents; k++ {
		below.Add(below, term)
		term.Mul(term, a)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k+1)))
	}
	n := new(big.Float).SetPrec(prec).SetInt64(int64(agents))
	spare := new(big.Float).SetPrec(prec).Sub(n, a)
	waiting := new(big.Float).SetPrec(prec).Mul(term, n)
	waiting.Quo(waiting, spare)
	total := new(big.Float).SetPrec(prec).Add(below, waiting)
	c, _ := waiting.Quo(waiting, total).Float64()
	return c
}

// The published check of ../shared/NOTES.md: A = 48 Erlangs, N = 55,
// T = 15 s, AHT 240 s → P(wait) ≈ 0.239, SL ≈ 84.6 %, ASA ≈ 8.2 s. The
// published figures are rounded, so the tolerance is half a unit of their
// last digit: ±0.0005 on the probabilities, ±0.05 s on the ASA.
func TestErlangCPublishedExample(t *testing.T) {
	q := CallQueue{Calls: 360, Interval: 30 * time.Minute, AHT: 240 * time.Second}
	load, err := q.Load()
	require.NoError(t, err)
	require.InDelta(t, 48, load, 1e-12)

	m, err := q.Metrics(55, 15*time.Second)
	require.NoError(t, err)
	require.True(t, m.Stable)
	require.InDelta(t, 0.239, m.WaitProbability, 0.0005)
	require.InDelta(t, 0.846, m.ServiceLevel, 0.0005)
	require.InDelta(t, 8.2, m.ASA.Seconds(), 0.05)
	require.InDelta(t, 48.0/55, m.Occupancy, 1e-12)
	require.Zero(t, m.AbandonProbability)

	c, err := ErlangC(48, 55)
	require.NoError(t, err)
	require.InDelta(t, referenceErlangC(48, 55), c, 1e-14)
	require.Equal(t, c, m.WaitProbability)
}

func TestErlangCAgainstReference(t *testing.T) {
	for _, tc := range []struct {
		load   float64
		agents int
	}{
		{0.5, 1}, {1, 2}, {10, 11}, {10, 14}, {48, 55}, {99.5, 100},
		{250, 260}, {900, 950}, {1950, 2000}, {4990, 5000}, {4999.9, 5000},
	} {
		t.Run(fmt.Sprintf("A=%g,N=%d", tc.load, tc.agents), func(t *testing.T) {
			want := referenceErlangC(tc.load, tc.agents)
			got, err := ErlangC(tc.load, tc.agents)
			require.NoError(t, err)
			require.InDelta(t, want, got, 1e-12*math.Max(1, want))
		})
	}
}

func TestErlangBKnownValues(t *testing.T) {
	for _, tc := range []struct {
		load   float64
		agents int
		want   float64
	}{
		{1, 0, 1},
		{1, 1, 0.5},
		{2, 3, (8.0 / 6) / (1 + 2 + 2 + 8.0/6)},
		{0, 5, 0},
		// Computed with exact rational arithmetic.
		{10, 10, 0.21458234310734733},
		{20, 30, 0.008457498340194705},
		{100, 100, 0.07570045271086097},
	} {
		got, err := ErlangB(tc.load, tc.agents)
		require.NoError(t, err)
		require.InDelta(t, tc.want, got, 1e-14, "A=%g N=%d", tc.load, tc.agents)
	}
}

// The recursion skips its first steps for large loads; it must agree with
// the recursion run from 0.
func TestBlockingOddsMatchesFullRecursion(t *testing.T) {
	full := func(load float64, agents int) float64 {
		odds := 0.0
		for n := 1; n <= agents; n++ {
			odds = float64(n) / load * (1 + odds)
		}
		return odds
	}
	for _, load := range []float64{300.5, 1000, 4321.7, 1e5} {
		for _, frac := range []float64{0.2, 0.9, 0.99, 1, 1.01, 1.05, 1.1} {
			agents := int(load * frac)
			want, got := full(load, agents), blockingOdds(load, agents)
			if math.IsInf(want, 1) {
				require.True(t, math.IsInf(got, 1))
				continue
			}
			require.InEpsilon(t, want, got, 1e-11, "A=%g N=%d", load, agents)
		}
	}
}

func TestErlangCSingleAgentIsMM1(t *testing.T) {
	aht := 300 * time.Second
	for _, rho := range []float64{0.1, 0.5, 0.9, 0.999} {
		m, err := queueOf(rho, aht, 0).Metrics(1, 60*time.Second)
		require.NoError(t, err)
		require.InDelta(t, rho, m.WaitProbability, 1e-12)
		require.InDelta(t, 1-rho*math.Exp(-(1-rho)*60.0/300), m.ServiceLevel, 1e-12)
		require.InDelta(t, rho/(1-rho)*300, m.ASA.Seconds(), 1e-6*math.Max(1, rho/(1-rho)))
	}
}

func TestErlangCUnstableQueue(t *testing.T) {
	for _, tc := range []struct {
		load   float64
		agents int
	}{{10, 10}, {10, 3}, {48, 0}, {5000, 4999}} {
		m, err := queueOf(tc.load, 4*time.Minute, 0).Metrics(tc.agents, 20*time.Second)
		require.NoError(t, err)
		require.False(t, m.Stable)
		require.Equal(t, 1.0, m.WaitProbability)
		require.Zero(t, m.ServiceLevel)
		require.Equal(t, Unbounded, m.ASA)
		require.Equal(t, 1.0, m.Occupancy)

		c, err := ErlangC(tc.load, tc.agents)
		require.NoError(t, err)
		require.Equal(t, 1.0, c)
	}
}

func TestNoCalls(t *testing.T) {
	for _, patience := range []time.Duration{0, time.Minute} {
		q := CallQueue{Interval: 30 * time.Minute, AHT: 4 * time.Minute, Patience: patience}
		for _, agents := range []int{0, 1, 7} {
			m, err := q.Metrics(agents, 20*time.Second)
			require.NoError(t, err)
			require.True(t, m.Stable)
			require.Zero(t, m.WaitProbability)
			require.Equal(t, 1.0, m.ServiceLevel)
			require.Zero(t, m.ASA)
			require.Zero(t, m.Occupancy)
		}
		m, err := q.Staff(StaffingTarget{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second})
		require.NoError(t, err)
		require.Zero(t, m.Agents)
	}
}

func TestQueueValidation(t *testing.T) {
	good := CallQueue{Calls: 100, Interval: 30 * time.Minute, AHT: 3 * time.Minute}
	for name, tc := range map[string]struct {
		q    CallQueue
		want error
	}{
		"negative calls":    {CallQueue{Calls: -1, Interval: time.Hour, AHT: time.Minute}, ErrInvalidQueue},
		"NaN calls":         {CallQueue{Calls: math.NaN(), Interval: time.Hour, AHT: time.Minute}, ErrInvalidQueue},
		"infinite calls":    {CallQueue{Calls: math.Inf(1), Interval: time.Hour, AHT: time.Minute}, ErrInvalidQueue},
		"zero interval":     {CallQueue{Calls: 1, AHT: time.Minute}, ErrInvalidQueue},
		"zero AHT":          {CallQueue{Calls: 1, Interval: time.Hour}, ErrInvalidQueue},
		"negative patience": {CallQueue{Calls: 1, Interval: time.Hour, AHT: time.Minute, Patience: -1}, ErrInvalidQueue},
		"load too large":    {CallQueue{Calls: 1e12, Interval: time.Hour, AHT: time.Minute}, ErrQueueTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tc.q.Load()
			require.ErrorIs(t, err, tc.want)
			_, err = tc.q.Metrics(10, time.Minute)
			require.ErrorIs(t, err, tc.want)
			_, err = tc.q.Staff(StaffingTarget{ServiceLevel: 0.8, AnswerWithin: time.Minute})
			require.ErrorIs(t, err, tc.want)
		})
	}
	_, err := good.Metrics(-1, time.Minute)
	require.ErrorIs(t, err, ErrInvalidQueue)
	_, err = good.Metrics(10, -time.Second)
	require.ErrorIs(t, err, ErrInvalidQueue)

	for _, load := range []float64{-1, math.NaN()} {
		_, err = ErlangB(load, 3)
		require.ErrorIs(t, err, ErrInvalidQueue)
		_, err = ErlangC(load, 3)
		require.ErrorIs(t, err, ErrInvalidQueue)
	}
	_, err = ErlangC(math.Inf(1), 3)
	require.ErrorIs(t, err, ErrQueueTooLarge)
	_, err = ErlangB(3, -1)
	require.ErrorIs(t, err, ErrInvalidQueue)
}

func TestTargetValidation(t *testing.T) {
	q := queueOf(10, 3*time.Minute, 0)
	for name, tc := range map[string]struct {
		target StaffingTarget
		want   error
	}{
		"no objective":         {StaffingTarget{AnswerWithin: time.Minute}, ErrInvalidTarget},
		"negative SL":          {StaffingTarget{ServiceLevel: -0.1}, ErrInvalidTarget},
		"SL above 1":           {StaffingTarget{ServiceLevel: 80}, ErrInvalidTarget},
		"NaN SL":               {StaffingTarget{ServiceLevel: math.NaN()}, ErrInvalidTarget},
		"SL of 100 %":          {StaffingTarget{ServiceLevel: 1, AnswerWithin: time.Minute}, ErrUnreachableTarget},
		"negative answer time": {StaffingTarget{ServiceLevel: 0.8, AnswerWithin: -time.Second}, ErrInvalidTarget},
		"negative ASA":         {StaffingTarget{MaxASA: -time.Second}, ErrInvalidTarget},
		"abandon above 1":      {StaffingTarget{MaxAbandon: 1.5}, ErrInvalidTarget},
		"occupancy NaN":        {StaffingTarget{MaxOccupancy: math.NaN()}, ErrInvalidTarget},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := q.Staff(tc.target)
			require.ErrorIs(t, err, tc.want)
			_, err = CallProfile{Slot: time.Hour, AHT: time.Minute, Calls: []float64{1}}.Staff(tc.target)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// More agents never make a queue worse, and nothing is NaN, including at
// thousands of agents with the load a hair below the staffing.
func TestErlangCMonotoneInAgents(t *testing.T) {
	aht := 4 * time.Minute
	for _, load := range []float64{0.3, 7.5, 48, 333.3, 2000} {
		q := queueOf(load, aht, 0)
		prev, err := q.Metrics(int(load)+1, 20*time.Second)
		require.NoError(t, err)
		for agents := int(load) + 2; agents < int(load)+200; agents++ {
			m, err := q.Metrics(agents, 20*time.Second)
			require.NoError(t, err)
			require.LessOrEqual(t, m.WaitProbability, prev.WaitProbability, "A=%g N=%d", load, agents)
			require.GreaterOrEqual(t, m.ServiceLevel, prev.ServiceLevel, "A=%g N=%d", load, agents)
			require.LessOrEqual(t, m.ASA, prev.ASA, "A=%g N=%d", load, agents)
			require.Less(t, m.Occupancy, prev.Occupancy, "A=%g N=%d", load, agents)
			prev = m
		}
	}
}

func TestErlangCLargeStaffingIsFinite(t *testing.T) {
	for agents := 1000; agents <= 5000; agents += 250 {
		for _, gap := range []float64{1e-9, 1e-3, 0.5, 1, 10, 100} {
			load := float64(agents) - gap
			m, err := queueOf(load, 5*time.Minute, 0).Metrics(agents, 30*time.Second)
			require.NoError(t, err)
			requireSane(t, m)
			require.True(t, m.Stable)
			require.Greater(t, m.WaitProbability, 0.0)
		}
	}
}

// requireSane checks the invariants every QueueMetrics must hold.
func requireSane(t testing.TB, m QueueMetrics) {
	t.Helper()
	for name, p := range map[string]float64{
		"wait": m.WaitProbability, "abandon": m.AbandonProbability,
		"service level": m.ServiceLevel, "occupancy": m.Occupancy,
	} {
		require.False(t, math.IsNaN(p), "%s is NaN in %+v", name, m)
		require.True(t, p >= 0 && p <= 1, "%s = %v out of [0, 1] in %+v", name, p, m)
	}
	require.False(t, math.IsNaN(m.Load))
	require.GreaterOrEqual(t, m.ASA, time.Duration(0))
	// Calls answered within T waited less than T or not at all.
	require.LessOrEqual(t, m.ServiceLevel, 1-m.AbandonProbability+1e-12, "%+v", m)
}

func TestStaffErlangCIsMinimal(t *testing.T) {
	aht := 3 * time.Minute
	targets := []StaffingTarget{
		{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second},
		{ServiceLevel: 0.9, AnswerWithin: 15 * time.Second},
		{ServiceLevel: 0.8, AnswerWithin: 60 * time.Second, MaxASA: 5 * time.Second},
		{ServiceLevel: 0.5, AnswerWithin: 0},
		{MaxASA: 30 * time.Second},
		{MaxOccupancy: 0.85},
		{MaxOccupancy: 0.01}, // a hundred times the load, far past where B(N) underflows
		{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second, MaxOccupancy: 0.6},
	}
	for _, load := range []float64{0.2, 3, 10, 48, 250, 1200} {
		q := queueOf(load, aht, 0)
		for _, target := range targets {
			m, err := q.Staff(target)
			require.NoError(t, err)
			require.True(t, target.metBy(m), "A=%g %+v: %+v", load, target, m)
			again, err := q.Metrics(m.Agents, target.AnswerWithin)
			require.NoError(t, err)
			require.InDelta(t, again.ServiceLevel, m.ServiceLevel, 1e-12)
			fewer, err := q.Metrics(m.Agents-1, target.AnswerWithin)
			require.NoError(t, err)
			require.False(t, target.metBy(fewer), "A=%g %+v: %d agents suffice", load, target, m.Agents-1)
		}
	}
}

func TestStaffUnreachable(t *testing.T) {
	for _, patience := range []time.Duration{0, time.Minute} {
		_, err := queueOf(48, 4*time.Minute, patience).Staff(StaffingTarget{MaxOccupancy: 1e-300})
		require.ErrorIs(t, err, ErrUnreachableTarget)
		_, err = queueOf(48, 4*time.Minute, patience).Staff(StaffingTarget{ServiceLevel: 1, AnswerWithin: time.Hour})
		require.ErrorIs(t, err, ErrUnreachableTarget)
	}
}

// Desks of millions of Erlangs behave like fluids. Erlang C staffs within
// a few agents of the load: completions are so frequent that waits are
// short even when nearly every call waits. With callers as patient as the
// AHT, Erlang A staffs 80 % of the load: the excess abandons, every other
// caller waits the same ln(load/agents)·patience ≈ 13 s < 20 s, and so
// the service level is agents/load. Its search must step over the
// understaffed levels whose queues are too large to sum.
func TestStaffHugeLoad(t *testing.T) {
	target := StaffingTarget{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second}
	for patience, want := range map[time.Duration]float64{0: MaxLoad, time.Minute: 0.8 * MaxLoad} {
		q := queueOf(MaxLoad, time.Minute, patience)
		m, err := q.Staff(target)
		require.NoError(t, err)
		requireSane(t, m)
		require.True(t, target.metBy(m))
		require.InDelta(t, want, m.Agents, 100)
		fewer, err := q.Metrics(m.Agents-1, target.AnswerWithin)
		require.NoError(t, err)
		require.False(t, target.metBy(fewer))
	}
}

func TestStaffPublishedExample(t *testing.T) {
	q := CallQueue{Calls: 360, Interval: 30 * time.Minute, AHT: 240 * time.Second}
	m, err := q.Staff(StaffingTarget{ServiceLevel: 0.80, AnswerWithin: 15 * time.Second})
	require.NoError(t, err)
	// 55 agents give 84.6 %; 54 give 79.3 % (exact arithmetic: 0.79291).
	require.Equal(t, 55, m.Agents)
	require.InDelta(t, 0.8458830921705803, m.ServiceLevel, 1e-12)
	fewer, err := q.Metrics(54, 15*time.Second)
	require.NoError(t, err)
	require.InDelta(t, 0.792914311143661, fewer.ServiceLevel, 1e-12)
}

func TestCallProfileStaff(t *testing.T) {
	target := StaffingTarget{ServiceLevel: 0.8, AnswerWithin: time.Minute}
	for _, patience := range []time.Duration{0, 90 * time.Second} {
		p := CallProfile{
			Slot:     30 * time.Minute,
			Calls:    []float64{0, 3, 40, 120.5, 360, 75},
			AHT:      4 * time.Minute,
			Patience: patience,
		}
		staffed, err := p.Staff(target)
		require.NoError(t, err)
		require.Len(t, staffed, len(p.Calls))
		for i, calls := range p.Calls {
			q := CallQueue{Calls: calls, Interval: p.Slot, AHT: p.AHT, Patience: p.Patience}
			want, err := q.Staff(target)
			require.NoError(t, err)
			require.Equal(t, want, staffed[i], "slot %d", i)
		}
		require.Zero(t, staffed[0].Agents)
	}

	_, err := CallProfile{Slot: 30 * time.Minute, AHT: time.Minute, Calls: []float64{10, -1}}.Staff(target)
	require.ErrorIs(t, err, ErrInvalidQueue)
	require.ErrorContains(t, err, "slot 1")

	_, err = CallProfile{AHT: time.Minute}.Staff(target)
	require.ErrorIs(t, err, ErrInvalidQueue)

	staffed, err := CallProfile{Slot: time.Hour, AHT: time.Minute}.Staff(target)
	require.NoError(t, err)
	require.Empty(t, staffed)
}

// bruteForceErlangA solves M/M/N+M without the package's series: the
// stationary distribution of the truncated birth–death chain, and for a
// caller arriving behind j others, the probability of being answered, the
// probability of being answered within T (uniformisation of the caller's
// own absorbing chain) and the expected wait when answered (first-step
// recursion). Times are in AHTs.
func bruteForceErlangA(load float64, agents int, within, patience float64) (wait, abandon, serviceLevel, asa float64) {
	theta, n := 1/patience, float64(agents)
	weight := []float64{1} // unnormalised π, truncated where negligible
	total := 1.0
	for k := 1; k <= agents || weight[k-1] > 1e-22*total; k++ {
		death := math.Min(float64(k), n) + math.Max(0, float64(k-agents))*theta
		weight = append(weight, weight[k-1]*load/death)
		total += weight[k]
	}
	var answered, answeredWait float64
	for k, w := range weight {
		pi := w / total
		if k < agents {
			serviceLevel += pi
			answered += pi
			continue
		}
		j := k - agents
		wait += pi
		// First-step recursion over i callers ahead: p answered, m E[wait; answered].
		p, m := 0.0, 0.0
		for i := 0; i <= j; i++ {
			advance := n + float64(i)*theta // rate at which the caller moves up (or is served when i = 0)
			leave := advance + theta
			if i == 0 {
				p, m = n/leave, n/leave/leave
				continue
			}
			p, m = advance/leave*p, advance/leave*(p/leave+m)
		}
		answered += pi * p
		answeredWait += pi * m
		abandon += pi * (1 - p)
		serviceLevel += pi * answeredWithin(j, n, theta, within)
	}
	return wait, abandon, serviceLevel, answeredWait / answered
}

// answeredWithin is the probability that a caller with j callers ahead is
// answered within t, by uniformisation of the chain "i callers ahead"
// (i = j..0) with absorbing states answered and abandoned.
func answeredWithin(j int, n, theta, t float64) float64 {
	rate := n + float64(j+1)*theta
	dist := make([]float64, j+1) // dist[i]: still waiting with i ahead
	next := make([]float64, j+1)
	dist[j] = 1
	served, poisson := 0.0, math.Exp(-rate*t)
	result := poisson * served
	for step := 1; float64(step) < rate*t+40*math.Sqrt(rate*t+1)+40; step++ {
		clear(next)
		for i, p := range dist {
			advance := n + float64(i)*theta
			stay := 1 - (advance+theta)/rate
			next[i] += p * stay
			if i == 0 {
				served += p * advance / rate
			} else {
				next[i-1] += p * advance / rate
			}
		}
		dist, next = next, dist
		poisson *= rate * t / float64(step)
		result += poisson * served
	}
	return result
}

func TestErlangAAgainstBruteForce(t *testing.T) {
	aht := 5 * time.Minute
	for _, tc := range []struct {
		load     float64
		agents   int
		within   time.Duration
		patience time.Duration
	}{
		{0.8, 1, 30 * time.Second, 2 * time.Minute},
		{4, 5, 20 * time.Second, 3 * time.Minute},
		{9, 8, time.Minute, 4 * time.Minute},
		{12, 8, 20 * time.Second, time.Minute},
		{6, 10, 10 * time.Second, 30 * time.Minute},
		{3, 2, 2 * time.Minute, 10 * time.Second},
		{5, 5, 0, 5 * time.Minute},
		{40, 35, 20 * time.Second, 3 * time.Minute},
		{30, 40, 15 * time.Second, time.Hour},
	} {
		t.Run(fmt.Sprintf("A=%g,N=%d,T=%v,patience=%v", tc.load, tc.agents, tc.within, tc.patience), func(t *testing.T) {
			m, err := queueOf(tc.load, aht, tc.patience).Metrics(tc.agents, tc.within)
			require.NoError(t, err)
			requireSane(t, m)
			wait, abandon, sl, asa := bruteForceErlangA(tc.load, tc.agents,
				float64(tc.within)/float64(aht), float64(tc.patience)/float64(aht))
			require.InDelta(t, wait, m.WaitProbability, 1e-12)
			require.InDelta(t, abandon, m.AbandonProbability, 1e-12)
			require.InDelta(t, sl, m.ServiceLevel, 1e-12)
			require.InDelta(t, asa*aht.Seconds(), m.ASA.Seconds(), 1e-8)
			require.InDelta(t, tc.load*(1-abandon)/float64(tc.agents), m.Occupancy, 1e-9)
		})
	}
}

// As callers' patience grows, Erlang A must become Erlang C.
func TestErlangAConvergesToErlangC(t *testing.T) {
	aht := 4 * time.Minute
	for _, tc := range []struct {
		load   float64
		agents int
	}{{48, 55}, {9.5, 10}, {1900, 2000}} {
		erlangC, err := queueOf(tc.load, aht, 0).Metrics(tc.agents, 20*time.Second)
		require.NoError(t, err)
		prevGap := math.Inf(1)
		for _, patience := range []time.Duration{time.Hour, 10 * time.Hour, 100 * time.Hour, 10000 * time.Hour} {
			m, err := queueOf(tc.load, aht, patience).Metrics(tc.agents, 20*time.Second)
			require.NoError(t, err)
			requireSane(t, m)
			gap := math.Abs(m.ServiceLevel-erlangC.ServiceLevel) + math.Abs(m.WaitProbability-erlangC.WaitProbability)
			require.Less(t, gap, prevGap, "A=%g N=%d patience %v", tc.load, tc.agents, patience)
			prevGap = gap
		}
		m, err := queueOf(tc.load, aht, 10000*time.Hour).Metrics(tc.agents, 20*time.Second)
		require.NoError(t, err)
		require.InDelta(t, erlangC.WaitProbability, m.WaitProbability, 1e-4)
		require.InDelta(t, erlangC.ServiceLevel, m.ServiceLevel, 1e-4)
		require.InDelta(t, erlangC.ASA.Seconds(), m.ASA.Seconds(), 0.01*math.Max(1, erlangC.ASA.Seconds()))
		require.Less(t, m.AbandonProbability, 1e-4)
	}
}

// Impatient callers abandon more; abandonment is a probability; and
// abandons relieve the queue, so fewer calls wait. The comparisons allow
// 1e-12 for rounding: where nearly every call or nearly none abandons, the
// figures differ from one patience to the next only in their last bits.
func TestErlangAAbandonGrowsAsPatienceShrinks(t *testing.T) {
	aht := 4 * time.Minute
	patiences := []time.Duration{
		100 * time.Hour, 10 * time.Hour, time.Hour, 10 * time.Minute, 3 * time.Minute,
		time.Minute, 20 * time.Second, 5 * time.Second, time.Second, time.Millisecond,
	}
	for _, load := range []float64{0.5, 8, 48, 300} {
		for _, agents := range []int{1, int(load * 0.7), int(load), int(load) + 1, int(load*1.2) + 2} {
			if agents == 0 {
				continue
			}
			prev := QueueMetrics{WaitProbability: 1}
			for _, patience := range patiences {
				m, err := queueOf(load, aht, patience).Metrics(agents, 20*time.Second)
				require.NoError(t, err)
				requireSane(t, m)
				at := fmt.Sprintf("A=%g N=%d patience %v", load, agents, patience)
				require.GreaterOrEqual(t, m.AbandonProbability, prev.AbandonProbability-1e-12, at)
				require.LessOrEqual(t, m.WaitProbability, prev.WaitProbability+1e-12, at)
				prev = m
			}
		}
	}
}

func TestErlangAOverloadedAndLarge(t *testing.T) {
	for _, tc := range []struct {
		load     float64
		agents   int
		patience time.Duration
	}{
		{200, 100, time.Minute}, // twice the load the agents can take
		{5000, 3000, 5 * time.Minute},
		{4999, 5000, 2 * time.Minute},
		{4000, 5000, 10 * time.Hour},
		{10, 0, time.Minute},
	} {
		m, err := queueOf(tc.load, 5*time.Minute, tc.patience).Metrics(tc.agents, 30*time.Second)
		require.NoError(t, err)
		requireSane(t, m)
		if tc.agents > 0 && float64(tc.agents) < tc.load {
			// The excess load can only leave by abandoning.
			require.GreaterOrEqual(t, m.AbandonProbability, 1-float64(tc.agents)/tc.load-1e-9)
		}
	}
	m, err := queueOf(10, time.Minute, time.Minute).Metrics(0, time.Minute)
	require.NoError(t, err)
	require.Equal(t, 1.0, m.AbandonProbability)
	require.Equal(t, Unbounded, m.ASA)

	_, err = queueOf(1e6, time.Minute, 1000*time.Hour).Metrics(1000, time.Minute)
	require.ErrorIs(t, err, ErrQueueTooLarge)
}

// Staffing bisects for Erlang A, which is right only if every objective
// improves with each agent; this checks it, ASA included, on a grid.
func TestErlangAMonotoneInAgents(t *testing.T) {
	aht := 4 * time.Minute
	for _, load := range []float64{0.3, 2, 20, 150} {
		for _, patience := range []time.Duration{time.Millisecond, 5 * time.Second, 45 * time.Second, 3 * time.Minute, time.Hour, 100 * time.Hour} {
			q := queueOf(load, aht, patience)
			prev, err := q.Metrics(1, 30*time.Second)
			require.NoError(t, err)
			for agents := 2; agents <= int(2*load)+20; agents++ {
				m, err := q.Metrics(agents, 30*time.Second)
				require.NoError(t, err)
				at := fmt.Sprintf("A=%g N=%d patience %v", load, agents, patience)
				require.LessOrEqual(t, m.WaitProbability, prev.WaitProbability+1e-12, at)
				require.LessOrEqual(t, m.AbandonProbability, prev.AbandonProbability+1e-12, at)
				require.GreaterOrEqual(t, m.ServiceLevel, prev.ServiceLevel-1e-12, at)
				require.LessOrEqual(t, m.ASA, prev.ASA, at)
				prev = m
			}
		}
	}
}

func TestStaffErlangAIsMinimal(t *testing.T) {
	aht := 4 * time.Minute
	targets := []StaffingTarget{
		{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second},
		{ServiceLevel: 0.9, AnswerWithin: 60 * time.Second, MaxAbandon: 0.02},
		{MaxAbandon: 0.05},
		{MaxASA: 10 * time.Second},
		{MaxOccupancy: 0.02},
	}
	for _, load := range []float64{0.5, 10, 48, 400} {
		for _, patience := range []time.Duration{30 * time.Second, 3 * time.Minute} {
			q := queueOf(load, aht, patience)
			for _, target := range targets {
				m, err := q.Staff(target)
				require.NoError(t, err)
				require.True(t, target.metBy(m))
				fewer, err := q.Metrics(m.Agents-1, target.AnswerWithin)
				require.NoError(t, err)
				require.False(t, target.metBy(fewer), "A=%g patience %v %+v: %d agents suffice", load, patience, target, m.Agents-1)
			}
		}
	}
}

// FuzzErlangC feeds arbitrary queues, staffing levels and answer times:
// nothing may panic, an error must be one of the package's, and a result
// must hold every invariant, NaN-free.
func FuzzErlangC(f *testing.F) {
	f.Add(360.0, int64(30*time.Minute), int64(240*time.Second), 55, int64(15*time.Second), 0.8)
	f.Add(0.0, int64(time.Hour), int64(time.Minute), 0, int64(0), 0.5)
	f.Add(1e6, int64(time.Second), int64(time.Hour), 1<<40, int64(math.MaxInt64), 0.99)
	f.Add(5e-324, int64(1), int64(math.MaxInt64), 1, int64(1), 0.0)
	f.Add(4999.99, int64(time.Minute), int64(time.Minute), 5000, int64(time.Second), 0.999999)
	f.Fuzz(func(t *testing.T, calls float64, interval, aht int64, agents int, within int64, level float64) {
		q := CallQueue{Calls: calls, Interval: time.Duration(interval), AHT: time.Duration(aht)}
		m, err := q.Metrics(agents, time.Duration(within))
		if err != nil {
			requirePackageError(t, err)
		} else {
			requireSane(t, m)
			load, _ := q.Load()
			c, err := ErlangC(load, agents)
			require.NoError(t, err)
			require.Equal(t, c, m.WaitProbability)
			b, err := ErlangB(load, agents)
			require.NoError(t, err)
			require.True(t, b >= 0 && b <= 1, "B = %v", b)
		}
		s, err := q.Staff(StaffingTarget{ServiceLevel: level, AnswerWithin: time.Duration(within)})
		if err != nil {
			requirePackageError(t, err)
		} else {
			requireSane(t, s)
			require.GreaterOrEqual(t, s.ServiceLevel, level)
		}
	})
}

// FuzzErlangA does the same with impatient callers.
func FuzzErlangA(f *testing.F) {
	f.Add(360.0, int64(30*time.Minute), int64(240*time.Second), int64(time.Minute), 55, int64(15*time.Second))
	f.Add(1e4, int64(time.Hour), int64(time.Minute), int64(time.Millisecond), 3, int64(time.Hour))
	f.Add(100.0, int64(time.Hour), int64(time.Hour), int64(math.MaxInt64), 101, int64(1))
	f.Fuzz(func(t *testing.T, calls float64, interval, aht, patience int64, agents int, within int64) {
		q := CallQueue{Calls: calls, Interval: time.Duration(interval), AHT: time.Duration(aht), Patience: time.Duration(patience)}
		m, err := q.Metrics(agents, time.Duration(within))
		if err != nil {
			requirePackageError(t, err)
			return
		}
		requireSane(t, m)
		require.True(t, m.Stable)
	})
}

func requirePackageError(t *testing.T, err error) {
	t.Helper()
	for _, known := range []error{ErrInvalidQueue, ErrInvalidTarget, ErrUnreachableTarget, ErrQueueTooLarge} {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("unexpected error %v", err)
}

func BenchmarkErlangC(b *testing.B) { benchmarkMetrics(b, 0) }

func BenchmarkErlangA(b *testing.B) { benchmarkMetrics(b, 2*time.Minute) }

// benchmarkMetrics evaluates a queue of 4-minute calls whose callers
// wait patience on average (0: as long as it takes), small and large.
func benchmarkMetrics(b *testing.B, patience time.Duration) {
	for _, tc := range []struct {
		load   float64
		agents int
	}{{48, 55}, {1950, 2000}} {
		q := queueOf(tc.load, 4*time.Minute, patience)
		b.Run(fmt.Sprintf("N=%d", tc.agents), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := q.Metrics(tc.agents, 20*time.Second); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStaff(b *testing.B) {
	target := StaffingTarget{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second}
	for _, tc := range []struct {
		name     string
		load     float64
		patience time.Duration
	}{
		{"ErlangC/A=48", 48, 0},
		{"ErlangC/A=1950", 1950, 0},
		{"ErlangA/A=48", 48, 2 * time.Minute},
		{"ErlangA/A=1950", 1950, 2 * time.Minute},
	} {
		q := queueOf(tc.load, 4*time.Minute, tc.patience)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := q.Staff(target); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A day of 48 half-hour slots, as a tender's scenario staffs it.
func BenchmarkCallProfileStaff(b *testing.B) {
	p := CallProfile{Slot: 30 * time.Minute, AHT: 4 * time.Minute, Calls: make([]float64, 48)}
	for i := range p.Calls {
		p.Calls[i] = 400 * math.Max(0, math.Sin(math.Pi*float64(i)/48)) // peak at midday
	}
	target := StaffingTarget{ServiceLevel: 0.8, AnswerWithin: 20 * time.Second}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Staff(target); err != nil {
			b.Fatal(err)
		}
	}
}
