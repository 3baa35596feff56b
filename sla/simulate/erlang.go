package simulate

// Staffing a phone desk with Erlang C and Erlang A.
//
// A tender team must say how many agents it will put on the phones, and a
// contract's telephony SLA ("80 % of calls answered within 60 s") is only as
// cheap as that staffing. The analytic queueing models below answer that
// question in microseconds, so that a bid can be staffed half hour by half
// hour before the Monte Carlo runs check the result against the contract.
//
// Model and units. Within one interval calls arrive at random (Poisson) at a
// constant rate, handling times are exponential with mean AHT, agents are
// interchangeable and callers are answered first come, first served. With
// no abandonment this is M/M/N, whose waiting probability is the Erlang C
// formula. With callers who hang up after an exponential patience it is
// M/M/N+M, the Palm/Erlang A model; real callers do hang up, and ignoring it
// overstates the staff needed for an overloaded half hour.
//
// All internal arithmetic is dimensionless, in units of the AHT: arrival
// rate = offered load A, service rate = 1 per agent, abandonment rate =
// AHT/patience. Probabilities are float64: this is queueing math, not money
// or a contract ratio, so the exact-decimal rule of the rest of pacte does
// not apply.

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxLoad is the largest offered load, in Erlangs, that the queueing
// functions accept. The largest contact centres run about ten thousand
// agents; the bound is a thousand times that and keeps the cost of any
// Erlang C evaluation under a millisecond and of any Erlang A evaluation
// under a few tens of milliseconds, which a fuzzer or a sensitivity sweep
// can rely on.
const MaxLoad = 1e7

// Unbounded is the ASA of a queue in which waits grow without limit: an
// Erlang C queue with no more agents than Erlangs, or a queue with no agent
// at all. It is the largest time.Duration, so that a comparison with any
// ASA objective fails without a special case.
const Unbounded = time.Duration(math.MaxInt64)

var (
	// ErrInvalidQueue is wrapped by every error about a queue's description
	// or about the agents and answer time it is evaluated with.
	ErrInvalidQueue = errors.New("invalid call queue")

	// ErrInvalidTarget is wrapped by every error about a staffing target.
	ErrInvalidTarget = errors.New("invalid staffing target")

	// ErrUnreachableTarget means that no number of agents meets the target.
	ErrUnreachableTarget = errors.New("staffing target unreachable")

	// ErrQueueTooLarge means that the load is above [MaxLoad], or that an
	// Erlang A queue would hold so many waiting callers that its
	// distribution cannot be summed in bounded time (overloaded desks with
	// callers who almost never hang up).
	ErrQueueTooLarge = errors.New("call queue too large to compute")
)

// CallQueue is the demand on a phone desk during one interval, the unit of
// time over which a forecast holds still (usually half an hour).
//
// Patience switches the model: zero means callers never hang up and the
// queue is Erlang C; a positive mean patience makes it Erlang A. Erlang C
// is what contracts and tenders usually quote; Erlang A is closer to a real
// desk when it is overloaded, because callers who leave relieve the others.
type CallQueue struct {
	Calls    float64       // calls offered during Interval; a forecast, so it may be fractional
	Interval time.Duration // length of the interval the calls arrive in, e.g. 30 * time.Minute
	AHT      time.Duration // average handling time: talk, hold and after-call work
	Patience time.Duration // mean time a caller waits before hanging up; 0 for callers who never do
}

// QueueMetrics is what a number of agents achieves on a [CallQueue].
//
// Every field is a finite number; no input makes one NaN. An Erlang C queue
// with no more agents than Erlangs never settles: it reports Stable false,
// WaitProbability 1, ServiceLevel 0, ASA [Unbounded] and Occupancy 1, the
// limits of a queue that grows for ever, rather than an error, so that a
// sweep over staffing levels can tabulate the under-staffed rows too.
type QueueMetrics struct {
	Agents       int
	Load         float64       // offered load in Erlangs: arrival rate × AHT
	AnswerWithin time.Duration // the answer time ServiceLevel is measured against

	// Stable is false only for an Erlang C queue with Agents ≤ Load. An
	// Erlang A queue is always stable: callers leave when it grows.
	Stable bool

	// WaitProbability is the share of offered calls that are not answered
	// at once. For Erlang C it is the Erlang C formula itself.
	WaitProbability float64

	// AbandonProbability is the share of offered calls that hang up before
	// being answered; always 0 for Erlang C.
	AbandonProbability float64

	// ServiceLevel is the share of offered calls answered within
	// AnswerWithin. Calls that hang up count as not answered in time
	// whenever they hang up: this is the strictest of the usual telephony
	// variants, and the one that needs no threshold for short abandons.
	ServiceLevel float64

	// ASA is the average speed of answer: the mean wait of the calls that
	// are answered (callers who hang up are not in it). It is Unbounded
	// when waits grow without limit, or past what a Duration holds (292
	// years, for a queue a hair from unstable).
	ASA time.Duration

	// Occupancy is the share of agent time spent handling calls: offered
	// load less abandoned calls, divided by agents (1 when calls come and
	// no agent is there). Desks plan for an upper bound on it because
	// agents cannot talk back to back all day.
	Occupancy float64
}

// StaffingTarget is what a staffing level must achieve. A zero field sets
// no objective; at least one must be set. All set objectives must hold at
// once.
type StaffingTarget struct {
	// ServiceLevel is the share of offered calls to answer within
	// AnswerWithin, in [0, 1): with random arrivals no finite staff answers
	// every call in time, so 100 % is unreachable.
	ServiceLevel float64
	AnswerWithin time.Duration

	// MaxASA bounds the average speed of answer.
	MaxASA time.Duration

	// MaxAbandon bounds the share of offered calls that hang up (Erlang A).
	MaxAbandon float64

	// MaxOccupancy bounds the share of agent time spent on calls.
	MaxOccupancy float64
}

// CallProfile is a day (or week) of demand cut into equal slots, the way a
// scenario forecasts calls and a desk plans its rota.
type CallProfile struct {
	Slot     time.Duration // length of every slot, e.g. 30 * time.Minute
	Calls    []float64     // calls offered in each slot, in time order
	AHT      time.Duration // average handling time, the same in every slot
	Patience time.Duration // mean patience before hanging up; 0 for Erlang C
}

// ErlangB returns the probability that a call finds all agents busy in a
// loss system (blocked calls leave): the Erlang B formula for the offered
// load in Erlangs and the number of agents. It is the building block of
// Erlang C and is computed by the recursion B(n) = A·B(n−1)/(n + A·B(n−1)),
// which never forms A^N or N! and so keeps full precision for any staffing.
func ErlangB(load float64, agents int) (float64, error) {
	if err := checkLoad(load, agents); err != nil {
		return 0, err
	}
	return 1 / (1 + blockingOdds(load, agents)), nil
}

// ErlangC returns the probability that a call waits in a queue served by
// the given number of agents at the given offered load in Erlangs (the
// Erlang C formula). When agents ≤ load the queue never settles and every
// call eventually waits, so the result is 1.
func ErlangC(load float64, agents int) (float64, error) {
	if err := checkLoad(load, agents); err != nil {
		return 0, err
	}
	if load == 0 {
		return 0, nil
	}
	n := float64(agents)
	if n <= load {
		return 1, nil
	}
	return waitProbability(load, n, blockingOdds(load, agents)), nil
}

// Load returns the offered load in Erlangs, the mean number of agents the
// calls would keep busy if they were answered at once: calls × AHT /
// interval. It also validates the queue, so every other method reports the
// same errors.
func (q CallQueue) Load() (float64, error) {
	switch {
	case math.IsNaN(q.Calls) || math.IsInf(q.Calls, 0) || q.Calls < 0:
		return 0, fmt.Errorf("%w: calls %v, want a finite number ≥ 0", ErrInvalidQueue, q.Calls)
	case q.Interval <= 0:
		return 0, fmt.Errorf("%w: interval %v, want > 0", ErrInvalidQueue, q.Interval)
	case q.AHT <= 0:
		return 0, fmt.Errorf("%w: AHT %v, want > 0", ErrInvalidQueue, q.AHT)
	case q.Patience < 0:
		return 0, fmt.Errorf("%w: patience %v, want ≥ 0 (0 for callers who never hang up)", ErrInvalidQueue, q.Patience)
	}
	load := q.Calls * (float64(q.AHT) / float64(q.Interval))
	if !(load <= MaxLoad) {
		return 0, fmt.Errorf("%w: load %.4g Erlangs, above MaxLoad %g", ErrQueueTooLarge, load, float64(MaxLoad))
	}
	return load, nil
}

// Metrics returns what the given number of agents achieves on the queue,
// with the service level measured against answerWithin. It uses Erlang C
// when q.Patience is zero and Erlang A otherwise.
func (q CallQueue) Metrics(agents int, answerWithin time.Duration) (QueueMetrics, error) {
	load, err := q.Load()
	if err != nil {
		return QueueMetrics{}, err
	}
	if agents < 0 {
		return QueueMetrics{}, fmt.Errorf("%w: %d agents, want ≥ 0", ErrInvalidQueue, agents)
	}
	if answerWithin < 0 {
		return QueueMetrics{}, fmt.Errorf("%w: answer time %v, want ≥ 0", ErrInvalidQueue, answerWithin)
	}
	within := q.inAHT(answerWithin)
	var f figures
	if q.Patience == 0 {
		f = erlangC(load, agents, blockingOdds(load, agents), within)
	} else {
		f, err = erlangA(load, agents, blockingOdds(load, agents), within, q.inAHT(q.Patience))
		if err != nil {
			return QueueMetrics{}, err
		}
	}
	return f.metrics(load, agents, answerWithin, q.AHT), nil
}

// Staff returns the fewest agents that meet the target, with what they
// achieve. An Erlang C queue is only staffed to a stable level (more agents
// than Erlangs). A queue with no calls needs no agent.
//
// For Erlang C the search walks up from the load (or from the staffing the
// occupancy bound implies, whichever is higher), one Erlang B step per
// agent, so its cost grows with the square root of the load. For Erlang A
// it doubles then bisects; waiting, abandons, service level and occupancy
// all improve with every agent added, and so, in every case we have tried,
// does the ASA. Staffings whose queue is too large to compute (see
// [ErrQueueTooLarge]) count as failing: they leave millions of callers
// waiting.
func (q CallQueue) Staff(target StaffingTarget) (QueueMetrics, error) {
	load, err := q.Load()
	if err != nil {
		return QueueMetrics{}, err
	}
	if err := target.validate(); err != nil {
		return QueueMetrics{}, err
	}
	if load == 0 {
		return q.Metrics(0, target.AnswerWithin)
	}
	// Occupancy is at most load/agents, so this many agents are needed...
	lowest := 0
	if target.MaxOccupancy > 0 {
		need := math.Ceil(load / target.MaxOccupancy)
		if !(need <= maxStaff) {
			return QueueMetrics{}, fmt.Errorf("%w: occupancy %v needs more than %d agents", ErrUnreachableTarget, target.MaxOccupancy, maxStaff)
		}
		lowest = int(need)
	}
	// ...and this many meet every other objective: from about
	// load + 38√load agents on, B(N) underflows and no call waits. Not
	// meeting the target by then would be a bug, not a hard target.
	limit := max(lowest, int(2*(load+40*math.Sqrt(load)+64)))
	if q.Patience == 0 {
		return q.staffErlangC(load, target, lowest, limit)
	}
	return q.staffErlangA(target, lowest, limit)
}

// maxStaff bounds a staffing search; it fits an int on every platform.
const maxStaff = math.MaxInt32

func (q CallQueue) staffErlangC(load float64, target StaffingTarget, lowest, limit int) (QueueMetrics, error) {
	within := q.inAHT(target.AnswerWithin)
	// Every staffing up to here fails: unstable, or too busy.
	agents := max(int(math.Floor(load)), lowest-1)
	odds := blockingOdds(load, agents)
	for agents < limit {
		agents++
		odds = float64(agents) / load * (1 + odds)
		m := erlangC(load, agents, odds, within).metrics(load, agents, target.AnswerWithin, q.AHT)
		if target.metBy(m) {
			return m, nil
		}
	}
	return QueueMetrics{}, fmt.Errorf("%w: not met by %d agents", ErrUnreachableTarget, limit)
}

func (q CallQueue) staffErlangA(target StaffingTarget, lowest, limit int) (QueueMetrics, error) {
	// meets evaluates one staffing. The doubling steps probe staffings far
	// below the load, where millions of callers may be waiting: such a
	// queue is too large to sum, and counts as failing the target.
	meets := func(agents int) (QueueMetrics, bool, error) {
		m, err := q.Metrics(agents, target.AnswerWithin)
		if errors.Is(err, ErrQueueTooLarge) {
			return m, false, nil
		}
		return m, err == nil && target.metBy(m), err
	}
	// low fails (-1: nothing known yet), high is the next to try; the
	// steps double until one meets the target, then the gap is bisected.
	low, high, step := lowest-1, lowest, 1
	var best QueueMetrics
	for {
		m, ok, err := meets(high)
		if err != nil {
			return QueueMetrics{}, err
		}
		if ok {
			best = m
			break
		}
		if high >= limit {
			return QueueMetrics{}, fmt.Errorf("%w: not met by %d agents", ErrUnreachableTarget, limit)
		}
		low, high, step = high, min(limit, high+step), 2*step
	}
	for high-low > 1 {
		mid := low + (high-low)/2
		m, ok, err := meets(mid)
		if err != nil {
			return QueueMetrics{}, err
		}
		if ok {
			high, best = mid, m
		} else {
			low = mid
		}
	}
	return best, nil
}

// Staff returns, slot by slot, the fewest agents that meet the target and
// what they achieve. Each slot is treated as stationary on its own, the
// usual half-hour planning approximation: calls still queued at the end of
// a slot are not carried into the next.
func (p CallProfile) Staff(target StaffingTarget) ([]QueueMetrics, error) {
	shape := CallQueue{Interval: p.Slot, AHT: p.AHT, Patience: p.Patience}
	if _, err := shape.Load(); err != nil {
		return nil, err
	}
	if err := target.validate(); err != nil {
		return nil, err
	}
	staffed := make([]QueueMetrics, len(p.Calls))
	for i, calls := range p.Calls {
		shape.Calls = calls
		m, err := shape.Staff(target)
		if err != nil {
			return nil, fmt.Errorf("slot %d: %w", i, err)
		}
		staffed[i] = m
	}
	return staffed, nil
}

func (t StaffingTarget) validate() error {
	fraction := func(x float64) bool { return x >= 0 && x <= 1 } // false for NaN
	switch {
	case !fraction(t.ServiceLevel):
		return fmt.Errorf("%w: service level %v, want a share in [0, 1)", ErrInvalidTarget, t.ServiceLevel)
	case t.ServiceLevel == 1:
		return fmt.Errorf("%w: a 100 %% service level: with random arrivals some call always waits", ErrUnreachableTarget)
	case t.AnswerWithin < 0:
		return fmt.Errorf("%w: answer time %v, want ≥ 0", ErrInvalidTarget, t.AnswerWithin)
	case t.MaxASA < 0:
		return fmt.Errorf("%w: max ASA %v, want ≥ 0 (0 for none)", ErrInvalidTarget, t.MaxASA)
	case !fraction(t.MaxAbandon):
		return fmt.Errorf("%w: max abandon %v, want a share in [0, 1] (0 for none)", ErrInvalidTarget, t.MaxAbandon)
	case !fraction(t.MaxOccupancy):
		return fmt.Errorf("%w: max occupancy %v, want a share in [0, 1] (0 for none)", ErrInvalidTarget, t.MaxOccupancy)
	case t.ServiceLevel == 0 && t.MaxASA == 0 && t.MaxAbandon == 0 && t.MaxOccupancy == 0:
		return fmt.Errorf("%w: no objective set", ErrInvalidTarget)
	}
	return nil
}

func (t StaffingTarget) metBy(m QueueMetrics) bool {
	return m.Stable &&
		m.ServiceLevel >= t.ServiceLevel &&
		(t.MaxASA == 0 || m.ASA <= t.MaxASA) &&
		(t.MaxAbandon == 0 || m.AbandonProbability <= t.MaxAbandon) &&
		(t.MaxOccupancy == 0 || m.Occupancy <= t.MaxOccupancy)
}

// inAHT expresses d in units of the AHT, the time unit of the models.
func (q CallQueue) inAHT(d time.Duration) float64 {
	return float64(d) / float64(q.AHT)
}

func checkLoad(load float64, agents int) error {
	switch {
	case math.IsNaN(load) || load < 0:
		return fmt.Errorf("%w: load %v Erlangs, want ≥ 0", ErrInvalidQueue, load)
	case load > MaxLoad:
		return fmt.Errorf("%w: load %.4g Erlangs, above MaxLoad %g", ErrQueueTooLarge, load, float64(MaxLoad))
	case agents < 0:
		return fmt.Errorf("%w: %d agents, want ≥ 0", ErrInvalidQueue, agents)
	}
	return nil
}

// figures are a queue's results in units of the AHT, before they become
// durations.
type figures struct {
	stable                 bool
	wait, abandon          float64 // probabilities
	serviceLevel, occupied float64
	asa                    float64 // in AHTs; +Inf when unbounded
}

func (f figures) metrics(load float64, agents int, within, aht time.Duration) QueueMetrics {
	return QueueMetrics{
		Agents:             agents,
		Load:               load,
		AnswerWithin:       within,
		Stable:             f.stable,
		WaitProbability:    clamp01(f.wait),
		AbandonProbability: clamp01(f.abandon),
		ServiceLevel:       clamp01(f.serviceLevel),
		ASA:                durationOf(f.asa, aht),
		Occupancy:          clamp01(f.occupied),
	}
}

// noCallWaits are the figures of a queue where every call is answered at
// once: no calls at all, or so many agents that B(N) underflows.
func noCallWaits(load float64, agents int) figures {
	f := figures{stable: true, serviceLevel: 1}
	if agents > 0 {
		f.occupied = load / float64(agents)
	}
	return f
}

// clamp01 absorbs the last-bit rounding that can put a probability computed
// as a difference a hair outside [0, 1].
func clamp01(p float64) float64 {
	return math.Min(1, math.Max(0, p))
}

func durationOf(ahts float64, aht time.Duration) time.Duration {
	ns := ahts * float64(aht)
	if !(ns < float64(math.MaxInt64)) { // +Inf, or too long for a Duration
		return Unbounded
	}
	return time.Duration(math.Round(ns))
}

// blockingOdds returns (1−B)/B for the Erlang B probability B with the
// given load and agents, by the recursion y(n) = n/A·(1 + y(n−1)), y(0) = 0,
// which is 1/B − 1 for the textbook recursion on B. Working with the odds
// rather than B keeps full precision both when B is close to 1 (few agents)
// and when it underflows (y = +Inf means B = 0, and every formula built on
// it takes the right limit).
//
// For large loads the recursion does not start at 0. Below the load, B(n)
// is close to (A−n)/A, and the relative error of y is multiplied at each
// step by 1 − B(n), which is about n/A there. Starting K = 12√A + 20 agents below
// min(N, A) from that approximation therefore damps its error by about
// exp(−K²/2A) < e⁻⁷⁰, far below float64 resolution, and makes the cost
// O(√A + |N − A|) instead of O(N). The loop stops once y overflows: B is 0
// from there on.
func blockingOdds(load float64, agents int) float64 {
	if agents == 0 {
		return 0
	}
	if load == 0 {
		return math.Inf(1)
	}
	start, odds := 0, 0.0
	if warm := math.Min(float64(agents), math.Floor(load)) - 12*math.Sqrt(load) - 20; warm > 0 {
		start = int(warm)
		odds = float64(start) / (load - float64(start))
	}
	for n := start + 1; n <= agents; n++ {
		odds = float64(n) / load * (1 + odds)
		if math.IsInf(odds, 1) {
			break
		}
	}
	return odds
}

// waitProbability is the Erlang C formula C = N·B/(N − A(1−B)) rewritten
// with the blocking odds y = (1−B)/B as N/(N + (N−A)·y), which needs no
// subtraction that could cancel and gives 0 when B has underflowed.
func waitProbability(load, n, odds float64) float64 {
	return n / (n + (n-load)*odds)
}

// erlangC returns the figures of M/M/N, with the answer time in AHTs.
func erlangC(load float64, agents int, odds, within float64) figures {
	n := float64(agents)
	switch {
	case load == 0:
		return noCallWaits(load, agents)
	case n <= load:
		return figures{wait: 1, occupied: 1, asa: math.Inf(1)}
	}
	wait := waitProbability(load, n, odds)
	spare := n - load
	return figures{
		stable:       true,
		wait:         wait,
		serviceLevel: 1 - wait*math.Exp(-spare*within),
		asa:          wait / spare,
		occupied:     load / n,
	}
}

// erlangA returns the figures of M/M/N+M (Palm's model, "Erlang A") with
// the answer time and the mean patience in AHTs.
//
// With θ = 1/patience, a = N/θ and b = A/θ, the stationary probability of
// N+j calls in the system is π_N·t_j with t_j = Π_{i≤j} b/(a+i). A call
// that arrives behind j waiting callers is answered with probability
// a/(a+j+1), and its expected wait when answered is known in closed form;
// averaging over j gives P(wait), P(abandon) and the ASA as ratios of
// series in v_k = t_{k−1}/(a+k) (see queueSeries). The service level uses
// the density of the wait a patient caller would have (Baccelli–Hebuterne),
// f(x) = N·π_N·exp(b(1−e^{−θx}) − Nx), whose integral against the caller's
// own patience is the same series evaluated at b·e^{−θT}
// (Mandelbaum–Zeltyn's incomplete gamma expressions, without the gamma
// functions that overflow for large queues). Every series has positive
// terms and is summed with rescaling, so no cancellation or overflow
// occurs; as the patience grows the figures converge to Erlang C's.
func erlangA(load float64, agents int, odds, within, patience float64) (figures, error) {
	switch {
	case load == 0 || math.IsInf(odds, 1):
		return noCallWaits(load, agents), nil
	case agents == 0: // everyone waits until they give up
		return figures{stable: true, wait: 1, abandon: 1, occupied: 1, asa: math.Inf(1)}, nil
	}
	n := float64(agents)
	theta := 1 / patience
	a, b := n*patience, load*patience
	all, err := queueSeries(a, b, n, theta)
	if err != nil {
		return figures{}, err
	}
	scaledS := all.first + b*all.sumV // Σ t_j, in the series' scale
	logS := math.Log(scaledS) + all.logScale()
	// P(no wait) : P(wait) = (1/B − 1) : Σ t_j
	ratio := math.Exp(math.Log(odds) - logS)
	wait, noWait := 1/(1+ratio), 1/(1+1/ratio)

	answeredIfWaiting := a * all.sumV / scaledS
	abandonIfWaiting := all.sumJV / scaledS
	answeredWait := wait * a * all.sumVH / scaledS // E[wait; answered], in AHTs

	answeredInTimeIfWaiting := 0.0
	if within > 0 {
		late, err := queueSeries(a, b*math.Exp(-theta*within), n, theta)
		if err != nil {
			return figures{}, err
		}
		// The scales of both series are whole powers of rescaleBy, so
		// their ratio is exact: the logarithms added here stay small
		// whenever the result is not negligible, and keep their precision.
		logLate := math.Log(a*late.sumV/scaledS) + float64(late.rescaled-all.rescaled)*logRescale -
			(n+theta)*within - b*math.Expm1(-theta*within)
		answeredInTimeIfWaiting = math.Max(0, answeredIfWaiting-math.Exp(logLate))
	}
	abandon := wait * abandonIfWaiting
	answered := noWait + wait*answeredIfWaiting
	return figures{
		stable:       true,
		wait:         wait,
		abandon:      abandon,
		serviceLevel: noWait + wait*answeredInTimeIfWaiting,
		asa:          answeredWait / answered,
		occupied:     load * (1 - abandon) / n,
	}, nil
}

// maxSeriesTerms bounds the work of one Erlang A series. The number of
// terms is about the number of callers that can be waiting at once, plus a
// few standard deviations; four million is far beyond any real desk.
const maxSeriesTerms = 1 << 22

// rescaleBy is the factor the series' sums are multiplied by when they
// grow large, and logRescale its logarithm's opposite.
const (
	rescaleBy  = 1e-250
	logRescale = 250 * math.Ln10
)

// series holds the sums of queueSeries, each multiplied by rescaleBy
// rescaled times.
type series struct {
	rescaled int
	first    float64 // t_0 = 1, scaled
	sumV     float64 // Σ v_k
	sumJV    float64 // Σ k·v_k
	sumVH    float64 // Σ v_k·H_k, H_k = Σ_{i≤k} 1/(n + iθ)
}

// logScale is the logarithm of the factor the sums were divided by.
func (s series) logScale() float64 {
	return float64(s.rescaled) * logRescale
}

// queueSeries sums, for k ≥ 1, v_k = x^{k−1}/Π_{i≤k}(a+i) and its weighted
// companions. The terms grow while x > a+k (an overloaded desk) and then
// fall faster than geometrically; the sums are rescaled whenever they grow
// large, and summation stops once a geometric bound on every remaining
// tail is below float64 resolution.
func queueSeries(a, x, n, theta float64) (series, error) {
	const (
		eps = 0x1p-56
		big = 1 / rescaleBy
	)
	if x-a > maxSeriesTerms {
		return series{}, fmt.Errorf("%w: about %.3g callers waiting at once", ErrQueueTooLarge, x-a)
	}
	s := series{first: 1}
	v := 1 / (a + 1)
	h := 0.0
	for k := 1; ; k++ {
		kf := float64(k)
		h += 1 / (n + kf*theta)
		s.sumV += v
		s.sumJV += kf * v
		s.sumVH += v * h
		r := x / (a + kf + 1) // v_{k+1}/v_k, and an upper bound on every later ratio
		if r < 1 {
			g1 := r / (1 - r)        // Σ_{m≥1} r^m
			g2 := g1 / (1 - r)       // Σ_{m≥1} m·r^m
			hStep := 1 / (n + theta) // bound on each later increment of H
			if v*g1 <= eps*s.sumV &&
				v*(kf*g1+g2) <= eps*s.sumJV &&
				v*(h*g1+hStep*g2) <= eps*s.sumVH {
				return s, nil
			}
		}
		if k >= maxSeriesTerms {
			return series{}, fmt.Errorf("%w: more than %d queue states to sum", ErrQueueTooLarge, maxSeriesTerms)
		}
		v *= r
		if v > big || s.sumV > big || s.sumJV > big || s.sumVH > big {
			v *= rescaleBy
			s.first *= rescaleBy
			s.sumV *= rescaleBy
			s.sumJV *= rescaleBy
			s.sumVH *= rescaleBy
			s.rescaled++
		}
	}
}
