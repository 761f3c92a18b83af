package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TOST is Schuirmann's two one-sided tests of equivalence (1987) on paired
// differences b[i] - a[i]: the mean difference is shown to lie within
// (-Margin, Margin) at level alpha when both one-sided t-tests reject at
// alpha, which is when the t interval at level 1 - 2·alpha lies inside the
// margin. Absence of a significant difference (TTest.P above alpha) shows
// no such thing.
type TOST struct {
	// TTest holds the differences' mean and spread and the ordinary
	// two-sided test of no difference.
	TTest
	Margin float64
	// PLower is the p-value of the null hypothesis mean <= -Margin, PUpper
	// of mean >= Margin, each against the other side: NaN below two pairs;
	// with no spread, 0 when the mean is inside the margin and 1 otherwise.
	PLower, PUpper float64
}

// PairedTOST runs the two one-sided paired t-tests of b - a against the
// margin ±margin. It panics if the lengths differ or margin is not
// positive.
func PairedTOST(a, b []float64, margin float64) TOST {
	if !(margin > 0) {
		panic(fmt.Sprintf("stats.PairedTOST: margin must be positive, got %v", margin))
	}
	t := TOST{TTest: PairedT(a, b), Margin: margin, PLower: math.NaN(), PUpper: math.NaN()}
	switch {
	case t.N < 2:
	case t.SD == 0:
		t.PLower, t.PUpper = 1, 1
		if t.Mean > -margin {
			t.PLower = 0
		}
		if t.Mean < margin {
			t.PUpper = 0
		}
	default:
		se := t.SD / math.Sqrt(float64(t.N))
		dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(t.N - 1)}
		t.PLower = dist.CDF(-(t.Mean + margin) / se)
		t.PUpper = dist.CDF((t.Mean - margin) / se)
	}
	return t
}

// PEquivalence is the p-value of equivalence: the larger of the two
// one-sided p-values (NaN when either is).
func (t TOST) PEquivalence() float64 {
	if math.IsNaN(t.PLower) || math.IsNaN(t.PUpper) {
		return math.NaN()
	}
	return math.Max(t.PLower, t.PUpper)
}

// Equivalent reports whether both one-sided tests reject at alpha.
func (t TOST) Equivalent(alpha float64) bool { return t.PEquivalence() < alpha }
