package phantom

import (
	"math"
)

// generator renders one patient's frames from its drawn anatomy.
type generator struct {
	pt    *Patient
	seed  uint64
	n     int
	heart heartSpec
	body  bodySpec
	look  look
}

// render fills pt.EDFrame and pt.ESFrame slice by slice.
func (g *generator) render() {
	pt := g.pt
	nx, ny, nz := pt.Nx, pt.Ny, pt.Nz
	frames := [2]*Frame{&pt.EDFrame, &pt.ESFrame}
	for _, f := range frames {
		f.Image = make([]float32, nx*ny*nz)
		f.Label = make([]uint8, nx*ny*nz)
	}
	sc := newScratch(nx, ny)
	sc.bias = biasField(g.look.bias, nx, ny)
	sc.kernel = gaussKernel(g.look.blur)
	for z := range nz {
		g.renderSlice(z, frames, sc)
	}
}

// scratch holds the per-slice buffers reused across slices.
type scratch struct {
	xs, ys       []float64 // pixel centres, mm
	base, tissue []tissue
	img, tmp     []float32
	bias         []float32
	kernel       []float32
}

func newScratch(nx, ny int) *scratch {
	return &scratch{
		xs:     make([]float64, nx),
		ys:     make([]float64, ny),
		base:   make([]tissue, nx*ny),
		tissue: make([]tissue, nx*ny),
		img:    make([]float32, nx*ny),
		tmp:    make([]float32, nx*ny),
	}
}

// renderSlice draws slice z of both frames. The surroundings and their
// texture are shared by the two phases; only the heart and the noise differ.
func (g *generator) renderSlice(z int, frames [2]*Frame, sc *scratch) {
	pt := g.pt
	nx, ny := pt.Nx, pt.Ny
	dx, dy := pt.Spacing[0], pt.Spacing[1]
	for i := range sc.xs {
		sc.xs[i] = (float64(i) + 0.5 - float64(nx)/2) * dx
	}
	for j := range sc.ys {
		sc.ys[j] = (float64(j) + 0.5 - float64(ny)/2) * dy
	}
	s := float64(z) / float64(pt.Nz-1)
	for j, y := range sc.ys {
		for i, x := range sc.xs {
			sc.base[j*nx+i] = g.body.at(x, y, s)
		}
	}
	tex := smoothField(newRand(g.seed, g.n, streamTexture, uint64(z)), nx, ny,
		[]float64{18 / dx, 6 / dx}, []float64{0.85, 0.5})
	plane := nx * ny
	zBias := math.Exp(g.look.bias[5] * (s - 0.5))
	for phase, f := range frames {
		copy(sc.tissue, sc.base)
		lab := f.Label[z*plane : (z+1)*plane]
		hs := g.heart.slice(s, phase, 2.1*max(dx, dy))
		drawHeartSlice(&hs, sc, lab, nx)
		lk := &g.look
		for k, t := range sc.tissue {
			sc.img[k] = max(0, lk.level[t]*(1+lk.texture[t]*tex[k]))
		}
		blur(sc.img, sc.tmp, nx, ny, sc.kernel)
		rng := newRand(g.seed, g.n, streamNoise, uint64(phase<<16|z))
		rician(f.Image[z*plane:(z+1)*plane], sc.img, sc.bias, zBias, lk.noise, rng)
	}
}

// drawHeartSlice paints the heart over sc.tissue and writes its labels.
func drawHeartSlice(hs *heartSlice, sc *scratch, lab []uint8, nx int) {
	dx := sc.xs[1] - sc.xs[0]
	dy := sc.ys[1] - sc.ys[0]
	i0, i1 := span(sc.xs[0], dx, hs.cx, hs.reach, len(sc.xs))
	j0, j1 := span(sc.ys[0], dy, hs.cy, hs.reach, len(sc.ys))
	for j := j0; j < j1; j++ {
		y := sc.ys[j] - hs.cy
		for i := i0; i < i1; i++ {
			x := sc.xs[i] - hs.cx
			u := x*hs.cos + y*hs.sin
			v := -x*hs.sin + y*hs.cos
			if t, l, ok := hs.classify(u, v); ok {
				sc.tissue[j*nx+i] = t
				lab[j*nx+i] = l
			}
		}
	}
}

// span returns the index range of pixels (first centre x0, step d, n of
// them) within reach of c.
func span(x0, d, c, reach float64, n int) (int, int) {
	lo := int(math.Floor((c - reach - x0) / d))
	hi := int(math.Ceil((c+reach-x0)/d)) + 1
	return min(max(lo, 0), n), min(max(hi, 0), n)
}

// classify returns the tissue and label at (u, v) in the heart frame, and
// false outside the heart.
func (hs *heartSlice) classify(u, v float64) (tissue, uint8, bool) {
	r := math.Hypot(u, v)
	if r > hs.reach {
		return 0, 0, false
	}
	c, s := 1.0, 0.0
	if r > 0 {
		c, s = u/r, v/r
	}
	endo := hs.endoR * hs.endo.at(c, s)
	if r < endo {
		for _, p := range hs.pap {
			if p[2] > 0 && sq(u-p[0])+sq(v-p[1]) < sq(p[2]) {
				return papillary, 3, true
			}
		}
		return lvBlood, 3, true
	}
	epi := endo + max(hs.wall*hs.thick.at(c, s), hs.minWall)
	if r < epi {
		return myo, 2, true
	}
	fat := hs.fat * sq(0.5+0.5*(c*hs.fatC+s*hs.fatS))
	if hs.rv {
		du, dv := u-hs.rvCU, v-hs.rvCV
		if sq(du/hs.rvU)+sq(dv/hs.rvV) < 1 {
			return rvBlood, 1, true
		}
		w := hs.rvWall
		if sq(du/(hs.rvU+w))+sq(dv/(hs.rvV+w)) < 1 {
			return rvWall, 0, true
		}
		w += 0.6 * hs.fat
		if sq(du/(hs.rvU+w))+sq(dv/(hs.rvV+w)) < 1 {
			return epiFat, 0, true
		}
	}
	if r < epi+fat {
		return epiFat, 0, true
	}
	return 0, 0, false
}
