package simulate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
)

// Comparison is the same runs evaluated under two versions of a contract
// (a negotiated cap, a relaxed deadline): the same records, drawn once
// and handed to both, so that the differences are the clauses' and not
// the luck of the draw (common random numbers). Each difference is
// computed run by run, and its interval from those paired differences:
// far narrower than the two results' own intervals suggest.
type Comparison struct {
	Runs       int    `json:"runs"`
	Seed       uint64 `json:"seed"`
	Antithetic bool   `json:"antithetic,omitempty"`
	Currency   string `json:"currency"`
	// BaseName and VariantName name the two versions in tables and
	// charts: the contracts' names, or their files' when the names are
	// the same; a caller may name them better (by the clause changed).
	BaseName    string `json:"base_name"`
	VariantName string `json:"variant_name"`
	// Base and Variant are the two results, with the same runs.
	Base    *Result `json:"base"`
	Variant *Result `json:"variant"`
	// Differences are the figures compared, variant less base.
	Differences []Difference `json:"differences"`
}

// Difference is one figure under both versions, and variant − base with
// its 95 % interval: Student's t over the runs' paired differences for a
// mean or a probability, a paired percentile bootstrap (the same runs
// resampled for both versions) for a percentile. The percentiles are the
// runs' own, by the nearest rank, even where the results' are corrected
// by control variates. Probabilities are
// shares rounded to four places, amounts to the cent.
type Difference struct {
	Figure       string          `json:"figure"`
	Probability  bool            `json:"probability,omitempty"`
	Base         decimal.Decimal `json:"base"`
	Variant      decimal.Decimal `json:"variant"`
	Difference   decimal.Decimal `json:"difference"`
	DifferenceCI Interval        `json:"difference_ci"`
}

// Compare evaluates the simulation's runs under its contract and under
// variant, a version of it with the same term, zone and rules (its
// clauses, caps and prices may differ), and compares them. The scenario
// is checked against the variant as [New] would; the records are drawn
// with the simulation's contract.
func Compare(ctx context.Context, sim *Simulation, variant *contract.Contract, opts Options) (*Comparison, error) {
	if variant == nil {
		return nil, questionError("Compare needs a variant of the contract")
	}
	if err := sameShape(sim.c, variant); err != nil {
		return nil, questionError("%v", err)
	}
	if _, err := New(variant, sim.s); err != nil {
		return nil, questionError("the scenario against the variant: %v", err)
	}
	results, err := sim.runContracts(ctx, []*contract.Contract{sim.c, variant}, opts)
	if err != nil {
		return nil, err
	}
	base, alt := results[0], results[1]
	cmp := &Comparison{Runs: base.Runs, Seed: base.Seed, Antithetic: base.Antithetic, Currency: base.Currency, Base: base, Variant: alt,
		BaseName: sim.c.Name(), VariantName: variant.Name()}
	if cmp.BaseName == cmp.VariantName {
		cmp.BaseName, cmp.VariantName = cmp.BaseName+" ("+filepath.Base(sim.c.File())+")", cmp.VariantName+" ("+filepath.Base(variant.File())+")"
	}
	cmp.Differences = compareResults(base, alt)
	return cmp, nil
}

// compareResults lists the differences of two results of the same runs.
func compareResults(a, b *Result) []Difference {
	d := resultDesign(a)
	money := func(r *Result, get func(RunFigures) decimal.Decimal) []decimal.Decimal {
		out := make([]decimal.Decimal, len(r.Figures))
		for i, f := range r.Figures {
			out[i] = get(f)
		}
		return out
	}
	pen := func(f RunFigures) decimal.Decimal { return f.Term.Penalties }
	net := func(f RunFigures) decimal.Decimal { return f.Term.Net }
	var out []Difference
	out = append(out, d.distributionDifferences("penalties", money(a, pen), money(b, pen), a.Seed, 50, 90, 99)...)
	out = append(out, d.distributionDifferences("net", money(a, net), money(b, net), a.Seed, 90)...)
	marginOf := func(r *Result) []decimal.Decimal {
		return money(r, func(f RunFigures) decimal.Decimal { return f.Term.Invoice.Sub(f.Term.Net).Sub(r.Term.Cost) })
	}
	out = append(out, d.distributionDifferences("margin", marginOf(a), marginOf(b), a.Seed, 10)...)
	for ri, r := range a.Rules {
		get := func(f RunFigures) decimal.Decimal { return f.Rules[ri].Penalty }
		out = append(out, d.meanDifference("rule "+r.ID+", expected penalty", money(a, get), money(b, get), 2, false))
	}
	for _, k := range capKeys(a, b) {
		out = append(out, d.meanDifference("probability of the "+k.Label(), capHits(a, k), capHits(b, k), ratioPlaces, true))
	}
	return out
}

// capKeys are the caps of either result, the base's first.
func capKeys(a, b *Result) []CapRisk {
	var out []CapRisk
	for _, r := range []*Result{a, b} {
		for _, c := range r.Caps {
			if !slices.ContainsFunc(out, func(o CapRisk) bool { return o.Step == c.Step && o.Rule == c.Rule }) {
				out = append(out, CapRisk{Step: c.Step, Rule: c.Rule})
			}
		}
	}
	return out
}

// capHits is 1 for each run in which the cap was reached, 0 otherwise
// (and in every run when the result's contract has no such cap).
func capHits(r *Result, k CapRisk) []decimal.Decimal {
	out := make([]decimal.Decimal, len(r.Figures))
	ci := slices.IndexFunc(r.Caps, func(c CapRisk) bool { return c.Step == k.Step && c.Rule == k.Rule })
	for i, f := range r.Figures {
		if ci >= 0 && f.Caps[ci].Hits > 0 {
			out[i] = decimal.NewFromInt(1)
		}
	}
	return out
}

// meanDifference compares the means of two paired series.
func (d design) meanDifference(figure string, a, b []decimal.Decimal, places int32, probability bool) Difference {
	diff := make([]decimal.Decimal, len(a))
	for i := range a {
		diff[i] = b[i].Sub(a[i])
	}
	ma, _ := d.mean(a, places)
	mb, _ := d.mean(b, places)
	md, iv := d.mean(diff, places)
	return Difference{Figure: figure, Probability: probability, Base: ma, Variant: mb, Difference: md, DifferenceCI: iv}
}

// distributionDifferences compares the means and the percentiles of two
// paired series.
func (d design) distributionDifferences(what string, a, b []decimal.Decimal, seed uint64, levels ...int) []Difference {
	out := []Difference{d.meanDifference(what+", mean", a, b, 2, false)}
	sa, sb := sortedCopy(a), sortedCopy(b)
	ivs := d.quantileDifferences(a, b, levels, seed)
	for i, p := range levels {
		qa, qb := sa[nearestRank(p, len(sa))], sb[nearestRank(p, len(sb))]
		out = append(out, Difference{Figure: fmt.Sprintf("%s, P%d", what, p), Base: qa, Variant: qb, Difference: qb.Sub(qa), DifferenceCI: ivs[i]})
	}
	return out
}

func sortedCopy(v []decimal.Decimal) []decimal.Decimal {
	s := slices.Clone(v)
	slices.SortFunc(s, func(x, y decimal.Decimal) int { return x.Cmp(y) })
	return s
}

// quantileDifferences returns, for each level, the paired percentile
// bootstrap interval of the difference between b's and a's nearest-rank
// percentiles: the units are resampled with replacement, the same for
// both series, and the interval is between the 2.5th and 97.5th
// percentiles of the resampled differences, rounded outward to the cent.
func (d design) quantileDifferences(a, b []decimal.Decimal, levels []int, seed uint64) []Interval {
	n, u := len(a), d.units(len(a))
	out := make([]Interval, len(levels))
	if u < 2 {
		return out
	}
	oa, fa := sortedOrder(a)
	ob, fb := sortedOrder(b)
	r := rand.New(rand.NewPCG(seed, 0xd1ff_5ba7e))
	weight := make([]int, n)
	diffs := make([][]float64, len(levels))
	for range bootstrapResamples {
		d.resample(r, weight)
		for li, p := range levels {
			diffs[li] = append(diffs[li], weightedRank(ob, fb, weight, p)-weightedRank(oa, fa, weight, p))
		}
	}
	for li, s := range diffs {
		out[li] = percentileInterval(s, 2)
	}
	return out
}
