package figures

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// predictionPanels are paper Fig. 6: segmentations of falling quality with
// the true Dice and both methods' predictions in two-line titles.
func predictionPanels(rng *rand.Rand) []Panel {
	ph := newPhantom(96, 96, rng)
	var panels []Panel
	for i, shift := range []float64{0, 3, 7, 12} {
		seg := ph.shifted(shift, -shift/2, float64(i))
		truth := dice(seg, ph.myo)
		panels = append(panels, Panel{
			Title: fmt.Sprintf("true Dice %.2f\n(x,s) %.2f · (d,s) %.2f", truth, math.Min(1, truth+0.06*float64(i)), math.Min(1, truth+0.02)),
			Img:   ph.img, W: ph.w, H: ph.h, Lo: -1, Hi: 1,
			Contours: []Contour{{Mask: ph.myo, Color: green}, {Mask: seg, Color: red}},
		})
	}
	return panels
}

func dice(a, b []uint8) float64 {
	var inter, sum float64
	for i := range a {
		if a[i] != 0 && b[i] != 0 {
			inter++
		}
		sum += float64(a[i]&1) + float64(b[i]&1)
	}
	return 2 * inter / sum
}

// attackPanels are paper Fig. 7: x, the FGSM perturbation, x_adv and the
// difference images before and after the attack.
func attackPanels(rng *rand.Rand) []Panel {
	ph := newPhantom(80, 100, rng) // not square: the aspect ratio is kept
	const eps = 0.1
	pert := make([]float32, len(ph.img))
	adv := make([]float32, len(ph.img))
	d := make([]float32, len(ph.img))
	dAdv := make([]float32, len(ph.img))
	for i, v := range ph.img {
		pert[i] = eps
		if rng.IntN(2) == 0 {
			pert[i] = -eps
		}
		adv[i] = v + pert[i]
		if ph.myo[i] != 0 {
			d[i] = float32(0.05 * rng.Float64())
			dAdv[i] = float32(0.05*rng.Float64() + 0.3*rng.Float64()*float64(ph.myo[i]))
		}
		dAdv[i] += float32(math.Abs(float64(pert[i])) * 0.8 * rng.Float64())
	}
	return []Panel{
		{Title: "x", Img: ph.img, W: ph.w, H: ph.h, Lo: -1, Hi: 1, Contours: []Contour{{Mask: ph.myo, Color: green}}},
		{Title: "ε·sign(grad_x L), ε=0.1", Img: pert, W: ph.w, H: ph.h, Lo: -2 * eps, Hi: 2 * eps},
		{Title: "x_adv", Img: adv, W: ph.w, H: ph.h, Lo: -1, Hi: 1},
		{Title: "d", Img: d, W: ph.w, H: ph.h, Lo: 0, Hi: 0.5, Colormap: "hot"},
		{Title: "d' from x_adv", Img: dAdv, W: ph.w, H: ph.h, Lo: 0, Hi: 0.5, Colormap: "hot"},
	}
}

func TestImageGridSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	pred := predictionPanels(rng)
	img := renderGrid(t, pred, 4, 200)
	two := newGridLayout(pred, 4, 200)
	one := newGridLayout([]Panel{{Title: "one line"}}, 1, 200)
	if two.titleH <= one.titleH {
		t.Errorf("two-line titles get %d px, one line %d", two.titleH, one.titleH)
	}
	if w, h := two.size(); img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Errorf("size %v, want %d×%d", img.Bounds().Size(), w, h)
	}
	// The 80×100 phantom fits a 150 px cell as 120×150, centred: the cell's
	// left and right 15 columns stay white.
	att := attackPanels(rng)
	img = renderGrid(t, att, 0, 150)
	g := newGridLayout(att, 0, 150)
	r := g.cellRect(2)
	if !sameRGB(img.At(r.Min.X+5, r.Min.Y+75), white) || sameRGB(img.At(r.Min.X+20, r.Min.Y+75), white) {
		t.Error("non-square image not letterboxed as expected")
	}
	saveSample(t, "grid_predictions_fig6.png", func(w io.Writer) error { return ImageGrid(w, pred, 4, 200) })
	saveSample(t, "grid_attack_fig7.png", func(w io.Writer) error { return ImageGrid(w, att, 0, 180) })
}

func TestSavePNGAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fig.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := SavePNG(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("failed render replaced the file: %q", got)
	}
	if err := SavePlot(path, Curves(nil, "x", "y", "empty"), 0, 0); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if got, _ := os.ReadFile(path); len(got) < 8 || string(got[1:4]) != "PNG" {
		t.Errorf("saved file is not a PNG")
	}
}
