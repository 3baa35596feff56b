package diag

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FuzzDecoder: no input makes the decoder panic, whatever is asked of its
// nodes; every fault is placed in the file, on one of its lines; Locate
// stays within the file.
//
//	go test ./internal/diag -run '^$' -fuzz FuzzDecoder -fuzztime 60s
func FuzzDecoder(f *testing.F) {
	for _, pattern := range []string{"../../contract/testdata/*.yaml", "../../examples/*/*.yaml", "../../sla/ingest/testdata/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{"", "~", "a: &a [*a]\n", "a: 1\n---\nb: 2\n", "a: [x\n", "\ta: 1\n", "? [a]\n: b\n", "a: >\n  x\n  y\n", "a: \"\\u00e9\\t\"\n", "a: \xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1024 { // walk locates every offset of every value: quadratic
			return
		}
		d := NewDecoder("fuzz.yaml", "test", plain)
		root := d.Parse(data)
		lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\r") + 1
		budget := 10000
		if root != nil {
			walk(t, d, root, "", &budget, lines)
		}
		for _, e := range d.Errs {
			if e.File != "fuzz.yaml" || e.Line < 1 || e.Column < 1 {
				t.Fatalf("error at %s:%d:%d: %v", e.File, e.Line, e.Column, e)
			}
			if utf8.Valid(data) && e.Line > lines {
				t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, e)
			}
		}
	})
}

// walk asks every reader of every node, down the tree.
func walk(t *testing.T, d *Decoder, n *yaml.Node, path string, budget *int, lines int) {
	if *budget--; *budget < 0 {
		return
	}
	switch n = Resolve(n); {
	case n == nil:
	case n.Kind == yaml.MappingNode:
		d.Record(n, path, "a mapping", []string{"a", "name", "rules"})
		for _, e := range d.Dictionary(n, path, "a mapping") {
			walk(t, d, e.Value, Join(path, e.Key.Value), budget, lines)
		}
	case n.Kind == yaml.SequenceNode:
		for _, c := range d.List(n, path, "a list") {
			walk(t, d, c, path+"[]", budget, lines)
		}
	default:
		d.Scalar(n, path, "a value")
		d.Int(n, path, "a whole number")
		d.Decimal(n, path, "a decimal")
		d.Bool(n, path, "true or false")
		d.Date(n, path, "a date", time.UTC)
		for k := range utf8.RuneCountInString(n.Value) + 1 {
			line, col := d.Locate(n, k)
			if line < n.Line || line > max(lines, n.Line) || col < 1 {
				t.Fatalf("offset %d of %q (at %d:%d) located at %d:%d", k, n.Value, n.Line, n.Column, line, col)
			}
		}
	}
}
