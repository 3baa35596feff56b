package schematest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pacte-sla/pacte/internal/schematest"
	"github.com/stretchr/testify/require"
)

// A schema's formats are asserted: a date-time that is not one fails.
func TestValidate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "at.schema.json")
	schema := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
		"properties": {"at": {"type": "string", "format": "date-time"}}, "required": ["at"], "additionalProperties": false}`
	require.NoError(t, os.WriteFile(path, []byte(schema), 0o644))
	s := schematest.Compile(t, path)
	require.NoError(t, schematest.Validate(s, []byte(`{"at": "2027-03-01T09:00:00+01:00"}`)))
	for _, bad := range []string{`{"at": "1 March 2027"}`, `{}`, `{"at": "2027-03-01T09:00:00Z", "more": 1}`, `{"at": `} {
		require.Error(t, schematest.Validate(s, []byte(bad)), bad)
	}
}
