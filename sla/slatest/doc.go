// Package slatest tests the clauses of a contract: a few records, the
// instant they are evaluated at, and the figures the contract must give for
// them, after Prometheus's `promtool test rules`.
//
// A clause test file sits beside its contract and lists cases:
//
//	contract: acme.yaml                 # relative to this file
//	cases:
//	  - name: INC-P1 one P1 restored after 8 h 30 of HE time costs 150.00
//	    as_of: 2027-05-01 00:00         # the evaluation instant (sla.Input.AsOf)
//	    tickets:
//	      - {id: INC-3, kind: incident, priority: P1, opened: Wed 2027-04-07 08:00,
//	         acknowledged: +5min, resolved: +8h30min HE}
//	    expect:
//	      - period: 2027-04
//	        penalties: 150.00
//	        rules:
//	          INC-P1: {eligible: 1, missed: 1, status: met, penalty: 150.00}
//
// `pacte test acme_test.yaml` runs it, and so does [RunFile] from a Go
// test. A failing expectation says where it is written, what it expected,
// what came out and the report's trace of that figure:
//
//	acme_test.yaml:12:50: 2027-04 INC-P1 penalty: want 150.00, got 300.00
//	    raw penalty 150.00
//	    repeat penalty: 150.00 → 300.00 (breached 2 periods in a row: × 2)
//
// # Cases
//
// A case has a name, and may have: as_of; from and to (months, such as
// 2027-04, bounding the periods reported, to excluded as pacte eval's
// -to: from: 2027-04, to: 2027-05 is April); records under tickets, calls,
// outages and samples; volumes ({2027-04: {UO-POSTE: 1201}}, for the work
// units whose volume is given) and indices ({Syntec: {2027-09: 305.1}});
// rejected, the number of records the engine must reject (0 by default);
// errors, the number of errors the report must list, such as a ticket
// whose key a table lacks (0 by default: any error fails the case);
// and expect, which it must have unless it expects errors or rejected
// records.
//
// Records have the fields of pacte's records, with their JSON names:
// tickets id, kind, priority, service, category, group, level, opened,
// acknowledged, resolved, closed, status, history (a list of {at, status}),
// pauses (a list of [from, to]), reopened (a list of instants),
// reopen_count, reassignment_count,
// satisfaction, links (a list of {id, kind, priority, resolved}), exclusion
// and attrs; calls id, queue, offered, answered, ended, abandoned,
// first_contact, agent; outages id, service, start, end, planned,
// announced; samples id, name, at, value. IDs default to T1, C1, O1, S1… by
// position. count: 20 repeats a record 20 times, its IDs then suffixed -1
// to -20; every: 1h moves each copy an hour (of wall-clock time) after the
// one before. Two records of a kind may not share an ID (a call its ID and
// queue, an outage its ID and service, a sample its ID and name), as the
// readers of exports reject the second. Volumes name work units whose
// volume is given, indices the index of the price revision.
//
// # Instants
//
// Instants are written in the contract's zone (a local time of the hour
// repeated when clocks go back is its first occurrence, as the readers of
// exports take it; an offset, 2027-10-31T02:30+01:00, names the second),
// and may count from another instant of the same record on the contract's
// calendars (see [Clock]):
//
//	opened: Mon 2027-03-01 08:00         the weekday, when written, is checked
//	resolved: +4h30min HE                4 h 30 of HE open time after opened
//	acknowledged: +10min                 10 minutes of wall-clock time after opened
//	resolved: end_of_open_day(3) HO      the end of the third HO open day after opened's day
//	reopened: [resolved +240h]           counting from the field named
//
// A ticket's relative instants count from its opened instant, a call's
// from offered, an outage's from start, a sample's from at.
//
// # Expectations
//
// expect lists periods (as the report names them: 2027-04), each with
// figures of the period (invoice, penalties, bonuses, net, capped: the
// monthly or yearly cap cut the penalties, bonus_capped) and of its rules
// (eligible, met, missed, excluded, achieved, status, small_volume,
// penalty, bonus, raw_penalty, raw_bonus, capped, missed_items,
// excluded_items: the items an exclusion left out, short abandons apart; a rule
// group's row by its id, with penalised: the members that carried a
// penalty). Only the figures written are checked, and a period or a rule
// must check at least one. Amounts and counts compare exactly and may
// be written as constant expressions of the contract language (3% * 18000
// + 300); an achieved value compares to the precision written (99.502%
// is any value that rounds to it, 90% any from 89.5% to 90.49…%), or
// exactly when written as an expression ((338h - 62min) / 338h), and
// with a value of its type: a duration (2h30min), a count (1, of an
// objective such as missed <= 1), or a number or percentage. excluded is a count, or counts per
// reason ({announced maintenance: 1}).
//
// # Errors
//
// Load and Parse report every error of a file at once, as package contract
// does: a dsl.ErrorList of *dsl.Error with file:line:col, the line, a caret
// and a hint; unknown keys are errors. A case that expects nothing is an
// error too: it could not fail. A file has at most 4 MB; its records are
// built when it is read, at most 100,000 of a kind in a case and 300,000
// in the file.
//
// # In Go
//
// [NewRecords] builds records with the same notation for instants, [Rule]
// and [Period] assert the figures of a report, and [RunFile] runs a file's
// cases as subtests:
//
//	b := slatest.NewRecords(t, c)
//	inc := b.Ticket("INC-3", "incident", "P1", "Wed 2027-04-07 08:00").Resolved("+8h30min HE").Build()
//	rep := slatest.Evaluate(t, c, sla.Input{Tickets: slices.Values([]pacte.Ticket{inc}), AsOf: b.At("2027-05-01")})
//	slatest.Rule(t, rep, "2027-04", "INC-P1").Missed(1).Penalty("150.00")
package slatest
