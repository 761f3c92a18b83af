package figures

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/segqa/segqa/harness/shared/results"
)

// Group is results.Group: a named sample for Histograms.
type Group = results.Group

// Histograms overlays the histograms of groups as outlined steps with a
// light fill, on common bins so that they compare: bins equal bins over
// [0, 1] when every value lies there (Dice), else over the values' range.
// Heights are the fraction of each group's values in a bin, so groups of
// different sizes (a split before and after sampling) share one scale;
// each legend entry gives the group's n. NaN and Inf values are left out.
// bins < 1 means 10. The X label is left empty for the caller.
func Histograms(groups []Group, bins int, title string) *plot.Plot {
	if bins < 1 {
		bins = 10
	}
	lo, hi := histRange(groups)
	p := newPlot(title, "", "fraction of samples")
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min = 0
	top := 0.0
	for i, g := range groups {
		frac, n := binFractions(g.Values, bins, lo, hi)
		for _, f := range frac {
			top = math.Max(top, f)
		}
		pts := make(plotter.XYs, 0, 2*bins+2)
		pts = append(pts, plotter.XY{X: lo, Y: 0})
		for b, f := range frac {
			x0 := lo + (hi-lo)*float64(b)/float64(bins)
			x1 := lo + (hi-lo)*float64(b+1)/float64(bins)
			pts = append(pts, plotter.XY{X: x0, Y: f}, plotter.XY{X: x1, Y: f})
		}
		pts = append(pts, plotter.XY{X: hi, Y: 0})
		line, err := plotter.NewLine(pts)
		if err != nil {
			panic("figures.Histograms: " + err.Error()) // every point is finite
		}
		line.Color = Color(i)
		line.Width = 1.6
		line.FillColor = withAlpha(Color(i), 0.18)
		p.Add(line)
		p.Legend.Add(g.Name+" (n="+strconv.Itoa(n)+")", line)
	}
	// Head room for the legend, top left.
	p.Y.Max = math.Max(0.05, top*(1.12+0.06*float64(len(groups))))
	return p
}

// histRange is [0, 1] if every finite value lies there, else the values'
// range (widened when it is a single point).
func histRange(groups []Group) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		for _, v := range g.Values {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	switch {
	case lo > hi || (lo >= 0 && hi <= 1):
		return 0, 1
	case lo == hi:
		return lo - 0.5, hi + 0.5
	}
	return lo, hi
}

// binFractions returns the fraction of the finite values in each of bins
// equal bins over [lo, hi] (the last bin includes hi) and their count.
func binFractions(values []float64, bins int, lo, hi float64) ([]float64, int) {
	frac := make([]float64, bins)
	n := 0
	for _, v := range values {
		if !finite(v) {
			continue
		}
		b := int((v - lo) / (hi - lo) * float64(bins))
		b = max(0, min(bins-1, b))
		frac[b]++
		n++
	}
	if n > 0 {
		for b := range frac {
			frac[b] /= float64(n)
		}
	}
	return frac, n
}
