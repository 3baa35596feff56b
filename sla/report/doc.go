// Package report renders an [sla.Report] for people and programs: text
// for a terminal, GitHub Markdown, CSV, JSON, and a self-contained HTML
// page with SVG charts.
//
//	rep, err := sla.Evaluate(ctx, c, in)
//	if err != nil { … }
//	err = report.Text(os.Stdout, rep, report.Options{Locale: report.FromReport})
//	err = report.HTML(f, rep, report.Options{Locale: report.French, Title: "ACME, May 2027"})
//
// Every renderer has the signature func(io.Writer, *sla.Report, Options)
// error, renders into memory and writes once: the writer gets the whole
// output or, on error, nothing. None panics on a report that no
// evaluation gives (no periods, no rules, nil values); a nil report is an
// error.
//
// # What each format shows
//
// [Text], [Markdown] and [HTML] show the same content, in this order: the
// contract, the periods and the instant the data describes; a summary of
// what is due per period; the rules and their objectives as the contract
// writes them; then, per period, the invoice (work units, bands,
// quantities, prices), a table of the rules (items counted, met, missed,
// excluded, the achieved value against the objective in its unit, the
// status, the raw penalty, the penalty and the bonus due), the trace lines
// of the penalty pipeline that changed an amount and the period's own
// steps (caps, bonus cap, netting), the missed items of the rules
// breached (measured, deadline, late, per-item amount), the items
// exclusions left out of every rule, met or not, with their reason (short
// abandons are only counted), and what is due;
// then the totals overall and per contract year, the accounting of the
// records (read = counted + excluded + rejected, with the reasons), the
// rejected records, the rule errors and the warnings. The text is laid
// out for 100 columns; wide cells wrap.
//
// [HTML] adds three kinds of chart, drawn as inline SVG: the penalties due
// per period stacked by rule, with the bonuses hatched below the axis and
// the net as a tick; one small chart per rule of what it achieved against
// its objective (dashed) over the periods, breaches flagged with a red
// diamond, shares, durations and counts each on their own scale; and, in
// each period with an amount, a waterfall from the raw penalties through
// each step of the pipeline (observation, franchise, repeat, rounding,
// rule caps, monthly cap, yearly cap) to the penalties due, then the
// bonuses set off, to the net. Every SVG has a title and a description
// listing its values, every bar and point a tooltip. The page has no
// script and loads nothing; it is well-formed XML as well as HTML.
//
// [CSV] writes one row per period and rule under the stable columns of
// [CSVHeader], numbers as the report holds them. [JSON] writes the
// report's own JSON, indented.
//
// # Numbers
//
// Amounts, shares and durations are formatted by a [Format] from their
// decimal digits, never through a float: rounding is half away from zero
// and exact. Locale Plain writes 1234.56 EUR and 95.24 %; [French] writes
// 1 234,56 € and 95,24 %, with a narrow no-break space (U+202F) between
// thousands and before %, and a no-break space (U+00A0) before € and
// units, as CLDR does; [English] writes €1,234.56. A rule's values read
// in the unit the report gives it (RuleReport.Unit): a ratio as a
// percentage, a duration in hours and minutes, an integer, a number.
// Shares show two
// decimals at most, trailing zeros dropped (95 %, 95.24 %), and more when
// rounding would print a value that misses its objective as the objective
// itself (94.996 % against 95 %). Durations read as contracts write them:
// 4h30min, 45min, 27.5 s. The tables show amounts to the cent; the trace
// of the pipeline keeps them exact, as the JSON report does, so that the
// rounding step shows what it did. What a missed item measured and how
// late it was read to the second, rounded up: an item late by a fraction
// of a second is "1 s" late, never "0 s". Dates are written 2027-05-11
// 16:45 in every locale, in the zone the report carries.
//
// # Language
//
// The locale sets the language of the report's own texts too: headings,
// column headers, statuses, legends and the charts' titles, axes,
// legends and descriptions are in French for [French] (and the HTML page
// says lang="fr"), in English otherwise. What the report carries as data
// reads as it was written: the contract's rule names and objectives, and
// the engine's trace notes, exclusion reasons and warnings.
//
// # Charts for other packages
//
// [LineChart] draws one or more series over shared x values as an SVG
// element, for other packages (sla/simulate draws its sensitivity charts
// with it), and [Table] lays out text tables the way reports do.
package report
