// Package simulate prices the SLA risk of a contract before the bid: a
// Monte Carlo of the contract's term against a guess of the workload, and
// the queueing formulas (Erlang C and Erlang A) that staff a phone desk.
//
// A tender team has a draft contract and a scenario: how many tickets,
// calls and outages, when they come, how fast they are handled, how many
// agents answer. It must decide its price and its staffing knowing what
// the service levels may cost. The simulation draws many runs of the
// term, evaluates each with the engine that will later compute the real
// penalties (package sla: there is no second implementation of the
// rules), and returns the distribution of penalties, bonuses and margin,
// the probability of reaching each cap, and the rules that drive the risk:
//
//	c, err := contract.Load("examples/contracts/acme.yaml")
//	sc, err := simulate.LoadScenario("examples/scenarios/acme.yaml")
//	res, err := simulate.Run(ctx, c, sc, simulate.Options{Runs: 1000, Seed: 1})
//	fmt.Println(res.Term.Penalties.P90)   // the penalties exceeded in 10 % of the runs
//	fmt.Println(res.Term.Penalties.P90CI) // and its 95 % confidence interval
//	for _, t := range res.Tables() { t.WriteText(os.Stdout) }
//
// examples/tender is a program that does this, then asks a price question;
// the command pacte simulate asks every question, in every format.
//
// # Scenarios
//
// A [Scenario] is a YAML file (or a Go value): the span and its monthly
// volumes, growth and seasonality; the arrival profile over the week and
// the day in the contract's zone; per class of ticket its volume,
// calendar, time to acknowledge and to restore (a lognormal from a median
// and a P90, an exponential, fixed values, or the empirical distribution
// of a CSV of past tickets read through package sla/ingest), pauses,
// reopenings, exclusions and problems; the phone desk's calls, handling
// time, callers' patience and staffing (a number of agents, a rota, or a
// target that Erlang C or A meets half hour by half hour); outages per
// service with their planned share and notice; satisfaction surveys; the
// reported volumes and index values the invoice needs; and a cost model.
// Unknown keys are rejected and every error comes with its line. See the
// type's documentation for each key and its default, and
// examples/scenarios/acme.yaml for a complete file.
//
// # Runs
//
// Run i draws its records from generators seeded with (seed, i) and
// nothing else, one per stream and per class: the result is the same
// whatever the number of workers and the order they take the runs in.
// Records are generated as the engine reads them (iter.Seq), never held:
// a run of the reference scenario is half a million records and takes
// constant memory. [Simulation.Records] gives the records of one run, for
// inspection or another tool.
//
// Runs are spread over workers (GOMAXPROCS by default), report their
// progress, and stop when the context is cancelled.
//
// # Results
//
// A [Result] holds exact decimals: means rounded to the cent, percentiles
// read from the runs by the nearest-rank method (no interpolation, no
// float), each with its interval (see Precision). Caps are detected from
// the engine's trace: a cap is reached in a run when its step
// (rule_caps, month_cap, year_cap, the bonus cap) cut an amount. A
// rule's share of the P90 is its share of the penalties in the runs at
// or above the P90, the runs a bid must survive.
//
// [Sweep] varies one parameter over a range ([RestoreMedian], [Agents],
// [Volume], [StaffingScale], [ServiceLevelTarget], or any function of the
// scenario) with the same runs at every point: the points differ by the
// parameter, not by luck.
//
// # Precision
//
// Every figure comes with its 95 % confidence interval ([Interval]): the
// range that, computed the same way from other runs, would contain what
// infinitely many runs give in 95 % of simulations. The methods:
//
//   - a percentile: the distribution-free interval of two order
//     statistics, x₍l₎ to x₍u₎, whose ranks come from the binomial
//     distribution of the number of runs at or below the percentile; it
//     holds whatever the distribution, with probability at least 95 %
//     (more where values tie), and a side is open when the runs are too
//     few to bound it (a P99 needs 368 runs for an upper bound);
//   - a mean: Student's t interval, mean ± t·s/√n; the mean of
//     penalties, bonuses, counts or cuts, which cannot be negative, has
//     its interval cut at zero;
//   - a probability (a cap reached, a rule breached): Wilson's score
//     interval, which stays within [0, 1] and is right near 0 and 1 where
//     the normal approximation is not;
//   - a rule's share of the penalties: the delta method's interval for a
//     ratio of two means; its share of the P90 tail: a percentile
//     bootstrap (1,000 resamples of the runs, seeded by the simulation's
//     seed), since the runs in the tail depend on the P90 estimated from
//     the same runs.
//
// A test draws 400 simulations of a scenario whose distribution is known
// in closed form and checks that the intervals of a P90, a probability
// and a mean contain the truth in 92 % to 98 % of them. The intervals'
// arithmetic is in float64 (ranks, standard errors, quantiles of the
// normal and Student's distributions), the only floats of a result:
// bounds of percentiles are values of the runs, bounds of means are the
// exact mean less and plus a half-width rounded up to the cent.
//
// With control variates (see below), the percentiles are read from a
// corrected distribution function, with Woodruff's interval.
//
// Options.Precision asks for a precision rather than a number of runs:
// runs are drawn by batches (Options.Batch, 100 by default) until the
// interval of the P90 of the span's net penalty lies within that share of
// it on both sides (a percentile's interval is lopsided: its farther side
// counts, not its half-width), or Options.Runs are spent. The check falls
// between batches, never between runs, so that the number of runs, and
// the result, are the same whatever the number of workers.
//
// # Antithetic pairs
//
// Options.Antithetic draws the runs in pairs (2k, 2k+1): the second run
// of a pair draws from the complements of its partner's uniforms, and
// durations are drawn by inversion, so that a long restoration in one run
// is a short one in the other. Each run alone is drawn exactly as an
// independent run is (complementing a uniform word is a bijection of the
// words onto themselves, and inversion draws exactly from each
// distribution), so every mean, probability and percentile estimated over
// the runs is what independent runs estimate; the two runs of a pair are
// dependent, and the intervals treat the pair as one unit: t over the
// pairs' means, Wilson with the effective number of runs the pairs'
// variance implies (Kish's design effect), the bootstrap resampling
// pairs, and for percentiles Woodruff's interval (the levels p ∓ t·se
// read from the runs, se the standard error of the share of runs at or
// below the estimate, measured between pairs) in place of order
// statistics, which assume independent runs.
//
// What pairs gain depends on the figure. A mean gains when the cost rises
// with the durations drawn, as it mostly does. A P90 cannot gain much:
// its precision is that of the share of runs above it, and two indicators
// that are each true one time in ten are at least −1/9 correlated (they
// cannot be true together less than never), so a pair's variance is at
// least 8/9 of two independent runs': at most 1.125 times fewer runs for
// the same precision, and as much only if the pairing were perfect.
// Stratifying the runs on an input (the monthly volumes, say) meets a
// bound of the same kind: it gains at a P90 only as far as the strata
// tell which runs land in the tail, and to need half the runs the input
// must correlate about 0.9 with the span's net penalty (were both
// normal); a month's volumes are far from it, the tail of a service
// contract's penalties being made of a few late urgent incidents rather
// than of how many tickets came. Those late incidents are what control
// variates count.
//
// # Control variates
//
// A scenario may declare, for a class of tickets, the count that makes a
// month's penalty (tickets[].controls: the months with at least two P1
// incidents restored in over 4h, where the contract allows one late P1 a
// month). Its distribution follows from the scenario in closed form: a
// month's tickets are Poisson, so are its long ones (the class's
// restoration times exceed 4h with a probability the distribution
// gives), and months are independent. Options.Controls (pacte simulate
// -controls, on by default) compares each run with that distribution
// and corrects the percentiles: where the runs drew more such months
// than the scenario implies, the runs with many weigh less.
//
// The months counted are those after the contract's observation period;
// each weighs its volume factor (growth times seasonality, which the
// invoice and an invoice-based penalty follow), times the contract's
// repeat factor when it follows another such month (a penalty doubled
// from the second breach in a row). Its control variates ([ControlVariate])
// are the indicators that a run's months weigh at least w, for about
// fifteen values of w whose probabilities, computed month by month over
// the distribution of the weight, spread between 3 % and 97 %: post-strata
// of the runs. The controlled distribution function of a figure Y is the
// regression estimator of Hesterberg and Nelson (1998),
//
//	F̂(y) = mean(1{Y ≤ y}) − β(y)·(C̄ − p),
//
// C̄ the indicators' means over the runs, p their probabilities, β(y)
// the least-squares coefficients of 1{Y ≤ y} on them. It is a weighted
// distribution function, Σ ωᵢ 1{Yᵢ ≤ y}, with the same weights ωᵢ at
// every y, so each percentile is a value of the runs: the smallest at
// which F̂ (made non-decreasing) reaches the level. Its variance is that
// of the regression's residuals, the share 1 − R² of the indicator's
// variance the strata leave unexplained, and its interval Woodruff's: the
// values at which F̂ reaches the level ∓ t·se, t with n − q − 1 degrees of
// freedom for q indicators. The estimator is consistent whatever the
// scenario: a control that predicts nothing costs a few degrees of
// freedom. The controls are used once every indicator holds at least ten
// units on each side and the units are ten an indicator; before, the
// percentiles are the runs' own. Means, probabilities and shares stay
// the runs' own.
//
// On the reference scenario the declared P1 months explain about two
// thirds of the variance of the indicator of the P90 of the term's net
// penalty: the P90 is known to ±2 % after a third to a half of the runs
// it takes without them. The coverage test checks the intervals with the
// controls as without, on a scenario with post-strata on its number of
// tickets and of long ones. Each run keeps its indicators in its figures
// (RunFigures.Controls), so results with controls merge exactly, and
// antithetic pairs combine with them (the regression is then over pairs).
//
// # Merging results
//
// A [Result] keeps the figures of each of its runs ([RunFigures]: the
// money per contract year and over the span, and each rule's and cap's
// figures), from which every statistic is computed. Options.FirstRun
// draws a range of runs; [Result.Merge] combines results of disjoint
// ranges of the same simulation into the result of all their runs, byte
// for byte what one simulation of them all gives, in any order; the
// figures cross processes as JSON. "The same simulation" is checked, not
// assumed: Result.Digest identifies the contract's meaning, the scenario
// as prepared and the history it read, and results whose digests differ
// do not merge, whatever their names.
//
// # The bid team's questions
//
// [FindPrice] finds the fixed fee or unit price of a work unit, or the
// discount on every price, at which the expected margin reaches a
// target, and at which the margin reached in 90 % of the runs does, to
// the euro (or the step asked): every price is evaluated on the same
// runs, a version of the contract at that price drawn once with the
// others. [PlanStaffing] gives penalties, cost and margin as the desk's
// staffing varies, and the cheapest staffing whose P90 stays under a
// limit. [Compare] evaluates the same runs under two versions of the
// contract ([Amend] makes one: a negotiated cap, a relaxed deadline),
// and the differences run by run, with intervals far narrower than the
// difference of two independent simulations would have. Each answer
// lays itself out as tables and draws its charts through package
// sla/report.
//
// # The phone desk
//
// The desk is simulated call by call: Poisson arrivals at the rate of
// each half hour, handling and patience drawn from their distributions,
// agents serving first come first served with the staffing of each half
// hour, callers hanging up when their patience runs out. With a constant
// rate, exponential handling and no abandonment it is the M/M/N queue of
// Erlang C, and the tests check that the two agree. First come, first
// served, a caller's fate depends only on the callers before it, so most
// calls are settled as they arrive, from the instants the agents are
// free (the workload recursion); only the callers still waiting when the
// rota changes go through a queue, event by event, and a test checks
// that both ways give the same calls.
//
// # Speed
//
// A run of the reference scenario is three years of 3,000 tickets and
// 12,000 calls a month: 560,000 records. About half of its CPU time goes
// to drawing the records (the desk about a quarter, the tickets a fifth).
// The records go from the generators to the engine's evaluator lent by
// pointer, not copied through iterators.
// Tickets are drawn by batches of 32 before they are evaluated, so that
// drawing them and evaluating them do not evict each other's code from
// the processor's instruction cache. What every run would otherwise
// redo is done once per Simulation and shared by its runs: the records'
// identifiers (a few MB, written by the first run that needs them) and
// a table of each ticket calendar's open windows.
// BenchmarkSimulate and BenchmarkScaling measure it, and report the CPU
// time per run and the cores they had (the README's table gives the
// current figure):
//
//	go test ./sla/simulate/ -run XXX -bench 'Simulate$|Scaling' -benchtime 1x -bench.runs 1000
//
// # Erlang C and Erlang A
//
// A contract's telephony SLA ("80 % of calls answered within 60 s") is
// only as cheap as the staffing behind it. The analytic queueing models
// answer that question in microseconds, so that a bid can be staffed half
// hour by half hour before the Monte Carlo runs check the result against
// the contract: [ErlangB], [ErlangC], [CallQueue.Metrics],
// [CallQueue.Staff] and [CallProfile.Staff].
//
// Model and units. Within one interval calls arrive at random (Poisson)
// at a constant rate, handling times are exponential with mean AHT,
// agents are interchangeable and callers are answered first come, first
// served. With no abandonment this is M/M/N, whose waiting probability is
// the Erlang C formula. With callers who hang up after an exponential
// patience it is M/M/N+M, the Palm/Erlang A model; real callers do hang
// up, and ignoring it overstates the staff needed for an overloaded half
// hour. Erlang B is computed by its recursion, which never forms A^N or N!
// and stays exact for thousands of agents.
//
// All internal arithmetic is dimensionless, in units of the AHT.
// Probabilities are float64: this is queueing math, not money or a
// contract ratio, so the exact-decimal rule of the rest of pacte does not
// apply to them. Money in the results is decimal.
package simulate
