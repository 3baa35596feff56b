package simulate

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Result summarises the runs of a simulation: the distribution of what
// the contract costs, per contract year and over the span, the caps it
// reaches, and the rules that drive the risk, each figure with its 95 %
// confidence interval. Amounts are exact decimals in the contract's
// currency; probabilities and shares are decimals rounded to four places
// (0.1234 is 12.34 %).
//
// A result keeps the figures of each of its runs, from which it is
// computed: two results of disjoint runs of the same simulation merge
// into the result of all their runs ([Result.Merge]).
type Result struct {
	Contract string `json:"contract"`
	Scenario string `json:"scenario,omitempty"`
	// Digest identifies the simulation the runs come from: a SHA-256 of
	// the contract's meaning, the scenario as prepared and the history it
	// read. Results merge only when their digests are equal (or one was
	// written without a digest).
	Digest   string    `json:"digest,omitempty"`
	Currency string    `json:"currency"`
	From     time.Time `json:"from"` // first instant simulated
	To       time.Time `json:"to"`   // first instant after
	Runs     int       `json:"runs"`
	// Ranges are the indices of the runs, as ranges.
	Ranges []RunRange `json:"ranges"`
	Seed   uint64     `json:"seed"`
	// Antithetic is true when the runs were drawn in antithetic pairs
	// (Options.Antithetic): the intervals treat each pair as one unit.
	Antithetic bool `json:"antithetic,omitempty"`
	// Controls are the control variates that corrected the percentiles
	// (Options.Controls), with their expectations; each run's counts are
	// in its figures.
	Controls []ControlVariate `json:"controls,omitempty"`
	// Precision says how a run count chosen by a precision target was
	// reached (Options.Precision); nil when the count was given.
	Precision *PrecisionReport `json:"precision,omitempty"`

	// Term is over the whole span simulated; Years per contract year.
	Term  Risk       `json:"term"`
	Years []YearRisk `json:"years"`
	// Rules are the contract's rules, in its order, with what each costs.
	Rules []RuleRisk `json:"rules"`
	// Caps are the contract's caps, with how often they are reached.
	Caps []CapRisk `json:"caps"`

	// Records is the mean number of records per run, by source.
	Records map[string]decimal.Decimal `json:"records"`
	// Rejected and RuleErrors count, over every run, the records the
	// engine refused and the rules that failed on an item; both should be
	// zero, and Messages quotes the first ones.
	Rejected   int      `json:"rejected"`
	RuleErrors int      `json:"rule_errors"`
	Messages   []string `json:"messages,omitempty"`
	// Warnings are the warnings of the engine's reports (a missing index,
	// prices not revised…), each once.
	Warnings []string `json:"warnings,omitempty"`

	// Figures are the runs' own figures, in run order: what the rest is
	// computed from. JSON keeps them, so that a result read back merges
	// (about 1 KB of JSON a run of the reference contract, 3.2 KB of memory); a program that
	// only shows the result may drop them.
	Figures []RunFigures `json:"figures,omitempty"`
}

// RunRange is the runs First to Last, both included.
type RunRange struct {
	First int `json:"first"`
	Last  int `json:"last"`
}

// PrecisionReport is how a simulation with a precision target ended.
type PrecisionReport struct {
	// Target is how far the 95 % interval of the P90 of the span's net
	// penalty may reach from it on either side, as a share of the P90
	// (0.02 for ±2 %).
	Target decimal.Decimal `json:"target"`
	// Reached is how far the interval reaches at the end, on its farther
	// side ([Interval.Reach]), as a share of the P90 (nil
	// while the interval has an open side or the P90 is zero); Met
	// whether it is within the target. Not met: the budget of runs was
	// spent first.
	Reached *decimal.Decimal `json:"reached"`
	Met     bool             `json:"met"`
	// Batch is the number of runs between two checks; Budget the most
	// runs allowed.
	Batch  int `json:"batch"`
	Budget int `json:"budget"`
}

// Risk is the distribution, over the runs, of what a span costs: the
// invoice, the penalties and bonuses due after every step of the pipeline,
// the net the provider owes (penalties less bonuses when they are netted;
// negative for a net bonus), and the margin: invoice − net − cost. The
// cost is the same in every run (the staffing is planned, not drawn).
type Risk struct {
	Invoice   Distribution    `json:"invoice"`
	Penalties Distribution    `json:"penalties"`
	Bonuses   Distribution    `json:"bonuses"`
	Net       Distribution    `json:"net"`
	Cost      decimal.Decimal `json:"cost"`
	Margin    Distribution    `json:"margin"`
}

// YearRisk is the risk of one contract year.
type YearRisk struct {
	Year int `json:"year"` // 1 for the first contract year
	Risk
}

// Distribution summarises values drawn over the runs. Mean is their sum
// divided by their number, rounded to the cent (half away from zero);
// the percentiles are values of the runs themselves, by the nearest-rank
// method: P90 is the smallest value that at least 90 % of the runs do not
// exceed. No interpolation, no float: the same runs give the same figures
// to the cent on any machine.
//
// Each estimate but Min and Max has its 95 % confidence interval: for the
// mean, Student's t interval; for a percentile, the distribution-free
// interval of two order statistics, or Woodruff's for antithetic pairs
// (see the package documentation). With control variates
// (Result.Controls), the percentiles are the values at which the
// controlled distribution function reaches their level, still values of
// the runs, with Woodruff's interval.
type Distribution struct {
	Mean decimal.Decimal `json:"mean"`
	Min  decimal.Decimal `json:"min"`
	P10  decimal.Decimal `json:"p10"` // the low tail, where a margin's risk is
	P50  decimal.Decimal `json:"p50"`
	P90  decimal.Decimal `json:"p90"`
	P99  decimal.Decimal `json:"p99"`
	Max  decimal.Decimal `json:"max"`

	MeanCI Interval `json:"mean_ci"`
	P10CI  Interval `json:"p10_ci"`
	P50CI  Interval `json:"p50_ci"`
	P90CI  Interval `json:"p90_ci"`
	P99CI  Interval `json:"p99_ci"`
}

// Summarize returns the distribution of independent values, with its
// intervals; the zero Distribution when there are none. values is not
// changed.
func Summarize(values []decimal.Decimal) Distribution {
	return independent.summarize(values, nil, false)
}

// summarize is Summarize for runs grouped by the design; ranks caches the
// order statistics' ranks for this number of runs; nonNeg says the
// values cannot be negative (amounts of penalties), which the mean's
// interval then cannot be either.
func (d design) summarize(values []decimal.Decimal, ranks map[int][2]int, nonNeg bool) Distribution {
	n := len(values)
	if n == 0 {
		return Distribution{}
	}
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	out := Distribution{Min: s[0], Max: s[n-1]}
	out.Mean, out.MeanCI = d.mean(values, 2)
	if nonNeg {
		out.Mean, out.MeanCI = nonNegative(out.Mean, out.MeanCI)
	}
	out.P10, out.P10CI = d.quantile(values, s, 10, ranks)
	out.P50, out.P50CI = d.quantile(values, s, 50, ranks)
	out.P90, out.P90CI = d.quantile(values, s, 90, ranks)
	out.P99, out.P99CI = d.quantile(values, s, 99, ranks)
	return out
}

// nearestRank returns the index, in n sorted values, of the p-th
// percentile: ⌈p·n/100⌉ − 1, computed in integers.
func nearestRank(p, n int) int {
	return max((p*n+99)/100-1, 0)
}

// RuleRisk is what one rule costs over the runs.
type RuleRisk struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// ExpectedPenalty and ExpectedBonus are the mean over the runs of the
	// rule's penalties and bonuses over the span, after every step of the
	// pipeline (caps included), rounded to the cent.
	ExpectedPenalty   decimal.Decimal `json:"expected_penalty"`
	ExpectedPenaltyCI Interval        `json:"expected_penalty_ci"`
	ExpectedBonus     decimal.Decimal `json:"expected_bonus"`
	ExpectedBonusCI   Interval        `json:"expected_bonus_ci"`
	// Share is the rule's share of the expected penalties: its penalties
	// over every run divided by all penalties over every run; its
	// interval is the delta method's for a ratio of means.
	Share   decimal.Decimal `json:"share"`
	ShareCI Interval        `json:"share_ci"`
	// TailShare is its share of the penalties in the bad runs: those whose
	// penalties over the span are at or above their P90. It tells which
	// rules make the P90, where Share tells which make the mean. Its
	// interval is a bootstrap's, which carries the uncertainty of the P90
	// that picks the bad runs.
	TailShare   decimal.Decimal `json:"tail_share"`
	TailShareCI Interval        `json:"tail_share_ci"`
	// BreachProbability is the share of runs in which the rule is
	// breached at least once (Wilson's interval); MeanBreaches the mean
	// number of periods it is breached in (observation periods included).
	BreachProbability   decimal.Decimal `json:"breach_probability"`
	BreachProbabilityCI Interval        `json:"breach_probability_ci"`
	MeanBreaches        decimal.Decimal `json:"mean_breaches"`
	MeanBreachesCI      Interval        `json:"mean_breaches_ci"`
}

// CapRisk is how often a cap of the contract is reached: the share of
// runs in which it cut an amount at least once (Wilson's interval), the
// mean number of periods it cut, and the mean amount it took off (what
// the cap saves the provider). Step is the pipeline step that applies it:
// rule_caps (with Rule), month_cap, year_cap, or bonus for the cap on
// bonuses.
type CapRisk struct {
	Step          string          `json:"step"`
	Rule          string          `json:"rule,omitempty"`
	Probability   decimal.Decimal `json:"probability"`
	ProbabilityCI Interval        `json:"probability_ci"`
	MeanTimes     decimal.Decimal `json:"mean_times"`
	MeanTimesCI   Interval        `json:"mean_times_ci"`
	ExpectedCut   decimal.Decimal `json:"expected_cut"`
	ExpectedCutCI Interval        `json:"expected_cut_ci"`
}

// ratioPlaces is the precision of probabilities and shares.
const ratioPlaces = 4

func ratio(num, den decimal.Decimal) decimal.Decimal {
	if den.IsZero() {
		return decimal.Zero
	}
	return num.DivRound(den, ratioPlaces)
}

// resultMeta is what a result says besides its runs' figures: what
// summarising figures again needs.
type resultMeta struct {
	contract, scenario, currency string
	digest                       string // Result.Digest
	from, to                     time.Time
	seed                         uint64
	antithetic                   bool
	rules                        []RuleRisk // ID and Name
	caps                         []CapRisk  // Step and Rule
	years                        []int
	yearCost                     []decimal.Decimal // by years
	termCost                     decimal.Decimal
	controls                     []ControlVariate
}

func (m resultMeta) design() design {
	if m.antithetic {
		return pairs
	}
	return independent
}

// sampling is how the runs were drawn, and the fit of their controls
// when they have some: what the statistics are computed with.
type sampling struct {
	design
	fit *controlFit
}

// sampling returns the sampling of runs drawn as m says.
func (m resultMeta) sampling(runs []RunFigures) sampling {
	s := sampling{design: m.design()}
	if len(m.controls) == 0 {
		return s
	}
	counts := make([][]float64, len(runs))
	for i := range runs {
		counts[i] = make([]float64, len(runs[i].Controls))
		for k, c := range runs[i].Controls {
			counts[i][k] = float64(c)
		}
	}
	mu := make([]float64, len(m.controls))
	for k, c := range m.controls {
		mu[k] = c.Probability
	}
	s.fit = s.fitControls(counts, mu)
	return s
}

// summarize is the design's summary, with the percentiles read from the
// controlled distribution function when the runs have controls.
func (s sampling) summarize(values []decimal.Decimal, ranks map[int][2]int, nonNeg bool) Distribution {
	out := s.design.summarize(values, ranks, nonNeg)
	if s.fit == nil || len(values) == 0 {
		return out
	}
	c := s.fit.cdf(values)
	out.P10, out.P10CI = s.fit.quantile(s.design, c, 10)
	out.P50, out.P50CI = s.fit.quantile(s.design, c, 50)
	out.P90, out.P90CI = s.fit.quantile(s.design, c, 90)
	out.P99, out.P99CI = s.fit.quantile(s.design, c, 99)
	return out
}

// summarise computes the result of runs, given in run order.
func summarise(m resultMeta, runs []RunFigures) *Result {
	d := m.sampling(runs)
	n := len(runs)
	res := &Result{
		Contract: m.contract, Scenario: m.scenario, Digest: m.digest, Currency: m.currency, From: m.from, To: m.to,
		Runs: n, Ranges: ranges(runs), Seed: m.seed, Antithetic: m.antithetic, Controls: m.controls,
		Records: map[string]decimal.Decimal{}, Figures: runs,
	}
	ranks := map[int][2]int{}
	res.Term = d.risk(runs, func(r *RunFigures) Money { return r.Term }, m.termCost, ranks)
	for yi, y := range m.years {
		res.Years = append(res.Years, YearRisk{Year: y, Risk: d.risk(runs, func(r *RunFigures) Money {
			if yi < len(r.Years) && r.Years[yi].Year == y {
				return r.Years[yi].Money
			}
			return Money{}
		}, m.yearCost[yi], ranks)})
	}
	res.Rules = d.rules(m, runs)
	res.Caps = d.caps(m, runs)
	res.account(runs)
	return res
}

// risk summarises one span over the runs.
func (d sampling) risk(runs []RunFigures, get func(*RunFigures) Money, cost decimal.Decimal, ranks map[int][2]int) Risk {
	k := len(runs)
	inv, pen, bon, net, mar := make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k)
	for i := range runs {
		m := get(&runs[i])
		inv[i], pen[i], bon[i], net[i], mar[i] = m.Invoice, m.Penalties, m.Bonuses, m.Net, m.Invoice.Sub(m.Net).Sub(cost)
	}
	return Risk{Invoice: d.summarize(inv, ranks, true), Penalties: d.summarize(pen, ranks, true), Bonuses: d.summarize(bon, ranks, true),
		Net: d.summarize(net, ranks, false), Cost: cost, Margin: d.summarize(mar, ranks, false)}
}

// rules summarises what each rule costs over the runs.
func (d design) rules(m resultMeta, runs []RunFigures) []RuleRisk {
	n := len(runs)
	total := make([]decimal.Decimal, n)
	for i := range runs {
		total[i] = runs[i].Term.Penalties
	}
	// The bad runs: penalties over the span at or above their P90.
	p90 := independent.summarizeP90(total)
	tailTotal := make([]decimal.Decimal, n)
	for i := range runs {
		if !total[i].LessThan(p90) {
			tailTotal[i] = total[i]
		}
	}
	perRule := make([][]decimal.Decimal, len(m.rules))
	out := make([]RuleRisk, len(m.rules))
	for ri, r := range m.rules {
		pen, bon, tail := make([]decimal.Decimal, n), make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		breaches, breached := make([]decimal.Decimal, n), make([]bool, n)
		for i := range runs {
			f := runs[i].Rules[ri]
			pen[i], bon[i] = f.Penalty, f.Bonus
			if !total[i].LessThan(p90) {
				tail[i] = f.Penalty
			}
			breaches[i] = decimal.NewFromInt(int64(f.Breached))
			breached[i] = f.Breached > 0
		}
		perRule[ri] = pen
		rr := RuleRisk{ID: r.ID, Name: r.Name}
		rr.ExpectedPenalty, rr.ExpectedPenaltyCI = nonNegative(d.mean(pen, 2))
		rr.ExpectedBonus, rr.ExpectedBonusCI = nonNegative(d.mean(bon, 2))
		rr.Share, rr.ShareCI = d.ratio(pen, total)
		rr.TailShare, _ = d.ratio(tail, tailTotal)
		rr.BreachProbability, rr.BreachProbabilityCI = d.proportion(breached)
		rr.MeanBreaches, rr.MeanBreachesCI = nonNegative(d.mean(breaches, ratioPlaces))
		out[ri] = rr
	}
	for ri, iv := range d.tailShares(total, perRule, m.seed) {
		out[ri].TailShareCI = iv
	}
	return out
}

// summarizeP90 is the nearest-rank P90 of values.
func (design) summarizeP90(values []decimal.Decimal) decimal.Decimal {
	if len(values) == 0 {
		return decimal.Zero
	}
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	return s[nearestRank(90, len(s))]
}

// caps summarises how often each cap bites.
func (d design) caps(m resultMeta, runs []RunFigures) []CapRisk {
	n := len(runs)
	out := make([]CapRisk, len(m.caps))
	for ci, k := range m.caps {
		hit, times, cut := make([]bool, n), make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for i := range runs {
			c := runs[i].Caps[ci]
			hit[i] = c.Hits > 0
			times[i] = decimal.NewFromInt(int64(c.Hits))
			cut[i] = c.Cut
		}
		cr := CapRisk{Step: k.Step, Rule: k.Rule}
		cr.Probability, cr.ProbabilityCI = d.proportion(hit)
		cr.MeanTimes, cr.MeanTimesCI = nonNegative(d.mean(times, ratioPlaces))
		cr.ExpectedCut, cr.ExpectedCutCI = nonNegative(d.mean(cut, 2))
		out[ci] = cr
	}
	return out
}

// account sums the records, rejections and errors of the runs, and keeps
// the first messages and every warning once, in run order.
func (res *Result) account(runs []RunFigures) {
	n := decimal.NewFromInt(int64(len(runs)))
	counts := map[string]int{}
	seenWarning := map[string]bool{}
	for i := range runs {
		r := &runs[i]
		for src, c := range r.Records {
			counts[src] += c
		}
		res.Rejected += r.Rejected
		res.RuleErrors += r.Errors
		for _, msg := range r.Messages {
			if len(res.Messages) < maxMessages {
				res.Messages = append(res.Messages, "run "+strconv.Itoa(r.Run)+": "+msg)
			}
		}
		for _, w := range r.Warnings {
			if !seenWarning[w] {
				seenWarning[w] = true
				res.Warnings = append(res.Warnings, w)
			}
		}
	}
	for src, c := range counts {
		res.Records[src] = decimal.NewFromInt(int64(c)).DivRound(n, 1)
	}
}

// ranges returns the runs' indices as ranges; runs are in order.
func ranges(runs []RunFigures) []RunRange {
	var out []RunRange
	for _, r := range runs {
		if k := len(out) - 1; k >= 0 && out[k].Last == r.Run-1 {
			out[k].Last = r.Run
			continue
		}
		out = append(out, RunRange{First: r.Run, Last: r.Run})
	}
	return out
}
