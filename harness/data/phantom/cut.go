package phantom

import "math"

// heartSlice is the heart cut at one slice position and phase, in the heart
// frame of that slice.
type heartSlice struct {
	cx, cy, cos, sin float64 // LV centre and direction of u
	endoR, wall      float64 // mean LV radius and wall thickness
	minWall          float64 // floor of the local wall thickness
	endo, thick      *radial
	rv               bool
	rvCU, rvCV       float64 // RV ellipse centre
	rvU, rvV         float64 // RV ellipse semi-axes
	rvWall, fat      float64
	fatC, fatS       float64
	pap              [2][3]float64 // papillary muscles: u, v, radius
	reach            float64       // no heart tissue lies farther from the LV centre
}

// slice cuts h at position s (0 base, 1 apex) in phase 0 (ED) or 1 (ES).
// minWall is the thinnest wall allowed, so that the myocardium stays closed
// at the pixel scale.
func (h *heartSpec) slice(s float64, phase int, minWall float64) heartSlice {
	hs := heartSlice{
		cx:      h.cx + s*h.driftX,
		cy:      h.cy + s*h.driftY,
		cos:     math.Cos(h.angle),
		sin:     math.Sin(h.angle),
		minWall: minWall,
		endo:    &h.endo,
		thick:   &h.thick,
		rvWall:  h.rvWall,
		fat:     h.fat * (1 - 0.4*s),
		fatC:    h.fatC,
		fatS:    h.fatS,
	}
	cavity := math.Sqrt(max(0, 1-(s/h.apexLen)*(s/h.apexLen)))
	if phase == 1 {
		cavity *= 1 - h.esApex*s*s
	}
	hs.endoR = h.endoR[phase] * cavity
	hs.wall = h.wall[phase] * (1 - h.apexThin*s)
	epi := hs.endoR + hs.wall
	// The RV is an ellipse cut by the LV epicardium. Its width at the
	// septum falls to zero at rvEnd, where the ellipse sinks into the LV.
	f := math.Sqrt(max(0, 1-s/h.rvEnd))
	width, rvV := h.rvWidth*f, h.rvV*math.Sqrt(f)
	if phase == 1 {
		width, rvV = width*h.rvESWidth, rvV*h.rvESV
	}
	hs.rvCU, hs.rvCV = -h.rvOff*epi, -h.rvLift*f*epi
	hs.rvU, hs.rvV = (width+1-h.rvOff)*epi, rvV*epi
	hs.rv = width*epi > 0.5
	hs.reach = 1.5*epi + hs.fat + minWall
	if hs.rv {
		hs.reach = max(hs.reach, math.Hypot(hs.rvCU, hs.rvCV)+max(hs.rvU, hs.rvV)+hs.rvWall+hs.fat)
	}
	// Papillary muscles hang in mid-ventricular slices; at ES they press
	// into the wall of the smaller cavity.
	size := h.papR * math.Sin(math.Pi*clamp((s-0.1)/0.7, 0, 1))
	inset := 1.1
	if phase == 1 {
		size *= math.Sqrt(h.endoR[1] / h.endoR[0])
		inset = 0.5
	}
	if size > 0.5 {
		for i, a := range h.papAngle {
			c, sn := math.Cos(a), math.Sin(a)
			d := hs.endoR*hs.endo.at(c, sn) - inset*size
			hs.pap[i] = [3]float64{d * c, d * sn, size}
		}
	}
	return hs
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
