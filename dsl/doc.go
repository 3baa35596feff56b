// Package dsl is the expression language of pacte's contracts: the scopes,
// conditions, clocks and penalty formulas of SLA rules.
//
// It is github.com/expr-lang/expr with the literals and the arithmetic a
// contract needs, compiled once when the contract loads and checked
// against the record type of the rule, so that an unknown name or a type
// mismatch is an error at load time, not when the rule runs:
//
//	p, err := dsl.Compile[dsl.Ticket](`kind == "incident" && priority == "P1"`, dsl.Expect(dsl.Bool))
//	ok, err := dsl.EvalAs[bool](p, &dsl.Ticket{Ticket: &ticket})
//
// # Literals
//
//	4h  30s  15min  1h30min  1.5h     durations (units ns, us, ms, s, min, h)
//	95%  2.5%                         percentages, exact: 95% is the decimal 0.95
//	11.00  0.1                        exact decimals (never floating point)
//	"P1"  'P1'                        strings
//
// There is no day unit, on purpose: a day is 24 hours in ServiceNow, a
// working day in GLPI. calendar_days(3) is 72 hours of calendar time;
// end_of_open_day(3) is the end of the third open day of a calendar.
//
// "%" right after a number is a percent sign when nothing after it can
// start an operand ("95% * invoice", "achieved >= 95%"); otherwise it is
// the modulo operator ("n % 7"). Write modulo with spaces.
//
// # Arithmetic
//
// Money and ratios are github.com/shopspring/decimal values, through
// operator overloads for every operator: + - * / < <= > >= == != and unary
// minus. Integers and decimals mix (19 / 20 is the decimal 0.95, and meets
// ">= 95%"); 0.1 + 0.2 == 0.3 holds; == compares values (1.10 == 1.1).
// Division keeps [QuotientPlaces] places, the last rounded half away from
// zero (1/3 is 0.3333333333333333). Durations add and subtract, compare,
// multiply by integers and decimals, and divide: a duration by a duration
// is an exact decimal ratio, so "150 * ceil(late / 1h)" is 150 per started
// hour (a duration times a duration means nothing, and is refused). No
// expression may compute in floating point: the compiler rejects it.
//
// Nothing overflows silently: integers and durations that would wrap
// (9223372036854775807 + 1, 2562047h + 1h) are runtime errors, and so
// is a decimal of more than [MaxDigits] digits written out (1e999 * 10):
// a decimal literal beyond it, or an integer literal beyond an int, is
// refused when the expression compiles. The difference of two instants
// more than 292 years apart (one of them zero, an event that did not
// happen) is the longest duration of its sign, as in Go.
//
// # Functions
//
//	ceil(x) floor(x) round(x) round(x, 2)   decimals, half away from zero
//	ceil(d, 1h) floor(d, 15min) round(d, 1min)  durations to a multiple of a unit
//	min(a, b) max(a, b) abs(x)              decimals, integers, durations, instants
//	sum(l) mean(l) median(l) percentile(l, 90)  exact, over lists (and ranges) of durations, decimals or integers
//	decimal("4,5")                          a decimal read from text
//	calendar_days(10)                       10 × 24 h
//	open_time(a, b)                         open time in [a, b) on the rule's calendar
//	add_open_time(t, 4h)                    the instant 4 h of open time after t
//	end_of_open_day(t, 3)                   the end of the 3rd open day after the day of t
//	is_open(t)                              whether the calendar is open at t
//	open_days_between(a, b)                 whole open days between the days of a and b
//
// Civil dates are read in the contract's zone (see [Zone]):
//
//	date_of(t)                              midnight that starts the day of t
//	day_of_week(t)                          1 for Monday to 7 for Sunday
//	days_between(a, b)                      calendar days after the day of a up to the day of b
//	jours_ouvres_between(a, b, "FR")        the same, Monday to Friday less the holidays named
//	jours_ouvrables_between(a, b, "FR")     the same, Monday to Saturday less the holidays named
//
// Each clock function takes a calendar's name first to use another one
// than the rule's: open_time("HO", a, b). Tickets have:
//
//	elapsed_between(a, b)                   open time less the ticket's pauses
//	entered("known error")                  the first instant the ticket entered a status
//	link("incident")                        its first link of a kind: .id .priority .resolved
//	reopened_within(calendar_days(10))      reopened within that time of a resolution
//
// and penalty formulas have fee("UO-TEL", "UO-TKT"), the period's invoice
// amount of work units. expr's own builtins (len, any, all, filter, map,
// upper, lower, in, matches, contains…) work as documented by expr, but
// for now(), date() and the floating-point ones, which are disabled or
// replaced: rules are reproducible and exact. Text is built within
// [MaxText] bytes: + of texts, repeat, replace and join fail beyond it;
// string(x) writes a number, a duration, an instant or a bool, not a list
// or a map; toJSON, toBase64 and fromBase64, which write text for
// machines, are disabled. sum(1..10) is 55, mean(1..10) 5.5 and
// median(1..10) 5: a range is a list of integers. What expr accepts but would
// fail on every evaluation, or answer wrongly, is refused when the
// expression compiles: count(list) without a condition over a list that
// is not made of bools (write count(history, .status == "Pending"));
// arithmetic on values of unknown type (the elements of a list literal,
// the values of a map literal, map() and first() over them) and their
// comparison with numbers, since the comparison of numbers is chosen from
// their types (1.50 == 1.5 only as decimals); and the comparison with nil
// of a field that cannot be nil, or its use before ??, (a missing
// attribute is "", an instant that did not happen is the zero instant).
// get(attrs, "site") is attrs["site"]; findIndex(list, f) is -1 when
// nothing matches; an optional chain (find(links, .kind ==
// "problem")?.priority) compares equal to nothing when it finds nothing,
// and is refused where its nil would fail unguarded (an ordering,
// arithmetic, a function's argument, a let value: give it a default with
// ??);
// the two values of a ?: have one type (4h : 0s, not 4h : 0); $env is
// read by name only ($env.priority).
//
// # Environments
//
// An expression is compiled against one environment type, which gives its
// names: [Ticket], [Call], [Outage], [Sample] and [StatusChange] for items,
// [Period] for penalty and bonus formulas, [Group] for a rule group's;
// in both, result("ID") reads another rule's [RuleResult] through
// [RuleResults]. Fields use the names of the
// `expr` tags of pacte's records: id, kind, priority, service, opened,
// resolved, attrs["cause"]…, and the measures the engine computes: elapsed,
// deadline, late, on_time for a ticket under a clock; wait, talk, answered
// for a call; duration for an outage; eligible, met, missed, achieved,
// objective, shortfall, consecutive, invoice for a period.
//
// # Units
//
// The types tell a duration from a number, not a share (0.95, written
// 95%) from a count or an amount. [Program.CheckUnits] reads the units of
// an expression's names ([Units]: achieved is a [Share], missed a
// [Count]) and refuses what mixes them: a share compared with or added
// to a number written without its percent sign, other than 0 (achieved <
// 80 always holds: write 80%), a share with a count, a count with a
// percentage (missed > 5%), points with a percentage (achieved * 100 <
// 80%). A share multiplied by 100 or divided by 1% is a number of points
// (achieved * 100 < 80), otherwise a plain number. A duration compared with a
// bare number is a type error, whose hint writes the number with units.
//
// # Errors
//
// A compile error is an [*Error] with the line and column in the source
// (in the contract file once the contract package has placed it), the
// line with a caret under the fault, a code for errors.Is ([ErrSyntax],
// [ErrUnknownName], [ErrType], [ErrLiteral], [ErrLimit]) and a hint (did
// you mean "priority"?). Every error of a contract is reported, sorted, in
// an [ErrorList]. A runtime error ([ErrRuntime]: a division by zero, an
// index out of range, an overflow) is returned, never panicked; so is a
// bound exceeded while running ([ErrLimit]: the cost budget, the length of
// a text, the digits of a decimal). An evaluation cancelled by its
// context returns the context's error.
//
// # Limits
//
// The source length, the number of syntax-tree nodes and the VM's memory
// per evaluation are bounded (see [Limits]), and so is the work of one
// evaluation (see [CostLimit]): an evaluation always ends, within a few
// tens of milliseconds with the default budget.
//
// The language has no loops but its predicates (all, any, filter, map,
// count…), which may nest. The cost of an evaluation is the number of
// syntax-tree nodes it evaluates, a predicate's body counted once for
// each element of its list; within the body of a predicate, each element
// of a list or a map and each 8 bytes of text the body reads or builds
// cost one more, and uniq over n elements costs n × n. Where the lengths
// of the lists are known when the expression compiles (ranges between
// constants, list literals, let names bound to them), the cost is
// computed then, and an expression over the budget is refused:
//
//	let r = 1..40000; all(r, all(r, true))   refused: it costs 1,600,080,006 units
//	all(history, .status != "closed")        charged as it runs: each ticket has its history
//
// Otherwise the evaluation charges the cost as it runs, and fails with
// [ErrLimit] beyond the budget. [Program.EvalContext] stops an evaluation
// when its context is cancelled, in the middle of a long predicate too.
//
// # Evaluation
//
// A [Program] is compiled once and shared by every goroutine: [Program.Eval]
// runs it on expr's VM, one VM per goroutine from a pool, with the
// environment passed by value; [EvalAs] gives its value in its Go type;
// [Program.EvalContext] and [EvalAsContext] stop when a context is
// cancelled.
// [Program.Tree] is the tree the compiler checked, for tools that analyse
// expressions or compile them further: the engine (package sla) compiles
// item expressions into typed Go closures over the record, which give the
// same results and allocate nothing.
package dsl
