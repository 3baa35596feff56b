package sla_test

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla"
)

// BenchmarkReportH1 builds the report of the reference contract over the
// first half of 2027 from an evaluator that has read the data: the
// pipeline's share of an evaluation (the rules' amounts, the steps, the
// caps), apart from reading the records.
func BenchmarkReportH1(b *testing.B) {
	h := loadH1Feed(b)
	e := h.evaluator(b, 0, len(h.feed), sla.AsOf(time.Date(2027, time.July, 1, 0, 0, 0, 0, paris)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Report(h.vols, nil); err != nil {
			b.Fatal(err)
		}
	}
}
