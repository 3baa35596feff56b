package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/schematest"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

const reportSchema = "../../docs/report.schema.json"

func validateReport(t *testing.T, s *jsonschema.Schema, name string, data []byte) {
	t.Helper()
	require.NoError(t, schematest.Validate(s, data), name)
}

// TestReportSchema: every golden JSON report, and the JSON of reports
// with rules without data and provisional periods, are valid under docs/report.schema.json, whose version is the one
// reports carry; a report of another version is not.
func TestReportSchema(t *testing.T) {
	s := schematest.Compile(t, reportSchema)
	goldens := []string{"testdata/report.json.golden", "../testdata/h1-2027/report.golden.json"}
	more, err := filepath.Glob("../testdata/*/*.json")
	require.NoError(t, err)
	for _, f := range more {
		if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, []byte(`"format_version"`)) && !slices.Contains(goldens, f) {
			goldens = append(goldens, f)
		}
	}
	for _, f := range goldens {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		validateReport(t, s, f, data)
	}
	rep, err := evaluate(contractPath, referenceData, "2027-06-15T12:00:00+02:00", contract.Outages)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.JSON(&buf, rep, report.Options{}))
	require.Contains(t, buf.String(), `"no_data"`)
	require.Contains(t, buf.String(), `"provisional": true`)
	validateReport(t, s, "no data and provisional", buf.Bytes())

	other := *rep
	other.FormatVersion = sla.FormatVersion + 1
	buf.Reset()
	require.NoError(t, report.JSON(&buf, &other, report.Options{}))
	require.Error(t, schematest.Validate(s, buf.Bytes()), "the schema is the one of version %d", sla.FormatVersion)
}
