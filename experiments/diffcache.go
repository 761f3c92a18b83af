package experiments

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// diffCache keeps the difference images d = |x − r(x · (1 − s))| of a pool
// under each of the eight dihedral transforms that augmentation draws.
// REC-Net is frozen while a REG-Net trains, so d of a sample under a
// transform never changes: the cache computes it the first time a batch
// needs it (one REC-Net pass per sample and transform in the whole
// training, instead of one per epoch) and feeds it in place of the
// graph's d, which TensorFlow then does not compute.
type diffCache struct {
	sess *tf.Session
	m    *graphs.Model
	px   int
	d    [8][][]float32 // [transform][sample]; nil until computed
}

func newDiffCache(sess *tf.Session, m *graphs.Model, px, n int) *diffCache {
	c := &diffCache{sess: sess, m: m, px: px}
	for k := range c.d {
		c.d[k] = make([][]float32, n)
	}
	return c
}

// get returns d of the batch's samples, each under its transform ks[i];
// xs and ss are the batch's transformed images and segmentations, from
// which the missing ones are computed in one REC-Net pass.
func (c *diffCache) get(batch, ks []int, xs, ss []float32) ([]float32, error) {
	n := c.px * c.px
	var missing []int // positions in the batch
	for i, b := range batch {
		if c.d[ks[i]][b] == nil {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		mx, ms := make([]float32, 0, len(missing)*n), make([]float32, 0, len(missing)*n)
		for _, i := range missing {
			mx, ms = append(mx, xs[i*n:(i+1)*n]...), append(ms, ss[i*n:(i+1)*n]...)
		}
		out, err := c.sess.Run(map[tf.Output]*tf.Tensor{
			c.m.Inputs[0]: images(mx, len(missing), c.px), c.m.Inputs[1]: images(ms, len(missing), c.px),
		}, []tf.Output{c.m.Diff}, nil)
		if err != nil {
			return nil, fmt.Errorf("difference images: %w", err)
		}
		d := tfrun.Floats(out[0])
		for j, i := range missing {
			c.d[ks[i]][batch[i]] = d[j*n : (j+1)*n]
		}
	}
	d := make([]float32, 0, len(batch)*n)
	for i, b := range batch {
		d = append(d, c.d[ks[i]][b]...)
	}
	return d, nil
}
