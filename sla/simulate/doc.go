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
//	for _, t := range res.Tables() { t.WriteText(os.Stdout) }
//
// examples/tender is a command that does this and prints the risk table.
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
// float). Caps are detected from the engine's trace: a cap is reached in
// a run when its step (rule_caps, month_cap, year_cap, the bonus cap)
// cut an amount. A rule's share of the P90 is its share of the penalties
// in the runs at or above the P90, the runs a bid must survive.
//
// [Sweep] varies one parameter over a range ([RestoreMedian], [Agents],
// [Volume], or any function of the scenario) with the same runs at every
// point: the points differ by the parameter, not by luck.
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
// A run of the reference scenario (three years of 3,000 tickets and
// 12,000 calls a month: 560,000 records) cost about 104 to 117 ms of CPU
// when last measured (up to 157 when other work slowed the machine),
// about half of it drawing the records: the desk about a quarter, the
// tickets a fifth; 1,000 runs took 54 to 59 s on two cores (62 to 79 s
// in the slow minutes). The records go from the generators to the
// engine's evaluator lent by pointer, not copied through iterators.
// Tickets are drawn by batches of 32 before they are evaluated, so that
// drawing them and evaluating them do not evict each other's code from
// the processor's instruction cache. What every run would otherwise
// redo is done once per Simulation and shared by its runs: the records'
// identifiers (a few MB, written by the first run that needs them) and
// a table of each ticket calendar's open windows.
// BenchmarkSimulate and BenchmarkScaling measure it, and report the CPU
// time per run and the cores they had:
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
