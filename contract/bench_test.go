package contract

import (
	"os"
	"testing"
)

// BenchmarkParseAcme loads the reference contract: every clause checked,
// every expression compiled, every formula's units read.
func BenchmarkParseAcme(b *testing.B) {
	data, err := os.ReadFile(acmeFile)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, acmeFile); err != nil {
			b.Fatal(err)
		}
	}
}
