package train

import (
	"math"
	"testing"
)

func TestCosineSchedule(t *testing.T) {
	s := Spec{LR: 1e-3, Epochs: 10, Schedule: "cosine"}
	if s.rate(1) != 1e-3 {
		t.Errorf("first epoch rate %g, want the full 1e-3", s.rate(1))
	}
	for e := 2; e <= 10; e++ {
		if !(s.rate(e) < s.rate(e-1)) {
			t.Errorf("rate rises from epoch %d (%g) to %d (%g)", e-1, s.rate(e-1), e, s.rate(e))
		}
	}
	if last := s.rate(10); math.Abs(last-1e-3*(0.05+0.95*(1+math.Cos(math.Pi*0.9))/2)) > 1e-12 || last < 5e-5 {
		t.Errorf("last rate %g", last)
	}
	if c := (Spec{LR: 1e-3, Epochs: 10}).rate(7); c != 1e-3 {
		t.Errorf("constant schedule gives %g", c)
	}
}
