package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/internal/records"
)

// Options are the settings of one read that do not belong to the export's
// shape (which is the Mapping's business).
type Options struct {
	// Name is the input's name in errors, usually its file name.
	Name string

	// Location is the zone of instants written without one: the
	// contract's zone. It is required; there is no default, because
	// time.Local would make results depend on the machine and UTC would
	// silently shift every naive instant of a French export by one or two
	// hours. All instants, zoned or not, are returned in this zone.
	Location *time.Location

	// Format of the input; AutoFormat detects CSV or JSON Lines.
	Format Format

	// Encoding overrides the mapping's (see Mapping.Encoding): "utf-8",
	// "windows-1252" or "iso-8859-1"; empty keeps the mapping's, UTF-8
	// when it has none. The whole input is checked before its first record
	// (see Limits.HeldBytes for an input that cannot seek), so that an
	// input not valid in its encoding is refused with one error, before
	// any of its records is used: nothing is half read.
	Encoding string

	// Strict stops reading at the first refused row, for pipelines where
	// any bad row means a bad export.
	Strict bool

	// StrictSyntax stops reading at the first row that cannot be split
	// into values (ErrSyntax: bad quoting, a wrong number of fields,
	// invalid JSON; ErrTooLarge: a row over Limits), for pipelines where a
	// broken file must fail whole. Rows refused for their values are still
	// refused one by one.
	StrictSyntax bool

	// MaxRejected, when positive, stops reading once that many rows have
	// been refused. Refused rows are kept in memory until Rejected is
	// read (about 200 bytes each), so a file whose every row is wrong
	// would otherwise cost memory in proportion to its size.
	MaxRejected int

	// AllowDuplicateIDs accepts rows that repeat an earlier record of the
	// input. By default such a row is refused with ErrDuplicate, since the
	// engine would count both. A record repeats another when it has the
	// same ID and, for a call, the same queue (a call transferred between
	// queues is offered to each), for an outage the same service (an
	// incident of a status page spans several services), for a sample the
	// same name. Rows without an ID (samples may have none) never repeat.
	// To tell, a flat reader keeps a copy of every such key it yields:
	// about 60 bytes plus the key's length each (72 bytes measured for
	// "INC0000001", 72 MB for a million records) until the stream ends,
	// and a row takes about a third longer to read (see
	// BenchmarkCSVTicketsAllowDuplicates). Event logs have their own
	// check (ErrSplitTicket).
	AllowDuplicateIDs bool

	// Limits bound what a read may hold: a row, a value, a header, an
	// input that cannot seek. The zero value takes the defaults.
	Limits Limits
}

// Stats counts what became of the rows of an input. Once the record
// stream has been consumed to its end, Rows == Accepted + Rejected: every
// data row was either used in a yielded record or refused with a
// RecordError.
type Stats struct {
	Rows     int // data rows read and accounted for (header and blank lines excluded)
	Records  int // records yielded
	Accepted int // rows used in yielded records; equals Records except for event logs, where one ticket spans several rows
	Rejected int // rows refused
}

// Reader streams the records of one input. It reads one row at a time
// (one ticket at a time for an event log) and does not hold the input,
// but for one that cannot seek, held while its encoding is checked (see
// Options.Encoding and Limits.HeldBytes).
//
// Records may be ranged over once; ranging over it again yields nothing.
// A seekable input (a file) is read twice by that range, once to check
// its encoding, then from where it was to its end as checked. Rejected, Err and Stats are complete once the
// record stream has ended. A Reader is not safe for concurrent use.
type Reader[T any] struct {
	in   io.Reader
	opts Options
	c    *compiled
	dec  *decoder
	// events reads an event log; nil for flat exports.
	events func(src source, yield func(T) bool)

	enc      encoding
	lim      Limits
	kind     RecordKind
	started  bool
	stopped  bool
	stats    Stats
	rejected []*pacte.RecordError
	final    *pacte.RecordError
	seen     map[string]int // line of each record ID yielded, for ErrDuplicate
	missing  []MissingColumn
}

// MissingColumn is a field a mapping maps whose column a CSV header
// lacks: the field reads as empty in every row.
type MissingColumn struct {
	Field   string   // the mapping's key: "resolved"
	Columns []string // the columns looked for, as the mapping writes them
}

func (m MissingColumn) String() string {
	return fmt.Sprintf("no column %s: the %s field is empty in every row", quoteAlternatives(strings.Join(m.Columns, "|")), m.Field)
}

// ReadTickets reads tickets from r. With m nil it reads pacte's own
// format (see Mapping).
//
// A flat export has one ticket per row. An event log (m.EventLog) has one
// row per update of a ticket; the reader rebuilds each ticket from its
// rows:
//
//   - Rows of one ticket must be contiguous (the export sorted or grouped
//     by ticket number): a ticket is yielded when the number changes, so
//     only one ticket's rows are held at a time. Rows of a ticket that
//     reappear after other tickets are refused with ErrSplitTicket rather
//     than merged (which would need the whole file) or dropped. To tell,
//     the reader keeps the number of every ticket met: about 60 bytes
//     plus the number's length per ticket (71 bytes measured for
//     "INC0000045"), 1.8 MB for the 25,000 incidents of the public
//     ServiceNow event log, 70 MB for a million tickets.
//   - Within a ticket, rows are sorted by the Updated column, then
//     Sequence, then file order, so an export in any row order within a
//     ticket gives the same ticket. A ticket of more than MaxEventRows
//     rows has its extra rows refused.
//   - Fields take their last known value: the value of the latest row
//     where they are not missing. Attrs likewise, per column.
//   - History has one StatusChange per change of status, at the row's
//     Updated instant. Pauses are the spans spent in PauseStatuses (one
//     span across consecutive pausing statuses); a pause still running at
//     the ticket's last row has a zero End, like an outage still going on
//     when the data was extracted. Reopened holds the instants at which
//     the status left ResolvedStatuses or ClosedStatuses for another one,
//     and those where ReopenCount grew without such a change.
//   - Resolved and Closed come from their columns; when these are absent
//     or empty and the last status is resolved (closed), from the instant
//     the ticket last entered that state.
//   - A row that cannot be read is refused alone and the ticket is built
//     from the others. A ticket that cannot be built whole (no opening
//     instant, resolved before opened) is refused as one RecordError at
//     its first line, counting all its rows as rejected.
func ReadTickets(r io.Reader, m *Mapping, opts Options) (*Reader[pacte.Ticket], error) {
	rd, err := newReader[pacte.Ticket](r, m, opts, TicketRecords)
	if err != nil {
		return nil, err
	}
	return withEvents(rd), nil
}

// withEvents makes a tickets reader rebuild tickets from their rows when
// its mapping reads an event log.
func withEvents(rd *Reader[pacte.Ticket]) *Reader[pacte.Ticket] {
	if rd.c.eventLog {
		rd.events = func(src source, yield func(pacte.Ticket) bool) { readEvents(rd, src, yield) }
	}
	return rd
}

// ReadCalls reads the calls offered to a phone queue from r. With m nil
// it reads pacte's own format (see Mapping).
func ReadCalls(r io.Reader, m *Mapping, opts Options) (*Reader[pacte.Call], error) {
	return newReader[pacte.Call](r, m, opts, CallRecords)
}

// ReadOutages reads service outages from r. With m nil it reads pacte's
// own format (see Mapping).
func ReadOutages(r io.Reader, m *Mapping, opts Options) (*Reader[pacte.Outage], error) {
	return newReader[pacte.Outage](r, m, opts, OutageRecords)
}

// ReadSamples reads measurements from r. With m nil it reads pacte's own
// format (see Mapping). A row whose value is missing is refused: a
// survey not answered is not a score of zero.
func ReadSamples(r io.Reader, m *Mapping, opts Options) (*Reader[pacte.Sample], error) {
	return newReader[pacte.Sample](r, m, opts, SampleRecords)
}

func newReader[T any](r io.Reader, m *Mapping, opts Options, kind RecordKind) (*Reader[T], error) {
	c, err := compileFor(m, kind)
	if err != nil {
		return nil, err
	}
	return compiledReader[T](r, c, opts)
}

// compileFor compiles m for a reader of kind; nil is pacte's own format.
func compileFor(m *Mapping, kind RecordKind) (*compiled, error) {
	if m == nil {
		return nativeCompiled(kind)
	}
	return m.compile(kind)
}

// compiledReader makes a reader of a mapping already compiled.
func compiledReader[T any](r io.Reader, c *compiled, opts Options) (*Reader[T], error) {
	if r == nil {
		return nil, errors.New("ingest: nil io.Reader")
	}
	if err := requireLocation(opts.Location); err != nil {
		return nil, err
	}
	enc := c.encoding
	if opts.Encoding != "" {
		var err error
		if enc, err = encodingNamed(opts.Encoding); err != nil {
			return nil, fmt.Errorf("ingest: Options.Encoding: %w", err)
		}
	}
	if opts.MaxRejected < 0 {
		opts.MaxRejected = 0
	}
	return &Reader[T]{
		in:   r,
		opts: opts,
		c:    c,
		dec:  newDecoder(c, opts.Location, opts.Name),
		enc:  enc,
		lim:  opts.Limits.withDefaults(),
		kind: c.kind,
	}, nil
}

// Records streams the records. Ranging over it reads the input; breaking
// out of the loop stops reading (Err stays nil, and the rows not read are
// not counted).
func (rd *Reader[T]) Records() iter.Seq[T] {
	return func(yield func(T) bool) {
		if rd.started {
			return
		}
		rd.started = true
		src, err := rd.open()
		if err != nil {
			rd.stop(err)
			return
		}
		if rd.events != nil {
			rd.events(src, yield)
			return
		}
		rd.readFlat(src, yield)
		rd.seen = nil // the keys are not needed once the input is read
	}
}

// Rejected streams the refused rows, in the order met: one error per
// refused row (or per refused event-log ticket), then, when reading
// stopped before the end of the input, one last error that wraps
// ErrStopped and the cause (an I/O error, a bad header, strict mode or
// MaxRejected). Read it after the record stream has ended: that is when
// it is complete.
func (rd *Reader[T]) Rejected() iter.Seq[*pacte.RecordError] {
	return func(yield func(*pacte.RecordError) bool) {
		for _, e := range rd.rejected {
			e.Kind = rd.kind.String()
			if !yield(e) {
				return
			}
		}
		if rd.final != nil {
			rd.final.Kind = rd.kind.String()
			yield(rd.final)
		}
	}
}

// Err returns the error that stopped reading before the end of the
// input, the same as the last error of Rejected, or nil when the input
// was read to its end (or the consumer stopped early).
func (rd *Reader[T]) Err() error {
	if rd.final == nil {
		return nil
	}
	return rd.final
}

// Stats returns the counts so far.
func (rd *Reader[T]) Stats() Stats { return rd.stats }

// MissingColumns lists the fields the mapping maps whose columns the
// CSV header lacks, once reading has begun: each reads as empty in every
// row. A misspelt column of an optional field (a ticket's resolution)
// would otherwise read every ticket as open, with no error; a required
// field's column missing stops the read (ErrHeader) instead, and a field
// with a default takes its default. A preset maps the columns of its
// tool's exports, some of which an export may lack: the list says which
// this one does. Nil for JSON Lines, whose rows name their own fields.
func (rd *Reader[T]) MissingColumns() []MissingColumn { return slices.Clone(rd.missing) }

// open checks the input's encoding, detects its format and, for CSV,
// reads the header.
func (rd *Reader[T]) open() (source, error) {
	in, size, err := checkedInput(rd.in, rd.enc, rd.lim.HeldBytes)
	if err != nil {
		return nil, err
	}
	// A small input gets a small buffer: reading many small inputs (a
	// fuzz test, a service fed one file per request) need not cost 64 KB
	// each.
	bufSize := 64 << 10
	if size >= 0 && size < int64(bufSize) {
		bufSize = max(int(size)+1, 16)
	}
	br := bufio.NewReaderSize(in, bufSize)
	format, err := sniff(br, rd.opts.Format)
	if err != nil {
		return nil, err
	}
	if format == JSONLines {
		return newJSONLSource(br, rd.c, rd.lim), nil
	}
	if format != CSV {
		return nil, fmt.Errorf("%w: unknown format %d", ErrEncoding, format)
	}
	src, err := newCSVSource(br, rd.c, rd.lim)
	if err != nil {
		return nil, err
	}
	rd.missing = src.missing
	return src, nil
}

func (rd *Reader[T]) readFlat(src source, yield func(T) bool) {
	for {
		rw, err := src.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if rd.malformed(err) {
				return
			}
			continue
		}
		rd.stats.Rows++
		rec, rej := decodeRow[T](rd.dec, rw)
		if rej == nil && !rd.opts.AllowDuplicateIDs {
			rej = rd.duplicate(&rec, rw)
		}
		if rej != nil {
			if rd.reject(rej) {
				return
			}
			continue
		}
		rd.stats.Records++
		rd.stats.Accepted++
		if !yield(rec) {
			return
		}
	}
}

// duplicate refuses a row that repeats an earlier record (see
// Options.AllowDuplicateIDs), and notes its key otherwise.
func (rd *Reader[T]) duplicate(rec *T, rw row) *pacte.RecordError {
	id, qualifier, what := records.Identity(rec)
	if id == "" {
		return nil
	}
	key := id
	if qualifier != "" {
		key = id + "\x00" + qualifier // a new string: it does not hold the row's memory
	}
	if first, ok := rd.seen[key]; ok {
		column := ""
		if rw.plan != nil && rw.plan.col[fID] >= 0 {
			column = rw.plan.colName[fID]
		}
		return rd.dec.rejection(rw.line, id, column, fmt.Errorf("%w: the record of line %d has the same %s", ErrDuplicate, first, what))
	}
	if rd.seen == nil {
		rd.seen = make(map[string]int)
	}
	if qualifier == "" {
		key = strings.Clone(key) // the ID shares the memory of its whole row
	}
	rd.seen[key] = rw.line
	return nil
}

// malformed refuses a row that cannot be split into values (a *rowError
// from source.next), or stops reading on another error. It reports
// whether reading must stop.
func (rd *Reader[T]) malformed(err error) (stop bool) {
	var re *rowError
	if !errors.As(err, &re) {
		rd.stop(err)
		return true
	}
	rd.stats.Rows++
	if rd.reject(rd.dec.rejection(re.line, "", re.column, re.err)) {
		return true
	}
	if rd.opts.StrictSyntax {
		rd.stopAt(re.line, errors.New("Options.StrictSyntax stops at the first row that cannot be split into values"))
		return true
	}
	return false
}

// reject records a refused row and reports whether reading must stop.
// The caller has counted the row in Stats.Rows.
func (rd *Reader[T]) reject(e *pacte.RecordError) (stop bool) {
	return rd.rejectRows(e, 1)
}

// rejectRows records one error that refuses n rows (an event-log ticket).
func (rd *Reader[T]) rejectRows(e *pacte.RecordError, n int) (stop bool) {
	rd.rejected = append(rd.rejected, e)
	rd.stats.Rejected += n
	switch {
	case rd.opts.Strict:
		rd.stopAt(e.Line, errors.New("strict mode stops at the first refused row"))
		return true
	case rd.opts.MaxRejected > 0 && len(rd.rejected) >= rd.opts.MaxRejected:
		rd.stopAt(e.Line, fmt.Errorf("%d rows refused, the most Options.MaxRejected allows", len(rd.rejected)))
		return true
	}
	return false
}

// stop ends reading on an error of the input itself.
func (rd *Reader[T]) stop(err error) {
	line := 0
	var re *rowError
	if errors.As(err, &re) {
		line, err = re.line, re.err
	}
	rd.stopAt(line, err)
}

func (rd *Reader[T]) stopAt(line int, cause error) {
	if rd.stopped {
		return
	}
	rd.stopped = true
	rd.final = &pacte.RecordError{
		Source: rd.opts.Name,
		Line:   line,
		Err:    fmt.Errorf("%w: %w", ErrStopped, cause),
	}
}
