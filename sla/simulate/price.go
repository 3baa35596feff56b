package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/pacte-sla/pacte/contract"
	"github.com/shopspring/decimal"
)

// PriceQuestion asks at which price the margin after penalties reaches a
// target: the lowest fixed fee or unit price of a work unit, or the
// highest discount on every price, at which the expected margin over the
// span reaches it, and at which the margin that 90 % of the runs reach
// (the margin's P10, the net penalty's P90) does.
type PriceQuestion struct {
	// Unit is the work unit whose fixed fee (its fixed key) or unit price
	// (its price key) varies; "" with Discount.
	Unit string
	// Discount varies a discount on every fixed fee, unit price and band
	// price of the contract instead, each rounded to the cent: the
	// answer is a share (0.035 for 3.5 %), negative for a rise.
	Discount bool
	// Target is the margin wanted over the span, in the contract's
	// currency, and TargetRate as a share of the invoice: a run reaches
	// the target when its margin is at least Target + TargetRate ×
	// its invoice.
	Target, TargetRate decimal.Decimal
	// Low and High bound the prices searched; default 0 and three times
	// the current price (at least 1,000), or a discount from −50 % to
	// 90 %.
	Low, High decimal.Decimal
	// Step is the resolution of the answer: default one unit of currency
	// for a fixed fee, a cent for a unit price, 0.0001 (a hundredth of a
	// point) for a discount.
	Step decimal.Decimal
	// Source is the contract's YAML text; nil to read its file.
	Source []byte
}

// PriceAnswer is the answer to a PriceQuestion: the prices found, and
// every price evaluated on the way, each on the same runs (the same
// records, so that two prices differ by the price alone).
type PriceAnswer struct {
	// What names the price: "fixed fee of FORFAIT-APP", "unit price of
	// UO-TEL" or "discount on every price".
	What       string          `json:"what"`
	Discount   bool            `json:"discount,omitempty"`
	Current    decimal.Decimal `json:"current"` // the contract's price; 0 for a discount
	Target     decimal.Decimal `json:"target"`
	TargetRate decimal.Decimal `json:"target_rate"`
	Step       decimal.Decimal `json:"step"`
	Runs       int             `json:"runs"`
	Seed       uint64          `json:"seed"`
	Antithetic bool            `json:"antithetic,omitempty"`
	Currency   string          `json:"currency"`
	// Expected is where the expected margin reaches the target; P90 where
	// the margin reached in 90 % of the runs does.
	Expected PriceFinding `json:"expected"`
	P90      PriceFinding `json:"p90"`
	// Candidates are the prices evaluated, by price; Grid marks the five
	// evenly spaced from Low to High that the search starts from.
	Candidates []PriceCandidate `json:"candidates"`
	// Passes is the number of times the runs were drawn: each pass
	// evaluates every price it asks on the same records.
	Passes int `json:"passes"`
}

// PriceFinding is the price at which a target is reached: the margin
// statistic reaches it at Price and misses it one Step less favourable
// to the provider, both evaluated on the same runs. Found is false when
// the target is not reached within the bounds (Price is then the most
// favourable bound), or already at the least favourable one (Price is
// that bound).
type PriceFinding struct {
	Found bool            `json:"found"`
	Price decimal.Decimal `json:"price"`
	// Margin is the statistic at Price (the mean, or the P10 of the
	// margin), with its interval; Missed the statistic one step before.
	Margin   decimal.Decimal `json:"margin"`
	MarginCI Interval        `json:"margin_ci"`
	Missed   decimal.Decimal `json:"missed"`
	Note     string          `json:"note,omitempty"`
}

// PriceCandidate is the risk over the span at one price.
type PriceCandidate struct {
	Price   decimal.Decimal `json:"price"`
	Grid    bool            `json:"grid,omitempty"`
	Invoice Distribution    `json:"invoice"`
	Net     Distribution    `json:"net"`
	Margin  Distribution    `json:"margin"`
	// Excess is, run by run, the margin less what the target asks: the
	// target is reached on average when its mean is at least zero, in 90
	// % of the runs when its P10 is.
	Excess Distribution `json:"excess"`
	Result *Result      `json:"-"`
}

// gridPoints is the number of evenly spaced prices the search starts from.
const gridPoints = 5

// maxPricePasses bounds the passes over the runs of a price search.
const maxPricePasses = 12

// FindPrice answers a price question on the simulation's runs. Each pass
// draws the runs once and evaluates them under the contract at every
// price it asks: first five prices evenly spaced between the bounds, then
// on each side of the crossing, by linear interpolation (the margin is
// close to linear in the price: the invoice is, and penalties follow it
// where they are a share of it), until the price at which the target is
// reached and the one a step before are both evaluated. The answer
// assumes that the margin does not fall as the price rises, which holds
// unless a penalty is more than the invoice it is a share of.
func FindPrice(ctx context.Context, sim *Simulation, q PriceQuestion, opts Options) (*PriceAnswer, error) {
	if opts.Precision.IsPositive() {
		return nil, questionError("a price search evaluates every price on the same runs: give a number of runs, not a precision")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	ps, err := newPriceSearch(sim, q, opts)
	if err != nil {
		return nil, err
	}
	if err := ps.run(ctx); err != nil {
		return nil, err
	}
	return ps.answer(), nil
}

// priceSearch walks the prices Low + k·Step (Low + High − … for a
// discount, so that the margin rises with k), k from 0 to last.
type priceSearch struct {
	sim    *Simulation
	q      PriceQuestion
	opts   Options
	src    []byte
	cur    decimal.Decimal
	what   string
	last   int
	seen   map[int]*PriceCandidate
	grid   []int
	passes int
}

func newPriceSearch(sim *Simulation, q PriceQuestion, opts Options) (*priceSearch, error) {
	src, err := contractSource(sim.c, q.Source)
	if err != nil {
		return nil, questionError("%v", err)
	}
	ps := &priceSearch{sim: sim, q: q, opts: opts, src: src, seen: map[int]*PriceCandidate{}}
	if err := ps.defaults(); err != nil {
		if !errors.Is(err, ErrQuestion) {
			err = questionError("%v", err)
		}
		return nil, err
	}
	if !ps.q.High.GreaterThan(ps.q.Low) || !ps.q.Step.IsPositive() {
		return nil, questionError("price bounds %s to %s by %s: want low < high and a step > 0", ps.q.Low, ps.q.High, ps.q.Step)
	}
	steps := ps.q.High.Sub(ps.q.Low).Div(ps.q.Step).Ceil()
	if steps.GreaterThan(decimal.NewFromInt(1e9)) {
		return nil, questionError("%s steps between the price bounds: want a coarser step", steps)
	}
	ps.last = int(steps.IntPart())
	for i := range gridPoints {
		ps.grid = append(ps.grid, ps.last*i/(gridPoints-1))
	}
	slices.Sort(ps.grid)
	ps.grid = slices.Compact(ps.grid)
	return ps, nil
}

// defaults fills the question's bounds and step, and names the price.
func (ps *priceSearch) defaults() error {
	q := &ps.q
	switch {
	case q.Discount && q.Unit != "":
		return questionError("ask for a unit's price or for a discount, not both")
	case q.Discount:
		ps.what = "discount on every price"
		if q.Low.IsZero() && q.High.IsZero() {
			q.Low, q.High = decimal.RequireFromString("-0.5"), decimal.RequireFromString("0.9")
		}
		if q.Step.IsZero() {
			q.Step = decimal.New(1, -4)
		}
		return nil
	case q.Unit == "":
		return questionError("say which work unit's price varies, or ask for a discount")
	}
	_, wu, err := workUnits(ps.src)
	if err != nil {
		return err
	}
	_, key, err := unitPrice(wu, q.Unit)
	if err != nil {
		return err
	}
	if ps.cur, err = currentPrice(ps.src, q.Unit); err != nil {
		return err
	}
	ps.what = "unit price of " + q.Unit
	if key == "fixed" {
		ps.what = "fixed fee of " + q.Unit
	}
	if q.Low.IsZero() && q.High.IsZero() {
		q.High = decimal.Max(ps.cur.Mul(decimal.NewFromInt(3)), decimal.NewFromInt(1000))
	}
	if q.Step.IsZero() {
		q.Step = decimal.NewFromInt(1)
		if key == "price" {
			q.Step = decimal.New(1, -2)
		}
	}
	return nil
}

// price is the price at step k.
func (ps *priceSearch) price(k int) decimal.Decimal {
	off := ps.q.Step.Mul(decimal.NewFromInt(int64(k)))
	if ps.q.Discount {
		return decimal.Min(ps.q.High, decimal.Max(ps.q.Low, ps.q.High.Sub(off)))
	}
	return decimal.Min(ps.q.High, ps.q.Low.Add(off))
}

func (ps *priceSearch) contractAt(k int) (*contract.Contract, error) {
	var c *contract.Contract
	var err error
	if ps.q.Discount {
		c, err = discounted(ps.src, ps.sim.c.File(), ps.price(k))
	} else {
		c, err = repriceUnit(ps.src, ps.sim.c.File(), ps.q.Unit, ps.price(k))
	}
	if err != nil {
		return nil, questionError("the contract at %s: %v", ps.price(k), err)
	}
	if err := sameShape(ps.sim.c, c); err != nil {
		return nil, questionError("the contract at %s: %v", ps.price(k), err)
	}
	return c, nil
}

// evaluate evaluates the steps not yet seen, in one pass over the runs.
func (ps *priceSearch) evaluate(ctx context.Context, ks []int) error {
	var todo []int
	for _, k := range ks {
		if _, ok := ps.seen[k]; !ok && k >= 0 && k <= ps.last && !slices.Contains(todo, k) {
			todo = append(todo, k)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	cs := make([]*contract.Contract, len(todo))
	for i, k := range todo {
		c, err := ps.contractAt(k)
		if err != nil {
			return err
		}
		cs[i] = c
	}
	results, err := ps.sim.runContracts(ctx, cs, ps.opts)
	if err != nil {
		return err
	}
	ps.passes++
	for i, k := range todo {
		ps.seen[k] = ps.candidate(k, results[i])
	}
	return nil
}

// candidate summarises the result at step k.
func (ps *priceSearch) candidate(k int, res *Result) *PriceCandidate {
	d := resultDesign(res)
	excess := make([]decimal.Decimal, len(res.Figures))
	for i, f := range res.Figures {
		margin := f.Term.Invoice.Sub(f.Term.Net).Sub(res.Term.Cost)
		excess[i] = margin.Sub(ps.q.Target).Sub(ps.q.TargetRate.Mul(f.Term.Invoice))
	}
	return &PriceCandidate{Price: ps.price(k), Grid: slices.Contains(ps.grid, k), Invoice: res.Term.Invoice, Net: res.Term.Net,
		Margin: res.Term.Margin, Excess: d.summarize(excess, map[int][2]int{}, false), Result: res}
}

func resultDesign(r *Result) design {
	if r.Antithetic {
		return pairs
	}
	return independent
}

// The statistics a price search targets: the mean of the runs' excess
// over the target, and its P10 (the margin reached in 90 % of the runs).
type priceTarget struct {
	excess func(*PriceCandidate) decimal.Decimal
	margin func(*PriceCandidate) (decimal.Decimal, Interval)
}

var priceTargets = [2]priceTarget{
	{func(c *PriceCandidate) decimal.Decimal { return c.Excess.Mean },
		func(c *PriceCandidate) (decimal.Decimal, Interval) { return c.Margin.Mean, c.Margin.MeanCI }},
	{func(c *PriceCandidate) decimal.Decimal { return c.Excess.P10 },
		func(c *PriceCandidate) (decimal.Decimal, Interval) { return c.Margin.P10, c.Margin.P10CI }},
}

// bracket returns, among the steps evaluated, the first at which the
// target is reached (hi; −1 for none) and the last before it (lo; −1
// for none).
func (ps *priceSearch) bracket(t priceTarget) (lo, hi int) {
	ks := slices.Sorted(func(yield func(int) bool) {
		for k := range ps.seen {
			if !yield(k) {
				return
			}
		}
	})
	lo, hi = -1, -1
	for _, k := range ks {
		if !t.excess(ps.seen[k]).IsNegative() {
			hi = k
			break
		}
		lo = k
	}
	return lo, hi
}

// settled reports whether a bracket needs no more evaluation.
func settled(lo, hi int) bool { return hi < 0 || hi == 0 || hi-lo == 1 }

// run evaluates the grid, then both sides of each crossing.
func (ps *priceSearch) run(ctx context.Context) error {
	if err := ps.evaluate(ctx, ps.grid); err != nil {
		return err
	}
	var walks [len(priceTargets)]falsi
	for ps.passes < maxPricePasses {
		var ask []int
		for i, t := range priceTargets {
			lo, hi := ps.bracket(t)
			if settled(lo, hi) {
				continue
			}
			c := walks[i].next(lo, hi, t.excess(ps.seen[lo]).InexactFloat64(), t.excess(ps.seen[hi]).InexactFloat64())
			ask = append(ask, c, c-1)
		}
		if len(ask) == 0 {
			return nil
		}
		if err := ps.evaluate(ctx, ask); err != nil {
			return err
		}
	}
	return nil
}

// falsi is the state of the Illinois variant of regula falsi on the
// steps of one target: the next step is where the line through the
// bracket's ends reaches the target, except that an end kept twice in a
// row has its value halved (so that the other end, creeping towards the
// crossing by small steps, is not all that moves), and the bracket is
// halved when falsiPatience steps in a row failed to halve it.
// falsiPatience is how many steps in a row may fail to halve the bracket
// before the next one halves it.
const falsiPatience = 4

type falsi struct {
	started bool
	lo, hi  int        // the bracket at the last step
	kept    int        // the end the last step kept: 0 lo, 1 hi, −1 neither
	scale   [2]float64 // on the values of lo and hi
	width   int        // the bracket's width at the last step
	slow    int        // steps in a row that did not halve the bracket
}

// next returns the next step inside the bracket (lo, hi), whose ends'
// excesses over the target are sLo < 0 ≤ sHi.
func (f *falsi) next(lo, hi int, sLo, sHi float64) int {
	kept := -1
	switch {
	case !f.started:
		f.started, f.kept = true, -1
	case lo != f.lo && hi == f.hi:
		kept = 1
	case hi != f.hi && lo == f.lo:
		kept = 0
	}
	switch {
	case kept < 0:
		f.scale = [2]float64{1, 1}
	case kept == f.kept: // the same end kept twice in a row: lean away from it
		f.scale[kept] /= 2
		f.scale[1-kept] = 1
	default:
		f.scale = [2]float64{1, 1}
	}
	f.kept = kept
	if f.width > 0 && 2*(hi-lo) > f.width {
		f.slow++
	} else {
		f.slow = 0
	}
	f.lo, f.hi, f.width = lo, hi, hi-lo
	c := hi
	if sLo, sHi = sLo*f.scale[0], sHi*f.scale[1]; sHi > sLo {
		c = lo + int(math.Ceil(-sLo/(sHi-sLo)*float64(hi-lo)))
	}
	if f.slow >= falsiPatience {
		c, f.slow = lo+(hi-lo+1)/2, 0
	}
	return min(max(c, lo+1), hi-1)
}

// answer lays the search out.
func (ps *priceSearch) answer() *PriceAnswer {
	a := &PriceAnswer{What: ps.what, Discount: ps.q.Discount, Current: ps.cur, Target: ps.q.Target, TargetRate: ps.q.TargetRate,
		Step: ps.q.Step, Runs: ps.opts.Runs, Seed: ps.opts.Seed, Antithetic: ps.opts.Antithetic, Currency: ps.sim.c.Currency(), Passes: ps.passes}
	for _, c := range ps.seen {
		a.Candidates = append(a.Candidates, *c)
	}
	slices.SortFunc(a.Candidates, func(x, y PriceCandidate) int { return x.Price.Cmp(y.Price) })
	a.Expected, a.P90 = ps.finding(priceTargets[0]), ps.finding(priceTargets[1])
	return a
}

func (ps *priceSearch) finding(t priceTarget) PriceFinding {
	lo, hi := ps.bracket(t)
	switch {
	case hi < 0:
		c := ps.seen[lo]
		f := PriceFinding{Price: c.Price, Note: "not reached within the bounds"}
		f.Margin, f.MarginCI = t.margin(c)
		return f
	case hi == 0:
		c := ps.seen[hi]
		f := PriceFinding{Price: c.Price, Note: "reached already at the bound"}
		f.Margin, f.MarginCI = t.margin(c)
		return f
	}
	c := ps.seen[hi]
	f := PriceFinding{Found: hi-lo == 1, Price: c.Price}
	f.Margin, f.MarginCI = t.margin(c)
	f.Missed, _ = t.margin(ps.seen[lo])
	if !f.Found {
		f.Note = fmt.Sprintf("not settled in %d passes: between %s and %s", maxPricePasses, ps.seen[lo].Price, c.Price)
	}
	return f
}
