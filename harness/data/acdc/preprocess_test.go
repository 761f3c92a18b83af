package acdc

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
)

// rectFrame is an 80 x 36 frame with 0.75 x 1.0 mm pixels, a ramp in x for
// the image, and a block of label 2 whose pixel centres lie in
// x in [x0, x0+w) and y in [y0, y0+h) mm (pixel i's centre at i*spacing);
// label 3 fills the rest of the upper half so that only label 2 counts.
func rectFrame(x0, w, y0, h float64) handFrame {
	img := newVolume(80, 36, 1, 0.75, 1.0, 8, nifti.Int16)
	gt := newVolume(80, 36, 1, 0.75, 1.0, 8, nifti.Uint8)
	for y := range 36 {
		for x := range 80 {
			img.set(x, y, 0, float64(10*x))
			xm, ym := float64(x)*0.75, float64(y)*1.0
			switch {
			case xm >= x0 && xm < x0+w && ym >= y0 && ym < y0+h:
				gt.set(x, y, 0, 2)
			case y < 18:
				gt.set(x, y, 0, 3)
			}
		}
	}
	return handFrame{img, gt}
}

// maskBox returns the mask's bounding box (columns, rows, inclusive) and
// the count of set pixels.
func maskBox(m []uint8, size int) (c0, c1, r0, r1, n int) {
	c0, r0, c1, r1 = size, size, -1, -1
	for i, v := range m {
		if v == 1 {
			x, y := i%size, i/size
			c0, c1, r0, r1 = min(c0, x), max(c1, x), min(r0, y), max(r1, y)
			n++
		}
	}
	return c0, c1, r0, r1, n
}

func TestGeometrySpacingCropPad(t *testing.T) {
	// An 18 x 12 mm block of label 2 whose centre lies 6 mm right of and
	// 4.5 mm below the image centre (29.625, 17.5) mm.
	const x0, w, y0, h = 26.625, 18, 16, 12
	root := t.TempDir()
	fr := rectFrame(x0, w, y0, h)
	writeHand(t, root, "patient001", "", ".nii.gz", fr, fr)
	for _, sp := range []float64{1.5, 1.0} {
		pts, _, err := LoadACDC(root, Options{Size: 32, SpacingMM: sp}, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := pts[0].Slices[0]
		c0, c1, r0, r1, n := maskBox(s.Mask, 32)
		cols, rows := c1-c0+1, r1-r0+1
		if math.Abs(float64(cols)-w/sp) > 1 || math.Abs(float64(rows)-h/sp) > 1 || n != cols*rows {
			t.Errorf("spacing %g: block is %d cols x %d rows (%d pixels), want %.1f x %.1f full",
				sp, cols, rows, n, w/sp, h/sp)
		}
		// The block's centre, in output pixels: 15.5 plus the offset in mm
		// divided by the spacing.
		cx, cy := float64(c0+c1)/2, float64(r0+r1)/2
		t.Logf("spacing %g: %d x %d block centred at (%g, %g)", sp, cols, rows, cx, cy)
		if math.Abs(cx-(15.5+6/sp)) > 0.5 || math.Abs(cy-(15.5+4.5/sp)) > 0.5 {
			t.Errorf("spacing %g: block centred at column %g row %g, want %g %g", sp, cx, cy, 15.5+6/sp, 15.5+4.5/sp)
		}
		// 36 rows of 1 mm cover 36 mm: at 1.5 mm, 24 rows with 4 rows of
		// padding above and below; at 1 mm, 32 rows cropped from 36.
		pad := 0
		if sp == 1.5 {
			pad = 4
		}
		for y := range 32 {
			row := s.Image[y*32 : (y+1)*32]
			inside := y >= pad && y < 32-pad
			if !inside {
				if slices.ContainsFunc(row, func(v float32) bool { return v != -1 }) {
					t.Errorf("spacing %g: padded row %d is %v", sp, y, row)
				}
				continue
			}
			// x is the column: the ramp in x must rise along every row.
			if !slices.IsSorted(row) || row[0] == row[31] {
				t.Errorf("spacing %g: row %d does not rise along x: %v", sp, y, row)
			}
		}
	}
}

func TestGeometryKeepEmptyAndLabelUnion(t *testing.T) {
	root := t.TempDir()
	fr := rectFrame(20, 10, 25, 8) // the block lies in the lower half
	writeHand(t, root, "patient001", "", ".nii.gz", fr, fr)
	pts, st, err := LoadACDC(root, Options{Size: 32, Label: []int{2, 3}}, nil)
	if err != nil || len(pts) != 1 {
		t.Fatal(err, pts)
	}
	_, _, _, _, n := maskBox(pts[0].Slices[0].Mask, 32)
	_, _, _, _, n2 := maskBox(mustLoad(t, root, Options{Size: 32}).Slices[0].Mask, 32)
	if n <= n2 || n2 == 0 || st.Slices != 2 {
		t.Errorf("labels {2,3} set %d pixels, label 2 alone %d", n, n2)
	}
	_, st, err = LoadACDC(root, Options{Size: 32, Label: []int{1}}, nil)
	if err != nil || st.Slices != 0 || st.DroppedEmpty != 2 || st.Patients != 1 {
		t.Errorf("label 1 (absent): %+v %v", st, err)
	}
	_, st, err = LoadACDC(root, Options{Size: 32, Label: []int{1}, KeepEmpty: true}, nil)
	if err != nil || st.Slices != 2 || st.DroppedEmpty != 0 {
		t.Errorf("label 1 with KeepEmpty: %+v %v", st, err)
	}
}

func mustLoad(t *testing.T, root string, opt Options) Patient {
	t.Helper()
	pts, _, err := LoadACDC(root, opt, nil)
	if err != nil || len(pts) == 0 {
		t.Fatal(err)
	}
	return pts[0]
}

func TestNormaliseClipsToPercentiles(t *testing.T) {
	v := make([]float64, 101)
	for i := range v {
		v[i] = float64(i * i) // 0..10000, percentiles 10 and 90 are 100 and 8100
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
	out := normalise(v, [2]float64{10, 90})
	for i, x := range v {
		want := min(max((x-100)/8000*2-1, -1), 1)
		if math.Abs(float64(out[i])-want) > 1e-6 {
			t.Fatalf("value %g maps to %g, want %g", x, out[i], want)
		}
	}
	flat := normalise([]float64{5, 5, 5}, [2]float64{1, 99})
	if !slices.Equal(flat, []float32{-1, -1, -1}) {
		t.Errorf("constant frame maps to %v", flat)
	}
}

func TestPercentilesMatchSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	at := func(sorted []float64, p float64) float64 {
		pos := p / 100 * float64(len(sorted)-1)
		k := int(pos)
		if k+1 >= len(sorted) {
			return sorted[k]
		}
		return sorted[k] + (pos-float64(k))*(sorted[k+1]-sorted[k])
	}
	for trial := range 500 {
		n := 1 + r.IntN(300)
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(r.IntN(1 + trial%20)) // many ties
			if trial%3 == 0 {
				v[i] = r.NormFloat64()
			}
		}
		sorted := slices.Sorted(slices.Values(v))
		p := [2]float64{100 * r.Float64(), 100 * r.Float64()}
		if trial%5 == 0 {
			p[1] = p[0] + 1e-3*r.Float64() // both in one interval
		}
		p[0], p[1] = min(p[0], p[1]), max(p[0], p[1])
		lo, hi := percentiles(v, p)
		if math.Abs(lo-at(sorted, p[0])) > 1e-9 || math.Abs(hi-at(sorted, p[1])) > 1e-9 {
			t.Fatalf("percentiles %v of %v = %g, %g; want %g, %g", p, v, lo, hi, at(sorted, p[0]), at(sorted, p[1]))
		}
	}
}
