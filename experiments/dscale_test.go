package experiments

import (
	"math"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// Table 2's record of the attacks' sizes: with attack.eps_relative the
// attack on d applies ε · std(d) / std(x), so both inputs get the same ε in
// units of their own spread; without it d gets the bare ε, here 20 times
// its spread.
func TestAttackSpreads(t *testing.T) {
	eps := []float64{0.05, 0.1}
	plain := inputSizes{x: 0.5, d: 0.01}
	rel := inputSizes{x: 0.5, d: 0.01, relative: map[tensorAttacked]float64{proposedD: 0.01 / 0.5}}
	for _, c := range []struct {
		name        string
		s           inputSizes
		dEps, dInSD []float64
	}{
		{"absolute", plain, []float64{0.05, 0.1}, []float64{5, 10}},
		{"relative", rel, []float64{0.001, 0.002}, []float64{0.1, 0.2}},
	} {
		sp := c.s.spreads(eps)
		if len(sp) != 2 || sp[0].Input != results.SpreadX || sp[1].Input != results.SpreadD {
			t.Fatalf("%s: spreads %+v, want x then d", c.name, sp)
		}
		for k := range eps {
			if math.Abs(sp[0].EpsInStd[k]-eps[k]/0.5) > 1e-12 || math.Abs(sp[1].Eps[k]-c.dEps[k]) > 1e-12 || math.Abs(sp[1].EpsInStd[k]-c.dInSD[k]) > 1e-9 {
				t.Errorf("%s, ε %g: x %g σ, d applied %g (%g σ); want %g σ, %g (%g σ)", c.name, eps[k], sp[0].EpsInStd[k], sp[1].Eps[k], sp[1].EpsInStd[k], eps[k]/0.5, c.dEps[k], c.dInSD[k])
			}
		}
	}
}
