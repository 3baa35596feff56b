package slatest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
)

// maxFuzzFile bounds the test files the fuzzer tries, and maxFuzzRecords
// the records of the cases it runs: each input then takes a fraction of
// a millisecond, and the fuzzer, which minimizes a new input in time that
// grows with the square of its length, does so in seconds.
const (
	maxFuzzFile    = 1024
	maxFuzzRecords = 20
)

// FuzzParse reads any text as a clause test file: an error or a suite,
// never a panic; and a suite runs.
func FuzzParse(f *testing.F) {
	c, err := contract.Load(acmeContract)
	if err != nil {
		f.Fatal(err)
	}
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range append(seeds, acmeTests) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxFuzzFile)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzFile {
			return
		}
		s, err := slatest.Parse(data, "fuzz_test.yaml", slatest.WithContract(c))
		if err != nil {
			return
		}
		for _, tc := range s.Cases {
			if len(tc.Tickets)+len(tc.Calls)+len(tc.Outages)+len(tc.Samples) <= maxFuzzRecords {
				tc.Run(t.Context())
			}
		}
	})
}

// FuzzInstant reads any text as an instant.
func FuzzInstant(f *testing.F) {
	c, err := contract.Load(acmeContract)
	if err != nil {
		f.Fatal(err)
	}
	k := slatest.NewClock(c)
	for _, s := range []string{"Mon 2027-03-01 08:00", "2027-03-01 08:00 +4h HE", "2027-03-01T08:00:00+01:00 end_of_open_day(3) HO",
		"2027-03-01 -1h", "+4h of HE", "9999-12-31 23:59 +2562047h HE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if len(spec) > 128 { // an instant and a few offsets
			return
		}
		k.At(spec)
		opened, _ := k.At("2027-03-01 08:00")
		k.After(opened, spec)
	})
}
