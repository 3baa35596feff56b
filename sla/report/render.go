package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/pacte-sla/pacte/sla"
)

// Text writes the report for a terminal, laid out for 100 columns: a
// header, a summary per period, the rules, then a section per period (its
// invoice, a table of its rules, the pipeline's trace lines that changed
// an amount and the period's own steps, the missed items of the rules
// breached, what is due), the totals overall and per contract year, the
// accounting of the records, the rejected records and the rule errors.
func Text(w io.Writer, r *sla.Report, opts Options) error {
	return render(w, r, func(buf *bytes.Buffer) error {
		return buildDocument(r, opts, false).writeText(buf)
	})
}

// Markdown writes the report as GitHub Markdown, with the content of Text
// in headings and tables.
func Markdown(w io.Writer, r *sla.Report, opts Options) error {
	return render(w, r, func(buf *bytes.Buffer) error {
		return buildDocument(r, opts, false).writeMarkdown(buf)
	})
}

// CSVHeader are the columns CSV writes, in order. Columns may be added
// at the end in later versions, never removed or moved.
var CSVHeader = []string{
	"period", "contract_year", "rule", "name", "rule_period", "status", "small_volume",
	"eligible", "met", "missed", "excluded", "measure", "value_type", "achieved", "objective", "objective_text",
	"raw_penalty", "penalty", "raw_bonus", "bonus", "missed_listed", "provisional",
}

// CSV writes one row per period and rule, under CSVHeader, as RFC 4180
// CSV. Numbers are written as the report holds them, whatever the
// options: amounts as plain decimals with a dot ("1234.56"), shares as
// fractions ("0.9524"), durations in seconds, an empty achieved when
// nothing was measured. A rule's name or objective that a spreadsheet
// would take for a formula (beginning with =, +, -, @, a tab or a
// carriage return) is written after an apostrophe, which Excel and
// LibreOffice read as "text".
func CSV(w io.Writer, r *sla.Report, opts Options) error {
	return render(w, r, func(buf *bytes.Buffer) error {
		cw := csv.NewWriter(buf)
		if err := cw.Write(CSVHeader); err != nil {
			return err
		}
		for _, p := range r.Periods {
			for _, rr := range p.Rules {
				achieved := ""
				if rr.Achieved != nil {
					achieved = rr.Achieved.Text()
				}
				row := []string{
					p.Period, strconv.Itoa(p.ContractYear), rr.ID, csvText(rr.Name), rr.Period, string(rr.Status), strconv.FormatBool(rr.SmallVolume),
					strconv.Itoa(rr.Eligible), strconv.Itoa(rr.Met), strconv.Itoa(rr.Missed), strconv.Itoa(sumCounts(rr.Excluded)),
					string(rr.Measure), rr.Objective.TypeName(), achieved, rr.Objective.Text(), csvText(rr.ObjectiveText),
					rr.RawPenalty.Text(), rr.Penalty.Text(), rr.RawBonus.Text(), rr.Bonus.Text(), strconv.Itoa(rr.MissedListed),
					strconv.FormatBool(p.Provisional || rr.Provisional),
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// csvText keeps a text cell from being read as a formula by a
// spreadsheet: one that begins with a character that starts a formula
// gets a leading apostrophe (OWASP's advice on CSV injection).
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// JSON writes the report as indented JSON: the report's own encoding
// (snake_case names, amounts and numbers as decimal strings), stable for
// the same report since maps are written sorted. Options are ignored.
func JSON(w io.Writer, r *sla.Report, opts Options) error {
	return render(w, r, func(buf *bytes.Buffer) error {
		enc := json.NewEncoder(buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	})
}
