package contract

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pacte-sla/pacte/dsl"
	"github.com/shopspring/decimal"
)

// Period is a span of time that is measured or billed: [Start, End).
type Period struct {
	Kind  PeriodKind
	Start time.Time
	End   time.Time
}

// String names the period: 2027-03, 2027-Q1, 2027, CY1 (the first
// contract year), term.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return p.Start.Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%d-Q%d", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	case Year:
		return p.Start.Format("2006")
	case ContractYear:
		return "from " + p.Start.Format(time.DateOnly)
	}
	return p.Start.Format(time.DateOnly) + "/" + p.End.Format(time.DateOnly)
}

// Contains reports whether t lies in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// PeriodOf returns the period of the kind that contains t, in the
// contract's zone. Contract years start on the anniversaries of the term.
func (c *Contract) PeriodOf(kind PeriodKind, t time.Time) Period {
	t = t.In(c.loc)
	y, m, _ := t.Date()
	switch kind {
	case Quarter:
		start := time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, c.loc)
		return Period{Quarter, start, start.AddDate(0, 3, 0)}
	case Year:
		start := time.Date(y, 1, 1, 0, 0, 0, 0, c.loc)
		return Period{Year, start, start.AddDate(1, 0, 0)}
	case ContractYear:
		n := c.ContractYear(t)
		start := c.contractYearStart(n)
		return Period{ContractYear, start, c.contractYearStart(n + 1)}
	case Term:
		return Period{Term, c.start, c.end}
	}
	start := time.Date(y, m, 1, 0, 0, 0, 0, c.loc)
	return Period{Month, start, start.AddDate(0, 1, 0)}
}

func (c *Contract) contractYearStart(n int) time.Time {
	y, m, d := c.start.Date()
	return time.Date(y+n-1, m, d, 0, 0, 0, 0, c.loc)
}

// ContractYear returns the contract year of t: 1 from the term's start to
// its first anniversary, and so on; 0 or less before the term.
func (c *Contract) ContractYear(t time.Time) int {
	t = t.In(c.loc)
	n := t.Year() - c.start.Year() + 1
	for n > -10000 && t.Before(c.contractYearStart(n)) {
		n--
	}
	for n < 10000 && !t.Before(c.contractYearStart(n+1)) {
		n++
	}
	return n
}

// Periods returns the periods of the kind that overlap [from, to), in
// order.
func (c *Contract) Periods(kind PeriodKind, from, to time.Time) []Period {
	if kind == Term {
		if from.Before(c.end) && to.After(c.start) {
			return []Period{{Term, c.start, c.end}}
		}
		return nil
	}
	var out []Period
	for p := c.PeriodOf(kind, from); p.Start.Before(to); p = c.PeriodOf(kind, p.End) {
		out = append(out, p)
		if len(out) > 100000 {
			break
		}
	}
	return out
}

// Invoice is the bill of one month.
type Invoice struct {
	Period   Period
	Lines    []InvoiceLine
	Total    decimal.Decimal
	Warnings []string // what the bill could not do as the contract says: a missing index, a missing volume
}

// InvoiceLine is the amount of one work unit.
type InvoiceLine struct {
	Unit      string
	Name      string
	Quantity  decimal.Decimal // zero for a fixed fee
	UnitPrice decimal.Decimal // the revised price, for a unit without bands
	Bands     []BandLine      // the split over the volume bands
	Fixed     bool
	Amount    decimal.Decimal
	// Revision is the revision coefficient of the period, a + b × S / S0,
	// or 1 when prices are not revised.
	Revision decimal.Decimal
	// PriceFrom is the first day of the price version (an amendment) the
	// month is billed at; zero for the unit's own price.
	PriceFrom time.Time
}

// BandLine is the part of a quantity billed in one band: units From to
// To (To zero for the last band), at UnitPrice.
type BandLine struct {
	From, To  decimal.Decimal
	Quantity  decimal.Decimal
	UnitPrice decimal.Decimal
	Amount    decimal.Decimal
}

// ErrNotMonthly is returned when an invoice is asked for another period
// than a month: contracts bill monthly, and bands apply per month.
var ErrNotMonthly = errors.New("invoices are monthly")

// Invoice bills a month: each work unit's volume (counted by the engine
// or reported) at its revised price, split over its bands, and the fixed
// fees. indices complete or replace the index values of the contract file.
func (c *Contract) Invoice(p Period, volumes map[string]decimal.Decimal, indices Indices) (Invoice, error) {
	if p.Kind != Month {
		return Invoice{}, fmt.Errorf("invoice of %s: %w", p, ErrNotMonthly)
	}
	inv := Invoice{Period: p}
	coef, warn := c.revisionCoefficient(p.Start, indices)
	if warn != "" {
		inv.Warnings = append(inv.Warnings, warn)
	}
	for _, u := range c.units {
		u, from := u.InForce(p.Start)
		line := InvoiceLine{Unit: u.ID, Name: u.Name, Revision: one, PriceFrom: from}
		k := ratio{one, one}
		if c.revised(u.ID) {
			k, line.Revision = coef, coef.decimal()
		}
		if u.IsFixed() {
			line.Fixed = true
			line.Amount = c.revise(u.Fixed, k)
			inv.Lines = append(inv.Lines, line)
			inv.Total = inv.Total.Add(line.Amount)
			continue
		}
		q, given := volumes[u.ID]
		if !given {
			if u.Volume.Given {
				inv.Warnings = append(inv.Warnings, fmt.Sprintf("no volume reported for %s in %s: billed 0", u.ID, p))
			}
		}
		if q.IsNegative() {
			return Invoice{}, fmt.Errorf("invoice of %s: negative volume %s for %s", p, q, u.ID)
		}
		line.Quantity = q
		if len(u.Bands) == 0 {
			line.UnitPrice = c.revise(u.Price, k)
			line.Amount = q.Mul(line.UnitPrice)
		} else {
			var from decimal.Decimal
			for _, b := range u.Bands {
				price := c.revise(b.Price, k)
				inBand := q.Sub(from)
				if !b.UpTo.IsZero() {
					inBand = decimal.Min(inBand, b.UpTo.Sub(from))
				}
				if inBand.IsNegative() {
					inBand = decimal.Zero
				}
				bl := BandLine{From: from.Add(one), To: b.UpTo, Quantity: inBand, UnitPrice: price, Amount: inBand.Mul(price)}
				line.Bands = append(line.Bands, bl)
				line.Amount = line.Amount.Add(bl.Amount)
				from = b.UpTo
			}
		}
		inv.Lines = append(inv.Lines, line)
		inv.Total = inv.Total.Add(line.Amount)
	}
	return inv, nil
}

func (c *Contract) revised(unit string) bool {
	return c.revision != nil && (len(c.revision.Units) == 0 || slices.Contains(c.revision.Units, unit))
}

// ratio is a revision coefficient kept as a fraction, (a×S0 + b×S) / S0,
// so that a revised price is P0 × num / den with a single division.
type ratio struct{ num, den decimal.Decimal }

func (k ratio) decimal() decimal.Decimal { return k.num.DivRound(k.den, dsl.QuotientPlaces) }

// revisionPlaces is the precision of P0 × num / den before it is rounded
// to the cent: a price within 1e-20 of a half cent is the only one that
// could round differently from exact arithmetic.
const revisionPlaces = 20

// revise applies a coefficient to a base price and rounds the result as
// the revision clause says.
func (c *Contract) revise(p0 decimal.Decimal, k ratio) decimal.Decimal {
	if k.num.Equal(k.den) || c.revision == nil {
		return p0
	}
	return Rounding{To: c.revision.Rounding, Mode: HalfUp}.Round(p0.Mul(k.num).DivRound(k.den, revisionPlaces))
}

// revisionCoefficient returns a + b × S / S0 for prices billed from at,
// or 1 before the first revision. When an index value is missing the
// prices are not revised, and the warning says why.
func (c *Contract) revisionCoefficient(at time.Time, extra Indices) (ratio, string) {
	unrevised := ratio{one, one}
	r := c.revision
	if r == nil || at.Before(r.From) {
		return unrevised, ""
	}
	years := at.Year() - r.From.Year()
	for years > 0 && at.Before(r.From.AddDate(years, 0, 0)) {
		years--
	}
	date := r.From.AddDate(years, 0, 0)
	refYear := date.Year()
	if r.ReferenceMonth >= date.Month() {
		refYear--
	}
	ref := fmt.Sprintf("%04d-%02d", refYear, int(r.ReferenceMonth))
	s0, ok0 := c.indexValue(r.Index, r.Base, extra)
	s, ok := c.indexValue(r.Index, ref, extra)
	switch {
	case !ok0:
		return unrevised, fmt.Sprintf("prices not revised: the %s index of %s (the base) is missing", r.Index, r.Base)
	case !ok:
		return unrevised, fmt.Sprintf("prices not revised on %s: the %s index of %s is missing", date.Format(time.DateOnly), r.Index, ref)
	case !s0.IsPositive():
		return unrevised, fmt.Sprintf("prices not revised: the %s index of %s is not positive", r.Index, r.Base)
	case !s.IsPositive():
		return unrevised, fmt.Sprintf("prices not revised on %s: the %s index of %s is not positive", date.Format(time.DateOnly), r.Index, ref)
	}
	return ratio{r.Fixed.Mul(s0).Add(r.Indexed.Mul(s)), s0}, ""
}

func (c *Contract) indexValue(index, month string, extra Indices) (decimal.Decimal, bool) {
	if v, ok := extra[index][month]; ok {
		return v, true
	}
	v, ok := c.indices[index][month]
	return v, ok
}
