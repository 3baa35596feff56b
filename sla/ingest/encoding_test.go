package ingest

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestEncodings: each encoding reads its text; an input not valid in its
// encoding is refused whole with one error that says where and what it
// looks like.
func TestEncodings(t *testing.T) {
	const header = "id,opened,status\n"
	for _, tc := range []struct {
		name     string
		input    string
		encoding string // Options.Encoding
		mapping  string // Mapping.Encoding
		status   string // the status read, when the input is read
		err      string // the one refusal, when it is not
	}{
		{name: "UTF-8", input: header + "A,2027-03-01 09:00,Résolu\n", status: "Résolu"},
		{name: "UTF-8 with a byte order mark", input: "\xef\xbb\xbf" + header + "A,2027-03-01 09:00,Résolu\n", status: "Résolu"},
		{name: "Windows-1252", input: header + "A,2027-03-01 09:00,R\xe9solu \x80 \x92\n", mapping: "windows-1252", status: "Résolu € ’"},
		{name: "Windows-1252 from the options", input: header + "A,2027-03-01 09:00,R\xe9solu\n", encoding: "cp1252", status: "Résolu"},
		{name: "ISO-8859-1", input: header + "A,2027-03-01 09:00,R\xe9solu \xff\n", mapping: "latin1", status: "Résolu ÿ"},
		{name: "the options override the mapping", input: header + "A,2027-03-01 09:00,Résolu\n", mapping: "windows-1252", encoding: "utf-8", status: "Résolu"},
		{
			name:  "Windows-1252 read as UTF-8",
			input: header + "A,2027-03-01 09:00,Ok\nB,2027-03-01 09:00,R\xe9solu apr\xe8s l\x92appel\n",
			err:   `f.csv:3: reading stopped before the end of the input: unsupported input encoding: not valid UTF-8 (byte 0xE9 in "27-03-01 09:00,R\xe9solu apr\xe8s "); it looks like Windows-1252, as Excel saves French text (é, the most frequent, is the single byte 0xE9): declare encoding: windows-1252 in the mapping, or Options.Encoding`,
		},
		{
			name:  "bytes no encoding reads as text",
			input: header + "A\xff\xfe\x00\x01,2027-03-01 09:00,x\n",
			err:   `f.csv:2: reading stopped before the end of the input: unsupported input encoding: not valid UTF-8 (byte 0xFF in "A\xff\xfe\x00\x01,2027-03"); declare its encoding (encoding: windows-1252 or iso-8859-1 in the mapping, or Options.Encoding) if it is one of those`,
		},
		{
			name:     "a byte Windows-1252 leaves undefined",
			input:    header + "A,2027-03-01 09:00,x\x81y\n",
			encoding: "windows-1252",
			err:      `f.csv:2: reading stopped before the end of the input: unsupported input encoding: byte 0x81 in "27-03-01 09:00,x\x81y" is not a character in windows-1252: the input is in another encoding, or not text`,
		},
		{
			name:     "Windows-1252 declared ISO-8859-1",
			input:    header + "A,2027-03-01 09:00,l\x92appel\n",
			encoding: "iso-8859-1",
			err:      `f.csv:2: reading stopped before the end of the input: unsupported input encoding: byte 0x92 in "27-03-01 09:00,l\x92appel" is a control character in ISO-8859-1 and '’' in Windows-1252: declare encoding: windows-1252`,
		},
		{
			name:     "UTF-8 declared Windows-1252",
			input:    header + "A,2027-03-01 09:00,ok\nB,2027-03-01 09:00,Résolu\n",
			encoding: "windows-1252",
			err:      `f.csv:3: reading stopped before the end of the input: unsupported input encoding: declared windows-1252, but the text is UTF-8 ("27-03-01 09:00,Résolu"): drop the encoding setting, or set it to utf-8`,
		},
		{
			name:     "a UTF-8 byte order mark declared ISO-8859-1",
			input:    "\xef\xbb\xbf" + header + "A,2027-03-01 09:00,ok\n",
			encoding: "iso-8859-1",
			err:      `f.csv:1: reading stopped before the end of the input: unsupported input encoding: declared iso-8859-1, but the text is UTF-8 (a UTF-8 byte order mark): drop the encoding setting, or set it to utf-8`,
		},
		{
			name:     "a UTF-8 byte order mark before Windows-1252 text",
			input:    "\xef\xbb\xbf" + header + "A,2027-03-01 09:00,R\xe9solu\n",
			encoding: "windows-1252",
			err:      `f.csv:1: reading stopped before the end of the input: unsupported input encoding: a UTF-8 byte order mark opens an input whose text is not UTF-8: it mixes two encodings; save it again in one (UTF-8, or windows-1252 without the mark)`,
		},
		// Excel's "Unicode Text": the UTF-16 mark is not read as bytes
		// of another encoding, declared or not.
		{
			name:  "UTF-16 with a byte order mark",
			input: "\xff\xfei\x00d\x00,\x00o\x00p\x00e\x00n\x00e\x00d\x00\n\x00",
			err:   `f.csv:1: reading stopped before the end of the input: unsupported input encoding: UTF-16 text (as Excel saves "Unicode Text"), which pacte does not read: save the export as CSV UTF-8`,
		},
		{
			name:     "UTF-16 declared Windows-1252",
			input:    "\xff\xfei\x00d\x00,\x00o\x00p\x00e\x00n\x00e\x00d\x00\n\x00",
			encoding: "windows-1252",
			err:      `f.csv:1: reading stopped before the end of the input: unsupported input encoding: UTF-16 text (as Excel saves "Unicode Text"), which pacte does not read: save the export as CSV UTF-8`,
		},
		{
			name:  "UTF-16 without a byte order mark",
			input: "\x00i\x00d\x00,\x00o\x00p\x00e\x00n\x00e\x00d\x00\n",
			err:   `f.csv:1: reading stopped before the end of the input: unsupported input encoding: UTF-16 text (as Excel saves "Unicode Text"), which pacte does not read: save the export as CSV UTF-8`,
		},
		{
			name:  "an Excel workbook",
			input: "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb4",
			err:   `f.csv:1: reading stopped before the end of the input: unsupported input encoding: a zip archive, such as an Excel workbook (.xlsx), not a CSV or JSON Lines export: save it as CSV UTF-8`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := minimal()
			m.Encoding = tc.mapping
			m.Attrs = []string{"status"}
			m.Columns.Status = "status"
			for _, in := range []io.Reader{strings.NewReader(tc.input), io.MultiReader(strings.NewReader(tc.input))} {
				rd, err := ReadTickets(in, m, Options{Name: "f.csv", Location: time.UTC, Encoding: tc.encoding})
				require.NoError(t, err)
				o := collect(t, rd)
				if tc.err != "" {
					require.Empty(t, o.Records)
					require.Equal(t, Stats{}, o.Stats)
					require.Equal(t, []string{tc.err}, o.Rejected)
					require.ErrorIs(t, rd.Err(), ErrEncoding)
					continue
				}
				require.Empty(t, o.Rejected)
				require.Len(t, o.Records, 1)
				require.Equal(t, tc.status, o.Records[0].Status)
			}
		})
	}
}

// A character split between two chunks of the scan is read whole, and a
// sequence cut at the very end of the input is refused.
func TestEncodingChunks(t *testing.T) {
	for shift := range 4 {
		var b bytes.Buffer
		b.WriteString("id,opened,status\n")
		for b.Len() < 3*64<<10 {
			b.WriteString("A,2027-03-01 09:00,")
			b.WriteString(strings.Repeat("x", shift))
			b.WriteString("é€𝄞\n")
			b.WriteString("id,opened,status\n")
		}
		sc := newTextScan()
		require.NoError(t, sc.read(bytes.NewReader(b.Bytes()), utf8Text, int64(b.Len())))
		require.EqualValues(t, -1, sc.bad, "shift %d", shift)
		require.EqualValues(t, b.Len(), sc.size)

		at := bytes.LastIndex(b.Bytes(), []byte("𝄞"))
		cut := b.Bytes()[:at+2] // in the middle of 𝄞
		sc = newTextScan()
		require.NoError(t, sc.read(bytes.NewReader(cut), utf8Text, int64(len(cut))))
		require.EqualValues(t, at, sc.bad)
	}
}

func TestEncodingNames(t *testing.T) {
	_, err := ReadTickets(strings.NewReader(""), minimal(), Options{Location: time.UTC, Encoding: "ebcdic"})
	require.EqualError(t, err, `ingest: Options.Encoding: unknown encoding "ebcdic" (known: utf-8, windows-1252, iso-8859-1)`)

	m := minimal()
	m.Encoding = "utf-16"
	var me *MappingError
	require.ErrorAs(t, m.Validate(), &me)
	require.Equal(t, "encoding", me.Key)

	_, err = ParseMapping("m.yaml", []byte("columns: {id: a, opened: b}\nencoding: utf-16\n"))
	require.EqualError(t, err, `m.yaml:2:1: encoding: unknown encoding "utf-16" (known: utf-8, windows-1252, iso-8859-1)`)
	m, err = ParseMapping("m.yaml", []byte("preset: glpi\nencoding: Windows-1252\n"))
	require.NoError(t, err)
	require.Equal(t, "Windows-1252", m.Encoding)
}
