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
	liverLift      float64     // rise of the dome toward the apex
	lungs          [2]lungSpec // right (image left) and left lung
}

// lungSpec is a lung: an ellipse with a wavy outline.
type lungSpec struct {
	x, y, a, b float64
	shape      radial
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
	epi := h.endoR[0] + h.wall[0]
	front := (h.rvLift+h.rvV)*epi + uniform(r, 5, 15) // heart centre to chest wall
	b.cy = hy - front + b.ay - b.fatMM - 1.4*b.muscleMM
	rot := uniform(r, -0.12, 0.12)
	b.cos, b.sin = math.Cos(rot), math.Sin(rot)
	b.fatShape.randomModes(r, 0.1, 0.25, 0.1)
	b.placeSpine(r, h)
	b.placeOrgans(r, hx, hy)
	return b
}

// placeSpine puts the spine at the back and the descending aorta beside it,
// behind the heart h.
func (b *bodySpec) placeSpine(r *rand.Rand, h *heartSpec) {
	epi := h.endoR[0] + h.wall[0]
	b.spineX = b.cx + uniform(r, -8, 8)
	b.spineY = b.cy + b.ay - b.fatMM - 2.2*b.muscleMM - b.spineR - 8
	aortaGap := b.spineR + uniform(r, 0, 6)
	// A large heart deepens the chest, so the aorta stays behind it.
	if deficit := h.cy + max(0, h.driftY) + 1.1*epi + b.aortaR + aortaGap - b.spineY; deficit > 0 {
		b.ay += deficit / 2
		b.cy += deficit / 2
		b.spineY += deficit
	}
	b.aortaX = b.spineX + b.spineR + b.aortaR - uniform(r, 2, 8)
	b.aortaY = b.spineY - aortaGap
}

// placeOrgans puts the liver below and the lungs beside a heart centred at
// (hx, hy).
func (b *bodySpec) placeOrgans(r *rand.Rand, hx, hy float64) {
	b.liverA, b.liverB = 0.65*b.ax*uniform(r, 0.9, 1.1), 0.55*b.ay*uniform(r, 0.9, 1.1)
	b.liverX = b.cx - 0.3*b.ax
	b.liverY = b.cy + 0.6*b.ay
	b.liverLift = uniform(r, 0.25, 0.45) * b.ay
	b.lungs[0] = lungSpec{x: hx - uniform(r, 75, 95), y: hy + uniform(r, 0, 20), a: 0.33 * b.ax, b: 0.55 * b.ay}
	b.lungs[1] = lungSpec{x: hx + uniform(r, 45, 60), y: hy + uniform(r, 5, 25), a: 0.36 * b.ax, b: 0.58 * b.ay}
	for i := range b.lungs {
		b.lungs[i].a *= uniform(r, 0.9, 1.1)
		b.lungs[i].shape.randomModes(r, 0.04, 0.06, 0.05, 0.04)
	}
}

// inside marks the thoracic cavity in the result of shell.
const inside = numTissues

// shell returns the tissue of the body wall at (x, y) mm: air, fat,
// muscle, or inside for the cavity within. It is the same in every slice.
func (b *bodySpec) shell(x, y float64) tissue {
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
	return inside
}

// interior returns the tissue at (x, y) mm inside the body wall, the heart
// aside, in the slice at position s (0 base, 1 apex).
func (b *bodySpec) interior(x, y, s float64) tissue {
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
	for i := range b.lungs {
		if b.lungs[i].contains(x, y) {
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

// contains reports whether (x, y) mm lies in the lung; only points near
// the outline pay for a square root.
func (l *lungSpec) contains(x, y float64) bool {
	u, v := (x-l.x)/l.a, (y-l.y)/l.b
	q2 := u*u + v*v
	if q2 >= 1.5 || q2 < 0.5 {
		return q2 < 0.5
	}
	q := math.Sqrt(q2)
	return q < l.shape.at(u/q, v/q)
}

func sq(x float64) float64 { return x * x }
