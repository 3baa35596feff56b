package ingest

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

func readTickets(t *testing.T, input string, m *Mapping, opts Options) outcome[pacte.Ticket] {
	t.Helper()
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	rd, err := ReadTickets(strings.NewReader(input), m, opts)
	require.NoError(t, err)
	return collect(t, rd)
}

func minimal() *Mapping {
	return &Mapping{Columns: Columns{ID: "id", Opened: "opened", Priority: "priority", Resolved: "resolved", Status: "status"}}
}

func TestReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		input    string
		opts     Options
		records  int
		rejected []error // one per Rejected entry, in order
		stats    Stats
		final    error // Err; nil when the input was read to its end
	}{
		{
			name:     "bad rows are refused and reading goes on",
			input:    "id,opened\nA,2027-03-01 09:00\nB,never\n,2027-03-01 09:00\nD,2027-03-01 09:00\n",
			records:  2,
			rejected: []error{ErrDate, ErrMissing},
			stats:    Stats{Rows: 4, Records: 2, Accepted: 2, Rejected: 2},
		},
		{
			name:     "strict mode stops at the first",
			input:    "id,opened\nA,2027-03-01 09:00\nB,never\n,2027-03-01 09:00\nD,2027-03-01 09:00\n",
			opts:     Options{Strict: true},
			records:  1,
			rejected: []error{ErrDate, ErrStopped},
			stats:    Stats{Rows: 2, Records: 1, Accepted: 1, Rejected: 1},
			final:    ErrStopped,
		},
		{
			name:     "MaxRejected bounds the refused rows kept",
			input:    "id,opened\nA,x\nB,x\nC,x\nD,2027-03-01 09:00\n",
			opts:     Options{MaxRejected: 2},
			records:  0,
			rejected: []error{ErrDate, ErrDate, ErrStopped},
			stats:    Stats{Rows: 2, Rejected: 2},
			final:    ErrStopped,
		},
		{
			name:     "missing required column",
			input:    "number,opened\nA,2027-03-01 09:00\n",
			rejected: []error{ErrHeader},
			final:    ErrHeader,
		},
		{
			// Classic Mac OS line breaks: the header ran on into the rows,
			// whose values became header names, and no row was left.
			name:     "lines ended by a carriage return alone",
			input:    "id,opened,priority\rA,2027-03-01 09:00,P1\rB,2027-03-01 10:00,P2\r",
			rejected: []error{ErrHeader},
			final:    ErrHeader,
		},
		{
			name:     "empty input",
			input:    "",
			rejected: []error{ErrHeader},
			final:    ErrStopped,
		},
		{
			name:  "header only",
			input: "id,opened\n",
		},
		{
			name:     "broken quotes in the header",
			input:    "id,\"opened\n",
			rejected: []error{ErrHeader},
			final:    ErrHeader,
		},
		{
			name:     "UTF-16",
			input:    "\xff\xfei\x00d\x00",
			rejected: []error{ErrEncoding},
			final:    ErrEncoding,
		},
		{
			name:     "a JSON array",
			input:    "  [{\"id\": \"A\"}]",
			rejected: []error{ErrEncoding},
			final:    ErrEncoding,
		},
		{
			name:     "bare quote and wrong field count",
			input:    "id,opened\nA\"x,2027-03-01 09:00\nB,2027-03-01 09:00,extra\nC,2027-03-01 09:00\n",
			records:  1,
			rejected: []error{ErrSyntax, ErrSyntax},
			stats:    Stats{Rows: 3, Records: 1, Accepted: 1, Rejected: 2},
		},
		{
			name:     "an unclosed quote refuses its row, not the rows after it",
			input:    "id,opened\nA,2027-03-01 09:00\n\"B,2027-03-01 09:00\nC,2027-03-01 09:00\n",
			records:  2,
			rejected: []error{ErrSyntax},
			stats:    Stats{Rows: 3, Records: 2, Accepted: 2, Rejected: 1},
		},
		{
			name:     "instants out of order",
			input:    "id,opened,resolved\nA,2027-03-02 09:00,2027-03-01 09:00\n",
			rejected: []error{ErrOrder},
			stats:    Stats{Rows: 1, Rejected: 1},
		},
		{
			name:     "unknown priority",
			input:    "id,opened,priority\nA,2027-03-02 09:00,Urgent\nB,2027-03-02 09:00,P2\n",
			records:  1,
			rejected: []error{ErrPriority},
			stats:    Stats{Rows: 2, Records: 1, Accepted: 1, Rejected: 1},
		},
		{
			name:     "a repeated ID is refused, the first record kept",
			input:    "id,opened\nA,2027-03-01 09:00\nB,2027-03-01 10:00\nA,2027-03-01 11:00\n",
			records:  2,
			rejected: []error{ErrDuplicate},
			stats:    Stats{Rows: 3, Records: 2, Accepted: 2, Rejected: 1},
		},
		{
			name:    "AllowDuplicateIDs keeps both",
			input:   "id,opened\nA,2027-03-01 09:00\nB,2027-03-01 10:00\nA,2027-03-01 11:00\n",
			opts:    Options{AllowDuplicateIDs: true},
			records: 3,
			stats:   Stats{Rows: 3, Records: 3, Accepted: 3},
		},
		{
			name:     "a refused row does not take its ID",
			input:    "id,opened\nA,never\nA,2027-03-01 09:00\n",
			records:  1,
			rejected: []error{ErrDate},
			stats:    Stats{Rows: 2, Records: 1, Accepted: 1, Rejected: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := readTickets(t, tc.input, minimal(), tc.opts)
			opts := tc.opts
			opts.Location = time.UTC
			rd, err := ReadTickets(strings.NewReader(tc.input), minimal(), opts)
			require.NoError(t, err)
			for range rd.Records() {
			}
			var got []*pacte.RecordError
			for e := range rd.Rejected() {
				got = append(got, e)
			}
			require.Len(t, got, len(tc.rejected), "%q", o.Rejected)
			for i, want := range tc.rejected {
				require.ErrorIs(t, got[i], want, got[i].Error())
				require.Positive(t, got[i].Line, got[i].Error())
			}
			require.Len(t, o.Records, tc.records)
			if tc.stats != (Stats{}) {
				require.Equal(t, tc.stats, o.Stats)
			}
			if tc.final == nil {
				require.NoError(t, rd.Err())
			} else {
				require.ErrorIs(t, rd.Err(), tc.final)
				require.ErrorIs(t, rd.Err(), ErrStopped)
				require.Same(t, got[len(got)-1], rd.Err(), "Err is the last of Rejected")
			}
		})
	}
}

// TestDuplicateIDs: the refusal of a repeated ID says where both rows are,
// for every kind of record; rows without an ID are never duplicates.
func TestDuplicateIDs(t *testing.T) {
	rd, err := ReadTickets(strings.NewReader("id,opened\nINC1,2027-03-01 09:00\nINC2,2027-03-01 10:00\nINC1,2027-03-01 09:00\n"), minimal(), Options{Name: "incidents.csv", Location: time.UTC})
	require.NoError(t, err)
	for range rd.Records() {
	}
	var errs []*pacte.RecordError
	for e := range rd.Rejected() {
		errs = append(errs, e)
	}
	require.Len(t, errs, 1)
	e := errs[0]
	require.ErrorIs(t, e, ErrDuplicate)
	require.Equal(t, "incidents.csv", e.Source)
	require.Equal(t, 4, e.Line)
	require.Equal(t, "id", e.Column)
	require.Equal(t, "INC1", e.ID)
	require.Equal(t, `incidents.csv:4: INC1: column "id": duplicate id: the record of line 2 has the same id`, e.Error())
	require.Nil(t, rd.seen, "the keys are let go once the input is read")

	// What repeats a record, kind by kind (pacte's own CSV format).
	for _, tc := range []struct {
		name, input string
		read        func(t *testing.T, input string) Stats
		kept        int
	}{
		{"a call: same id and queue", "id,queue,offered\nC1,N1,2027-03-01 09:00\nC1,N1,2027-03-01 09:01\n", readCallsStats, 1},
		{"a call transferred: same id, another queue", "id,queue,offered\nC1,N1,2027-03-01 09:00\nC1,N2,2027-03-01 09:04\n", readCallsStats, 2},
		{"an outage: same id and service", "id,service,start,end\nS1,ERP,2027-03-01 09:00,2027-03-01 10:00\nS1,ERP,2027-03-01 09:00,2027-03-01 10:00\n", readOutagesStats, 1},
		{"a status-page incident over two services", "id,service,start,end\nS1,ERP,2027-03-01 09:00,2027-03-01 10:00\nS1,MAIL,2027-03-01 09:00,2027-03-01 10:00\n", readOutagesStats, 2},
		{"samples without IDs", "name,at,value\nsatisfaction,2027-03-01 09:00,4\nsatisfaction,2027-03-01 09:00,5\n", readSamplesStats, 2},
		{"samples: same id and name", "id,name,at,value\nQ1,satisfaction,2027-03-01 09:00,4\nQ1,satisfaction,2027-03-01 09:00,4\n", readSamplesStats, 1},
		{"samples: same id, another name", "id,name,at,value\nQ1,satisfaction,2027-03-01 09:00,4\nQ1,clarity,2027-03-01 09:00,5\n", readSamplesStats, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.read(t, tc.input)
			require.Equal(t, Stats{Rows: 2, Records: tc.kept, Accepted: tc.kept, Rejected: 2 - tc.kept}, st)
		})
	}
}

func readCallsStats(t *testing.T, input string) Stats {
	rd, err := ReadCalls(strings.NewReader(input), nil, Options{Location: time.UTC})
	return drain(t, rd, err)
}

func readOutagesStats(t *testing.T, input string) Stats {
	rd, err := ReadOutages(strings.NewReader(input), nil, Options{Location: time.UTC})
	return drain(t, rd, err)
}

func readSamplesStats(t *testing.T, input string) Stats {
	rd, err := ReadSamples(strings.NewReader(input), nil, Options{Location: time.UTC})
	return drain(t, rd, err)
}

// drain reads every record of rd and returns its counts.
func drain[T any](t *testing.T, rd *Reader[T], err error) Stats {
	t.Helper()
	require.NoError(t, err)
	for range rd.Records() {
	}
	return rd.Stats()
}

// An I/O error ends reading, and says so in Rejected, so that an engine
// that reads only Rejected sees that the stream was cut. An input is
// checked whole before its first record (its encoding), so an input that
// cannot be read to its end yields none.
func TestReaderIOError(t *testing.T) {
	broken := errors.New("connection reset")
	input := io.MultiReader(strings.NewReader("id,opened\nA,2027-03-01 09:00\nB,2027-03-01 09:00\n"), iotest.ErrReader(broken))
	rd, err := ReadTickets(input, minimal(), Options{Location: time.UTC, Name: "remote.csv"})
	require.NoError(t, err)
	o := collect(t, rd)
	require.Empty(t, o.Records)
	require.ErrorIs(t, rd.Err(), broken)
	require.ErrorIs(t, rd.Err(), ErrStopped)
	var re *pacte.RecordError
	require.ErrorAs(t, rd.Err(), &re)
	require.Equal(t, "remote.csv", re.Source)
	require.Equal(t, []string{"remote.csv: reading stopped before the end of the input: connection reset"}, o.Rejected)

	// The same in JSON Lines, after a row without its line break.
	input = io.MultiReader(strings.NewReader(`{"id":"A","opened":"2027-03-01 09:00"}`+"\n"), iotest.ErrReader(broken))
	rd, err = ReadTickets(input, minimal(), Options{Location: time.UTC})
	require.NoError(t, err)
	o = collect(t, rd)
	require.Empty(t, o.Records)
	require.ErrorIs(t, rd.Err(), broken)
}

func TestReaderSinglePassAndEarlyStop(t *testing.T) {
	input := "id,opened\nA,2027-03-01 09:00\nB,2027-03-01 09:00\nC,2027-03-01 09:00\n"
	rd, err := ReadTickets(strings.NewReader(input), minimal(), Options{Location: time.UTC})
	require.NoError(t, err)
	for tk := range rd.Records() {
		require.Equal(t, "A", tk.ID)
		break
	}
	require.NoError(t, rd.Err(), "stopping early is not an error")
	require.Equal(t, Stats{Rows: 1, Records: 1, Accepted: 1}, rd.Stats())
	n := 0
	for range rd.Records() {
		n++
	}
	require.Zero(t, n, "the input is read once")
}

func TestCSVDelimiterAndHeaders(t *testing.T) {
	m := &Mapping{Columns: Columns{ID: "Ref|Numéro", Opened: " Opened At "}}
	for _, tc := range []struct {
		name, input string
	}{
		{"comma", "numéro,opened at,note\nA,2027-03-01 09:00,x\n"},
		{"semicolon", "Numéro;OPENED AT;note\nA;2027-03-01 09:00;x\n"},
		{"tab", "NUMÉRO\topened at\tnote\nA\t2027-03-01 09:00\tx\n"},
		{"pipe", "numéro|opened at|note\nA|2027-03-01 09:00|x\n"},
		{"quoted delimiters do not count", "numéro,opened at,note,\"a;b;c;d\"\nA,2027-03-01 09:00,x,y\n"},
		{"BOM and CRLF", "\xef\xbb\xbfnuméro,opened at,note\r\nA,2027-03-01 09:00,x\r\n"},
		// Excel's first line naming the delimiter, which detection alone
		// would not take here (more commas than semicolons in the header).
		{"sep= line", "sep=;\nnuméro;opened at;note,with,commas\nA;2027-03-01 09:00;x\n"},
		{"SEP= line, CRLF", "SEP=;\r\nnuméro;opened at;note,with,commas\r\nA;2027-03-01 09:00;x\r\n"},
		{"sep= tab", "sep=\t\nnuméro\topened at\tnote\nA\t2027-03-01 09:00\tx\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := readTickets(t, tc.input, m, Options{})
			require.Empty(t, o.Rejected)
			require.Len(t, o.Records, 1)
			note := o.Records[0].Attrs["note"]
			if note == "" {
				note = o.Records[0].Attrs["note,with,commas"]
			}
			require.Equal(t, "x", note)
		})
	}
	// A row's line counts the sep= line.
	o := readTickets(t, "sep=;\nnuméro;opened at\nA;2027-03-01 09:00\nB;not a date\n", m, Options{})
	require.Len(t, o.Records, 1)
	require.Len(t, o.Rejected, 1)
	require.True(t, strings.HasPrefix(o.Rejected[0], "line 4: B:"), o.Rejected[0])
	// A header whose first column is named like the line is a header.
	o = readTickets(t, "sep=x,opened at\nA,2027-03-01 09:00\n", &Mapping{Columns: Columns{ID: "sep=x", Opened: "opened at"}}, Options{})
	require.Len(t, o.Records, 1)
	// A mapping that says another delimiter is told.
	rd, err := ReadTickets(strings.NewReader("sep=;\nnuméro;opened at\n"), &Mapping{Delimiter: ',', Columns: m.Columns}, Options{Location: time.UTC})
	require.NoError(t, err)
	for range rd.Records() {
	}
	require.ErrorIs(t, rd.Err(), ErrHeader)
	require.ErrorContains(t, rd.Err(), `first line says its delimiter is ';', the mapping ','`)
	// The first alternative present wins, whatever the column order.
	o = readTickets(t, "Numéro,Ref,opened at\nN1,R1,2027-03-01 09:00\n", m, Options{})
	require.Equal(t, "R1", o.Records[0].ID)
	require.Equal(t, map[string]string{"Numéro": "N1"}, o.Records[0].Attrs, "an unused alternative is kept in Attrs")
}

func TestAttrs(t *testing.T) {
	input := "id,opened,a,b,Labels,Labels,,c\nT,2027-03-01 09:00,1,?,x,y,z,\n"
	for _, tc := range []struct {
		name   string
		attrs  []string
		ignore []string
		want   map[string]string
	}{
		{"all unmapped, missing values left out", nil, nil, map[string]string{"a": "1", "Labels": "x; y", "column 7": "z"}},
		{"listed only", []string{"A", "c"}, nil, map[string]string{"a": "1"}},
		{"all but ignored", nil, []string{"labels"}, map[string]string{"a": "1", "column 7": "z"}},
		{"none", nil, []string{"*"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := minimal()
			m.Attrs, m.Ignore = tc.attrs, tc.ignore
			o := readTickets(t, input, m, Options{})
			require.Len(t, o.Records, 1)
			require.Equal(t, tc.want, o.Records[0].Attrs)
		})
	}
}

func TestDefaultsAndValueMaps(t *testing.T) {
	m := &Mapping{
		Columns:    Columns{ID: "id", Opened: "opened", Kind: "type", Status: "status", Level: "level", Satisfaction: "csat", Exclusion: "excl"},
		Defaults:   Columns{Kind: "incident", Service: "ERP", Status: "new"},
		Kinds:      map[string]string{"Demande": "request"},
		Statuses:   map[string]string{"5": "Solved"},
		Priorities: map[string]string{},
	}
	o := readTickets(t, "id,opened,type,status,level,csat,excl\nA,2027-03-01 09:00,demande,5,N2,\"3,5\",client\nB,2027-03-01 09:00,?,,,,\nC,2027-03-01 09:00,Change,En cours,L9,,\n", m, Options{})
	require.Empty(t, o.Rejected)
	a, b, c := o.Records[0], o.Records[1], o.Records[2]
	require.Equal(t, []string{"request", "Solved", "ERP", "client"}, []string{a.Kind, a.Status, a.Service, a.Exclusion})
	require.Equal(t, 2, a.Level)
	require.Equal(t, "3.5", a.Satisfaction.String())
	require.Equal(t, []string{"incident", "new", "ERP"}, []string{b.Kind, b.Status, b.Service}, "defaults fill missing values")
	require.Equal(t, []string{"Change", "En cours"}, []string{c.Kind, c.Status}, "unmapped values pass through")
}

func TestJSONLines(t *testing.T) {
	m := &Mapping{Columns: Columns{ID: "key", Opened: "fields.created", Priority: "fields.priority.name", Service: "Service"}}
	input := `{"key":"A","fields":{"created":"2027-03-01T09:00:00Z","priority":{"name":"2 - High","id":2},"labels":["x",{"y":1}],"done":true,"n":null},"service":"ERP"}` + "\r\n" +
		"\n   \n" +
		`{"key":"B","fields":{"created":"2027-03-01T09:00:00Z"},"extra":1.50}` + "\n" +
		`{"key":"C","fields":{"created":"2027-03-01T09:00:00Z"}} {"key":"D"}` + "\n" +
		`{"key":"E","fields":"flat","fields.created":"2027-03-01T10:00:00Z"}` + "\n" +
		`not json` + "\n" +
		`{"key":"F","fields":{"created":"2027-03-01T09:00:00Z"},"key":"G"}`
	o := readTickets(t, input, m, Options{Format: JSONLines, Name: "api.jsonl"})
	require.Equal(t, Stats{Rows: 6, Records: 4, Accepted: 4, Rejected: 2}, o.Stats)
	a := o.Records[0]
	require.Equal(t, "P2", a.Priority)
	require.Equal(t, "ERP", a.Service, "keys match without regard to case")
	require.Equal(t, map[string]string{"fields.priority.id": "2", "fields.labels": `["x",{"y":1}]`, "fields.done": "true"}, a.Attrs)
	require.Equal(t, "1.50", o.Records[1].Attrs["extra"], "numbers keep their text")
	require.Equal(t, "E", o.Records[2].ID)
	require.Equal(t, "F", o.Records[3].ID, "with a repeated key, the first wins, as with repeated CSV headers")
	require.Equal(t, "G", o.Records[3].Attrs["key"])
	require.Contains(t, o.Rejected[0], "api.jsonl:5: malformed row at column 56: text after the object")
	require.Contains(t, o.Rejected[1], "api.jsonl:7: malformed row")
}

// A row of pacte's own JSON that cannot be decoded is refused with the
// column of the line where decoding failed, and the field when known.
func TestNativeJSONColumns(t *testing.T) {
	input := `{"id":"A","opened":"2027-03-01T09:00:00Z","level":"x"}` + "\n" +
		`   {"id":"B","opened":"2027-03-01T09:00:00Z"} x` + "\n" +
		`{"id":"C","opened":"0001-06-01T00:00:00Z"}` + "\n"
	o := readTickets(t, input, nil, Options{Name: "n.jsonl"})
	require.Equal(t, []string{
		`n.jsonl:1: column "level": malformed row at column 53: json: cannot unmarshal string into Go struct field Ticket.level of type int`,
		`n.jsonl:2: B: malformed row at column 47: text after the object`,
		`n.jsonl:3: C: column "opened": instant out of range: opened (0001-06-01T00:00:00Z) is outside 1900–2199`,
	}, o.Rejected)
}

// A value that its field's own decoding refuses (an instant not in RFC
// 3339, a number that is none) is refused with its field and the column
// where the value starts, as a value of the wrong JSON type is.
func TestNativeJSONFieldErrors(t *testing.T) {
	input := `{"id":"D","opened":"2027-03-01 09:00"}` + "\n" +
		`{"id":"E","opened":"2027-03-01T09:00:00Z", "satisfaction": true}` + "\n"
	o := readTickets(t, input, nil, Options{Name: "n.jsonl"})
	require.Equal(t, []string{
		`n.jsonl:1: column "opened": malformed row at column 20: parsing time "2027-03-01 09:00" as "2006-01-02T15:04:05Z07:00": cannot parse " 09:00" as "T"`,
		`n.jsonl:2: column "satisfaction": malformed row at column 60: error decoding string 'true': can't convert true to decimal: exponent is not numeric`,
	}, o.Rejected)
}

func TestJSONLinesTooLong(t *testing.T) {
	long := `{"id":"A","opened":"2027-03-01 09:00","x":"` + strings.Repeat("y", MaxLineBytes) + `"}`
	input := long + "\n" + `{"id":"B","opened":"2027-03-01 09:00"}` + "\n" + long
	o := readTickets(t, input, minimal(), Options{Name: "long.jsonl"})
	require.Equal(t, Stats{Rows: 3, Records: 1, Accepted: 1, Rejected: 2}, o.Stats)
	require.Equal(t, "B", o.Records[0].ID)
	require.Contains(t, o.Rejected[0], ":1: over a size limit: a line of more than 16777216 bytes (Limits.RowBytes)")
	require.Contains(t, o.Rejected[1], ":3: over a size limit: a line of more than")
}

// A nil mapping reads what encoding/json writes from pacte records.
func TestNativeRoundTrip(t *testing.T) {
	loc := paris(t)
	o := readTickets(t, "", nil, Options{Location: loc}) // header missing: one stop error
	require.Len(t, o.Rejected, 1)

	rd, err := ReadTickets(openFixture(t, "tickets_native.jsonl"), nil, Options{Location: loc})
	require.NoError(t, err)
	first := collect(t, rd).Records
	var b strings.Builder
	for _, tk := range first {
		line, err := jsonLine(tk)
		require.NoError(t, err)
		b.WriteString(line)
	}
	again := readTickets(t, b.String(), nil, Options{Location: loc})
	require.Empty(t, again.Rejected)
	require.Len(t, again.Records, len(first))
	for i := range first {
		want, _ := jsonLine(first[i])
		got, _ := jsonLine(again.Records[i])
		require.JSONEq(t, want, got)
	}
}

func jsonLine(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b) + "\n", err
}

func TestJSONLinesDeepNesting(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 5000) + `"x"` + strings.Repeat(`}`, 5000)
	input := `{"id":"A","opened":"2027-03-01 09:00","deep":` + deep + `,"esc":"tab\there \"q\" \u00e9"}`
	o := readTickets(t, input, minimal(), Options{})
	require.Empty(t, o.Rejected)
	attrs := o.Records[0].Attrs
	require.Equal(t, "tab\there \"q\" é", attrs["esc"])
	var deepest string
	for k := range attrs {
		if len(k) > len(deepest) {
			deepest = k
		}
	}
	require.Equal(t, "deep"+strings.Repeat(".a", maxFlattenDepth), deepest, "flattened to a bounded depth")
	require.True(t, strings.HasPrefix(attrs[deepest], `{"a":{"a":`))
}

// The mapped columns a header lacks are said: their fields read as empty
// in every row, which no error says (a misspelt resolution reads every
// ticket as open).
func TestMissingColumns(t *testing.T) {
	m := minimal()
	m.Columns.Resolved = "resolved_at|Resolved"
	m.Columns.Group = "assignment_group"
	m.Defaults.Kind = "incident"
	m.Columns.Kind = "type"
	for _, c := range []struct {
		name, input string
		want        []MissingColumn
	}{
		{"every column", "id,opened,priority,resolved_at,status,assignment_group,type\nA,2027-01-04T10:00:00Z,P1,,new,desk,incident\n", nil},
		{"the second alternative", "id,opened,priority,Resolved,status,assignment_group,type\nA,2027-01-04T10:00:00Z,P1,,new,desk,incident\n", nil},
		{"a misspelt resolution and no group", "id,opened,priority,resolved_on,status,type\nA,2027-01-04T10:00:00Z,P1,2027-01-04T11:00:00Z,new,incident\n",
			[]MissingColumn{{Field: "group", Columns: []string{"assignment_group"}}, {Field: "resolved", Columns: []string{"resolved_at", "Resolved"}}}},
		{"a field with a default is not missing", "id,opened,priority,resolved_at,status,assignment_group\nA,2027-01-04T10:00:00Z,P1,,new,desk\n", nil},
	} {
		rd, err := ReadTickets(strings.NewReader(c.input), m, Options{Location: time.UTC})
		require.NoError(t, err, c.name)
		require.Nil(t, rd.MissingColumns(), "%s: not known before reading", c.name)
		for range rd.Records() {
		}
		require.NoError(t, rd.Err(), c.name)
		require.Equal(t, c.want, rd.MissingColumns(), c.name)
	}
	require.Equal(t, `no column "resolved_at" or "Resolved": the resolved field is empty in every row`,
		MissingColumn{Field: "resolved", Columns: []string{"resolved_at", "Resolved"}}.String())

	// JSON Lines name their fields in each row: nothing is missing.
	rd, err := ReadTickets(strings.NewReader(`{"id":"A","opened":"2027-01-04T10:00:00Z","priority":"P1","status":"new"}`+"\n"), m, Options{Location: time.UTC, Format: JSONLines})
	require.NoError(t, err)
	for range rd.Records() {
	}
	require.NoError(t, rd.Err())
	require.Nil(t, rd.MissingColumns())
}
