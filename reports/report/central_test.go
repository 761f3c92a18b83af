package report

import (
	"math"
	"testing"

	"github.com/segqa/segqa/harness/results"
)

// table2Of is a Table 2 with FGSM on x and FGSM on d at eps.
func table2Of(eps, x, d []float64) results.Table2 {
	std := make([]float64, len(eps))
	return results.Table2{Rows: []results.Table2Row{
		{ID: results.RowBaselineFGSMx, Method: results.MethodBaseline, Input: results.AttackedXS, Attack: results.AttackX, Eps: eps, MAE: x, Std: std, N: 10},
		{ID: results.RowProposedFGSMd, Method: results.MethodProposed, Input: results.AttackedDS, Attack: results.AttackD, Eps: eps, MAE: d, Std: std, N: 10},
	}}
}

// The central claim's paired differences over three seeds against hand
// computation: at ε 0.1 the differences are 0.01, 0.02, 0.03 (mean 0.02,
// sd 0.01, the t interval 0.02 ± 4.302653 · 0.01 / √3 = [-0.004841,
// 0.044841], p 0.074180); at ε 0.2 they are -0.05, -0.05, -0.04.
func TestCentralDiffs(t *testing.T) {
	eps := []float64{0.1, 0.2}
	diffs := centralDiffs([]results.Table2{
		table2Of(eps, []float64{0.10, 0.30}, []float64{0.11, 0.25}),
		table2Of(eps, []float64{0.20, 0.30}, []float64{0.22, 0.25}),
		table2Of(eps, []float64{0.30, 0.30}, []float64{0.33, 0.26}),
	})
	if len(diffs) != 2 {
		t.Fatalf("%d levels, want 2", len(diffs))
	}
	a, b := diffs[0], diffs[1]
	if math.Abs(a.Mean-0.02) > 1e-12 || math.Abs(a.lo+0.004841) > 1e-5 || math.Abs(a.hi-0.044841) > 1e-5 || math.Abs(a.P-0.074180) > 1e-5 {
		t.Errorf("ε 0.1: Δ %g in [%g, %g], p %g; want 0.02 in [-0.004841, 0.044841], p 0.074180", a.Mean, a.lo, a.hi, a.P)
	}
	if a.dBelow != 0 || a.of != 3 || b.dBelow != 3 || b.of != 3 {
		t.Errorf("seeds with d < x: %d of %d and %d of %d, want 0 of 3 and 3 of 3", a.dBelow, a.of, b.dBelow, b.of)
	}
	if !(b.Mean < 0 && b.hi < 0) {
		t.Errorf("ε 0.2: Δ %g with interval [%g, %g], want all below 0", b.Mean, b.lo, b.hi)
	}
	// Holm over the two levels: the smaller p doubles, the larger is at least it.
	lo, hi := min(a.P, b.P), max(a.P, b.P)
	if got := min(a.holm, b.holm); math.Abs(got-math.Min(1, 2*lo)) > 1e-12 {
		t.Errorf("Holm of the smaller p %g: %g, want %g", lo, got, 2*lo)
	}
	if max(a.holm, b.holm) < hi {
		t.Errorf("Holm p below the raw p")
	}
}
