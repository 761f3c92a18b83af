package experiments

// A mask is a slice's segmentation, px × px bytes, non-zero inside the
// structure: Dice compares two, toFloat is one as the networks are fed it,
// and packBits stores one in a bit a pixel (maskfile.go writes them).

// Dice is 2|A∩B| / (|A| + |B|) of two binary masks; two empty masks score 1
// (an empty prediction of an absent structure is right).
func Dice(a, b []uint8) float64 {
	var inter, sum int
	for i := range a {
		x, y := a[i] != 0, b[i] != 0
		if x && y {
			inter++
		}
		if x {
			sum++
		}
		if y {
			sum++
		}
	}
	if sum == 0 {
		return 1
	}
	return 2 * float64(inter) / float64(sum)
}

// toFloat is the mask m as the networks are fed it: 1 where m is
// non-zero, 0 elsewhere.
func toFloat(m []uint8) []float32 {
	out := make([]float32, len(m))
	for i, v := range m {
		if v != 0 {
			out[i] = 1
		}
	}
	return out
}

// MaskFloats is toFloat for experiments/score, which feeds a segmentation
// to the REG-Nets as the stages do.
func MaskFloats(m []uint8) []float32 { return toFloat(m) }

// packBits packs the mask m into a bit a pixel, pixel i in bit i%8 of byte
// i/8; unpackBits undoes it for a mask of n pixels.
func packBits(m []uint8) []byte {
	out := make([]byte, (len(m)+7)/8)
	for i, v := range m {
		if v != 0 {
			out[i/8] |= 1 << (i % 8)
		}
	}
	return out
}

func unpackBits(b []byte, n int) []uint8 {
	out := make([]uint8, n)
	for i := range out {
		out[i] = (b[i/8] >> (i % 8)) & 1
	}
	return out
}
