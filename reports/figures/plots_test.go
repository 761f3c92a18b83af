package figures

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// rendered is a plot drawn at the size WritePNG uses by default, decoded
// back from PNG, with the map from data coordinates to its pixels.
type rendered struct {
	img  image.Image
	toPx func(x, y float64) image.Point
}

func render(t *testing.T, p *plot.Plot) rendered {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, 0, 0); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	wantW, wantH := int(DefaultWidth.Dots(DPI)+0.5), int(DefaultHeight.Dots(DPI)+0.5)
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Fatalf("size %v, want %d×%d", b.Size(), wantW, wantH)
	}
	// Lay the plot out again on a canvas of the same size to learn where
	// data coordinates land.
	c := draw.New(vgimg.NewWith(vgimg.UseWH(DefaultWidth, DefaultHeight), vgimg.UseDPI(DPI)))
	da := p.DataCanvas(c)
	tx, ty := p.Transforms(&da)
	toPx := func(x, y float64) image.Point {
		return image.Pt(int(tx(x).Dots(DPI)), wantH-1-int(ty(y).Dots(DPI)))
	}
	return rendered{img, toPx}
}

// tinted reports whether some pixel within r pixels of pt is closer to c
// than to white and grey: the data was drawn there in c's hue.
func (r rendered) tinted(pt image.Point, c color.RGBA, radius int) bool {
	for dy := -radius; dy <= radius; dy++ {
		for dx := -radius; dx <= radius; dx++ {
			pr, pg, pb, _ := r.img.At(pt.X+dx, pt.Y+dy).RGBA()
			got := [3]float64{float64(pr >> 8), float64(pg >> 8), float64(pb >> 8)}
			if hueMatch(got, c) {
				return true
			}
		}
	}
	return false
}

// hueMatch: got is c blended over white at some opacity above 10%.
func hueMatch(got [3]float64, c color.RGBA) bool {
	want := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
	// got = a*want + (1-a)*255 for one a in (0.1, 1].
	var a float64
	for k := range 3 {
		if d := 255 - want[k]; d > 40 {
			a = (255 - got[k]) / d
			break
		}
	}
	if a < 0.1 || a > 1.05 {
		return false
	}
	for k := range 3 {
		if math.Abs(a*want[k]+(1-a)*255-got[k]) > 12 {
			return false
		}
	}
	return true
}

func TestScatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var truth, predA, predB []float64
	for range 1000 {
		d := rng.Float64()
		truth = append(truth, d)
		predA = append(predA, clamp01(d+0.05*rng.NormFloat64()))
		predB = append(predB, clamp01(d+0.03+0.04*rng.NormFloat64()))
	}
	names := []string{"Robinson et al. (x, s)", "proposed (d, s)"}
	p := Scatter([][]float64{predA, predB}, [][]float64{truth, truth}, names, "Predicted vs. true Dice, test pool")
	r := render(t, p)
	if !r.tinted(r.toPx(truth[0], predB[0]), Color(1), 1) {
		t.Error("no orange glyph at the last method's first point")
	}
	if r.tinted(r.toPx(0.9, 0.1), Color(0), 3) || r.tinted(r.toPx(0.9, 0.1), Color(1), 3) {
		t.Error("points drawn far from the identity line where there are none")
	}
	saveSample(t, "scatter.png", func(w io.Writer) error { return WritePNG(w, p, 5*72, 5*72) })
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func TestHistograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var before, after []float64
	for range 20000 {
		before = append(before, clamp01(1-math.Abs(0.15*rng.NormFloat64())))
	}
	for range 3200 {
		after = append(after, rng.Float64())
	}
	p := Histograms([]Group{{Name: "train, all zoo outputs", Values: before}, {Name: "train, Dice-balanced", Values: after}}, 10, "Dice of the simulated segmentations")
	p.X.Label.Text = "Dice"
	r := render(t, p)
	// The skewed group puts most of its mass in the last bin, well above the
	// balanced group's 0.1; mid-way up that bar is tinted blue.
	if !r.tinted(r.toPx(0.95, 0.3), Color(0), 1) {
		t.Error("the tall last bin of the first group is not filled")
	}
	if r.tinted(r.toPx(0.25, 0.5), Color(0), 2) || r.tinted(r.toPx(0.25, 0.5), Color(1), 2) {
		t.Error("fill above every bar at Dice 0.25")
	}
	saveSample(t, "histograms.png", func(w io.Writer) error { return WritePNG(w, p, 0, 0) })
}

func TestErrorBars(t *testing.T) {
	eps := []float64{0, 0.05, 0.1, 0.2, 0.3}
	series := []Series{
		{Name: "Robinson et al. (x_adv, s)", X: eps, Y: []float64{0.043, 0.081, 0.109, 0.143, 0.162}, Err: []float64{0.05, 0.061, 0.072, 0.081, 0.09}},
		{Name: "proposed (d_adv, s)", X: eps, Y: []float64{0.039, 0.07, 0.089, 0.092, 0.119}, Err: []float64{0.048, 0.058, 0.061, 0.07, 0.09}},
		{Name: "proposed (d' from x_adv, s)", X: eps, Y: []float64{0.039, 0.042, 0.043, 0.069, 0.14}, Err: []float64{0.048, 0.05, 0.051, 0.061, 0.1}},
		{Name: "paper: Robinson et al.", X: eps, Y: []float64{0.04, 0.08, 0.11, 0.14, 0.16}, Dashed: true},
	}
	p := ErrorBars(series, "FGSM ε", "MAE of predicted Dice", "Robustness to adversarial attacks")
	r := render(t, p)
	// The top of the first series' bar at eps 0.3 (shifted left by its dodge).
	x := 0.3 + dodge(series, 0)
	if !r.tinted(r.toPx(x, 0.162+0.09), Color(0), 2) {
		t.Error("no blue error-bar cap at the top of the baseline's eps=0.3 bar")
	}
	saveSample(t, "errorbars.png", func(w io.Writer) error { return WritePNG(w, p, 0, 0) })
}

func TestCurves(t *testing.T) {
	var epochs, train, val, spread []float64
	for e := 1; e <= 200; e++ {
		epochs = append(epochs, float64(e))
		train = append(train, 0.02+0.3*math.Exp(-float64(e)/25))
		val = append(val, 0.035+0.28*math.Exp(-float64(e)/30)+0.00005*float64(e))
		spread = append(spread, 0.01*math.Exp(-float64(e)/80))
	}
	series := []Series{
		{Name: "REG-Net (d, s) train", X: epochs, Y: train, Err: spread, Color: Color(1)},
		{Name: "REG-Net (d, s) validation", X: epochs, Y: val, Dashed: true, Color: Color(1)},
	}
	p := Curves(series, "epoch", "L1 loss", "REG-Net training")
	r := render(t, p)
	// Inside the band, half-way between the train curve and its upper edge.
	if !r.tinted(r.toPx(10, train[9]+spread[9]/2), Color(1), 0) {
		t.Error("the train curve's band is not filled")
	}
	saveSample(t, "curves.png", func(w io.Writer) error { return WritePNG(w, p, 0, 0) })
	LogY(p)
	saveSample(t, "curves_log.png", func(w io.Writer) error { return WritePNG(w, p, 0, 0) })
}

func TestMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ErrorBars with a short Err did not panic")
		}
	}()
	ErrorBars([]Series{{Name: "x", X: []float64{1, 2}, Y: []float64{1, 2}, Err: []float64{1}}}, "", "", "")
}
