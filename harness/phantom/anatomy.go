package phantom

import (
	"math"
	"math/rand/v2"
)

// tissue is the material of a pixel; it sets the intensity and texture.
type tissue uint8

const (
	air tissue = iota
	fat
	muscle
	lung
	liver
	viscera // stomach and spleen below the diaphragm
	medias  // mediastinal soft tissue and fat
	marrow  // vertebral body
	cortex  // its bony rim
	aorta
	lvBlood
	rvBlood
	myo
	papillary
	rvWall
	epiFat
	numTissues
)

// level is the nominal intensity of each tissue in a bSSFP cine, blood = 1,
// and texture its relative low-pass variation.
var (
	level = [numTissues]float64{
		air: 0, fat: 0.8, muscle: 0.3, lung: 0.06, liver: 0.38, viscera: 0.32,
		medias: 0.42, marrow: 0.45, cortex: 0.08, aorta: 0.85, lvBlood: 1,
		rvBlood: 0.93, myo: 0.32, papillary: 0.34, rvWall: 0.34, epiFat: 0.72,
	}
	texture = [numTissues]float64{
		air: 0, fat: 0.12, muscle: 0.12, lung: 0.6, liver: 0.1, viscera: 0.3,
		medias: 0.35, marrow: 0.2, cortex: 0.2, aorta: 0.06, lvBlood: 0.06, rvBlood: 0.08,
		myo: 0.08, papillary: 0.1, rvWall: 0.1, epiFat: 0.2,
	}
)

// bodySpec is the thorax around the heart, in mm relative to the centre of
// the field of view (x right = patient left, y down = posterior).
type bodySpec struct {
	cx, cy, ax, ay float64 // body outline ellipse
	cos, sin       float64 // its rotation
	fatMM          float64 // subcutaneous fat
	fatShape       radial
	muscleMM       float64 // chest wall and back muscles
	spineX, spineY float64
	spineR         float64
	aortaX, aortaY float64
	aortaR         float64
	liverX, liverY float64 // liver dome centre in the basal slice
	liverA, liverB float64
	liverLift      float64       // rise of the dome toward the apex
	lungs          [2][4]float64 // right and left lung ellipses: x, y, semi-axes
}

// drawBody places the body around the heart h, whose anterior edge comes
// near the chest wall; heavier patients are wider and carry more fat.
func drawBody(r *rand.Rand, h *heartSpec, weight float64) bodySpec {
	build := clamp(weight/75, 0.7, 1.5)
	hx, hy := h.cx, h.cy
	b := bodySpec{
		cx:       hx - uniform(r, 15, 35),
		ax:       145 * math.Pow(build, 0.3) * uniform(r, 0.93, 1.07),
		ay:       108 * math.Pow(build, 0.4) * uniform(r, 0.93, 1.07),
		fatMM:    uniform(r, 6, 14) * build,
		muscleMM: uniform(r, 8, 14),
		spineR:   uniform(r, 14, 18),
		aortaR:   uniform(r, 10, 14),
	}
	front := 1.3*(h.endoR[0]+h.wall[0]) + uniform(r, 8, 25) // heart centre to chest wall
	b.cy = hy - front + b.ay - b.fatMM - 1.4*b.muscleMM
	rot := uniform(r, -0.12, 0.12)
	b.cos, b.sin = math.Cos(rot), math.Sin(rot)
	b.fatShape.randomModes(r, 0.1, 0.25, 0.1)
	b.spineX = b.cx + uniform(r, -8, 8)
	b.spineY = b.cy + b.ay - b.fatMM - 2.2*b.muscleMM - b.spineR - 8
	b.aortaX = b.spineX + b.spineR + b.aortaR - uniform(r, 2, 8)
	b.aortaY = b.spineY - b.spineR - uniform(r, 0, 6)
	b.liverA, b.liverB = 0.65*b.ax*uniform(r, 0.9, 1.1), 0.55*b.ay*uniform(r, 0.9, 1.1)
	b.liverX = b.cx - 0.3*b.ax
	b.liverY = b.cy + 0.6*b.ay
	b.liverLift = uniform(r, 0.25, 0.45) * b.ay
	b.lungs[0] = [4]float64{hx - uniform(r, 75, 95), hy + uniform(r, 0, 20), 0.33 * b.ax * uniform(r, 0.9, 1.1), 0.55 * b.ay}
	b.lungs[1] = [4]float64{hx + uniform(r, 45, 60), hy + uniform(r, 5, 25), 0.36 * b.ax * uniform(r, 0.9, 1.1), 0.58 * b.ay}
	return b
}

// at returns the tissue at (x, y) mm in the slice at position s (0 base, 1 apex),
// the heart aside.
func (b *bodySpec) at(x, y, s float64) tissue {
	dx, dy := x-b.cx, y-b.cy
	u := dx*b.cos + dy*b.sin
	v := -dx*b.sin + dy*b.cos
	q := math.Sqrt(u*u/(b.ax*b.ax) + v*v/(b.ay*b.ay))
	if q >= 1 {
		return air
	}
	d := math.Hypot(u, v)
	depth := d * (1/q - 1) // along the ray from the body centre
	c, sn := 1.0, 0.0
	if d > 0 {
		c, sn = u/d, v/d
	}
	wall := b.fatMM * b.fatShape.at(c, sn)
	if depth < wall {
		return fat
	}
	wall += b.muscleMM * (1 + 0.4*sn*sn + 1.2*max(0, sn)*max(0, sn)) // back muscles are thicker
	if depth < wall {
		return muscle
	}
	if sq(x-b.aortaX)+sq(y-b.aortaY) < sq(b.aortaR) {
		return aorta
	}
	if t, ok := b.spine(x, y); ok {
		return t
	}
	grow := 0.6 + 0.5*s
	if sq((x-b.liverX)/(b.liverA*grow))+sq((y-b.liverY+s*b.liverLift)/(b.liverB*grow)) < 1 {
		return liver
	}
	if s > 0.35 {
		grow := (s - 0.35) / 0.65
		vx, vy := b.cx+0.4*b.ax, b.cy+0.65*b.ay-0.25*b.ay*grow
		if sq((x-vx)/(0.45*b.ax*grow))+sq((y-vy)/(0.35*b.ay*grow)) < 1 {
			return viscera
		}
	}
	for _, l := range b.lungs {
		if sq((x-l[0])/l[2])+sq((y-l[1])/l[3]) < 1 {
			return lung
		}
	}
	return medias
}

// spine reports the vertebral body with its rim and the muscles beside it.
func (b *bodySpec) spine(x, y float64) (tissue, bool) {
	d2 := sq(x-b.spineX) + sq(y-b.spineY)
	switch {
	case d2 < sq(b.spineR-2.5):
		return marrow, true
	case d2 < sq(b.spineR):
		return cortex, true
	case d2 < sq(b.spineR+10) || sq((x-b.spineX)/(2.8*b.spineR))+sq((y-b.spineY-1.5*b.spineR)/(2*b.spineR)) < 1:
		return muscle, true
	}
	return 0, false
}

// look is one patient's contrast and image degradation.
type look struct {
	level   [numTissues]float32 // intensity per tissue
	texture [numTissues]float32 // relative low-pass texture per tissue
	noise   float64             // Rician sigma
	blur    float64             // Gaussian sigma in pixels
	bias    [6]float64          // log bias: x, y, x², y², xy, z
}

// drawLook draws a scanner gain, a contrast curve and a per-tissue jitter.
func drawLook(r *rand.Rand) look {
	var lk look
	gain := uniform(r, 400, 1100)
	gamma := uniform(r, 0.8, 1.2) // below 1 lifts dark tissues: lower contrast
	for t := range numTissues {
		lk.level[t] = float32(gain * math.Pow(level[t], gamma) * uniform(r, 0.88, 1.12))
		lk.texture[t] = float32(texture[t])
	}
	lk.noise = gain * uniform(r, 0.015, 0.045)
	lk.blur = uniform(r, 0.5, 0.85)
	for i := range lk.bias {
		lk.bias[i] = 0.15 * r.NormFloat64()
	}
	lk.bias[1] -= uniform(r, 0, 0.25) // surface coils: anterior brighter
	return lk
}

func sq(x float64) float64 { return x * x }
