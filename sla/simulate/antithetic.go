package simulate

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Antithetic pairs (Options.Antithetic). The two runs of a pair, 2k and
// 2k+1, draw from the same generators, the second with every 64-bit word
// complemented: where the first draws a uniform u, the second draws
// 1 − u. The durations are then drawn by inversion (a lognormal as
// exp(μ + σ·Φ⁻¹(u)), an exponential as −mean·ln u, an empirical
// distribution from its sorted values), so that a long restoration in
// the first run is a short one in the second.
//
// Why it is sound. Complementing a word is a bijection of the 2⁶⁴ words
// onto themselves: a sequence of independent uniform words stays one,
// whatever the program does with them, even when the two runs part ways
// (one ticket late in the first, on time in the second, the next draws
// serving other purposes). Inversion draws exactly from each
// distribution. So each run, alone, is drawn from the scenario exactly as
// an independent run is, and every mean, probability and distribution
// function estimated over the runs is unbiased as before. Pairs are
// independent of one another (seeded by their first run's index), but
// the two runs of a pair are not: the intervals treat each pair as one
// unit (interval.go).

// complement is a source whose words are those of src, complemented.
type complement struct{ src *rand.PCG }

func (c complement) Uint64() uint64 { return ^c.src.Uint64() }

// The forms of a sampler that draw by inversion.
const (
	formLognormalInv   = 'L'
	formExponentialInv = 'E'
)

// inverted returns the sampler that draws from the same distribution by
// inversion of one uniform.
func (s sampler) inverted() sampler {
	switch s.form {
	case 'l':
		s.form = formLognormalInv
	case 'e':
		s.form = formExponentialInv
	case 'v':
		s.values = slices.Clone(s.values)
		slices.Sort(s.values)
	}
	return s
}

// midUniform draws a uniform in (0, 1) on the midpoints of a 2⁻⁵² grid,
// every one exact in float64: never 0 or 1, and the complemented word
// gives exactly 1 − u.
func midUniform(r *rng) float64 {
	return (float64(r.Uint64()>>12) + 0.5) / (1 << 52)
}

// drawInverted draws a duration of an inversion form.
func (s *sampler) drawInverted(r *rng) float64 {
	if s.form == formLognormalInv {
		return math.Exp(s.mu + s.sigma*normalQuantile(midUniform(r)))
	}
	return -s.mean * math.Log(midUniform(r))
}

// antithetic returns the simulation that draws antithetic pairs: sim's
// models with their samplers drawing by inversion, and the generators of
// rand.
func (sim *Simulation) antithetic() *Simulation {
	a := *sim
	a.pairs, a.paired = true, nil
	a.classes = make([]*ticketClass, len(sim.classes))
	for i, tc := range sim.classes {
		c := *tc
		c.ack, c.restore = c.ack.inverted(), c.restore.inverted()
		c.pauseLen, c.reopenAfter, c.rootCause = c.pauseLen.inverted(), c.reopenAfter.inverted(), c.rootCause.inverted()
		a.classes[i] = &c
	}
	a.desk = copyOf(sim.desk, func(d *deskModel) {
		d.handling, d.patience = d.handling.inverted(), d.patience.inverted()
	})
	a.outages = make([]*outageClass, len(sim.outages))
	for i, oc := range sim.outages {
		o := *oc
		o.duration, o.notice = o.duration.inverted(), o.notice.inverted()
		a.outages[i] = &o
	}
	return &a
}
