package experiments

import (
	"context"
	"fmt"
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

// The agreement baseline needs no quality regressor: it predicts the Dice
// of a segmentation s of image x as the Dice of s against the majority vote
// of eval.agreement_members reference U-Nets run on x. The members have the
// zoo's largest architecture and training settings, train on the training
// split from random streams of their own until their validation loss stops
// improving, and are not zoo members, so no candidate segmentation is ever
// compared with itself.

// agreementSpec is the members' architecture: the zoo's largest U-Net.
func agreementSpec(z config.Zoo) graphs.UNetSpec {
	return graphs.UNetSpec{Depth: slices.Max(z.Depths), Filters: int64(slices.Max(z.Filters)), Out: 1, Init: graphs.InitScheme(z.Init), Precision: precision(z.Precision)}
}

// runAgreement trains the reference U-Nets, side by side like the zoo's.
func runAgreement(ctx context.Context, w *worker, set agreementSettings, up *upstream) error {
	if set.Members == 0 {
		return nil
	}
	prep, err := up.prepared()
	if err != nil {
		return err
	}
	return w.sideBySide(ctx, set.Members, func(ctx context.Context, v *worker, k int) error {
		return trainMember(ctx, v, set, prep, k)
	})
}

func trainMember(ctx context.Context, w *worker, set agreementSettings, prep *Prepared, k int) error {
	z := set.Zoo
	name := graphs.MemberScope(k)
	s := op.NewScope()
	seed := streamSeed(set.Seed, results.StageAgreement, name)
	m := graphs.Segmenter(s.SubScope(name), agreementSpec(z), int64(prep.Px), graphs.Loss(z.Loss), graphSeed(seed), graphs.Adam{})
	return w.withSession(s, func(sess *tf.Session) error {
		hist, err := w.trainNet(ctx, sess, train.Spec{
			Name: name, Model: m, Train: segmentationData(m, prep, prep.Index[results.Train], z.Augment),
			Val: segmentationData(m, prep, prep.Index[results.Val], false), Epochs: set.Epochs, Patience: set.Patience,
			Batch: z.Batch, LR: z.LR, Seed: seed, Dir: w.file("train", name),
		}, nil)
		if err != nil {
			return err
		}
		w.logf("agreement %s: best validation loss %.4f at epoch %d of %d (%s)\n", name, hist.Best, hist.BestEpoch, hist.Epoch, hist.Stopped)
		return nil
	})
}

// agreementMembers are the agreement stage's reference U-Nets; members 0
// when the baseline is off.
type agreementMembers struct {
	spec    graphs.UNetSpec
	members int
	thr     float32 // zoo.threshold
	st      *run.Stage
	session tfrun.Options
}

// agreementNet is the members restored in one graph, with a session.
type agreementNet struct {
	m    *graphs.AgreementModel
	sess *tf.Session
	thr  float32
}

// openAgreement builds the agreement graph and restores each member's best
// checkpoint; the caller closes the session.
func (a agreementMembers) open(px int) (*agreementNet, error) {
	s := op.NewScope()
	m := graphs.Agreement(s, a.spec, int64(px), a.members)
	sess, err := tfrun.Open(s, a.session)
	if err != nil {
		return nil, fmt.Errorf("agreement: %w", err)
	}
	for k, sv := range m.Savers {
		dir := train.BestDir(a.st.File("train", graphs.MemberScope(k)))
		if err := tfrun.Restore(sess, sv, dir); err != nil {
			sess.Close()
			return nil, fmt.Errorf("agreement: restore member %d: %w", k, err)
		}
	}
	return &agreementNet{m: m, sess: sess, thr: a.thr}, nil
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
