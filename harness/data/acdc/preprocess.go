package acdc

import "math"

// frame is one cardiac phase ready to slice: normalised or raw intensities
// and labels on the same nx*ny*nz grid (x fastest, then y, then z), with the
// in-plane spacing in mm.
type frame struct {
	nx, ny, nz int
	dx, dy     float64
	image      []float64 // intensities as read
	label      []uint8   // 0..3, checked
}

// cut cuts f into preprocessed slices named patient/phase and returns
// them with the number dropped for lacking the target.
func (f *frame) cut(patient, phase string, opt Options, targets *[256]uint8) (kept []Slice, dropped int) {
	norm := normalise(f.image, opt.Percentiles)
	xs := axisPlan(f.nx, f.dx, opt.SpacingMM, opt.Size)
	ys := axisPlan(f.ny, f.dy, opt.SpacingMM, opt.Size)
	plane := f.nx * f.ny
	for z := range f.nz {
		img := make([]float32, opt.Size*opt.Size)
		mask := make([]uint8, opt.Size*opt.Size)
		hit := resample(img, mask, norm[z*plane:(z+1)*plane], f.label[z*plane:(z+1)*plane], f.nx, xs, ys, targets)
		if !hit && !opt.KeepEmpty {
			dropped++
			continue
		}
		kept = append(kept, Slice{Patient: patient, Frame: phase, Z: z, Image: img, Mask: mask})
	}
	return kept, dropped
}

// normalise clips v to its percentiles pct (0..100) and maps the range
// linearly onto [-1, 1]. When the two percentiles coincide (a constant
// frame), values at or below them map to -1 and values above to 1.
func normalise(v []float64, pct [2]float64) []float32 {
	lo, hi := percentiles(v, pct)
	out := make([]float32, len(v))
	if !(hi > lo) {
		for i, x := range v {
			out[i] = -1
			if x > lo {
				out[i] = 1
			}
		}
		return out
	}
	scale := 2 / (hi - lo)
	for i, x := range v {
		out[i] = float32(min(max((x-lo)*scale-1, -1), 1))
	}
	return out
}

// percentiles returns the two percentiles (lo <= hi) of v, interpolating
// linearly between order statistics as numpy.percentile does by default.
func percentiles(v []float64, pct [2]float64) (lo, hi float64) {
	if len(v) == 0 {
		return 0, 0
	}
	posLo, posHi := rank(pct[0], len(v)), rank(pct[1], len(v))
	if counts, base, ok := histogram(v); ok {
		return countedStat(counts, base, posLo), countedStat(counts, base, posHi)
	}
	a := make([]float64, len(v))
	copy(a, v)
	hi = orderStat(a, posHi)
	// Now a[:kHi+1] holds the kHi+1 smallest values, which is all the lower
	// percentile needs when its two order statistics lie below kHi.
	if kHi := int(posHi); int(posLo)+1 <= kHi {
		a = a[:kHi+1]
	}
	return orderStat(a, posLo), hi
}

// rank is the fractional 0-based position of percentile p among n values.
func rank(p float64, n int) float64 {
	return min(max(p/100*float64(n-1), 0), float64(n-1))
}

// orderStat returns the value at fractional rank pos of a, interpolating
// between neighbours, and leaves a partitioned around int(pos).
func orderStat(a []float64, pos float64) float64 {
	k := int(pos)
	v := selectKth(a, k)
	frac := pos - float64(k)
	if frac == 0 || k+1 >= len(a) {
		return v
	}
	next := a[k+1] // selectKth leaves everything above k at or above a[k]
	for _, x := range a[k+2:] {
		next = min(next, x)
	}
	return v + frac*(next-v)
}

// maxSpan bounds the histogram of whole-numbered intensities.
const maxSpan = 1 << 20

// histogram counts v by value when every value is a whole number and the
// values span at most maxSpan, as for the integer voxels of most MR files;
// counts[i] is the number of values equal to base+i.
func histogram(v []float64) (counts []int32, base float64, ok bool) {
	lo, hi := v[0], v[0]
	for _, x := range v {
		if x != math.Trunc(x) {
			return nil, 0, false
		}
		lo, hi = min(lo, x), max(hi, x)
	}
	if !(hi-lo < maxSpan) {
		return nil, 0, false
	}
	counts = make([]int32, int(hi-lo)+1)
	for _, x := range v {
		counts[int(x-lo)]++
	}
	return counts, lo, true
}

// countedStat is orderStat for values given by histogram.
func countedStat(counts []int32, base, pos float64) float64 {
	k := int(pos)
	i, below := 0, 0 // below counts the values under base+i
	for below+int(counts[i]) <= k {
		below += int(counts[i])
		i++
	}
	v := base + float64(i)
	frac := pos - float64(k)
	if frac == 0 || k+1 < below+int(counts[i]) {
		return v // a[k+1] equals a[k] (or is not needed)
	}
	j := i + 1
	for j < len(counts) && counts[j] == 0 {
		j++
	}
	if j == len(counts) {
		return v
	}
	return v + frac*float64(j-i)
}

// selectKth reorders a so that a[k] holds the value it would hold if a were
// sorted, with nothing larger before it and nothing smaller after it
// (Hoare's selection with a median-of-three pivot), and returns a[k].
func selectKth(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		pivot := median3(a[lo], a[lo+(hi-lo)/2], a[hi])
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}

func median3(a, b, c float64) float64 {
	return max(min(a, b), min(max(a, b), c))
}

// sample says where one output pixel along an axis falls in the source:
// inside or not, the two neighbours and weight for linear interpolation,
// and the nearest neighbour.
type sample struct {
	inside bool
	i0, i1 int
	w      float32
	near   int
}

// axisPlan maps size output pixels of spacing dst mm onto n source pixels of
// spacing src mm, centre on centre. Output pixels whose centre falls outside
// the source's extent (pixel edges included) are padding.
func axisPlan(n int, src, dst float64, size int) []sample {
	plan := make([]sample, size)
	centre := float64(n-1) / 2
	for j := range plan {
		f := centre + (float64(j)-float64(size-1)/2)*dst/src
		s := sample{inside: f >= -0.5 && f < float64(n)-0.5}
		s.near = min(max(int(math.Floor(f+0.5)), 0), n-1)
		switch {
		case f <= 0:
			s.i0, s.i1 = 0, 0
		case f >= float64(n-1):
			s.i0, s.i1 = n-1, n-1
		default:
			s.i0 = int(math.Floor(f))
			s.i1 = min(s.i0+1, n-1)
			s.w = float32(f - float64(s.i0))
		}
		plan[j] = s
	}
	return plan
}

// resample fills one output slice (row-major, y then x): bilinear image
// values, padding -1, and the target mask from the nearest label. It reports
// whether any mask pixel is set.
func resample(img []float32, mask []uint8, src []float32, lab []uint8, nx int, xs, ys []sample, targets *[256]uint8) bool {
	hit := false
	size := len(xs)
	for y, sy := range ys {
		row := img[y*size : (y+1)*size]
		mrow := mask[y*size : (y+1)*size]
		if !sy.inside {
			for x := range row {
				row[x] = -1
			}
			continue
		}
		r0, r1 := src[sy.i0*nx:(sy.i0+1)*nx], src[sy.i1*nx:(sy.i1+1)*nx]
		lrow := lab[sy.near*nx : (sy.near+1)*nx]
		for x, sx := range xs {
			if !sx.inside {
				row[x] = -1
				continue
			}
			top := r0[sx.i0] + sx.w*(r0[sx.i1]-r0[sx.i0])
			bot := r1[sx.i0] + sx.w*(r1[sx.i1]-r1[sx.i0])
			row[x] = min(max(top+sy.w*(bot-top), -1), 1)
			if m := targets[lrow[sx.near]]; m != 0 {
				mrow[x] = 1
				hit = true
			}
		}
	}
	return hit
}
