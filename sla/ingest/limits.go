package ingest

import (
	"errors"
	"fmt"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/diag"
)

// Defaults of [Limits]. MaxLineBytes, one row, is also the cap of a JSON
// Lines line.
const (
	MaxFieldBytes = 16 << 20 // one value: a CSV cell, a JSON value
	MaxColumns    = 10_000   // columns of a CSV header, keys of a JSON object
	MaxRowLines   = 10_000   // lines one CSV row spans through line breaks in quoted cells
	MaxHeldBytes  = 64 << 20 // an input that cannot seek, held to be checked before its first record
)

// MaxMappingBytes bounds a mapping file: a mapping is a few dozen lines,
// and a larger file is not one (a data file given by mistake, a device).
const MaxMappingBytes = 1 << 20

// Limits bound what one input may make a reader hold, so that a broken or
// hostile export costs memory in proportion to the limits rather than to
// its size. A zero field takes its default. A row over a limit is refused
// with ErrTooLarge, naming its line, and reading goes on; a header over
// one stops reading.
type Limits struct {
	// RowBytes bounds one row: a JSON Lines line, a CSV row with the line
	// breaks of its quoted cells. Default MaxLineBytes (16 MB).
	RowBytes int
	// FieldBytes bounds one value: a CSV cell, a JSON value. Default
	// MaxFieldBytes (16 MB).
	FieldBytes int
	// Columns bounds the columns of a CSV header and the keys of a JSON
	// Lines object once flattened. Default MaxColumns (10,000): a
	// million-column header would make every row cost a million cells.
	Columns int
	// RowLines bounds the lines one CSV row may span through line breaks
	// inside quoted cells. Multi-line cells are common (work notes,
	// descriptions); one that runs on for more lines than this is taken
	// for a quote left unclosed (see [ReadTickets]). Default MaxRowLines
	// (10,000).
	RowLines int
	// HeldBytes bounds the bytes of an input that cannot seek that are held
	// in memory, so that the input is checked whole (its encoding) before
	// its first record: see [Options].Encoding. Default MaxHeldBytes
	// (64 MB).
	HeldBytes int
}

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	or := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	or(&l.RowBytes, MaxLineBytes)
	or(&l.FieldBytes, MaxFieldBytes)
	or(&l.Columns, MaxColumns)
	or(&l.RowLines, MaxRowLines)
	or(&l.HeldBytes, MaxHeldBytes)
	return l
}

// Reasons a row or an input is refused, beyond those of errors.go.
var (
	// ErrTooLarge: a row, a value or a header is over [Limits], or an
	// input that cannot seek is over Limits.HeldBytes.
	ErrTooLarge = errors.New("over a size limit")
	// ErrOutOfRange: an instant outside the years the engine's calendars
	// compute (pacte.MinUnix to pacte.MaxUnix), such as the year 0001 or
	// 9999 some tools write for "never". It is pacte.ErrOutOfRange, so
	// that the engine's refusals and the readers' match alike.
	ErrOutOfRange = pacte.ErrOutOfRange
	// ErrConflict: two values of a row contradict each other (a call both
	// answered and abandoned). It is pacte.ErrConflict.
	ErrConflict = pacte.ErrConflict
)

// readFileLimited reads a whole file of at most limit bytes, reading no
// more than limit+1 of a larger one: the size a file announces may be
// wrong (a device, a file still being written).
func readFileLimited(path string, limit int) ([]byte, error) {
	return diag.Load(path, limit, func(data []byte, _ string) ([]byte, error) {
		if len(data) > limit {
			return nil, overLimit(limit)
		}
		return data, nil
	})
}

func overLimit(limit int) error {
	return fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
}
