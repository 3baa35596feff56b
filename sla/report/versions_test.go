package report_test

import (
	"bytes"
	"context"
	"github.com/pacte-sla/pacte"
	"slices"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestPriceVersionInEveryFormat: a month billed at an amended price says
// from which day, in every format; the month before does not.
func TestPriceVersionInEveryFormat(t *testing.T) {
	c, err := contract.Parse([]byte(`contract: Amended
term: {start: 2027-01-01, end: 2028-12-31}
timezone: Europe/Paris
work_units:
  UO-POSTE: {name: Managed workstation, price: 17.50, volume: given, versions: [{from: 2028-01-01, price: 16.90}]}
rules:
  - {id: CSAT, source: samples, objective: mean(value) >= 4}
`), "amended.yaml")
	require.NoError(t, err)
	vol := map[string]decimal.Decimal{"UO-POSTE": decimal.NewFromInt(100)}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Volumes: map[string]map[string]decimal.Decimal{"2027-12": vol, "2028-01": vol},
		From:    c.PeriodOf(contract.Month, c.Start().AddDate(0, 11, 0)).Start, To: c.PeriodOf(contract.Month, c.Start().AddDate(1, 1, 0)).Start,
	})
	require.NoError(t, err)
	require.Len(t, rep.Periods, 2)
	require.Empty(t, rep.Periods[0].Invoice.Lines[0].PriceFrom)
	require.Equal(t, "1750", rep.Periods[0].Invoice.Total.String())
	require.Equal(t, "2028-01-01", rep.Periods[1].Invoice.Lines[0].PriceFrom)
	require.Equal(t, "1690", rep.Periods[1].Invoice.Total.String())
	for _, tc := range []struct {
		name   string
		render renderer
		want   string
	}{
		{"text", report.Text, "Managed workstation (price from 2028-01-01)"},
		{"markdown", report.Markdown, "(price from 2028-01-01)"},
		{"html", report.HTML, "(price from 2028-01-01)"},
		{"json", report.JSON, `"price_from": "2028-01-01"`},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, rep, report.Options{}), tc.name)
		require.Contains(t, buf.String(), tc.want, tc.name)
		require.Equal(t, 1, bytes.Count(buf.Bytes(), []byte("2028-01-01)"))+bytes.Count(buf.Bytes(), []byte(`"price_from"`)), tc.name)
	}
}

// TestRuleVersionInEveryFormat: a period evaluated with a rule as an
// amendment set it says from which day, in every format and in French;
// the period before does not.
func TestRuleVersionInEveryFormat(t *testing.T) {
	c, err := contract.Parse([]byte(`contract: Amended
term: {start: 2027-01-01, end: 2028-12-31}
timezone: Europe/Paris
rules:
  - id: CSAT
    source: samples
    objective: mean(value) >= 4
    versions: [{from: 2028-01-01, objective: mean(value) >= 4.5}]
`), "amended.yaml")
	require.NoError(t, err)
	samples := []pacte.Sample{
		{ID: "S1", Name: "csat", At: time.Date(2027, 12, 10, 10, 0, 0, 0, c.Location()), Value: decimal.RequireFromString("4.2")},
		{ID: "S2", Name: "csat", At: time.Date(2028, 1, 10, 10, 0, 0, 0, c.Location()), Value: decimal.RequireFromString("4.2")},
	}
	rep, err := sla.Evaluate(context.Background(), c, sla.Input{
		Samples: slices.Values(samples),
		From:    c.PeriodOf(contract.Month, c.Start().AddDate(0, 11, 0)).Start, To: c.PeriodOf(contract.Month, c.Start().AddDate(1, 1, 0)).Start,
	})
	require.NoError(t, err)
	require.Len(t, rep.Periods, 2)
	dec, jan := rep.Periods[0].Rules[0], rep.Periods[1].Rules[0]
	require.Empty(t, dec.VersionFrom)
	require.Equal(t, sla.StatusMet, dec.Status)
	require.Equal(t, "2028-01-01", jan.VersionFrom)
	require.Equal(t, sla.StatusBreached, jan.Status, "4.2 misses the amended 4.5")
	require.Equal(t, "mean(value) >= 4.5", jan.ObjectiveText)
	for _, tc := range []struct {
		name   string
		render renderer
		opts   report.Options
		want   string
	}{
		{"text", report.Text, report.Options{}, "CSAT (version from 2028-01-01)"},
		{"markdown", report.Markdown, report.Options{}, "(version from 2028-01-01)"},
		{"html", report.HTML, report.Options{}, "(version from 2028-01-01)"},
		{"french", report.Text, report.Options{Locale: report.French}, "CSAT (version du 2028-01-01)"},
		{"json", report.JSON, report.Options{}, `"version_from": "2028-01-01"`},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, rep, tc.opts), tc.name)
		require.Contains(t, buf.String(), tc.want, tc.name)
		require.Equal(t, 1, bytes.Count(buf.Bytes(), []byte("2028-01-01)"))+bytes.Count(buf.Bytes(), []byte(`"version_from"`)), tc.name)
	}
}
