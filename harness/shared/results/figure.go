package results

import "image/color"

// Figure is a figure a stage asks for, as data: an ImageGrid, Curves,
// SmallMultiples, Scatter or Histograms. reports/figures draws it;
// experiments never imports a plotting package.
type Figure interface{ figure() }

// ImageGrid is a grid of images with titles and outlined masks, Cols
// panels a row (0: all in one row), each CellPx pixels wide (0: the
// default).
type ImageGrid struct {
	Panels []Panel
	Cols   int
	CellPx int
}

// Curves is lines over a shared x axis; with ErrorBars each point carries
// a bar of its series' Err, otherwise Err is a shaded band.
type Curves struct {
	Series         []Series
	XLabel, YLabel string
	Title          string
	ErrorBars      bool
}

// SmallMultiples is Curves side by side, Cols to a row (0: two), drawn at
// one scale, each panel's legend under its data, one title above them all.
type SmallMultiples struct {
	Panels []Curves
	Cols   int
	Title  string
}

// Scatter is predicted against true values, one set of points per name,
// beside the diagonal.
type Scatter struct {
	Predicted, Truth [][]float64
	Names            []string
	Title            string
}

// Histograms overlays the histograms of groups on Bins common bins.
type Histograms struct {
	Groups []Group
	Bins   int
	Title  string
}

func (ImageGrid) figure()      {}
func (Curves) figure()         {}
func (SmallMultiples) figure() {}
func (Scatter) figure()        {}
func (Histograms) figure()     {}

// Panel is one image of an ImageGrid.
type Panel struct {
	// Title is drawn above the image; "\n" starts a new line. The font,
	// Liberation Sans, has Greek letters, "·" and "−" but not every math
	// symbol ("⊙" and "∇" come out blank).
	Title string
	// Img holds H rows of W values, row 0 at the top.
	Img  []float32
	W, H int
	// Lo and Hi are the grey window: Lo maps to black, Hi to white (or the
	// colormap's ends). If Lo >= Hi the image's own range is used.
	Lo, Hi float32
	// Contours are outlined on top of the image, in order.
	Contours []Contour
	// Colormap is "gray" (also "" and "grey") or "hot", for difference images.
	Colormap string
}

// Contour outlines a binary mask of the panel's size (non-zero is inside).
type Contour struct {
	Mask  []uint8
	Color color.Color
}

// Series is one named line of a Curves figure. Err, if not nil, holds
// a half-width per point (e.g. a std): error bars in ErrorBars, a shaded
// band in Curves. Points with a NaN or Inf coordinate are left out.
type Series struct {
	Name      string
	X, Y, Err []float64
	// Dashed draws the line dashed, e.g. for the paper's reference figures
	// or a validation curve.
	Dashed bool
	// Color overrides the palette colour of the series' position, e.g. to
	// give a model's train and validation curves one colour.
	Color color.Color
}

// Group is a named sample for Histograms.
type Group struct {
	Name   string
	Values []float64
}
