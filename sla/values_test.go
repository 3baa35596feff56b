package sla_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestReportJSONRoundTrip reads the golden reports into a Report and
// writes them again as they were written: the typed values must give
// back every byte.
func TestReportJSONRoundTrip(t *testing.T) {
	for _, golden := range []struct {
		path   string
		encode func(*sla.Report) ([]byte, error)
	}{
		{"testdata/h1-2027/report.golden.json", func(r *sla.Report) ([]byte, error) { // as TestGoldenH1JSON writes it
			b, err := json.MarshalIndent(r, "", "  ")
			return append(b, '\n'), err
		}},
		{"report/testdata/report.json.golden", func(r *sla.Report) ([]byte, error) { // as report.JSON writes it
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			err := enc.Encode(r)
			return buf.Bytes(), err
		}},
	} {
		t.Run(golden.path, func(t *testing.T) {
			want := []byte(mustRead(t, golden.path))
			var r sla.Report
			require.NoError(t, json.Unmarshal(want, &r))
			got, err := golden.encode(&r)
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got), "the report written again differs from %s", golden.path)

			var again sla.Report
			require.NoError(t, json.Unmarshal(got, &again))
			require.Equal(t, r, again)
		})
	}
}

// TestQuantityJSON checks the encoding of quantities: their type and
// their value's text, a duration in seconds to the nanosecond.
func TestQuantityJSON(t *testing.T) {
	good := []struct {
		q    sla.Quantity
		json string
	}{
		{sla.Quantity{Type: dsl.Decimal, Decimal: decimal.RequireFromString("0.9523809523809524")}, `{"type":"decimal","value":"0.9523809523809524"}`},
		{sla.Quantity{Type: dsl.Duration, Duration: 4*time.Hour + 30*time.Minute}, `{"type":"duration","value":"16200"}`},
		{sla.Quantity{Type: dsl.Duration, Duration: 1500 * time.Millisecond}, `{"type":"duration","value":"1.5"}`},
		{sla.Quantity{Type: dsl.Duration, Duration: math.MinInt64}, `{"type":"duration","value":"-9223372036.854775808"}`},
		{sla.Quantity{Type: dsl.Int, Int: -3}, `{"type":"int","value":"-3"}`},
	}
	for _, tt := range good {
		b, err := json.Marshal(tt.q)
		require.NoError(t, err)
		require.Equal(t, tt.json, string(b))
		var back sla.Quantity
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, tt.q.TypeName(), back.TypeName())
		require.Equal(t, tt.q.Text(), back.Text())
		require.True(t, tt.q.Number().Equal(back.Number()))
	}

	// A quantity of no type reads as the decimal it holds.
	b, err := json.Marshal(sla.Quantity{Decimal: decimal.NewFromInt(4)})
	require.NoError(t, err)
	require.Equal(t, `{"type":"decimal","value":"4"}`, string(b))

	for _, bad := range []string{
		`{"type":"decimal","value":"not a number"}`,
		`{"type":"duration","value":"-1e40"}`,
		`{"type":"duration","value":"9223372036.854775808"}`,
		`{"type":"int","value":""}`,
		`{"type":"int","value":"1.5"}`,
		`{"type":"time","value":"2027-01-01"}`,
		`{"type":"decimal","value":1}`,
		`[]`,
	} {
		var q sla.Quantity
		require.Error(t, json.Unmarshal([]byte(bad), &q), bad)
	}
}

// TestDurationJSON checks the durations written as the contract language
// writes them: a missed item's lateness.
func TestDurationJSON(t *testing.T) {
	for _, d := range []time.Duration{4*time.Hour + 30*time.Minute, 45 * time.Second, time.Microsecond + 500, -90 * time.Second, 1500 * time.Hour} {
		b, err := json.Marshal(sla.Duration(d))
		require.NoError(t, err)
		require.Equal(t, `"`+sla.Duration(d).String()+`"`, string(b))
		var back sla.Duration
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, d, time.Duration(back), string(b))
	}
	b, err := json.Marshal(sla.MissedItem{ID: "X"})
	require.NoError(t, err)
	require.NotContains(t, string(b), "late", "no lateness, no field")
	for _, bad := range []string{`"4 hours"`, `"4d"`, `""`, `4`} {
		var d sla.Duration
		require.Error(t, json.Unmarshal([]byte(bad), &d), bad)
	}
}
