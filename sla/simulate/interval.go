package simulate

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/shopspring/decimal"
)

// Interval is a 95 % confidence interval of a figure estimated from the
// runs: the procedure that gives it contains the figure's true value
// (what infinitely many runs would give) in 95 % of simulations. A side
// is nil when the runs are too few to bound the figure on that side (a
// P99 from fewer than 368 independent runs has no upper bound); JSON
// writes it as null. Bounds of amounts are values of the runs or are
// rounded outward to the cent; bounds of probabilities and shares to
// four places, outward.
type Interval struct {
	Low  *decimal.Decimal `json:"low"`
	High *decimal.Decimal `json:"high"`
}

// HalfWidth is half the interval's width, or false when a side is
// unbounded.
func (i Interval) HalfWidth() (decimal.Decimal, bool) {
	if i.Low == nil || i.High == nil {
		return decimal.Zero, false
	}
	return i.High.Sub(*i.Low).Div(decimal.NewFromInt(2)), true
}

// Reach is how far the interval extends from the estimate est, on its
// farther side: est is within ± that of the truth. False when a side is
// unbounded. A percentile's interval is lopsided, so its reach can be
// well over its half-width.
func (i Interval) Reach(est decimal.Decimal) (decimal.Decimal, bool) {
	if i.Low == nil || i.High == nil {
		return decimal.Zero, false
	}
	return decimal.Max(est.Sub(*i.Low), i.High.Sub(est)), true
}

func bound(d decimal.Decimal) *decimal.Decimal { return &d }

// design is how the runs group into independent units, the runs of one
// unit being dependent: one run a unit for independent runs, the two
// runs of a pair for antithetic ones. Estimates are over runs; their
// intervals are computed from the variability between units. Runs are
// in order, the runs of a unit side by side.
type design int // runs a unit

// The designs.
const (
	independent design = 1
	pairs       design = 2
)

func (d design) units(n int) int { return n / int(d) }

// pairFloor is how negatively two indicators of probability p, the two
// runs of a pair, can be correlated: at most min(p, 1−p)/max(p, 1−p)
// (two events of probability 0.1 that never happen together are
// correlated −1/9). So the variance of a proportion estimated from pairs
// is at least 1 − pairFloor(p) times its value for independent runs,
// whatever the pairing: the floor under a variance estimated from the
// pairs, which may by chance fall lower.
func pairFloor(p float64) float64 {
	if p <= 0 || p >= 1 {
		return 0
	}
	return min(p, 1-p) / max(p, 1-p)
}

// mean returns the mean of values rounded to places (half away from
// zero), and Student's t interval: mean ± t(u−1) · s/√u, where s is the
// standard deviation of the units' means and u their number. The half
// width is computed in float64 and rounded up to places.
func (d design) mean(values []decimal.Decimal, places int32) (decimal.Decimal, Interval) {
	n := len(values)
	if n == 0 {
		return decimal.Zero, Interval{}
	}
	sum := decimal.Zero
	for _, v := range values {
		sum = sum.Add(v)
	}
	mean := sum.DivRound(decimal.NewFromInt(int64(n)), places)
	u := d.units(n)
	if u < 2 {
		return mean, Interval{}
	}
	unitMeans := make([]float64, u)
	for j := range u {
		s := 0.0
		for _, v := range values[j*int(d) : (j+1)*int(d)] {
			s += v.InexactFloat64()
		}
		unitMeans[j] = s / float64(int(d))
	}
	half := t975(u-1) * math.Sqrt(variance(unitMeans)/float64(u))
	return mean, around(mean, half, places)
}

// nonNegative cuts the interval of a figure that cannot be negative (an
// amount of penalties, a count) at zero: cut to the values the figure
// can take, it contains the figure as often.
func nonNegative(mean decimal.Decimal, iv Interval) (decimal.Decimal, Interval) {
	if iv.Low != nil && iv.Low.IsNegative() {
		iv.Low = bound(decimal.Zero)
	}
	return mean, iv
}

// variance is the sample variance of xs (n − 1 in the denominator),
// in two passes.
func variance(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}

// around is the interval center ± half, half rounded up to places.
func around(center decimal.Decimal, half float64, places int32) Interval {
	if math.IsNaN(half) || math.IsInf(half, 0) {
		return Interval{}
	}
	h := decimal.NewFromFloat(half).RoundCeil(places)
	return Interval{Low: bound(center.Sub(h)), High: bound(center.Add(h))}
}

// quantile returns the p-th percentile of the runs' values by the
// nearest rank, and its interval; sorted is values sorted. For
// independent runs the interval is the distribution-free one of order
// statistics ([orderRanks]); for units of several runs, Woodruff's: the
// values at the levels p ∓ t·se, where se is the standard error of the
// share of runs at or below the estimate, computed from the units (see
// doc.go). ranks, when not nil, caches the order statistics' ranks by
// level for this number of runs.
func (d design) quantile(values, sorted []decimal.Decimal, p int, ranks map[int][2]int) (decimal.Decimal, Interval) {
	n := len(sorted)
	if n == 0 {
		return decimal.Zero, Interval{}
	}
	est := sorted[nearestRank(p, n)]
	var lo, hi int // ranks from 1; 0 for none
	if int(d) == 1 {
		r, ok := ranks[p]
		if !ok {
			r[0], r[1] = orderRanks(n, float64(p)/100)
			if ranks != nil {
				ranks[p] = r
			}
		}
		lo, hi = r[0], r[1]
	} else {
		lo, hi = d.woodruffRanks(values, est, float64(p)/100)
	}
	var iv Interval
	if lo >= 1 {
		iv.Low = bound(sorted[lo-1])
	}
	if hi >= 1 && hi <= n {
		iv.High = bound(sorted[hi-1])
	}
	return est, iv
}

// woodruffRanks returns the ranks that bound the p-quantile of runs
// grouped in units: ⌊n·(p − t·se)⌋ and ⌈n·(p + t·se)⌉, where se is the
// standard error of the share of runs at or below est estimated from the
// units' shares, and never below what the pairing allows ([pairFloor]).
// For independent runs these are the order-statistic interval's ranks
// to within one.
func (d design) woodruffRanks(values []decimal.Decimal, est decimal.Decimal, p float64) (lo, hi int) {
	n, u := len(values), d.units(len(values))
	if u < 2 {
		return 0, 0
	}
	shares := make([]float64, u)
	for j := range u {
		c := 0
		for _, v := range values[j*int(d) : (j+1)*int(d)] {
			if !v.GreaterThan(est) {
				c++
			}
		}
		shares[j] = float64(c) / float64(int(d))
	}
	v := max(variance(shares)/float64(u), p*(1-p)*(1-pairFloor(p))/float64(n))
	half := t975(u-1) * math.Sqrt(v)
	if l := math.Floor(float64(n) * (p - half)); l >= 1 {
		lo = int(l)
	}
	if h := math.Ceil(float64(n) * (p + half)); h <= float64(n) {
		hi = int(h)
	}
	return lo, hi
}

// proportion returns the share of runs for which hit is true, rounded to
// four places, and Wilson's interval. For units of several runs the
// number of runs is replaced by the effective number that gives the
// variance measured between units (Kish's design effect), bounded by
// what the pairing allows ([pairFloor]).
func (d design) proportion(hit []bool) (decimal.Decimal, Interval) {
	n := len(hit)
	if n == 0 {
		return decimal.Zero, Interval{}
	}
	k := 0
	for _, h := range hit {
		if h {
			k++
		}
	}
	p := float64(k) / float64(n)
	eff := float64(n)
	if u := d.units(n); int(d) > 1 && u >= 2 && k > 0 && k < n {
		shares := make([]float64, u)
		for j := range u {
			for _, h := range hit[j*int(d) : (j+1)*int(d)] {
				if h {
					shares[j]++
				}
			}
			shares[j] /= float64(int(d))
		}
		limit := float64(n) / (1 - pairFloor(p))
		eff = limit
		if v := variance(shares) / float64(u); v > 0 {
			eff = min(p*(1-p)/v, limit)
		}
	}
	lo, hi := wilson(p, eff)
	est := decimal.NewFromInt(int64(k)).DivRound(decimal.NewFromInt(int64(n)), ratioPlaces)
	return est, Interval{Low: bound(decimal.NewFromFloat(lo).RoundFloor(ratioPlaces)),
		High: bound(decimal.NewFromFloat(hi).RoundCeil(ratioPlaces))}
}

// ratio returns Σnum / Σden rounded to four places (zero when Σden is
// zero), and its interval by the delta method over the units: a ratio of
// two means is asymptotically normal with the variance of
// (num − R·den) / mean(den), bounded to [0, 1] since it is a share.
func (d design) ratio(num, den []decimal.Decimal) (decimal.Decimal, Interval) {
	sn, sd := decimal.Zero, decimal.Zero
	for i := range num {
		sn, sd = sn.Add(num[i]), sd.Add(den[i])
	}
	est := ratio(sn, sd)
	u := d.units(len(num))
	if sd.IsZero() || u < 2 {
		return est, Interval{}
	}
	r := sn.InexactFloat64() / sd.InexactFloat64()
	resid := make([]float64, u)
	denMean := sd.InexactFloat64() / float64(u)
	for j := range u {
		for i := j * int(d); i < (j+1)*int(d); i++ {
			resid[j] += num[i].InexactFloat64() - r*den[i].InexactFloat64()
		}
	}
	// The residuals' mean is zero by construction: their variance is the
	// sum of squares over u − 1.
	half := t975(u-1) * math.Sqrt(variance(resid)/float64(u)) / math.Abs(denMean)
	iv := around(est, half, ratioPlaces)
	if iv.Low != nil {
		iv.Low = bound(decimal.Max(*iv.Low, decimal.Zero))
		iv.High = bound(decimal.Min(*iv.High, decimal.NewFromInt(1)))
	}
	return est, iv
}

// bootstrapResamples is the number of resamples of a bootstrap interval.
const bootstrapResamples = 1000

// tailShares returns, for each rule, a percentile bootstrap interval of
// its share of the penalties in the runs at or above the P90 of the
// penalties: the units are resampled with replacement, the P90 and the
// shares computed again each time, and the interval is between the
// 2.5th and 97.5th percentiles of the resampled shares. The P90 moves
// with the resample, which a delta-method interval would have to model;
// the bootstrap carries it. The resamples are drawn from a generator
// seeded with the simulation's seed: the same runs give the same
// intervals.
func (d design) tailShares(total []decimal.Decimal, rules [][]decimal.Decimal, seed uint64) []Interval {
	n, u := len(total), d.units(len(total))
	out := make([]Interval, len(rules))
	if u < 2 {
		return out
	}
	order, tot := sortedOrder(total)
	per := make([][]float64, len(rules))
	for k, vs := range rules {
		per[k] = floats(vs)
	}
	r := rand.New(rand.NewPCG(seed, 0x7a11_5ba7e))
	weight := make([]int, n)
	shares := make([][]float64, len(rules))
	for range bootstrapResamples {
		d.resample(r, weight)
		// The nearest-rank P90 of the resample, then its runs at or above.
		threshold := weightedRank(order, tot, weight, 90)
		all := 0.0
		for i := range n {
			if weight[i] > 0 && tot[i] >= threshold {
				all += float64(weight[i]) * tot[i]
			}
		}
		for k := range rules {
			s := 0.0
			for i := range n {
				if weight[i] > 0 && tot[i] >= threshold {
					s += float64(weight[i]) * per[k][i]
				}
			}
			if all > 0 {
				shares[k] = append(shares[k], s/all)
			}
		}
	}
	for k, s := range shares {
		if len(s) >= bootstrapResamples/2 {
			out[k] = percentileInterval(s, ratioPlaces)
		}
	}
	return out
}

// resample draws a bootstrap resample of the units, with replacement:
// weight counts how often each run is drawn.
func (d design) resample(r *rand.Rand, weight []int) {
	clear(weight)
	u := d.units(len(weight))
	for range u {
		j := r.IntN(u)
		for i := j * int(d); i < (j+1)*int(d); i++ {
			weight[i]++
		}
	}
}

// percentileInterval is the interval between the 2.5th and the 97.5th
// percentiles of bootstrap statistics (sorted here), rounded outward to
// places.
func percentileInterval(s []float64, places int32) Interval {
	slices.Sort(s)
	lo := s[int(math.Floor(alpha/2*float64(len(s))))]
	hi := s[min(int(math.Ceil((1-alpha/2)*float64(len(s))))-1, len(s)-1)]
	return Interval{Low: bound(decimal.NewFromFloat(lo).RoundFloor(places)), High: bound(decimal.NewFromFloat(hi).RoundCeil(places))}
}

// sortedOrder returns the indices of v in increasing order of v, and v
// in float64 for the bootstrap's sums.
func sortedOrder(v []decimal.Decimal) ([]int, []float64) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return v[x].Cmp(v[y]) })
	return idx, floats(v)
}

func floats(v []decimal.Decimal) []float64 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = x.InexactFloat64()
	}
	return f
}

// weightedRank is the nearest-rank p-th percentile of values weighted by
// weight (a resample's counts, adding up to their number); order sorts
// them.
func weightedRank(order []int, values []float64, weight []int, p int) float64 {
	need, seen := nearestRank(p, len(values))+1, 0
	for _, i := range order {
		if seen += weight[i]; seen >= need {
			return values[i]
		}
	}
	return values[order[len(order)-1]]
}
