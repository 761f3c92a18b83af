package phantom

import (
	"math"
	"math/rand/v2"
)

// group holds the typical basal heart of an ACDC pathology group, in mm.
type group struct {
	name     string
	endoR    float64 // LV endocardial radius at ED
	wall     float64 // myocardial thickness at ED
	esArea   float64 // LV cavity area at ES over area at ED
	rvWidth  float64 // RV cavity width at the septum, in LV epicardial radii
	bump     float64 // regional wall change: septal hypertrophy (+) or infarct thinning (-)
	bumpSept bool    // bump on the septum rather than at a random angle
}

var groups = [...]group{
	{name: "DCM", endoR: 32, wall: 6.5, esArea: 0.78, rvWidth: 0.5},
	{name: "HCM", endoR: 21, wall: 11.5, esArea: 0.30, rvWidth: 0.55, bump: 0.3, bumpSept: true},
	{name: "MINF", endoR: 29, wall: 7.5, esArea: 0.68, rvWidth: 0.55, bump: -0.45},
	{name: "NOR", endoR: 25, wall: 8, esArea: 0.45, rvWidth: 0.6},
	{name: "RV", endoR: 24, wall: 7.5, esArea: 0.48, rvWidth: 0.95},
}

// radial is a smooth positive function of the angle θ around the LV centre,
// 1 + Σ_k a_k cos kθ + b_k sin kθ, times an optional bump 1 + amp·((1+cos(θ-θ0))/2)^4.
type radial struct {
	a, b         [5]float64 // index k; k = 0 unused
	bumpC, bumpS float64    // cos θ0, sin θ0
	bumpAmp      float64
}

// at evaluates f at the angle with cosine c and sine s.
func (f *radial) at(c, s float64) float64 {
	v := 1.0
	ck, sk := c, s
	for k := 1; k < len(f.a); k++ {
		v += f.a[k]*ck + f.b[k]*sk
		ck, sk = ck*c-sk*s, sk*c+ck*s
	}
	if f.bumpAmp != 0 {
		d := (1 + c*f.bumpC + s*f.bumpS) / 2
		d *= d
		v *= 1 + f.bumpAmp*d*d
	}
	return v
}

// randomModes sets mode k to amplitude amps[k-1] at a random phase.
func (f *radial) randomModes(r *rand.Rand, amps ...float64) {
	for i, amp := range amps {
		ph := 2 * math.Pi * r.Float64()
		a := amp * uniform(r, 0.5, 1)
		f.a[i+1], f.b[i+1] = a*math.Cos(ph), a*math.Sin(ph)
	}
}

// heartSpec is one patient's heart. Lengths are in mm, positions relative to
// the centre of the field of view (x right, y down). In the heart frame, u
// points from the LV centre to the lateral wall and v is u turned by +90°;
// the RV lies toward -u, anterior toward -v.
type heartSpec struct {
	cx, cy         float64    // LV centre in the basal slice
	driftX, driftY float64    // shift of the LV centre from base to apex
	angle          float64    // direction of u
	endoR, wall    [2]float64 // mean basal LV radius and wall thickness, at ED and ES
	endo, thick    radial     // shapes of endocardium and wall thickness
	apexLen        float64    // long-axis half-ellipsoid length, in stack lengths (> 1)
	apexThin       float64    // fraction of wall thickness lost at the apex
	esApex         float64    // extra shrink of the apical cavity at ES
	rvOff, rvLift  float64    // RV ellipse centre: -rvOff along u, rvLift anterior (epicardial radii)
	rvWidth        float64    // RV cavity width at the septum at the base, ED (epicardial radii)
	rvV            float64    // RV ellipse semi-axis along v at the base, ED (epicardial radii)
	rvESWidth      float64    // RV width at ES over ED
	rvESV          float64    // RV v semi-axis at ES over ED
	rvEnd          float64    // slice position (0 base, 1 apex) where the RV vanishes
	rvWall         float64    // RV free wall
	fat            float64    // epicardial fat at its thickest
	fatC, fatS     float64    // direction of the thickest fat
	papR           float64    // papillary muscle radius (0: none)
	papAngle       [2]float64 // their directions
}

func drawHeart(r *rand.Rand, g group, nz int) heartSpec {
	h := heartSpec{
		cx:       uniform(r, -25, 25),
		cy:       uniform(r, -20, 20),
		driftX:   4 * r.NormFloat64(),
		driftY:   4 * r.NormFloat64(),
		angle:    uniform(r, -0.2, 0.6),
		apexLen:  uniform(r, 1.06, 1.18),
		apexThin: uniform(r, 0.15, 0.3),
		esApex:   uniform(r, 0.1, 0.3),
		fat:      uniform(r, 2, 7),
		papR:     uniform(r, 3.5, 5.5),
	}
	fa := uniform(r, -2.5, -1) // fat gathers anteriorly, toward the RV
	h.fatC, h.fatS = math.Cos(fa), math.Sin(fa)
	h.papAngle = [2]float64{uniform(r, -1.0, -0.6), uniform(r, 0.7, 1.2)}
	h.drawLV(r, g)
	h.drawRV(r, g, nz)
	return h
}

// drawLV sets the LV cavity and wall at ED and ES, with their shapes.
func (h *heartSpec) drawLV(r *rand.Rand, g group) {
	h.endoR[0] = g.endoR * uniform(r, 0.88, 1.12)
	h.wall[0] = clamp(g.wall*uniform(r, 0.85, 1.15), 5.5, 13.5)
	ratio := clamp(g.esArea+uniform(r, -0.07, 0.07), 0.2, 0.9)
	h.endoR[1] = h.endoR[0] * math.Sqrt(ratio)
	// Myocardial area is kept: (R+T)² - R² is the same at ED and ES.
	ring := h.wall[0] * (2*h.endoR[0] + h.wall[0])
	h.wall[1] = math.Sqrt(h.endoR[1]*h.endoR[1]+ring) - h.endoR[1]

	h.endo.randomModes(r, 0, 0.1, 0.03, 0.015) // mode 2 is the ellipticity
	h.thick.randomModes(r, 0.12, 0.08, 0.04)
	if g.bump != 0 {
		ba := math.Pi // the septum
		if !g.bumpSept {
			ba = 2 * math.Pi * r.Float64()
		}
		h.thick.bumpC, h.thick.bumpS = math.Cos(ba), math.Sin(ba)
		h.thick.bumpAmp = g.bump * uniform(r, 0.7, 1.2)
	}
}

// drawRV sets the RV crescent; it vanishes between the second-last and
// the last of nz slices, or a little before.
func (h *heartSpec) drawRV(r *rand.Rand, g group, nz int) {
	h.rvOff = uniform(r, 0.7, 0.85)
	h.rvLift = uniform(r, 0.05, 0.25)
	h.rvWidth = g.rvWidth * uniform(r, 0.85, 1.15)
	h.rvV = uniform(r, 1.3, 1.5)
	if g.name == "RV" {
		h.rvV += 0.2
	}
	h.rvESWidth = uniform(r, 0.55, 0.75)
	h.rvESV = uniform(r, 0.85, 0.95)
	h.rvWall = uniform(r, 2, 3.5)
	step := 1 / float64(nz-1)
	h.rvEnd = uniform(r, max(1-1.5*step, 0.45), 1-0.2*step)
}
