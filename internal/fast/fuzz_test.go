package fast

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/stretchr/testify/require"
)

// FuzzClosures compiles what package dsl compiles (its fuzz corpus seeds
// this one) and requires the closures to agree with the VM: the same
// value or the same failure, and no panic from any entry point.
func FuzzClosures(f *testing.F) {
	for _, corpus := range [][]diffCase{ticketCorpus, callCorpus, outageCorpus} {
		for _, c := range corpus {
			f.Add(c.src) // call and outage expressions mostly fail on tickets: fine
		}
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "dsl", "testdata", "fuzz", "FuzzCompile", "*"))
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		_, arg, _ := strings.Cut(strings.TrimSpace(string(b)), "\nstring(")
		if src, err := strconv.Unquote(strings.TrimSuffix(arg, ")")); err == nil {
			f.Add(src)
		}
	}
	env := sampleTicket()
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 512 { // contract clauses are short; long ones slow the minimizing
			return
		}
		vm, err := dsl.Compile[dsl.Ticket](src, withCalendars()...)
		if err != nil {
			return // package dsl fuzzes its errors
		}
		p := Compile(vm, testCalendars)
		var v, w any
		var verr, werr error
		require.NotPanics(t, func() { v, verr = p.Eval(env) }, "Eval(%q)", src)
		require.NotPanics(t, func() { w, werr = vm.Eval(env) }, "VM(%q)", src)
		if p.Compiled() {
			require.Equal(t, werr != nil, verr != nil, "%q: Eval error %v, VM error %v", src, verr, werr)
			if verr == nil {
				require.Truef(t, sameValue(w, v), "%q: Eval %#v, VM %#v", src, v, w)
			}
		}
		require.NotPanics(t, func() {
			_, _ = p.Bool(env)
			_, _ = p.Decimal(env)
			_, _ = p.Time(env)
			_, _ = p.BoolFunc()(env)
			_, _ = p.TimeFunc()(env)
		}, "typed evaluation of %q", src)
	})
}
