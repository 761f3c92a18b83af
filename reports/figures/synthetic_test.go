package figures

import (
	"flag"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var outDir = flag.String("out", "", "also write the sample figures to this folder, to look at them")

// saveSample writes a sample figure to -out when it is set.
func saveSample(t *testing.T, name string, render func(io.Writer) error) {
	t.Helper()
	if *outDir == "" {
		return
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := SavePNG(filepath.Join(*outDir, name), render); err != nil {
		t.Fatal(err)
	}
}

// phantom is a made-up short-axis slice: a bright blood pool inside a
// darker myocardial ring, on a textured background, with its ring mask.
type phantom struct {
	img      []float32
	myo      []uint8
	w, h     int
	cx, cy   float64
	rIn, rOu float64
}

func newPhantom(w, h int, rng *rand.Rand) phantom {
	p := phantom{img: make([]float32, w*h), myo: make([]uint8, w*h), w: w, h: h,
		cx: float64(w) * 0.52, cy: float64(h) * 0.48, rIn: float64(w) * 0.14, rOu: float64(w) * 0.22}
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-p.cx, float64(y)-p.cy
			r := math.Hypot(dx, dy)
			v := -0.6 + 0.25*math.Sin(float64(x)/7)*math.Cos(float64(y)/9)
			switch {
			case r < p.rIn:
				v = 0.75
			case r < p.rOu:
				v = -0.2
				p.myo[y*w+x] = 1
			case r < p.rOu*1.9:
				v = -0.35 + 0.3*math.Cos(math.Atan2(dy, dx)*3)
			}
			p.img[y*w+x] = float32(v + 0.06*rng.NormFloat64())
		}
	}
	return p
}

// shifted returns a ring mask moved by (dx, dy) and thickened by grow pixels:
// a plausible bad segmentation.
func (p phantom) shifted(dx, dy, grow float64) []uint8 {
	m := make([]uint8, p.w*p.h)
	for y := range p.h {
		for x := range p.w {
			r := math.Hypot(float64(x)-p.cx-dx, float64(y)-p.cy-dy)
			if r >= p.rIn-grow && r < p.rOu+grow {
				m[y*p.w+x] = 1
			}
		}
	}
	return m
}

// masked returns img * (1 - mask), with masked pixels set to lo.
func (p phantom) masked(mask []uint8, lo float32) []float32 {
	out := make([]float32, len(p.img))
	for i, v := range p.img {
		out[i] = v
		if mask[i] != 0 {
			out[i] = lo
		}
	}
	return out
}
