package phantom

import (
	"math"
	"math/rand/v2"
)

// look is one patient's contrast and image degradation.
type look struct {
	level   [numTissues]float32 // intensity per tissue
	texture [numTissues]float32 // relative low-pass texture per tissue
	noise   float64             // Rician sigma
	blur    float64             // Gaussian sigma in pixels
	bias    [6]float64          // log bias: x, y, x², y², xy, z
}

// drawLook draws a scanner gain, a contrast curve and a per-tissue jitter.
func drawLook(r *rand.Rand) look {
	var lk look
	gain := uniform(r, 400, 1100)
	gamma := uniform(r, 0.8, 1.2) // below 1 lifts dark tissues: lower contrast
	for t := range numTissues {
		lk.level[t] = float32(gain * math.Pow(level[t], gamma) * uniform(r, 0.88, 1.12))
		lk.texture[t] = float32(texture[t])
	}
	lk.noise = gain * uniform(r, 0.015, 0.045)
	lk.blur = uniform(r, 0.5, 0.85)
	for i := range lk.bias {
		lk.bias[i] = 0.15 * r.NormFloat64()
	}
	lk.bias[1] -= uniform(r, 0, 0.25) // surface coils: anterior brighter
	return lk
}

// smoothField returns low-pass noise on an nx×ny grid: the sum over
// octaves of standard normal values on a lattice of the given cell size
// (pixels), interpolated by cubic B-splines and scaled by the octave's
// weight. The interpolation halves the spread: an octave's standard
// deviation is about half its weight.
func smoothField(r *rand.Rand, nx, ny int, cells, weights []float64) []float32 {
	out := make([]float32, nx*ny)
	for o, cell := range cells {
		gx, gy := int(float64(nx)/cell)+4, int(float64(ny)/cell)+4
		grid := make([]float64, gx*gy)
		for k := range grid {
			grid[k] = weights[o] * r.NormFloat64()
		}
		ix, wx := bsplineTaps(nx, cell)
		iy, wy := bsplineTaps(ny, cell)
		rows := make([]float64, gy*nx) // grid interpolated along x
		for j := range gy {
			g := grid[j*gx:]
			row := rows[j*nx:]
			for i := range nx {
				k, w := ix[i], &wx[i]
				row[i] = w[0]*g[k] + w[1]*g[k+1] + w[2]*g[k+2] + w[3]*g[k+3]
			}
		}
		for j := range ny {
			k, w := iy[j], &wy[j]
			r0, r1, r2, r3 := rows[k*nx:], rows[(k+1)*nx:], rows[(k+2)*nx:], rows[(k+3)*nx:]
			o := out[j*nx:]
			for i := range nx {
				o[i] += float32(w[0]*r0[i] + w[1]*r1[i] + w[2]*r2[i] + w[3]*r3[i])
			}
		}
	}
	return out
}

// bsplineTaps returns, for each of n pixels, the first of four lattice
// nodes and their cubic B-spline weights.
func bsplineTaps(n int, cell float64) ([]int, [][4]float64) {
	idx := make([]int, n)
	w := make([][4]float64, n)
	for i := range n {
		f := (float64(i) + 0.5) / cell
		k := int(f)
		t := f - float64(k)
		t2, t3 := t*t, t*t*t
		idx[i] = k
		w[i] = [4]float64{
			(1 - 3*t + 3*t2 - t3) / 6,
			(4 - 6*t2 + 3*t3) / 6,
			(1 + 3*t + 3*t2 - 3*t3) / 6,
			t3 / 6,
		}
	}
	return idx, w
}

// gaussKernel returns a normalised Gaussian of the given sigma (pixels),
// 2·radius+1 taps.
func gaussKernel(sigma float64) []float32 {
	rad := max(1, int(math.Ceil(2.5*sigma)))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		x := float64(i - rad)
		k[i] = float32(math.Exp(-x * x / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	return k
}

// blur convolves the nx×ny image img with kernel k along x and then y,
// clamping at the borders; tmp is scratch of the same size.
func blur(img, tmp []float32, nx, ny int, k []float32) {
	rad := len(k) / 2
	pad := make([]float32, nx+2*rad)
	for j := range ny {
		row, dst := img[j*nx:(j+1)*nx], tmp[j*nx:(j+1)*nx]
		copy(pad[rad:], row)
		for i := range rad {
			pad[i], pad[nx+rad+i] = row[0], row[nx-1]
		}
		axpys(dst, pad, k, 1)
	}
	for j := range ny {
		dst := img[j*nx : (j+1)*nx]
		clear(dst)
		for t, w := range k {
			src := tmp[min(max(j+t-rad, 0), ny-1)*nx:]
			axpy(dst, src[:len(dst)], w)
		}
	}
}

// axpys sets dst[i] = Σ_t k[t]·src[i+t·stride].
func axpys(dst, src, k []float32, stride int) {
	clear(dst)
	for t, w := range k {
		axpy(dst, src[t*stride:t*stride+len(dst)], w)
	}
}

// axpy adds w·src to dst; len(src) == len(dst).
func axpy(dst, src []float32, w float32) {
	for i, v := range src {
		dst[i] += w * v
	}
}

// biasField returns the smooth multiplicative field exp(polynomial) over
// the nx×ny plane, in coordinates scaled to [-1, 1]; the slice term c[5]
// is applied per slice.
func biasField(c [6]float64, nx, ny int) []float32 {
	out := make([]float32, nx*ny)
	for j := range ny {
		y := 2*(float64(j)+0.5)/float64(ny) - 1
		for i := range nx {
			x := 2*(float64(i)+0.5)/float64(nx) - 1
			out[j*nx+i] = float32(math.Exp(c[0]*x + c[1]*y + c[2]*x*x + c[3]*y*y + c[4]*x*y))
		}
	}
	return out
}

// rician sets dst[k] to the magnitude |img[k]·bias[k]·gain + sigma·(n1 + i·n2)|
// with standard normal n1, n2: the Rician noise of a magnitude MR image.
// Values are capped at 32767 so that they fit int16.
func rician(dst, img, bias []float32, gain, sigma float64, r *rand.Rand) {
	for k, a := range img {
		re := float64(a*bias[k])*gain + sigma*r.NormFloat64()
		im := sigma * r.NormFloat64()
		dst[k] = float32(min(math.Sqrt(re*re+im*im), 32767))
	}
}
