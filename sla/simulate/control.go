package simulate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Control variates (Options.Controls; see the package documentation):
// indicators of each run's draws whose probabilities the scenario gives
// in closed form correct the runs' distribution function. With C a run's
// indicators, p their probabilities and C̄ their mean over the runs, the
// controlled distribution function at y is the regression estimator
//
//	F̂(y) = mean(1{Y ≤ y}) − β(y)·(C̄ − p),
//
// β(y) the least-squares coefficients of 1{Y ≤ y} on C. It equals a
// weighted empirical distribution function, Σ ωᵢ 1{Yᵢ ≤ y}, with the same
// weights at every y: ωᵢ = (1 − (Cᵢ − C̄)·S⁻¹(C̄ − p)) / n, S the sum of
// the centered controls' cross-products over n. Its variance at y is
// that of the regression's residuals.

// tally counts, in one run, the tickets of each class that take longer
// than each of the class's thresholds to restore, month by month.
type tally struct {
	months    int
	threshold [][]time.Duration // by class
	offset    []int             // by class: where its counts start
	counts    []int32           // by class, month, threshold
}

func newTally(months int, threshold [][]time.Duration) *tally {
	tl := &tally{months: months, threshold: threshold, offset: make([]int, len(threshold))}
	n := 0
	for c, th := range threshold {
		tl.offset[c] = n
		n += months * len(th)
	}
	tl.counts = make([]int32, n)
	return tl
}

func (tl *tally) add(class, month int, work time.Duration) {
	th := tl.threshold[class]
	k := tl.offset[class] + month*len(th)
	for j, t := range th {
		if work > t {
			tl.counts[k+j]++
		}
	}
}

// long is the number of tickets of class opened in month that took
// longer than its threshold j.
func (tl *tally) long(class, month, j int) int {
	return int(tl.counts[tl.offset[class]+month*len(tl.threshold[class])+j])
}

// controlFit is the regression of the runs' figures on their controls:
// the weights of the controlled distribution function, and what the
// residuals' variance needs.
type controlFit struct {
	units    int
	weight   []float64   // by run: the unit's weight shared among its runs
	centered [][]float64 // by unit: the controls less their mean, the active ones
	chol     [][]float64 // Cholesky factor of Σ centered·centeredᵀ
	df       int         // degrees of freedom of the residuals
}

// fitControls fits the controls of the runs (controls[i] those of run i)
// against their expectations mu; nil when the units are too few for the
// controls: fewer than ten a control, or fewer than ten off either
// extreme of a control (a stratum that holds few runs yet), since the
// residuals' variance would then be too rough an estimate. Controls that
// the others explain are left out.
func (d design) fitControls(controls [][]float64, mu []float64) *controlFit {
	n, q := len(controls), len(mu)
	u := d.units(n)
	if q == 0 || u < 10*(q+1) {
		return nil
	}
	x := make([][]float64, u) // unit means
	mean := make([]float64, q)
	for j := range u {
		x[j] = make([]float64, q)
		for i := j * int(d); i < (j+1)*int(d); i++ {
			for k := range q {
				x[j][k] += controls[i][k] / float64(int(d))
			}
		}
		for k := range q {
			mean[k] += x[j][k]
		}
	}
	for k := range q {
		mean[k] /= float64(u)
	}
	for j := range u {
		for k := range q {
			x[j][k] -= mean[k]
		}
	}
	cols := spread(x, q)
	if len(cols) < q {
		return nil
	}
	active, chol := choleskyActive(x, cols)
	if len(active) == 0 {
		return nil
	}
	f := &controlFit{units: u, chol: chol, df: u - len(active) - 1, weight: make([]float64, n)}
	f.centered = make([][]float64, u)
	for j := range u {
		f.centered[j] = make([]float64, len(active))
		for a, k := range active {
			f.centered[j][a] = x[j][k]
		}
	}
	dev := make([]float64, len(active)) // (C̄ − μ)·u, S = Σ/u
	for a, k := range active {
		dev[a] = (mean[k] - mu[k]) * float64(u)
	}
	coef := cholSolve(chol, dev)
	for j := range u {
		w := 1 - dot(f.centered[j], coef)
		for i := j * int(d); i < (j+1)*int(d); i++ {
			f.weight[i] = w / float64(n)
		}
	}
	return f
}

// minSpread is how many units must lie off each extreme of a control for
// it to be used.
const minSpread = 10

// spread returns the columns of x with at least minSpread rows above
// their least value and as many below their greatest.
func spread(x [][]float64, q int) []int {
	var out []int
	for k := range q {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, row := range x {
			lo, hi = min(lo, row[k]), max(hi, row[k])
		}
		above, below := 0, 0
		for _, row := range x {
			above += b2i(row[k] > lo)
			below += b2i(row[k] < hi)
		}
		if above >= minSpread && below >= minSpread {
			out = append(out, k)
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// choleskyActive factors the cross-products of the centered controls,
// column by column among cols, leaving out a column whose part not
// explained by the columns before is below 10⁻⁹ of its sum of squares:
// the controls kept, and the lower-triangular factor of their
// cross-products.
func choleskyActive(x [][]float64, cols []int) ([]int, [][]float64) {
	var active []int
	var l [][]float64
	for _, k := range cols {
		col := make([]float64, len(active)+1) // cross-products with the active ones, then itself
		for _, row := range x {
			for a, c := range active {
				col[a] += row[k] * row[c]
			}
			col[len(active)] += row[k] * row[k]
		}
		ss := col[len(active)]
		row := make([]float64, len(active)+1)
		for a := range active {
			s := col[a]
			for b := range a {
				s -= row[b] * l[a][b]
			}
			row[a] = s / l[a][a]
		}
		rest := ss
		for a := range active {
			rest -= row[a] * row[a]
		}
		if !(ss > 0) || rest <= 1e-9*ss {
			continue
		}
		row[len(active)] = math.Sqrt(rest)
		active = append(active, k)
		l = append(l, row)
	}
	return active, l
}

// cholSolve solves L·Lᵀ·x = b.
func cholSolve(l [][]float64, b []float64) []float64 {
	q := len(b)
	y := make([]float64, q)
	for i := range q {
		s := b[i]
		for j := range i {
			s -= l[i][j] * y[j]
		}
		y[i] = s / l[i][i]
	}
	x := make([]float64, q)
	for i := q - 1; i >= 0; i-- {
		s := y[i]
		for j := i + 1; j < q; j++ {
			s -= l[j][i] * x[j]
		}
		x[i] = s / l[i][i]
	}
	return x
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// residualSE is the standard error of the controlled estimate of the
// mean of v, the units' values: the residuals of v's regression on the
// controls, their sum of squares over u·df.
func (f *controlFit) residualSE(v []float64) float64 {
	u, q := f.units, len(f.chol)
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(u)
	sxv := make([]float64, q)
	for j := range u {
		for a := range q {
			sxv[a] += f.centered[j][a] * (v[j] - m)
		}
	}
	beta := cholSolve(f.chol, sxv)
	ss := 0.0
	for j := range u {
		e := v[j] - m - dot(f.centered[j], beta)
		ss += e * e
	}
	return math.Sqrt(ss / float64(u*f.df))
}

// controlledCDF is the controlled distribution function of a figure's
// values: their order, and the function at each, over its ties, made
// non-decreasing.
type controlledCDF struct {
	values []decimal.Decimal
	order  []int
	cdf    []float64
}

// cdf returns the controlled distribution function of values, one a run.
func (f *controlFit) cdf(values []decimal.Decimal) controlledCDF {
	n := len(values)
	c := controlledCDF{values: values, order: make([]int, n), cdf: make([]float64, n)}
	for i := range c.order {
		c.order[i] = i
	}
	slices.SortStableFunc(c.order, func(a, b int) int { return values[a].Cmp(values[b]) })
	s, top := 0.0, math.Inf(-1)
	for k := 0; k < n; {
		e := k
		for e < n && values[c.order[e]].Equal(values[c.order[k]]) {
			s += f.weight[c.order[e]]
			e++
		}
		top = max(top, s)
		for i := k; i < e; i++ {
			c.cdf[i] = top
		}
		k = e
	}
	return c
}

// quantile returns the p-th percentile of the values under the controlled
// distribution function c, and Woodruff's interval from it.
func (f *controlFit) quantile(d design, c controlledCDF, p int) (decimal.Decimal, Interval) {
	values, order, cdf := c.values, c.order, c.cdf
	n := len(values)
	level := float64(p) / 100
	// first is the index of the first value at which the function
	// reaches l (n for none); the sums of n weights of 1/n reach k/n to
	// within slack.
	const slack = 1e-9
	first := func(l float64) int {
		k, _ := slices.BinarySearchFunc(cdf, l, func(c, t float64) int { return cmp.Compare(c, t) })
		return k
	}
	ke := min(first(level-slack), n-1)
	est := values[order[ke]]
	shares := make([]float64, f.units)
	for j := range f.units {
		for i := j * int(d); i < (j+1)*int(d); i++ {
			if !values[i].GreaterThan(est) {
				shares[j]++
			}
		}
		shares[j] /= float64(int(d))
	}
	half := t975(f.df) * f.residualSE(shares)
	var iv Interval
	// The lower bound: the largest value at which the function is at most
	// level − half; the upper, the smallest at which it reaches level + half.
	if lo := first(level-half+slack) - 1; lo >= 0 && level-half > 0 {
		iv.Low = bound(values[order[lo]])
	}
	if hi := first(level + half - slack); hi < n && level+half < 1 {
		iv.High = bound(values[order[hi]])
	}
	return est, iv
}

// ControlVariate is one control of a simulation drawn with
// Options.Controls: an indicator of each run's draws whose probability
// the scenario gives in closed form. A ticket class's control (scenario
// key tickets[].controls) looks at the months, after the contract's
// observation period, in which at least AtLeast of its tickets take
// longer than LongerThan to restore: what such a month costs is about
// proportional to its invoice, and a contract that repeats a penalty
// multiplies it after a month that had one. So each such month weighs
// its volume factor (growth times seasonality), times the contract's
// repeat factor after another such month; the indicators say whether
// the weight of a run's months reaches each of a few thresholds, chosen
// so that their probabilities spread over (0, 1): post-strata of the
// runs.
type ControlVariate struct {
	Name string `json:"name"` // "months with 2+ incident P1 restored in over 4h0m0s, weighing 3.5+"
	// Probability is the probability that a run's indicator is 1.
	Probability float64 `json:"probability"`

	months *weightedMonths
	least  int // the weight reached, in hundredths
}

// weightedMonths is the weight of the months in which a class's tickets
// took long: each month counted weighs weight[m], or again[m] after
// another, in hundredths.
type weightedMonths struct {
	class, threshold, atLeast int
	from                      int // the first month counted
	weight, again             []int
}

// of is the weight of the months of a run's tally.
func (w *weightedMonths) of(tl *tally) int {
	s, prev := 0, false
	for mi := w.from; mi < tl.months; mi++ {
		cur := tl.long(w.class, mi, w.threshold) >= w.atLeast
		if cur && prev {
			s += w.again[mi]
		} else if cur {
			s += w.weight[mi]
		}
		prev = cur
	}
	return s
}

// value is the control's indicator in a run's tally.
func (c ControlVariate) value(tl *tally) int {
	if c.months.of(tl) >= c.least {
		return 1
	}
	return 0
}

// minStratum is the least probability of a control's indicator, and of
// its complement: rarer strata are left out, as too few runs would
// estimate their effect.
const minStratum = 0.03

// strataLevels are the probabilities near which the indicators of a
// control are set.
var strataLevels = []float64{0.97, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03}

// controls returns the control variates the scenario declares, and the
// thresholds of the tally that counts them.
func (sim *Simulation) controls() ([][]time.Duration, []ControlVariate) {
	threshold := make([][]time.Duration, len(sim.classes))
	from := 0
	pl := sim.c.Pipeline()
	if o := pl.Observation; o != nil {
		for from < len(sim.months) && !sim.months[from].start.After(o.Until) {
			from++
		}
	}
	again := 1.0
	if r := pl.Repeat; r != nil && r.Consecutive == 2 {
		again = r.Factor.InexactFloat64()
	}
	var out []ControlVariate
	for ci, tc := range sim.classes {
		class := strings.TrimSpace(tc.Kind + " " + tc.Priority + " " + tc.Category)
		for _, ctl := range tc.Controls {
			k := max(ctl.AtLeast, 1)
			p := tc.restore.exceeds(ctl.LongerThan)
			w := &weightedMonths{class: ci, threshold: len(threshold[ci]), atLeast: k, from: from,
				weight: make([]int, len(sim.months)), again: make([]int, len(sim.months))}
			threshold[ci] = append(threshold[ci], ctl.LongerThan)
			// The months counted are independent, each reaching k
			// long tickets with its Poisson probability.
			reach := make([]float64, len(sim.months))
			for mi, m := range sim.months {
				reach[mi] = poissonAtLeast(tc.PerMonth*m.factor*p, k)
				w.weight[mi] = int(math.Round(100 * m.factor))
				w.again[mi] = int(math.Round(100 * m.factor * again))
			}
			survival := w.distribution(reach)
			// survival[x] = P(weight ≥ x); for each level, the largest x
			// whose probability is still at least the level.
			x := len(survival) - 1
			for _, level := range slices.Backward(strataLevels) {
				for x > 0 && survival[x] < level {
					x--
				}
				pr := survival[x]
				if pr < minStratum || pr > 1-minStratum || (len(out) > 0 && out[len(out)-1].months == w && out[len(out)-1].least == x) {
					continue
				}
				out = append(out, ControlVariate{Name: fmt.Sprintf("months with %d+ %s restored in over %s, weighing %.2f+", k, class, ctl.LongerThan, float64(x)/100),
					Probability: pr, months: w, least: x})
			}
		}
	}
	return threshold, out
}

// distribution returns the survival function of the weight of the
// months, P(weight ≥ x) for x from 0, each month reaching the count
// independently with its probability in reach. It follows the months
// one by one, with the probability of each weight so far and whether
// the last month reached the count.
func (w *weightedMonths) distribution(reach []float64) []float64 {
	dist := [2][]float64{{1}, {0}} // by whether the last month reached it
	for mi := w.from; mi < len(reach); mi++ {
		p := reach[mi]
		n := len(dist[0]) + max(w.weight[mi], w.again[mi])
		next := [2][]float64{make([]float64, n), make([]float64, n)}
		for last, d := range dist {
			add := w.weight[mi]
			if last == 1 {
				add = w.again[mi]
			}
			for i, q := range d {
				next[0][i] += q * (1 - p)
				next[1][i+add] += q * p
			}
		}
		dist = next
	}
	survival := make([]float64, len(dist[0]))
	s := 0.0
	for x := len(survival) - 1; x >= 0; x-- {
		s += dist[0][x] + dist[1][x]
		survival[x] = s
	}
	return survival
}

// poissonAtLeast is P(X ≥ k) for X ~ Poisson(mean).
func poissonAtLeast(mean float64, k int) float64 {
	if k <= 0 {
		return 1
	}
	below, term := 0.0, math.Exp(-mean)
	for j := range k {
		below += term
		term *= mean / float64(j+1)
	}
	return max(0, 1-below)
}

// exceeds returns the probability that a draw of the sampler exceeds d.
func (s *sampler) exceeds(d time.Duration) float64 {
	switch s.form {
	case 'l', formLognormalInv:
		return 0.5 * math.Erfc((math.Log(float64(d))-s.mu)/s.sigma/math.Sqrt2)
	case 'e', formExponentialInv:
		return math.Exp(-float64(d) / s.mean)
	case 'v':
		above := 0
		for _, v := range s.values {
			if v > d {
				above++
			}
		}
		return float64(above) / float64(len(s.values))
	}
	if s.fixed > d {
		return 1
	}
	return 0
}
