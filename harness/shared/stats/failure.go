package stats

import (
	"math"
	"sort"
)

// AUROC returns the area under the ROC curve of score for telling the
// positives from the others: the Mann-Whitney probability that a random
// positive scores above a random negative, a tie counting one half
// (midranks). NaN if either class is empty. It panics if the lengths
// differ.
func AUROC(score []float64, positive []bool) float64 {
	if len(score) != len(positive) {
		mustPair("AUROC", score, make([]float64, len(positive)))
	}
	ranks := midranks(score)
	var sum float64
	nPos := 0
	for i, p := range positive {
		if p {
			sum += ranks[i]
			nPos++
		}
	}
	nNeg := len(score) - nPos
	if nPos == 0 || nNeg == 0 {
		return math.NaN()
	}
	u := sum - float64(nPos)*float64(nPos+1)/2
	return u / (float64(nPos) * float64(nNeg))
}

// midranks returns the 1-based ranks of xs in increasing order, tied
// values sharing the mean of their ranks.
func midranks(xs []float64) []float64 {
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return xs[order[a]] < xs[order[b]] })
	ranks := make([]float64, len(xs))
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && xs[order[hi]] == xs[order[lo]] {
			hi++
		}
		r := float64(lo+hi+1) / 2 // mean of lo+1 .. hi
		for _, i := range order[lo:hi] {
			ranks[i] = r
		}
		lo = hi
	}
	return ranks
}

// AveragePrecision returns the area under the precision-recall curve of
// score for finding the positives, as average precision: the precision at
// each distinct threshold, from the highest score down, weighted by the
// recall it adds (scikit-learn's average_precision_score). Tied scores
// enter together. NaN if there is no positive.
func AveragePrecision(score []float64, positive []bool) float64 {
	if len(score) != len(positive) {
		mustPair("AveragePrecision", score, make([]float64, len(positive)))
	}
	order := make([]int, len(score))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]] })
	nPos := 0
	for _, p := range positive {
		if p {
			nPos++
		}
	}
	if nPos == 0 {
		return math.NaN()
	}
	var ap float64
	tp := 0
	for lo := 0; lo < len(order); {
		hi := lo
		added := 0
		for hi < len(order) && score[order[hi]] == score[order[lo]] {
			if positive[order[hi]] {
				added++
			}
			hi++
		}
		tp += added
		ap += float64(added) / float64(nPos) * float64(tp) / float64(hi)
		lo = hi
	}
	return ap
}

// Failures marks the samples whose Dice is below thr: the failed
// segmentations.
func Failures(dice []float64, thr float64) []bool {
	out := make([]bool, len(dice))
	for i, d := range dice {
		out[i] = d < thr
	}
	return out
}

// FailureAUROC is the AUROC of detecting failures (true Dice below thr)
// from the predicted Dice, a lower prediction flagging a failure.
func FailureAUROC(pred, truth []float64, thr float64) float64 {
	mustPair("FailureAUROC", pred, truth)
	return AUROC(negated(pred), Failures(truth, thr))
}

// FailureAUPRC is the average precision of detecting failures (true Dice
// below thr) from the predicted Dice, a lower prediction flagging a
// failure.
func FailureAUPRC(pred, truth []float64, thr float64) float64 {
	mustPair("FailureAUPRC", pred, truth)
	return AveragePrecision(negated(pred), Failures(truth, thr))
}

func negated(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = -x
	}
	return out
}

// RiskCoverage returns the risk-coverage curve of accepting samples by
// predicted Dice, highest first: at coverage k/n (k = 1..n) the risk is the
// mean of 1 - true Dice over the k samples accepted. Samples tied in pred
// are accepted as a group in random order, so the risk inside a tied group
// is its expected value: the curve does not depend on the samples' order.
func RiskCoverage(pred, truth []float64) (coverage, risk []float64) {
	mustPair("RiskCoverage", pred, truth)
	n := len(pred)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pred[order[a]] > pred[order[b]] })
	coverage, risk = make([]float64, n), make([]float64, n)
	var before float64 // loss of the groups accepted before this one
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && pred[order[hi]] == pred[order[lo]] {
			hi++
		}
		var group float64
		for _, i := range order[lo:hi] {
			group += 1 - truth[i]
		}
		mean := group / float64(hi-lo)
		for k := lo + 1; k <= hi; k++ {
			coverage[k-1] = float64(k) / float64(n)
			risk[k-1] = (before + float64(k-lo)*mean) / float64(k)
		}
		before += group
		lo = hi
	}
	return coverage, risk
}

// AURC returns the area under the risk-coverage curve of pred, the mean
// over k = 1..n of the risk of the top k (see RiskCoverage), and the same
// area for the best possible ordering, by true Dice. NaN for no samples.
func AURC(pred, truth []float64) (area, optimal float64) {
	_, r := RiskCoverage(pred, truth)
	_, o := RiskCoverage(truth, truth)
	return avg(r), avg(o)
}

// FlipRate returns the share of samples whose decision "pass" (Dice at
// least thr) differs between the clean and the attacked prediction. It
// panics if the lengths differ.
func FlipRate(clean, attacked []float64, thr float64) float64 {
	mustPair("FlipRate", clean, attacked)
	if len(clean) == 0 {
		return math.NaN()
	}
	flips := 0
	for i := range clean {
		if (clean[i] >= thr) != (attacked[i] >= thr) {
			flips++
		}
	}
	return float64(flips) / float64(len(clean))
}

// MissedFailures returns the share of true failures (true Dice below thr)
// that pred passes (predicts a Dice of at least thr); NaN if there is no
// true failure. It panics if the lengths differ.
func MissedFailures(pred, truth []float64, thr float64) float64 {
	mustPair("MissedFailures", pred, truth)
	fails, missed := 0, 0
	for i := range truth {
		if truth[i] < thr {
			fails++
			if pred[i] >= thr {
				missed++
			}
		}
	}
	if fails == 0 {
		return math.NaN()
	}
	return float64(missed) / float64(fails)
}
