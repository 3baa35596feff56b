package sla_test

import (
	"bytes"
	"encoding"
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
	fuzzStateRoundTrip(f, e, func(e *sla.Evaluator) error {
		_, err := e.Report(h.vols, nil)
		return err
	})
}

// fuzzStateRoundTrip fuzzes into's reading of a saved state: a corrupt
// state is an error, never a panic; what decodes writes back to the same
// bytes, and use (a report, a margin) then runs without a panic, its
// error logged.
func fuzzStateRoundTrip[S interface {
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}](f *testing.F, into S, use func(S) error) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 { // larger states test nothing more, slower
			return
		}
		if err := into.UnmarshalBinary(data); err != nil {
			return
		}
		again, err := into.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, again) {
			t.Fatalf("read and written back, the state changed:\n%x\n%x", data, again)
		}
		if err := use(into); err != nil {
			t.Logf("after reading: %v", err)
		}
	})
}
