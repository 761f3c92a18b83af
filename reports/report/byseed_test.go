package report

import (
	"math"
	"testing"
)

// The paired t-test over seeds against the closed form of Student's t with
// two degrees of freedom, CDF(t) = 1/2 + t / (2 sqrt(2 + t^2)).
func TestPairSeedsTTest(t *testing.T) {
	// Differences 0.01, 0.02, 0.03: t = 0.02 / (0.01 / sqrt 3) = 3.4641,
	// p = 2 (1/2 - 3.4641 / (2 sqrt 14)) = 0.074180.
	c := pairSeeds([]float64{0.10, 0.20, 0.30}, []float64{0.11, 0.22, 0.33})
	if math.Abs(c.diff-0.02) > 1e-12 || math.Abs(c.sd-0.01) > 1e-12 || math.Abs(c.p-0.074180) > 1e-5 {
		t.Errorf("diff %g, sd %g, p %g; want 0.02, 0.01, 0.074180", c.diff, c.sd, c.p)
	}
	// Differences 0.1, -0.1, 0: t = 0, p = 1.
	if c := pairSeeds([]float64{0.1, 0.2, 0.3}, []float64{0.2, 0.1, 0.3}); math.Abs(c.diff) > 1e-12 || math.Abs(c.p-1) > 1e-9 {
		t.Errorf("no mean difference: diff %g, p %g", c.diff, c.p)
	}
	if c := pairSeeds([]float64{0.1}, []float64{0.2}); !math.IsNaN(c.p) {
		t.Errorf("one seed: p %g, want NaN", c.p)
	}
}
