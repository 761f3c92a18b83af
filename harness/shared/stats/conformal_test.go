package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestConformalHalfWidth(t *testing.T) {
	nine := []float64{0.3, 0.1, 0.9, 0.5, 0.2, 0.8, 0.4, 0.7, 0.6} // residuals 0.1 .. 0.9
	zeros := make([]float64, 9)
	for _, c := range []struct {
		name  string
		res   []float64
		alpha float64
		want  float64
	}{
		{"n=9 alpha=0.1: rank ceil(9) = 9", nine, 0.1, 0.9},
		{"n=9 alpha=0.2: rank ceil(8) = 8", nine, 0.2, 0.8},
		{"n=9 alpha=0.5: rank ceil(5) = 5", nine, 0.5, 0.5},
		{"n=9 alpha=0.35: rank ceil(6.5) = 7", nine, 0.35, 0.7},
		{"n=4 alpha=0.1: rank 5 > n", nine[:4], 0.1, math.Inf(1)},
		{"alpha=0 is not a level", nine, 0, math.NaN()},
	} {
		if got := ConformalHalfWidth(c.res, zeros[:len(c.res)], c.alpha); !same(got, c.want) && !(math.IsInf(got, 1) && math.IsInf(c.want, 1)) {
			t.Errorf("%s: q = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestConformalCoverage checks the finite-sample guarantee on exchangeable
// data: calibrated on n samples at miscoverage alpha, the expected coverage
// of a new sample is ceil((n+1)(1-alpha))/(n+1), within [1-alpha,
// 1-alpha+1/(n+1)]. The mean over trials is checked against that value
// within 4 standard errors (computed from the Beta law of the coverage
// given the calibration set), so a quantile off by one rank fails.
func TestConformalCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const n, m, trials = 19, 40, 3000
	for _, alpha := range []float64{0.1, 0.2} {
		k := math.Ceil(float64(n+1) * (1 - alpha))
		want := k / float64(n+1)
		if want < 1-alpha || want > 1-alpha+1.0/float64(n+1) {
			t.Fatalf("alpha %g: expected coverage %v outside the finite-sample bounds", alpha, want)
		}
		// Coverage given the calibration set is Beta(k, n+1-k); the test
		// sample's binomial noise adds its own variance.
		a, b := k, float64(n+1)-k
		betaVar := a * b / ((a + b) * (a + b) * (a + b + 1))
		se := math.Sqrt((betaVar + want*(1-want)/m) / trials)
		var sum float64
		for range trials {
			pred, truth := draw(rng, n)
			q := ConformalHalfWidth(pred, truth, alpha)
			tp, tt := draw(rng, m)
			sum += Coverage(tp, tt, q)
		}
		got := sum / trials
		if math.Abs(got-want) > 4*se {
			t.Errorf("alpha %g: mean coverage %.4f, want %.4f ± %.4f", alpha, got, want, 4*se)
		}
	}
}

// draw returns n predictions and truths whose residuals are exchangeable
// (skewed noise, so that the interval is not symmetric by luck).
func draw(rng *rand.Rand, n int) (pred, truth []float64) {
	pred, truth = make([]float64, n), make([]float64, n)
	for i := range pred {
		truth[i] = rng.Float64()
		pred[i] = truth[i] + rng.ExpFloat64()*0.05 - 0.02
	}
	return pred, truth
}

func TestIntervalWidthClips(t *testing.T) {
	// [0.85, 1.15] clips to [0.85, 1]; [0.35, 0.65] stays.
	if w := IntervalWidth([]float64{1, 0.5}, 0.15, 0, 1); math.Abs(w-(0.15+0.3)/2) > 1e-12 {
		t.Errorf("width %v, want 0.225", w)
	}
	if c := Coverage([]float64{0.5, 0.5, 0.5}, []float64{0.6, 0.7, 0.5}, 0.1); math.Abs(c-2.0/3) > 1e-9 {
		t.Errorf("coverage %v, want 2/3 (a residual equal to q is covered)", c)
	}
}
