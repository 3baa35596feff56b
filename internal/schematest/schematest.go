// Package schematest compiles the JSON Schemas of docs/ for the tests
// that validate contract files, reports and the command's output against
// them, formats asserted, so that every test reads a schema the same way.
//
//	s := schematest.Compile(t, "../docs/report.schema.json")
//	require.NoError(t, schematest.Validate(s, reportJSON))
//
// Only tests import it.
package schematest

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TB is the part of testing.TB that Compile uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Compile reads and compiles the schema at path, asserting the formats
// it names (date-time, date…); it fails the test when it cannot.
func Compile(tb TB, path string) *jsonschema.Schema {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("schema: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatalf("schema %s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	name := filepath.Base(path)
	if err := c.AddResource(name, doc); err != nil {
		tb.Fatalf("schema %s: %v", path, err)
	}
	s, err := c.Compile(name)
	if err != nil {
		tb.Fatalf("schema %s: %v", path, err)
	}
	return s
}

// Validate validates a JSON document against the schema.
func Validate(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(v)
}
