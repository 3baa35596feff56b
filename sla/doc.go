// Package sla evaluates records against a contract: compliance per rule
// and period, penalties and bonuses through the contract's pipeline, and
// a report that shows why, item by item.
//
//	c, err := contract.Load("acme.yaml")
//	rep, err := sla.Evaluate(ctx, c, sla.Input{
//		Tickets: slices.Values(tickets), Calls: calls,   // any iter.Seq
//		Volumes: map[string]map[string]decimal.Decimal{"2027-03": {"UO-POSTE": decimal.NewFromInt(812)}},
//		AsOf:    extractedAt,
//	})
//
// # Streaming and sharding
//
// [Evaluate] reads each stream once and keeps, per rule and period, only
// counters and sums: memory grows with the contract, not with the data,
// except for the items listed as missed or excluded ([ListMissed] bounds
// them), the
// values of median and percentile objectives, and the tickets still
// running (see below). An [Evaluator] takes records one at a time for
// embedders; evaluators fed with parts of the data and merged ([Evaluator.Merge])
// give the same report as one fed with all of it, whatever the split and
// the order of the records.
//
// # Evaluator state
//
// An evaluator's state crosses processes as bytes: [Evaluator.MarshalBinary]
// writes it, [Evaluator.UnmarshalBinary] reads it into an evaluator of the
// same contract made with [NewEvaluator], which can then take more
// records, merge with others and report. Uses: a checkpoint of a long
// evaluation stored and resumed after a restart, and the parts of a
// sharded evaluation shipped to the worker that merges them ([Accumulate]
// evaluates an Input into an evaluator rather than a report). The same
// state always gives the same bytes.
//
// The format, version [StateVersion], is a sequence of fields without
// names or padding:
//
//   - the magic "PACTEST\x00", then the format version as an unsigned
//     varint;
//   - the contract's digest ([contract.Contract.Digest], 32 bytes): a state
//     is read only by an evaluator of a contract of the same meaning
//     ([ErrOtherContract]), comments and layout aside;
//   - the configuration: report range, extraction instant, listing limit
//     of missed items, the sources given;
//   - per rule and period that counted something, in order of rule then
//     period: the counters and sums of its objectives, the values kept for
//     medians and percentiles, its exclusions by reason, per-item amounts,
//     listed missed items, listed excluded items (ID, instant, reason,
//     adjustment; no reason lists more than it counts) and outage spans;
//   - the accounting of records per source, the rejected records, the rule
//     errors, the counted volumes by work unit and month, the latest
//     instant seen, the tickets still running (whole, with the rules they
//     run in) and the outages still going on.
//
// Integers are varints (signed zig-zag, unsigned plain); strings are a
// length then UTF-8 bytes; maps are written in the order of their keys. A
// decimal is written exactly: its exponent, the sign and the big-endian
// magnitude of its coefficient. An instant is its zone's name and UTC
// offset then its Unix nanoseconds (the zero time: an empty name, offset
// −1); read back, it is in the named zone when that zone has the same
// offset at that instant, in a fixed zone of that name and offset
// otherwise. A state of another version is refused with a message naming
// both ([ErrStateVersion]); a state that is not well formed is an error
// ([ErrCorruptState]), never a panic: the reader accepts exactly what the
// writer gives, so what it reads writes back to the same bytes.
//
// A live table ([Live]) marshals too, under the magic "PACTELV\x00" and the
// same version and digest: whether it counts settled tickets, its open
// tickets in the table's order and its settled ones by ID, each with the
// ticket rules whose scope took it, then the evaluator state of its calls,
// outages and samples. A checkpointed table resumes after a restart with
// what it had; what a watch keeps between events is not part of it.
//
// # Semantics
//
// Periods are months by default (quarters, years and contract years on
// request), in the contract's zone. An item counts in the period of its
// attribution instant (a ticket's resolution unless the rule says
// otherwise). A ticket whose clock has passed its deadline and that was
// still running at the end of the deadline's period counts as missed in
// that period and in no later one, unless its rule's late_open is
// attribution: then it counts in its attribution period, and nowhere
// while it has no attribution instant yet. A ticket still running at AsOf
// and not yet past its deadline is pending: it counts nowhere yet, and the
// accounting says so of both. Every period in the range appears in the
// report, with the status not_applicable when nothing was measured, and
// no_data for the rules whose source was not given at all (a nil stream of
// [Input]): those carry no penalty and no bonus.
//
// Clocks measure open time on the rule's calendar from start to stop, less
// the ticket's pauses: its own Pauses and the spans of its history in a
// status the rule pauses on (the accumulator model of ServiceNow and Jira).
// A deadline of 4h is 4 hours of open time; end_of_open_day(3) allows the
// open time up to the end of the third open day after the day the clock
// started, so that pauses move it too.
//
// Shares are compared with their objective exactly, as met ≥ objective ×
// eligible, never through a rounded ratio: 19 of 20 meets 95 %. Amounts
// are decimals end to end.
//
// Penalties and bonuses go through the contract's pipeline in its order:
// observation period, franchise, repeat escalation, rounding, per-rule
// caps, monthly cap, yearly cap, bonus cap and netting. Every step leaves
// a trace line (rule, step, amount before and after, why). Caps reduce
// the amounts they cut in proportion, to the cent by largest remainder
// (docs/contract-format.md, "How a cap is shared", says how). The repeat
// and franchise steps look at the whole table from the first period with
// data, even when the report shows a later range.
//
// The steps before the caps (observation, franchise, repeat, rounding)
// act on each rule's period alone: they run right after its amounts are
// computed, period after period and, within one, in the contract's order
// of what reads what (contract.Contract.EvaluationOrder), so that a rule
// group, and a formula reading result("ID"), sees what each rule "carried"
// before the caps. A group's row ([RuleReport.Group]) comes after the
// rules, with a trace line naming the members that carried a penalty; its
// amounts then share the caps with the rules'. The de minimis franchise,
// which adds up a span, is decided once every period is known.
//
// # Live control
//
// [Live] answers while the period runs, with the same prepared rules: the
// timers of an open ticket ([Live.Timers]), the margin left in the period
// ([Live.Margin]), the items at risk ([Live.AtRisk]) and the events of a
// stream of updates and ticks ([Live.Watch]). The instant is always a
// parameter. A ticket running within its deadline counts as met in the
// margin, as if it stopped then; the docs/live.md page of the repository
// says what each figure means.
//
// # Accounting
//
// Every record is counted by some rule or work unit, excluded with a
// reason, or rejected with an error (in the report's records and rejected
// sections). A rule's report names the items its exclusions left out
// ([RuleReport.ExcludedItems]: the contract's exclusions, agreed ones,
// outages shorter than the minimum), each with its reason; short abandons,
// which the measure itself leaves out of every call rule, are counted
// there and in the call figures, not listed. A rule that fails on an item (a division by zero in a
// per-item formula) reports the rule and the item in errors and leaves the
// item out of that rule only. Nothing panics on bad input. Records are
// taken as given: two records with one ID are two items (the engine holds
// no set of IDs, so that its memory stays flat over millions of records);
// package sla/ingest refuses repeated IDs when it reads an export.
//
// # Determinism
//
// The report of the same data is the same byte for byte whatever the order
// of the records, the number of evaluators merged, GOMAXPROCS and the
// machine's time zone: lists are sorted, sums are exact.
package sla
