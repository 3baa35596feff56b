package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

// csvRows splits input with pacte's CSV reader and no limit in the way.
func csvRows(input string, lim Limits) (rows [][]string, starts []int, errs []error) {
	lim = lim.withDefaults()
	r := csvReader{lines: lines{br: bufio.NewReaderSize(strings.NewReader(input), 16), max: lim.RowBytes},
		delim: ',', lim: lim, maxCells: lim.Columns}
	for {
		cells, line, err := r.read()
		if err == io.EOF {
			return rows, starts, errs
		}
		var ce *cellError
		if err != nil && !errors.As(err, &ce) {
			return rows, starts, append(errs, err)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		rows = append(rows, append([]string(nil), cells...))
		starts = append(starts, line)
	}
}

// TestCSVLikeEncodingCSV: on what encoding/csv reads, the reader gives
// the same cells and lines: quotes doubled, line breaks in quoted cells,
// CRLF, blank lines, empty cells.
func TestCSVLikeEncodingCSV(t *testing.T) {
	for _, input := range []string{
		"a,b,c\n1,2,3\n",
		"a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n",
		"a,b\n\n\n1,2\n\r\n3,4",
		"a,b\n\"multi\nline\r\ncell\",2\n3,\"\"\n",
		"a,,\n,,\n\"\",\"\",\"\"\n",
		"a\rb,c\n\"d\r\",e\n",
		"only\n\"last\"",
		"x,y\n1,2\r",
		"\"a\"\"\",\"\n\",\"\"\"\"\n",
	} {
		t.Run(fmt.Sprintf("%q", input), func(t *testing.T) {
			want, wantLines := referenceCSV(t, input)
			got, lines, errs := csvRows(input, Limits{})
			require.Empty(t, errs)
			require.Equal(t, want, got)
			require.Equal(t, wantLines, lines)
		})
	}
}

// referenceCSV reads input with encoding/csv, up to its first error.
func referenceCSV(t testing.TB, input string) (rows [][]string, lines []int) {
	r := csv.NewReader(strings.NewReader(input))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err != nil {
			return rows, lines
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
}

// FuzzCSVReader checks the reader against encoding/csv: up to the first
// row encoding/csv refuses, both read the same rows from the same lines.
func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{"a,b\n\"x\ny\",2\n", "a,\"b\"\"c\"\n\"d", "\"a\"b\n", "a\r\n\r\n\"\"\"\"\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		if len(input) > maxSplitFuzzInput {
			return
		}
		want, wantLines := referenceCSV(t, input)
		got, lines, _ := csvRows(input, Limits{})
		if len(got) < len(want) {
			t.Fatalf("encoding/csv reads %d rows, pacte %d: %q, %q", len(want), len(got), want, got)
		}
		for i := range want {
			if !slicesEqual(want[i], got[i]) || wantLines[i] != lines[i] {
				t.Fatalf("row %d: encoding/csv %q at line %d, pacte %q at line %d", i, want[i], wantLines[i], got[i], lines[i])
			}
		}
	})
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A quote left unclosed refuses its row alone: the rows it would have
// swallowed are read again, whether the quote runs to the end of the
// input, into a later quote, or past Limits.RowLines.
func TestCSVUnclosedQuote(t *testing.T) {
	good := func(from, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "G%d,2027-03-01 09:00,fine\n", from+i)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name    string
		input   string
		lim     Limits
		records int
		refused []string // line: reason
	}{
		{
			name:    "to the end of the input",
			input:   "id,opened,desc\n" + good(0, 1) + "B,2027-03-01 09:00,\"broken\n" + good(1, 1000),
			records: 1001,
			refused: []string{"3: malformed row: the quoted value that starts on line 3 is not closed before the end of the input"},
		},
		{
			name:    "into the next quoted cell",
			input:   "id,opened,desc\nB,2027-03-01 09:00,\"broken\n" + good(0, 3) + "Q,2027-03-01 09:00,\"quoted, fine\"\n" + good(3, 2),
			records: 6,
			refused: []string{`2: malformed row: 'q' after the closing quote of a value`},
		},
		{
			name:    "past the lines a row may span",
			input:   "id,opened,desc\nB,2027-03-01 09:00,\"broken\n" + good(0, 50) + "Q,2027-03-01 09:00,\"quoted\"\n",
			lim:     Limits{RowLines: 20},
			records: 51,
			refused: []string{"2: over a size limit: the quoted value that starts on line 2 runs on for more than 20 lines (Limits.RowLines): a quote left unclosed?"},
		},
		{
			name:    "past the bytes a row may hold",
			input:   "id,opened,desc\nB,2027-03-01 09:00,\"broken\n" + good(0, 50) + "Q,2027-03-01 09:00,\"quoted\"\n",
			lim:     Limits{RowBytes: 200},
			records: 51,
			refused: []string{"2: over a size limit: the row that starts on line 2 runs on for more than 200 bytes (Limits.RowBytes): a quote left unclosed?"},
		},
		{
			name:    "into a line over the bytes a row may hold",
			input:   "id,opened,desc\nB,2027-03-01 09:00,\"broken\n" + good(0, 2) + "L,2027-03-01 09:00," + strings.Repeat("x", 300) + "\n" + good(2, 2),
			lim:     Limits{RowBytes: 200},
			records: 4,
			refused: []string{
				"2: over a size limit: the quoted value that starts on line 2 runs into a line of more than 200 bytes (Limits.RowBytes)",
				"5: over a size limit: a line of more than 200 bytes (Limits.RowBytes)",
			},
		},
		{
			name:    "a value over the bytes a value may hold",
			input:   "id,opened,desc\nB,2027-03-01 09:00,\"" + strings.Repeat("long line\n", 20) + "\"\n" + good(0, 2),
			lim:     Limits{FieldBytes: 100},
			records: 2,
			refused: append([]string{`2: column "desc": over a size limit: a value of more than 100 bytes (Limits.FieldBytes)`},
				slicesRepeat(`malformed row: 1 fields, the header has 3`, 19)...),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := ReadTickets(strings.NewReader(tc.input), minimal(), Options{Location: time.UTC, Limits: tc.lim})
			require.NoError(t, err)
			o := collect(t, rd)
			require.Len(t, o.Records, tc.records)
			require.NoError(t, rd.Err())
			for i, want := range tc.refused {
				require.Greater(t, len(o.Rejected), i, "refused: %q", o.Rejected)
				if strings.Contains(want, ": ") && want[0] >= '0' && want[0] <= '9' {
					require.Contains(t, o.Rejected[i], "line "+want[:strings.Index(want, ":")]+": ", o.Rejected[i])
					want = want[strings.Index(want, ":")+2:]
				}
				require.Contains(t, o.Rejected[i], want)
			}
			for _, r := range o.Records {
				require.True(t, strings.HasPrefix(r.ID, "G") || r.ID == "Q" || r.ID == "L", r.ID)
			}
		})
	}
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// A multi-line quoted cell is common: a 500-line description is read as
// one value, and the rows after it are read as usual.
func TestCSVLongQuotedCell(t *testing.T) {
	var desc strings.Builder
	for i := range 500 {
		fmt.Fprintf(&desc, "work note %d, with \"\"quotes\"\" and; separators\n", i)
	}
	input := "id,opened,desc\nA,2027-03-01 09:00,\"" + desc.String() + "\"\nB,2027-03-01 09:00,short\n"
	rd, err := ReadTickets(strings.NewReader(input), minimal(), Options{Location: time.UTC})
	require.NoError(t, err)
	o := collect(t, rd)
	require.Equal(t, Stats{Rows: 2, Records: 2, Accepted: 2}, o.Stats)
	require.Equal(t, 500, strings.Count(o.Records[0].Attrs["desc"], "\n")+1)
	require.Contains(t, o.Records[0].Attrs["desc"], `work note 499, with "quotes" and; separators`)
}

// Caps on a row's width: a header over Limits.Columns stops reading; a
// row of many more fields than its header is refused without being held.
func TestCSVColumns(t *testing.T) {
	wide := "id,opened" + strings.Repeat(",x", 20) + "\nA,2027-03-01 09:00" + strings.Repeat(",1", 20) + "\n"
	rd, err := ReadTickets(strings.NewReader(wide), minimal(), Options{Location: time.UTC, Limits: Limits{Columns: 10}})
	require.NoError(t, err)
	o := collect(t, rd)
	require.Empty(t, o.Records)
	require.ErrorIs(t, rd.Err(), ErrHeader)
	require.ErrorIs(t, rd.Err(), ErrTooLarge)
	require.Equal(t, []string{"line 1: reading stopped before the end of the input: bad header: over a size limit: 22 columns, the most Limits.Columns allows is 10"}, o.Rejected)

	many := "id,opened\nA,2027-03-01 09:00" + strings.Repeat(",1", 100_000) + "\n\"B\",\"2027-03-01 09:00\"" + strings.Repeat(",\"1\"", 100_000) + "\nC,2027-03-01 09:00\n"
	rd, err = ReadTickets(strings.NewReader(many), minimal(), Options{Location: time.UTC})
	require.NoError(t, err)
	o = collect(t, rd)
	require.Len(t, o.Records, 1)
	require.Equal(t, []string{
		"line 2: malformed row: 100002 fields, the header has 2",
		"line 3: malformed row: more than 2 fields, the header has 2",
	}, o.Rejected)
}

// A cell over Limits.FieldBytes is refused with its line and column.
func TestCSVFieldBytes(t *testing.T) {
	input := "id,opened,desc\nA,2027-03-01 09:00," + strings.Repeat("x", 101) + "\nB,2027-03-01 09:00,\"" + strings.Repeat("y", 101) + "\"\nC,2027-03-01 09:00,ok\n"
	rd, err := ReadTickets(strings.NewReader(input), minimal(), Options{Name: "f.csv", Location: time.UTC, Limits: Limits{FieldBytes: 100}})
	require.NoError(t, err)
	o := collect(t, rd)
	require.Len(t, o.Records, 1)
	require.Equal(t, []string{
		`f.csv:2: column "desc": over a size limit: a value of more than 100 bytes (Limits.FieldBytes)`,
		`f.csv:3: column "desc": over a size limit: a value of more than 100 bytes (Limits.FieldBytes)`,
	}, o.Rejected)
}

// StrictSyntax fails the whole input at its first malformed row, and only
// at a malformed one.
func TestStrictSyntax(t *testing.T) {
	input := "id,opened\nA,never\nB,2027-03-01 09:00\n\"C,2027-03-01 09:00\nD,2027-03-01 09:00\n"
	rd, err := ReadTickets(strings.NewReader(input), minimal(), Options{Location: time.UTC, StrictSyntax: true})
	require.NoError(t, err)
	o := collect(t, rd)
	require.Len(t, o.Records, 1)
	require.ErrorIs(t, rd.Err(), ErrStopped)
	var last *pacte.RecordError
	require.ErrorAs(t, rd.Err(), &last)
	require.Equal(t, 4, last.Line)
	require.Len(t, o.Rejected, 3) // the bad date, the bad quote, the stop
}

// BenchmarkCSVSplit splits the rows of a 10-column incident export into
// cells, with pacte's reader and with encoding/csv (which the readers used
// before): a row without quotes is one string, cut where the delimiters
// are, with no copy to unquote it.
func BenchmarkCSVSplit(b *testing.B) {
	data := incidentCSV(20_000, 0)
	b.Run("pacte", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			lim := Limits{}.withDefaults()
			r := csvReader{lines: lines{br: bufio.NewReaderSize(bytes.NewReader(data), 64<<10), max: lim.RowBytes}, delim: ',', lim: lim, maxCells: lim.Columns}
			for {
				if _, _, err := r.read(); err != nil {
					break
				}
			}
		}
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
			r.ReuseRecord = true
			for {
				if _, err := r.Read(); err != nil {
					break
				}
				_, _ = r.FieldPos(0)
			}
		}
	})
}

// A row of empty cells only is a blank line: Excel writes ";;;" for a
// row whose cells were emptied, and such a row holds nothing to refuse.
// The lines of the rows after it are kept.
func TestCSVRowOfEmptyCellsIsBlank(t *testing.T) {
	o := readTickets(t, "id;opened;status\nA;2027-03-01 09:00;x\n;;\n\"\";\"\";\"\"\n;\nB;2027-03-01 10:00;\n;;\nC;;y\n", minimal(), Options{Name: "f.csv"})
	require.Len(t, o.Records, 2)
	require.Equal(t, []string{"A", "B"}, []string{o.Records[0].ID, o.Records[1].ID})
	require.Equal(t, []string{`f.csv:8: C: column "opened": missing value`}, o.Rejected)
	require.Equal(t, Stats{Rows: 3, Records: 2, Accepted: 2, Rejected: 1}, o.Stats)
}
