package figures

import (
	"bytes"
	"errors"
	"image/png"
	"io"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/segqa/segqa/harness/shared/results"
)

// multiplesFixture is three panels of MAE against ε whose ranges differ,
// the last with a longer legend.
func multiplesFixture() results.SmallMultiples {
	eps := []float64{0, 0.05, 0.1, 0.2, 0.3}
	panel := func(title string, top float64, names ...string) results.Curves {
		c := results.Curves{Title: title, XLabel: "ε", YLabel: "MAE of predicted Dice", ErrorBars: true}
		for k, name := range names {
			s := Series{Name: name, X: eps, Err: []float64{0.05, 0.06, 0.07, 0.08, 0.09}}
			for _, e := range eps {
				s.Y = append(s.Y, 0.05+top*e/0.3*float64(k+1)/float64(len(names)))
			}
			c.Series = append(c.Series, s)
		}
		return c
	}
	return results.SmallMultiples{Title: "MAE under attack", Panels: []results.Curves{
		panel("The paper's protocol", 0.2, "FGSM on x", "FGSM on d"),
		panel("Robinson et al. (x, s): attacks on x", 0.3, "PGD on x", "worst case"),
		panel("proposed (d, s): attacks on x", 0.6, "FGSM", "PGD", "APGD", "Square", "worst case"),
	}}
}

// TestSmallMultiples: the panels share one scale, each legend lies under
// its panel's data and inside the figure, and the figure is as large as
// its layout says.
func TestSmallMultiples(t *testing.T) {
	f := multiplesFixture()
	m := layOut(f)
	if m.cols != 2 || len(m.strips) != 2 {
		t.Fatalf("%d columns and %d rows, want 2 and 2", m.cols, len(m.strips))
	}
	for i, p := range m.plots {
		if p.Y.Min != m.plots[0].Y.Min || p.Y.Max != m.plots[0].Y.Max || p.X.Max != m.plots[0].X.Max {
			t.Errorf("panel %d spans y [%g, %g], panel 0 [%g, %g]: not one scale", i, p.Y.Min, p.Y.Max, m.plots[0].Y.Min, m.plots[0].Y.Max)
		}
	}
	if top := m.plots[0].Y.Max; top < 0.05+0.6+0.09 {
		t.Errorf("the shared y range ends at %g, below the last panel's highest error bar", top)
	}
	dc := draw.New(vgimg.NewWith(vgimg.UseWH(m.width, m.height), vgimg.UseDPI(DPI)))
	for i, p := range m.plots {
		data := p.DataCanvas(m.canvas(dc, i))
		if above := m.plots[i%m.cols].DataCanvas(m.canvas(dc, i%m.cols)); data.Min.X != above.Min.X || data.Max.X != above.Max.X {
			t.Errorf("panel %d's data spans x %v to %v, the panel atop its column's %v to %v", i, data.Min.X, data.Max.X, above.Min.X, above.Max.X)
		}
		leg := m.legends[i].Rectangle(m.legendCanvas(dc, i))
		if leg.Max.Y > data.Min.Y || leg.Max.X < data.Min.X {
			t.Errorf("panel %d: legend %v is not under the data %v", i, leg, data.Rectangle)
		}
		if leg.Min.Y < 0 || leg.Max.X > m.width {
			t.Errorf("panel %d: legend %v leaves the figure (%v × %v)", i, leg, m.width, m.height)
		}
	}
	var buf bytes.Buffer
	if err := SmallMultiples(&buf, f); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := int(m.width.Dots(DPI)+0.5), int(m.height.Dots(DPI)+0.5); img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Errorf("size %v, want %d×%d", img.Bounds().Size(), w, h)
	}
	// Where a plot's own legend would be, top left in its data, the last
	// panel (five entries) has only the light grid.
	data := m.plots[2].DataCanvas(m.canvas(dc, 2))
	px := func(x, y vg.Length) (int, int) { return int(x.Dots(DPI)), img.Bounds().Dy() - int(y.Dots(DPI)) }
	x0, y0 := px(data.Min.X+4, data.Max.Y-4)
	x1, y1 := px(data.Min.X+1.2*vg.Inch, data.Max.Y-0.8*vg.Inch)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r>>8 < 0xc0 || g>>8 < 0xc0 || b>>8 < 0xc0 {
				t.Fatalf("a dark pixel at (%d, %d), top left in the last panel's data: a legend inside it?", x, y)
			}
		}
	}
	if err := SmallMultiples(io.Discard, results.SmallMultiples{}); !errors.Is(err, ErrNoPanels) {
		t.Errorf("no panels: %v, want ErrNoPanels", err)
	}
	saveSample(t, "small_multiples.png", func(w io.Writer) error { return Draw(w, f) })
}
