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

func benchmarkTickets(b *testing.B, data []byte, rows int) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	m := ServiceNowIncidents()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := ReadTickets(bytes.NewReader(data), m, Options{Location: loc})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for range rd.Records() {
			n++
		}
		if n != rows || rd.Err() != nil {
			b.Fatalf("read %d tickets of %d: %v", n, rows, rd.Err())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCSVTickets is the figure the package promises: CSV rows of a
// 10-column incident export into tickets, on one core.
func BenchmarkCSVTickets(b *testing.B) {
	const rows = 100_000
	benchmarkTickets(b, incidentCSV(rows, 0), rows)
}

// BenchmarkCSVTicketsWithAttrs adds three unmapped columns: the cost of
// one Attrs map per row.
func BenchmarkCSVTicketsWithAttrs(b *testing.B) {
	const rows = 100_000
	benchmarkTickets(b, incidentCSV(rows, 3), rows)
}
