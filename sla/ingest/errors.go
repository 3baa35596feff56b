package ingest

import (
	"errors"
	"strings"

	"github.com/pacte-sla/pacte/internal/diag"
)

// Reasons a row is refused. A refused row reaches the caller as a
// *pacte.RecordError whose Err wraps one of these, so that a program can
// sort rejections with errors.Is without parsing messages.
var (
	// ErrMissing: a field the record cannot do without (its ID, its
	// opening instant…) is empty or holds a missing marker ("?", "NULL"…).
	ErrMissing = errors.New("missing value")
	// ErrDate: a value is not an instant in any of the mapping's date formats.
	ErrDate = errors.New("not a date")
	// ErrNumber: a value is not a number (decimal or integer as the field needs).
	ErrNumber = errors.New("not a number")
	// ErrBool: a value is not a yes/no answer.
	ErrBool = errors.New("not a boolean")
	// ErrPriority: a priority the mapping cannot normalise: it is not
	// among the mapping's priorities and does not start with a number.
	ErrPriority = errors.New("unknown priority")
	// ErrOrder: two instants of one record contradict each other
	// (resolved before opened, an outage that ends before it starts…).
	ErrOrder = errors.New("instants out of order")
	// ErrSyntax: the row cannot be split into values (bad CSV quoting, a
	// wrong number of fields, invalid JSON). A row over the size caps is
	// ErrTooLarge.
	ErrSyntax = errors.New("malformed row")
	// ErrSplitTicket: in an event log, rows of a ticket reappear after rows
	// of other tickets. Merging them would need the whole file in memory
	// and dropping them would lose updates, so they are refused.
	ErrSplitTicket = errors.New("ticket rows are not contiguous")
	// ErrTooManyEvents: an event-log ticket has more than MaxEventRows rows.
	ErrTooManyEvents = errors.New("too many rows for one ticket")
	// ErrDuplicate: a record has the ID of an earlier row of the same
	// input. An export that repeats rows (two extracts merged, pages that
	// overlap) would otherwise count those records twice.
	ErrDuplicate = errors.New("duplicate id")
)

// Reasons a whole input is refused or cut short. They reach the caller
// through Reader.Err and as the last error of Reader.Rejected.
var (
	// ErrStopped is wrapped by the error that ends reading before the end
	// of the input (I/O error, bad header, strict mode, MaxRejected), so
	// that a consumer can tell a truncated stream from refused rows.
	ErrStopped = errors.New("reading stopped before the end of the input")
	// ErrHeader: the CSV header is missing, or lacks a column the mapping
	// requires.
	ErrHeader = errors.New("bad header")
	// ErrEncoding: the input is not valid text in its declared encoding
	// (UTF-8 unless the mapping or Options say windows-1252 or
	// iso-8859-1), or not text at all (a spreadsheet, a compressed file).
	ErrEncoding = errors.New("unsupported input encoding")
	// ErrNoLocation: Options.Location is nil. Naive instants ("2027-03-01
	// 09:00") are only meaningful in the contract's time zone, and
	// guessing it (time.Local) would make results depend on the machine.
	ErrNoLocation = errors.New("no time zone: set Options.Location to the contract's zone")
	// ErrMapping is matched (errors.Is) by every *MappingError.
	ErrMapping = errors.New("invalid mapping")
)

// MappingError is a mapping that cannot be used, with the place in the
// mapping file at fault when it came from one, so that its author can
// find the line to mend.
type MappingError struct {
	File   string // mapping file name; empty for a mapping built in Go
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	Key    string // dotted path of the key at fault ("columns.opened"); empty for the whole mapping
	Err    error
}

func (e *MappingError) Error() string {
	var b strings.Builder
	b.WriteString(diag.Where(e.File, e.Line, e.Column))
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(ErrMapping.Error())
	}
	return b.String()
}

func (e *MappingError) Unwrap() error { return e.Err }

// Is makes every MappingError match ErrMapping, whatever its cause.
func (e *MappingError) Is(target error) bool { return target == ErrMapping }
