package report

import (
	"bytes"
	"errors"
	"io"

	"github.com/pacte-sla/pacte/sla"
)

// Options set how a report is rendered. The zero Options render
// everything, numbers as the report holds them (Plain).
type Options struct {
	// Locale of the numbers and language of the texts: Plain (""),
	// French ("fr"), English ("en"),
	// or FromReport for the contract's own. CSV and JSON ignore it: they
	// are for programs, and always write 1234.56.
	Locale Locale
	// Currency places the currency symbol; Symbol replaces it ("" for
	// the usual symbol of the report's currency).
	Currency Placement
	Symbol   string
	// Title heads the report; "" for the contract's name.
	Title string
	// HideMissed leaves out the listings of items: the missed items of
	// breached rules and the excluded items; HideTrace leaves out the
	// pipeline's trace lines.
	HideMissed bool
	HideTrace  bool
	// MaxMissed lists at most this many missed items, and as many
	// excluded items, per rule and period (and says how many more there
	// are); 0 lists them all. It bounds both as sla.ListMissed does.
	MaxMissed int
}

// errNilReport is returned by every renderer given a nil report.
var errNilReport = errors.New("report: nil report")

// render renders into a buffer and writes it in one call, so that a
// renderer's output is all or nothing and its errors are the writer's.
func render(w io.Writer, r *sla.Report, f func(*bytes.Buffer) error) error {
	if r == nil {
		return errNilReport
	}
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (o Options) title(r *sla.Report) string {
	switch {
	case o.Title != "":
		return o.Title
	case r.Contract != "":
		return r.Contract
	}
	return "SLA report"
}
