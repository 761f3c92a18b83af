package experiments

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// diffChunk is how many samples of a pool the diff cache computes in one
// REC-Net pass.
const diffChunk = 16

// diffCache keeps the difference images d = |x − r(x · (1 − s))| of a pool
// under each of the eight dihedral transforms that augmentation draws.
// REC-Net is frozen while a REG-Net trains, so d of a sample under a
// transform never changes: the cache computes it the first time a batch
// needs it (one REC-Net pass per sample and transform in the whole
// training, instead of one per epoch) and feeds it in place of the
// graph's d, which TensorFlow then does not compute.
//
// A missing d is computed with the other samples of its chunk (samples
// diffChunk·c to diffChunk·(c+1) − 1 of the pool, under the same
// transform), never with the batch that first asked for it. REC-Net's
// output differs in its last bits with the batch it is computed in
// (oneDNN picks its kernels by shape), and a REG-Net amplifies such bits
// over its epochs: a run resumed after a kill would otherwise fill its
// cache from other batches than an uninterrupted run and end with another
// Table 1.
type diffCache struct {
	sess *tf.Session
	m    *graphs.Model
	px   int
	pair func(b int) ([]float32, []uint8) // sample b's image and mask
	d    [8][][]float32                   // [transform][sample]; nil until computed
}

func newDiffCache(sess *tf.Session, m *graphs.Model, px, n int, pair func(b int) ([]float32, []uint8)) *diffCache {
	c := &diffCache{sess: sess, m: m, px: px, pair: pair}
	for k := range c.d {
		c.d[k] = make([][]float32, n)
	}
	return c
}

// get returns d of the batch's samples, each under its transform ks[i].
func (c *diffCache) get(batch, ks []int) ([]float32, error) {
	d := make([]float32, 0, len(batch)*c.px*c.px)
	for i, b := range batch {
		if c.d[ks[i]][b] == nil {
			if err := c.fill(ks[i], b/diffChunk); err != nil {
				return nil, err
			}
		}
		d = append(d, c.d[ks[i]][b]...)
	}
	return d, nil
}

// fill computes d of every sample of chunk under transform k in one pass.
func (c *diffCache) fill(k, chunk int) error {
	lo, hi := chunk*diffChunk, min((chunk+1)*diffChunk, len(c.d[k]))
	n := c.px * c.px
	xs, ss := make([]float32, 0, (hi-lo)*n), make([]float32, 0, (hi-lo)*n)
	for b := lo; b < hi; b++ {
		img, mask := c.pair(b)
		t := train.ApplyDihedral(k, c.px, img, toFloat(mask))
		xs, ss = append(xs, t[0]...), append(ss, t[1]...)
	}
	out, err := c.sess.Run(map[tf.Output]*tf.Tensor{
		c.m.Inputs[0]: images(xs, hi-lo, c.px), c.m.Inputs[1]: images(ss, hi-lo, c.px),
	}, []tf.Output{c.m.Diff}, nil)
	if err != nil {
		return fmt.Errorf("difference images: %w", err)
	}
	d := tfrun.Floats(out[0])
	for b := lo; b < hi; b++ {
		c.d[k][b] = d[(b-lo)*n : (b-lo+1)*n]
	}
	return nil
}
