package contract

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// syntec are index values for the reference contract's revision. With
// S0 = 280.0 (September 2026):
//
//	1 January 2028, S = 291.2 (September 2027): 0.15 + 0.85 × 291.2 / 280 = 0.15 + 0.85 × 1.04 = 1.034
//	1 January 2029, S = 299.6 (September 2028): 0.15 + 0.85 × 299.6 / 280 = 0.15 + 0.85 × 1.07 = 1.0595
var syntec = Indices{"Syntec": {"2026-09": dec("280.0"), "2027-09": dec("291.2"), "2028-09": dec("299.6")}}

// acmeVolumes are a month's volumes: 2,000 calls answered, 3,200 tickets
// resolved at level 1, 850 workstations and 40 servers.
func acmeVolumes() map[string]decimal.Decimal {
	return map[string]decimal.Decimal{"UO-TEL": dec("2000"), "UO-TKT": dec("3200"), "UO-POSTE": dec("850"), "UO-SRV": dec("40")}
}

type wantLine struct {
	unit      string
	quantity  string
	unitPrice string   // "" for banded units and fixed fees
	bands     []string // "from-to quantity × price = amount"
	amount    string
}

// The lines of a month's invoice of the reference contract for
// acmeVolumes: at the prices P0, then revised in 2028 and in 2029 (see
// TestAcmeInvoices).
var (
	acmeLinesP0 = []wantLine{
		{"UO-TEL", "2000", "4.20", nil, "8400.00"},
		{"UO-TKT", "3200", "", []string{"1-1500 1500 × 11.00 = 16500.00", "1501-3000 1500 × 9.50 = 14250.00", "3001- 200 × 8.20 = 1640.00"}, "32390.00"},
		{"UO-POSTE", "850", "17.50", nil, "14875.00"},
		{"UO-SRV", "40", "140.00", nil, "5600.00"},
		{"FORFAIT-APP", "0", "", nil, "18000.00"},
	}
	acmeLines2028 = []wantLine{
		{"UO-TEL", "2000", "4.34", nil, "8680.00"},
		{"UO-TKT", "3200", "", []string{"1-1500 1500 × 11.37 = 17055.00", "1501-3000 1500 × 9.82 = 14730.00", "3001- 200 × 8.48 = 1696.00"}, "33481.00"},
		{"UO-POSTE", "850", "18.10", nil, "15385.00"},
		{"UO-SRV", "40", "144.76", nil, "5790.40"},
		{"FORFAIT-APP", "0", "", nil, "18612.00"},
	}
	acmeLines2029 = []wantLine{
		{"UO-TEL", "2000", "4.45", nil, "8900.00"},
		{"UO-TKT", "3200", "", []string{"1-1500 1500 × 11.65 = 17475.00", "1501-3000 1500 × 10.07 = 15105.00", "3001- 200 × 8.69 = 1738.00"}, "34318.00"},
		{"UO-POSTE", "850", "18.54", nil, "15759.00"},
		{"UO-SRV", "40", "148.33", nil, "5933.20"},
		{"FORFAIT-APP", "0", "", nil, "19071.00"},
	}
)

// The invoices of the reference contract, by hand. Revised prices are
// P0 × coefficient rounded to the cent, half up; amounts are exact.
//
//	unit         P0        2028 (× 1.034)         2029 (× 1.0595)
//	UO-TEL        4.20     4.3428   →  4.34       4.4499    →  4.45
//	UO-TKT 1     11.00    11.374    → 11.37      11.6545    → 11.65
//	UO-TKT 2      9.50     9.823    →  9.82      10.06525   → 10.07
//	UO-TKT 3      8.20     8.4788   →  8.48       8.6879    →  8.69
//	UO-POSTE     17.50    18.095    → 18.10      18.54125   → 18.54   (18.095: a half cent, rounded up)
//	UO-SRV      140.00   144.76     →144.76     148.33     → 148.33
//	FORFAIT-APP 18000.00 18612.00             19071.00
//
//	                    December 2027           January 2028            January 2029
//	UO-TEL    2000     × 4.20 =  8400.00       × 4.34 =  8680.00       × 4.45 =  8900.00
//	UO-TKT    1500     ×11.00 = 16500.00       ×11.37 = 17055.00       ×11.65 = 17475.00
//	          1500     × 9.50 = 14250.00       × 9.82 = 14730.00       ×10.07 = 15105.00
//	           200     × 8.20 =  1640.00       × 8.48 =  1696.00       × 8.69 =  1738.00
//	          (3200)            32390.00                33481.00                34318.00
//	UO-POSTE   850     ×17.50 = 14875.00       ×18.10 = 15385.00       ×18.54 = 15759.00
//	UO-SRV      40     ×140.00=  5600.00       ×144.76=  5790.40       ×148.33=  5933.20
//	FORFAIT-APP                 18000.00                18612.00                19071.00
//	total                       79265.00                81948.40                83981.20
func TestAcmeInvoices(t *testing.T) {
	c, paris := loadAcme(t)
	tests := []struct {
		month    time.Time
		indices  Indices
		coef     string
		lines    []wantLine
		total    string
		warnings []string
	}{
		{month: time.Date(2027, 12, 1, 0, 0, 0, 0, paris), indices: syntec, coef: "1", lines: acmeLinesP0, total: "79265.00"},
		{month: time.Date(2028, 1, 1, 0, 0, 0, 0, paris), indices: syntec, coef: "1.034", lines: acmeLines2028, total: "81948.40"},
		// The same coefficient all year, until the next 1 January.
		{month: time.Date(2028, 12, 1, 0, 0, 0, 0, paris), indices: syntec, coef: "1.034", lines: acmeLines2028, total: "81948.40"},
		// Revised from P0 again, not compounded: P0 × 1.0595.
		{month: time.Date(2029, 1, 1, 0, 0, 0, 0, paris), indices: syntec, coef: "1.0595", lines: acmeLines2029, total: "83981.20"},
		// No index values: prices are not revised, and the invoice says why.
		{month: time.Date(2028, 1, 1, 0, 0, 0, 0, paris), coef: "1", lines: acmeLinesP0, total: "79265.00",
			warnings: []string{"prices not revised: the Syntec index of 2026-09 (the base) is missing"}},
		// The base is known but not September 2028.
		{month: time.Date(2029, 1, 1, 0, 0, 0, 0, paris), indices: Indices{"Syntec": {"2026-09": dec("280.0"), "2027-09": dec("291.2")}}, coef: "1",
			lines: acmeLinesP0, total: "79265.00", warnings: []string{"prices not revised on 2029-01-01: the Syntec index of 2028-09 is missing"}},
	}
	for _, tt := range tests {
		name := tt.month.Format("2006-01")
		if tt.indices == nil {
			name += " without indices"
		}
		t.Run(name, func(t *testing.T) {
			inv, err := c.Invoice(c.PeriodOf(Month, tt.month), acmeVolumes(), tt.indices)
			if err != nil {
				t.Fatal(err)
			}
			checkInvoice(t, inv, tt.coef, tt.lines, tt.total, tt.warnings)
			if inv.Period.String() != tt.month.Format("2006-01") {
				t.Errorf("period %s", inv.Period)
			}
		})
	}
}

func checkInvoice(t *testing.T, inv Invoice, coef string, lines []wantLine, total string, warnings []string) {
	t.Helper()
	if len(inv.Lines) != len(lines) {
		t.Fatalf("%d lines, want %d", len(inv.Lines), len(lines))
	}
	for i, w := range lines {
		l := inv.Lines[i]
		if l.Unit != w.unit {
			t.Errorf("line %d is %s, want %s", i, l.Unit, w.unit)
			continue
		}
		equalDec(t, l.Unit+" quantity", l.Quantity, dec(w.quantity))
		equalDec(t, l.Unit+" amount", l.Amount, dec(w.amount))
		equalDec(t, l.Unit+" revision", l.Revision, dec(coef))
		if w.unitPrice != "" {
			equalDec(t, l.Unit+" unit price", l.UnitPrice, dec(w.unitPrice))
		}
		if l.Fixed != (w.unit == "FORFAIT-APP") {
			t.Errorf("%s fixed = %v", l.Unit, l.Fixed)
		}
		var bands []string
		sum := decimal.Zero
		for _, b := range l.Bands {
			to := ""
			if !b.To.IsZero() {
				to = b.To.String()
			}
			bands = append(bands, fmt.Sprintf("%s-%s %s × %s = %s", b.From, to, b.Quantity, b.UnitPrice.StringFixed(2), b.Amount.StringFixed(2)))
			sum = sum.Add(b.Amount)
		}
		if strings.Join(bands, "; ") != strings.Join(w.bands, "; ") {
			t.Errorf("%s bands:\n got %q\nwant %q", l.Unit, bands, w.bands)
		}
		if len(l.Bands) > 0 && !sum.Equal(l.Amount) {
			t.Errorf("%s bands add up to %s, the line is %s", l.Unit, sum, l.Amount)
		}
	}
	equalDec(t, "total", inv.Total, dec(total))
	if strings.Join(inv.Warnings, "\n") != strings.Join(warnings, "\n") {
		t.Errorf("warnings %q, want %q", inv.Warnings, warnings)
	}
}

// TestBandSplit checks the split of volumes over UO-TKT's bands at and
// around their edges.
func TestBandSplit(t *testing.T) {
	c, paris := loadAcme(t)
	dec2027 := c.PeriodOf(Month, time.Date(2027, 12, 15, 0, 0, 0, 0, paris))
	tests := []struct {
		volume string
		split  [3]string
		amount string
	}{
		{"0", [3]string{"0", "0", "0"}, "0"},
		{"1", [3]string{"1", "0", "0"}, "11.00"},
		{"1500", [3]string{"1500", "0", "0"}, "16500.00"},
		{"1501", [3]string{"1500", "1", "0"}, "16509.50"},
		{"3000", [3]string{"1500", "1500", "0"}, "30750.00"},
		{"3001", [3]string{"1500", "1500", "1"}, "30758.20"},
		{"10000", [3]string{"1500", "1500", "7000"}, "88150.00"},
		{"1500.5", [3]string{"1500", "0.5", "0"}, "16504.75"},
	}
	for _, tt := range tests {
		vols := acmeVolumes()
		vols["UO-TKT"] = dec(tt.volume)
		inv, err := c.Invoice(dec2027, vols, nil)
		if err != nil {
			t.Fatal(err)
		}
		l := inv.Lines[1]
		if len(l.Bands) != 3 {
			t.Fatalf("%d bands", len(l.Bands))
		}
		for i, b := range l.Bands {
			equalDec(t, fmt.Sprintf("%s tickets, band %d", tt.volume, i+1), b.Quantity, dec(tt.split[i]))
		}
		equalDec(t, tt.volume+" tickets", l.Amount, dec(tt.amount))
	}
}

func TestInvoiceVolumes(t *testing.T) {
	c, paris := loadAcme(t)
	dec2027 := c.PeriodOf(Month, time.Date(2027, 12, 15, 0, 0, 0, 0, paris))

	t.Run("missing reported volume", func(t *testing.T) {
		vols := acmeVolumes()
		delete(vols, "UO-POSTE")
		delete(vols, "UO-TEL") // counted by the engine: none counted is no call
		inv, err := c.Invoice(dec2027, vols, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"no volume reported for UO-POSTE in 2027-12: billed 0"}
		if strings.Join(inv.Warnings, "\n") != strings.Join(want, "\n") {
			t.Errorf("warnings %q, want %q", inv.Warnings, want)
		}
		equalDec(t, "UO-POSTE", inv.Lines[2].Amount, decimal.Zero)
		equalDec(t, "UO-TEL", inv.Lines[0].Amount, decimal.Zero)
		equalDec(t, "total", inv.Total, dec("79265.00").Sub(dec("14875.00")).Sub(dec("8400.00")))
	})

	t.Run("negative volume", func(t *testing.T) {
		vols := acmeVolumes()
		vols["UO-SRV"] = dec("-1")
		_, err := c.Invoice(dec2027, vols, nil)
		if err == nil || err.Error() != "invoice of 2027-12: negative volume -1 for UO-SRV" {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("no volumes", func(t *testing.T) {
		inv, err := c.Invoice(dec2027, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The fixed fee alone, and a warning per reported volume.
		equalDec(t, "total", inv.Total, dec("18000"))
		if len(inv.Warnings) != 2 {
			t.Errorf("warnings %q, want UO-POSTE and UO-SRV", inv.Warnings)
		}
	})

	t.Run("not monthly", func(t *testing.T) {
		for _, kind := range []PeriodKind{Quarter, Year, ContractYear, Term} {
			_, err := c.Invoice(c.PeriodOf(kind, dec2027.Start), acmeVolumes(), nil)
			if !errors.Is(err, ErrNotMonthly) {
				t.Errorf("Invoice of a %s: %v, want ErrNotMonthly", kind, err)
			}
		}
	})
}

// TestRevisionSettings revises some units only, from a 1 July, with index
// values in the file that the caller's complete or replace.
func TestRevisionSettings(t *testing.T) {
	c := mustParse(t, `
contract: Revision
term: {start: 2027-01-01, end: 2030-12-31}
timezone: Europe/Paris
work_units:
  A: {price: 0.50, volume: given}
  B: {price: 6.00, volume: given}
  C: {price: 10.00, volume: given}
  F: {fixed: 1000.00}
revision: {index: IDX, fixed: 0.15, indexed: 0.85, base: 2026-12, reference_month: 12, from: 2027-07-01, units: [A, B, F]}
indices:
  IDX: {2026-12: 85, 2027-12: 3}
`)
	paris := c.Location()
	vols := map[string]decimal.Decimal{"A": dec("1"), "B": dec("1"), "C": dec("1")}
	price := func(inv Invoice, unit string) decimal.Decimal {
		for _, l := range inv.Lines {
			if l.Unit == unit {
				if l.Fixed {
					return l.Amount
				}
				return l.UnitPrice
			}
		}
		t.Fatalf("no line %s", unit)
		return decimal.Zero
	}
	tests := []struct {
		month   time.Time
		indices Indices
		prices  map[string]string
		warn    string
	}{
		// Before 1 July 2027: P0.
		{time.Date(2027, 6, 1, 0, 0, 0, 0, paris), nil, map[string]string{"A": "0.50", "B": "6.00", "C": "10.00", "F": "1000.00"}, ""},
		// From 1 July 2027, S = December 2026 = S0: the coefficient is 1.
		{time.Date(2027, 7, 1, 0, 0, 0, 0, paris), nil, map[string]string{"A": "0.50", "B": "6.00", "C": "10.00", "F": "1000.00"}, ""},
		// Until 30 June 2028, the coefficient of 1 July 2027.
		{time.Date(2028, 6, 1, 0, 0, 0, 0, paris), Indices{"IDX": {"2026-12": dec("85")}}, map[string]string{"A": "0.50", "B": "6.00", "C": "10.00", "F": "1000.00"}, ""},
		// From 1 July 2028, S = December 2027, here the caller's 86 for the
		// file's 3: 0.15 + 0.85 × 86 / 85 = 1.01. A: 0.505 is half a cent,
		// rounded up; C is not revised.
		{time.Date(2028, 7, 1, 0, 0, 0, 0, paris), Indices{"IDX": {"2027-12": dec("86")}}, map[string]string{"A": "0.51", "B": "6.06", "C": "10.00", "F": "1010.00"}, ""},
		// With S0 = 3 and S = 4: 0.15 + 0.85 × 4 / 3 = 1.28333…; 6.00 × 3.85 / 3 = 7.70 exactly.
		{time.Date(2028, 7, 1, 0, 0, 0, 0, paris), Indices{"IDX": {"2026-12": dec("3"), "2027-12": dec("4")}}, map[string]string{"A": "0.64", "B": "7.70", "C": "10.00", "F": "1283.33"}, ""},
		// The file's December 2027 value, 3: 0.15 + 0.85 × 3 / 85 = 0.18.
		{time.Date(2029, 6, 30, 0, 0, 0, 0, paris), nil, map[string]string{"A": "0.09", "B": "1.08", "C": "10.00", "F": "180.00"}, ""},
		// A base index that is not positive revises nothing.
		{time.Date(2028, 7, 1, 0, 0, 0, 0, paris), Indices{"IDX": {"2026-12": dec("0")}}, map[string]string{"A": "0.50", "B": "6.00", "C": "10.00", "F": "1000.00"},
			"prices not revised: the IDX index of 2026-12 is not positive"},
	}
	for i, tt := range tests {
		inv, err := c.Invoice(c.PeriodOf(Month, tt.month), vols, tt.indices)
		if err != nil {
			t.Fatal(err)
		}
		for unit, want := range tt.prices {
			equalDec(t, fmt.Sprintf("case %d, %s, price of %s", i, tt.month.Format("2006-01"), unit), price(inv, unit), dec(want))
		}
		if strings.Join(inv.Warnings, "") != tt.warn {
			t.Errorf("case %d: warnings %q, want %q", i, inv.Warnings, tt.warn)
		}
	}
	// The indices of the file are the contract's, not changed by the caller's.
	if got := c.Indices()["IDX"]; len(got) != 2 || !got["2027-12"].Equal(dec("3")) {
		t.Errorf("Indices() = %v", got)
	}
}

// TestPeriods checks PeriodOf, Periods and ContractYear across month,
// quarter, year and contract-year boundaries, at daylight-saving changes,
// whatever the zone of the instant given.
func TestPeriods(t *testing.T) {
	c, paris := loadAcme(t)
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	local := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, paris) }
	tests := []struct {
		kind       PeriodKind
		at         time.Time
		name       string
		start, end time.Time
		hours      float64
	}{
		// 22:30 UTC on 31 March is 00:30 in Paris on 1 April (CEST).
		{Month, utc(2027, 3, 31, 22, 30), "2027-04", local(2027, 4, 1), local(2027, 5, 1), 720},
		{Month, utc(2027, 3, 31, 21, 59), "2027-03", local(2027, 3, 1), local(2027, 4, 1), 743}, // 23 h on 28 March
		{Month, utc(2027, 2, 28, 23, 30), "2027-03", local(2027, 3, 1), local(2027, 4, 1), 743}, // CET: UTC+1
		{Month, utc(2027, 10, 15, 12, 0), "2027-10", local(2027, 10, 1), local(2027, 11, 1), 745},
		{Month, utc(2027, 12, 31, 23, 0), "2028-01", local(2028, 1, 1), local(2028, 2, 1), 744},
		{Month, utc(2028, 2, 29, 12, 0), "2028-02", local(2028, 2, 1), local(2028, 3, 1), 696},
		{Quarter, utc(2027, 3, 31, 22, 30), "2027-Q2", local(2027, 4, 1), local(2027, 7, 1), 2184},
		{Quarter, utc(2027, 3, 31, 21, 59), "2027-Q1", local(2027, 1, 1), local(2027, 4, 1), 2159},
		{Quarter, utc(2027, 12, 31, 22, 59), "2027-Q4", local(2027, 10, 1), local(2028, 1, 1), 2209},
		{Year, utc(2027, 12, 31, 23, 0), "2028", local(2028, 1, 1), local(2029, 1, 1), 8784},
		{Year, utc(2027, 12, 31, 22, 59), "2027", local(2027, 1, 1), local(2028, 1, 1), 8760},
		{ContractYear, utc(2028, 6, 15, 0, 0), "from 2028-01-01", local(2028, 1, 1), local(2029, 1, 1), 8784},
		{ContractYear, utc(2026, 12, 31, 23, 0), "from 2027-01-01", local(2027, 1, 1), local(2028, 1, 1), 8760},
		{Term, utc(2028, 6, 15, 0, 0), "2027-01-01/2030-01-01", local(2027, 1, 1), local(2030, 1, 1), 26304},
	}
	for _, tt := range tests {
		p := c.PeriodOf(tt.kind, tt.at)
		if p.Kind != tt.kind || p.String() != tt.name || !p.Start.Equal(tt.start) || !p.End.Equal(tt.end) {
			t.Errorf("PeriodOf(%s, %s) = %s [%s, %s), want %s [%s, %s)", tt.kind, tt.at, p, p.Start, p.End, tt.name, tt.start, tt.end)
		}
		if h := p.End.Sub(p.Start).Hours(); h != tt.hours {
			t.Errorf("%s lasts %v h, want %v", p, h, tt.hours)
		}
		if !p.Contains(tt.at) || !p.Contains(p.Start) || p.Contains(p.End) || p.Contains(p.Start.Add(-time.Nanosecond)) {
			t.Errorf("%s: Contains is not [Start, End)", p)
		}
		if p.Start.Location().String() != "Europe/Paris" {
			t.Errorf("%s starts in %s", p, p.Start.Location())
		}
		// The zone of the instant does not matter.
		ny := mustZone(t, "America/New_York")
		if q := c.PeriodOf(tt.kind, tt.at.In(ny)); q != p {
			t.Errorf("PeriodOf(%s) in New York = %s, in UTC %s", tt.kind, q, p)
		}
	}

	counts := []struct {
		kind     PeriodKind
		from, to time.Time
		n        int
		first    string
		last     string
	}{
		{Month, c.Start(), c.End(), 36, "2027-01", "2029-12"},
		{Quarter, c.Start(), c.End(), 12, "2027-Q1", "2029-Q4"},
		{Year, c.Start(), c.End(), 3, "2027", "2029"},
		{ContractYear, c.Start(), c.End(), 3, "from 2027-01-01", "from 2029-01-01"},
		// Periods overlapping [from, to): from 15 January to 1 April (excluded).
		{Month, local(2027, 1, 15), local(2027, 4, 1), 3, "2027-01", "2027-03"},
		{Month, local(2027, 1, 15), local(2027, 4, 1).Add(time.Nanosecond), 4, "2027-01", "2027-04"},
		{Quarter, utc(2027, 3, 31, 22, 0), utc(2027, 4, 1, 0, 0), 1, "2027-Q2", "2027-Q2"},
	}
	for _, tt := range counts {
		ps := c.Periods(tt.kind, tt.from, tt.to)
		if len(ps) != tt.n || ps[0].String() != tt.first || ps[len(ps)-1].String() != tt.last {
			t.Errorf("Periods(%s, %s, %s): %d from %s to %s, want %d from %s to %s", tt.kind, tt.from, tt.to, len(ps), ps[0], ps[len(ps)-1], tt.n, tt.first, tt.last)
		}
		for i := 1; i < len(ps); i++ {
			if !ps[i].Start.Equal(ps[i-1].End) {
				t.Errorf("Periods(%s): %s does not follow %s", tt.kind, ps[i], ps[i-1])
			}
		}
	}
	if ps := c.Periods(Month, local(2027, 4, 1), local(2027, 3, 1)); len(ps) != 0 {
		t.Errorf("Periods of a reversed span: %v", ps)
	}
}

// TestContractYearsFromJuly checks contract years of a term that does not
// start on 1 January, across the daylight-saving changes.
func TestContractYearsFromJuly(t *testing.T) {
	c := mustParse(t, "contract: x\nterm: {start: 2027-07-01, end: 2030-06-30}\ntimezone: Europe/Paris\n")
	paris := c.Location()
	for _, tt := range []struct {
		at    time.Time
		year  int
		start time.Time
	}{
		{time.Date(2027, 7, 1, 0, 0, 0, 0, paris), 1, time.Date(2027, 7, 1, 0, 0, 0, 0, paris)},
		{time.Date(2027, 12, 31, 12, 0, 0, 0, paris), 1, time.Date(2027, 7, 1, 0, 0, 0, 0, paris)},
		{time.Date(2028, 6, 30, 23, 59, 59, 0, paris), 1, time.Date(2027, 7, 1, 0, 0, 0, 0, paris)},
		{time.Date(2028, 6, 30, 22, 0, 0, 0, time.UTC), 2, time.Date(2028, 7, 1, 0, 0, 0, 0, paris)}, // 00:00 CEST
		{time.Date(2030, 6, 30, 12, 0, 0, 0, paris), 3, time.Date(2029, 7, 1, 0, 0, 0, 0, paris)},
		{time.Date(2027, 6, 30, 12, 0, 0, 0, paris), 0, time.Date(2026, 7, 1, 0, 0, 0, 0, paris)},
		{time.Date(2025, 6, 30, 12, 0, 0, 0, paris), -2, time.Date(2024, 7, 1, 0, 0, 0, 0, paris)},
	} {
		if got := c.ContractYear(tt.at); got != tt.year {
			t.Errorf("ContractYear(%s) = %d, want %d", tt.at, got, tt.year)
		}
		p := c.PeriodOf(ContractYear, tt.at)
		if !p.Start.Equal(tt.start) || !p.End.Equal(tt.start.AddDate(1, 0, 0)) {
			t.Errorf("PeriodOf(ContractYear, %s) = [%s, %s), want from %s", tt.at, p.Start, p.End, tt.start)
		}
	}
	if n := len(c.Periods(ContractYear, c.Start(), c.End())); n != 3 {
		t.Errorf("%d contract years", n)
	}
}
