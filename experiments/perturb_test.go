package experiments

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/shared/results"
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

// TestPoolMeasuresAreas: pool.json's areas are each source's mean mask
// area over its ground truth's, per Dice bin.
func TestPoolMeasuresAreas(t *testing.T) {
	const px = 32
	gt := ring(px, 6, 2)
	prep := &Prepared{Px: px, Slices: []acdc.Slice{{Mask: gt}}}
	triple := gt // Dice at most 0.5
	for area(triple) < 3*area(gt) {
		triple = morph(triple, px, true)
	}
	half := append([]uint8(nil), gt...) // Dice 2/3
	for i, n := 0, 0; i < len(half) && n < area(gt)/2; i++ {
		if half[i] == 1 {
			half[i], n = 0, n+1
		}
	}
	pool := &Pool{}
	for _, c := range []struct {
		m      []uint8
		source string
	}{{triple, "unet-d2-f4-e001"}, {half, "perturbed:erode1"}, {gt, "perturbed:none"}} {
		pool.add(candidate{slice: 0, dice: Dice(c.m, gt), source: c.source, mask: packBits(c.m)})
	}
	sum := results.PoolSplit{}
	for b := range 10 {
		sum.Bins = append(sum.Bins, results.Bin{Lo: float64(b) / 10, Hi: float64(b+1) / 10})
	}
	measureAreas(&sum, pool, prep)
	want := func(b int, zoo, fill float64) {
		t.Helper()
		got := sum.Bins[b]
		if math.Abs(got.ZooArea-zoo) > 0.05 || math.Abs(got.PerturbedArea-fill) > 0.05 {
			t.Errorf("bin %d: areas %.3f / %.3f, want %.3f / %.3f", b, got.ZooArea, got.PerturbedArea, zoo, fill)
		}
	}
	if binOf(Dice(triple, gt), 10) == binOf(Dice(half, gt), 10) {
		t.Fatal("the test's zoo and perturbed masks share a bin")
	}
	want(binOf(Dice(triple, gt), 10), float64(area(triple))/float64(area(gt)), 0)
	want(binOf(Dice(half, gt), 10), 0, float64(area(half))/float64(area(gt)))
	want(9, 0, 1)
	if zoo, fill, ok := failedAreas(sum, 0.7); !ok || zoo < 2.9 || fill > 0.6 {
		t.Errorf("failedAreas below 0.7: %.2f, %.2f, %v; want the zoo's triple and the perturbed half", zoo, fill, ok)
	}
}

func TestScatterPlacesBlobsAnywhere(t *testing.T) {
	// An 8 × 8 target in one corner: perturb's blobs stay beside it, so its
	// masks reach the far quarter of the slice only when erosion has emptied
	// them; scatter's blobs land anywhere, the far quarter included.
	const px = 64
	gt := make([]uint8, px*px)
	for y := 2; y < 10; y++ {
		for x := 2; x < 10; x++ {
			gt[y*px+x] = 1
		}
	}
	far := func(recipe perturbation) int {
		rng := rand.New(rand.NewPCG(5, 6))
		n := 0
		for range 2000 {
			m, _ := recipe(gt, px, rng)
			hit := false
			for y := px / 2; y < px && !hit; y++ {
				for x := px / 2; x < px && !hit; x++ {
					hit = m[y*px+x] == 1
				}
			}
			if hit {
				n++
			}
		}
		return n
	}
	scattered, near := far(recipeOf("scatter")), far(recipeOf("perturb"))
	t.Logf("masks reaching the far quarter, of 2000: scatter %d, perturb %d", scattered, near)
	if near > scattered/5 {
		t.Errorf("perturb reached the far quarter %d times, scatter %d: perturb's blobs should stay beside the target", near, scattered)
	}
	if scattered < 100 {
		t.Errorf("scatter reached the far quarter %d times of 2000: its blobs should land anywhere", scattered)
	}
}

func TestPerturbIsTheFormerDefault(t *testing.T) {
	// perturb, the default fill before scatter, must draw what it drew
	// then, so that --set pool.fill=perturb reproduces the runs made with
	// it; the digest is of 300 draws at 60 px (not a multiple of 8, where a
	// rewritten shift range would show) made by the code of afd0705.
	const px = 60
	gt := ring(px, 12, 3)
	rng := rand.New(rand.NewPCG(7, 8))
	h := sha256.New()
	for range 300 {
		m, name := perturb(gt, px, rng)
		h.Write(m)
		h.Write([]byte(name))
	}
	const want = "f644634710ebe71687ebdd1ff811b97216fa3573a993bd40b11e82bdd7a2fd6a"
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != want {
		t.Errorf("perturb's draws digest to %s, want %s (afd0705's)", got, want)
	}
}
