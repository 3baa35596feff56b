// Package pacte turns IT outsourcing contracts (infogérance) into code.
//
// A contract is a YAML file: its parties and term, its service calendars
// (business hours, holidays), its work units (unités d'œuvre) and prices, and
// its service levels written as rules in an expression language. pacte
// evaluates any stream of tickets, calls, outages or samples against it and
// returns, per period and per rule, what was counted, what met the
// objective, what it costs (penalties, bonuses, caps) and why, down to the
// item. Money is exact (decimal), clocks run on business-hours calendars.
//
// The module is layered; a package imports only the ones above it:
//
//	calendar       business time: schedules, holidays, time zones
//	pacte          this package: the records every other package shares
//	dsl            the SLA expression language: compile, type-check, run
//	contract       the agreement as data: load, validate, compile, price
//	sla            evaluation, penalties, reports as data
//	sla/ingest     CSV and JSON Lines readers, ITSM export presets
//	sla/report     renderers: text, Markdown, CSV, JSON, HTML with SVG charts
//	sla/simulate   Monte Carlo of a contract for bids; Erlang C staffing
//
// This package holds the records: [Ticket], [Call], [Outage] and [Sample].
// They are plain structs with the fields every ITSM tool has, and an Attrs
// map for the rest. A zero [time.Time] always means "did not happen".
// Records reach the engine as streams ([iter.Seq]), never as whole slices,
// so memory grows with the contract, not with the data.
//
// Records that cannot be read or evaluated are not dropped: they become a
// [RecordError], which says where the record came from and why it was
// refused, and which every report lists.
package pacte
