package figures

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"testing"
)

var (
	green = color.RGBA{0x00, 0xd0, 0x50, 0xff}
	red   = color.RGBA{0xff, 0x30, 0x30, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// paperRow is x, masked x, reconstruction and difference (paper Fig. 3/4).
func paperRow(rng *rand.Rand) []Panel {
	ph := newPhantom(96, 96, rng)
	seg := ph.shifted(5, -3, 2)
	recon := make([]float32, len(ph.img))
	diff := make([]float32, len(ph.img))
	for i, v := range ph.img {
		recon[i] = v
		if seg[i] != 0 {
			recon[i] = -0.1 + 0.1*float32(rng.NormFloat64())
		}
		diff[i] = float32(math.Abs(float64(ph.img[i] - recon[i])))
	}
	return []Panel{
		{Title: "x", Img: ph.img, W: ph.w, H: ph.h, Lo: -1, Hi: 1,
			Contours: []Contour{{Mask: ph.myo, Color: green}, {Mask: seg, Color: red}}},
		{Title: "x · (1 − s)", Img: ph.masked(seg, -1), W: ph.w, H: ph.h, Lo: -1, Hi: 1},
		{Title: "r(x · (1 − s))", Img: recon, W: ph.w, H: ph.h, Lo: -1, Hi: 1},
		{Title: "d = |x − r|", Img: diff, W: ph.w, H: ph.h, Lo: 0, Hi: 1, Colormap: "hot"},
	}
}

func renderGrid(t *testing.T, panels []Panel, cols, cell int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := ImageGrid(&buf, panels, cols, cell); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

func TestImageGridSizeAndContour(t *testing.T) {
	panels := paperRow(rand.New(rand.NewPCG(1, 1)))
	const cell = 160
	img := renderGrid(t, panels, 2, cell)
	g := newGridLayout(panels, 2, cell)
	w, h := g.size()
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("size %v, want %d×%d", b.Size(), w, h)
	}
	if w < 2*cell || h < 2*cell {
		t.Fatalf("grid %d×%d too small for 2×2 cells of %d", w, h, cell)
	}
	// The ground-truth ring's outer edge on the centre row of panel 0: walk
	// right from the centre and expect green (the red contour is shifted and
	// does not cover this point's outline) before the ring ends.
	r := g.cellRect(0)
	scale := float64(cell) / 96
	y := r.Min.Y + int(math.Round((96*0.48+0.5)*scale))
	wantGreen := false
	for x := r.Min.X + int(96*0.52*scale); x < r.Max.X; x++ {
		if sameRGB(img.At(x, y), green) {
			wantGreen = true
			break
		}
	}
	if !wantGreen {
		t.Error("no green contour pixel on the centre row of panel 0")
	}
	// Panel 1 has no contours: no pixel may be green or red there.
	r1 := g.cellRect(1)
	for y := r1.Min.Y; y < r1.Max.Y; y++ {
		for x := r1.Min.X; x < r1.Max.X; x++ {
			if sameRGB(img.At(x, y), green) || sameRGB(img.At(x, y), red) {
				t.Fatalf("contour colour at (%d, %d) in a panel without contours", x, y)
			}
		}
	}
	// The hot difference panel's brightest region is coloured, not grey.
	if !hasColour(img, g.cellRect(3)) {
		t.Error("hot colormap panel is all grey")
	}
	saveSample(t, "grid_paper_fig3.png", func(w io.Writer) error { return ImageGrid(w, panels, 4, 192) })
}

func sameRGB(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B
}

func hasColour(img image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr != cg || cg != cb {
				return true
			}
		}
	}
	return false
}

func TestImageGridErrors(t *testing.T) {
	ok := Panel{Img: make([]float32, 4), W: 2, H: 2}
	bad := []struct {
		name   string
		panels []Panel
		want   error
	}{
		{"none", nil, ErrPanel},
		{"size", []Panel{{Img: make([]float32, 3), W: 2, H: 2}}, ErrPanel},
		{"mask", []Panel{{Img: make([]float32, 4), W: 2, H: 2, Contours: []Contour{{Mask: make([]uint8, 3), Color: red}}}}, ErrPanel},
		{"colormap", []Panel{ok, {Img: make([]float32, 4), W: 2, H: 2, Colormap: "jet"}}, ErrColormap},
	}
	for _, c := range bad {
		if err := ImageGrid(io.Discard, c.panels, 0, 0); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}
