package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
)

// The fuzz targets check what must hold for any input: no panic, every
// row accounted for, every refusal located, and Rejected ending with Err
// when reading stopped early.
//
// Each target is fast per input, so that a minute of fuzzing runs well
// over ten thousand of them: mappings are compiled once, outside
// f.Fuzz, and inputs are bounded. The bound matters most when the fuzzer
// minimises an input that found new code, which tries about n²/2
// variants of an input of n bytes, at the cost of the target and of the
// fuzzer's own bookkeeping (tens of microseconds) each: a kilobyte can
// stall the fuzzer for most of a minute. Seeds are cut to the bound at a
// line break.
const maxFuzzInput = 512

// maxSplitFuzzInput bounds the targets of one small function (a CSV or
// JSON line split), which a few lines exercise whole.
const maxSplitFuzzInput = 256

func seedFiles(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		limit := maxFuzzInput
		if strings.HasSuffix(name, ".jsonl") {
			limit = maxJSONFuzzInput
		}
		if len(data) > limit {
			data = data[:bytes.LastIndexByte(data[:limit], '\n')+1]
		}
		f.Add(data)
	}
}

// compile compiles a mapping once for a fuzz target (nil: pacte's own).
func compile(f *testing.F, m *Mapping, kind RecordKind) *compiled {
	f.Helper()
	c, err := compileFor(m, kind)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// fuzzRead reads data with a compiled mapping and checks the invariants.
func fuzzRead[T any](t *testing.T, data []byte, c *compiled, opts Options) {
	t.Helper()
	rd, err := compiledReader[T](bytes.NewReader(data), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if tr, ok := any(rd).(*Reader[pacte.Ticket]); ok {
		withEvents(tr)
	}
	checkInvariants(t, rd)
}

func checkInvariants[T any](t *testing.T, rd *Reader[T]) {
	t.Helper()
	n := 0
	for rec := range rd.Records() {
		n++
		// A reader refuses what the engine would refuse.
		var err error
		switch r := any(&rec).(type) {
		case *pacte.Ticket:
			err = pacte.CheckTicket(r, nil)
		case *pacte.Call:
			err = pacte.CheckCall(r, nil)
		case *pacte.Outage:
			err = pacte.CheckOutage(r, nil)
		case *pacte.Sample:
			err = pacte.CheckSample(r, nil)
		}
		if err != nil {
			t.Fatalf("record %d yielded, which the engine refuses: %v", n, err)
		}
	}
	st := rd.Stats()
	if st.Records != n {
		t.Fatalf("Stats.Records %d, yielded %d", st.Records, n)
	}
	if st.Rows != st.Accepted+st.Rejected {
		t.Fatalf("rows %d != accepted %d + rejected %d", st.Rows, st.Accepted, st.Rejected)
	}
	var last *pacte.RecordError
	count := 0
	for e := range rd.Rejected() {
		if e == nil || e.Err == nil {
			t.Fatalf("nil rejection")
		}
		_ = e.Error()
		last = e
		count++
	}
	if err := rd.Err(); err != nil && err != error(last) {
		t.Fatalf("Err %v is not the last rejection %v", err, last)
	}
	if rd.Err() == nil && count > st.Rejected {
		t.Fatalf("%d rejections for %d rejected rows", count, st.Rejected)
	}
}

func FuzzCSVTickets(f *testing.F) {
	seedFiles(f, "servicenow_incident.csv", "glpi.csv", "itop.csv", "jira.csv")
	f.Add([]byte("number,opened_at\n\"a\"\"b,2027-01-01\n"))
	f.Add([]byte("\xef\xbb\xbf"))
	f.Add([]byte("number;priority;opened_at\nX;99999999999999999999;31/12/9999 23:59:59\n"))
	f.Add([]byte("number,opened_at,d\nA,2027-01-01,\"open\nB,2027-01-02,x\nC,2027-01-03,\"y\"\n"))
	f.Add([]byte("number,opened_at\nINC\xff1,2027-01-01\n"))
	loc := time.FixedZone("UTC+1", 3600)
	mappings := []*compiled{compile(f, ServiceNowIncidents(), TicketRecords), compile(f, GLPITickets(), TicketRecords)}
	tight := Limits{RowBytes: 256, FieldBytes: 64, Columns: 16, RowLines: 4}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		for _, c := range mappings {
			fuzzRead[pacte.Ticket](t, data, c, Options{Location: loc, Format: CSV})
		}
		fuzzRead[pacte.Ticket](t, data, mappings[0], Options{Location: loc, Limits: tight, Encoding: "windows-1252"})
	})
}

// maxJSONFuzzInput bounds the JSON Lines targets more tightly: JSON costs
// more per byte to read than CSV, and a minimisation more per input.
const maxJSONFuzzInput = 384

func FuzzJSONLTickets(f *testing.F) {
	seedFiles(f, "tickets_api.jsonl")
	f.Add([]byte(`{"a":{"b":{"c":[1,{"d":null}]}}}` + "\n" + `{"number":1e999}`))
	f.Add([]byte(`{"number":"A","opened_at":"2027-03-01 09:00","x":"` + strings.Repeat("y", 40) + `"}` + "\n  {\"number\":}"))
	apiMapping := &Mapping{Columns: Columns{ID: "number|id", Priority: "priority", Status: "state",
		Opened: "opened_at|opened", Resolved: "resolved_at", Group: "assignment_group.display_value", Satisfaction: "csat"}}
	api := compile(f, apiMapping, TicketRecords)
	tight := Limits{RowBytes: 256, FieldBytes: 32, Columns: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxJSONFuzzInput {
			return
		}
		fuzzRead[pacte.Ticket](t, data, api, Options{Location: time.UTC, Format: JSONLines, Limits: tight})
	})
}

// FuzzJSONLNative reads pacte's own JSON Lines (a nil mapping).
func FuzzJSONLNative(f *testing.F) {
	seedFiles(f, "tickets_native.jsonl")
	f.Add([]byte(`{"id":"A","opened":"2027-01-01","history":[{"at":"x"}]}`))
	f.Add([]byte(`{"id":"A","opened":"2027-03-01T09:00:00Z","pauses":[{"start":"2027-03-01T10:00:00Z","end":"2027-03-01T09:00:00Z"}]} x`))
	native := compile(f, nil, TicketRecords)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxJSONFuzzInput {
			return
		}
		fuzzRead[pacte.Ticket](t, data, native, Options{Location: time.UTC, Format: JSONLines, Limits: Limits{Columns: 16}})
	})
}

func FuzzEventLog(f *testing.F) {
	seedFiles(f, "servicenow_eventlog.csv")
	f.Add([]byte(eventHeader + "A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\nA,Waiting,1/3/2027 09:00,?,1,1,?,?\nB,Closed,?,?,?,?,?,?\nA,x,y,z,1,2,3,4\n"))
	f.Add([]byte(`{"n":"A","s":"New","u":"2027-03-01T08:00:00Z","o":"2027-03-01T08:00:00Z"}` + "\n" + `{"n":"A","s":"Resolved","u":"2027-02-01T08:00:00Z","rc":"3"}`))
	mappings := []*compiled{compile(f, ServiceNowEventLog(), TicketRecords), compile(f, eventMapping(), TicketRecords)}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		for _, c := range mappings {
			fuzzRead[pacte.Ticket](t, data, c, Options{Location: time.UTC})
		}
		fuzzRead[pacte.Ticket](t, data, mappings[1], Options{Location: time.UTC, Strict: true})
		fuzzRead[pacte.Ticket](t, data, mappings[1], Options{Location: time.UTC, StrictSyntax: true, Limits: Limits{RowLines: 3}})
	})
}

func FuzzCalls(f *testing.F) {
	seedFiles(f, "calls.csv")
	f.Add([]byte("id,queue,offered,answered,ended,abandoned,first_contact,agent\nC,q,2027-03-01 08:00,2027-03-01 08:01,,oui,non,a\n"))
	f.Add([]byte(`{"id":"C","offered":"2027-03-01T08:00:00Z","abandoned":"yes"}`))
	m, err := LoadMapping(filepath.Join("testdata", "calls_mapping.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	mappings := []*compiled{compile(f, m, CallRecords), compile(f, nil, CallRecords)}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		for _, c := range mappings {
			fuzzRead[pacte.Call](t, data, c, Options{Location: time.UTC, MaxRejected: 50})
		}
	})
}

func FuzzOutagesAndSamples(f *testing.F) {
	seedFiles(f, "outages.csv", "samples.csv")
	outages, samples := compile(f, nil, OutageRecords), compile(f, nil, SampleRecords)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		fuzzRead[pacte.Outage](t, data, outages, Options{Location: time.UTC})
		fuzzRead[pacte.Sample](t, data, samples, Options{Location: time.UTC, Encoding: "iso-8859-1"})
	})
}

// FuzzParseTime checks the hand-written date parsers against the
// standard library wherever both read a value.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2027-03-01T09:30:00+01:00", "29/2/2016 01:16", "2027-03-01 09:30:00.5 -0230", "01.03.2027", "2027-02-29"} {
		f.Add(s)
	}
	c := &compiled{dates: []dateFormat{{builtin: isoDate}, {builtin: dmyDate}}}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 64 {
			return
		}
		got, err := c.parseTime(s, time.UTC)
		if err != nil {
			return
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "02/01/2006 15:04"} {
			if want, err := time.Parse(layout, s); err == nil && !want.Equal(got) {
				t.Fatalf("%q: got %s, time.Parse %s", s, got, want)
			}
		}
	})
}

func FuzzParseMapping(f *testing.F) {
	seedFiles(f, "calls_mapping.yaml")
	f.Add([]byte("preset: glpi\ncolumns: {service: [a, b]}\npriorities: {x: P1}\n"))
	f.Add([]byte("a: &x [1, *x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		m, err := ParseMapping("f.yaml", data)
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("ParseMapping accepted a mapping that Validate refuses: %v", err)
		}
	})
}

// FuzzJSONFlatten checks the hand-written JSON scanner against a
// reference built on encoding/json's tokenizer.
func FuzzJSONFlatten(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":{"c":"x\"y","d":[1,{"e":[]}]},"f":null,"g":true,"a":"dup","h":-1.5e3,"":{}}`))
	f.Add([]byte(` { "k" : "v\u00e9\ud83d\ude00" , "n" : { } } `))
	f.Fuzz(func(t *testing.T, line []byte) {
		if len(line) > maxSplitFuzzInput {
			return
		}
		line = bytes.TrimSpace(line)
		if !json.Valid(line) || len(line) == 0 || line[0] != '{' || bytes.ContainsAny(line, "\n") {
			return
		}
		var got jsonlSource
		if err := got.flatten(line, 0); err != nil {
			t.Fatalf("valid object refused: %v", err)
		}
		var want jsonlSource
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
		if err := referenceObject(dec, line, "", &want, 0); err != nil {
			t.Fatal(err)
		}
		if len(got.names) != len(want.names) {
			t.Fatalf("names %q, want %q", got.names, want.names)
		}
		for i := range got.names {
			if got.names[i] != want.names[i] {
				t.Fatalf("name %d: %q, want %q", i, got.names[i], want.names[i])
			}
			g, w := got.vals[i], want.vals[i]
			if strings.HasPrefix(w, "[") || strings.HasPrefix(w, "{") {
				var gb, wb bytes.Buffer
				_ = json.Compact(&gb, []byte(g))
				_ = json.Compact(&wb, []byte(w))
				g, w = gb.String(), wb.String()
			}
			if g != w {
				t.Fatalf("value of %q: %q, want %q", got.names[i], g, w)
			}
		}
	})
}

func referenceObject(dec *json.Decoder, line []byte, prefix string, out *jsonlSource, depth int) error {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := prefix + tok.(string)
		start := dec.InputOffset()
		tok, err = dec.Token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case nil:
		case string:
			out.names, out.vals = append(out.names, name), append(out.vals, v)
		case json.Number:
			out.names, out.vals = append(out.names, name), append(out.vals, v.String())
		case bool:
			out.names, out.vals = append(out.names, name), append(out.vals, fmt.Sprint(v))
		case json.Delim:
			if v == '{' && depth < maxFlattenDepth {
				if err := referenceObject(dec, line, name+".", out, depth+1); err != nil {
					return err
				}
				continue
			}
			for d := 1; d > 0; {
				tok, err := dec.Token()
				if err != nil {
					return err
				}
				if dl, ok := tok.(json.Delim); ok {
					if dl == '[' || dl == '{' {
						d++
					} else {
						d--
					}
				}
			}
			raw := bytes.TrimLeft(line[start:dec.InputOffset()], " \t\r:")
			out.names, out.vals = append(out.names, name), append(out.vals, string(raw))
		}
	}
	_, err := dec.Token()
	return err
}
