package contract

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestPriceVersions bills months before and after each amendment: a
// month is billed at the price in force on its first day, and its line
// says from which day; the digest covers the versions.
func TestPriceVersions(t *testing.T) {
	c := mustLoad(t, "testdata/price-versions.good.yaml")
	paris := c.Location()
	month := func(y int, m time.Month) Period { return c.PeriodOf(Month, time.Date(y, m, 1, 0, 0, 0, 0, paris)) }
	vol := map[string]decimal.Decimal{"UO-POSTE": decimal.NewFromInt(1200)}
	for _, tc := range []struct {
		p          Period
		poste, app string
		from       string
	}{
		{month(2027, 12), "21000", "18000", ""},          // 1,200 × 17.50
		{month(2028, 1), "20280", "18000", "2028-01-01"}, // 1,200 × 16.90
		{month(2028, 7), "20280", "18000", "2028-01-01"}, // the fee's amendment applies from 15 July: not on the 1st
		{month(2028, 8), "20280", "19500", "2028-01-01"},
		{month(2029, 1), "19900", "19500", "2029-01-01"}, // 1,000 × 16.90 + 200 × 15.00
	} {
		inv, err := c.Invoice(tc.p, vol, nil)
		require.NoError(t, err)
		require.Equal(t, tc.poste, inv.Lines[0].Amount.String(), tc.p.String())
		require.Equal(t, tc.app, inv.Lines[1].Amount.String(), tc.p.String())
		from := ""
		if !inv.Lines[0].PriceFrom.IsZero() {
			from = inv.Lines[0].PriceFrom.Format(time.DateOnly)
		}
		require.Equal(t, tc.from, from, tc.p.String())
	}
	u, ok := c.WorkUnit("UO-POSTE")
	require.True(t, ok)
	require.Len(t, u.Versions, 2)
	u.Versions[1].Bands[0].Price = decimal.Zero
	again, _ := c.WorkUnit("UO-POSTE")
	require.Equal(t, "16.9", again.Versions[1].Bands[0].Price.String(), "a copy")

	other, err := Parse([]byte(`contract: Amended prices
term: {start: 2027-01-01, end: 2029-12-31}
timezone: Europe/Paris
work_units:
  UO-POSTE:
    name: Managed workstation
    price: 17.50
    volume: given
    versions:
      - {from: 2028-01-01, price: 16.80}
      - {from: 2029-01-01, bands: [{up_to: 1000, price: 16.90}, {price: 15.00}]}
  FORFAIT-APP:
    fixed: 18000.00
    versions: [{from: 2028-07-15, fixed: 19500.00}]
`), "other.yaml")
	require.NoError(t, err)
	require.NotEqual(t, c.Digest(), other.Digest())
}

// TestRuleVersions reads the versions of a rule: each the rule compiled
// with the version's keys in place of its own, in force from its first
// day; the digest covers them.
func TestRuleVersions(t *testing.T) {
	c := mustLoad(t, "testdata/rule-versions.good.yaml")
	paris := c.Location()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, paris) }
	r, ok := c.Rule("INC-P1")
	require.True(t, ok)
	require.Len(t, r.Versions, 2)
	for _, tc := range []struct {
		at        time.Time
		deadline  time.Duration
		objective string
		from      string
		cap       string
	}{
		{day(2027, 12, 31), 8 * time.Hour, "share(on_time) >= 90%", "", ""},
		{day(2028, 1, 1), 4 * time.Hour, "share(on_time) >= 90%", "2028-01-01", ""},
		{day(2029, 3, 1), 8 * time.Hour, "share(on_time) >= 95%", "2029-01-01", "5000"},
	} {
		in, from := r.InForce(tc.at)
		require.Equal(t, tc.deadline, in.Deadline.Open, tc.at)
		require.Equal(t, tc.objective, in.Objective.Text, tc.at)
		require.Equal(t, tc.cap, in.Cap.Text, tc.at)
		got := ""
		if !from.IsZero() {
			got = from.Format(time.DateOnly)
		}
		require.Equal(t, tc.from, got, tc.at)
		require.Equal(t, "INC-P1", in.ID)
		require.Len(t, in.Versions, 2, "the rule in force keeps its versions")
	}
	require.Equal(t, "800", r.Versions[1].Rule.Penalty[0].Amount.Text)
	r.Versions[0].Rule.Deadline.Open = time.Minute
	again, _ := c.Rule("INC-P1")
	require.Equal(t, 4*time.Hour, again.Versions[0].Rule.Deadline.Open, "a copy")

	data, err := os.ReadFile("testdata/rule-versions.good.yaml")
	require.NoError(t, err)
	other, err := Parse(bytes.Replace(data, []byte("deadline: 4h"), []byte("deadline: 5h"), 1), "other.yaml")
	require.NoError(t, err)
	require.NotEqual(t, c.Digest(), other.Digest())
}
