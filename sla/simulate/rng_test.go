package simulate

import (
	"math/rand/v2"
	"testing"
)

// TestRNGMatchesMathRand checks that rng draws, method for method, what
// rand.New(rand.NewPCG) draws from the same seeds: the seeds of a
// simulation keep their results.
func TestRNGMatchesMathRand(t *testing.T) {
	for seed := range uint64(20) {
		a, b := splitMix64(seed), splitMix64(^seed)
		want := rand.New(rand.NewPCG(a, b))
		got := &rng{hi: a, lo: b}
		for i := range 200_000 {
			switch k := i % 6; k {
			case 0:
				if g, w := got.Uint64(), want.Uint64(); g != w {
					t.Fatalf("seed %d draw %d: Uint64 %d, want %d", seed, i, g, w)
				}
			case 1:
				if g, w := got.Float64(), want.Float64(); g != w {
					t.Fatalf("seed %d draw %d: Float64 %v, want %v", seed, i, g, w)
				}
			case 2:
				if g, w := got.ExpFloat64(), want.ExpFloat64(); g != w {
					t.Fatalf("seed %d draw %d: ExpFloat64 %v, want %v", seed, i, g, w)
				}
			case 3:
				if g, w := got.NormFloat64(), want.NormFloat64(); g != w {
					t.Fatalf("seed %d draw %d: NormFloat64 %v, want %v", seed, i, g, w)
				}
			case 4:
				n := 1 + i%1000
				if g, w := got.IntN(n), want.IntN(n); g != w {
					t.Fatalf("seed %d draw %d: IntN(%d) %d, want %d", seed, i, n, g, w)
				}
			case 5:
				n := 1<<(i%62) + i // powers of two and others, large ones too
				if g, w := got.IntN(n), want.IntN(n); g != w {
					t.Fatalf("seed %d draw %d: IntN(%d) %d, want %d", seed, i, n, g, w)
				}
			}
		}
	}
}
