package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Median smoothing (Chiang et al., NeurIPS 2020) certifies a regression
// network f through its smoothed prediction h(x), the median of
// f(x + ε) over Gaussian noise ε ~ N(0, σ²I). For any perturbation δ with
// ‖δ‖₂ ≤ r the median at x + δ lies between two percentiles of the noisy
// outputs at x: q_{p_lo}(x) ≤ h(x + δ) ≤ q_{p_hi}(x), with
// p_lo = Φ(Φ⁻¹(½) − r/σ) = Φ(−r/σ) and p_hi = Φ(r/σ). With n noise draws
// both percentiles are bounded by order statistics of the n outputs, each
// bound failing with probability at most α/2, so that the certified
// interval holds with probability at least 1 − α.

// SmoothingIndices returns the 1-based ranks lo and hi of the order
// statistics y_(lo) ≤ q_{p_lo} and y_(hi) ≥ q_{p_hi} that bound the median
// of n noisy outputs under any perturbation of L2 norm up to r, with noise
// of standard deviation sigma, each with probability at least 1 − alpha/2:
//
//	lo = the largest k with P[Binom(n, p_lo) ≤ k − 1] ≤ alpha/2,
//	hi = the smallest k with P[Binom(n, p_hi) ≥ k] ≤ alpha/2.
//
// (y_(k) > q_p needs fewer than k of n draws at or below q_p, each of which
// is there with probability at least p; y_(k) < q_p needs k draws below
// q_p, each there with probability at most p.) ok is false, an abstention,
// when no rank in 1..n holds at that confidence, or when n < 1, sigma ≤ 0,
// r < 0 or alpha is outside (0, 1).
func SmoothingIndices(n int, sigma, r, alpha float64) (lo, hi int, ok bool) {
	if n < 1 || !(sigma > 0) || !(r >= 0) || !(alpha > 0 && alpha < 1) {
		return 0, 0, false
	}
	pLo, pHi := distuv.UnitNormal.CDF(-r/sigma), distuv.UnitNormal.CDF(r/sigma)
	lo = lowerRank(n, pLo, alpha/2)
	hi = n + 1 - lowerRank(n, 1-pHi, alpha/2) // the lower rank of −y
	if lo < 1 || hi > n {
		return 0, 0, false
	}
	return lo, hi, true
}

// lowerRank is the largest k in 0..n with P[Binom(n, p) ≤ k − 1] ≤ a
// (0 when even k = 1 fails: (1 − p)^n > a).
func lowerRank(n int, p, a float64) int {
	if !(p > 0) {
		return 0
	}
	b := distuv.Binomial{N: float64(n), P: p}
	k := 0
	for k < n && b.CDF(float64(k)) <= a { // CDF(k) is P[Binom ≤ (k+1) − 1]
		k++
	}
	return k
}

// SmoothedMedian is the median of the noisy outputs ys: the middle order
// statistic, or the mean of the two middle ones when len(ys) is even. NaN
// for no outputs. ys is not changed.
func SmoothedMedian(ys []float64) float64 {
	s := slices.Clone(ys)
	slices.Sort(s)
	return sortedMedian(s)
}

func sortedMedian(s []float64) float64 {
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Certificate is what median smoothing says of one input at one radius:
// the smoothed prediction and, unless it abstains, the interval that holds
// the smoothed prediction of every input within the radius.
type Certificate struct {
	Median  float64
	Lo, Hi  float64 // NaN when Abstain
	Abstain bool
}

// Certify returns the certificate of the noisy outputs ys (any order; not
// changed) at the ranks lo and hi of SmoothingIndices; ok false abstains.
// It panics if ok and the ranks fall outside 1..len(ys): a programmer
// error (ranks computed for another n).
func Certify(ys []float64, lo, hi int, ok bool) Certificate {
	s := slices.Clone(ys)
	slices.Sort(s)
	return CertifySorted(s, lo, hi, ok)
}

// CertifySorted is Certify for outputs sorted in increasing order.
func CertifySorted(sorted []float64, lo, hi int, ok bool) Certificate {
	c := Certificate{Median: sortedMedian(sorted), Lo: math.NaN(), Hi: math.NaN(), Abstain: !ok}
	if !ok {
		return c
	}
	if lo < 1 || hi > len(sorted) || lo > hi {
		panic("stats: CertifySorted: ranks outside 1..n")
	}
	c.Lo, c.Hi = sorted[lo-1], sorted[hi-1]
	return c
}

// ErrorBound is the largest error the certificate allows for a sample of
// true value truth: the larger distance from truth to either bound. NaN
// when the certificate abstains.
func (c Certificate) ErrorBound(truth float64) float64 {
	if c.Abstain {
		return math.NaN()
	}
	return math.Max(math.Abs(truth-c.Lo), math.Abs(truth-c.Hi))
}

// DecisionCertified reports whether the pass/fail decision at threshold
// (pass: a prediction at or above it) is the same everywhere in the
// interval: false when the certificate abstains.
func (c Certificate) DecisionCertified(threshold float64) bool {
	return !c.Abstain && (c.Lo >= threshold || c.Hi < threshold)
}
