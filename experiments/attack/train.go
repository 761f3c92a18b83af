package attack

import (
	"context"
	"fmt"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/tfrun"
)

// Trainer makes the adversarial examples of adversarial training. Its
// Perturb, a train.Spec.Perturb, attacks each batch with the network as it
// is at that step, in the training session: one epsilon drawn from Eps,
// then PGD of Steps steps of PGD's default size (2.5 eps / Steps) from a
// random point of the ball (Madry et al. 2018), or with Steps 1 and no
// random start one step that the ball clips to eps (FGSM). The attack
// increases Loss, the error of the predicted Dice, and keeps the attacked
// tensor in [Lo, Hi].
type Trainer struct {
	X, Grad tf.Output // the attacked tensor (fed or computed) and dLoss/dX
	Loss    tf.Output
	Lo, Hi  float32

	Eps         []float64
	Steps       int
	RandomStart bool
	// Mix is the share of each batch's samples left clean, the rest
	// replaced by their adversarial examples.
	Mix float64
	// Pairs feeds the clean batch followed by its adversarial examples (2N
	// samples, every feed doubled, Mix unused), as TRADES's objective
	// (graphs.RegNetSpec.TradesBeta) needs.
	Pairs bool
	Seed  uint64 // with the step, seeds each batch's draws
}

// Perturb replaces the batch in feeds by its adversarial version. Its
// attack is a few passes of one batch and runs to the end: the training
// loop checks for cancellation between steps.
func (tr *Trainer) Perturb(sess *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error {
	rng := rand.New(rand.NewPCG(tr.Seed, uint64(step)))
	eps := tr.Eps[rng.IntN(len(tr.Eps))]
	clean, shape, err := tr.value(sess, feeds)
	if err != nil {
		return err
	}
	t := Target{Sess: sess, X: tr.X, Grad: tr.Grad, Loss: tr.Loss, Shape: shape, Clip: true, Lo: tr.Lo, Hi: tr.Hi}
	adv, err := PGD{Steps: tr.Steps, Restarts: 1, RandomStart: tr.RandomStart}.Perturb(context.Background(), t, feeds, clean, eps, rng)
	if err != nil {
		return fmt.Errorf("adversarial training: %w", err)
	}
	if tr.Pairs {
		return pairs(feeds, tr.X, clean, adv, shape)
	}
	n := int(shape[0])
	per := len(clean) / n
	for _, s := range rng.Perm(n)[:int(tr.Mix*float64(n)+0.5)] {
		copy(adv[s*per:(s+1)*per], clean[s*per:(s+1)*per])
	}
	feeds[tr.X] = tfrun.MustFloat32(adv, shape...)
	return nil
}

// value is the clean value of X and its shape: its feed, or what the
// network computes from the feeds (the difference image).
func (tr *Trainer) value(sess *tf.Session, feeds map[tf.Output]*tf.Tensor) ([]float32, []int64, error) {
	v, ok := feeds[tr.X]
	if !ok {
		out, err := sess.Run(feeds, []tf.Output{tr.X}, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("adversarial training: the attacked tensor: %w", err)
		}
		v = out[0]
	}
	return append([]float32(nil), tfrun.Floats(v)...), v.Shape(), nil
}

// pairs doubles every feed along the batch and feeds X the clean values
// followed by the adversarial ones.
func pairs(feeds map[tf.Output]*tf.Tensor, x tf.Output, clean, adv []float32, shape []int64) error {
	for k, v := range feeds {
		if v.DataType() != tf.Float {
			return fmt.Errorf("adversarial training: feed %s is %v, not float32", k.Op.Name(), v.DataType())
		}
		vals := tfrun.Floats(v)
		sh := append([]int64(nil), v.Shape()...)
		sh[0] *= 2
		feeds[k] = tfrun.MustFloat32(append(append([]float32(nil), vals...), vals...), sh...)
	}
	sh := append([]int64(nil), shape...)
	sh[0] *= 2
	feeds[x] = tfrun.MustFloat32(append(append([]float32(nil), clean...), adv...), sh...)
	return nil
}
