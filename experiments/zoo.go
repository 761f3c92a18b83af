package experiments

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// ZooModel names one (depth, filters, epoch) member of the zoo.
type ZooModel struct {
	Depth, Filters, Epoch int
}

func (z ZooModel) String() string {
	return fmt.Sprintf("unet-d%d-f%d-e%03d", z.Depth, z.Filters, z.Epoch)
}

// zooModels lists every member of the zoo z, in a fixed order.
func zooModels(z config.Zoo) []ZooModel {
	var out []ZooModel
	for _, d := range z.Depths {
		for _, f := range z.Filters {
			for _, e := range z.Epochs {
				out = append(out, ZooModel{d, f, e})
			}
		}
	}
	return out
}

// Predictions are one zoo model's masks for every slice (bit-packed) and
// their Dice against the ground truth.
type Predictions struct {
	Model string    `json:"model"`
	Dice  []float64 `json:"dice"`
	Masks [][]byte  `json:"-"`
}

// zooOutput is the zoo stage's output: every member's predictions.
type zooOutput struct {
	st     *run.Stage
	models []ZooModel
}

// predictions reads one member's masks and Dice for every slice.
func (z zooOutput) predictions(zm ZooModel) (*Predictions, error) {
	return loadPredictions(z.st.File("preds", zm.String()+".bin"))
}

// runZoo trains the zoo's U-Nets side by side and segments every slice with
// each kept epoch.
func runZoo(ctx context.Context, w *worker, set zooSettings, up *upstream) error {
	prep, err := up.prepared()
	if err != nil {
		return err
	}
	z := set.Zoo
	type net struct{ depth, filters int }
	var nets []net
	for _, depth := range z.Depths {
		for _, filters := range z.Filters {
			nets = append(nets, net{depth, filters})
		}
	}
	err = w.sideBySide(ctx, len(nets), func(ctx context.Context, v *worker, i int) error {
		return trainZooNet(ctx, v, set, prep, nets[i].depth, nets[i].filters)
	})
	if err != nil {
		return err
	}
	return zooTable(w, zooOutput{st: w.st, models: zooModels(z)}, prep)
}

// trainZooNet trains one U-Net of the zoo and segments every slice with
// each kept epoch.
func trainZooNet(ctx context.Context, w *worker, set zooSettings, prep *Prepared, depth, filters int) error {
	z := set.Zoo
	name := fmt.Sprintf("unet-d%d-f%d", depth, filters)
	var pending []ZooModel
	for _, e := range z.Epochs {
		m := ZooModel{depth, filters, e}
		if _, err := os.Stat(w.file("preds", m.String()+".bin")); err != nil {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	loss := graphs.Loss(z.Loss)
	s := op.NewScope()
	spec := graphs.UNetSpec{Depth: depth, Filters: int64(filters), Out: 1, Init: graphs.InitScheme(z.Init), Precision: precision(z.Precision)}
	seed := streamSeed(set.Seed, results.StageZoo, name)
	m := graphs.Segmenter(s, spec, int64(prep.Px), loss, graphSeed(seed), graphs.Adam{})
	return w.withSession(s, func(sess *tf.Session) error {
		dir := w.file("train", name)
		_, err := w.trainNet(ctx, sess, train.Spec{
			Name: name, Model: m, Train: segmentationData(m, prep, prep.Index[results.Train], z.Augment),
			Val: segmentationData(m, prep, prep.Index[results.Val], false), Epochs: slices.Max(z.Epochs),
			Batch: z.Batch, LR: z.LR, Seed: seed, Dir: dir, Keep: z.Epochs,
		}, nil)
		if err != nil {
			return err
		}
		for _, zm := range pending {
			if err := tfrun.Restore(sess, m.Saver, train.EpochDir(dir, zm.Epoch)); err != nil {
				return err
			}
			preds, err := segmentAll(w.progress, sess, m, prep, zm, float32(z.Threshold))
			if err != nil {
				return err
			}
			if err := savePredictions(w.file("preds", zm.String()+".bin"), preds); err != nil {
				return err
			}
		}
		return nil
	})
}

// segmentAll runs m on every slice, thresholds it at thr and scores it.
func segmentAll(progress io.Writer, sess *tf.Session, m *graphs.Model, prep *Prepared, zm ZooModel, thr float32) (*Predictions, error) {
	px := prep.Px
	n := len(prep.Slices)
	out := &Predictions{Model: zm.String(), Dice: make([]float64, n), Masks: make([][]byte, n)}
	batch := 64
	bar := newBar(progress, "segment "+zm.String(), n, "slice")
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		imgs := make([]float32, 0, (hi-lo)*px*px)
		for i := lo; i < hi; i++ {
			imgs = append(imgs, prep.Slices[i].Image...)
		}
		res, err := sess.Run(map[tf.Output]*tf.Tensor{m.Inputs[0]: tfrun.MustFloat32(imgs, int64(hi-lo), int64(px), int64(px), 1)}, []tf.Output{m.Output}, nil)
		if err != nil {
			return nil, err
		}
		prob := tfrun.Floats(res[0])
		for i := lo; i < hi; i++ {
			mask := make([]uint8, px*px)
			for k, v := range prob[(i-lo)*px*px : (i-lo+1)*px*px] {
				if v >= thr {
					mask[k] = 1
				}
			}
			out.Dice[i] = Dice(mask, prep.Slices[i].Mask)
			out.Masks[i] = packBits(mask)
		}
		bar.Add(hi-lo, "")
	}
	bar.Done("")
	return out, nil
}

// segmentationData feeds images and ground-truth masks, augmented together.
func segmentationData(m *graphs.Model, prep *Prepared, idx []int, augment bool) train.Data {
	return train.FuncData{N: len(idx), F: func(batch []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		xs, ys := pairBatch(prep.Px, batch, augmenting(rng, augment), func(b int) ([]float32, []uint8) {
			s := prep.Slices[idx[b]]
			return s.Image, s.Mask
		})
		return map[tf.Output]*tf.Tensor{m.Inputs[0]: images(xs, len(batch), prep.Px), m.Target: images(ys, len(batch), prep.Px)}, nil
	}}
}
