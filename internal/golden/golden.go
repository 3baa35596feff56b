// Package golden compares what a test produces with a golden file of
// testdata, and rewrites the file when the test runs with -update, so
// that every package checks its golden files the same way and says the
// same thing when one differs: the first line that does.
//
//	var update = flag.Bool("update", false, "rewrite the golden files")
//
//	golden.Check(t, "testdata/report.golden.json", got, *update)
//
// Each package keeps its own -update flag: the helper registers none.
package golden

import (
	"bytes"
	"os"
	"strconv"
)

// TB is the part of testing.TB that Check uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Check compares got with the file at path and fails the test with the
// first line that differs; with update, it writes got to the file instead.
func Check(tb TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatalf("%v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it, then read it)", err)
		return
	}
	if !bytes.Equal(got, want) {
		tb.Fatalf("%s differs from the output at %s\n(go test -update rewrites it: read the change first)", path, FirstDiff(want, got))
	}
}

// FirstDiff shows the first line that differs between want and got.
func FirstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(same lines)"
}
