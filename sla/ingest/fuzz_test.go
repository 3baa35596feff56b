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

func seedFiles(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func checkInvariants[T any](t *testing.T, rd *Reader[T]) {
	t.Helper()
	n := 0
	for range rd.Records() {
		n++
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
	loc := time.FixedZone("UTC+1", 3600)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []*Mapping{ServiceNowIncidents(), GLPITickets()} {
			rd, err := ReadTickets(bytes.NewReader(data), m, Options{Location: loc, Format: CSV})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rd)
		}
	})
}

func FuzzJSONLTickets(f *testing.F) {
	seedFiles(f, "tickets_api.jsonl", "tickets_native.jsonl")
	f.Add([]byte(`{"id":"A","opened":"2027-01-01","history":[{"at":"x"}]}`))
	f.Add([]byte(`{"a":{"b":{"c":[1,{"d":null}]}}}` + "\n" + `{"number":1e999}`))
	apiMapping := &Mapping{Columns: Columns{ID: "number|id", Priority: "priority", Status: "state",
		Opened: "opened_at|opened", Resolved: "resolved_at", Group: "assignment_group.display_value", Satisfaction: "csat"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []*Mapping{apiMapping, nil} {
			rd, err := ReadTickets(bytes.NewReader(data), m, Options{Location: time.UTC, Format: JSONLines})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rd)
		}
	})
}

func FuzzEventLog(f *testing.F) {
	seedFiles(f, "servicenow_eventlog.csv")
	f.Add([]byte(eventHeader + "A,New,1/3/2027 08:00,1/3/2027 08:00,0,0,?,?\nA,Waiting,1/3/2027 09:00,?,1,1,?,?\nB,Closed,?,?,?,?,?,?\nA,x,y,z,1,2,3,4\n"))
	f.Add([]byte(`{"n":"A","s":"New","u":"2027-03-01T08:00:00Z","o":"2027-03-01T08:00:00Z"}` + "\n" + `{"n":"A","s":"Resolved","u":"2027-02-01T08:00:00Z","rc":"3"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []*Mapping{ServiceNowEventLog(), eventMapping()} {
			rd, err := ReadTickets(bytes.NewReader(data), m, Options{Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rd)
		}
		rd, err := ReadTickets(bytes.NewReader(data), eventMapping(), Options{Location: time.UTC, Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, rd)
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
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range []*Mapping{m, nil} {
			rd, err := ReadCalls(bytes.NewReader(data), m, Options{Location: time.UTC, MaxRejected: 50})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rd)
		}
	})
}

func FuzzOutagesAndSamples(f *testing.F) {
	seedFiles(f, "outages.csv", "samples.csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		ro, err := ReadOutages(bytes.NewReader(data), nil, Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, ro)
		rs, err := ReadSamples(bytes.NewReader(data), nil, Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, rs)
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
		line = bytes.TrimSpace(line)
		if !json.Valid(line) || len(line) == 0 || line[0] != '{' || bytes.ContainsAny(line, "\n") {
			return
		}
		var got jsonlSource
		if err := got.flatten(line); err != nil {
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
