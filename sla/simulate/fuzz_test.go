package simulate

import (
	"errors"
	"os"
	"testing"
)

// FuzzParseScenario: no input makes the parser panic; an input it
// accepts is valid and survives a Clone; an input it refuses gets an
// ErrorList whose every error has a line.
func FuzzParseScenario(f *testing.F) {
	// Inputs are bounded, so that each runs in microseconds and what the
	// fuzzer finds is minimized in seconds: the reference scenario is
	// larger, its start a seed.
	const maxInput = 1024
	if data, err := os.ReadFile(referenceScenario); err == nil {
		f.Add(data[:min(len(data), maxInput)])
	}
	f.Add([]byte(tinyACME))
	for _, s := range []string{
		"tickets:\n  - kind: incident\n    restore: {medain: 2h, p90: 4h}\n",
		"a: &a [1, 2]\nb: *a\n",
		"calls: {per_month: 100, handling: {mean: 5m}, staffing: {rota: {\"mon-fri 08:00-18:00\": 3}}}\n",
		"surveys: {per_ticket: 10%, scores: {\"5\": 100%}}\n",
		"outages: [{service: ERP, per_month: 1, duration: {values: [1h, 2h]}}]\n",
		"- x\n",
		"start: 2027-02-30\n",
		"tickets:\n  - {kind: incident, restore: 1h30min, acknowledge: {median: 15min, p90: 1h}}\n",
		"~\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxInput {
			return
		}
		s, err := ParseScenario(data, "fuzz.yaml")
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("not an ErrorList: %v", err)
			}
			for _, e := range list {
				if e.Line <= 0 {
					t.Fatalf("error without a line: %v", e)
				}
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		if err := s.Clone().Validate(); err != nil {
			t.Fatalf("the clone is invalid: %v", err)
		}
	})
}
