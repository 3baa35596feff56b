package ingest

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// incidentCSV writes n rows of a 10-column incident export, as a
// ServiceNow list export would give them. extra adds unmapped columns,
// which go to Attrs.
func incidentCSV(n, extra int) []byte {
	var b bytes.Buffer
	b.WriteString("number,sys_class_name,priority,state,category,assignment_group,business_service,opened_at,resolved_at,closed_at")
	for i := range extra {
		fmt.Fprintf(&b, ",u_extra%d", i)
	}
	b.WriteByte('\n')
	states := []string{"New", "In Progress", "On Hold", "Resolved", "Closed"}
	priorities := []string{"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"}
	base := time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		opened := base.Add(time.Duration(i) * 30 * time.Second) // 100,000 rows stay clear of March's change of time
		resolved := opened.Add(time.Duration(i%50+1) * 13 * time.Minute)
		closed := resolved.Add(48 * time.Hour)
		fmt.Fprintf(&b, "INC%07d,incident,%s,%s,Category %d,Group %d,Service %d,%s,%s,%s",
			i, priorities[i%4], states[i%5], i%30, i%12, i%8,
			opened.Format("2006-01-02 15:04:05"), resolved.Format("2006-01-02 15:04:05"), closed.Format("2006-01-02 15:04:05"))
		for j := range extra {
			fmt.Fprintf(&b, ",value %d", (i+j)%7)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func benchmarkTickets(b *testing.B, data []byte, rows int, opts Options) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	opts.Location = loc
	benchmarkRead(b, data, ServiceNowIncidents(), opts, rows, rows)
}

// benchmarkRead reads data through m on every iteration, checks that it
// gives records tickets, and reports the rows read a second.
func benchmarkRead(b *testing.B, data []byte, m *Mapping, opts Options, records, rows int) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := ReadTickets(bytes.NewReader(data), m, opts)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for range rd.Records() {
			n++
		}
		if n != records || rd.Err() != nil {
			b.Fatalf("read %d tickets of %d: %v", n, records, rd.Err())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCSVTickets is the figure the package promises: CSV rows of a
// 10-column incident export into tickets, on one core.
func BenchmarkCSVTickets(b *testing.B) {
	const rows = 100_000
	benchmarkTickets(b, incidentCSV(rows, 0), rows, Options{})
}

// BenchmarkCSVTicketsAllowDuplicates is the same without the check of
// duplicate IDs: the cost of that check.
func BenchmarkCSVTicketsAllowDuplicates(b *testing.B) {
	const rows = 100_000
	benchmarkTickets(b, incidentCSV(rows, 0), rows, Options{AllowDuplicateIDs: true})
}

// BenchmarkCSVTicketsWithAttrs adds three unmapped columns: the cost of
// one Attrs map per row.
func BenchmarkCSVTicketsWithAttrs(b *testing.B) {
	const rows = 100_000
	benchmarkTickets(b, incidentCSV(rows, 3), rows, Options{})
}

// BenchmarkJSONLTickets reads the same incidents as JSON Lines objects.
func BenchmarkJSONLTickets(b *testing.B) {
	const rows = 20_000
	var buf bytes.Buffer
	base := time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range rows {
		opened := base.Add(time.Duration(i) * 30 * time.Second)
		fmt.Fprintf(&buf, `{"number":"INC%07d","priority":"%d - High","state":"Resolved","opened_at":"%s","resolved_at":"%s","assignment_group":{"display_value":"Group %d"}}`+"\n",
			i, i%4+1, opened.Format("2006-01-02 15:04:05"), opened.Add(time.Hour).Format("2006-01-02 15:04:05"), i%12)
	}
	data := buf.Bytes()
	m := &Mapping{Columns: Columns{ID: "number", Priority: "priority", Status: "state", Opened: "opened_at",
		Resolved: "resolved_at", Group: "assignment_group.display_value"}}
	benchmarkRead(b, data, m, Options{Location: time.UTC}, rows, rows)
}

// BenchmarkEventLog replays an event log shaped like the public
// ServiceNow one: 36 columns, six updates per incident.
func BenchmarkEventLog(b *testing.B) {
	const incidents = 5_000
	var buf bytes.Buffer
	buf.WriteString("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at\n")
	states := []string{"New", "Active", "Awaiting User Info", "Active", "Resolved", "Closed"}
	base := time.Date(2016, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := range incidents {
		opened := base.Add(time.Duration(i) * 7 * time.Minute)
		for j, s := range states {
			fmt.Fprintf(&buf, "INC%07d,%s,true,0,0,%d,true,Caller %d,Opened by %d,%s,Created by 6,%s,Updated by 21,%s,Phone,Location 143,Category 55,Subcategory 170,Symptom 72,?,2 - Medium,2 - Medium,3 - Moderate,Group 56,Resolver 89,true,false,Do Not Notify,?,?,?,?,code 5,Resolved by 149,%s,%s\n",
				i, s, j, i%3000, i%90, opened.Format("2/1/2006 15:04"), opened.Format("2/1/2006 15:04"),
				opened.Add(time.Duration(j)*time.Hour).Format("2/1/2006 15:04"),
				opened.Add(4*time.Hour).Format("2/1/2006 15:04"), opened.Add(5*time.Hour).Format("2/1/2006 15:04"))
		}
	}
	benchmarkRead(b, buf.Bytes(), ServiceNowEventLog(), Options{Location: time.UTC}, incidents, incidents*len(states))
}

// A fully mapped CSV row costs one allocation (encoding/csv's string for
// the row); no Attrs map, no record on the heap. The check of duplicate
// IDs adds one: the copy of the ID it keeps (and, amortised, the growth
// of its map). This guards the benchmark's figure against a regression
// that would go unnoticed.
func TestAllocationsPerRow(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("instrumented builds allocate more")
	}
	m := ServiceNowIncidents()
	for _, tc := range []struct {
		opts Options
		want float64
	}{
		{Options{Location: time.UTC, AllowDuplicateIDs: true}, 1},
		{Options{Location: time.UTC}, 2},
	} {
		read := func(data []byte) {
			rd, err := ReadTickets(bytes.NewReader(data), m, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for range rd.Records() {
			}
		}
		const rows = 2000
		empty, full := incidentCSV(0, 0), incidentCSV(rows, 0)
		base := testing.AllocsPerRun(5, func() { read(empty) })
		all := testing.AllocsPerRun(5, func() { read(full) })
		if perRow := (all - base) / rows; perRow > tc.want+0.05 {
			t.Fatalf("AllowDuplicateIDs %t: %.2f allocations per row, want %g", tc.opts.AllowDuplicateIDs, perRow, tc.want)
		}
	}
}
