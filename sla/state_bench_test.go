package sla_test

import (
	"testing"

	"github.com/pacte-sla/pacte/sla"
)

// The state of the reference data, half a year of the reference
// contract, with the tickets still running kept for the report.
func benchState(b *testing.B) (*h1Feed, []byte) {
	h := loadH1Feed(b)
	state, err := h.evaluator(b, 0, len(h.feed)).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	return h, state
}

func BenchmarkStateMarshal(b *testing.B) {
	h, state := benchState(b)
	e, err := sla.NewEvaluator(h.c)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.UnmarshalBinary(state); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(state)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStateUnmarshal(b *testing.B) {
	h, state := benchState(b)
	e, err := sla.NewEvaluator(h.c)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(state)))
	b.ReportAllocs()
	for b.Loop() {
		if err := e.UnmarshalBinary(state); err != nil {
			b.Fatal(err)
		}
	}
}
