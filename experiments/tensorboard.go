package experiments

import (
	"context"
	"fmt"
	"math"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tensorboard"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// The folder of a stage that holds its networks' TensorBoard event files;
// publish copies it to RUN/tensorboard.
const tensorboardDir = "tensorboard"

// trainNet trains spec's network in stage st and, with report.tensorboard
// on, writes its event file: loss, metric, learning rate and throughput
// per epoch, and what images adds (nil: nothing) on top of the writer.
func (p *pipeline) trainNet(ctx context.Context, sess *tf.Session, st *run.Stage, spec train.Spec, images func(*tensorboard.Writer) (train.Observer, error)) (hist train.State, err error) {
	if p.cfg.Report.TensorBoard {
		w, err := tensorboard.Open(st.File(tensorboardDir, spec.Name), tensorboard.Options{})
		if err != nil {
			return train.State{}, fmt.Errorf("%s: TensorBoard: %w", spec.Name, err)
		}
		spec.Observer = w
		if images != nil {
			if spec.Observer, err = images(w); err != nil {
				w.Close()
				return train.State{}, fmt.Errorf("%s: TensorBoard: %w", spec.Name, err)
			}
		}
		defer func() {
			if cerr := w.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("%s: TensorBoard: %w", spec.Name, cerr)
			}
		}()
	}
	return train.Run(ctx, sess, spec)
}

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
func (p *pipeline) recnetImages(sess *tf.Session, m *graphs.Model, val train.Data, px int) func(*tensorboard.Writer) (train.Observer, error) {
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
		return reconstructions{events: w, sess: sess, m: m, feeds: feeds, n: n, px: px, every: max(1, p.cfg.RecNet.Epochs/10)}, nil
	}
}
