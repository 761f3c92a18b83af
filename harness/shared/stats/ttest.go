package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is a paired t-test of the differences b[i] - a[i], e.g. one
// setting's MAE against another's, paired by seed.
type TTest struct {
	N int
	// Mean and SD are the differences' mean and sample standard deviation
	// (MeanStd: SD is 0 for one pair, NaN for none).
	Mean, SD float64
	// P is the two-sided p-value: NaN below two pairs; with no spread, 1
	// if the mean difference is 0 and 0 otherwise.
	P float64
}

// PairedT runs the two-sided paired t-test of b - a. It panics if the
// lengths differ.
func PairedT(a, b []float64) TTest {
	mustPair("PairedT", a, b)
	d := make([]float64, len(a))
	for i := range a {
		d[i] = b[i] - a[i]
	}
	t := TTest{N: len(d), P: math.NaN()}
	t.Mean, t.SD = MeanStd(d)
	switch {
	case t.N < 2:
	case t.SD == 0:
		t.P = 1
		if t.Mean != 0 {
			t.P = 0
		}
	default:
		n := float64(t.N)
		stat := t.Mean / (t.SD / math.Sqrt(n))
		t.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.CDF(-math.Abs(stat))
	}
	return t
}

// Interval is the two-sided t confidence interval of the mean difference
// at level (e.g. 0.95); NaN below two pairs.
func (t TTest) Interval(level float64) (lo, hi float64) {
	if t.N < 2 {
		return math.NaN(), math.NaN()
	}
	n := float64(t.N)
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1-(1-level)/2) * t.SD / math.Sqrt(n)
	return t.Mean - half, t.Mean + half
}
