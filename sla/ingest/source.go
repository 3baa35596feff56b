package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Format is the syntax of an input.
type Format uint8

const (
	// AutoFormat looks at the first character: '{' is JSON Lines,
	// anything else CSV.
	AutoFormat Format = iota
	CSV
	// JSONLines is one JSON object per line. Nested objects are flattened
	// into dotted keys ({"fields": {"priority": …}} gives
	// "fields.priority"), so that an API dump can be mapped like a CSV
	// header; arrays (and objects nested over 32 deep) are kept as their
	// JSON text; null is missing.
	JSONLines
)

func (f Format) String() string {
	switch f {
	case AutoFormat:
		return "auto"
	case CSV:
		return "csv"
	case JSONLines:
		return "jsonl"
	}
	return "unknown"
}

// MaxLineBytes bounds one row by default (Limits.RowBytes): a JSON Lines
// line, a CSV row with its quoted line breaks, so that a file without line
// breaks cannot make a reader hold it whole.
const MaxLineBytes = 16 << 20

// row is one input row as the decoders see it: its cells in the order of
// plan's columns.
type row struct {
	line int
	vals []string
	plan *plan
	raw  []byte // the JSON text of a row read natively (nil mapping)
	lead int    // blank bytes before raw on its line
}

// rowError is an error at a line of the input. From source.next it
// refuses one row that cannot be split into cells, and reading goes on,
// unlike after other errors; from opening the input (a bad header), it
// ends reading and says where.
type rowError struct {
	line   int
	column string // the column at fault, when known
	err    error
}

func (e *rowError) Error() string { return e.err.Error() }
func (e *rowError) Unwrap() error { return e.err }

type source interface {
	// next returns the next row, io.EOF at the end, a *rowError for a row
	// that cannot be split (reading goes on), or another error that ends
	// reading.
	next() (row, error)
}

// plan says which cell feeds each field, for one header.
type plan struct {
	col       [numFields]int    // index in the row's cells; -1 when absent
	colName   [numFields]string // header as written, for messages
	attrCols  []int
	attrNames []string
	attrDup   bool // some attr name repeats: join their values

	lowered []string
	used    []bool
	seen    map[string]bool
}

// newPlan matches a header against the mapping. Matching ignores case
// and surrounding spaces; the first alternative present wins, and among
// repeated headers the first column.
func newPlan(c *compiled, header []string, p *plan) {
	// JSON Lines plan every row: reuse the scratch space.
	lowered := p.lowered[:0]
	for _, h := range header {
		lowered = append(lowered, strings.ToLower(strings.TrimSpace(h)))
	}
	used := slices.Grow(p.used[:0], len(header))[:len(header)]
	clear(used)
	p.lowered, p.used = lowered, used
	for f := range numFields {
		p.col[f], p.colName[f] = -1, ""
		if !c.used[f] {
			continue
		}
	alternatives:
		for _, alt := range c.alts[f] {
			for i, h := range lowered {
				if h == alt {
					p.col[f], p.colName[f] = i, strings.TrimSpace(header[i])
					used[i] = true
					break alternatives
				}
			}
		}
	}
	p.attrCols, p.attrNames, p.attrDup = p.attrCols[:0], p.attrNames[:0], false
	if p.seen == nil {
		p.seen = make(map[string]bool, len(header))
	}
	seen := p.seen
	clear(seen)
	for i, h := range lowered {
		if used[i] || !c.keepAttr(h) {
			continue
		}
		name := strings.TrimSpace(header[i])
		if name == "" {
			name = fmt.Sprintf("column %d", i+1)
		}
		if seen[name] {
			p.attrDup = true
		}
		seen[name] = true
		p.attrCols = append(p.attrCols, i)
		p.attrNames = append(p.attrNames, name)
	}
}

// sniff drops a UTF-8 byte order mark (Excel and Jira write one),
// refuses UTF-16, and tells CSV from JSON Lines when asked to.
func sniff(br *bufio.Reader, f Format) (Format, error) {
	head, err := br.Peek(3)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return f, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return f, &rowError{line: 1, err: fmt.Errorf("%w: UTF-16 text; save the export as UTF-8", ErrEncoding)}
	}
	if f != AutoFormat {
		return f, nil
	}
	for n := 64; ; n *= 2 {
		buf, err := br.Peek(n)
		if i := bytes.IndexFunc(buf, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }); i >= 0 {
			switch buf[i] {
			case '{':
				return JSONLines, nil
			case '[':
				return f, &rowError{line: 1, err: fmt.Errorf("%w: a JSON array; pacte reads JSON Lines (one object per line)", ErrEncoding)}
			}
			return CSV, nil
		}
		if err != nil || n >= 1<<16 {
			return CSV, nil // blank: the CSV reader reports the missing header
		}
	}
}

// detectDelimiter picks the most frequent of , ; tab | outside quotes on
// the header line; ties go to the comma.
func detectDelimiter(br *bufio.Reader) rune {
	buf, _ := br.Peek(1 << 16)
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		buf = buf[:i]
	}
	var counts [4]int
	quoted := false
	for _, b := range buf {
		switch b {
		case '"':
			quoted = !quoted
		case ',', ';', '\t', '|':
			if !quoted {
				counts[strings.IndexByte(",;\t|", b)]++
			}
		}
	}
	best := 0
	for i := 1; i < 4; i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return rune(",;\t|"[best])
}

func quoteAlternatives(spec string) string {
	var out []string
	for _, alt := range alternatives(spec) {
		out = append(out, fmt.Sprintf("%q", alt))
	}
	return strings.Join(out, " or ")
}

// alternatives are the column names of a mapping's value, as written.
func alternatives(spec string) []string {
	var out []string
	for alt := range strings.SplitSeq(spec, "|") {
		out = append(out, strings.TrimSpace(alt))
	}
	return out
}

// jsonlSource reads one JSON object per line. Its keys may change from
// line to line, so each row gets its own plan.
type jsonlSource struct {
	br     *bufio.Reader
	c      *compiled
	lim    Limits
	native bool
	line   int
	buf    []byte
	names  []string
	vals   []string
	plan   plan
}

func newJSONLSource(br *bufio.Reader, c *compiled, lim Limits) *jsonlSource {
	return &jsonlSource{br: br, c: c, lim: lim, native: c.native}
}

func (s *jsonlSource) next() (row, error) {
	for {
		line, err := s.readLine()
		if err != nil {
			return row{}, err
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			continue
		}
		lead := cap(line) - cap(trimmed) // blank bytes before it, for the columns of errors
		if s.native {
			// A value or keys over the limits need a look at the values;
			// a line shorter than both limits has neither.
			if len(trimmed) > s.lim.FieldBytes || len(trimmed) > 4*s.lim.Columns {
				if err := s.split(trimmed, lead); err != nil {
					return row{}, err
				}
			}
			return row{line: s.line, raw: trimmed, lead: lead}, nil
		}
		if err := s.split(trimmed, lead); err != nil {
			return row{}, err
		}
		newPlan(s.c, s.names, &s.plan)
		return row{line: s.line, vals: s.vals, plan: &s.plan}, nil
	}
}

// split flattens a line into names and values, within the limits.
func (s *jsonlSource) split(line []byte, lead int) error {
	s.names, s.vals = s.names[:0], s.vals[:0]
	if err := s.flatten(line, lead); err != nil {
		return &rowError{line: s.line, err: err}
	}
	if len(s.names) > s.lim.Columns {
		return &rowError{line: s.line, err: fmt.Errorf("%w: %d keys, the most Limits.Columns allows is %d", ErrTooLarge, len(s.names), s.lim.Columns)}
	}
	for i, v := range s.vals {
		if len(v) > s.lim.FieldBytes {
			return &rowError{line: s.line, column: s.names[i], err: fmt.Errorf("%w: a value of more than %d bytes (Limits.FieldBytes)", ErrTooLarge, s.lim.FieldBytes)}
		}
	}
	return nil
}

// readLine returns the next physical line without its line break. A line
// over Limits.RowBytes is skipped and reported as a row error.
func (s *jsonlSource) readLine() ([]byte, error) {
	s.line++
	s.buf = s.buf[:0]
	tooLong := false
	for {
		chunk, err := s.br.ReadSlice('\n')
		if !tooLong {
			if len(s.buf)+len(chunk) > s.lim.RowBytes {
				tooLong, s.buf = true, s.buf[:0]
			} else {
				s.buf = append(s.buf, chunk...)
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(s.buf) == 0 && !tooLong {
				return nil, io.EOF
			}
		default:
			return nil, err
		}
		if tooLong {
			return nil, &rowError{line: s.line, err: fmt.Errorf("%w: a line of more than %d bytes (Limits.RowBytes)", ErrTooLarge, s.lim.RowBytes)}
		}
		return s.buf, nil
	}
}

// flatten turns one JSON object into parallel names and values, in the
// order of the document. The line is checked with json.Valid, which
// allocates nothing, then scanned by hand: values are slices of one
// string made from the line, so a row costs a handful of allocations
// rather than one per token as with json.Decoder.
func (s *jsonlSource) flatten(line []byte, lead int) error {
	if !json.Valid(line) {
		return jsonSyntaxError(line, lead)
	}
	if line[0] != '{' {
		return fmt.Errorf("%w at column %d: a JSON Lines row must be an object", ErrSyntax, lead+1)
	}
	sc := jsonScanner{s: string(line)}
	sc.object("", s, 0)
	return nil
}

// maxFlattenDepth bounds the flattening of nested objects: deeper ones are
// kept as JSON text, so that a line of ten thousand nested braces cannot
// make the dotted names cost memory in the square of its length.
const maxFlattenDepth = 32

// jsonSyntaxError explains why a line is not valid JSON, and where: the
// column (1-based byte) of the line, whose first lead bytes were blank.
func jsonSyntaxError(line []byte, lead int) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	var v json.RawMessage
	err := dec.Decode(&v)
	var se *json.SyntaxError
	switch {
	case err == nil:
		return fmt.Errorf("%w at column %d: text after the object", ErrSyntax, lead+int(dec.InputOffset())+1)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w at column %d: the JSON object is not closed on its line", ErrSyntax, lead+len(line)+1)
	case errors.As(err, &se):
		return fmt.Errorf("%w at column %d: %v", ErrSyntax, lead+int(se.Offset), err)
	}
	return fmt.Errorf("%w: %v", ErrSyntax, err)
}

// jsonScanner walks a JSON text already known to be valid.
type jsonScanner struct {
	s string
	i int
}

func (sc *jsonScanner) space() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *jsonScanner) object(prefix string, out *jsonlSource, depth int) {
	sc.i++ // {
	for {
		sc.space()
		if sc.s[sc.i] == '}' {
			sc.i++
			return
		}
		if sc.s[sc.i] == ',' {
			sc.i++
			sc.space()
		}
		key := sc.str()
		sc.space()
		sc.i++ // :
		sc.space()
		sc.value(prefix+key, out, depth)
	}
}

func (sc *jsonScanner) value(name string, out *jsonlSource, depth int) {
	switch c := sc.s[sc.i]; c {
	case '"':
		out.names, out.vals = append(out.names, name), append(out.vals, sc.str())
	case '{':
		if depth < maxFlattenDepth {
			sc.object(name+".", out, depth+1)
			break
		}
		fallthrough
	case '[':
		start := sc.i
		sc.skipComposite()
		out.names, out.vals = append(out.names, name), append(out.vals, sc.s[start:sc.i])
	case 'n': // null: missing, as if the key were absent
		sc.i += len("null")
	default: // true, false, a number: kept as written
		start := sc.i
		for sc.i < len(sc.s) && !strings.ContainsRune(" \t\n\r,}]", rune(sc.s[sc.i])) {
			sc.i++
		}
		out.names, out.vals = append(out.names, name), append(out.vals, sc.s[start:sc.i])
	}
}

// str reads a string; only strings with escapes (or invalid UTF-8,
// which encoding/json replaces with U+FFFD) cost an allocation.
func (sc *jsonScanner) str() string {
	start := sc.i // the opening quote
	sc.i++
	escaped, ascii := false, true
	for c := sc.s[sc.i]; c != '"'; c = sc.s[sc.i] {
		switch {
		case c == '\\':
			escaped = true
			sc.i++
		case c >= utf8.RuneSelf:
			ascii = false
		}
		sc.i++
	}
	sc.i++
	if raw := sc.s[start+1 : sc.i-1]; !escaped && (ascii || utf8.ValidString(raw)) {
		return raw
	}
	var v string
	_ = json.Unmarshal([]byte(sc.s[start:sc.i]), &v) // valid by json.Valid
	return v
}

func (sc *jsonScanner) skipComposite() {
	depth := 0
	for {
		switch sc.s[sc.i] {
		case '"':
			sc.str()
			continue
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		}
		sc.i++
		if depth == 0 {
			return
		}
	}
}
