package experiments

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// ring is a thin annulus centred in a px × px slice, the shape of the
// myocardium and of a grey-matter band.
func ring(px int, r, width float64) []uint8 {
	m := make([]uint8, px*px)
	c := float64(px-1) / 2
	for y := range px {
		for x := range px {
			if d := math.Hypot(float64(x)-c, float64(y)-c); d >= r && d < r+width {
				m[y*px+x] = 1
			}
		}
	}
	return m
}

func area(m []uint8) int {
	n := 0
	for _, v := range m {
		n += int(v)
	}
	return n
}

// TestGrowOverSegments checks pool.fill grow against perturb on a ring:
// grow's failed segmentations (Dice below 0.4) are over-segmentations, as
// the zoo's are, perturb's are mostly smaller than the ground truth; and
// grow reaches every Dice bin from 0.1 up, so a fill can complete.
func TestGrowOverSegments(t *testing.T) {
	const px = 64
	gt := ring(px, 14, 3)
	g := float64(area(gt))
	ratio := func(recipe perturbation) (low float64, bins [10]int) {
		rng := rand.New(rand.NewPCG(1, 2))
		sum, n := 0.0, 0
		for range 3000 {
			m, _ := recipe(gt, px, rng)
			d := Dice(m, gt)
			bins[binOf(d, 10)]++
			if d < 0.4 {
				sum += float64(area(m)) / g
				n++
			}
		}
		return sum / float64(max(n, 1)), bins
	}
	growLow, growBins := ratio(recipeOf("grow"))
	perturbLow, _ := ratio(recipeOf("perturb"))
	t.Logf("mean area / ground truth's at Dice < 0.4: grow %.2f, perturb %.2f; grow's bins %v", growLow, perturbLow, growBins)
	if growLow < 2 {
		t.Errorf("grow's low-Dice masks are %.2f times the ground truth's area; over-segmentations are at least 2", growLow)
	}
	if perturbLow >= 2 {
		t.Errorf("perturb's low-Dice masks are %.2f times the ground truth's area: the two recipes no longer differ", perturbLow)
	}
	for b := 1; b < 10; b++ {
		if growBins[b] == 0 {
			t.Errorf("grow never reached Dice bin %d in 3000 draws", b)
		}
	}
}

// TestGrowNeverErodes: without a shift, a grown mask holds the whole
// ground truth (dilations and blobs only add); perturb's erosions and holes
// do not.
func TestGrowNeverErodes(t *testing.T) {
	const px = 64
	gt := ring(px, 10, 3)
	holds := func(m []uint8) bool {
		for i, v := range gt {
			if v == 1 && m[i] == 0 {
				return false
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(3, 4))
	unshifted := 0
	for range 500 {
		m, name := grow(gt, px, rng)
		if strings.Contains(name, "shift") {
			continue
		}
		unshifted++
		if !holds(m) {
			t.Fatalf("%s lost part of the ground truth", name)
		}
	}
	if unshifted < 50 {
		t.Fatalf("only %d of 500 draws without a shift", unshifted)
	}
	lost := 0
	for range 500 {
		if m, _ := perturb(gt, px, rng); !holds(m) {
			lost++
		}
	}
	if lost == 0 {
		t.Error("perturb never lost part of the ground truth: the check has no power")
	}
}
