package stats

import (
	"math"
	"slices"
)

// ConformalHalfWidth returns the half-width q of split-conformal intervals
// [pred - q, pred + q] at miscoverage alpha, calibrated on the absolute
// residuals |pred - truth| of a calibration set of n samples: the
// ceil((n+1)(1-alpha))-th smallest residual. If the calibration set is
// exchangeable with a test sample, the test sample's interval holds its
// truth with probability at least 1 - alpha (and, without ties, below
// 1 - alpha + 1/(n+1)). +Inf when n is too small for alpha (the rank
// exceeds n), NaN for alpha outside (0, 1). It panics if the lengths
// differ.
func ConformalHalfWidth(pred, truth []float64, alpha float64) float64 {
	mustPair("ConformalHalfWidth", pred, truth)
	if !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	res := AbsErrors(pred, truth)
	slices.Sort(res)
	n := len(res)
	// A small epsilon keeps (n+1)(1-alpha) that is an integer in exact
	// arithmetic from rounding up by one in floating point.
	k := int(math.Ceil(float64(n+1)*(1-alpha) - 1e-9))
	if k > n {
		return math.Inf(1)
	}
	if k < 1 {
		k = 1
	}
	return res[k-1]
}

// Coverage returns the share of samples whose truth lies in the interval
// [pred - q, pred + q]. It panics if the lengths differ.
func Coverage(pred, truth []float64, q float64) float64 {
	mustPair("Coverage", pred, truth)
	if len(pred) == 0 {
		return math.NaN()
	}
	in := 0
	for i := range pred {
		if math.Abs(pred[i]-truth[i]) <= q {
			in++
		}
	}
	return float64(in) / float64(len(pred))
}

// Covered returns, for each sample, 1 if its truth lies in the interval
// [pred[i] - q[i], pred[i] + q[i]] and 0 if not: the coverage of each
// sample when each has its own half-width (a Mondrian interval), to be
// averaged or bootstrapped. It panics if the lengths differ.
func Covered(pred, truth, q []float64) []float64 {
	mustPair("Covered", pred, truth)
	mustPair("Covered", pred, q)
	out := make([]float64, len(pred))
	for i := range pred {
		if math.Abs(pred[i]-truth[i]) <= q[i] {
			out[i] = 1
		}
	}
	return out
}

// Interval returns [pred - q, pred + q] clipped to [lo, hi], the range of
// the quantity predicted (Dice: [0, 1]); clipping never changes coverage
// of a truth inside the range.
func Interval(pred, q, lo, hi float64) (low, high float64) {
	return math.Max(lo, pred-q), math.Min(hi, pred+q)
}

// IntervalWidth returns the mean width of the intervals [pred - q,
// pred + q] clipped to [lo, hi].
func IntervalWidth(pred []float64, q, lo, hi float64) float64 {
	if len(pred) == 0 {
		return math.NaN()
	}
	var s float64
	for _, p := range pred {
		a, b := Interval(p, q, lo, hi)
		s += math.Max(0, b-a)
	}
	return s / float64(len(pred))
}
