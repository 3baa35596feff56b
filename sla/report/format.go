package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/sla"
	"github.com/shopspring/decimal"
)

// Locale says how numbers read, and in which language the report's own
// texts are: French for French, English otherwise. The engine's trace
// notes are in English whatever the locale, and dates are written
// 2027-05-11 16:45 in every locale.
type Locale string

// The locales. Any other value reads as its language ("fr-FR" and "fr_CH"
// as French, "en-GB" as English); an unknown language reads as Plain.
const (
	// Plain writes numbers as the report holds them: 1234.56, 95.24 %,
	// no thousands separator; amounts carry the ISO code (1234.56 EUR).
	Plain Locale = ""
	// French writes 1 234,56 € and 95,24 %, as CLDR (and so browsers'
	// Intl.NumberFormat) does: a narrow no-break space U+202F between
	// thousands and before %, a no-break space U+00A0 before the
	// currency symbol and before units.
	French Locale = "fr"
	// English writes €1,234.56 and 95.24 %.
	English Locale = "en"
	// FromReport takes the report's own locale, the contract's (Plain when
	// it names none).
	FromReport Locale = "report"
)

const (
	nnbsp = "\u202f" // narrow no-break space: French thousands, before %
	nbsp  = "\u00a0" // no-break space: French, before € and units
)

// language reduces a locale to one this package knows.
func (l Locale) language() Locale {
	s := strings.ToLower(string(l))
	switch {
	case s == "fr" || strings.HasPrefix(s, "fr-") || strings.HasPrefix(s, "fr_"):
		return French
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return English
	}
	return Plain
}

// Placement says where the currency symbol goes.
type Placement int

// The placements of the currency symbol.
const (
	// CurrencyDefault follows the locale: after in French (12,50 €),
	// before in English (€12.50), the ISO code after in Plain (12.50 EUR).
	CurrencyDefault Placement = iota
	CurrencyBefore            // €12.50
	CurrencyAfter             // 12.50 €
	CurrencyNone              // 12.50
)

// Format formats numbers, amounts, percentages and durations for a
// locale, exactly: from the decimal's digits, never through a float. The
// zero Format is Plain without a currency.
type Format struct {
	Locale    Locale
	Currency  string // ISO 4217 code of amounts ("EUR"); "" for none
	Symbol    string // the currency symbol; "" for the usual one of Currency (€, $, £…), or its code
	Placement Placement
}

// NewFormat returns the Format a report is rendered with under opts.
func NewFormat(r *sla.Report, opts Options) Format {
	loc := opts.Locale
	f := Format{Locale: loc, Symbol: opts.Symbol, Placement: opts.Currency}
	if r != nil {
		if loc == FromReport {
			f.Locale = Locale(r.Locale)
		}
		f.Currency = r.Currency
	}
	if f.Locale == FromReport {
		f.Locale = Plain
	}
	f.Locale = f.Locale.language()
	return f
}

var symbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF", "CAD": "CA$", "XPF": "F CFP"}

// symbol returns the currency symbol to write, "" for none.
func (f Format) symbol() string {
	if f.Symbol != "" {
		return f.Symbol
	}
	if f.Locale == Plain {
		return f.Currency
	}
	if s, ok := symbols[f.Currency]; ok {
		return s
	}
	return f.Currency
}

// separators returns the thousands separator and the decimal mark.
func (f Format) separators() (group, point string) {
	switch f.Locale.language() {
	case French:
		return nnbsp, ","
	case English:
		return ",", "."
	}
	return "", "."
}

// percentSpace is the space before %, unitSpace the one before a unit
// (s).
func (f Format) percentSpace() string {
	if f.Locale.language() == French {
		return nnbsp
	}
	return " "
}

func (f Format) unitSpace() string {
	if f.Locale.language() == French {
		return nbsp
	}
	return " "
}

// digits formats a decimal string ("-1234.5") with the locale's
// separators. It does not round.
func (f Format) digits(s string) string {
	group, point := f.separators()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if group == "" {
		b.WriteString(intPart)
	} else {
		writeGrouped(&b, intPart, group)
	}
	if hasFrac {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

func writeGrouped(b *strings.Builder, intPart, group string) {
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
}

// Number formats a decimal with all its digits: 1234.5 → "1 234,5".
func (f Format) Number(d decimal.Decimal) string { return f.digits(d.String()) }

// Fixed formats a decimal rounded half away from zero to places
// decimals: Fixed(2.345, 2) → "2.35".
func (f Format) Fixed(d decimal.Decimal, places int32) string {
	return f.digits(d.StringFixed(places))
}

// Trimmed formats a decimal rounded to at most places decimals, without
// trailing zeros: Trimmed(4.1875, 2) → "4.19", Trimmed(4, 2) → "4".
func (f Format) Trimmed(d decimal.Decimal, places int32) string {
	return f.digits(trimZeros(d.StringFixed(places)))
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Amount formats an amount without its currency, to the cent (half away
// from zero): the tables of a report. ExactAmount keeps every decimal.
func (f Format) Amount(d decimal.Decimal) string {
	return f.digits(d.StringFixed(2))
}

// ExactAmount formats an amount without its currency: two decimals, or
// all of them when it has more (a raw penalty of 61.632 before the
// contract's rounding). The trace of the pipeline and the prices of the
// contract read so.
func (f Format) ExactAmount(d decimal.Decimal) string {
	return f.digits(sla.Money{Decimal: d}.Text())
}

// Money formats an amount with its currency where the placement puts it:
// "1 234,56 €" in French, "€1,234.56" in English, "1234.56 EUR" in Plain.
func (f Format) Money(d decimal.Decimal) string {
	s := f.Amount(d)
	sym := f.symbol()
	if sym == "" {
		return s
	}
	place := f.Placement
	if place == CurrencyDefault {
		place = CurrencyAfter
		if f.Locale.language() == English {
			place = CurrencyBefore
		}
	}
	switch place {
	case CurrencyBefore:
		if neg, ok := strings.CutPrefix(s, "-"); ok {
			return "-" + sym + neg
		}
		return sym + s
	case CurrencyAfter:
		sp := " "
		if f.Locale.language() == French {
			sp = nbsp
		}
		return s + sp + sym
	}
	return s
}

// Percent formats a fraction as a percentage rounded to at most places
// decimals, without trailing zeros: 0.952381 → "95.24 %", 0.9 → "90 %".
func (f Format) Percent(fraction decimal.Decimal, places int32) string {
	return f.Trimmed(fraction.Shift(2), places) + f.percentSpace() + "%"
}

// Duration formats a duration given in seconds the way contracts write
// them: "4h30min", "45min", "1h5s" from a minute on (to the second), and
// "27.5 s" below.
func (f Format) Duration(seconds decimal.Decimal) string {
	neg := seconds.IsNegative()
	s := seconds.Abs()
	sign := ""
	if neg {
		sign = "-"
	}
	if s.LessThan(decimal.NewFromInt(60)) {
		places := int32(1)
		if s.LessThan(decimal.NewFromInt(1)) {
			places = 3
		}
		out := f.Trimmed(s, places)
		if out == "0" {
			sign = ""
		}
		return sign + out + f.unitSpace() + "s"
	}
	if s.GreaterThanOrEqual(decimal.New(1, 12)) {
		// Beyond any contract: seconds, rather than an overflow.
		return sign + f.Trimmed(s, 0) + f.unitSpace() + "s"
	}
	total := s.Round(0).IntPart()
	var b strings.Builder
	b.WriteString(sign)
	h, m, sec := total/3600, total%3600/60, total%60
	if h > 0 {
		b.WriteString(f.digits(strconv.FormatInt(h, 10)))
		b.WriteString("h")
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(m, 10))
		b.WriteString("min")
	}
	if sec > 0 {
		b.WriteString(strconv.FormatInt(sec, 10))
		b.WriteString("s")
	}
	return b.String()
}

// Lateness formats open time beyond a deadline to the second, rounded
// up: an item a fraction of a second late reads "1 s", never "0 s".
func (f Format) Lateness(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return f.Duration(decimal.NewFromInt(int64((d + time.Second - 1) / time.Second)))
}

// measured formats what was measured of a missed item: a duration (an
// elapsed time, "wait 2min5s", a downtime) to the second, rounded up so
// that a value past its limit never reads as the limit; other values as
// the engine wrote them.
func (f Format) measured(text string) string {
	rest, wait := strings.CutPrefix(text, "wait ")
	d, err := dsl.ParseDuration(rest)
	if err != nil || strings.TrimLeft(rest, "0123456789.") == "" {
		return text
	}
	out := f.Lateness(d)
	if d == 0 {
		out = f.Duration(decimal.Zero)
	}
	if wait {
		return f.tr("wait ") + out
	}
	return out
}

// kind is how the values of a measure read.
type kind int

const (
	kindNumber   kind = iota // a plain decimal: a mean score
	kindPercent              // a share, held as a fraction
	kindDuration             // seconds
	kindInt                  // a count
)

// unitOf is how the values of a rule read: its unit, or for a report
// that does not carry units (one built by hand), its measure's in the
// table of measures, else its type's.
func unitOf(r *sla.RuleReport) contract.Unit {
	if r.Unit != contract.UnitNone {
		return r.Unit
	}
	m, _ := contract.MeasureOf(r.Measure)
	return m.Unit
}

// kindOf tells how a value in unit reads.
func kindOf(unit contract.Unit, q sla.Quantity) kind {
	switch unit {
	case contract.UnitRatio:
		return kindPercent
	case contract.UnitDuration:
		return kindDuration
	case contract.UnitInteger:
		return kindInt
	case contract.UnitNumber:
		return kindNumber
	}
	switch q.Type {
	case dsl.Duration:
		return kindDuration
	case dsl.Int:
		return kindInt
	}
	return kindNumber
}

// Value formats a measured value or a threshold of a rule in its unit
// (RuleReport.Unit): a ratio as a percentage, a duration in h/min/s, an
// integer as one. Without a unit, a value reads as its type does.
func (f Format) Value(q sla.Quantity, unit contract.Unit) string {
	return f.value(q, unit, 2)
}

func (f Format) value(q sla.Quantity, unit contract.Unit, places int32) string {
	return f.kindValue(kindOf(unit, q), q.Number(), places)
}

func (f Format) kindValue(k kind, d decimal.Decimal, places int32) string {
	switch k {
	case kindPercent:
		return f.Percent(d, places)
	case kindDuration:
		if places > 2 {
			return f.Trimmed(d, places) + f.unitSpace() + "s"
		}
		return f.Duration(d)
	case kindInt:
		return f.Number(d)
	}
	return f.Trimmed(d, places)
}

// achieved formats what a rule achieved next to its objective: when
// rounding would print both alike while they differ, it adds decimals
// until they do, so that a breach never reads as the objective.
func (f Format) achieved(r *sla.RuleReport) string {
	if r.Achieved == nil || r.Measure == contract.MeasureNone {
		return "—"
	}
	unit := unitOf(r)
	a := f.value(*r.Achieved, unit, 2)
	o := f.value(r.Objective, unit, 2)
	if a != o || r.Achieved.Text() == r.Objective.Text() || r.Achieved.Number().Equal(r.Objective.Number()) {
		return a
	}
	for places := int32(3); places <= 12; places++ {
		a = f.value(*r.Achieved, unit, places)
		if a != f.value(r.Objective, unit, places) {
			return a
		}
	}
	return a
}

// objective formats the objective of a rule: its comparison and
// threshold ("≥ 95 %"); below the minimum volume, the measure too
// ("missed ≤ 1").
func (f Format) objective(r *sla.RuleReport) string {
	if r.Group != nil {
		return f.trf("group of %s", strings.Join(r.Group.Members, ", "))
	}
	if r.Measure == contract.MeasureNone {
		return string(r.Measure)
	}
	unit := unitOf(r)
	s := f.value(r.Objective, unit, objectivePlaces(kindOf(unit, r.Objective), r.Objective.Number()))
	op := objectiveOp(r.Op) // ">=" read as "≥"
	if r.Op == "" {         // a report of an older pacte
		op = objectiveOp(r.ObjectiveText)
	}
	if op != "" {
		s = op + " " + s
	}
	if r.SmallVolume {
		s = string(r.Measure) + " " + s
	}
	return s
}

// objectivePlaces is how many decimals show an objective as the contract
// writes it: two at least, more when it has them (99.999 %, never
// rounded to 100 %), twelve at most. A duration reads to the second.
func objectivePlaces(k kind, d decimal.Decimal) int32 {
	if k == kindPercent {
		d = d.Shift(2)
	}
	places := int32(2)
	if k != kindDuration && d.Exponent() < -places {
		places = min(-d.Exponent(), 12)
	}
	return places
}

// objectiveOp finds the comparison of an objective as the contract writes
// it ("share(on_time) >= 95%"): the last comparison operator outside
// parentheses and quotes. The report does not hold it apart.
func objectiveOp(text string) string {
	depth := 0
	var quote byte
	op := ""
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && (c == '>' || c == '<' || c == '=' || c == '!'):
			two := ""
			if i+1 < len(text) {
				two = text[i : i+2]
			}
			switch two {
			case ">=":
				op = "≥"
			case "<=":
				op = "≤"
			case "==":
				op = "="
			case "!=":
				op = "≠"
			default:
				switch c {
				case '>':
					op = ">"
				case '<':
					op = "<"
				}
				continue
			}
			i++
		}
	}
	return op
}
