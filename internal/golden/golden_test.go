package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder is a TB that keeps the failure instead of stopping the test.
type recorder struct{ failure string }

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	if r.failure == "" {
		r.failure = fmt.Sprintf(format, args...)
	}
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.golden")
	var r recorder
	Check(&r, path, []byte("a\nb\n"), false)
	require.Contains(t, r.failure, "no such file", "a missing golden file fails")
	require.Contains(t, r.failure, "-update")

	r = recorder{}
	Check(&r, path, []byte("a\nb\n"), true)
	require.Empty(t, r.failure)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "a\nb\n", string(data), "-update writes the output")

	Check(&r, path, []byte("a\nb\n"), false)
	require.Empty(t, r.failure, "the same output passes")

	Check(&r, path, []byte("a\nc\n"), false)
	require.Contains(t, r.failure, path+" differs")
	require.Contains(t, r.failure, "line 2:\n  want: b\n  got:  c")
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "a\nb\n", string(data), "without -update the file stays")
}

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct{ want, got, diff string }{
		{"a\nb", "a\nb", "(same lines)"},
		{"a\nb", "a\nc", "line 2:\n  want: b\n  got:  c"},
		{"a", "a\nmore", "line 2:\n  want: \n  got:  more"},
		{"a\nmore", "a", "line 2:\n  want: more\n  got:  "},
		{"", "x", "line 1:\n  want: \n  got:  x"},
	} {
		require.Equal(t, tc.diff, FirstDiff([]byte(tc.want), []byte(tc.got)), "%q vs %q", tc.want, tc.got)
	}
}
