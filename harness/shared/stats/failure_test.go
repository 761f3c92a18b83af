package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The five-sample fixture of the hand computations below: true Dice below
// 0.7 is a failure (samples 1, 3 and 4).
var (
	fixPred  = []float64{0.9, 0.8, 0.6, 0.5, 0.3}
	fixTruth = []float64{0.95, 0.5, 0.8, 0.4, 0.2}
)

func TestFailureDetection(t *testing.T) {
	for _, c := range []struct {
		name        string
		pred, truth []float64
		auroc, ap   float64
	}{
		// Failures predicted 0.8, 0.5, 0.3 against passes 0.9 and 0.6:
		// 5 of the 6 pairs put the failure lower. By ascending prediction
		// F F P F P: precision 1, 1, 3/4 at each failure.
		{"fixture", fixPred, fixTruth, 5.0 / 6, (1 + 1 + 0.75) / 3},
		// One failure tied with two passes at 0.5, one pass at 0.9:
		// 0.5 + 0.5 + 1 over 3 pairs. The tie enters at once: precision 1/3.
		{"ties", []float64{0.5, 0.5, 0.5, 0.9}, []float64{0.1, 0.9, 0.9, 0.9}, 2.0 / 3, 1.0 / 3},
		{"perfect", fixTruth, fixTruth, 1, 1},
		{"reversed", []float64{0.1, 0.2, 0.9}, []float64{0.9, 0.8, 0.1}, 0, 1.0 / 3},
		{"no failure", []float64{0.8, 0.9}, []float64{0.8, 0.9}, math.NaN(), math.NaN()},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FailureAUROC(c.pred, c.truth, 0.7); !same(got, c.auroc) {
				t.Errorf("AUROC = %v, want %v", got, c.auroc)
			}
			if got := FailureAUPRC(c.pred, c.truth, 0.7); !same(got, c.ap) {
				t.Errorf("AUPRC = %v, want %v", got, c.ap)
			}
		})
	}
}

func same(a, b float64) bool {
	return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) < 1e-12
}

func TestAUROCIsMannWhitney(t *testing.T) {
	// Brute force over pairs on random data with many ties.
	rng := rand.New(rand.NewPCG(1, 2))
	score := make([]float64, 60)
	pos := make([]bool, 60)
	for i := range score {
		score[i] = float64(rng.IntN(7))
		pos[i] = rng.IntN(3) == 0
	}
	var wins float64
	var pairs int
	for i := range score {
		for j := range score {
			if !pos[i] || pos[j] {
				continue
			}
			pairs++
			switch {
			case score[i] > score[j]:
				wins++
			case score[i] == score[j]:
				wins += 0.5
			}
		}
	}
	if got, want := AUROC(score, pos), wins/float64(pairs); !same(got, want) {
		t.Errorf("AUROC = %v, pairwise count %v", got, want)
	}
}

func TestRiskCoverage(t *testing.T) {
	for _, c := range []struct {
		name           string
		pred, truth    []float64
		risk           []float64
		aurc, optimalA float64
	}{
		// Losses 1 - Dice by decreasing prediction: .05 .5 .2 .6 .8, so the
		// running means are .05 .275 .25 .3375 .43; by true Dice the losses
		// are .05 .2 .5 .6 .8: .05 .125 .25 .3375 .43.
		{"fixture", fixPred, fixTruth, []float64{0.05, 0.275, 0.25, 0.3375, 0.43}, 1.3425 / 5, 1.1925 / 5},
		// A tie accepts its samples in random order: expected risk 0.5.
		{"tie", []float64{0.5, 0.5}, []float64{1, 0}, []float64{0.5, 0.5}, 0.5, 0.25},
		{"perfect", fixTruth, fixTruth, []float64{0.05, 0.125, 0.25, 0.3375, 0.43}, 1.1925 / 5, 1.1925 / 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			cov, risk := RiskCoverage(c.pred, c.truth)
			for k := range risk {
				if !same(cov[k], float64(k+1)/float64(len(risk))) || math.Abs(risk[k]-c.risk[k]) > 1e-12 {
					t.Errorf("point %d: coverage %v risk %v, want %v %v", k, cov[k], risk[k], float64(k+1)/float64(len(risk)), c.risk[k])
				}
			}
			a, o := AURC(c.pred, c.truth)
			if math.Abs(a-c.aurc) > 1e-12 || math.Abs(o-c.optimalA) > 1e-12 {
				t.Errorf("AURC %v (optimal %v), want %v (%v)", a, o, c.aurc, c.optimalA)
			}
		})
	}
}

func TestPerfectPredictor(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	truth := make([]float64, 200)
	for i := range truth {
		truth[i] = rng.Float64()
	}
	a, o := AURC(truth, truth)
	if a != o {
		t.Errorf("a perfect predictor's AURC %v differs from the optimal %v", a, o)
	}
	// Attacking a perfect predictor changes nothing it predicts.
	if f := FlipRate(truth, truth, 0.7); f != 0 {
		t.Errorf("flip rate %v, want 0", f)
	}
	if m := MissedFailures(truth, truth, 0.7); m != 0 {
		t.Errorf("missed failures %v, want 0", m)
	}
	if r := FailureAUROC(truth, truth, 0.7); r != 1 {
		t.Errorf("AUROC %v, want 1", r)
	}
	// A constant predictor orders nothing: AURC is the mean loss.
	constant := make([]float64, len(truth))
	if a, _ := AURC(constant, truth); math.Abs(a-(1-avg(truth))) > 1e-12 {
		t.Errorf("constant predictor: AURC %v, want the mean loss %v", a, 1-avg(truth))
	}
}

func TestDecisions(t *testing.T) {
	clean := []float64{0.9, 0.6, 0.75, 0.3}
	attacked := []float64{0.65, 0.8, 0.75, 0.3} // 0 and 1 flip
	if f := FlipRate(clean, attacked, 0.7); f != 0.5 {
		t.Errorf("flip rate %v, want 0.5", f)
	}
	truth := []float64{0.5, 0.6, 0.9, 0.2} // failures 0, 1 and 3
	// attacked passes failure 1 only; a threshold of 0.7 passes 0.7 itself.
	if m := MissedFailures(attacked, truth, 0.7); !same(m, 1.0/3) {
		t.Errorf("missed failures %v, want 1/3", m)
	}
	if m := MissedFailures([]float64{0.7}, []float64{0.69}, 0.7); m != 1 {
		t.Errorf("a prediction of exactly 0.7 should pass: missed %v", m)
	}
}
