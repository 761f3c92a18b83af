package graphs

// Forward multiply-add counts, as FLOPs (2 per multiply-add), of the
// convolutions and dense layers, which hold nearly all the work. A training
// step costs about three times the forward pass (forward, gradient with
// respect to activations, gradient with respect to weights).

func convFLOPs(h, w, k, in, out int64) float64 { return 2 * float64(h*w*k*k*in*out) }

// FLOPs is the forward cost of one sample of size px with in channels.
func (u UNetSpec) FLOPs(px, in int64) float64 {
	var total float64
	for _, c := range u.convs(px, in) {
		total += c.FLOPs()
	}
	return total
}

// convShape is one convolution of a network on one sample: a k x k kernel
// from In to Out channels on Size x Size pixels.
type convShape struct{ Size, K, In, Out int64 }

// FLOPs is the forward cost of c on one sample.
func (c convShape) FLOPs() float64 { return convFLOPs(c.Size, c.Size, c.K, c.In, c.Out) }

// convs lists the convolutions of the U-Net in the order they run.
func (u UNetSpec) convs(px, in int64) []convShape {
	var out []convShape
	f, size := u.Filters, px
	for range u.Depth {
		out = append(out, convShape{size, 3, in, f}, convShape{size, 3, f, f})
		in, size, f = f, size/2, f*2
	}
	out = append(out, convShape{size, 3, in, f}, convShape{size, 3, f, f})
	for range u.Depth {
		out = append(out, convShape{size, 1, f, 2 * f}) // up-convolution to 4*(f/2) channels
		size, f = size*2, f/2
		out = append(out, convShape{size, 3, 2 * f, f}, convShape{size, 3, f, f})
	}
	return append(out, convShape{size, 1, f, u.Out})
}

// FLOPs is the forward cost of one sample of size px with in channels.
func (r RegNetSpec) FLOPs(px, in int64) float64 {
	var total float64
	f, size := r.Filters, px
	for i := range r.Blocks {
		total += convFLOPs(size, size, 3, in, f)
		in, size = f, size/2
		if i < 3 {
			f *= 2
		}
	}
	units := size * size * in
	for _, d := range r.Dense {
		total += 2 * float64(units*d)
		units = d
	}
	return total + 2*float64(units)
}
