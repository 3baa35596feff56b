package sla_test

import (
	"bytes"
	"testing"

	"github.com/pacte-sla/pacte/sla"
)

// FuzzUnmarshal: a corrupt state is an error, never a panic; what decodes
// writes back to the same bytes, and makes a report.
func FuzzUnmarshal(f *testing.F) {
	h := loadH1Feed(f)
	n := len(h.feed)
	for _, part := range [][2]int{{0, 0}, {0, n / 3}, {n / 3, 2 * n / 3}, {2 * n / 3, n}} {
		for _, opts := range [][]sla.Option{nil, {sla.AsOf(asOf), sla.ListMissed(2)}} {
			b, err := h.evaluator(f, part[0], part[1], opts...).MarshalBinary()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	e, err := sla.NewEvaluator(h.c)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 { // larger states test nothing more, slower
			return
		}
		if err := e.UnmarshalBinary(data); err != nil {
			return
		}
		again, err := e.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, again) {
			t.Fatalf("read and written back, the state changed:\n%x\n%x", data, again)
		}
		if _, err := e.Report(h.vols, nil); err != nil {
			t.Logf("report: %v", err)
		}
	})
}
