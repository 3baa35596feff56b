package ingest_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/sla/ingest"
)

func ExampleReadTickets() {
	export := `number,priority,state,opened_at,resolved_at,short_description
INC001,1 - Critical,Resolved,2027-03-01 09:00:00,2027-03-01 11:30:00,VPN down
INC002,3 - Moderate,New,01/03/2027 10:15,?,Printer
INC003,2 - High,New,2027-02-30 08:00:00,,Bad date
`
	paris, _ := time.LoadLocation("Europe/Paris")
	tickets, err := ingest.ReadTickets(strings.NewReader(export), ingest.ServiceNowIncidents(),
		ingest.Options{Name: "incidents.csv", Location: paris})
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := range tickets.Records() {
		took := "open"
		if !t.Resolved.IsZero() {
			took = t.Resolved.Sub(t.Opened).String()
		}
		fmt.Println(t.ID, t.Kind, t.Priority, t.Opened.Format(time.RFC3339), took, t.Attrs["short_description"])
	}
	for e := range tickets.Rejected() {
		fmt.Println("refused:", e)
	}
	fmt.Printf("%+v\n", tickets.Stats())
	// Output:
	// INC001 incident P1 2027-03-01T09:00:00+01:00 2h30m0s VPN down
	// INC002 incident P3 2027-03-01T10:15:00+01:00 open Printer
	// refused: incidents.csv:4: INC003: column "opened_at": not a date: "2027-02-30 08:00:00" (formats tried: iso, dmy)
	// {Rows:3 Records:2 Accepted:2 Rejected:1}
}

// An event log has one row per update; the reader rebuilds each ticket
// with its history, pauses and reopenings.
func ExampleReadTickets_eventLog() {
	log := `number,incident_state,reopen_count,sys_mod_count,opened_at,sys_updated_at,priority,resolved_at,closed_at
INC9,New,0,0,1/3/2016 09:00,1/3/2016 09:00,3 - Moderate,?,?
INC9,Active,0,1,1/3/2016 09:00,1/3/2016 09:20,3 - Moderate,?,?
INC9,Awaiting User Info,0,2,1/3/2016 09:00,1/3/2016 10:00,3 - Moderate,?,?
INC9,Active,0,3,1/3/2016 09:00,1/3/2016 14:00,2 - High,?,?
INC9,Resolved,0,4,1/3/2016 09:00,1/3/2016 15:00,2 - High,1/3/2016 15:00,?
INC9,Active,1,5,1/3/2016 09:00,2/3/2016 08:00,2 - High,?,?
INC9,Resolved,1,6,1/3/2016 09:00,2/3/2016 09:30,2 - High,2/3/2016 09:30,?
`
	tickets, err := ingest.ReadTickets(strings.NewReader(log), ingest.ServiceNowEventLog(),
		ingest.Options{Name: "incident_event_log.csv", Location: time.UTC})
	if err != nil {
		fmt.Println(err)
		return
	}
	for t := range tickets.Records() {
		fmt.Println(t.ID, t.Priority, t.Status, "resolved", t.Resolved.Format("02/01 15:04"))
		for _, h := range t.History {
			fmt.Println("  ", h.At.Format("02/01 15:04"), h.Status)
		}
		for _, p := range t.Pauses {
			fmt.Println("   paused", p.Start.Format("15:04"), "to", p.End.Format("15:04"))
		}
		for _, r := range t.Reopened {
			fmt.Println("   reopened", r.Format("02/01 15:04"))
		}
	}
	fmt.Printf("%+v\n", tickets.Stats())
	// Output:
	// INC9 P2 Resolved resolved 02/03 09:30
	//    01/03 09:00 New
	//    01/03 09:20 Active
	//    01/03 10:00 Awaiting User Info
	//    01/03 14:00 Active
	//    01/03 15:00 Resolved
	//    02/03 08:00 Active
	//    02/03 09:30 Resolved
	//    paused 10:00 to 14:00
	//    reopened 02/03 08:00
	// {Rows:7 Records:1 Accepted:7 Rejected:0}
}

// A nil mapping reads pacte's own format: columns named after the
// record's JSON fields.
func ExampleReadCalls() {
	export := `id,queue,offered,answered,ended,abandoned,first_contact
C1,desk,2027-03-01T08:00:05+01:00,2027-03-01T08:00:20+01:00,2027-03-01T08:04:00+01:00,false,true
C2,desk,2027-03-01T08:01:00+01:00,,2027-03-01T08:01:45+01:00,true,false
`
	calls, err := ingest.ReadCalls(strings.NewReader(export), nil, ingest.Options{Location: time.UTC})
	if err != nil {
		fmt.Println(err)
		return
	}
	for c := range calls.Records() {
		if c.Answered.IsZero() {
			fmt.Println(c.ID, "not answered, abandoned:", c.Abandoned)
			continue
		}
		fmt.Println(c.ID, "answered after", c.Answered.Sub(c.Offered))
	}
	// Output:
	// C1 answered after 15s
	// C2 not answered, abandoned: true
}

func ExampleReadOutages() {
	export := `{"id":"O-1","service":"ERP","start":"2027-03-03T22:00:00+01:00","end":"2027-03-04T02:00:00+01:00","planned":true}
{"id":"O-2","service":"ERP","start":"2027-03-10T14:12:00+01:00","end":"2027-03-10T14:58:00+01:00"}
`
	outages, err := ingest.ReadOutages(strings.NewReader(export), nil, ingest.Options{Location: time.UTC})
	if err != nil {
		fmt.Println(err)
		return
	}
	for o := range outages.Records() {
		fmt.Println(o.ID, o.Service, o.End.Sub(o.Start), "planned:", o.Planned)
	}
	// Output:
	// O-1 ERP 4h0m0s planned: true
	// O-2 ERP 46m0s planned: false
}

// Scores written the French way, with a decimal comma, stay exact.
func ExampleReadSamples() {
	export := `enquete;date;note
E-1;31/03/2027;4,5
E-2;30/04/2027;N/A
`
	m := &ingest.Mapping{
		Columns:  ingest.Columns{ID: "enquete", At: "date", Value: "note"},
		Defaults: ingest.Columns{Name: "csat"},
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	samples, err := ingest.ReadSamples(strings.NewReader(export), m, ingest.Options{Name: "enquetes.csv", Location: paris})
	if err != nil {
		fmt.Println(err)
		return
	}
	for s := range samples.Records() {
		fmt.Println(s.ID, s.Name, s.At.Format("2006-01-02"), s.Value)
	}
	for e := range samples.Rejected() {
		fmt.Println("refused:", e)
	}
	// Output:
	// E-1 csat 2027-03-31 4.5
	// refused: enquetes.csv:3: E-2: column "note": missing value
}

func ExampleParseMapping() {
	file := `# GLPI, with a contract that calls "Très haute" P1.
preset: glpi
priorities:
  Très haute: P1
  Haute: P2
columns:
  service: [Lieu, Location]
`
	m, err := ingest.ParseMapping("glpi-acme.yaml", []byte(file))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Priorities["Très haute"], m.Priorities["Majeure"], m.Columns.Service)

	_, err = ingest.ParseMapping("typo.yaml", []byte("record: tickets\ncolumns:\n  id: number\n  opend: opened_at\n"))
	fmt.Println(err)
	// Output:
	// P1 P1 Lieu|Location
	// typo.yaml:4:3: columns.opend: unknown field (known: id, kind, priority, service, category, group, level, opened, acknowledged, resolved, closed, status, satisfaction, exclusion, problem, updated, sequence, reopen_count, reassignment_count, queue, offered, answered, ended, abandoned, first_contact, agent, start, end, planned, announced, name, at, value)
}

func ExampleLoadMapping() {
	m, err := ingest.LoadMapping("testdata/calls_mapping.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Record, m.Columns.Offered, string(m.Delimiter))
	// Output: calls entree ;
}

func ExamplePreset() {
	for _, name := range ingest.PresetNames() {
		m, _ := ingest.Preset(name)
		fmt.Printf("%-20s %s, opened from %q\n", name, m.Record, m.Columns.Opened)
	}
	// Output:
	// servicenow-incident  tickets, opened from "opened_at|Opened"
	// servicenow-eventlog  tickets, opened from "opened_at"
	// glpi                 tickets, opened from "Opening date|Date d'ouverture|date"
	// itop                 tickets, opened from "start_date"
	// jira-sm              tickets, opened from "Created|created|fields.created"
}

// Strict mode stops at the first refused row; Err tells why reading
// stopped, and the last error of Rejected is the same.
func ExampleReader_Err() {
	export := "id,opened\nT1,2027-03-01 09:00\nT2,soon\nT3,2027-03-01 10:00\n"
	tickets, _ := ingest.ReadTickets(strings.NewReader(export), nil, ingest.Options{Location: time.UTC, Strict: true, Name: "t.csv"})
	for t := range tickets.Records() {
		fmt.Println(t.ID)
	}
	for e := range tickets.Rejected() {
		fmt.Println("refused:", e)
	}
	fmt.Println(tickets.Err() != nil, tickets.Stats().Rows)
	// Output:
	// T1
	// refused: t.csv:3: T2: column "opened": not a date: "soon" (formats tried: iso, dmy)
	// refused: t.csv:3: reading stopped before the end of the input: strict mode stops at the first refused row
	// true 2
}

// A file saved again by Excel on a French Windows is Windows-1252. Read as
// UTF-8 (the default), it is refused whole, before its first record, with
// one error that names the encoding it looks like; declared, it is read.
func ExampleOptions_encoding() {
	export := "id,opened,status\nT1,2027-03-01 09:00,R\xe9solu\nT2,2027-03-01 10:00,Ferm\xe9\n"
	for _, enc := range []string{"", "windows-1252"} {
		tickets, _ := ingest.ReadTickets(strings.NewReader(export), nil,
			ingest.Options{Location: time.UTC, Encoding: enc, Name: "t.csv"})
		for t := range tickets.Records() {
			fmt.Println(t.ID, t.Status)
		}
		if err := tickets.Err(); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// t.csv:2: reading stopped before the end of the input: unsupported input encoding: not valid UTF-8 (byte 0xE9 in "27-03-01 09:00,R\xe9solu"); it looks like Windows-1252, as Excel saves French text (é, the most frequent, is the single byte 0xE9): declare encoding: windows-1252 in the mapping, or Options.Encoding
	// T1 Résolu
	// T2 Fermé
}

// A quote left unclosed refuses its row alone: the rows after it are read.
func ExampleReadTickets_unclosedQuote() {
	export := "id,opened,title\nT1,2027-03-01 09:00,\"VPN down\nT2,2027-03-01 10:00,Printer\nT3,2027-03-01 11:00,\"Mail, slow\"\n"
	tickets, _ := ingest.ReadTickets(strings.NewReader(export), nil, ingest.Options{Location: time.UTC, Name: "t.csv"})
	for t := range tickets.Records() {
		fmt.Println(t.ID)
	}
	for e := range tickets.Rejected() {
		fmt.Println("refused:", e)
	}
	// Output:
	// T2
	// T3
	// refused: t.csv:2: column "title": malformed row: 'M' after the closing quote of a value (a quote inside a quoted value is written "")
}
