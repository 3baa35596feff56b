package pacte

import (
	"fmt"
	"strings"

	"github.com/pacte-sla/pacte/internal/diag"
)

// RecordError is a record that was refused: a row a reader could not turn
// into a record, or a record the engine could not evaluate. It says where
// the record came from, so that a user can find it and mend it.
//
// Err is the reason; errors.Is and errors.As see through a RecordError to
// it.
type RecordError struct {
	Kind   string // the kind of record: "tickets", "calls", "outages", "samples"; empty when unknown
	Source string // file or stream name; empty when unknown
	Line   int    // 1-based line (or row) in Source; 0 when unknown
	Column string // column or field at fault; empty when the whole record is
	ID     string // record identifier, when it could be read
	Err    error
}

func (e *RecordError) Error() string {
	var b strings.Builder
	b.WriteString(diag.Where(e.Source, e.Line, 0))
	if e.ID != "" {
		fmt.Fprintf(&b, "%s: ", e.ID)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("refused")
	}
	return b.String()
}

func (e *RecordError) Unwrap() error { return e.Err }
