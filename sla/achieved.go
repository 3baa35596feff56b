package sla

import (
	"errors"
	"sort"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/shopspring/decimal"
)

// measured is what a rule achieved on one objective in a period.
type measured struct {
	ok       bool // something was measured
	value    contract.Value
	num, den decimal.Decimal // a share, exactly: num / den
	share    bool
	eligible int
	met      int
}

func (b *builder) measure(rule *preparedRule, j int, p contract.Period, a *acc) measured {
	o, v := rule.objs[j], &rule.plans[j]
	oa := a.objs[j]
	m := measured{eligible: oa.eligible}
	// The items that met the rule: those for which the item measure holds,
	// but when what holds is what a maximum limits (share(reopened) <= 5%).
	met := oa.holds
	if v.item != contract.ItemOnTime && !v.higher {
		met = oa.eligible - oa.holds
	}
	switch v.of {
	case contract.OfNothing:
		return m
	case contract.OfRatio:
		m.share = true
		m.num, m.den = decimal.NewFromInt(int64(oa.holds)), decimal.NewFromInt(int64(oa.eligible))
		m.ok = oa.eligible > 0
		if m.ok {
			m.value = contract.Value{Type: dsl.Decimal, Decimal: m.num.DivRound(m.den, dsl.QuotientPlaces)}
		}
		m.met = met
		return m
	case contract.OfCount, contract.OfCountNot:
		m.ok = oa.eligible > 0
		n := oa.holds
		if v.of == contract.OfCountNot {
			n = oa.eligible - oa.holds
		}
		m.value = contract.Value{Type: dsl.Int, Int: n, Decimal: decimal.NewFromInt(int64(n))}
		m.met = met
		return m
	case contract.OfUptime:
		service := rule.availCal.Between(p.Start, p.End)
		down := downtime(rule, a.outages)
		m.ok = service > 0
		m.share = true
		m.num, m.den = decimal.NewFromInt(int64(service-down)), decimal.NewFromInt(int64(service))
		if m.ok {
			m.value = contract.Value{Type: dsl.Decimal, Decimal: m.num.DivRound(m.den, dsl.QuotientPlaces)}
		}
		return m
	}
	// Statistics.
	m.ok = oa.n > 0
	m.met = oa.eligible - a.nMissed
	if !m.ok {
		return m
	}
	value, err := statistic(o, v.of, &oa)
	if err != nil {
		b.errors = append(b.errors, RuleError{Rule: rule.def.ID, Period: p.String(), Error: err.Error()})
		m.ok = false
		return m
	}
	m.value = value
	return m
}

// statistic is the value of a statistic of the items' values.
func statistic(o contract.Objective, of contract.Aggregate, oa *objAcc) (contract.Value, error) {
	t := o.Type()
	n := decimal.NewFromInt(int64(oa.n))
	switch of {
	case contract.OfMean:
		if t == dsl.Duration {
			return contract.Value{Type: t, Duration: time.Duration(oa.sumDuration().DivRound(n, 0).IntPart())}, nil
		}
		return contract.Value{Type: dsl.Decimal, Decimal: oa.sumDec.DivRound(n, dsl.QuotientPlaces)}, nil
	case contract.OfSum:
		switch t {
		case dsl.Duration:
			s := oa.sumDuration()
			if s.Abs().GreaterThan(decimal.NewFromInt(1<<63 - 1)) {
				return contract.Value{}, errors.New("sum of durations is out of range")
			}
			return contract.Value{Type: t, Duration: time.Duration(s.IntPart())}, nil
		case dsl.Int:
			return contract.Value{Type: t, Int: int(oa.sumInt), Decimal: decimal.NewFromInt(oa.sumInt)}, nil
		}
		return contract.Value{Type: t, Decimal: oa.sumDec}, nil
	case contract.OfMin, contract.OfMax:
		x := oa.min
		if of == contract.OfMax {
			x = oa.max
		}
		return contract.Value{Type: t, Duration: x.dur, Int: x.num, Decimal: x.dec}, nil
	}
	// Median and percentiles, by nearest rank.
	switch t {
	case dsl.Duration:
		v, err := exact.PercentileDuration(oa.durs, o.Percentile)
		return contract.Value{Type: t, Duration: v}, err
	case dsl.Int:
		v, err := exact.PercentileDecimal(intsToDecimals(oa.ints), o.Percentile)
		return contract.Value{Type: t, Int: int(v.IntPart()), Decimal: v}, err
	}
	v, err := exact.PercentileDecimal(oa.decs, o.Percentile)
	return contract.Value{Type: t, Decimal: v}, err
}

func intsToDecimals(is []int) []decimal.Decimal {
	out := make([]decimal.Decimal, len(is))
	for i, v := range is {
		out[i] = decimal.NewFromInt(int64(v))
	}
	return out
}

// downtime merges the outage spans of a period, so that overlaps count
// once, and returns their open time on the service calendar.
func downtime(rule *preparedRule, spans []outageSpan) time.Duration {
	ivs := make([]struct{ s, e time.Time }, len(spans))
	for i, sp := range spans {
		ivs[i].s, ivs[i].e = sp.start, sp.end
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].s.Before(ivs[j].s) })
	var total time.Duration
	var cs, ce time.Time
	for i, iv := range ivs {
		if i > 0 && !iv.s.After(ce) {
			if iv.e.After(ce) {
				ce = iv.e
			}
			continue
		}
		if i > 0 {
			total += rule.availCal.Between(cs, ce)
		}
		cs, ce = iv.s, iv.e
	}
	if len(ivs) > 0 {
		total += rule.availCal.Between(cs, ce)
	}
	return total
}

// compare tells whether a value meets an objective's comparison.
func compare(v contract.Value, op string, threshold contract.Value) bool {
	c := v.Cmp(threshold)
	return compareResult(c, op)
}

func compareResult(c int, op string) bool {
	switch op {
	case ">=":
		return c >= 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case "<":
		return c < 0
	case "==":
		return c == 0
	}
	return false
}

// meets tells exactly whether a measure meets its objective: a share is
// compared as num op threshold × den, without dividing.
func meets(m measured, o contract.Objective) bool {
	if m.share {
		return compareResult(m.num.Cmp(o.Threshold.Decimal.Mul(m.den)), o.Op)
	}
	v := m.value
	if o.Threshold.Type == dsl.Decimal && v.Type == dsl.Int {
		v = contract.Value{Type: dsl.Decimal, Decimal: decimal.NewFromInt(int64(v.Int))}
	}
	return compare(v, o.Op, o.Threshold)
}

// shortfall is how far the achieved value is from the objective on the
// wrong side, zero when it is met.
func shortfall(m measured, o contract.Objective) contract.Value {
	v := contract.Value{Type: o.Threshold.Type}
	if meets(m, o) {
		return v
	}
	switch o.Threshold.Type {
	case dsl.Duration:
		v.Duration = m.value.Duration - o.Threshold.Duration
		if o.HigherIsBetter() {
			v.Duration = -v.Duration
		}
	case dsl.Int:
		v.Int = m.value.Int - o.Threshold.Int
		if o.HigherIsBetter() {
			v.Int = -v.Int
		}
		v.Decimal = decimal.NewFromInt(int64(v.Int))
	default:
		num, den := shortfallRatio(m, o)
		v.Decimal = num.DivRound(den, dsl.QuotientPlaces)
	}
	return v
}

// shortfallRatio is the shortfall of a decimal measure as an exact
// fraction, for counting started points without rounding.
func shortfallRatio(m measured, o contract.Objective) (decimal.Decimal, decimal.Decimal) {
	num, den := m.num, m.den
	if !m.share {
		num, den = m.value.Decimal, decimal.NewFromInt(1)
	}
	diff := o.Threshold.Decimal.Mul(den).Sub(num) // (threshold − achieved) × den
	if !o.HigherIsBetter() {
		diff = diff.Neg()
	}
	if diff.IsNegative() {
		diff = decimal.Zero
	}
	return diff, den
}

// tierContains tells whether a tier's range contains the achieved value,
// exactly for shares.
func tierContains(r contract.Range, m measured) bool {
	if !m.ok {
		return false
	}
	if !m.share {
		return r.Contains(m.value)
	}
	cmp := func(bound contract.Value) int { return m.num.Cmp(bound.Decimal.Mul(m.den)) }
	if !r.LowUnbounded {
		c := cmp(r.Low)
		if c < 0 || (c == 0 && !r.LowInclusive) {
			return false
		}
	}
	if !r.HighUnbounded {
		c := cmp(r.High)
		if c > 0 || (c == 0 && !r.HighInclusive) {
			return false
		}
	}
	return true
}
