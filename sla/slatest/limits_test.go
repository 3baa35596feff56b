package slatest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla/slatest"
	"github.com/stretchr/testify/require"
)

// Load reads 4 MB of a test file, and one more byte, not the whole file:
// /dev/zero, which never ends, is refused for its size, as a contract is.
func TestLoadReadsAtMostTheLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big_test.yaml")
	require.NoError(t, os.WriteFile(big, []byte("contract: x.yaml\n"+strings.Repeat("# padding\n", 500_000)), 0o644))
	paths := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, path := range paths {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := slatest.Load(path)
		runtime.ReadMemStats(&after)
		require.EqualError(t, err, path+":1:1: file has more than 4194304 bytes, the most a test file may have")
		require.ErrorIs(t, err, contract.ErrInvalid)
		require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*contract.MaxFileSize), "bytes allocated to refuse %s", path)
	}
}

// The records of a file are bounded, not only those of a case: a few
// lines of cases of count: 100000 built 70 MB of tickets each, and a
// hundred of them took gigabytes before anything ran. Three such cases
// are the most a file may have.
func TestRecordsOfAFileBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("cases:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "  - name: case %d\n    as_of: 2027-05-01 00:00\n    tickets: [{kind: incident, priority: P1, opened: 2027-04-01 09:00, count: 100000}]\n"+
			"    expect: [{period: 2027-04, net: 0}]\n", i)
	}
	c, err := contract.Load(acmeContract)
	require.NoError(t, err)
	_, err = slatest.Parse([]byte(b.String()), "many_test.yaml", slatest.WithContract(c))
	require.ErrorContains(t, err, "many_test.yaml:16:15: the file holds more than 300000 records, in all its cases")
	require.ErrorIs(t, err, contract.ErrInvalid)
}
