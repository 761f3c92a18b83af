package experiments

import (
	"context"
	"fmt"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// The agreement baseline needs no quality regressor: it predicts the Dice
// of a segmentation s of image x as the Dice of s against the majority vote
// of eval.agreement_members reference U-Nets run on x. The members have the
// zoo's largest architecture and training settings, train on the training
// split from random streams of their own until their validation loss stops
// improving, and are not zoo members, so no candidate segmentation is ever
// compared with itself.

// agreementSpec is the members' architecture: the zoo's largest U-Net.
func (p *pipeline) agreementSpec() graphs.UNetSpec {
	z := p.cfg.Zoo
	return graphs.UNetSpec{Depth: slices.Max(z.Depths), Filters: int64(slices.Max(z.Filters)), Out: 1, Init: graphs.InitScheme(z.Init), Precision: p.precision(z.Precision)}
}

// agreementReads is what the tables read of the agreement stage: nothing
// when the baseline is off.
func agreementReads(c config.Config) []string {
	if c.Eval.AgreementMembers == 0 {
		return nil
	}
	return []string{results.StageAgreement}
}

// agreement trains the reference U-Nets, side by side like the zoo's.
func (p *pipeline) agreement(ctx context.Context, st *run.Stage) error {
	e := p.cfg.Eval
	if e.AgreementMembers == 0 {
		return nil
	}
	prep, err := p.loadPrepared()
	if err != nil {
		return err
	}
	return p.sideBySide(ctx, e.AgreementMembers, func(ctx context.Context, q *pipeline, k int) error {
		return q.trainMember(ctx, st, prep, k)
	})
}

func (p *pipeline) trainMember(ctx context.Context, st *run.Stage, prep *Prepared, k int) error {
	z, e := p.cfg.Zoo, p.cfg.Eval
	name := graphs.MemberScope(k)
	s := op.NewScope()
	seed := p.seed(results.StageAgreement, name)
	m := graphs.Segmenter(s.SubScope(name), p.agreementSpec(), int64(prep.Px), graphs.Loss(z.Loss), graphSeed(seed), graphs.Adam{})
	return p.withSession(s, func(sess *tf.Session) error {
		hist, err := p.trainNet(ctx, sess, st, train.Spec{
			Name: name, Model: m, Train: segmentationData(m, prep, prep.Index[results.Train], z.Augment),
			Val: segmentationData(m, prep, prep.Index[results.Val], false), Epochs: e.AgreementEpochs, Patience: e.AgreementPatience,
			Batch: z.Batch, LR: z.LR, Seed: seed, Dir: st.File("train", name), Progress: p.progress(),
		}, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.env.Log, "agreement %s: best validation loss %.4f at epoch %d of %d (%s)\n", name, hist.Best, hist.BestEpoch, hist.Epoch, hist.Stopped)
		return nil
	})
}

// agreementNet is the members restored in one graph, with a session.
type agreementNet struct {
	m    *graphs.AgreementModel
	sess *tf.Session
	thr  float32
}

// openAgreement builds the agreement graph and restores each member's best
// checkpoint; the caller closes the session.
func (p *pipeline) openAgreement(px int) (*agreementNet, error) {
	s := op.NewScope()
	m := graphs.Agreement(s, p.agreementSpec(), int64(px), p.cfg.Eval.AgreementMembers)
	sess, err := tfrun.Open(s, p.env.Session)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	for k, sv := range m.Savers {
		dir := train.BestDir(p.stages[results.StageAgreement].File("train", graphs.MemberScope(k)))
		if err := tfrun.Restore(sess, sv, dir); err != nil {
			sess.Close()
			return nil, fmt.Errorf("agreement: restore member %d: %w", k, err)
		}
	}
	return &agreementNet{m: m, sess: sess, thr: float32(p.cfg.Zoo.Threshold)}, nil
}

// feeds holds a batch: images x, segmentations s and true Dice.
func (a *agreementNet) feeds(x, s []float32, dice []float64, px int) map[tf.Output]*tf.Tensor {
	n := len(dice)
	d := make([]float32, n)
	for i, v := range dice {
		d[i] = float32(v)
	}
	return map[tf.Output]*tf.Tensor{a.m.Image: images(x, n, px), a.m.Seg: images(s, n, px), a.m.Target: tfrun.MustFloat32(d, int64(n))}
}

// predict is the Dice of each segmentation segs[i] against the members'
// majority vote on images x (n images of px × px).
func (a *agreementNet) predict(x []float32, segs [][]uint8, px int) ([]float64, error) {
	n := len(segs)
	res, err := a.sess.Run(map[tf.Output]*tf.Tensor{a.m.Image: images(x, n, px)}, a.m.Probs, nil)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	votes := make([]int, n*px*px)
	for _, r := range res {
		for j, v := range tfrun.Floats(r) {
			if v >= a.thr {
				votes[j]++
			}
		}
	}
	out := make([]float64, n)
	for i := range n {
		consensus := make([]uint8, px*px)
		for k := range consensus {
			if 2*votes[i*px*px+k] > len(res) {
				consensus[k] = 1
			}
		}
		out[i] = Dice(segs[i], consensus)
	}
	return out, nil
}

// agreementBatch is samples lo..hi of pool: images, segmentations as
// floats and as masks, and true Dice.
func agreementBatch(prep *Prepared, pool *Pool, lo, hi int) (x, s []float32, segs [][]uint8, dice []float64) {
	n := prep.Px * prep.Px
	for i := lo; i < hi; i++ {
		seg := unpackBits(pool.Masks[i], n)
		x = append(x, prep.Slices[pool.Slices[i]].Image...)
		s = append(s, toFloat(seg)...)
		segs = append(segs, seg)
	}
	return x, s, segs, pool.Dice[lo:hi]
}

// predictPool runs the agreement baseline on every sample of pool.
func (a *agreementNet) predictPool(prep *Prepared, pool *Pool) ([]float64, error) {
	const batch = 64
	var out []float64
	for lo := 0; lo < pool.Len(); lo += batch {
		x, _, segs, _ := agreementBatch(prep, pool, lo, min(lo+batch, pool.Len()))
		pr, err := a.predict(x, segs, prep.Px)
		if err != nil {
			return nil, err
		}
		out = append(out, pr...)
	}
	return out, nil
}
