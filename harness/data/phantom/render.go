package phantom

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// generator renders one patient's frames from its drawn anatomy.
type generator struct {
	pt    *Patient
	seed  uint64
	n     int
	heart heartSpec
	body  bodySpec
	look  look

	// Shared by all slices, read-only once render starts them.
	xs, ys []float64 // pixel centres, mm from the centre of the field of view
	shell  []tissue  // body wall
	bias   []float32 // bias field
	kernel []float32 // blur
}

// render fills pt.EDFrame and pt.ESFrame. Slices draw from their own
// random streams and write disjoint parts of the frames, so they render in
// parallel without changing a byte.
func (g *generator) render() {
	pt := g.pt
	nx, ny, nz := pt.Nx, pt.Ny, pt.Nz
	frames := [2]*Frame{&pt.EDFrame, &pt.ESFrame}
	for _, f := range frames {
		f.Image = make([]float32, nx*ny*nz)
		f.Label = make([]uint8, nx*ny*nz)
	}
	g.prepare()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), nz) {
		wg.Go(func() {
			sc := newScratch(nx * ny)
			for z := int(next.Add(1) - 1); z < nz; z = int(next.Add(1) - 1) {
				g.renderSlice(z, frames, sc)
			}
		})
	}
	wg.Wait()
}

// prepare computes what every slice shares: pixel positions, body wall,
// bias field and blur kernel.
func (g *generator) prepare() {
	pt := g.pt
	nx, ny := pt.Nx, pt.Ny
	g.xs, g.ys = make([]float64, nx), make([]float64, ny)
	for i := range g.xs {
		g.xs[i] = (float64(i) + 0.5 - float64(nx)/2) * pt.Spacing[0]
	}
	for j := range g.ys {
		g.ys[j] = (float64(j) + 0.5 - float64(ny)/2) * pt.Spacing[1]
	}
	g.shell = make([]tissue, nx*ny)
	for j, y := range g.ys {
		for i, x := range g.xs {
			g.shell[j*nx+i] = g.body.shell(x, y)
		}
	}
	g.bias = biasField(g.look.bias, nx, ny)
	g.kernel = gaussKernel(g.look.blur)
}

// scratch holds one worker's slice buffers.
type scratch struct {
	base, tissue []tissue
	img, tmp     []float32
}

func newScratch(plane int) *scratch {
	return &scratch{
		base:   make([]tissue, plane),
		tissue: make([]tissue, plane),
		img:    make([]float32, plane),
		tmp:    make([]float32, plane),
	}
}

// renderSlice draws slice z of both frames. The surroundings and their
// texture are shared by the two phases; only the heart and the noise differ.
func (g *generator) renderSlice(z int, frames [2]*Frame, sc *scratch) {
	pt := g.pt
	nx, ny, plane := pt.Nx, pt.Ny, pt.Nx*pt.Ny
	s := float64(z) / float64(pt.Nz-1)
	for j, y := range g.ys {
		for i, x := range g.xs {
			k := j*nx + i
			if sc.base[k] = g.shell[k]; sc.base[k] == inside {
				sc.base[k] = g.body.interior(x, y, s)
			}
		}
	}
	dx := pt.Spacing[0]
	tex := smoothField(newRand(g.seed, g.n, streamTexture, uint64(z)), nx, ny,
		[]float64{18 / dx, 6 / dx}, []float64{0.85, 0.5})
	zBias := math.Exp(g.look.bias[5] * (s - 0.5))
	lk := &g.look
	for phase, f := range frames {
		copy(sc.tissue, sc.base)
		lab := f.Label[z*plane : (z+1)*plane]
		hs := g.heart.slice(s, phase, 2.1*max(pt.Spacing[0], pt.Spacing[1]))
		g.drawHeart(&hs, sc.tissue, lab)
		for k, t := range sc.tissue {
			sc.img[k] = max(0, lk.level[t]*(1+lk.texture[t]*tex[k]))
		}
		blur(sc.img, sc.tmp, nx, ny, g.kernel)
		rng := newRand(g.seed, g.n, streamNoise, uint64(phase<<16|z))
		rician(f.Image[z*plane:(z+1)*plane], sc.img, g.bias, zBias, lk.noise, rng)
	}
}

// drawHeart paints the heart slice hs over tis and writes its labels.
func (g *generator) drawHeart(hs *heartSlice, tis []tissue, lab []uint8) {
	nx := len(g.xs)
	i0, i1 := span(g.xs[0], g.pt.Spacing[0], hs.cx, hs.reach, nx)
	j0, j1 := span(g.ys[0], g.pt.Spacing[1], hs.cy, hs.reach, len(g.ys))
	for j := j0; j < j1; j++ {
		y := g.ys[j] - hs.cy
		for i := i0; i < i1; i++ {
			x := g.xs[i] - hs.cx
			u := x*hs.cos + y*hs.sin
			v := -x*hs.sin + y*hs.cos
			if t, l, ok := hs.classify(u, v); ok {
				tis[j*nx+i] = t
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
