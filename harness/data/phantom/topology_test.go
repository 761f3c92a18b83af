package phantom

import (
	"math"
	"testing"
)

// sliceCounts returns the pixel count of every label in slice z.
func sliceCounts(pt Patient, f Frame, z int) [4]int {
	var c [4]int
	plane := pt.Nx * pt.Ny
	for _, l := range f.Label[z*plane : (z+1)*plane] {
		c[l]++
	}
	return c
}

func TestLabelTopology(t *testing.T) {
	for _, pt := range cohort() {
		nx, ny, plane := pt.Nx, pt.Ny, pt.Nx*pt.Ny
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			for z := range pt.Nz {
				lab := f.Label[z*plane : (z+1)*plane]
				rvTouchesMyo, hasRV, hasLV := false, false, false
				for j := range ny {
					for i := range nx {
						l := lab[j*nx+i]
						if l > 3 {
							t.Fatalf("%s phase %d slice %d: label %d", pt.ID, ph, z, l)
						}
						hasRV = hasRV || l == 1
						hasLV = hasLV || l == 3
						for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
							ii, jj := i+d[0], j+d[1]
							var m uint8 // outside the image counts as background
							if ii >= 0 && jj >= 0 && ii < nx && jj < ny {
								m = lab[jj*nx+ii]
							}
							if l == 3 && m != 3 && m != 2 {
								t.Fatalf("%s phase %d slice %d: LV pixel (%d,%d) touches label %d", pt.ID, ph, z, i, j, m)
							}
							rvTouchesMyo = rvTouchesMyo || (l == 1 && m == 2)
						}
					}
				}
				if hasRV && !rvTouchesMyo {
					t.Errorf("%s phase %d slice %d: RV cavity does not touch the myocardium", pt.ID, ph, z)
				}
				if z < pt.Nz/2 && !(hasRV && hasLV) {
					t.Errorf("%s phase %d basal slice %d: RV %v, LV %v", pt.ID, ph, z, hasRV, hasLV)
				}
				if z == pt.Nz-1 && hasRV {
					t.Errorf("%s phase %d: RV in the apical slice", pt.ID, ph)
				}
			}
		}
	}
}

func TestSystoleContracts(t *testing.T) {
	for _, pt := range cohort() {
		var lvED, lvES, myED, myES int
		for z := range pt.Nz {
			ed, es := sliceCounts(pt, pt.EDFrame, z), sliceCounts(pt, pt.ESFrame, z)
			lvED, lvES, myED, myES = lvED+ed[3], lvES+es[3], myED+ed[2], myES+es[2]
		}
		if lvES >= lvED {
			t.Errorf("%s: LV cavity %d px at ES, %d at ED", pt.ID, lvES, lvED)
		}
		if r := float64(myES) / float64(myED); r < 0.8 || r > 1.25 {
			t.Errorf("%s: myocardium ES/ED area %.2f, want about 1", pt.ID, r)
		}
		mid := pt.Nz / 3
		ed, es := sliceCounts(pt, pt.EDFrame, mid), sliceCounts(pt, pt.ESFrame, mid)
		if tES, tED := ringThickness(es), ringThickness(ed); tES <= tED {
			t.Errorf("%s slice %d: wall %.1f px at ES, %.1f at ED", pt.ID, mid, tES, tED)
		}
	}
}

// ringThickness is the mean wall thickness, in pixels, of an annulus with
// the given cavity and myocardium areas.
func ringThickness(c [4]int) float64 {
	return math.Sqrt(float64(c[2]+c[3])/math.Pi) - math.Sqrt(float64(c[3])/math.Pi)
}

func TestApexSmaller(t *testing.T) {
	for _, pt := range cohort() {
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			base, apex := sliceCounts(pt, f, 0), sliceCounts(pt, f, pt.Nz-1)
			if a, b := apex[2]+apex[3], base[2]+base[3]; a >= b/2 {
				t.Errorf("%s phase %d: apical LV %d px, basal %d", pt.ID, ph, a, b)
			}
			if apex[1] >= base[1] {
				t.Errorf("%s phase %d: apical RV %d px, basal %d", pt.ID, ph, apex[1], base[1])
			}
		}
	}
}

// TestShortStacks checks the extremes of the slice range: with two or three
// slices the RV is still in the base and gone from the apex.
func TestShortStacks(t *testing.T) {
	for n := 1; n <= 10; n++ {
		pt := Generate(Params{MinSlices: 2, MaxSlices: 3}, 5, n)
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			base, apex := sliceCounts(pt, f, 0), sliceCounts(pt, f, pt.Nz-1)
			if base[1] == 0 || base[3] == 0 || apex[1] != 0 {
				t.Errorf("%s phase %d, %d slices: base RV %d LV %d px, apex RV %d px",
					pt.ID, ph, pt.Nz, base[1], base[3], apex[1])
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		Generate(Params{}, 1, 1+i%10)
	}
}
