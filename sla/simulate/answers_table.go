package simulate

import (
	"fmt"
	"strconv"

	"github.com/pacte-sla/pacte/sla/report"
	"github.com/shopspring/decimal"
)

// The bid team's answers, laid out as tables and drawn as charts through
// package sla/report.

// priceText formats a price of the answer: a discount as a percentage, a
// price with the step's decimals.
func (a *PriceAnswer) priceText(d decimal.Decimal) string {
	if a.Discount {
		return d.Shift(2).StringFixed(2) + " %"
	}
	places := max(-a.Step.Exponent(), 0)
	if places == 0 {
		return amount(d)
	}
	return d.StringFixed(places)
}

// targetText says what the target is.
func (a *PriceAnswer) targetText() string {
	t := amount(a.Target) + " " + a.Currency
	if !a.TargetRate.IsZero() {
		if a.Target.IsZero() {
			return percent(a.TargetRate) + " of the invoice"
		}
		t += " + " + percent(a.TargetRate) + " of the invoice"
	}
	return t
}

// Tables lays the answer out: the prices found, then every price
// evaluated.
func (a *PriceAnswer) Tables() []Table {
	found := Table{
		Title: fmt.Sprintf("Price: the %s at which the margin over the span reaches %s (%d runs, seed %d, every price on the same runs)",
			a.What, a.targetText(), a.Runs, a.Seed),
		Header: []string{"margin", "price", "margin there", "95 % interval", "one step before", "note"},
	}
	found.Right = []bool{false, true, true, true, true, false}
	for _, f := range []struct {
		name string
		f    PriceFinding
	}{{"expected (mean)", a.Expected}, {"reached in 90 % of runs (P10)", a.P90}} {
		before := "–"
		if f.f.Found {
			before = amount(f.f.Missed)
		}
		found.Rows = append(found.Rows, []string{f.name, a.priceText(f.f.Price), amount(f.f.Margin), intervalText(f.f.MarginCI, amount), before, f.f.Note})
	}
	current := ""
	if !a.Discount {
		current = fmt.Sprintf(" (the contract's: %s)", a.priceText(a.Current))
	}
	all := Table{
		Title: fmt.Sprintf("Prices evaluated%s, %s, %d passes over the runs", current, a.Currency, a.Passes),
		Header: []string{"price", "invoice", "net penalties", "net P90", "margin", "95 % interval", "margin P10", "95 % interval",
			"over target (mean)", "over target (P10)"},
	}
	all.Right = rightFrom(len(all.Header), 0)
	for _, c := range a.Candidates {
		all.Rows = append(all.Rows, []string{a.priceText(c.Price), amount(c.Invoice.Mean), amount(c.Net.Mean), amount(c.Net.P90),
			amount(c.Margin.Mean), intervalText(c.Margin.MeanCI, amount), amount(c.Margin.P10), intervalText(c.Margin.P10CI, amount),
			amount(c.Excess.Mean), amount(c.Excess.P10)})
	}
	return []Table{found, all}
}

// moneyFormat formats amounts on charts, to the unit.
func moneyFormat(currency string) func(decimal.Decimal) string {
	f := report.Format{Locale: report.English, Currency: currency}
	return func(d decimal.Decimal) string { return f.Money(d.Round(0)) }
}

// Chart draws the margin at the five evenly spaced prices the search
// started from: its mean and its P10 against the target.
func (a *PriceAnswer) Chart() report.LineChart {
	c := report.LineChart{
		Title:   fmt.Sprintf("Margin over the span by %s (%d runs, the same at every price)", a.What, a.Runs),
		XLabel:  a.What,
		YLabel:  "margin (" + a.Currency + ")",
		YFormat: moneyFormat(a.Currency),
	}
	mean := report.Series{Name: "mean margin"}
	p10 := report.Series{Name: "margin reached in 90 % of runs", Dashed: true}
	target := report.Series{Name: "target", Dashed: true, Colour: "#444444"}
	for _, k := range a.Candidates {
		if !k.Grid {
			continue
		}
		c.X = append(c.X, a.priceText(k.Price))
		mean.Values = append(mean.Values, k.Margin.Mean)
		p10.Values = append(p10.Values, k.Margin.P10)
		target.Values = append(target.Values, a.Target.Add(a.TargetRate.Mul(k.Invoice.Mean)).Round(2))
	}
	c.Series = []report.Series{mean, p10, target}
	return c
}

// Table lays the staffing plan out, one row per staffing.
func (p *StaffingPlan) Table() Table {
	t := Table{
		Title: fmt.Sprintf("Staffing: penalties and margin over the span as the %s varies, %s, %d runs at each (seed %d); limit on the net P90: %s",
			p.Parameter, p.Currency, p.Runs, p.Seed, amount(p.Limit)),
		Header: []string{p.Parameter, "agent hours", "cost", "penalties", "net P90", "95 % interval", "margin", "margin P10", "within the limit"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	for i, o := range p.Options {
		within := "no"
		switch {
		case o.SurelyWithin:
			within = "yes, all of its interval"
		case o.WithinLimit:
			within = "yes"
		}
		if i == p.Cheapest {
			within += " (cheapest)"
		}
		t.Rows = append(t.Rows, []string{o.Value, amount(o.AgentHours), amount(o.Cost), amount(o.Penalties.Mean), amount(o.Net.P90),
			intervalText(o.Net.P90CI, amount), amount(o.Margin.Mean), amount(o.Margin.P10), within})
	}
	return t
}

// Summary says which staffing to choose, in a sentence.
func (p *StaffingPlan) Summary() string {
	if p.Cheapest < 0 {
		return fmt.Sprintf("No staffing evaluated keeps the P90 of the net penalty under %s %s.", amount(p.Limit), p.Currency)
	}
	o := p.Options[p.Cheapest]
	s := fmt.Sprintf("The cheapest staffing whose P90 of the net penalty stays under %s %s is %s: %s %s over the span, net P90 %s (95 %%: %s), mean margin %s.",
		amount(p.Limit), p.Currency, o.Value, amount(o.Cost), p.Currency, amount(o.Net.P90), intervalText(o.Net.P90CI, amount), amount(o.Margin.Mean))
	if !o.SurelyWithin {
		s += " Its interval reaches past the limit: more runs would tell."
	}
	return s
}

// Charts draws the plan: the net penalty (mean and P90, against the
// limit), and the margin (mean and P10), as the staffing varies.
func (p *StaffingPlan) Charts() []report.LineChart {
	pen := report.LineChart{Title: fmt.Sprintf("Net penalties over the span by %s (%d runs at each)", p.Parameter, p.Runs),
		XLabel: p.Parameter, YLabel: "net penalties (" + p.Currency + ")", YFormat: moneyFormat(p.Currency), YZero: true}
	mar := report.LineChart{Title: fmt.Sprintf("Margin over the span by %s, staffing cost included", p.Parameter),
		XLabel: p.Parameter, YLabel: "margin (" + p.Currency + ")", YFormat: moneyFormat(p.Currency)}
	mean, p90 := report.Series{Name: "mean"}, report.Series{Name: "P90", Dashed: true}
	limit := report.Series{Name: "limit", Dashed: true, Colour: "#444444"}
	mMean, mP10 := report.Series{Name: "mean"}, report.Series{Name: "P10", Dashed: true}
	for _, o := range p.Options {
		pen.X, mar.X = append(pen.X, o.Value), append(mar.X, o.Value)
		mean.Values, p90.Values, limit.Values = append(mean.Values, o.Net.Mean), append(p90.Values, o.Net.P90), append(limit.Values, p.Limit)
		mMean.Values, mP10.Values = append(mMean.Values, o.Margin.Mean), append(mP10.Values, o.Margin.P10)
	}
	pen.Series, mar.Series = []report.Series{mean, p90, limit}, []report.Series{mMean, mP10}
	return []report.LineChart{pen, mar}
}

// Table lays the comparison out: each figure under both versions, and
// the difference with its interval.
func (c *Comparison) Table() Table {
	t := Table{
		Title: fmt.Sprintf("What-if: %s against %s, %s, the same %d runs (seed %d); differences run by run",
			c.VariantName, c.BaseName, c.Currency, c.Runs, c.Seed),
		Header: []string{"figure", "base", "variant", "difference", "95 % interval"},
	}
	t.Right = rightFrom(len(t.Header), 1)
	for _, d := range c.Differences {
		f := amount
		if d.Probability {
			f = func(x decimal.Decimal) string { return x.Shift(2).StringFixed(1) + " %" }
		}
		t.Rows = append(t.Rows, []string{d.Figure, f(d.Base), f(d.Variant), f(d.Difference), intervalText(d.DifferenceCI, f)})
	}
	return t
}

// quantileLevels are the percentiles the comparison's chart draws.
var quantileLevels = []int{10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99}

// Chart draws the distribution of the span's net penalty under both
// versions: its percentiles, P10 to P99.
func (c *Comparison) Chart() report.LineChart {
	ch := report.LineChart{Title: fmt.Sprintf("Net penalties over the span by percentile of the runs (%d runs, the same for both)", c.Runs),
		XLabel: "percentile of the runs", YLabel: "net penalties (" + c.Currency + ")", YFormat: moneyFormat(c.Currency), YZero: true}
	for i, r := range []*Result{c.Base, c.Variant} {
		name := []string{"base: " + c.BaseName, "variant: " + c.VariantName}[i]
		net := make([]decimal.Decimal, len(r.Figures))
		for k, f := range r.Figures {
			net[k] = f.Term.Net
		}
		s := sortedCopy(net)
		series := report.Series{Name: name, Dashed: i == 1}
		for _, p := range quantileLevels {
			if i == 0 {
				ch.X = append(ch.X, "P"+strconv.Itoa(p))
			}
			series.Values = append(series.Values, s[nearestRank(p, len(s))])
		}
		ch.Series = append(ch.Series, series)
	}
	return ch
}
