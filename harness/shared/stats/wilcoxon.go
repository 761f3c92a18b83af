package stats

import (
	"math"
	"slices"
)

// ExactMaxN is the largest number of non-zero differences for which
// Wilcoxon computes the exact null distribution (when there are no ties),
// as scipy.stats.wilcoxon does with method="auto".
const ExactMaxN = 50

// Wilcoxon runs the two-sided Wilcoxon signed-rank test of the paired
// differences a[i] - b[i], e.g. two methods' absolute errors on the same
// samples. It returns w = min(W+, W-), the smaller of the rank sums of the
// positive and the negative differences, and the p-value.
//
// Zero differences are dropped before ranking (Wilcoxon's own method,
// scipy's zero_method="wilcox"); tied absolute differences get their
// average rank. With at most ExactMaxN non-zero differences and no ties
// the p-value is exact; otherwise it comes from the normal approximation
// with the tie correction of the variance and no continuity correction
// (scipy's default correction=False). If every difference is zero it
// returns w = 0, p = 1. It panics if the lengths differ.
func Wilcoxon(a, b []float64) (w, p float64) {
	mustPair("Wilcoxon", a, b)
	var d []float64
	for i := range a {
		if diff := a[i] - b[i]; diff != 0 {
			d = append(d, diff)
		}
	}
	n := len(d)
	if n == 0 {
		return 0, 1
	}
	ranks, ties := absRanks(d)
	var wPlus float64
	for i, x := range d {
		if x > 0 {
			wPlus += ranks[i]
		}
	}
	total := float64(n) * float64(n+1) / 2
	w = math.Min(wPlus, total-wPlus)
	if n <= ExactMaxN && ties == 0 {
		return w, exactP(n, int(math.Round(w)))
	}
	nf := float64(n)
	se := math.Sqrt((nf*(nf+1)*(2*nf+1) - ties/2) / 24)
	if se == 0 {
		return w, 1
	}
	z := (w - total/2) / se
	return w, math.Erfc(math.Abs(z) / math.Sqrt2)
}

// absRanks returns the average ranks (1-based) of |d| and the tie term
// sum(t^3 - t) over groups of t tied values.
func absRanks(d []float64) (ranks []float64, ties float64) {
	idx := make([]int, len(d))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		ai, aj := math.Abs(d[i]), math.Abs(d[j])
		switch {
		case ai < aj:
			return -1
		case ai > aj:
			return 1
		}
		return 0
	})
	ranks = make([]float64, len(d))
	for start := 0; start < len(idx); {
		end := start + 1
		for end < len(idx) && math.Abs(d[idx[end]]) == math.Abs(d[idx[start]]) {
			end++
		}
		r := float64(start+end+1) / 2 // mean of ranks start+1 .. end
		for _, k := range idx[start:end] {
			ranks[k] = r
		}
		if t := float64(end - start); t > 1 {
			ties += t*t*t - t
		}
		start = end
	}
	return ranks, ties
}

// exactP returns the two-sided p-value 2·P(W <= w), capped at 1, where W
// is the signed-rank statistic of n untied non-zero differences under the
// null hypothesis and w <= n(n+1)/4.
func exactP(n, w int) float64 {
	pmf := signedRankPMF(n)
	var cdf float64
	for k := 0; k <= w && k < len(pmf); k++ {
		cdf += pmf[k]
	}
	return math.Min(1, 2*cdf)
}

// signedRankPMF returns P(W+ = k) for k = 0 … n(n+1)/2: the distribution of
// the sum of a uniformly random subset of {1, …, n}.
func signedRankPMF(n int) []float64 {
	pmf := make([]float64, n*(n+1)/2+1)
	pmf[0] = 1
	top := 0
	for r := 1; r <= n; r++ {
		top += r
		for k := top; k >= 0; k-- {
			v := pmf[k]
			if k >= r {
				v += pmf[k-r]
			}
			pmf[k] = v / 2
		}
	}
	return pmf
}
