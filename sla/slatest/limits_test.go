package slatest_test

import (
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
