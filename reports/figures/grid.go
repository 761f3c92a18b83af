package figures

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/segqa/segqa/harness/shared/results"
)

// Errors of ImageGrid that callers may test for.
var (
	ErrColormap = errors.New("figures: unknown colormap")
	ErrPanel    = errors.New("figures: bad panel")
)

// DefaultCellPx is the side of an ImageGrid cell when cellPx is 0.
const DefaultCellPx = 192

// Panel and Contour are results.Panel and results.Contour: stages describe
// a grid of images as data, this package draws it.
type (
	Panel   = results.Panel
	Contour = results.Contour
)

func checkPanel(p Panel, i int) error {
	if p.W <= 0 || p.H <= 0 || len(p.Img) != p.W*p.H {
		return fmt.Errorf("%w %d %q: %d values for %d×%d", ErrPanel, i, p.Title, len(p.Img), p.W, p.H)
	}
	for k, c := range p.Contours {
		if len(c.Mask) != p.W*p.H || c.Color == nil {
			return fmt.Errorf("%w %d %q: contour %d has %d values (want %d) or no colour",
				ErrPanel, i, p.Title, k, len(c.Mask), p.W*p.H)
		}
	}
	return nil
}

// gridLayout is the pixel geometry of an ImageGrid.
type gridLayout struct {
	cols, rows, cell, margin, titleH int
	fontSize                         float64
}

func newGridLayout(panels []Panel, cols, cell int) gridLayout {
	if cols <= 0 || cols > len(panels) {
		cols = len(panels)
	}
	fs := math.Max(10, math.Min(16, float64(cell)*0.075))
	lines := 1
	for _, p := range panels {
		lines = max(lines, strings.Count(p.Title, "\n")+1)
	}
	return gridLayout{
		cols: cols, rows: (len(panels) + cols - 1) / cols, cell: cell,
		margin: max(6, cell/20), titleH: int(math.Ceil(float64(lines)*fs*1.2 + fs*0.4)),
		fontSize: fs,
	}
}

func (g gridLayout) size() (w, h int) {
	return g.cols*g.cell + (g.cols+1)*g.margin, g.rows*(g.titleH+g.cell) + (g.rows+1)*g.margin
}

// cellRect returns the square image area of panel i, in image pixels.
func (g gridLayout) cellRect(i int) image.Rectangle {
	c, r := i%g.cols, i/g.cols
	x := g.margin + c*(g.cell+g.margin)
	y := g.margin + r*(g.titleH+g.cell+g.margin) + g.titleH
	return image.Rect(x, y, x+g.cell, y+g.cell)
}

// ImageGrid draws panels left to right, top to bottom, cols to a row, each
// image scaled (nearest neighbour, aspect kept) into a cellPx square with
// its title above, and writes the grid as a PNG. Mask outlines are drawn
// just inside each mask's boundary, max(1, (cellPx+40)/80) pixels wide.
// cols <= 0 puts every panel on one row; cellPx <= 0 means DefaultCellPx.
func ImageGrid(w io.Writer, panels []Panel, cols int, cellPx int) error {
	if len(panels) == 0 {
		return fmt.Errorf("%w: no panels", ErrPanel)
	}
	if cellPx <= 0 {
		cellPx = DefaultCellPx
	}
	maps := make([]colormap, len(panels))
	for i, p := range panels {
		if err := checkPanel(p, i); err != nil {
			return err
		}
		cm, err := lookupColormap(p.Colormap)
		if err != nil {
			return fmt.Errorf("panel %d %q: %w", i, p.Title, err)
		}
		maps[i] = cm
	}
	g := newGridLayout(panels, cols, cellPx)
	width, height := g.size()
	// At 72 dpi one vg point is one pixel.
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(width), vg.Length(height)), vgimg.UseDPI(72))
	img, ok := c.Image().(*image.RGBA)
	if !ok {
		return fmt.Errorf("figures: canvas image is %T, not *image.RGBA", c.Image())
	}
	dc := draw.New(c)
	style := text.Style{
		Color: color.Gray{0x20}, Font: font.From(sans, vg.Length(g.fontSize)),
		XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler,
	}
	thick := max(1, (cellPx+40)/80)
	for i, p := range panels {
		cell := g.cellRect(i)
		fw, fh := fit(p, cellPx)
		off := image.Pt((cellPx-fw)/2, (cellPx-fh)/2)
		paint(p, img, image.Rectangle{Min: cell.Min.Add(off), Max: cell.Min.Add(off).Add(image.Pt(fw, fh))}, maps[i], thick)
		top := float64(cell.Min.Y - g.titleH)
		at := vg.Point{X: vg.Length(float64(cell.Min.X) + float64(cellPx)/2), Y: vg.Length(float64(height) - top - g.fontSize*0.2)}
		dc.FillText(style, at, p.Title)
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("figures: write png: %w", err)
	}
	return nil
}
