package slatest_test

import (
	"os"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
)

// BenchmarkParseAcme reads the reference contract's clause tests.
func BenchmarkParseAcme(b *testing.B) {
	c, err := contract.Load(acmeContract)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(acmeTests)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := slatest.Parse(data, acmeTests, slatest.WithContract(c)); err != nil {
			b.Fatal(err)
		}
	}
}
