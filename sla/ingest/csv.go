package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The CSV reader is pacte's own rather than encoding/csv's, which reads a
// quote left unclosed to the end of the input, every row after it
// swallowed into one cell, and holds a cell or a row of any size. This one
// reads RFC 4180 as encoding/csv does (quotes doubled inside quoted cells,
// line breaks inside them, CRLF or LF, blank lines skipped, and so are
// rows of empty cells only once read as rows), within
// Limits, and when a row that spans several lines cannot be read, refuses
// it at its first line and reads the lines after that again as rows of
// their own: if a quote was left unclosed, they are the rows it swallowed,
// and if not, each is refused in its turn, with its line. No line is lost
// either way.

// errLongLine is a physical line over Limits.RowBytes, skipped whole.
var errLongLine = errors.New("line too long")

// lines reads the physical lines of an input with their line breaks: the
// lines given back to be read again first, then those of br.
type lines struct {
	br  *bufio.Reader
	max int
	n   int // number of the last line returned
	// again holds lines to read again before br's; longNext says that a
	// line over max follows them.
	again    []byte
	longNext bool
	long     []byte // a line longer than br's buffer, assembled
}

// next returns the next line, valid until the following call; io.EOF at
// the end; errLongLine for a line over max, skipped.
func (l *lines) next() ([]byte, error) {
	if len(l.again) > 0 {
		l.n++
		line := l.again
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		l.again = l.again[len(line):]
		return line, nil
	}
	if l.longNext {
		l.longNext = false
		l.n++
		return nil, errLongLine
	}
	line, err := l.br.ReadSlice('\n')
	if err == nil && len(line) <= l.max {
		l.n++
		return line, nil
	}
	return l.slow(line, err)
}

// slow handles what is not a whole line in br's buffer: a line longer
// than the buffer, the last line without a line break, an error.
func (l *lines) slow(line []byte, err error) ([]byte, error) {
	if cap(l.long) > 1<<20 {
		l.long = nil // let go of the last long line
	}
	l.long = append(l.long[:0], line...)
	for err == bufio.ErrBufferFull {
		line, err = l.br.ReadSlice('\n')
		if len(l.long) <= l.max {
			l.long = append(l.long, line...)
		}
	}
	if len(l.long) > l.max {
		l.long = l.long[:0]
		if err != nil && err != io.EOF {
			return nil, err
		}
		l.n++
		return nil, errLongLine
	}
	switch {
	case err == io.EOF && len(l.long) > 0:
		err = nil
	case err != nil:
		return nil, err
	}
	l.n++
	return l.long, nil
}

// readAgain gives back the lines of held after its first, which is line
// first, to be read before the lines not read yet.
func (l *lines) readAgain(held []byte, first int) {
	l.n = first
	if i := bytes.IndexByte(held, '\n'); i >= 0 && i < len(held)-1 {
		l.again = append(append(make([]byte, 0, len(held)-i-1+len(l.again)), held[i+1:]...), l.again...)
	}
}

// csvReader splits CSV rows into cells.
type csvReader struct {
	lines
	delim byte
	lim   Limits
	// maxCells bounds the cells of a row: Limits.Columns for the header,
	// then the header's width, past which a row is refused anyway.
	maxCells int
	header   bool // reading the header

	cells []string
	buf   []byte // the cells of a row with quotes, unquoted
	ends  []int  // where each of those cells ends in buf
	held  []byte // the lines of a row that spans several, as read
}

// cellError is a row that cannot be split, at its cell (0-based; −1 for
// the whole row).
type cellError struct {
	cell int
	err  error
}

func (e *cellError) Error() string { return e.err.Error() }
func (e *cellError) Unwrap() error { return e.err }

// read returns the cells of the next row and the line it starts on: they
// share one string, and cells is reused by the next call. Errors are
// io.EOF, a *cellError for a row refused (reading goes on), or an I/O
// error.
func (r *csvReader) read() (cells []string, line int, err error) {
	for {
		raw, err := r.lines.next()
		if err == errLongLine {
			return nil, r.n, &cellError{cell: -1, err: fmt.Errorf("%w: a line of more than %d bytes (Limits.RowBytes)", ErrTooLarge, r.lim.RowBytes)}
		}
		if err != nil {
			return nil, 0, err
		}
		text, _ := cutLineBreak(raw)
		if len(text) == 0 {
			continue // a blank line
		}
		if bytes.IndexByte(text, '"') < 0 {
			cells, err := r.split(text)
			return cells, r.n, err
		}
		first := r.n
		cells, err := r.quoted(raw)
		if err != nil && len(r.held) > 0 {
			r.readAgain(r.held, first)
		}
		r.held = r.held[:0]
		r.release()
		return cells, first, err
	}
}

// release lets go of the buffers a large row grew, so that one such row
// does not cost its size until the end of the input.
func (r *csvReader) release() {
	const keep = 1 << 20
	if cap(r.held) > keep {
		r.held = nil
	}
	if cap(r.buf) > keep {
		r.buf = nil
	}
}

// cutLineBreak drops the LF or CRLF that ends a line (a CR alone at the
// end of the input, as encoding/csv does).
func cutLineBreak(raw []byte) (text []byte, broken bool) {
	n := len(raw)
	if n > 0 && raw[n-1] == '\n' {
		n--
		broken = true
	}
	if n > 0 && raw[n-1] == '\r' && (broken || n == len(raw)) {
		n--
	}
	return raw[:n], broken
}

// split reads a row without quotes, the usual one: its cells are slices
// of one string.
func (r *csvReader) split(text []byte) ([]string, error) {
	s := string(text)
	cells := r.cells[:0]
	for {
		if len(cells) == r.maxCells {
			r.cells = cells
			return nil, r.tooManyCells(len(cells) + 1 + strings.Count(s, string([]byte{r.delim})))
		}
		i := strings.IndexByte(s, r.delim)
		if i < 0 {
			cells = append(cells, s)
			break
		}
		cells = append(cells, s[:i])
		s = s[i+1:]
	}
	r.cells = cells
	if len(text) > r.lim.FieldBytes {
		for i, c := range cells {
			if len(c) > r.lim.FieldBytes {
				return nil, r.cellTooLarge(i)
			}
		}
	}
	return cells, nil
}

// tooManyCells refuses a row of n cells, or of more than maxCells when n
// is 0 (a row with quotes is not read to its end to count them).
func (r *csvReader) tooManyCells(n int) error {
	count := fmt.Sprint(n)
	if n == 0 {
		count = fmt.Sprintf("more than %d", r.maxCells)
	}
	if r.header {
		return &cellError{cell: -1, err: fmt.Errorf("%w: %s columns, the most Limits.Columns allows is %d", ErrTooLarge, count, r.maxCells)}
	}
	return &cellError{cell: -1, err: fmt.Errorf("%w: %s fields, the header has %d", ErrSyntax, count, r.maxCells)}
}

func (r *csvReader) cellTooLarge(cell int) error {
	return &cellError{cell: cell, err: fmt.Errorf("%w: a value of more than %d bytes (Limits.FieldBytes)", ErrTooLarge, r.lim.FieldBytes)}
}

// quoted reads a row with quotes, which may span several lines; raw is
// its first line.
func (r *csvReader) quoted(raw []byte) ([]string, error) {
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	text, broken := cutLineBreak(raw)
	start := r.n
	pos := 0
cells:
	for {
		if len(r.ends) == r.maxCells {
			return nil, r.tooManyCells(0)
		}
		cellStart := len(r.buf)
		if pos == len(text) || text[pos] != '"' {
			// A value without quotes, up to the next delimiter.
			cell := text[pos:]
			i := bytes.IndexByte(cell, r.delim)
			if i >= 0 {
				cell = cell[:i]
			}
			if bytes.IndexByte(cell, '"') >= 0 {
				return nil, &cellError{cell: len(r.ends), err: fmt.Errorf(`%w: a quote in a value that does not start with one (write it "" in a quoted value)`, ErrSyntax)}
			}
			r.buf = append(r.buf, cell...)
			if err := r.endCell(cellStart); err != nil {
				return nil, err
			}
			if i < 0 {
				break cells
			}
			pos += i + 1
			continue
		}
		// A quoted value, up to its closing quote, on this line or a later one.
		pos++
		for {
			i := bytes.IndexByte(text[pos:], '"')
			if i < 0 {
				r.buf = append(r.buf, text[pos:]...)
				if len(r.buf)-cellStart > r.lim.FieldBytes {
					return nil, r.cellTooLarge(len(r.ends))
				}
				var err error
				if text, broken, err = r.nextLineOfCell(raw, broken, start); err != nil {
					return nil, err
				}
				pos = 0
				continue
			}
			r.buf = append(r.buf, text[pos:pos+i]...)
			pos += i + 1
			if pos < len(text) && text[pos] == '"' { // "" inside a quoted value
				r.buf = append(r.buf, '"')
				pos++
				continue
			}
			break
		}
		if err := r.endCell(cellStart); err != nil {
			return nil, err
		}
		switch {
		case pos == len(text):
			break cells
		case text[pos] == r.delim:
			pos++
		default:
			return nil, &cellError{cell: len(r.ends) - 1, err: fmt.Errorf("%w: %q after the closing quote of a value (a quote inside a quoted value is written \"\")", ErrSyntax, text[pos])}
		}
	}
	s := string(r.buf)
	cells := r.cells[:0]
	prev := 0
	for _, end := range r.ends {
		cells = append(cells, s[prev:end])
		prev = end
	}
	r.cells = cells
	return cells, nil
}

// endCell ends the cell that started at cellStart in buf.
func (r *csvReader) endCell(cellStart int) error {
	if len(r.buf)-cellStart > r.lim.FieldBytes {
		return r.cellTooLarge(len(r.ends))
	}
	r.ends = append(r.ends, len(r.buf))
	return nil
}

// nextLineOfCell reads the line a quoted value goes on to, keeping the
// row's lines in held so that they can be read again, within the limits.
// raw is the row's first line, broken whether the current line ended with
// a line break, start the row's first line number.
func (r *csvReader) nextLineOfCell(raw []byte, broken bool, start int) ([]byte, bool, error) {
	unclosed := func() error {
		return &cellError{cell: len(r.ends), err: fmt.Errorf("%w: the quoted value that starts on line %d is not closed before the end of the input", ErrSyntax, start)}
	}
	if !broken {
		return nil, false, unclosed()
	}
	r.buf = append(r.buf, '\n')
	if len(r.held) == 0 {
		r.held = append(r.held, raw...) // before the next line overwrites it
	}
	if r.n-start+1 >= r.lim.RowLines {
		return nil, false, &cellError{cell: len(r.ends), err: fmt.Errorf("%w: the quoted value that starts on line %d runs on for more than %d lines (Limits.RowLines): a quote left unclosed?", ErrTooLarge, start, r.lim.RowLines)}
	}
	line, err := r.lines.next()
	switch {
	case err == errLongLine:
		r.longNext = true // after the lines read again
		return nil, false, &cellError{cell: len(r.ends), err: fmt.Errorf("%w: the quoted value that starts on line %d runs into a line of more than %d bytes (Limits.RowBytes)", ErrTooLarge, start, r.lim.RowBytes)}
	case err == io.EOF:
		return nil, false, unclosed()
	case err != nil:
		return nil, false, err
	}
	r.held = append(r.held, line...)
	if len(r.held) > r.lim.RowBytes {
		return nil, false, &cellError{cell: len(r.ends), err: fmt.Errorf("%w: the row that starts on line %d runs on for more than %d bytes (Limits.RowBytes): a quote left unclosed?", ErrTooLarge, start, r.lim.RowBytes)}
	}
	text, broken := cutLineBreak(line)
	return text, broken, nil
}

// csvSource reads a CSV export: its header, then its rows.
type csvSource struct {
	r       csvReader
	header  []string
	plan    plan
	missing []MissingColumn // the mapped fields the header lacks
}

func newCSVSource(br *bufio.Reader, c *compiled, lim Limits) (*csvSource, error) {
	delim, skipped := c.delimiter, 0
	if sep, ok := separatorLine(br); ok {
		// Excel's "sep=;" line, which some exports write first so that
		// Excel splits the columns whatever its locale: it names the
		// delimiter, and the header follows.
		if delim != 0 && delim != sep {
			return nil, &rowError{line: 1, err: fmt.Errorf("%w: the input's first line says its delimiter is %q, the mapping %q", ErrHeader, sep, delim)}
		}
		delim, skipped = sep, 1
	}
	if delim == 0 {
		delim = detectDelimiter(br)
	}
	s := &csvSource{r: csvReader{lines: lines{br: br, max: lim.RowBytes, n: skipped}, delim: byte(delim), lim: lim, maxCells: lim.Columns, header: true}}
	header, line, err := s.r.read()
	if err == io.EOF {
		return nil, &rowError{line: 1, err: fmt.Errorf("%w: empty input, no header line", ErrHeader)}
	}
	if err != nil {
		var ce *cellError
		if errors.As(err, &ce) {
			return nil, &rowError{line: line, err: fmt.Errorf("%w: %w", ErrHeader, ce.err)}
		}
		return nil, err
	}
	if slices.ContainsFunc(header, func(h string) bool { return strings.ContainsRune(h, '\r') }) {
		// The header ran on into the rows: the input's lines end with a
		// carriage return alone, which is no line break in CSV, and its
		// rows would be read as more header columns and nothing else.
		return nil, &rowError{line: line, err: fmt.Errorf("%w: a carriage return inside the header: the lines of this input end with a carriage return alone (as Excel for classic Mac OS saved them); save it with CRLF or LF line breaks", ErrHeader)}
	}
	s.header = slices.Clone(header)
	s.r.header, s.r.maxCells = false, len(header)
	newPlan(c, s.header, &s.plan)
	for f := range numFields {
		if c.required[f] && s.plan.col[f] < 0 && !c.hasDefault[f] {
			return nil, &rowError{line: line, err: fmt.Errorf("%w: no column %s for the %s field (header: %s)",
				ErrHeader, quoteAlternatives(c.spelled[f]), f, strings.Join(s.header, string(delim)))}
		}
		if c.alts[f] != nil && s.plan.col[f] < 0 && !c.hasDefault[f] {
			s.missing = append(s.missing, MissingColumn{Field: f.String(), Columns: alternatives(c.spelled[f])})
		}
	}
	return s, nil
}

// separatorLine reads Excel's "sep=X" first line, if the input starts
// with one: X, one of the delimiters pacte reads.
func separatorLine(br *bufio.Reader) (rune, bool) {
	buf, _ := br.Peek(7)
	line := buf
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	n := len(line)
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) != 5 || !bytes.EqualFold(line[:4], []byte("sep=")) || !strings.ContainsRune(",;\t|", rune(line[4])) {
		return 0, false
	}
	if _, err := br.Discard(min(n+1, len(buf))); err != nil {
		return 0, false
	}
	return rune(line[4]), true
}

func (s *csvSource) next() (row, error) {
	vals, line, err := s.r.read()
	for err == nil && (len(vals) == 0 || vals[0] == "") && emptyCells(vals) {
		// A row of empty cells only (";;;", as Excel writes a row whose
		// cells were emptied) is a blank line: it holds nothing to refuse.
		vals, line, err = s.r.read()
	}
	if err != nil {
		var ce *cellError
		if errors.As(err, &ce) {
			column := ""
			if ce.cell >= 0 && ce.cell < len(s.header) {
				column = strings.TrimSpace(s.header[ce.cell])
			}
			return row{}, &rowError{line: line, column: column, err: ce.err}
		}
		return row{}, err
	}
	if len(vals) != len(s.header) {
		return row{}, &rowError{line: line, err: fmt.Errorf("%w: %d fields, the header has %d", ErrSyntax, len(vals), len(s.header))}
	}
	return row{line: line, vals: vals, plan: &s.plan}, nil
}

// emptyCells tells a row whose every cell is empty.
func emptyCells(vals []string) bool {
	for _, v := range vals {
		if v != "" {
			return false
		}
	}
	return true
}
