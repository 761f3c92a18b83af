package train

import (
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"
)

// FuncData is a Data whose batches a function builds.
type FuncData struct {
	N int
	F func(idx []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error)
}

// Len is the number of samples.
func (d FuncData) Len() int { return d.N }

// Feeds builds the feeds of samples idx.
func (d FuncData) Feeds(idx []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
	return d.F(idx, rng)
}

// Dihedral applies one random element of the dihedral group of the square
// (rotations by multiples of 90 degrees, with or without a flip) to every
// image of imgs, px by px, row-major. The same transform is applied to all,
// so an image and its mask stay aligned. rng nil returns imgs unchanged.
func Dihedral(rng *rand.Rand, px int, imgs ...[]float32) [][]float32 {
	return ApplyDihedral(DihedralK(rng), px, imgs...)
}

// DihedralK draws the element Dihedral applies, 0 to 7 (0 is the identity,
// and so is a nil rng).
func DihedralK(rng *rand.Rand) int {
	if rng == nil {
		return 0
	}
	return rng.IntN(8)
}

// ApplyDihedral applies element k of the dihedral group to every image of
// imgs; k = 0 returns imgs unchanged.
func ApplyDihedral(k, px int, imgs ...[]float32) [][]float32 {
	if k == 0 {
		return imgs
	}
	out := make([][]float32, len(imgs))
	for i, img := range imgs {
		out[i] = transform(img, px, k)
	}
	return out
}

// transform maps pixel (x, y) to the k-th element of the dihedral group:
// k&3 quarter turns, then a horizontal flip when k >= 4.
func transform(img []float32, px, k int) []float32 {
	out := make([]float32, len(img))
	n := px - 1
	for y := range px {
		for x := range px {
			tx, ty := x, y
			for range k & 3 {
				tx, ty = n-ty, tx
			}
			if k >= 4 {
				tx = n - tx
			}
			out[ty*px+tx] = img[y*px+x]
		}
	}
	return out
}
