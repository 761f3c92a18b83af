package figures

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/segqa/segqa/harness/run"
)

// Default size and resolution of a plot written by WritePNG.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4.5 * vg.Inch
	DPI           = 150
)

// palette is Tableau 10, readable by most colour-blind readers and in print.
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, // blue
	{0xf2, 0x8e, 0x2b, 0xff}, // orange
	{0xe1, 0x57, 0x59, 0xff}, // red
	{0x59, 0xa1, 0x4f, 0xff}, // green
	{0xb0, 0x7a, 0xa1, 0xff}, // purple
	{0x76, 0xb7, 0xb2, 0xff}, // teal
	{0xed, 0xc9, 0x48, 0xff}, // yellow
	{0x9c, 0x75, 0x5f, 0xff}, // brown
	{0xff, 0x9d, 0xa7, 0xff}, // pink
	{0xba, 0xb0, 0xac, 0xff}, // grey
}

// Color returns the i-th colour of the figures' palette, cycling.
func Color(i int) color.RGBA { return palette[i%len(palette)] }

// withAlpha returns c with opacity a in [0, 1], premultiplied.
func withAlpha(c color.RGBA, a float64) color.RGBA {
	return color.RGBA{
		R: uint8(float64(c.R) * a), G: uint8(float64(c.G) * a), B: uint8(float64(c.B) * a),
		A: uint8(255 * a),
	}
}

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the figures' common style: sans-serif text,
// a bold-sized title, a light grid behind the data and the legend top left.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 13)
	p.Title.Padding = 6
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 11)
		ax.Tick.Label.Font = font.From(sans, 9)
		ax.Padding = 2
		ax.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.Legend.TextStyle.Font = font.From(sans, 9)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = 6, -4
	p.Legend.ThumbnailWidth = 18
	p.Legend.Padding = 2
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{0xe0}
	grid.Horizontal.Color = color.Gray{0xe0}
	grid.Vertical.Width, grid.Horizontal.Width = 0.5, 0.5
	p.Add(grid)
	return p
}

// WritePNG draws p as a PNG of the given size at DPI dots per inch; a zero
// width or height means DefaultWidth or DefaultHeight.
func WritePNG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = DefaultHeight
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))
	p.Draw(draw.New(c))
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("figures: write png: %w", err)
	}
	return nil
}

// SavePNG writes the output of render to path atomically (run.WriteAtomic):
// it renders into a temporary file in the same directory, syncs it and
// renames it over path only when render and the file's close both
// succeeded. Missing parent folders are made. Errors name path.
func SavePNG(path string, render func(io.Writer) error) error {
	if err := run.WriteAtomic(path, render); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}

// SavePlot writes p to path as a PNG (see WritePNG and SavePNG).
func SavePlot(path string, p *plot.Plot, width, height vg.Length) error {
	return SavePNG(path, func(w io.Writer) error { return WritePNG(w, p, width, height) })
}
