package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// PairedBootstrap estimates a confidence interval for avg(a) - avg(b),
// where a[i] and b[i] are two methods' errors on the same sample i. It
// draws n resamples of the sample indices with replacement, computes the
// mean paired difference of each, and returns the full-sample difference
// with the percentile interval at the given level (e.g. 0.95), using
// numpy's default linear quantile interpolation.
//
// It panics if the lengths differ, rng is nil, n < 1 or level is not in
// (0, 1). Empty input gives NaN throughout.
func PairedBootstrap(a, b []float64, n int, rng *rand.Rand, level float64) (meanDiff, lo, hi float64) {
	mustPair("PairedBootstrap", a, b)
	if rng == nil || n < 1 || !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats.PairedBootstrap: need rng, n >= 1 and 0 < level < 1 (n=%d, level=%v)", n, level))
	}
	m := len(a)
	if m == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	d := make([]float64, m)
	for i := range a {
		d[i] = a[i] - b[i]
	}
	meanDiff = avg(d)
	boot := make([]float64, n)
	for k := range boot {
		var s float64
		for range m {
			s += d[rng.IntN(m)]
		}
		boot[k] = s / float64(m)
	}
	slices.Sort(boot)
	alpha := (1 - level) / 2
	return meanDiff, quantile(boot, alpha), quantile(boot, 1-alpha)
}

// quantile returns the q-quantile of sorted xs with linear interpolation
// between order statistics (numpy's default, Hyndman and Fan type 7).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i] + f*(sorted[i+1]-sorted[i])
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of xs, which it does not
// change, with linear interpolation between order statistics (numpy's
// default); NaN for no values.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return quantile(slices.Sorted(slices.Values(xs)), q)
}
