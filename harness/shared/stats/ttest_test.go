package stats

import (
	"math"
	"testing"
)

// TestPairedT against hand computation (and scipy.stats.ttest_rel): the
// differences 0.01, 0.02, 0.03 have mean 0.02 and sd 0.01, t = 2√3, p =
// 0.074180; the 95 % interval is 0.02 ± 4.302653 · 0.01 / √3 =
// [-0.004841, 0.044841].
func TestPairedT(t *testing.T) {
	got := PairedT([]float64{0.10, 0.20, 0.30}, []float64{0.11, 0.22, 0.33})
	near := func(x, want, tol float64) bool { return math.Abs(x-want) <= tol }
	if got.N != 3 || !near(got.Mean, 0.02, 1e-12) || !near(got.SD, 0.01, 1e-12) || !near(got.P, 0.074180, 1e-6) {
		t.Errorf("PairedT = %+v, want n 3, mean 0.02, sd 0.01, p 0.074180", got)
	}
	if lo, hi := got.Interval(0.95); !near(lo, -0.004841, 1e-6) || !near(hi, 0.044841, 1e-6) {
		t.Errorf("interval [%g, %g], want [-0.004841, 0.044841]", lo, hi)
	}
	for _, c := range []struct {
		name string
		a, b []float64
		p    float64
	}{
		{"no spread, no difference", []float64{1, 2}, []float64{1, 2}, 1},
		{"no spread, a difference", []float64{1, 2}, []float64{1.5, 2.5}, 0},
		{"t = 0", []float64{0.1, 0.2, 0.3}, []float64{0.2, 0.1, 0.3}, 1},
	} {
		if got := PairedT(c.a, c.b); math.Abs(got.P-c.p) > 1e-9 {
			t.Errorf("%s: p %v, want %v", c.name, got.P, c.p)
		}
	}
	one := PairedT([]float64{1}, []float64{2})
	if lo, hi := one.Interval(0.95); one.Mean != 1 || !math.IsNaN(one.P) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("one pair: %+v, interval [%g, %g]; want mean 1 and NaN p and interval", one, lo, hi)
	}
}
