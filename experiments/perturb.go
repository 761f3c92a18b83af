package experiments

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
)

// fillByPerturbation tops up the bins of pool that the zoo left short with
// segmentations made by perturbing the ground truth of the split's slices
// with recipe: perturb (erosion, dilation, shifts, holes and spurious
// blobs, in random mixtures) or grow (over-segmentation only).
func fillByPerturbation(pool *Pool, sum *results.PoolSplit, prep *Prepared, split results.Split, idx []int, need int, recipe perturbation, rng *rand.Rand) error {
	bins := len(sum.Bins)
	missing := 0
	for _, b := range sum.Bins {
		missing += need - b.Sampled
	}
	for tries := 0; missing > 0; tries++ {
		if tries > 400*missing+20000 {
			for b, bs := range sum.Bins {
				if bs.Sampled < need {
					return fmt.Errorf("pool: split %s, bin %d [%.2f, %.2f): perturbations could not reach it (%d of %d)", split, b, bs.Lo, bs.Hi, bs.Sampled, need)
				}
			}
		}
		i := idx[rng.IntN(len(idx))]
		s := prep.Slices[i]
		mask, name := recipe(s.Mask, prep.Px, rng)
		d := Dice(mask, s.Mask)
		b := binOf(d, bins)
		if sum.Bins[b].Sampled >= need {
			continue
		}
		pool.add(candidate{slice: i, dice: d, source: "perturbed:" + name, mask: packBits(mask)})
		sum.Bins[b].Sampled++
		sum.Bins[b].Perturbed++
		sum.Perturbed++
		missing--
	}
	return nil
}

// A perturbation makes a segmentation from the ground truth gt of a px × px
// slice, and names what it did.
type perturbation func(gt []uint8, px int, rng *rand.Rand) ([]uint8, string)

// recipeOf is pool.fill's perturbation.
func recipeOf(fill config.PoolFill) perturbation {
	switch fill {
	case config.FillGrow:
		return grow
	case config.FillScatter:
		return scatter
	}
	return perturb
}

// perturb applies one to three random perturbations to gt, its spurious
// blobs near the mask.
func perturb(gt []uint8, px int, rng *rand.Rand) ([]uint8, string) { return mixed(gt, px, rng, false) }

// scatter is perturb with its errors far from the target as well as beside
// it, as a failing network's are: spurious blobs of radius up to px/6
// anywhere in the slice (perturb's: up to px/10, beside the mask) and
// shifts of up to px/4 (perturb's: px/8).
func scatter(gt []uint8, px int, rng *rand.Rand) ([]uint8, string) { return mixed(gt, px, rng, true) }

// mixed applies one to three random perturbations to gt: erosions,
// dilations, shifts, holes and spurious blobs; with anywhere the blobs are
// centred anywhere in the slice and larger, and the shifts reach further.
func mixed(gt []uint8, px int, rng *rand.Rand, anywhere bool) ([]uint8, string) {
	m := append([]uint8(nil), gt...)
	recipe := ""
	for k := range 1 + rng.IntN(3) {
		if k > 0 {
			recipe += "+"
		}
		switch rng.IntN(5) {
		case 0:
			n := 1 + rng.IntN(3)
			for range n {
				m = morph(m, px, false)
			}
			recipe += fmt.Sprintf("erode%d", n)
		case 1:
			n := 1 + rng.IntN(4)
			for range n {
				m = morph(m, px, true)
			}
			recipe += fmt.Sprintf("dilate%d", n)
		case 2:
			span, reach := px/4, px/8 // perturb's, kept bit for bit
			if anywhere {
				span, reach = px/2, px/4
			}
			dx, dy := rng.IntN(span+1)-reach, rng.IntN(span+1)-reach
			m = shift(m, px, dx, dy)
			recipe += fmt.Sprintf("shift(%d,%d)", dx, dy)
		case 3:
			r := 1 + rng.Float64()*float64(px)/12
			m = disc(m, px, rng, r, 0, false)
			recipe += fmt.Sprintf("hole%.0f", r)
		default:
			rmax := float64(px) / 10
			if anywhere {
				rmax = float64(px) / 6
			}
			r := 1 + rng.Float64()*rmax
			m = disc(m, px, rng, r, 1, anywhere)
			recipe += fmt.Sprintf("blob%.0f", r)
		}
	}
	return m, recipe
}

// grow applies one to three random over-segmentations to gt: dilations by
// up to px/8 pixels, spurious blobs of radius up to px/6 near the mask, and
// shifts of up to px/4 (a network that found the wrong structure). Nothing is eroded or cut out, so a grown mask is
// about as large as gt or larger, as the zoo's failed segmentations are
// (over-segmentations of 2 to 10 times the ground truth's area at Dice
// below 0.4 on brains, docs/fidelity.md), where perturb's low-Dice masks
// are eroded or shifted and smaller than the ground truth.
func grow(gt []uint8, px int, rng *rand.Rand) ([]uint8, string) {
	m := append([]uint8(nil), gt...)
	recipe := ""
	for k := range 1 + rng.IntN(3) {
		if k > 0 {
			recipe += "+"
		}
		switch rng.IntN(3) {
		case 0:
			n := 1 + rng.IntN(max(1, px/8))
			for range n {
				m = morph(m, px, true)
			}
			recipe += fmt.Sprintf("dilate%d", n)
		case 1:
			r := 1 + rng.Float64()*float64(px)/6
			m = disc(m, px, rng, r, 1, false)
			recipe += fmt.Sprintf("blob%.0f", r)
		default:
			dx, dy := rng.IntN(px/2+1)-px/4, rng.IntN(px/2+1)-px/4
			m = shift(m, px, dx, dy)
			recipe += fmt.Sprintf("shift(%d,%d)", dx, dy)
		}
	}
	return m, recipe
}

// morph is one step of 4-neighbour dilation (grow) or erosion.
func morph(m []uint8, px int, grow bool) []uint8 {
	out := make([]uint8, len(m))
	for y := range px {
		for x := range px {
			v := m[y*px+x]
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				u, w := x+d[0], y+d[1]
				n := uint8(0)
				if u >= 0 && u < px && w >= 0 && w < px {
					n = m[w*px+u]
				}
				if grow {
					v |= n
				} else {
					v &= n
				}
			}
			out[y*px+x] = v
		}
	}
	return out
}

func shift(m []uint8, px, dx, dy int) []uint8 {
	out := make([]uint8, len(m))
	for y := range px {
		for x := range px {
			u, w := x-dx, y-dy
			if u >= 0 && u < px && w >= 0 && w < px {
				out[y*px+x] = m[w*px+u]
			}
		}
	}
	return out
}

// disc sets a disc of radius r to v, centred near the mask (anywhere in
// the slice if the mask is empty or with anywhere).
func disc(m []uint8, px int, rng *rand.Rand, r float64, v uint8, anywhere bool) []uint8 {
	var cx, cy float64
	var on []int // the mask's pixels, around which the disc is centred
	if !anywhere {
		for i, b := range m {
			if b != 0 {
				on = append(on, i)
			}
		}
	}
	if len(on) > 0 {
		c := on[rng.IntN(len(on))]
		cx, cy = float64(c%px)+rng.NormFloat64()*r, float64(c/px)+rng.NormFloat64()*r
	} else {
		cx, cy = rng.Float64()*float64(px), rng.Float64()*float64(px)
	}
	out := append([]uint8(nil), m...)
	for y := range px {
		for x := range px {
			if math.Hypot(float64(x)-cx, float64(y)-cy) <= r {
				out[y*px+x] = v
			}
		}
	}
	return out
}
