package report

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Align is the alignment of a table column.
type Align int

// The alignments.
const (
	Left Align = iota
	Right
)

// Table is a table of text cells. It renders as aligned text for a
// terminal (widths counted in terminal cells: wide East Asian characters
// take two, combining marks none), as a GitHub Markdown table, or as an
// HTML table. Other packages use it to print their own figures the way
// reports do.
type Table struct {
	Header []string
	Rows   [][]string
	// Footer rows (totals) follow a rule in text and go in <tfoot> in
	// HTML.
	Footer [][]string
	// Align is per column; a missing entry is Left.
	Align []Align
	// MaxWidth wraps the text cells of a column at spaces past this many
	// cells; 0 or a missing entry leaves the column as wide as it needs.
	MaxWidth []int
	// RowClass is the HTML class of each row ("" for none); text and
	// Markdown ignore it.
	RowClass []string
}

func (t *Table) columns() int {
	n := len(t.Header)
	for _, rows := range [][][]string{t.Rows, t.Footer} {
		for _, r := range rows {
			n = max(n, len(r))
		}
	}
	return n
}

func (t *Table) align(i int) Align {
	if i < len(t.Align) {
		return t.Align[i]
	}
	return Left
}

func (t *Table) maxWidth(i int) int {
	if i < len(t.MaxWidth) {
		return t.MaxWidth[i]
	}
	return 0
}

// WriteText writes the table as aligned text, each line starting with
// indent, columns two cells apart, a dashed rule under the header and
// above the footer. Control characters in cells are replaced, so that a
// cell cannot move the cursor of the terminal that shows it.
func (t *Table) WriteText(w io.Writer, indent string) error {
	n := t.columns()
	if n == 0 {
		return nil
	}
	tt := textTable{t: t, n: n, indent: indent, widths: make([]int, n)}
	var header [][]string
	if len(t.Header) > 0 {
		header = tt.cells(t.Header)
	}
	body := make([][][]string, len(t.Rows))
	for i, r := range t.Rows {
		body[i] = tt.cells(r)
	}
	foot := make([][][]string, len(t.Footer))
	for i, r := range t.Footer {
		foot[i] = tt.cells(r)
	}
	if header != nil {
		tt.writeRow(header)
		tt.rule()
	}
	for _, c := range body {
		tt.writeRow(c)
	}
	if len(foot) > 0 {
		tt.rule()
		for _, c := range foot {
			tt.writeRow(c)
		}
	}
	_, err := w.Write(tt.buf.Bytes())
	return err
}

// textTable lays out a table as text: its cells wrapped into lines, its
// columns as wide as their widest line.
type textTable struct {
	t      *Table
	n      int // columns
	indent string
	widths []int
	buf    bytes.Buffer
}

// cells returns the cells of a row as their lines, wrapped, and widens
// the columns to hold them.
func (tt *textTable) cells(row []string) [][]string {
	out := make([][]string, tt.n)
	for i := range tt.n {
		s := ""
		if i < len(row) {
			s = sanitizeText(row[i])
		}
		out[i] = wrap(s, tt.t.maxWidth(i))
		for _, l := range out[i] {
			tt.widths[i] = max(tt.widths[i], textWidth(l))
		}
	}
	return out
}

// writeRow writes a row of cells, as many lines as its tallest cell.
func (tt *textTable) writeRow(c [][]string) {
	height := 1
	for _, lines := range c {
		height = max(height, len(lines))
	}
	for l := range height {
		var line strings.Builder
		line.WriteString(tt.indent)
		for i := range tt.n {
			s := ""
			if l < len(c[i]) {
				s = c[i][l]
			}
			pad := tt.widths[i] - textWidth(s)
			if i > 0 {
				line.WriteString("  ")
			}
			if tt.t.align(i) == Right {
				line.WriteString(strings.Repeat(" ", pad))
				line.WriteString(s)
			} else {
				line.WriteString(s)
				if i < tt.n-1 {
					line.WriteString(strings.Repeat(" ", pad))
				}
			}
		}
		tt.buf.WriteString(strings.TrimRight(line.String(), " "))
		tt.buf.WriteByte('\n')
	}
}

// rule writes a dashed line under each column.
func (tt *textTable) rule() {
	var line strings.Builder
	line.WriteString(tt.indent)
	for i, wd := range tt.widths {
		if i > 0 {
			line.WriteString("  ")
		}
		line.WriteString(strings.Repeat("-", wd))
	}
	tt.buf.WriteString(strings.TrimRight(line.String(), " "))
	tt.buf.WriteByte('\n')
}

// WriteMarkdown writes the table as a GitHub Markdown table. Cells are
// escaped: their pipes, backslashes and emphasis marks read as text. A
// table without a header gets an empty one, which Markdown requires.
func (t *Table) WriteMarkdown(w io.Writer) error {
	n := t.columns()
	if n == 0 {
		return nil
	}
	var buf bytes.Buffer
	row := func(r []string) {
		buf.WriteByte('|')
		for i := range n {
			s := ""
			if i < len(r) {
				s = escapeMarkdown(r[i])
			}
			buf.WriteByte(' ')
			buf.WriteString(s)
			buf.WriteString(" |")
		}
		buf.WriteByte('\n')
	}
	row(t.Header)
	buf.WriteByte('|')
	for i := range n {
		if t.align(i) == Right {
			buf.WriteString(" ---: |")
		} else {
			buf.WriteString(" --- |")
		}
	}
	buf.WriteByte('\n')
	for _, r := range t.Rows {
		row(r)
	}
	for _, r := range t.Footer {
		row(r)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteHTML writes the table as an HTML table (well-formed XML too), its
// right-aligned cells of class "num".
func (t *Table) WriteHTML(w io.Writer) error {
	n := t.columns()
	if n == 0 {
		return nil
	}
	var buf bytes.Buffer
	cell := func(tag string, i int, s string) {
		buf.WriteString("<" + tag)
		switch {
		case t.align(i) == Right:
			buf.WriteString(` class="num"`)
		case tag == "td" && keepWhole(s):
			buf.WriteString(` class="nw"`)
		}
		if tag == "td" && i < len(t.Header) && t.Header[i] != "" {
			// The column's header, which a narrow page shows beside the
			// cell when a row becomes a block.
			buf.WriteString(` data-label="` + escapeHTML(t.Header[i]) + `"`)
		}
		buf.WriteString(">")
		buf.WriteString(escapeHTML(s))
		buf.WriteString("</" + tag + ">")
	}
	row := func(tag string, r []string, class string) {
		if class != "" {
			buf.WriteString(`<tr class="` + escapeHTML(class) + `">`)
		} else {
			buf.WriteString("<tr>")
		}
		for i := range n {
			s := ""
			if i < len(r) {
				s = r[i]
			}
			cell(tag, i, s)
		}
		buf.WriteString("</tr>\n")
	}
	buf.WriteString("<table>\n")
	if len(t.Header) > 0 {
		buf.WriteString("<thead>")
		row("th", t.Header, "")
		buf.WriteString("</thead>\n")
	}
	buf.WriteString("<tbody>\n")
	for i, r := range t.Rows {
		class := ""
		if i < len(t.RowClass) {
			class = t.RowClass[i]
		}
		row("td", r, class)
	}
	buf.WriteString("</tbody>\n")
	if len(t.Footer) > 0 {
		buf.WriteString("<tfoot>\n")
		for _, r := range t.Footer {
			row("td", r, "")
		}
		buf.WriteString("</tfoot>\n")
	}
	buf.WriteString("</table>\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// keepWhole tells whether a cell holds an id or an instant that must not
// break at its hyphens (INC-P1, 2027-05-11 16:45, INC-0042 (open)): a
// short text with a hyphen and few spaces.
func keepWhole(s string) bool {
	return strings.Contains(s, "-") && strings.Count(s, " ") <= 2 && utf8.RuneCountInString(s) <= 32
}

// textWidth is the width of s in terminal cells.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// runeWidth is the width of a rune in terminal cells: 0 for combining
// marks and format characters, 2 for wide East Asian characters and most
// emoji, 1 for the rest.
func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return 0
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1100 && r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf && r != 0x303f,
		r >= 0xac00 && r <= 0xd7a3, r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f,
		r >= 0xff00 && r <= 0xff60, r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, r >= 0x1f900 && r <= 0x1f9ff, r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}

// sanitizeText makes a cell safe for a terminal: line breaks and tabs
// become spaces; other control characters, bidirectional overrides and
// invalid UTF-8 become U+FFFD.
func sanitizeText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || isBidi(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r >= 0x7f && r < 0xa0 || isBidi(r) || r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// wrap cuts s into lines of at most width cells, at spaces when it can;
// width 0 does not wrap.
func wrap(s string, width int) []string {
	if width <= 0 || textWidth(s) <= width {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Split(s, " ") {
		ww := textWidth(word)
		if curW > 0 && curW+1+ww > width {
			flush()
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		for ww > width-curW && curW == 0 && ww > width {
			// A word longer than the column: cut it.
			var head strings.Builder
			hw := 0
			rest := word
			for i, r := range word {
				rw := runeWidth(r)
				if hw+rw > width {
					rest = word[i:]
					break
				}
				head.WriteRune(r)
				hw += rw
			}
			lines = append(lines, head.String())
			word = rest
			ww = textWidth(word)
		}
		cur.WriteString(word)
		curW += ww
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// escapeMarkdown escapes the text of a Markdown table cell, so that it
// reads as it is: backslashes, pipes, emphasis and code marks, links,
// HTML tags and character references are escaped; an underscore only where it could start or end
// emphasis (answer_rate stays as it is).
func escapeMarkdown(s string) string {
	s = sanitizeText(s)
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch r {
		case '\\', '|', '*', '`', '[', ']', '<', '~', '&':
			b.WriteByte('\\')
		case '_':
			inWord := i > 0 && i < len(rs)-1 && isWordRune(rs[i-1]) && isWordRune(rs[i+1])
			if !inWord {
				b.WriteByte('\\')
			}
		case '#', '>', '-', '+':
			if i == 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// escapeHTML escapes text for HTML and XML, in text and in attribute
// values: & < > " ' become references, control characters that XML 1.0
// forbids become U+FFFD.
func escapeHTML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0xfffe || r == 0xffff || r >= 0xd800 && r <= 0xdfff {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
