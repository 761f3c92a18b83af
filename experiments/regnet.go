package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

func (p *pipeline) regSpec() graphs.RegNetSpec {
	r := p.cfg.RegNet
	dense := make([]int64, len(r.Dense))
	for i, d := range r.Dense {
		dense[i] = int64(d)
	}
	spec := graphs.RegNetSpec{Blocks: r.Blocks, Filters: int64(r.Filters), Dense: dense, Dropout: float32(r.Dropout), Init: graphs.InitScheme(r.Init), Precision: p.precision(r.Precision)}
	if r.Adversarial == config.AdvTRADES {
		spec.TradesBeta = float32(r.TradesBeta)
	}
	return spec
}

// adversary is the adversarial training of m, the REG-Net of input, as
// regnet.adversarial and the settings after it ask, or nil for clean
// training. The baseline is attacked on its image; the proposed pipeline on
// its image through REC-Net or on its difference image (regnet.adv_through).
func (p *pipeline) adversary(m *graphs.Model, input results.Input, dScale float32) *attack.Trainer {
	r := p.cfg.RegNet.Robust
	if r.Adversarial == config.AdvNone {
		return nil
	}
	tr := &attack.Trainer{
		X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, Lo: -1, Hi: 1,
		Eps: r.AdvEps, Steps: r.AdvSteps, RandomStart: true, Mix: r.AdvMix,
		Pairs: r.Adversarial == config.AdvTRADES, Seed: p.seed(results.StageRegNet, "adversarial", string(input)),
	}
	if m.Diff.Op != nil && r.AdvThrough == config.ThroughD {
		tr.X, tr.Grad, tr.Lo, tr.Hi = m.Diff, m.DiffGrad, 0, dHi(dScale)
	}
	if r.Adversarial == config.AdvFGSM {
		tr.Steps, tr.RandomStart = 1, false
	}
	return tr
}

// regModel builds the REG-Net of one input kind in s. Every kind gets the
// same seed, so the regressors start alike where their shapes agree.
func (p *pipeline) regModel(s *op.Scope, input results.Input, px int) (*graphs.Model, error) {
	loss := graphs.Loss(p.cfg.RegNet.Loss)
	seed := graphSeed(p.seed(results.StageRegNet))
	opt := graphs.Adam{Epsilon: float32(p.cfg.RegNet.AdamEps)}
	switch input {
	case results.InputXS:
		return graphs.Regressor(s, p.regSpec(), int64(px), []string{"image", "seg"}, loss, seed, opt), nil
	case results.InputDS, results.InputXDS:
		scale, err := p.dScale()
		if err != nil {
			return nil, err
		}
		o := graphs.DiffOptions{WithImage: input == results.InputXDS, MaskBackground: p.cfg.RecNet.Masking == config.MaskBackground, DScale: scale}
		return graphs.DiffRegressor(s, p.recSpec(), p.regSpec(), int64(px), o, loss, seed, opt), nil
	}
	return nil, fmt.Errorf("regnet.inputs: unknown input %q", input)
}

func (p *pipeline) regnet(ctx context.Context, st *run.Stage) error {
	prep, err := p.loadPrepared()
	if err != nil {
		return err
	}
	trainPool, err := p.loadPool("train")
	if err != nil {
		return err
	}
	valPool, err := p.loadPool("val")
	if err != nil {
		return err
	}
	// Every input takes its lane and its share of the threads even when a
	// resumed run finished it before: the threads a network trains with
	// change its last bits, so they must not depend on what is left.
	if err := p.ensureDScale(prep, trainPool); err != nil {
		return err
	}
	inputs := p.cfg.RegNet.Inputs
	return p.sideBySide(ctx, len(inputs), func(ctx context.Context, q *pipeline, i int) error {
		input := inputs[i]
		if _, err := os.Stat(st.File("models", string(input), "done.json")); err == nil {
			return nil
		}
		hist, err := q.trainRegNet(ctx, st, prep, input, trainPool, valPool)
		if err != nil {
			return err
		}
		fmt.Fprintf(q.env.Log, "regnet %s: best validation MAE %.4f at epoch %d of %d (%s)\n", input, hist.Best, hist.BestEpoch, hist.Epoch, hist.Stopped)
		if err := q.saveCurves(st.File("results", "figures", "regnet_"+string(input)+"_loss.png"), "REG-Net ("+input.Channels()+")", "MAE", hist); err != nil {
			return err
		}
		return run.WriteJSON(st.File("models", string(input), "done.json"), hist)
	})
}

func (p *pipeline) trainRegNet(ctx context.Context, st *run.Stage, prep *Prepared, input results.Input, trainPool, valPool *Pool) (train.State, error) {
	r := p.cfg.RegNet
	s := op.NewScope()
	m, err := p.regModel(s, input, prep.Px)
	if err != nil {
		return train.State{}, err
	}
	var hist train.State
	err = p.withSession(s, func(sess *tf.Session) error {
		spec := train.Spec{
			Name: "regnet-" + string(input), Model: m,
			Train: poolData(m, prep, trainPool, r.Augment, nil), Val: poolData(m, prep, valPool, false, nil),
			Epochs: r.Epochs, Patience: r.Patience, Batch: r.Batch, LR: r.LR, Schedule: string(r.LRSchedule), Seed: p.seed(results.StageRegNet), Dir: st.File("models", string(input)),
			Metric: m.MAE, Progress: p.progress(),
		}
		scale, err := p.dScale()
		if err != nil {
			return err
		}
		noise := p.trainingNoise(m, input) // nil at regnet.noise_sigma 0
		if adv := p.adversary(m, input, scale); adv != nil {
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
				return tfrun.Restore(sess, m.RecSaver, train.BestDir(p.stages["recnet"].File("train")))
			}
		}
		hist, err = p.trainNet(ctx, sess, st, spec, nil)
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
		feeds := map[tf.Output]*tf.Tensor{
			m.Inputs[0]: images(xs, len(batch), px),
			m.Inputs[1]: images(ss, len(batch), px),
			m.Target:    tfrun.MustFloat32(dice, int64(len(batch))),
		}
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
