package simulate

import (
	"math"
)

// The statistics of the confidence intervals. Every interval is at 95 %.
// They are computed in float64: ranks, probabilities, Student's and the
// normal quantiles are statistics, not money; the amounts they bound are
// read from the runs or rounded outward to the cent (see interval.go).

// z975 is the 97.5th percentile of the standard normal distribution.
const z975 = 1.959963984540054

// alpha is one minus the confidence level of the intervals.
const alpha = 0.05

// t975 is the 97.5th percentile of Student's t distribution with df
// degrees of freedom: exact to nine decimals from a table up to 30, by
// its Cornish-Fisher expansion in 1/df above (Hill, 1970), which is
// within 3·10⁻⁸ of it there.
func t975(df int) float64 {
	if df < 1 {
		return math.Inf(1)
	}
	if df <= len(t975Table) {
		return t975Table[df-1]
	}
	z := z975
	z2 := z * z
	g1 := (z2 + 1) * z / 4
	g2 := ((5*z2+16)*z2 + 3) * z / 96
	g3 := (((3*z2+19)*z2+17)*z2 - 15) * z / 384
	g4 := ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) * z / 92160
	v := float64(df)
	return z + g1/v + g2/(v*v) + g3/(v*v*v) + g4/(v*v*v*v)
}

var t975Table = [...]float64{
	12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
	2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
	2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
	2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
}

// binomialPMF returns the probabilities of 0 … n successes in n trials
// of probability p, computed from the mode outwards in logarithms so that
// nothing underflows before it is negligible.
func binomialPMF(n int, p float64) []float64 {
	pmf := make([]float64, n+1)
	switch {
	case p <= 0:
		pmf[0] = 1
		return pmf
	case p >= 1:
		pmf[n] = 1
		return pmf
	}
	mode := min(int(float64(n+1)*p), n)
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	logMode := lg(n) - lg(mode) - lg(n-mode) + float64(mode)*math.Log(p) + float64(n-mode)*math.Log1p(-p)
	pmf[mode] = math.Exp(logMode)
	odds := p / (1 - p)
	for k := mode; k < n && pmf[k] > 0; k++ {
		pmf[k+1] = pmf[k] * float64(n-k) / float64(k+1) * odds
	}
	for k := mode; k > 0 && pmf[k] > 0; k-- {
		pmf[k-1] = pmf[k] * float64(k) / float64(n-k+1) / odds
	}
	return pmf
}

// orderRanks returns the ranks, from 1, of the order statistics that
// bound the p-quantile of n independent values with 95 % confidence:
// the distribution-free interval [x₍lo₎, x₍hi₎]. With B the number of
// values at or below the quantile, Binomial(n, p) whatever the
// distribution, the interval holds the quantile when lo ≤ B < hi; lo is
// the largest rank with P(B < lo) ≤ 2.5 % and hi the smallest with
// P(B ≥ hi) ≤ 2.5 %, so that it holds it with probability at least
// 95 % (exactly the binomial's sum between them for a continuous
// distribution, more where values tie). A side the runs are too few to
// bound is 0: a P99 needs 368 runs for an upper bound (0.99³⁶⁷ is just
// over 2.5 %).
func orderRanks(n int, p float64) (lo, hi int) {
	if n < 1 {
		return 0, 0
	}
	pmf := binomialPMF(n, p)
	// lo: P(B ≤ lo−1) ≤ α/2, the largest such lo ≥ 1.
	cdf := 0.0
	for k := 0; k < n; k++ {
		if cdf+pmf[k] > alpha/2 {
			lo = k // P(B ≤ k−1) = cdf ≤ α/2: rank k bounds from below
			break
		}
		cdf += pmf[k]
	}
	// hi: P(B ≥ hi) ≤ α/2, the smallest such hi ≤ n.
	tail := 0.0
	for k := n; k >= 1; k-- {
		if tail+pmf[k] > alpha/2 {
			if k+1 <= n {
				hi = k + 1
			}
			break
		}
		tail += pmf[k]
	}
	return lo, hi
}

// wilson returns Wilson's score interval for a probability estimated as
// p from n independent trials (or an effective number of them, see
// [groupedProportion]).
func wilson(p, n float64) (lo, hi float64) {
	if !(n > 0) {
		return 0, 1
	}
	z2 := z975 * z975
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z975 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi = max(center-half, 0), min(center+half, 1)
	if p == 0 {
		lo = 0
	}
	if p == 1 {
		hi = 1
	}
	return lo, hi
}

// normalQuantile is the inverse of the standard normal distribution
// function, by Wichura's algorithm AS241 (PPND16), accurate to about
// 10⁻¹⁶; p is in (0, 1). It is odd about ½: normalQuantile(1−p) is
// −normalQuantile(p), which the antithetic draws rely on.
func normalQuantile(p float64) float64 {
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		num := (((((((2.5090809287301226727e+3*r+3.3430575583588128105e+4)*r+6.7265770927008700853e+4)*r+
			4.5921953931549871457e+4)*r+1.3731693765509461125e+4)*r+1.9715909503065514427e+3)*r+
			1.3314166789178437745e+2)*r + 3.3871328727963666080e+0) * q
		den := (((((((5.2264952788528545610e+3*r+2.8729085735721942674e+4)*r+3.9307895800092710610e+4)*r+
			2.1213794301586595867e+4)*r+5.3941960214247511077e+3)*r+6.8718700749205790830e+2)*r+
			4.2313330701600911252e+1)*r + 1.0)
		return num / den
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var num, den float64
	if r <= 5 {
		r -= 1.6
		num = (((((((7.74545014278341407640e-4*r+2.27238449892691845833e-2)*r+2.41780725177450611770e-1)*r+
			1.27045825245236838258e+0)*r+3.64784832476320460504e+0)*r+5.76949722146069140550e+0)*r+
			4.63033784615654529590e+0)*r + 1.42343711074968357734e+0)
		den = (((((((1.05075007164441684324e-9*r+5.47593808499534494600e-4)*r+1.51986665636164571966e-2)*r+
			1.48103976427480074590e-1)*r+6.89767334985100004550e-1)*r+1.67638483018380384940e+0)*r+
			2.05319162663775882187e+0)*r + 1.0)
	} else {
		r -= 5
		num = (((((((2.01033439929228813265e-7*r+2.71155556874348757815e-5)*r+1.24266094738807843860e-3)*r+
			2.65321895265761230930e-2)*r+2.96560571828504891230e-1)*r+1.78482653991729133580e+0)*r+
			5.46378491116411436990e+0)*r + 6.65790464350110377720e+0)
		den = (((((((2.04426310338993978564e-15*r+1.42151175831644588870e-7)*r+1.84631831751005468180e-5)*r+
			7.86869131145613259100e-4)*r+1.48753612908506148525e-2)*r+1.36929880922735805310e-1)*r+
			5.99832206555887937690e-1)*r + 1.0)
	}
	x := num / den
	if q < 0 {
		return -x
	}
	return x
}
