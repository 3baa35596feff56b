// Package ingest reads the exports of ITSM tools, phone systems and
// monitoring into pacte records, as streams the engine evaluates without
// holding the data.
//
// An outsourcer's data lives in exports: CSV from ServiceNow, GLPI, iTop
// or Jira, JSON Lines from their APIs. Each tool names its columns, writes
// its dates and spells its priorities its own way, and real exports have
// bad rows. This package turns them into [pacte.Ticket], [pacte.Call],
// [pacte.Outage] and [pacte.Sample] values, and accounts for every row:
// a row is either in a record or refused with a [pacte.RecordError] that
// says where it is (file, line, column) and why, so that a report can
// list it and a user can mend it.
//
// # Reading
//
// [ReadTickets], [ReadCalls], [ReadOutages] and [ReadSamples] return a
// [Reader], whose Records method is an iter.Seq read one row at a time.
// Rejected yields the refused rows once Records has been consumed, and
// Stats counts rows, records, accepted and rejected rows, with
// Rows == Accepted + Rejected. An input that cannot be read to its end
// (I/O error, bad header, strict mode) ends Rejected with one more error
// wrapping [ErrStopped], also returned by Err. This is the shape the
// engine's input takes:
//
//	tickets, err := ingest.ReadTickets(f, ingest.ServiceNowIncidents(),
//		ingest.Options{Name: "incidents.csv", Location: paris})
//	if err != nil { … }                          // a bad mapping or options
//	in := sla.Input{Tickets: tickets.Records(), Rejected: tickets.Rejected()}
//
// # Mappings
//
// A [Mapping] names, for each record field, the column that holds it
// (alternatives allowed: "opened_at|Opened"), the date formats, the
// values that mean "missing", how priorities are normalised ("1 -
// Critical" → "P1"), and what the statuses mean (which pause the clocks,
// which resolve or close a ticket). It is built in Go, loaded from a
// YAML file ([LoadMapping]), or taken from a preset: [ServiceNowIncidents],
// [ServiceNowEventLog], [GLPITickets], [ITopTickets],
// [JiraServiceManagement]. A nil mapping reads pacte's own format.
// Unmapped columns go to the record's Attrs.
//
// # Broken and hostile exports
//
// Exports break: a quote left unclosed, a file saved again by Excel in
// Windows-1252, a cell pasted from a log, a header of a million columns.
// The readers keep two promises on any input: nothing is dropped silently,
// and what a read holds is bounded.
//
//   - CSV is read by pacte's own reader (RFC 4180: quotes doubled inside
//     quoted values, line breaks inside them). Blank lines, and rows of
//     empty cells only (";;;", as Excel writes a row whose cells were
//     emptied), are skipped and not counted. A row that spans several
//     lines and cannot be read (a quote left unclosed to the end of the
//     input, or closed by the quote of a later cell, or running on past
//     Limits.RowLines or Limits.RowBytes) is refused at its first line,
//     and the lines after that one are read again as rows: those a quote
//     swallowed are found again, and the others are refused, each with its
//     line. Options.StrictSyntax fails the input at its first malformed
//     row instead.
//   - [Limits] bound a row, a value, a header's columns and the lines of a
//     row (16 MB, 16 MB, 10,000 and 10,000 by default, the same for CSV
//     and JSON Lines); a row over them is refused with ErrTooLarge and its
//     line, a header over them stops the read.
//   - Encodings: an input is UTF-8 (a byte order mark is accepted) unless
//     the mapping or Options say Windows-1252 or ISO-8859-1. The whole input
//     is checked before its first record, so that an input not valid in its
//     encoding is refused with one error, which names the encoding it looks
//     like, and none of its records is used: a file is read twice for that,
//     and an input that cannot seek is held in memory up to
//     Limits.HeldBytes (64 MB by default).
//   - A record the engine would refuse (an instant outside 1900–2199, such
//     as the year 0001 or 9999 some tools write for "never"; instants out
//     of order) is refused by the reader, with its line and column: the
//     checks are the engine's own ([pacte.CheckTicket] and its kin).
//     Errors in JSON Lines give the column of the line where the JSON
//     breaks.
//
// # Event logs
//
// A mapping with EventLog set reads an audit or event-log export (one row
// per update, such as the public ServiceNow incident event log) and
// rebuilds each ticket with its status history, pauses and reopenings;
// see [ReadTickets] for the rules and their memory cost. When the export
// has no resolution (or closure) column for a ticket, the instant it
// entered a resolved (closed) status is taken from its history, and the
// ticket's attribute pacte.AttrInferred says so ("resolved",
// "resolved,closed"): nothing is inferred in silence, and the report's
// accounting counts them.
//
// # Decisions
//
//   - Time zones: instants written without a zone are read in
//     Options.Location, which is required (the contract's zone). There is
//     no default: the machine's zone would make results depend on where
//     they are computed, and UTC would shift a French export by an hour
//     or two without a word.
//   - Dates: ISO 8601 and day-first numeric dates are read by default;
//     month-first and other layouts must be named in the mapping, since
//     03/01 cannot be told apart. Impossible dates (31/02, 25:00) are
//     refused, not normalised into another day.
//   - Unknown values: a priority the mapping cannot normalise refuses the
//     row rather than passing through, so that it cannot silently escape
//     a rule on priorities. Unknown kinds and statuses pass through as
//     written.
//   - Numbers are decimal.Decimal, read with a decimal point or a French
//     decimal comma ("4,5"); never float64.
//   - Duplicate IDs: a row that repeats an earlier record of the same
//     input (its ID, and for a call its queue, for an outage its service,
//     for a sample its name) is refused with ErrDuplicate, naming the
//     first row, and the first record is kept: merged extracts and
//     overlapping pages repeat rows, and the engine would count them
//     twice. This keeps a copy of every key read until the stream ends
//     (about 72 MB for a million records); Options.AllowDuplicateIDs
//     turns it off.
//   - Nothing panics on any input: fuzz tests cover each reader.
//
// Speed: reading a 10-column incident CSV into tickets takes two
// allocations per row when every column is mapped, one without the check
// of duplicate IDs; BenchmarkCSVTickets and
// BenchmarkCSVTicketsAllowDuplicates measure it, and the README's table
// gives the current figure.
package ingest
