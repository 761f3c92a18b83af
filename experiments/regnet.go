package experiments

import (
	"context"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// adversary is the adversarial training of m, the REG-Net of input, as
// regnet.adversarial and the settings after it ask, or nil for clean
// training. The baseline is attacked on its image; the proposed pipeline on
// its image through REC-Net or on its difference image (regnet.adv_through).
// The network on s alone has no image to attack and trains clean.
func adversary(set regnetSettings, m *graphs.Model, input results.Input, dScale float32) *attack.Trainer {
	r := set.RegNet.Robust
	if r.Adversarial == config.AdvNone || input == results.InputS {
		return nil
	}
	tr := &attack.Trainer{
		X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, Lo: -1, Hi: 1,
		Eps: r.AdvEps, Steps: r.AdvSteps, RandomStart: true, Mix: r.AdvMix,
		Pairs: r.Adversarial == config.AdvTRADES, Seed: streamSeed(set.Seed, results.StageRegNet, "adversarial", string(input)),
	}
	if m.Diff.Op != nil && r.AdvThrough == config.ThroughD {
		tr.X, tr.Grad, tr.Lo, tr.Hi = m.Diff, m.DiffGrad, 0, dHi(dScale)
	}
	if r.Adversarial == config.AdvFGSM {
		tr.Steps, tr.RandomStart = 1, false
	}
	return tr
}

// runRegNet trains a REG-Net for every input kind of regnet.inputs, side
// by side, each in its own folder of the stage.
func runRegNet(ctx context.Context, w *worker, set regnetSettings, up *upstream) error {
	prep, err := up.prepared()
	if err != nil {
		return err
	}
	trainPool, err := up.pool(results.Train)
	if err != nil {
		return err
	}
	valPool, err := up.pool(results.Val)
	if err != nil {
		return err
	}
	// Every input takes its lane and its share of the threads even when a
	// resumed run finished it before: the threads a network trains with
	// change its last bits, so they must not depend on what is left.
	nets := newRegNets(netSettings{RegNet: set}, w.st, up.stages[results.StageRecNet], w.session)
	if err := ensureDScale(w, nets, prep, trainPool); err != nil {
		return err
	}
	inputs := set.RegNet.Inputs
	return w.sideBySide(ctx, len(inputs), func(ctx context.Context, v *worker, i int) error {
		input := inputs[i]
		if nets.trained(input) {
			return nil
		}
		hist, err := trainRegNet(ctx, v, nets, prep, input, trainPool, valPool)
		if err != nil {
			return err
		}
		v.logf("regnet %s: best validation MAE %.4f at epoch %d of %d (%s)\n", input, hist.Best, hist.BestEpoch, hist.Epoch, hist.Stopped)
		if err := v.figure("regnet_"+string(input)+"_loss.png", curves("REG-Net ("+input.Channels()+")", "MAE", hist)); err != nil {
			return err
		}
		return run.WriteJSON(v.file("models", string(input), "done.json"), hist)
	})
}

func trainRegNet(ctx context.Context, w *worker, nets regNets, prep *Prepared, input results.Input, trainPool, valPool *Pool) (train.State, error) {
	set := nets.set
	r := set.RegNet
	s := op.NewScope()
	m, err := nets.model(s, input, prep.Px)
	if err != nil {
		return train.State{}, err
	}
	var hist train.State
	err = w.withSession(s, func(sess *tf.Session) error {
		spec := train.Spec{
			Name: "regnet-" + string(input), Model: m,
			Train: poolData(m, prep, trainPool, r.Augment, nil), Val: poolData(m, prep, valPool, false, nil),
			Epochs: r.Epochs, Patience: r.Patience, Batch: r.Batch, LR: r.LR, Schedule: string(r.LRSchedule), Seed: streamSeed(set.Seed, results.StageRegNet), Dir: w.file("models", string(input)),
			Metric: m.MAE,
		}
		noise := trainingNoise(set, m, input) // nil at regnet.noise_sigma 0
		if adv := adversary(set, m, input, m.DScale); adv != nil {
			spec.Perturb = adv.Perturb
		} else if m.Diff.Op != nil && noise == nil {
			// REC-Net is frozen: each sample's d under each transform is
			// computed once, not once per epoch. An adversary changes x,
			// so d is then computed in the graph at every step.
			spec.Train = poolData(m, prep, trainPool, r.Augment, newDiffCache(sess, m, prep.Px, trainPool.Len(), poolPair(prep, trainPool)))
			spec.Val = poolData(m, prep, valPool, false, newDiffCache(sess, m, prep.Px, valPool.Len(), poolPair(prep, valPool)))
		}
		// Noise on x comes first: an adversary attacks the noisy batch.
		spec.Perturb = thenPerturb(noise, spec.Perturb)
		if m.RecSaver != nil {
			spec.AfterInit = func(sess *tf.Session) error {
				return tfrun.Restore(sess, m.RecSaver, nets.rec.best())
			}
		}
		hist, err = w.trainNet(ctx, sess, spec, nil)
		return err
	})
	return hist, err
}

// poolPair returns sample b of pool: its slice's image and its mask.
func poolPair(prep *Prepared, pool *Pool) func(b int) ([]float32, []uint8) {
	return func(b int) ([]float32, []uint8) {
		return prep.Slices[pool.Slices[b]].Image, unpackBits(pool.Masks[b], prep.Px*prep.Px)
	}
}

// poolData feeds (image, segmentation) pairs of a pool with their Dice and,
// with a cache, the difference images d.
func poolData(m *graphs.Model, prep *Prepared, pool *Pool, augment bool, cache *diffCache) train.Data {
	px := prep.Px
	return train.FuncData{N: pool.Len(), F: func(batch []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		xs, ss, ks := pairBatchK(px, batch, augmenting(rng, augment), poolPair(prep, pool))
		dice := make([]float32, len(batch))
		for j, b := range batch {
			dice[j] = float32(pool.Dice[b])
		}
		feeds := pairFeeds(m, xs, ss, len(batch), px)
		feeds[m.Target] = tfrun.MustFloat32(dice, int64(len(batch)))
		if cache != nil {
			d, err := cache.get(batch, ks)
			if err != nil {
				return nil, err
			}
			feeds[m.Diff] = images(d, len(batch), px)
		}
		return feeds, nil
	}}
}

// pairFeeds feeds m, a REG-Net, n images xs and their segmentations ss
// (px × px each): ss to its last input, xs to its first unless ss is its
// only one (InputS, which sees no image).
func pairFeeds(m *graphs.Model, xs, ss []float32, n, px int) map[tf.Output]*tf.Tensor {
	feeds := map[tf.Output]*tf.Tensor{m.Inputs[len(m.Inputs)-1]: images(ss, n, px)}
	if len(m.Inputs) > 1 {
		feeds[m.Inputs[0]] = images(xs, n, px)
	}
	return feeds
}

// RegNetFeeds feeds m, a REG-Net OpenRegNet opened, n images xs and their
// segmentations ss (px × px each), as its input kind takes them: the
// network on s alone is fed ss only.
func RegNetFeeds(m *graphs.Model, xs, ss []float32, n, px int) map[tf.Output]*tf.Tensor {
	return pairFeeds(m, xs, ss, n, px)
}
