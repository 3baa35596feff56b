package simulate

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Result summarises the runs of a simulation: the distribution of what
// the contract costs, per contract year and over the span, the caps it
// reaches, and the rules that drive the risk. Amounts are exact decimals
// in the contract's currency; probabilities and shares are decimals
// rounded to four places (0.1234 is 12.34 %).
type Result struct {
	Contract string    `json:"contract"`
	Scenario string    `json:"scenario,omitempty"`
	Currency string    `json:"currency"`
	From     time.Time `json:"from"` // first instant simulated
	To       time.Time `json:"to"`   // first instant after
	Runs     int       `json:"runs"`
	Seed     uint64    `json:"seed"`

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
type Distribution struct {
	Mean decimal.Decimal `json:"mean"`
	Min  decimal.Decimal `json:"min"`
	P10  decimal.Decimal `json:"p10"` // the low tail, where a margin's risk is
	P50  decimal.Decimal `json:"p50"`
	P90  decimal.Decimal `json:"p90"`
	P99  decimal.Decimal `json:"p99"`
	Max  decimal.Decimal `json:"max"`
}

// Summarize returns the distribution of values; the zero Distribution
// when there are none. values is not changed.
func Summarize(values []decimal.Decimal) Distribution {
	n := len(values)
	if n == 0 {
		return Distribution{}
	}
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	sum := decimal.Zero
	for _, v := range s {
		sum = sum.Add(v)
	}
	return Distribution{
		Mean: sum.DivRound(decimal.NewFromInt(int64(n)), 2),
		Min:  s[0],
		P10:  s[nearestRank(10, n)],
		P50:  s[nearestRank(50, n)],
		P90:  s[nearestRank(90, n)],
		P99:  s[nearestRank(99, n)],
		Max:  s[n-1],
	}
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
	ExpectedPenalty decimal.Decimal `json:"expected_penalty"`
	ExpectedBonus   decimal.Decimal `json:"expected_bonus"`
	// Share is the rule's share of the expected penalties: its penalties
	// over every run divided by all penalties over every run.
	Share decimal.Decimal `json:"share"`
	// TailShare is its share of the penalties in the bad runs: those whose
	// penalties over the span are at or above their P90. It tells which
	// rules make the P90, where Share tells which make the mean.
	TailShare decimal.Decimal `json:"tail_share"`
	// BreachProbability is the share of runs in which the rule is
	// breached at least once; MeanBreaches the mean number of periods it
	// is breached in (observation periods included).
	BreachProbability decimal.Decimal `json:"breach_probability"`
	MeanBreaches      decimal.Decimal `json:"mean_breaches"`
}

// CapRisk is how often a cap of the contract is reached: the share of
// runs in which it cut an amount at least once, the mean number of
// periods it cut, and the mean amount it took off (what the cap saves the
// provider). Step is the pipeline step that applies it: rule_caps (with
// Rule), month_cap, year_cap, or bonus for the cap on bonuses.
type CapRisk struct {
	Step        string          `json:"step"`
	Rule        string          `json:"rule,omitempty"`
	Probability decimal.Decimal `json:"probability"`
	MeanTimes   decimal.Decimal `json:"mean_times"`
	ExpectedCut decimal.Decimal `json:"expected_cut"`
}

// ratioPlaces is the precision of probabilities and shares.
const ratioPlaces = 4

func ratio(num, den decimal.Decimal) decimal.Decimal {
	if den.IsZero() {
		return decimal.Zero
	}
	return num.DivRound(den, ratioPlaces)
}

func (sim *Simulation) summarise(runs []runFigures, opts Options) *Result {
	n := decimal.NewFromInt(int64(len(runs)))
	res := &Result{
		Contract: sim.c.Name(),
		Scenario: sim.s.Name,
		Currency: sim.c.Currency(),
		From:     sim.start,
		To:       sim.end,
		Runs:     len(runs),
		Seed:     opts.Seed,
		Records:  map[string]decimal.Decimal{},
	}
	res.Term = risk(runs, func(r *runFigures) money { return r.term })
	for _, y := range sortedYears(runs) {
		res.Years = append(res.Years, YearRisk{Year: y, Risk: risk(runs, func(r *runFigures) money {
			if m := r.years[y]; m != nil {
				return *m
			}
			return money{}
		})})
	}

	// The bad runs: penalties over the span at or above their P90.
	p90 := res.Term.Penalties.P90
	totalAll, totalTail := decimal.Zero, decimal.Zero
	for i := range runs {
		totalAll = totalAll.Add(runs[i].term.penalties)
		if !runs[i].term.penalties.LessThan(p90) {
			totalTail = totalTail.Add(runs[i].term.penalties)
		}
	}
	for ri, r := range sim.c.Rules() {
		var pen, bon, tail, breaches decimal.Decimal
		breachedRuns := 0
		for i := range runs {
			f := runs[i].rules[ri]
			pen, bon = pen.Add(f.penalty), bon.Add(f.bonus)
			if !runs[i].term.penalties.LessThan(p90) {
				tail = tail.Add(f.penalty)
			}
			breaches = breaches.Add(decimal.NewFromInt(int64(f.breached)))
			if f.breached > 0 {
				breachedRuns++
			}
		}
		res.Rules = append(res.Rules, RuleRisk{
			ID: r.ID, Name: r.Name,
			ExpectedPenalty:   pen.DivRound(n, 2),
			ExpectedBonus:     bon.DivRound(n, 2),
			Share:             ratio(pen, totalAll),
			TailShare:         ratio(tail, totalTail),
			BreachProbability: ratio(decimal.NewFromInt(int64(breachedRuns)), n),
			MeanBreaches:      ratio(breaches, n),
		})
	}
	for ci, k := range sim.capList() {
		hitRuns := 0
		var times, cut decimal.Decimal
		for i := range runs {
			c := runs[i].caps[ci]
			if c.hits > 0 {
				hitRuns++
			}
			times = times.Add(decimal.NewFromInt(int64(c.hits)))
			cut = cut.Add(c.cut)
		}
		res.Caps = append(res.Caps, CapRisk{Step: k.step, Rule: k.rule,
			Probability: ratio(decimal.NewFromInt(int64(hitRuns)), n),
			MeanTimes:   ratio(times, n),
			ExpectedCut: cut.DivRound(n, 2)})
	}
	counts := map[string]int{}
	seenWarning := map[string]bool{}
	for i := range runs {
		r := &runs[i]
		for src, c := range r.records {
			counts[src] += c
		}
		res.Rejected += r.rejected
		res.RuleErrors += r.errors
		for _, m := range r.messages {
			if len(res.Messages) < maxMessages {
				res.Messages = append(res.Messages, "run "+strconv.Itoa(i)+": "+m)
			}
		}
		for _, w := range r.warnings {
			if !seenWarning[w] {
				seenWarning[w] = true
				res.Warnings = append(res.Warnings, w)
			}
		}
	}
	for src, c := range counts {
		res.Records[src] = decimal.NewFromInt(int64(c)).DivRound(n, 1)
	}
	return res
}

// risk summarises one span over the runs.
func risk(runs []runFigures, get func(*runFigures) money) Risk {
	k := len(runs)
	inv, pen, bon, net, mar := make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k), make([]decimal.Decimal, k)
	var cost decimal.Decimal
	for i := range runs {
		m := get(&runs[i])
		inv[i], pen[i], bon[i], net[i], mar[i] = m.invoice, m.penalties, m.bonuses, m.net, m.margin()
		cost = m.cost
	}
	return Risk{Invoice: Summarize(inv), Penalties: Summarize(pen), Bonuses: Summarize(bon), Net: Summarize(net), Cost: cost, Margin: Summarize(mar)}
}
