package stats

import (
	"fmt"
	"math"
)

func mustPair(name string, a, b []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("stats.%s: lengths differ (%d and %d)", name, len(a), len(b)))
	}
}

// avg returns the arithmetic mean of xs, NaN if xs is empty.
func avg(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// sumSq returns the sum of squared deviations of xs from m.
func sumSq(xs []float64, m float64) float64 {
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s
}

// MAE returns the mean and the population standard deviation (ddof=0) of
// |pred[i] - truth[i]|. It panics if the lengths differ.
func MAE(pred, truth []float64) (mean, std float64) {
	mustPair("MAE", pred, truth)
	errs := make([]float64, len(pred))
	for i := range pred {
		errs[i] = math.Abs(pred[i] - truth[i])
	}
	m := avg(errs)
	return m, math.Sqrt(sumSq(errs, m) / float64(len(errs)))
}

// MeanStd returns the mean and the sample standard deviation (ddof=1) of
// xs, e.g. of one figure across seeds. The std of a single value is 0.
func MeanStd(xs []float64) (mean, std float64) {
	m := avg(xs)
	if len(xs) < 2 {
		if len(xs) == 1 {
			return m, 0
		}
		return m, math.NaN()
	}
	return m, math.Sqrt(sumSq(xs, m) / float64(len(xs)-1))
}

// Pearson returns the Pearson correlation coefficient of a and b; NaN if
// there are fewer than two pairs or either side is constant. It panics if
// the lengths differ.
func Pearson(a, b []float64) float64 {
	mustPair("Pearson", a, b)
	if len(a) < 2 {
		return math.NaN()
	}
	ma, mb := avg(a), avg(b)
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return math.NaN()
	}
	r := sab / math.Sqrt(saa*sbb)
	return math.Max(-1, math.Min(1, r))
}

// AccuracyBelow returns the fraction of samples on which pred and truth
// agree about being below thr: (pred[i] < thr) == (truth[i] < thr). With
// thr = 0.7 it scores the decision "flag this segmentation as failed". It
// panics if the lengths differ.
func AccuracyBelow(pred, truth []float64, thr float64) float64 {
	mustPair("AccuracyBelow", pred, truth)
	if len(pred) == 0 {
		return math.NaN()
	}
	agree := 0
	for i := range pred {
		if (pred[i] < thr) == (truth[i] < thr) {
			agree++
		}
	}
	return float64(agree) / float64(len(pred))
}

// AbsErrors returns |pred[i] - truth[i]|.
func AbsErrors(pred, truth []float64) []float64 {
	mustPair("AbsErrors", pred, truth)
	out := make([]float64, len(pred))
	for i := range pred {
		out[i] = math.Abs(pred[i] - truth[i])
	}
	return out
}
