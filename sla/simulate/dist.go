package simulate

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Dist is a distribution of durations. Exactly one form is set:
//
//	Fixed         always the same duration             YAML: 4h
//	Median, P90   lognormal through those two points   YAML: {median: 2h, p90: 6h}
//	Mean          exponential with that mean           YAML: {mean: 5m}
//	Values        empirical, each value equally likely YAML: {values: [1h, 2h, 7h]}
//	History       empirical, from the scenario's       YAML: history
//	              history file (same kind and priority)
//
// The lognormal is the usual shape of restoration times: most tickets
// close near the median and a long tail runs past the P90. Its σ is
// ln(P90/median)/1.2816; a P90 equal to the median makes it fixed.
// Handling times and patience are exponential in the Erlang models, so a
// Mean is what makes the simulated desk comparable with them.
type Dist struct {
	Fixed       time.Duration
	Median, P90 time.Duration
	Mean        time.Duration
	Values      []time.Duration
	History     bool
}

// Fixed returns a distribution that is always d.
func Fixed(d time.Duration) Dist { return Dist{Fixed: d} }

// Lognormal returns the lognormal distribution with that median and P90.
func Lognormal(median, p90 time.Duration) Dist { return Dist{Median: median, P90: p90} }

// Exponential returns the exponential distribution with that mean.
func Exponential(mean time.Duration) Dist { return Dist{Mean: mean} }

// Empirical returns the distribution that draws each value with the same
// probability.
func Empirical(values ...time.Duration) Dist { return Dist{Values: slices.Clone(values)} }

// IsZero reports whether no form is set: the field is absent.
func (d Dist) IsZero() bool {
	return d.Fixed == 0 && d.Median == 0 && d.P90 == 0 && d.Mean == 0 && len(d.Values) == 0 && !d.History
}

func (d Dist) clone() Dist {
	d.Values = slices.Clone(d.Values)
	return d
}

func (d Dist) String() string {
	switch {
	case d.History:
		return "history"
	case len(d.Values) > 0:
		return fmt.Sprintf("empirical (%d values)", len(d.Values))
	case d.Mean > 0:
		return "exponential, mean " + d.Mean.String()
	case d.Median > 0:
		return fmt.Sprintf("lognormal, median %s, P90 %s", d.Median, d.P90)
	}
	return d.Fixed.String()
}

// check returns what is wrong with the distribution, or "".
func (d Dist) check() string {
	forms := 0
	if d.Fixed > 0 {
		forms++
	}
	if d.Median > 0 || d.P90 > 0 {
		forms++
	}
	if d.Mean > 0 {
		forms++
	}
	if len(d.Values) > 0 {
		forms++
	}
	if d.History {
		forms++
	}
	switch {
	case forms > 1:
		return "give one form: a duration, history, {median, p90}, {mean} or {values}"
	case d.Median > 0 && d.P90 == 0, d.Median == 0 && d.P90 > 0:
		return "a lognormal needs a median and a p90, both above 0"
	case d.P90 < d.Median:
		return fmt.Sprintf("p90 (%s) is below the median (%s)", d.P90, d.Median)
	case d.Fixed < 0 || d.Mean < 0 || d.Median < 0:
		return "durations must be ≥ 0"
	}
	for _, v := range d.Values {
		if v < 0 {
			return "durations must be ≥ 0"
		}
	}
	return ""
}

// z90 is the 90th percentile of the standard normal distribution.
const z90 = 1.2815515655446004

// maxDraw bounds every drawn duration (twenty years): a lognormal tail has
// no end, and time.Duration does.
const maxDraw = 20 * 365 * 24 * time.Hour

// sampler draws from a Dist. A draw of a given form consumes the same
// random values whatever the form's parameters (a lognormal draw is
// exp(μ + σz) with z standard normal), so that runs that differ in one
// parameter keep every other draw: the points of a sensitivity analysis
// use common random numbers, and a longer median gives longer durations
// ticket by ticket.
type sampler struct {
	form      byte // 'f' fixed, 'l' lognormal, 'e' exponential, 'v' values; 'L' and 'E' by inversion (antithetic.go)
	fixed     time.Duration
	mu, sigma float64 // lognormal, of nanoseconds
	mean      float64 // exponential, nanoseconds
	values    []time.Duration
}

func newSampler(d Dist, history []time.Duration) sampler {
	switch {
	case d.History:
		return sampler{form: 'v', values: history}
	case len(d.Values) > 0:
		return sampler{form: 'v', values: slices.Clone(d.Values)}
	case d.Mean > 0:
		return sampler{form: 'e', mean: float64(d.Mean)}
	case d.Median > 0:
		mu := math.Log(float64(d.Median))
		return sampler{form: 'l', mu: mu, sigma: (math.Log(float64(d.P90)) - mu) / z90}
	}
	return sampler{form: 'f', fixed: d.Fixed}
}

func (s *sampler) draw(r *rng) time.Duration {
	var x float64
	switch s.form {
	case 'l':
		x = math.Exp(s.mu + s.sigma*r.NormFloat64())
	case 'e':
		x = s.mean * r.ExpFloat64()
	case 'v':
		return s.values[r.IntN(len(s.values))]
	default:
		if s.form == formLognormalInv || s.form == formExponentialInv {
			x = s.drawInverted(r)
			break
		}
		r.Uint64()
		return s.fixed
	}
	return clampDraw(x)
}

// clampDraw is a drawn duration, in nanoseconds, bounded by maxDraw.
func clampDraw(x float64) time.Duration {
	if !(x < float64(maxDraw)) {
		return maxDraw
	}
	return time.Duration(x)
}

// meanOf returns the mean of the distribution, in nanoseconds.
func (s *sampler) meanOf() float64 {
	switch s.form {
	case 'l', formLognormalInv:
		return math.Exp(s.mu + s.sigma*s.sigma/2)
	case 'e', formExponentialInv:
		return s.mean
	case 'v':
		sum := 0.0
		for _, v := range s.values {
			sum += float64(v)
		}
		return sum / float64(len(s.values))
	}
	return float64(s.fixed)
}

// poisson draws from the Poisson distribution of mean lambda: by
// inversion below 10, by Hörmann's transformed rejection (PTRS) above,
// which needs about 1.2 pairs of uniforms whatever the mean.
func poisson(r *rng, lambda float64) int {
	switch {
	case !(lambda > 0):
		return 0
	case lambda < 10:
		// Inversion: the smallest k with P(X ≤ k) ≥ u.
		u := r.Float64()
		p := math.Exp(-lambda)
		k, cdf := 0, p
		for cdf < u && k < 1000 {
			k++
			p *= lambda / float64(k)
			cdf += p
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}
