package ingest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// brokenCase is a broken export and what must become of it.
type brokenCase struct {
	file    string
	mapping func(t *testing.T) *Mapping
	opts    Options
	good    int // rows of the file that are good: each must become a record
}

func preset(name string) func(t *testing.T) *Mapping {
	return func(t *testing.T) *Mapping {
		m, err := Preset(name)
		require.NoError(t, err)
		return m
	}
}

func mappingFile(name string) func(t *testing.T) *Mapping {
	return func(t *testing.T) *Mapping {
		m, err := LoadMapping(filepath.Join("testdata", "broken", name))
		require.NoError(t, err)
		return m
	}
}

// brokenOutcome is what a broken export gave, for its golden file.
type brokenOutcome struct {
	Stats    Stats            `json:"stats"`
	First    string           `json:"first_record,omitempty"`
	Last     string           `json:"last_record,omitempty"`
	Rejected []string         `json:"rejected"`
	Err      string           `json:"err,omitempty"`
	Report   *sla.RecordCount `json:"report"`
}

// TestBrokenExports reads each broken export of testdata/broken, compares
// what the reader makes of it with its golden file (name.golden.json,
// rewritten by -update),
// and evaluates it against the reference contract: every row is in the
// report's accounting (read = counted + excluded + rejected), and every
// good row, before or after a bad one, is a record the engine read.
func TestBrokenExports(t *testing.T) {
	c, err := contract.Load(filepath.Join("..", "..", "examples", "contracts", "acme.yaml"))
	require.NoError(t, err)
	sn := preset("servicenow-incident")
	for _, tc := range []brokenCase{
		{file: "unclosed_quote.csv", mapping: sn, good: 1001},
		{file: "quote_pairs_later.csv", mapping: sn, good: 4},
		{file: "bad_rows.csv", mapping: sn, good: 2},
		{file: "invalid_utf8.csv", mapping: sn},
		{file: "windows1252.csv", mapping: mappingFile("french_1252.yaml"), good: 3},
		{file: "windows1252.csv", mapping: mappingFile("french_1252.yaml"), opts: Options{Encoding: "utf-8"}},
		{file: "utf8_declared_1252.csv", mapping: mappingFile("french_1252.yaml")},
		{file: "out_of_range.csv", mapping: sn, good: 1},
		{file: "broken.jsonl", mapping: sn, good: 2},
	} {
		name := strings.TrimSuffix(tc.file, filepath.Ext(tc.file))
		if tc.opts.Encoding != "" {
			name += "." + tc.opts.Encoding
		}
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "broken", tc.file))
			require.NoError(t, err)
			defer f.Close()
			o := evaluateBroken(t, c, f, tc)
			checkGoldenFile(t, filepath.Join("testdata", "broken", name+".golden.json"), o)
		})
	}
}

// evaluateBroken reads an export into the engine and checks the
// accounting: the report reads each record and each refusal once.
func evaluateBroken(t *testing.T, c *contract.Contract, in io.Reader, tc brokenCase) brokenOutcome {
	t.Helper()
	opts := tc.opts
	opts.Name, opts.Location = tc.file, c.Location()
	rd, err := ReadTickets(in, tc.mapping(t), opts)
	require.NoError(t, err)
	var o brokenOutcome
	records := 0
	tickets := func(yield func(pacte.Ticket) bool) {
		for tk := range rd.Records() {
			if o.First == "" {
				o.First = tk.ID
			}
			o.Last = tk.ID
			records++
			if !yield(tk) {
				return
			}
		}
	}
	rejected := func(yield func(*pacte.RecordError) bool) {
		for e := range rd.Rejected() {
			o.Rejected = append(o.Rejected, e.Error())
			if !yield(e) {
				return
			}
		}
	}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{Tickets: tickets, Rejected: rejected})
	require.NoError(t, err)
	o.Stats = rd.Stats()
	if err := rd.Err(); err != nil {
		o.Err = err.Error()
	}
	rc := rep.Records["tickets"]
	require.NotNil(t, rc)
	o.Report = rc
	require.Equal(t, rc.Read, rc.Counted+rc.Excluded+rc.Rejected, "read = counted + excluded + rejected")
	require.Equal(t, records+len(o.Rejected), rc.Read, "the report reads every record and every refusal")
	require.Equal(t, tc.good, records, "every good row is a record")
	require.Equal(t, o.Stats.Rows, o.Stats.Accepted+o.Stats.Rejected)
	return o
}

// The exports too large to keep under testdata are made here: a line of
// 17 MB, a quoted value of 17 MB over many lines, a header of a million
// columns. Each is refused with its line, and the rows around it are read.
func TestOversizedExports(t *testing.T) {
	c, err := contract.Load(filepath.Join("..", "..", "examples", "contracts", "acme.yaml"))
	require.NoError(t, err)
	const header = "number,priority,state,opened_at,resolved_at,short_description\n"
	good := func(i int) string {
		return fmt.Sprintf("INC%07d,2 - High,Resolved,2027-03-01 09:00:00,2027-03-01 10:00:00,fine\n", i)
	}
	mb := strings.Repeat("y", 1<<20) + "\n"
	for _, tc := range []struct {
		name, input   string
		good, refused int
		first         string
	}{
		{"a line over the cap", header + good(1) + "INC0000002,2 - High,Resolved,2027-03-01 09:00:00,," + strings.Repeat("x", MaxLineBytes+1) + "\n" + good(3),
			2, 1, "big:3: over a size limit: a line of more than 16777216 bytes (Limits.RowBytes)"},
		// The lines of the value are read again as rows, and refused one
		// by one: nothing tells them from the rows an unclosed quote
		// swallows.
		{"a quoted value over the cap", header + good(1) + "INC0000002,2 - High,Resolved,2027-03-01 09:00:00,,\"" + strings.Repeat(mb, 17) + "\"\n" + good(3),
			2, 1 + 16 + 1, "big:3: column \"short_description\": over a size limit: the row that starts on line 3 runs on for more than 16777216 bytes (Limits.RowBytes): a quote left unclosed?"},
		{"a million columns", strings.Repeat("c,", 1_000_000) + "\n" + good(1),
			0, 1, "big:1: reading stopped before the end of the input: bad header: over a size limit: 1000001 columns, the most Limits.Columns allows is 10000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := evaluateBroken(t, c, strings.NewReader(tc.input),
				brokenCase{file: "big", mapping: preset("servicenow-incident"), good: tc.good})
			require.Len(t, o.Rejected, tc.refused)
			require.Equal(t, tc.first, o.Rejected[0])
		})
	}
}

// An input in another encoding is refused whole, before its first record,
// even when its first invalid byte comes after many good rows: nothing is
// half read. The input that cannot seek is held for that, up to its limit.
func TestEncodingRefusedBeforeFirstRecord(t *testing.T) {
	var b strings.Builder
	b.WriteString("number,opened_at\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "INC%07d,2027-03-01 09:00:00\n", i)
	}
	b.WriteString("INC\xe91,2027-03-01 09:00:00\n")
	for _, in := range []struct {
		name string
		r    io.Reader
	}{
		{"a file", strings.NewReader(b.String())},
		{"a stream", io.MultiReader(strings.NewReader(b.String()))},
	} {
		t.Run(in.name, func(t *testing.T) {
			rd, err := ReadTickets(in.r, ServiceNowIncidents(), Options{Name: "x.csv", Location: time.UTC})
			require.NoError(t, err)
			n := 0
			for range rd.Records() {
				n++
			}
			require.Zero(t, n)
			require.Equal(t, Stats{}, rd.Stats())
			require.ErrorIs(t, rd.Err(), ErrEncoding)
			require.Contains(t, rd.Err().Error(), "x.csv:100002: ")
			require.Contains(t, rd.Err().Error(), `not valid UTF-8 (byte 0xE9 in "INC\xe91,2027-03-0"); it looks like Windows-1252, as Excel saves French text (é, the most frequent, is the single byte 0xE9)`)
		})
	}

	// A stream over Limits.HeldBytes is refused whole, and says how to read it.
	rd, err := ReadTickets(io.MultiReader(strings.NewReader(b.String())), ServiceNowIncidents(),
		Options{Location: time.UTC, Limits: Limits{HeldBytes: 1 << 20}})
	require.NoError(t, err)
	for range rd.Records() {
		t.Fatal("a record")
	}
	require.ErrorIs(t, rd.Err(), ErrTooLarge)
	require.Contains(t, rd.Err().Error(), "read it from a file, or raise Options.Limits.HeldBytes")
}
