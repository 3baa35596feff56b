package slatest_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the .err files of the bad test files")

// Each bad test file gives every one of its errors at once, positioned,
// as its .err file shows (go test ./sla/slatest -update rewrites them).
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.bad.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := slatest.Load(f)
			require.Error(t, err)
			var e *dsl.Error
			require.True(t, errors.As(err, &e), "a positioned error: %v", err)
			golden.Check(t, f+".err", []byte(errorText(err)), *update)
		})
	}
}

func errorText(err error) string {
	var list dsl.ErrorList
	if errors.As(err, &list) {
		var b strings.Builder
		for _, e := range list {
			b.WriteString(e.Error() + "\n")
		}
		return b.String()
	}
	return err.Error() + "\n"
}

// The codes of package contract tell the kind of each error.
func TestErrorCodes(t *testing.T) {
	_, err := slatest.Load("testdata/unknown-keys.bad.yaml")
	require.ErrorIs(t, err, contract.ErrSchema)
	_, err = slatest.Load("testdata/expectations.bad.yaml")
	require.ErrorIs(t, err, contract.ErrReference)
	require.ErrorIs(t, err, contract.ErrDuplicate)
	require.ErrorIs(t, err, contract.ErrInvalid)
	_, err = slatest.Load("testdata/no-such-file.yaml")
	require.ErrorIs(t, err, os.ErrNotExist)
}

// A contract given in Go replaces the one the file names.
func TestWithContract(t *testing.T) {
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	data := []byte("cases:\n  - name: nothing in April\n    from: 2027-04\n    to: 2027-05\n    expect: [{period: 2027-04, net: 0, invoice: 18000}]\n")
	_, err = slatest.Parse(data, "t.yaml")
	require.ErrorContains(t, err, "t.yaml:1:1: the test file must name its contract")
	s, err := slatest.Parse(data, "t.yaml", slatest.WithContract(c))
	require.NoError(t, err)
	require.Len(t, s.Cases, 1)
	require.Equal(t, 2, s.Cases[0].Line)
	res := s.Cases[0].Run(t.Context())
	require.True(t, res.Passed(), "%v", res.Failures)
}
