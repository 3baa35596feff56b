package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// encoding is a character encoding the readers decode into UTF-8.
type encoding uint8

const (
	utf8Text encoding = iota
	windows1252
	iso88591
)

func (e encoding) String() string {
	switch e {
	case windows1252:
		return "windows-1252"
	case iso88591:
		return "iso-8859-1"
	}
	return "utf-8"
}

// encodingNamed reads the name of an encoding as a mapping or Options
// write it; empty is UTF-8.
func encodingNamed(name string) (encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return utf8Text, nil
	case "windows-1252", "cp1252", "win1252":
		return windows1252, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return iso88591, nil
	}
	return 0, fmt.Errorf("unknown encoding %q (known: utf-8, windows-1252, iso-8859-1)", name)
}

// undefined1252 are the bytes Windows-1252 leaves undefined, which
// charmap would silently decode as U+FFFD.
func undefined1252(b byte) bool {
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D
}

// invalidByte reports whether b, read alone, is not a character of a
// single-byte encoding. ISO-8859-1's 0x80–0x9F are control characters
// that no export writes: such a byte is a Windows-1252 character.
func (e encoding) invalidByte(b byte) bool {
	switch e {
	case windows1252:
		return undefined1252(b)
	case iso88591:
		return b >= 0x80 && b <= 0x9F
	}
	return false
}

// checkedInput makes sure that the whole input is text in enc before its
// first record is read, so that an input in another encoding is refused
// whole rather than after some of its records were used. A seekable input
// (a file) is read twice: once to check it, then from where it was, no
// further than the bytes checked. Another input is held in memory, up to
// held bytes. The reader returned yields UTF-8; size is the input's size
// in bytes.
func checkedInput(in io.Reader, enc encoding, held int) (r io.Reader, size int64, err error) {
	sc := newTextScan()
	if rs, ok := in.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			// The size, for a buffer no larger than the input.
			end, err := rs.Seek(0, io.SeekEnd)
			if err == nil {
				_, err = rs.Seek(start, io.SeekStart)
			}
			if err != nil {
				return nil, 0, err
			}
			if err := sc.read(rs, enc, end-start); err != nil {
				return nil, 0, err
			}
			if _, err := rs.Seek(start, io.SeekStart); err != nil {
				return nil, 0, err
			}
			if sc.bad >= 0 {
				return nil, 0, sc.refusal(rs, enc)
			}
			r = io.LimitReader(rs, sc.size)
		}
	}
	if r == nil {
		data, err := io.ReadAll(io.LimitReader(in, int64(held)+1))
		if err != nil {
			return nil, 0, err
		}
		if len(data) > held {
			return nil, 0, fmt.Errorf("%w: an input that cannot seek is held in memory to be checked whole before its first record, and this one is over %d bytes: read it from a file, or raise Options.Limits.HeldBytes", ErrTooLarge, held)
		}
		sc.scan(data, enc, true)
		sc.finish(enc)
		if sc.bad >= 0 {
			return nil, 0, sc.refusal(bytes.NewReader(data), enc)
		}
		r = bytes.NewReader(data)
	}
	switch enc {
	case windows1252:
		r = transform.NewReader(r, charmap.Windows1252.NewDecoder())
	case iso88591:
		r = transform.NewReader(r, charmap.ISO8859_1.NewDecoder())
	}
	return r, sc.size, nil
}

// textScan checks an input chunk by chunk.
type textScan struct {
	size     int64 // bytes scanned
	bad      int64 // offset of the first byte at fault; −1 when none
	badUTF8  bool  // a byte that is not UTF-8 was met
	nonASCII int64 // offset of the first byte over 0x7F; −1 when none
	head     []byte
	carry    int // bytes of an incomplete UTF-8 sequence at the end of the last chunk
}

func newTextScan() *textScan { return &textScan{bad: -1, nonASCII: -1} }

func (sc *textScan) read(r io.Reader, enc encoding, size int64) error {
	buf := make([]byte, min(64<<10, max(size+1, utf8.UTFMax)))
	for {
		n, err := io.ReadFull(r, buf[sc.carry:])
		n += sc.carry
		if n > 0 {
			sc.scan(buf[:n], enc, err != nil)
			copy(buf, buf[n-sc.carry:n])
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			sc.finish(enc)
			return nil
		default:
			return err
		}
		if sc.bad >= 0 {
			sc.finish(enc)
			return nil
		}
	}
}

// scan checks one chunk, which starts with the carry of the last one;
// last says whether it ends the input.
func (sc *textScan) scan(chunk []byte, enc encoding, last bool) {
	if sc.size == 0 {
		sc.head = bytes.Clone(chunk[:min(len(chunk), 8)])
	}
	base := sc.size - int64(sc.carry) // offset of chunk[0]
	end := len(chunk)
	if !last {
		// Keep an incomplete UTF-8 sequence for the next chunk.
		for i := len(chunk) - 1; i >= 0 && i >= len(chunk)-utf8.UTFMax+1; i-- {
			if utf8.RuneStart(chunk[i]) {
				if !utf8.FullRune(chunk[i:]) {
					end = i
				}
				break
			}
		}
	}
	sc.carry = len(chunk) - end
	sc.size = base + int64(len(chunk))
	body := chunk[:end]
	if sc.bad < 0 && !sc.badUTF8 && !utf8.Valid(body) {
		sc.badUTF8 = true
		if enc == utf8Text {
			sc.bad = base + int64(firstInvalidUTF8(body))
		}
	}
	if enc == utf8Text || sc.bad >= 0 {
		return
	}
	for i, b := range body {
		if b < utf8.RuneSelf {
			continue
		}
		if sc.nonASCII < 0 {
			sc.nonASCII = base + int64(i)
		}
		if enc.invalidByte(b) {
			sc.bad = base + int64(i)
			return
		}
	}
}

// finish decides, at the end of the input, whether a file declared in a
// single-byte encoding is in fact UTF-8: valid UTF-8 with characters
// beyond ASCII, or a UTF-8 byte order mark. Western text in Windows-1252
// is almost never valid UTF-8 (é followed by a letter is not), so such a
// file would be read as mojibake ("Ã©") if it were decoded as declared.
func (sc *textScan) finish(enc encoding) {
	if utf16Head(sc.head) {
		// Valid text in no encoding the readers know, whatever was
		// declared: ASCII read as UTF-16 interleaves NUL bytes.
		sc.bad = 0
		return
	}
	if enc == utf8Text || sc.bad >= 0 {
		return
	}
	switch {
	case bytes.HasPrefix(sc.head, []byte("\xef\xbb\xbf")):
		sc.bad = 0
	case !sc.badUTF8 && sc.nonASCII >= 0:
		sc.bad = sc.nonASCII
	}
}

// utf16Head tells the start of UTF-16 text: a byte order mark, or ASCII
// characters each with a NUL byte, as Excel's "Unicode Text" saves a
// sheet.
func utf16Head(head []byte) bool {
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return true
	case len(head) < 4:
		return false
	}
	little := head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0
	big := head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0
	return little || big
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// refusal builds the one error that refuses an input found at fault by
// the scan: where (its line), what (the bytes there) and what the input
// most likely is. r reads the input again from its start.
func (sc *textScan) refusal(r io.Reader, enc encoding) error {
	// The line of the fault and the bytes around it, read again: this is
	// the error path only.
	const window = 64 << 10
	line, seen := 1, int64(0)
	var before, after []byte
	buf := make([]byte, 64<<10)
	for len(after) < window {
		n, err := r.Read(buf)
		chunk := buf[:n]
		switch rest := sc.bad - seen; {
		case rest >= int64(n):
			line += bytes.Count(chunk, []byte{'\n'})
		case rest >= 0:
			line += bytes.Count(chunk[:rest], []byte{'\n'})
			before = chunk[max(rest-16, 0):rest]
			if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
				before = before[i+1:]
			}
			before = bytes.Clone(before)
			after = append(after, chunk[rest:]...)
		default:
			after = append(after, chunk...)
		}
		seen += int64(n)
		if err != nil {
			break
		}
	}
	if len(after) == 0 { // the input changed since it was scanned
		return &rowError{line: line, err: fmt.Errorf("%w: the input changed while it was read", ErrEncoding)}
	}
	return &rowError{line: line, err: fmt.Errorf("%w: %s", ErrEncoding, sc.explain(before, after[:min(len(after), window)], enc))}
}

// explain says what is wrong at the start of after, which follows the
// bytes before on its line, and what the input most likely is.
func (sc *textScan) explain(before, after []byte, enc encoding) string {
	at := after[:min(len(after), 12)]
	if i := bytes.IndexByte(at, '\n'); i > 0 {
		at = at[:i]
	}
	excerpt := string(before) + string(at)
	switch {
	case bytes.HasPrefix(sc.head, []byte("PK\x03\x04")):
		return "a zip archive, such as an Excel workbook (.xlsx), not a CSV or JSON Lines export: save it as CSV UTF-8"
	case bytes.HasPrefix(sc.head, []byte("\xd0\xcf\x11\xe0")):
		return "an Excel 97-2003 workbook (.xls), not a CSV or JSON Lines export: save it as CSV UTF-8"
	case bytes.HasPrefix(sc.head, []byte("\x1f\x8b")):
		return "gzip-compressed data: decompress it first"
	case utf16Head(sc.head):
		return "UTF-16 text (as Excel saves \"Unicode Text\"), which pacte does not read: save the export as CSV UTF-8"
	}
	if enc != utf8Text {
		if !sc.badUTF8 {
			what := fmt.Sprintf("%q", excerpt)
			if sc.bad == 0 && bytes.HasPrefix(sc.head, []byte("\xef\xbb\xbf")) {
				what = "a UTF-8 byte order mark"
			}
			return fmt.Sprintf("declared %s, but the text is UTF-8 (%s): drop the encoding setting, or set it to utf-8", enc, what)
		}
		if sc.bad == 0 && bytes.HasPrefix(sc.head, []byte("\xef\xbb\xbf")) {
			return fmt.Sprintf("a UTF-8 byte order mark opens an input whose text is not UTF-8: it mixes two encodings; save it again in one (UTF-8, or %s without the mark)", enc)
		}
		if enc == iso88591 && !undefined1252(at[0]) {
			r := charmap.Windows1252.DecodeByte(at[0])
			return fmt.Sprintf("byte 0x%02X in %q is a control character in ISO-8859-1 and %q in Windows-1252: declare encoding: windows-1252", at[0], excerpt, r)
		}
		return fmt.Sprintf("byte 0x%02X in %q is not a character in %s: the input is in another encoding, or not text", at[0], excerpt, enc)
	}
	hint := "declare its encoding (encoding: windows-1252 or iso-8859-1 in the mapping, or Options.Encoding) if it is one of those"
	if letter, ok := singleByteText(after); ok {
		hint = fmt.Sprintf("it looks like Windows-1252, as Excel saves French text (%c, the most frequent, is the single byte 0x%02X): declare encoding: windows-1252 in the mapping, or Options.Encoding",
			charmap.Windows1252.DecodeByte(letter), letter)
	}
	return fmt.Sprintf("not valid UTF-8 (byte 0x%02X in %q); %s", at[0], excerpt, hint)
}

// westernText are the Windows-1252 bytes frequent in French text (and
// in the other Western European languages of the users' exports): accented
// letters, œ, typographic quotes and dashes, €, °, the non-breaking space.
const westernText = "\xe0\xe2\xe4\xe7\xe8\xe9\xea\xeb\xee\xef\xf4\xf6\xf9\xfb\xfc" + // àâäçèéêëîïôöùûü
	"\xc0\xc2\xc4\xc7\xc8\xc9\xca\xcb\xce\xcf\xd4\xd6\xd9\xdb\xdc" + // ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜ
	"\xe1\xed\xf1\xf3\xfa\xdf\x9c\x8c" + // áíñóúßœŒ
	"\x92\x91\x93\x94\xab\xbb\x96\x97\x80\xb0\xa0" // ’‘“”«»–—€° and a non-breaking space

// singleByteText reports whether the bytes over 0x7F of b, which is not
// valid UTF-8, read as Windows-1252 text: mostly the characters frequent
// in Western text, none undefined, and no NUL (which text has not). It
// returns the most frequent.
func singleByteText(b []byte) (letter byte, ok bool) {
	var counts [256]int
	high, western := 0, 0
	if len(b) > 0 {
		letter = b[0] // the byte at fault, unless another is more frequent
	}
	for _, c := range b {
		switch {
		case c == 0 || undefined1252(c):
			return 0, false
		case c < utf8.RuneSelf:
			continue
		}
		high++
		counts[c]++
		if strings.IndexByte(westernText, c) >= 0 {
			western++
		}
	}
	for c := range counts {
		if counts[c] > counts[letter] {
			letter = byte(c)
		}
	}
	return letter, high > 0 && western*2 >= high
}
