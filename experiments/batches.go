package experiments

import (
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// What the networks are fed: images and masks stacked into batches, each
// pair augmented alike when training asks for it, and the tensor of a
// batch of images.

// pairBatch stacks the image and mask of every sample of batch, each pair
// under one random dihedral transform when rng is not nil (augmentation
// before anything is computed from them).
func pairBatch(px int, batch []int, rng *rand.Rand, pair func(b int) ([]float32, []uint8)) (imgs, masks []float32) {
	imgs, masks, _ = pairBatchK(px, batch, rng, pair)
	return imgs, masks
}

// pairBatchK is pairBatch that also returns the transform of each sample.
func pairBatchK(px int, batch []int, rng *rand.Rand, pair func(b int) ([]float32, []uint8)) (imgs, masks []float32, ks []int) {
	imgs = make([]float32, 0, len(batch)*px*px)
	masks = make([]float32, 0, len(batch)*px*px)
	ks = make([]int, len(batch))
	for i, b := range batch {
		img, mask := pair(b)
		ks[i] = train.DihedralK(rng)
		a := train.ApplyDihedral(ks[i], px, img, toFloat(mask))
		imgs, masks = append(imgs, a[0]...), append(masks, a[1]...)
	}
	return imgs, masks, ks
}

// images makes the [n, px, px, 1] tensor of n stacked images.
func images(data []float32, n, px int) *tf.Tensor {
	return tfrun.MustFloat32(data, int64(n), int64(px), int64(px), 1)
}

// augmenting is rng when augment is set, nil otherwise.
func augmenting(rng *rand.Rand, augment bool) *rand.Rand {
	if augment {
		return rng
	}
	return nil
}
