package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// glyphs cycle with the palette so that methods differ in shape as well as
// colour.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PlusGlyph{},
	draw.CrossGlyph{}, draw.RingGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{},
}

// finitePairs returns the points (x[i], y[i]) whose coordinates are both
// finite; plotters refuse NaN and Inf.
func finitePairs(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(x))
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return pts
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Scatter plots predicted against true Dice, one colour and glyph per
// method, over the identity line, on [0, 1]². truth[i] and predicted[i]
// belong to names[i]; points with a NaN or Inf coordinate are left out.
// Draw it square, e.g. WritePNG(w, p, 5*vg.Inch, 5*vg.Inch). It panics if
// the slices' lengths differ.
func Scatter(predicted, truth [][]float64, names []string, title string) *plot.Plot {
	if len(predicted) != len(truth) || len(predicted) != len(names) {
		panic(fmt.Sprintf("figures.Scatter: %d predicted, %d truth, %d names", len(predicted), len(truth), len(names)))
	}
	p := newPlot(title, "true Dice", "predicted Dice")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	identity := plotter.NewFunction(func(x float64) float64 { return x })
	identity.Color = color.Gray{0x70}
	identity.Width = 1
	identity.Dashes = []vg.Length{4, 3}
	p.Add(identity)
	// Many points overlap: small, translucent glyphs show their density.
	alpha := 0.55
	if n := maxLen(truth); n > 2000 {
		alpha = 0.3
	}
	for i := range names {
		if len(predicted[i]) != len(truth[i]) {
			panic(fmt.Sprintf("figures.Scatter: %s has %d predictions for %d truths", names[i], len(predicted[i]), len(truth[i])))
		}
		s, err := plotter.NewScatter(finitePairs(truth[i], predicted[i]))
		if err != nil {
			panic(fmt.Sprintf("figures.Scatter: %v", err)) // finitePairs removed what NewScatter rejects
		}
		s.GlyphStyle = draw.GlyphStyle{Color: withAlpha(Color(i), alpha), Radius: 2.2, Shape: glyphs[i%len(glyphs)]}
		p.Add(s)
		p.Legend.Add(names[i], legendGlyph{draw.GlyphStyle{Color: Color(i), Radius: 3, Shape: glyphs[i%len(glyphs)]}})
	}
	p.Legend.Add("identity", identity)
	return p
}

func maxLen(xss [][]float64) int {
	n := 0
	for _, xs := range xss {
		n = max(n, len(xs))
	}
	return n
}

// legendGlyph is an opaque glyph for the legend, where a translucent one
// would be hard to see.
type legendGlyph struct{ style draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g legendGlyph) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.style, c.Center())
}
