package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
}

func body(lines int) string { return strings.Repeat("\t_ = 1\n", lines) }

func TestScanFindsLongFunctionsOnlyInLibraryCode(t *testing.T) {
	dir := t.TempDir()
	// 3 lines of signature and brace around the body.
	write(t, dir, "a/a.go", "package a\n\nfunc short() {\n"+body(3)+"}\n\ntype T[E any] struct{}\n\nfunc (*T[E]) long() {\n"+body(10)+"}\n")
	write(t, dir, "a/a_test.go", "package a\n\nfunc testLong() {\n"+body(50)+"}\n")
	write(t, dir, "examples/x/main.go", "package main\n\nfunc main() {\n"+body(50)+"}\n")
	write(t, dir, "a/testdata/t.go", "package t\n\nfunc f() {\n"+body(50)+"}\n")

	long, total, err := scan(dir, 10)
	require.NoError(t, err)
	require.Equal(t, 2, total)
	require.Equal(t, []Func{{File: "a/a.go", Line: 11, Name: "T.long", Lines: 12}}, long)

	var out bytes.Buffer
	require.Equal(t, 1, run(&out, dir, 10))
	require.Equal(t, "   12 a/a.go:11 T.long\n1 of 2 library functions over 10 lines\n", out.String())
	out.Reset()
	require.Equal(t, 0, run(&out, dir, 12))
	require.Equal(t, "0 of 2 library functions over 12 lines\n", out.String())
}

func TestScanReportsUnparsableFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.go", "package b\nfunc {")
	_, _, err := scan(dir, 10)
	require.Error(t, err)
}
