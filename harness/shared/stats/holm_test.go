package stats

import (
	"math"
	"testing"
)

// Holm's adjustment against R's p.adjust(p, "holm"), worked by hand: the
// sorted p-values 0.005, 0.01, 0.03, 0.04 are multiplied by 4, 3, 2, 1
// (0.02, 0.03, 0.06, 0.04) and made non-decreasing (the last becomes 0.06).
func TestHolm(t *testing.T) {
	cases := []struct{ p, want []float64 }{
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		{[]float64{0.5, 0.6}, []float64{1, 1}},                               // capped at 1
		{[]float64{0.2, math.NaN(), 0.01}, []float64{0.2, math.NaN(), 0.02}}, // NaN does not count in m
		{[]float64{0.03}, []float64{0.03}},                                   // one test: unchanged
		{[]float64{0.02, 0.02, 0.02}, []float64{0.06, 0.06, 0.06}},           // ties
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := Holm(c.p)
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) = %v, want %v", c.p, got, c.want)
		}
		for i := range got {
			if math.IsNaN(c.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && math.Abs(got[i]-c.want[i]) > 1e-12) {
				t.Errorf("Holm(%v) = %v, want %v", c.p, got, c.want)
				break
			}
		}
	}
}
