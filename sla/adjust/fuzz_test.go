package adjust_test

import (
	"errors"
	"os"
	"testing"

	"github.com/pacte-sla/pacte/sla/adjust"
)

// FuzzParse checks that Parse never panics, and returns either
// adjustments that give what an agreement says, or errors placed in the
// file, YAML or CSV.
//
//	go test ./sla/adjust -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, kind := range []string{"good", "bad"} {
		for _, path := range files(f, kind) {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, path[len(path)-4:] == ".csv")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, isCSV bool) {
		name := "f.yaml"
		if isCSV {
			name = "f.csv"
		}
		s, err := adjust.Parse(data, name)
		if err != nil {
			if s != nil {
				t.Fatal("a set with an error")
			}
			var list adjust.ErrorList
			var one *adjust.Error
			switch {
			case errors.As(err, &list):
				for _, e := range list {
					if e.Line < 1 || e.Column < 1 {
						t.Fatalf("error at %d:%d: %v", e.Line, e.Column, e)
					}
				}
			case errors.As(err, &one):
				if one.Line < 1 || one.Column < 1 {
					t.Fatalf("error at %d:%d: %v", one.Line, one.Column, one)
				}
			default:
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, a := range s.Adjustments() {
			if a.Item == "" || a.Reason == "" || a.AgreedBy == "" || a.Date == "" || a.Line < 1 {
				t.Fatalf("incomplete adjustment %+v", a)
			}
			if a.Decision == adjust.Reclassify && len(a.Changes) == 0 {
				t.Fatalf("reclassify without changes %+v", a)
			}
		}
	})
}
