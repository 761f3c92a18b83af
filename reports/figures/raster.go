package figures

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// colormap maps t in [0, 1] to a colour.
type colormap func(t float64) color.RGBA

func grayMap(t float64) color.RGBA {
	v := uint8(math.Round(255 * t))
	return color.RGBA{v, v, v, 0xff}
}

// hotMap is matplotlib's "hot": black, red, yellow, white.
func hotMap(t float64) color.RGBA {
	ch := func(x float64) uint8 { return uint8(math.Round(255 * math.Max(0, math.Min(1, x)))) }
	return color.RGBA{ch(t * 8 / 3), ch(t*8/3 - 1), ch(t*4 - 3), 0xff}
}

func lookupColormap(name string) (colormap, error) {
	switch name {
	case "", "gray", "grey":
		return grayMap, nil
	case "hot":
		return hotMap, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrColormap, name)
}

// window returns the grey window of p: Lo and Hi, or the image's range
// when Lo >= Hi.
func window(p Panel) (lo, hi float64) {
	lo, hi = float64(p.Lo), float64(p.Hi)
	if lo < hi {
		return lo, hi
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range p.Img {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	if !(lo < hi) {
		return lo - 1, lo + 1
	}
	return lo, hi
}

// fit returns the size of p's image scaled to fit a cell of side px,
// keeping its aspect ratio.
func fit(p Panel, px int) (w, h int) {
	s := math.Min(float64(px)/float64(p.W), float64(px)/float64(p.H))
	return max(1, int(math.Round(float64(p.W)*s))), max(1, int(math.Round(float64(p.H)*s)))
}

// paint draws p's image, scaled by nearest neighbour to fill r, into dst,
// then its contours on top.
func paint(p Panel, dst *image.RGBA, r image.Rectangle, cm colormap, thick int) {
	lo, hi := window(p)
	dw, dh := r.Dx(), r.Dy()
	for v := range dh {
		sy := v * p.H / dh
		for u := range dw {
			sx := u * p.W / dw
			t := (float64(p.Img[sy*p.W+sx]) - lo) / (hi - lo)
			dst.SetRGBA(r.Min.X+u, r.Min.Y+v, cm(math.Max(0, math.Min(1, t))))
		}
	}
	for _, c := range p.Contours {
		col := color.RGBAModel.Convert(c.Color).(color.RGBA)
		for v := range dh {
			for u := range dw {
				if onEdge(p, c.Mask, u, v, dw, dh, thick) {
					dst.SetRGBA(r.Min.X+u, r.Min.Y+v, col)
				}
			}
		}
	}
}

// inside reports whether display pixel (u, v) of a dw×dh rendering falls
// on a set pixel of mask; pixels beyond the image are outside.
func inside(p Panel, mask []uint8, u, v, dw, dh int) bool {
	if u < 0 || v < 0 || u >= dw || v >= dh {
		return false
	}
	return mask[(v*p.H/dh)*p.W+u*p.W/dw] != 0
}

// onEdge reports whether display pixel (u, v) is inside the mask and
// within thick pixels (4-neighbour steps along one axis) of its outside:
// an outline of width thick drawn just inside the mask's boundary.
func onEdge(p Panel, mask []uint8, u, v, dw, dh, thick int) bool {
	if !inside(p, mask, u, v, dw, dh) {
		return false
	}
	for k := 1; k <= thick; k++ {
		if !inside(p, mask, u-k, v, dw, dh) || !inside(p, mask, u+k, v, dw, dh) ||
			!inside(p, mask, u, v-k, dw, dh) || !inside(p, mask, u, v+k, dw, dh) {
			return true
		}
	}
	return false
}
