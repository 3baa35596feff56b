package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEvaluatesTheSampleQuarter(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	err = run("..")
	os.Stdout = stdout
	w.Close()
	out, _ := io.ReadAll(r)
	require.NoError(t, err)
	lines := strings.Split(string(out), "\n")
	require.True(t, strings.HasPrefix(lines[0], "2027-04  invoice"), string(out))
	require.Contains(t, string(out), "2027-05")
	require.Contains(t, string(out), "breached:")
	require.Contains(t, string(out), "0 records rejected")
}
