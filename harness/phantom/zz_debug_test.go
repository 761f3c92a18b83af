package phantom

import (
	"fmt"
	"math"
	"testing"
)

func TestDebugAreas(t *testing.T) {
	for n := 1; n <= 5; n++ {
		pt := Generate(Params{}, 1, n)
		r := newRand(1, n, streamPatient, 0)
		_ = r
		plane := pt.Nx * pt.Ny
		a := pt.Spacing[0] * pt.Spacing[1]
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			fmt.Printf("%s %s ph%d:", pt.ID, pt.Group, ph)
			for z := range pt.Nz {
				var c [4]int
				for _, l := range f.Label[z*plane : (z+1)*plane] {
					c[l]++
				}
				lv := float64(c[3]) * a
				ep := float64(c[3]+c[2]) * a
				th := math.Sqrt(ep/math.Pi) - math.Sqrt(lv/math.Pi)
				fmt.Printf(" [R%.0f T%.1f rv%.0f]", math.Sqrt(lv/math.Pi), th, float64(c[1])*a/100)
			}
			fmt.Println()
		}
	}
}
