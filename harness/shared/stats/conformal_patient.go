package stats

import (
	"math"
	"slices"
)

// PatientHalfWidth returns the half-width q of conformal intervals
// [pred - q, pred + q] at miscoverage alpha calibrated with patients, not
// samples, as the unit: hierarchical conformal prediction (Lee, Barber and
// Willett 2023, arXiv 2306.06342; Dunn, Wasserman and Ramdas 2018, arXiv
// 1809.07441, call the same pooled CDF "CDF pooling"). patients[i] names
// the patient of sample i. Each of the K calibration patients carries
// weight 1/(K+1), shared equally by its samples, and a new patient the
// last 1/(K+1) at +Inf; q is the smallest absolute residual at which the
// calibration weight reaches 1 - alpha.
//
// The guarantee: if the patients, each with all its samples, are
// exchangeable (drawn independently from one population of patients),
// a sample drawn at random from a new patient of that population has its
// truth in the interval with probability at least 1 - alpha, however the
// samples of one patient depend on each other and however many each
// patient has. This is what split conformal on the samples
// (ConformalHalfWidth) does not give when patients differ.
//
// +Inf when K is too small for alpha (K/(K+1) < 1 - alpha: fewer than
// MinPatients(alpha) patients), NaN for alpha outside (0, 1). It panics
// if the lengths differ.
func PatientHalfWidth(pred, truth []float64, patients []string, alpha float64) float64 {
	mustPair("PatientHalfWidth", pred, truth)
	if len(patients) != len(pred) {
		panic("stats.PatientHalfWidth: one patient per sample needed")
	}
	if !(alpha > 0 && alpha < 1) {
		return math.NaN()
	}
	count := map[string]int{}
	for _, p := range patients {
		count[p]++
	}
	k := float64(len(count))
	res := AbsErrors(pred, truth)
	order := make([]int, len(res))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(res[a], res[b]) })
	// A small epsilon keeps a weight that reaches 1 - alpha in exact
	// arithmetic from falling short by rounding.
	need := 1 - alpha - 1e-12
	var cum float64
	for lo := 0; lo < len(order); {
		hi := lo
		for hi < len(order) && res[order[hi]] == res[order[lo]] {
			cum += 1 / (float64(count[patients[order[hi]]]) * (k + 1))
			hi++
		}
		if cum >= need {
			return res[order[lo]]
		}
		lo = hi
	}
	return math.Inf(1)
}

// MinPatients is the fewest calibration patients PatientHalfWidth needs
// for a finite interval at miscoverage alpha: the smallest K with
// K/(K+1) >= 1 - alpha (9 at alpha 0.1). It is also the fewest samples
// split conformal needs, one per patient. 0 for alpha outside (0, 1).
func MinPatients(alpha float64) int {
	if !(alpha > 0 && alpha < 1) {
		return 0
	}
	return int(math.Ceil((1-alpha)/alpha - 1e-9))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
