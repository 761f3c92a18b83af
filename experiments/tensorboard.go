package experiments

import (
	"math"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tensorboard"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// reconstructions adds to REC-Net's event file, every few epochs, a few
// validation slices: the masked input, the reconstruction, the image and
// their difference.
type reconstructions struct {
	events *tensorboard.Writer
	sess   *tf.Session
	m      *graphs.Model
	feeds  map[tf.Output]*tf.Tensor
	n, px  int
	every  int
}

func (r reconstructions) Epoch(row train.Epoch, lr float64) error {
	if err := r.events.Epoch(row, lr); err != nil || row.Epoch%r.every != 0 {
		return err
	}
	out, err := r.sess.Run(r.feeds, []tf.Output{r.m.Output}, nil)
	if err != nil {
		return err
	}
	in, rec, x := tfrun.Floats(r.feeds[r.m.Inputs[0]]), tfrun.Floats(out[0]), tfrun.Floats(r.feeds[r.m.Target])
	d := make([]float32, len(x))
	for i := range x {
		d[i] = float32(math.Abs(float64(x[i] - rec[i])))
	}
	step := int64(row.Epoch)
	for _, img := range []struct {
		tag    string
		v      []float32
		lo, hi float64
	}{{"recnet/input", in, -1, 1}, {"recnet/reconstruction", rec, -1, 1}, {"recnet/image", x, -1, 1}, {"recnet/difference", d, 0, 1}} {
		if err := r.events.Image(img.tag, step, img.v, r.n, r.px, r.px, img.lo, img.hi); err != nil {
			return err
		}
	}
	return r.events.Flush()
}

// recnetImages are the reconstructions of the first validation slices
// (up to four), every tenth of REC-Net's epochs.
func recnetImages(sess *tf.Session, m *graphs.Model, val train.Data, px, epochs int) func(*tensorboard.Writer) (train.Observer, error) {
	return func(w *tensorboard.Writer) (train.Observer, error) {
		n := min(4, val.Len())
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		feeds, err := val.Feeds(idx, nil)
		if err != nil {
			return nil, err
		}
		return reconstructions{events: w, sess: sess, m: m, feeds: feeds, n: n, px: px, every: max(1, epochs/10)}, nil
	}
}
