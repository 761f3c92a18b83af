package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/train"
)

// runRecNet trains REC-Net to reconstruct images with the segmentation
// hidden.
func runRecNet(ctx context.Context, w *worker, set recnetSettings, up *upstream) error {
	prep, err := up.prepared()
	if err != nil {
		return err
	}
	r := set.RecNet
	s := op.NewScope()
	seed := streamSeed(set.Seed, results.StageRecNet)
	m := graphs.Reconstructor(s, recSpec(r), int64(prep.Px), graphSeed(seed), graphs.Adam{Epsilon: float32(r.AdamEps)})
	trainSet, valSet := groundTruthMasks(prep.Index[results.Train]), groundTruthMasks(prep.Index[results.Val])
	if r.TrainOn == config.TrainOnGTZoo {
		// The ablation: REC-Net also learns from the pool's segmentations,
		// of every quality, still reconstructing the whole image.
		for _, split := range []results.Split{results.Train, results.Val} {
			pool, err := up.pool(split)
			if err != nil {
				return err
			}
			for i, s := range pool.Slices {
				rs := recSample{slice: s, mask: unpackBits(pool.Masks[i], prep.Px*prep.Px)}
				if split == results.Train {
					trainSet = append(trainSet, rs)
				} else {
					valSet = append(valSet, rs)
				}
			}
		}
	}
	var hist train.State
	err = w.withSession(s, func(sess *tf.Session) error {
		val := reconstructionData(r.Masking, m, prep, valSet, false)
		hist, err = w.trainNet(ctx, sess, train.Spec{
			Name: "recnet", Model: m,
			Train:  reconstructionData(r.Masking, m, prep, trainSet, r.Augment),
			Val:    val,
			Epochs: r.Epochs, Patience: r.Patience, Batch: r.Batch, LR: r.LR, Schedule: string(r.LRSchedule), Seed: seed, Dir: w.file("train"),
		}, recnetImages(sess, m, val, prep.Px, r.Epochs))
		return err
	})
	if err != nil {
		return err
	}
	w.logf("recnet: best validation L1 %.4f at epoch %d of %d (%s)\n", hist.Best, hist.BestEpoch, hist.Epoch, hist.Stopped)
	if err := run.WriteJSON(w.file(results.RecNetHistoryFile), hist); err != nil {
		return err
	}
	return w.figure("recnet_loss.png", curves("REC-Net L1 loss", "", hist))
}

// recSample is a slice and the mask hidden from REC-Net (nil: its ground truth).
type recSample struct {
	slice int
	mask  []uint8
}

func groundTruthMasks(idx []int) []recSample {
	out := make([]recSample, len(idx))
	for i, s := range idx {
		out[i] = recSample{slice: s}
	}
	return out
}

// reconstructionData feeds masked images and images.
func reconstructionData(masking config.Masking, m *graphs.Model, prep *Prepared, samples []recSample, augment bool) train.Data {
	return train.FuncData{N: len(samples), F: func(batch []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		xs, ms := pairBatch(prep.Px, batch, augmenting(rng, augment), func(b int) ([]float32, []uint8) {
			s := prep.Slices[samples[b].slice]
			if samples[b].mask != nil {
				return s.Image, samples[b].mask
			}
			return s.Image, s.Mask
		})
		return map[tf.Output]*tf.Tensor{m.Inputs[0]: images(maskImage(masking, xs, ms), len(batch), prep.Px), m.Target: images(xs, len(batch), prep.Px)}, nil
	}}
}

// curves plots the training and validation loss per epoch and, when metric
// names it and it is not the loss itself, the validation metric that
// selects the best epoch.
func curves(title, metric string, st train.State) results.Curves {
	var tr, va, me results.Series
	tr.Name, va.Name, va.Dashed = "train loss", "validation loss", true
	me.Name, me.Dashed = "validation "+metric, true
	for _, e := range st.History {
		tr.X, tr.Y = append(tr.X, float64(e.Epoch)), append(tr.Y, e.TrainLoss)
		va.X, va.Y = append(va.X, float64(e.Epoch)), append(va.Y, e.ValLoss)
		me.X, me.Y = append(me.X, float64(e.Epoch)), append(me.Y, e.ValMetric)
	}
	series := []results.Series{tr, va}
	if metric != "" && !slices.Equal(va.Y, me.Y) { // with an L1 loss the two coincide
		series = append(series, me)
	}
	title = fmt.Sprintf("%s (best epoch %d of %d, %s)", title, st.BestEpoch, st.Epoch, strings.ReplaceAll(st.Stopped, "_", " "))
	return results.Curves{Series: series, XLabel: "epoch", YLabel: "loss", Title: title}
}
