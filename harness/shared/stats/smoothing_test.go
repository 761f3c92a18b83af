package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// binomCDF is P[Binom(n, p) ≤ k] summed from the probability mass, apart
// from gonum's incomplete beta.
func binomCDF(k, n int, p float64) float64 {
	s := 0.0
	for i := 0; i <= k && i <= n; i++ {
		lg := func(x int) float64 { v, _ := math.Lgamma(float64(x + 1)); return v }
		s += math.Exp(lg(n) - lg(i) - lg(n-i) + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return s
}

// TestSmoothingIndicesAreTheBinomialRanks checks the ranks against their
// definitions written with a summed binomial: lo is the largest valid
// rank and lo+1 is not valid, hi the smallest and hi−1 is not.
func TestSmoothingIndicesAreTheBinomialRanks(t *testing.T) {
	for _, c := range []struct {
		n            int
		sigma, r, al float64
	}{{100, 0.25, 0, 0.05}, {100, 0.25, 0.1, 0.05}, {1000, 0.12, 0.05, 0.001}, {37, 0.5, 0.2, 0.1}, {500, 0.25, 0.25, 0.01}} {
		lo, hi, ok := SmoothingIndices(c.n, c.sigma, c.r, c.al)
		if !ok {
			t.Errorf("%+v: abstains", c)
			continue
		}
		pLo := 0.5 * math.Erfc(c.r/c.sigma/math.Sqrt2)
		pHi := 1 - pLo
		a := c.al / 2
		if binomCDF(lo-1, c.n, pLo) > a+1e-12 || (lo < c.n && binomCDF(lo, c.n, pLo) <= a-1e-12) {
			t.Errorf("%+v: lo %d is not the largest k with P[Binom ≤ k−1] ≤ %g", c, lo, a)
		}
		tail := func(k int) float64 { return 1 - binomCDF(k-1, c.n, pHi) } // P[Binom ≥ k]
		if tail(hi) > a+1e-12 || (hi > 1 && tail(hi-1) <= a-1e-12) {
			t.Errorf("%+v: hi %d is not the smallest k with P[Binom ≥ k] ≤ %g", c, hi, a)
		}
		if r0lo, r0hi, _ := SmoothingIndices(c.n, c.sigma, 0, c.al); lo > r0lo || hi < r0hi {
			t.Errorf("%+v: ranks %d..%d narrower than at radius 0 (%d..%d)", c, lo, hi, r0lo, r0hi)
		}
	}
	// Known values: n = 100, α/2 = 0.025 at the median (r = 0): the
	// 95% distribution-free interval of the median is y_(40)..y_(61).
	if lo, hi, _ := SmoothingIndices(100, 1, 0, 0.05); lo != 40 || hi != 61 {
		t.Errorf("n 100, α 0.05, r 0: ranks %d..%d, want 40..61", lo, hi)
	}
}

// TestSmoothingBoundsHoldAtTheirConfidence draws noisy outputs from a
// known distribution (the standard normal, whose percentiles are known)
// and counts how often each order statistic misses its percentile: at most
// α/2 each, up to Monte Carlo error.
func TestSmoothingBoundsHoldAtTheirConfidence(t *testing.T) {
	const n, sigma, r, alpha, trials = 200, 0.25, 0.1, 0.1, 4000
	lo, hi, ok := SmoothingIndices(n, sigma, r, alpha)
	if !ok {
		t.Fatal("abstains")
	}
	qLo, qHi := -r/sigma, r/sigma // Φ⁻¹(p_lo), Φ⁻¹(p_hi) of N(0, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	missLo, missHi := 0, 0
	ys := make([]float64, n)
	for range trials {
		for i := range ys {
			ys[i] = rng.NormFloat64()
		}
		c := Certify(ys, lo, hi, ok)
		if c.Lo > qLo {
			missLo++
		}
		if c.Hi < qHi {
			missHi++
		}
	}
	// α/2 = 0.05; three binomial standard errors of slack.
	limit := alpha/2 + 3*math.Sqrt(alpha/2*(1-alpha/2)/trials)
	for name, m := range map[string]int{"lower": missLo, "upper": missHi} {
		if f := float64(m) / trials; f > limit {
			t.Errorf("%s bound missed its percentile in %.3f of trials, more than %.3f", name, f, limit)
		}
	}
	// And they are not trivially loose: each misses sometimes.
	if missLo == 0 || missHi == 0 {
		t.Errorf("bounds never missed (%d, %d): ranks %d..%d look too conservative", missLo, missHi, lo, hi)
	}
}

func TestConstantNetworkHasZeroWidth(t *testing.T) {
	ys := make([]float64, 64)
	for i := range ys {
		ys[i] = 0.83
	}
	lo, hi, ok := SmoothingIndices(len(ys), 0.25, 0.1, 0.01)
	c := Certify(ys, lo, hi, ok)
	if c.Abstain || c.Lo != 0.83 || c.Hi != 0.83 || c.Median != 0.83 {
		t.Errorf("constant outputs: %+v", c)
	}
	if !c.DecisionCertified(0.7) || math.Abs(c.ErrorBound(0.8)-0.03) > 1e-12 {
		t.Errorf("constant outputs: decision %v, error bound %g", c.DecisionCertified(0.7), c.ErrorBound(0.8))
	}
}

// TestBoundsContainTheSmoothedPrediction: for every n, radius and α that
// does not abstain, lo ≤ median ≤ hi, on random outputs.
func TestBoundsContainTheSmoothedPrediction(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n <= 300; n += 7 {
		for _, r := range []float64{0, 0.01, 0.1, 0.3} {
			for _, alpha := range []float64{0.5, 0.05, 0.001} {
				lo, hi, ok := SmoothingIndices(n, 0.25, r, alpha)
				ys := make([]float64, n)
				for i := range ys {
					ys[i] = rng.Float64()
				}
				c := Certify(ys, lo, hi, ok)
				if c.Abstain {
					continue
				}
				if !(c.Lo <= c.Median && c.Median <= c.Hi) {
					t.Errorf("n %d, r %g, α %g: median %g outside [%g, %g] (ranks %d..%d)", n, r, alpha, c.Median, c.Lo, c.Hi, lo, hi)
				}
			}
		}
	}
}

func TestSmoothingAbstains(t *testing.T) {
	for _, c := range []struct {
		n            int
		sigma, r, al float64
	}{{5, 0.25, 0, 0.001}, {100, 0.1, 0.5, 0.01}, {0, 0.25, 0, 0.1}, {100, 0, 0, 0.1}, {100, 0.25, -1, 0.1}, {100, 0.25, 0, 1}} {
		if _, _, ok := SmoothingIndices(c.n, c.sigma, c.r, c.al); ok {
			t.Errorf("%+v: does not abstain", c)
		}
	}
	c := Certify([]float64{1, 2, 3}, 0, 0, false)
	if !c.Abstain || !math.IsNaN(c.ErrorBound(0.5)) || c.DecisionCertified(0.7) || c.Median != 2 {
		t.Errorf("abstention: %+v", c)
	}
}
