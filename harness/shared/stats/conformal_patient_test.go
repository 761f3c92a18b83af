package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestPatientHalfWidth(t *testing.T) {
	// Nine patients of one sample each: every weight is 1/10, so the
	// interval is split conformal's on nine samples, the largest residual.
	nine := []float64{0.3, 0.1, 0.9, 0.5, 0.2, 0.8, 0.4, 0.7, 0.6}
	ids := func(n int, per int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint("p", i/per)
		}
		return out
	}
	zeros := make([]float64, 20)
	for _, c := range []struct {
		name     string
		res      []float64
		patients []string
		alpha    float64
		want     float64
	}{
		{"9 patients of 1, alpha 0.1: the largest", nine, ids(9, 1), 0.1, 0.9},
		{"9 patients of 1, alpha 0.2: weight 0.8 at the 8th", nine, ids(9, 1), 0.2, 0.8},
		{"8 patients of 1, alpha 0.1: 8/9 < 0.9", nine[:8], ids(8, 1), 0.1, math.Inf(1)},
		// Three patients of three (0.1 0.3 0.5 | 0.2 0.4 0.6 | 0.7 0.8
		// 0.9): 1/12 per sample, so the residual 0.k brings the weight to
		// k/12; 1 - alpha = 0.5 is reached at 0.6, 0.75 at 0.9, and 0.8
		// never (3/12 is the new patient's).
		{"3 patients of 3, alpha 0.5", []float64{0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9}, ids(9, 3), 0.5, 0.6},
		{"3 patients of 3, alpha 0.25: 9/12", []float64{0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9}, ids(9, 3), 0.25, 0.9},
		{"3 patients of 3, alpha 0.2: 9/12 < 0.8", []float64{0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9}, ids(9, 3), 0.2, math.Inf(1)},
		// Unequal patients: a (one sample, 0.9) weighs as much as b (three
		// samples, 0.1 0.2 0.3): 1/3 each, 1/9 per sample of b. Weight 2/3
		// is reached at 0.9 only; b's three samples give 1/3.
		{"patients of 1 and 3, alpha 0.5", []float64{0.9, 0.1, 0.2, 0.3}, []string{"a", "b", "b", "b"}, 0.5, 0.9},
		{"ties enter together", []float64{0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2}, ids(9, 1), 0.1, 0.2},
		{"alpha 0 is not a level", nine, ids(9, 1), 0, math.NaN()},
	} {
		got := PatientHalfWidth(c.res, zeros[:len(c.res)], c.patients, c.alpha)
		if !same(got, c.want) && !(math.IsInf(got, 1) && math.IsInf(c.want, 1)) {
			t.Errorf("%s: q = %v, want %v", c.name, got, c.want)
		}
	}
	for alpha, want := range map[float64]int{0.1: 9, 0.2: 4, 0.05: 19, 0.3: 3} {
		if got := MinPatients(alpha); got != want {
			t.Errorf("MinPatients(%g) = %d, want %d", alpha, got, want)
		}
	}
}

// clustered draws the calibration or test samples of k patients, m of
// each: a residual is the patient's effect, N(0, effect²), plus the
// sample's own noise, N(0, 0.05²), on top of a truth in [0, 1]. effect 0
// makes every sample exchangeable.
func clustered(rng *rand.Rand, k, m int, effect float64) (pred, truth []float64, patients []string) {
	for p := range k {
		b := effect * rng.NormFloat64()
		for range m {
			tr := rng.Float64()
			truth = append(truth, tr)
			pred = append(pred, tr+b+0.05*rng.NormFloat64())
			patients = append(patients, fmt.Sprint("p", p))
		}
	}
	return pred, truth, patients
}

// halfWidth is a calibration method: PatientHalfWidth, or split
// conformal with the patients ignored.
type halfWidth func(pred, truth []float64, patients []string, alpha float64) float64

func splitHalfWidth(pred, truth []float64, _ []string, alpha float64) float64 {
	return ConformalHalfWidth(pred, truth, alpha)
}

// meanCoverage calibrates method on k patients of m samples and measures
// its coverage of one new patient's m samples, trials times: the mean
// coverage and its standard error.
func meanCoverage(rng *rand.Rand, method halfWidth, k, m int, effect, alpha float64, trials int) (mean, se float64) {
	cov := make([]float64, trials)
	for i := range cov {
		pred, truth, patients := clustered(rng, k, m, effect)
		q := method(pred, truth, patients, alpha)
		tp, tt, _ := clustered(rng, 1, m, effect)
		cov[i] = Coverage(tp, tt, q)
	}
	mean, std := MeanStd(cov)
	return mean, std / math.Sqrt(float64(trials))
}

// coversAtLeast says why method does not cover a new patient at 1 - alpha
// over 4000 draws of clustered data (K patients of m samples, a patient
// effect of standard deviation effect), nil when its mean coverage is at
// least 1 - alpha within 4 standard errors.
func coversAtLeast(rng *rand.Rand, method halfWidth, k, m int, effect, alpha float64) error {
	mean, se := meanCoverage(rng, method, k, m, effect, alpha, 4000)
	if mean < 1-alpha-4*se {
		return fmt.Errorf("mean coverage %.4f over 4000 draws, below 1 - alpha = %.2f by more than 4 SE (%.4f)", mean, 1-alpha, 4*se)
	}
	return nil
}

// TestPatientConformalClustered: with a random patient effect (ten times
// the samples' own noise) on the residuals, calibration on 12 patients of
// 30 samples covers a new patient at 1 - alpha with PatientHalfWidth, and
// not with split conformal, which takes the 360 samples for 360
// independent draws: its quantile leaves out the top 36 samples, more
// than the worst patient's 30, so a new patient exceeds it with
// probability about 2/13 (coverage about 0.85). The same check is shown
// to fail on split.
func TestPatientConformalClustered(t *testing.T) {
	const k, m, effect, alpha = 12, 30, 0.5, 0.1
	if err := coversAtLeast(rand.New(rand.NewPCG(1, 2)), PatientHalfWidth, k, m, effect, alpha); err != nil {
		t.Errorf("patient conformal on clustered data: %v", err)
	}
	if err := coversAtLeast(rand.New(rand.NewPCG(1, 2)), splitHalfWidth, k, m, effect, alpha); err == nil {
		t.Error("split conformal passes the clustered check: the check cannot fail")
	}
	mean, se := meanCoverage(rand.New(rand.NewPCG(3, 4)), splitHalfWidth, k, m, effect, alpha, 4000)
	if mean > 1-alpha-0.02 {
		t.Errorf("split conformal on clustered data covers %.4f ± %.4f, want under-coverage (below %.2f)", mean, se, 1-alpha-0.02)
	}
}

// TestPatientConformalExact: when the residuals are the patient effect
// alone (every sample of a patient alike), the patient method is split
// conformal on one residual per patient, whose expected coverage is
// ceil((K+1)(1-alpha))/(K+1), within [1-alpha, 1-alpha+1/(K+1)]. A weight
// off by one patient fails.
func TestPatientConformalExact(t *testing.T) {
	const m, trials = 7, 6000
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct {
		k     int
		alpha float64
	}{{10, 0.1}, {12, 0.2}, {19, 0.1}} {
		want := math.Ceil(float64(c.k+1)*(1-c.alpha)-1e-9) / float64(c.k+1)
		cov := make([]float64, trials)
		for i := range cov {
			var pred, truth []float64
			var patients []string
			for p := range c.k + 1 {
				b := rng.NormFloat64()
				for range m - p%3 { // patients of 5 to 7 samples
					pred, truth = append(pred, b), append(truth, 0)
					patients = append(patients, fmt.Sprint("p", p))
				}
			}
			// The last patient is the new one.
			n := len(pred) - (m - c.k%3)
			q := PatientHalfWidth(pred[:n], truth[:n], patients[:n], c.alpha)
			cov[i] = Coverage(pred[n:], truth[n:], q)
		}
		got, std := MeanStd(cov)
		se := std / math.Sqrt(trials)
		if math.Abs(got-want) > 4*se {
			t.Errorf("K %d, alpha %g: mean coverage %.4f, want %.4f ± %.4f", c.k, c.alpha, got, want, 4*se)
		}
	}
}

// TestPatientConformalExchangeable: without a patient effect the samples
// are exchangeable, and both methods cover at least 1 - alpha; the patient
// method more (its new patient's weight 1/(K+1) sits at +Inf).
func TestPatientConformalExchangeable(t *testing.T) {
	const k, m, alpha = 10, 30, 0.1
	rng := rand.New(rand.NewPCG(7, 8))
	for name, method := range map[string]halfWidth{"patient": PatientHalfWidth, "split": splitHalfWidth} {
		mean, se := meanCoverage(rng, method, k, m, 0, alpha, 3000)
		if mean < 1-alpha-4*se {
			t.Errorf("%s conformal on exchangeable data: mean coverage %.4f, want at least %.2f (4 SE %.4f)", name, mean, 1-alpha, 4*se)
		}
	}
}
