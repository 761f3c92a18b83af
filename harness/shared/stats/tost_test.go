package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPairedTOST against closed forms: with two degrees of freedom Student's
// t has CDF(t) = 1/2 + t / (2·√(2 + t²)). The differences 0.01, 0.02, 0.03
// have mean 0.02 and standard error 0.01/√3; against the margin 0.05 the
// one-sided statistics are 7√3 and -3√3.
func TestPairedTOST(t *testing.T) {
	got := PairedTOST([]float64{0.10, 0.20, 0.30}, []float64{0.11, 0.22, 0.33}, 0.05)
	cdf2 := func(x float64) float64 { return 0.5 + x/(2*math.Sqrt(2+x*x)) }
	wantLower, wantUpper := cdf2(-7*math.Sqrt(3)), cdf2(-3*math.Sqrt(3))
	if math.Abs(got.PLower-wantLower) > 1e-9 || math.Abs(got.PUpper-wantUpper) > 1e-9 {
		t.Errorf("p lower %g, upper %g; want %g and %g", got.PLower, got.PUpper, wantLower, wantUpper)
	}
	if got.PEquivalence() != got.PUpper || !got.Equivalent(0.05) || got.Equivalent(0.01) {
		t.Errorf("p of equivalence %g (want %g): equivalent at 0.05 but not at 0.01", got.PEquivalence(), wantUpper)
	}
	if math.Abs(got.P-0.074180) > 1e-6 {
		t.Errorf("the ordinary test's p %g, want PairedT's 0.074180", got.P)
	}
	if one := PairedTOST([]float64{1}, []float64{1}, 0.1); !math.IsNaN(one.PEquivalence()) || one.Equivalent(0.05) {
		t.Errorf("one pair: %+v, want NaN and not equivalent", one)
	}
	if flat := PairedTOST([]float64{1, 2}, []float64{1.02, 2.02}, 0.01); flat.PLower != 0 || flat.PUpper != 1 {
		t.Errorf("no spread, a difference of 0.02 beyond the margin 0.01: %+v, want p lower 0 and upper 1", flat)
	}
}

// TestPairedTOSTDecides: paired errors equivalent within the margin are
// shown equivalent; shifted by five margins they differ and are not; a
// handful of noisy pairs show neither.
func TestPairedTOSTDecides(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pairs := func(n int, shift, noise float64) (a, b []float64) {
		for range n {
			x := 0.1 + 0.05*rng.Float64()
			a, b = append(a, x), append(b, x+shift+noise*rng.NormFloat64())
		}
		return a, b
	}
	const margin, alpha = 0.01, 0.05
	a, b := pairs(300, 0.001, 0.01)
	if eq := PairedTOST(a, b, margin); !eq.Equivalent(alpha) {
		t.Errorf("equivalent pairs not shown equivalent: %+v", eq)
	}
	a, b = pairs(300, 5*margin, 0.01)
	if sh := PairedTOST(a, b, margin); sh.Equivalent(alpha) || !(sh.P < alpha) {
		t.Errorf("shifted pairs: %+v, want not equivalent and a difference", sh)
	}
	a, b = pairs(6, 0.002, 0.05)
	if small := PairedTOST(a, b, margin); small.Equivalent(alpha) || small.P < alpha {
		t.Errorf("six noisy pairs: %+v, want neither equivalent nor different", small)
	}
}
