package figures

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/segqa/segqa/harness/shared/results"
)

// ErrNoPanels is SmallMultiples without a panel.
var ErrNoPanels = errors.New("figures: small multiples without panels")

// The size of a panel of SmallMultiples, without its legend, and the
// height of the title above them all.
const (
	PanelWidth   = 4.5 * vg.Inch
	PanelHeight  = 3 * vg.Inch
	titleHeight  = 0.45 * vg.Inch
	bottomMargin = 0.1 * vg.Inch
)

// SmallMultiples draws f's panels, f.Cols to a row (0: two), each as
// ErrorBars or Curves draw it, at one scale: every panel spans the x and y
// ranges of all. Each panel's legend is under its data, outside it, in a
// strip as tall as the longest legend of its row; f.Title is above them
// all. It writes a PNG at DPI, PanelWidth a column, and panics as ErrorBars
// does.
func SmallMultiples(w io.Writer, f results.SmallMultiples) error {
	if len(f.Panels) == 0 {
		return ErrNoPanels
	}
	l := layOut(f)
	c := vgimg.NewWith(vgimg.UseWH(l.width, l.height), vgimg.UseDPI(DPI))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if f.Title != "" {
		sty := text.Style{Color: color.Black, Font: font.From(sans, 14), XAlign: draw.XCenter, YAlign: draw.YCenter,
			Handler: plot.DefaultTextHandler}
		dc.FillText(sty, vg.Point{X: l.width / 2, Y: l.height - titleHeight/2}, f.Title)
	}
	for i, p := range l.plots {
		p.Draw(l.canvas(dc, i))
		leg := l.legends[i]
		leg.Draw(l.legendCanvas(dc, i))
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("figures: write png: %w", err)
	}
	return nil
}

// multiples is the layout of SmallMultiples: each panel's plot (its
// legend taken out of it) and legend, and where they go.
type multiples struct {
	plots   []*plot.Plot
	legends []plot.Legend
	cols    int
	strips  []vg.Length // each row's legend strip
	width   vg.Length
	height  vg.Length
	// cells are each panel's canvas, plot and legend strip, laid out on a
	// canvas of width × height; plotAt where its plot goes.
	cells, plotAt []vg.Rectangle
}

// layOut builds the panels' plots at one scale and places them.
func layOut(f results.SmallMultiples) multiples {
	m := multiples{cols: f.Cols}
	if m.cols <= 0 {
		m.cols = 2
	}
	m.cols = min(m.cols, len(f.Panels))
	for i, c := range f.Panels {
		if i%m.cols > 0 {
			c.YLabel = "" // the first column's says it
		}
		var p *plot.Plot
		if c.ErrorBars {
			p = ErrorBars(c.Series, c.XLabel, c.YLabel, c.Title)
		} else {
			p = Curves(c.Series, c.XLabel, c.YLabel, c.Title)
		}
		p.Title.TextStyle.Font = font.From(sans, 11)
		leg := p.Legend
		leg.Top, leg.Left, leg.XOffs, leg.YOffs = true, true, 0, 0
		p.Legend = plot.NewLegend() // drawn under the data instead
		m.plots, m.legends = append(m.plots, p), append(m.legends, leg)
	}
	oneScale(m.plots)
	rows := (len(m.plots) + m.cols - 1) / m.cols
	m.strips = make([]vg.Length, rows)
	for i := range m.legends {
		r := m.legends[i].Rectangle(draw.Canvas{})
		m.strips[i/m.cols] = max(m.strips[i/m.cols], r.Max.Y-r.Min.Y+8)
	}
	m.width = vg.Length(m.cols) * PanelWidth
	m.height = titleHeight + bottomMargin
	for _, s := range m.strips {
		m.height += PanelHeight + s
	}
	m.place()
	return m
}

// oneScale gives every plot the x and y ranges of all.
func oneScale(plots []*plot.Plot) {
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range plots {
		xlo, xhi = math.Min(xlo, p.X.Min), math.Max(xhi, p.X.Max)
		ylo, yhi = math.Min(ylo, p.Y.Min), math.Max(yhi, p.Y.Max)
	}
	for _, p := range plots {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xlo, xhi, ylo, yhi
	}
}

// place aligns the plots of each row (plot.Align) in the row's band above
// its legend strip.
func (m *multiples) place() {
	whole := draw.New(vgimg.NewWith(vgimg.UseWH(m.width, m.height), vgimg.UseDPI(DPI)))
	top := m.height - titleHeight
	for r, strip := range m.strips {
		// The first row's plots stand in for the missing panels of the
		// last, so that its data lines up with theirs; they are not drawn.
		row := slices.Clone(m.plots[:m.cols])
		n := copy(row, m.plots[r*m.cols:min(len(m.plots), (r+1)*m.cols)])
		band := whole
		band.Rectangle = vg.Rectangle{Min: vg.Point{Y: top - PanelHeight - strip}, Max: vg.Point{X: m.width, Y: top}}
		tiles := draw.Tiles{Rows: 1, Cols: m.cols, PadX: 0.2 * vg.Inch, PadLeft: 0.05 * vg.Inch, PadRight: 0.15 * vg.Inch,
			PadTop: 0.05 * vg.Inch, PadBottom: strip}
		for _, c := range plot.Align([][]*plot.Plot{row}, tiles, band)[0][:n] {
			cell := c.Rectangle
			cell.Min.Y -= strip
			m.cells, m.plotAt = append(m.cells, cell), append(m.plotAt, c.Rectangle)
		}
		top -= PanelHeight + strip
	}
}

// canvas is where panel i's plot goes on dc.
func (m multiples) canvas(dc draw.Canvas, i int) draw.Canvas {
	dc.Rectangle = m.plotAt[i]
	return dc
}

// legendCanvas is panel i's legend strip on dc: under its plot, from the
// left edge of its data.
func (m multiples) legendCanvas(dc draw.Canvas, i int) draw.Canvas {
	data := m.plots[i].DataCanvas(m.canvas(dc, i))
	dc.Rectangle = vg.Rectangle{
		Min: vg.Point{X: data.Min.X, Y: m.cells[i].Min.Y},
		Max: vg.Point{X: m.cells[i].Max.X, Y: m.plotAt[i].Min.Y - 4},
	}
	return dc
}
