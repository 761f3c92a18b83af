package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestClusterBootstrapOneCluster(t *testing.T) {
	x := []float64{1, 0, 1, 1, 0, 1}
	m, lo, hi := ClusterBootstrap(x, []string{"a", "a", "a", "a", "a", "a"}, 200, rand.New(rand.NewPCG(1, 1)), 0.95)
	if !same(m, 4.0/6) || !same(lo, m) || !same(hi, m) {
		t.Errorf("one cluster: %v [%v, %v], want the mean itself", m, lo, hi)
	}
	if m, lo, hi := ClusterBootstrap(nil, nil, 10, rand.New(rand.NewPCG(1, 1)), 0.95); !math.IsNaN(m) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no samples: %v [%v, %v], want NaN", m, lo, hi)
	}
}

// TestClusterBootstrapCovers: on clustered indicators (each of 20 patients
// covered with its own probability, drawn around 0.9) the 95% interval
// from resampling patients holds the population's coverage in about 95%
// of draws (at least 88% over 400 draws: the percentile interval is a
// little short with 20 clusters); the interval from resampling samples,
// which takes 600 samples for independent ones, holds it far less often.
func TestClusterBootstrapCovers(t *testing.T) {
	const k, m, draws = 20, 30, 400
	rng := rand.New(rand.NewPCG(9, 10))
	const truth = 0.9 // the mean of the patients' probabilities
	var byPatient, bySample int
	for range draws {
		var x []float64
		var ids []string
		for p := range k {
			prob := min(1, max(0, truth+0.08*rng.NormFloat64()))
			for range m {
				v := 0.0
				if rng.Float64() < prob {
					v = 1
				}
				x, ids = append(x, v), append(ids, fmt.Sprint(p))
			}
		}
		if _, lo, hi := ClusterBootstrap(x, ids, 500, rng, 0.95); lo <= truth && truth <= hi {
			byPatient++
		}
		own := make([]string, len(x))
		for i := range own {
			own[i] = fmt.Sprint(i)
		}
		if _, lo, hi := ClusterBootstrap(x, own, 500, rng, 0.95); lo <= truth && truth <= hi {
			bySample++
		}
	}
	if p := float64(byPatient) / draws; p < 0.88 || p > 0.99 {
		t.Errorf("resampling patients: the interval holds the coverage in %.3f of draws, want about 0.95", p)
	}
	if s := float64(bySample) / draws; s > 0.85 {
		t.Errorf("resampling samples: the interval holds the coverage in %.3f of draws, want far less than 0.95 on clustered data", s)
	}
}
