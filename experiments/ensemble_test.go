package experiments

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/stats"
)

// TestWorstRowsAreNeverBelowAnAttack: each worst-case row picks, per
// sample, one of the predictions of the attacks it covers, the one
// furthest from the truth, so its MAE is at least every one of those
// attacks' MAE, and attacks it does not cover do not enter it.
func TestWorstRowsAreNeverBelowAnAttack(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, nEps = 200, 3
	dice := make([]float64, n)
	for i := range dice {
		dice[i] = rng.Float64()
	}
	var rows []*attackRow
	for _, spec := range attackSpecs(config.Default().Attack, 0.7) {
		r := &attackRow{attackSpec: spec, pred: make([][]float64, nEps)}
		for k := range nEps {
			for i := range n {
				r.pred[k] = append(r.pred[k], dice[i]+rng.NormFloat64()*0.1*float64(k+1))
			}
		}
		rows = append(rows, r)
	}
	worst := worstRows(rows, dice, nEps)
	if len(worst) != len(worstSpecs) {
		t.Fatalf("%d worst-case rows, want %d", len(worst), len(worstSpecs))
	}
	for j, w := range worst {
		members := 0
		for _, r := range rows {
			if !worstSpecs[j].covers(r.attackSpec) {
				continue
			}
			members++
			for k := range nEps {
				wm, _ := stats.MAE(w.pred[k], dice)
				rm, _ := stats.MAE(r.pred[k], dice)
				if wm < rm {
					t.Errorf("%s at eps %d: MAE %.4f below %s's %.4f", w.id, k, wm, r.id, rm)
				}
			}
		}
		if members < 4 {
			t.Errorf("%s covers %d attacks", w.id, members)
		}
		for k := range nEps {
			for i, v := range w.pred[k] {
				found := false
				for _, r := range rows {
					found = found || (worstSpecs[j].covers(r.attackSpec) && r.pred[k][i] == v)
				}
				if !found {
					t.Fatalf("%s: sample %d's prediction %v comes from none of its network's attacks", w.id, i, v)
				}
			}
		}
	}
}

func TestWorstCasePicksTheLargestError(t *testing.T) {
	truth := []float64{0.5, 0.2, 0.9}
	a := []float64{0.6, 0.2, 0.1}
	b := []float64{0.1, 0.25, 0.95}
	if got, want := worstCase(truth, a, b), []float64{0.1, 0.25, 0.1}; !slices.Equal(got, want) {
		t.Errorf("worstCase = %v, want %v", got, want)
	}
}
