package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/segqa/segqa/harness/shared/results"
)

// Series is results.Series: one named line of ErrorBars or Curves.
type Series = results.Series

func checkSeries(s Series, fn string) {
	if len(s.Y) != len(s.X) || (s.Err != nil && len(s.Err) != len(s.X)) {
		panic(fmt.Sprintf("figures.%s: series %q has %d x, %d y, %d err", fn, s.Name, len(s.X), len(s.Y), len(s.Err)))
	}
}

func seriesColor(s Series, i int) color.Color {
	if s.Color != nil {
		return s.Color
	}
	return Color(i)
}

func lineStyle(s Series, i int) draw.LineStyle {
	ls := draw.LineStyle{Color: seriesColor(s, i), Width: 1.6}
	if s.Dashed {
		ls.Dashes = []vg.Length{5, 3}
	}
	return ls
}

// errPoints is what plotter.YErrorBars needs: points and their errors.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// points returns the finite points of s, shifted right by dx, with their
// errors (0 where Err is nil or not finite).
func points(s Series, dx float64) errPoints {
	var ep errPoints
	for i := range s.X {
		if !finite(s.X[i]) || !finite(s.Y[i]) {
			continue
		}
		e := 0.0
		if s.Err != nil && finite(s.Err[i]) {
			e = math.Abs(s.Err[i])
		}
		ep.XYs = append(ep.XYs, plotter.XY{X: s.X[i] + dx, Y: s.Y[i]})
		ep.YErrors = append(ep.YErrors, struct{ Low, High float64 }{e, e})
	}
	return ep
}

// dodge returns how far to shift series i to the right so that error bars
// at a shared x stay apart: a small fraction of the x range, spread over
// the series that have error bars (the others stay in place).
func dodge(series []Series, i int) float64 {
	if series[i].Err == nil {
		return 0
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	n, k := 0, 0
	for j, s := range series {
		for _, x := range s.X {
			if finite(x) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		if s.Err != nil {
			if j < i {
				k++
			}
			n++
		}
	}
	if !(hi > lo) || n < 2 {
		return 0
	}
	return (hi - lo) * 0.012 * (float64(k) - float64(n-1)/2)
}

// ErrorBars plots each series as a line with markers and error bars (Err
// above and below), e.g. MAE against epsilon per row of Table 2 with the
// paper's rows dashed. Series are shifted apart along x by about 1% of the
// range so that their bars do not hide each other; series without Err
// stay in place. It panics if a series' slices differ in length.
func ErrorBars(series []Series, xlabel, ylabel, title string) *plot.Plot {
	p := newPlot(title, xlabel, ylabel)
	for i, s := range series {
		checkSeries(s, "ErrorBars")
		pts := points(s, dodge(series, i))
		if len(pts.XYs) == 0 {
			continue
		}
		line, marks, err := plotter.NewLinePoints(pts.XYs)
		if err != nil {
			panic("figures.ErrorBars: " + err.Error()) // points are finite
		}
		line.LineStyle = lineStyle(s, i)
		marks.GlyphStyle = draw.GlyphStyle{Color: seriesColor(s, i), Radius: 2.6, Shape: glyphs[i%len(glyphs)]}
		p.Add(line, marks)
		if s.Err != nil {
			bars, err := plotter.NewYErrorBars(pts)
			if err != nil {
				panic("figures.ErrorBars: " + err.Error())
			}
			bars.LineStyle = draw.LineStyle{Color: seriesColor(s, i), Width: 1.1}
			bars.CapWidth = 6
			p.Add(bars)
		}
		p.Legend.Add(s.Name, line, marks)
	}
	// Room for the outermost caps.
	if pad := 0.03 * (p.X.Max - p.X.Min); pad > 0 {
		p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	}
	return p
}

// Curves plots each series as a line, e.g. training and validation loss
// per epoch, with a translucent band of ±Err where Err is given (e.g. the
// spread across seeds). For a log scale call LogY on the result. It panics if a series' slices differ in length.
func Curves(series []Series, xlabel, ylabel, title string) *plot.Plot {
	p := newPlot(title, xlabel, ylabel)
	p.Legend.Left = false
	p.Legend.XOffs = -6
	for i, s := range series {
		checkSeries(s, "Curves")
		pts := points(s, 0)
		if len(pts.XYs) == 0 {
			continue
		}
		if s.Err != nil {
			if band := bandPolygon(pts, seriesColor(s, i)); band != nil {
				p.Add(band)
			}
		}
		line, err := plotter.NewLine(pts.XYs)
		if err != nil {
			panic("figures.Curves: " + err.Error())
		}
		line.LineStyle = lineStyle(s, i)
		p.Add(line)
		p.Legend.Add(s.Name, line)
	}
	return p
}

// bandPolygon is the area between y-err and y+err, filled translucent.
func bandPolygon(pts errPoints, c color.Color) *plotter.Polygon {
	n := len(pts.XYs)
	ring := make(plotter.XYs, 0, 2*n)
	for i := range n {
		ring = append(ring, plotter.XY{X: pts.XYs[i].X, Y: pts.XYs[i].Y + pts.YErrors[i].High})
	}
	for i := n - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: pts.XYs[i].X, Y: pts.XYs[i].Y - pts.YErrors[i].Low})
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	poly.LineStyle.Width = 0
	poly.Color = withAlpha(color.RGBAModel.Convert(c).(color.RGBA), 0.2)
	return poly
}
