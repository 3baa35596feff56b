package report_test

import (
	"time"

	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

func TestFormat(t *testing.T) {
	fr := report.Format{Locale: report.French, Currency: "EUR"}
	en := report.Format{Locale: report.English, Currency: "EUR"}
	plain := report.Format{Currency: "EUR"}
	d := decimal.RequireFromString
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"fr money", fr.Money(d("1234.56")), "1\u202f234,56\u00a0€"},
		{"fr money millions", fr.Money(d("1234567.5")), "1\u202f234\u202f567,50\u00a0€"},
		{"fr money small", fr.Money(d("5")), "5,00\u00a0€"},
		{"fr money negative", fr.Money(d("-1234.56")), "-1\u202f234,56\u00a0€"},
		{"fr money to the cent", fr.Money(d("61.635")), "61,64\u00a0€"},
		{"fr exact amount keeps the decimals", fr.ExactAmount(d("61.632")), "61,632"},
		{"exact amount of cents", en.ExactAmount(d("61.6")), "61.60"},
		{"lateness rounded up", en.Lateness(1), "1 s"},
		{"lateness whole seconds", en.Lateness(90 * time.Second), "1min30s"},
		{"lateness of hours", en.Lateness(57*time.Hour + 32*time.Minute + 6279462183), "57h32min7s"},
		{"no lateness", en.Lateness(0), ""},
		{"en money", en.Money(d("1234.56")), "€1,234.56"},
		{"en money negative", en.Money(d("-1234.56")), "-€1,234.56"},
		{"en money after", report.Format{Locale: "en-GB", Currency: "GBP", Placement: report.CurrencyAfter}.Money(d("3")), "3.00 £"},
		{"plain money", plain.Money(d("1234.56")), "1234.56 EUR"},
		{"plain no currency", report.Format{}.Money(d("1234.5")), "1234.50"},
		{"symbol override", report.Format{Locale: report.French, Currency: "EUR", Symbol: "EUR", Placement: report.CurrencyBefore}.Money(d("1")), "EUR1,00"},
		{"no symbol", report.Format{Locale: report.French, Currency: "EUR", Placement: report.CurrencyNone}.Money(d("1000")), "1\u202f000,00"},
		{"unknown currency", report.Format{Locale: report.French, Currency: "XAF"}.Money(d("1")), "1,00\u00a0XAF"},
		{"fr_CH is French", report.Format{Locale: "fr_CH"}.Number(d("1234.5")), "1\u202f234,5"},
		{"unknown locale is plain", report.Format{Locale: "de"}.Number(d("1234.5")), "1234.5"},
		{"amount", fr.Amount(d("1000000")), "1\u202f000\u202f000,00"},
		{"fixed rounds half away from zero", en.Fixed(d("2.345"), 2), "2.35"},
		{"fixed negative", en.Fixed(d("-2.345"), 2), "-2.35"},
		{"trimmed", en.Trimmed(d("4.1875"), 2), "4.19"},
		{"trimmed integer", en.Trimmed(d("4.000"), 2), "4"},
		{"trimmed negative zero", en.Trimmed(d("-0.001"), 2), "0"},
		{"fr percent", fr.Percent(d("0.952380952"), 2), "95,24\u202f%"},
		{"en percent", en.Percent(d("0.9"), 2), "90 %"},
		{"percent 100", en.Percent(d("1"), 2), "100 %"},
		{"percent half", en.Percent(d("0.995"), 2), "99.5 %"},
		{"percent exact beyond float", en.Percent(d("0.12345678901234567890123"), 20), "12.34567890123456789012 %"},
		{"duration hours", en.Duration(d("16200")), "4h30min"},
		{"duration mixed", en.Duration(d("3605")), "1h5s"},
		{"duration rounds to the second", en.Duration(d("5399.6")), "1h30min"},
		{"duration long", fr.Duration(d("4000000")), "1\u202f111h6min40s"},
		{"duration seconds", en.Duration(d("27.5")), "27.5 s"},
		{"fr duration seconds", fr.Duration(d("27.5")), "27,5\u00a0s"},
		{"duration sub-second", en.Duration(d("0.25")), "0.25 s"},
		{"duration zero", en.Duration(d("0")), "0 s"},
		{"duration negative", en.Duration(d("-90")), "-1min30s"},
		{"value share", fr.Value(sla.Quantity{Type: dsl.Decimal, Decimal: d("0.6111111111111111")}, contract.UnitRatio), "61,11\u202f%"},
		{"value availability", en.Value(sla.Quantity{Type: dsl.Decimal, Decimal: d("0.9702797202797203")}, contract.UnitRatio), "97.03 %"},
		{"value mean", en.Value(sla.Quantity{Type: dsl.Decimal, Decimal: d("4.1875")}, contract.UnitNumber), "4.19"},
		{"value int", fr.Value(sla.Quantity{Type: dsl.Int, Int: 12345}, contract.UnitInteger), "12\u202f345"},
		{"value duration", en.Value(sla.Quantity{Type: dsl.Duration, Duration: 1800 * time.Second}, contract.UnitDuration), "30min"},
		{"value without a unit", en.Value(sla.Quantity{Type: dsl.Duration, Duration: 90 * time.Second}, contract.UnitNone), "1min30s"},
		{"value of no type", en.Value(sla.Quantity{Decimal: d("4.5")}, contract.UnitNone), "4.5"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestNewFormat(t *testing.T) {
	r := &sla.Report{Currency: "EUR", Locale: "fr"}
	if f := report.NewFormat(r, report.Options{Locale: report.FromReport}); f.Locale != report.French || f.Currency != "EUR" {
		t.Errorf("FromReport: %+v", f)
	}
	if f := report.NewFormat(r, report.Options{}); f.Locale != report.Plain {
		t.Errorf("zero options: %+v", f)
	}
	if f := report.NewFormat(&sla.Report{}, report.Options{Locale: report.FromReport}); f.Locale != report.Plain {
		t.Errorf("FromReport without a locale: %+v", f)
	}
	if f := report.NewFormat(nil, report.Options{Locale: report.FromReport}); f.Locale != report.Plain {
		t.Errorf("nil report: %+v", f)
	}
}
