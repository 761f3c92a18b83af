package attack

import (
	"context"
	"fmt"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/tfrun"
)

// Target is what an attack perturbs and how it scores.
type Target struct {
	Sess *tf.Session
	X    tf.Output // the attacked tensor, fed with the adversarial value
	Grad tf.Output // gradient of Loss with respect to X
	Loss tf.Output // scalar loss the attack increases
	// PerSample is the [N] loss of each sample; with it, restarts keep the
	// strongest start of every sample, not of the batch as a whole.
	PerSample tf.Output
	Shape     []int64 // shape of X for this batch
	// Clip keeps attacked values in [Lo, Hi].
	Clip   bool
	Lo, Hi float32
	// Dice is the placeholder of the true Dice that Loss compares the
	// predictions with, TrueDice the batch's values: what the threshold
	// attack needs to aim elsewhere (unset for the others).
	Dice     tf.Output
	TrueDice []float64

	// ctx is the context of the attack under way (set by every Perturb
	// for its own copy of the target, nil outside one): each query checks
	// it, so that a cancelled run stops within one forward or backward
	// pass instead of at the end of the attack.
	ctx context.Context
}

// within returns t for an attack run under ctx.
func (t Target) within(ctx context.Context) Target {
	t.ctx = ctx
	return t
}

// run is one query of the target's session: feeds with X fed x, fetch
// fetched; it returns the attack's context's error once that is done.
func (t Target) run(feeds map[tf.Output]*tf.Tensor, x []float32, fetch ...tf.Output) ([]*tf.Tensor, error) {
	if t.ctx != nil {
		if err := t.ctx.Err(); err != nil {
			return nil, err
		}
	}
	return t.Sess.Run(tfrun.With(feeds, t.X, tfrun.MustFloat32(x, t.Shape...)), fetch, nil)
}

// gradient returns dLoss/dX at x, with the other feeds held.
func (t Target) gradient(feeds map[tf.Output]*tf.Tensor, x []float32) ([]float32, float64, error) {
	out, err := t.run(feeds, x, t.Grad, t.Loss)
	if err != nil {
		return nil, 0, fmt.Errorf("attack gradient: %w", err)
	}
	return tfrun.Floats(out[0]), float64(tfrun.Scalar(out[1])), nil
}

// LossAt evaluates the loss with X fed x.
func (t Target) LossAt(feeds map[tf.Output]*tf.Tensor, x []float32) (float64, error) {
	out, err := t.run(feeds, x, t.Loss)
	if err != nil {
		return 0, err
	}
	return float64(tfrun.Scalar(out[0])), nil
}

// Sign is the FGSM direction sign(dLoss/dX) at x.
func (t Target) Sign(feeds map[tf.Output]*tf.Tensor, x []float32) ([]float32, error) {
	g, _, err := t.gradient(feeds, x)
	if err != nil {
		return nil, err
	}
	return sign(g), nil
}

func sign(g []float32) []float32 {
	out := make([]float32, len(g))
	for i, v := range g {
		out[i] = signOf(v)
	}
	return out
}

// Step returns x + eps * dir, clipped to [Lo, Hi] when t.Clip. With eps 0 it
// returns a copy of x, bit for bit.
func (t Target) Step(x, dir []float32, eps float64) []float32 {
	out := make([]float32, len(x))
	e := float32(eps)
	for i := range x {
		v := x[i] + e*dir[i]
		if t.Clip {
			v = min(max(v, t.Lo), t.Hi)
		}
		out[i] = v
	}
	return out
}

// project keeps adv within eps of x (L-infinity) and within the clip range.
func (t Target) project(adv, x []float32, eps float64) {
	e := float32(eps)
	for i := range adv {
		v := min(max(adv[i], x[i]-e), x[i]+e)
		if t.Clip {
			v = min(max(v, t.Lo), t.Hi)
		}
		adv[i] = v
	}
}

// pgd is the iterated gradient-sign attack (see PGD): steps of size alpha,
// each projected back onto the eps-ball around x (and the clip range), from
// x or a uniform random start in the ball; of restarts tries the one with
// the highest loss is kept, per sample when t.PerSample is set.
func (t Target) pgd(feeds map[tf.Output]*tf.Tensor, x []float32, eps, alpha float64, steps, restarts int, randomStart bool, rng *rand.Rand) ([]float32, error) {
	var best []float32
	var bestLoss []float64
	for range max(restarts, 1) {
		adv := append([]float32(nil), x...)
		if randomStart {
			t.randomStart(adv, x, eps, rng)
		}
		for range steps {
			g, _, err := t.gradient(feeds, adv)
			if err != nil {
				return nil, err
			}
			a := float32(alpha)
			for i, s := range sign(g) {
				adv[i] += a * s
			}
			t.project(adv, x, eps)
		}
		if restarts <= 1 {
			return adv, nil // nothing to choose from
		}
		loss, err := t.losses(feeds, adv)
		if err != nil {
			return nil, err
		}
		best, bestLoss = keepBest(best, bestLoss, adv, loss)
	}
	return best, nil
}

// randomStart moves adv, a copy of x, to a uniform random point of the
// eps-ball around x (within the clip range).
func (t Target) randomStart(adv, x []float32, eps float64, rng *rand.Rand) {
	for i := range adv {
		adv[i] += float32((rng.Float64()*2 - 1) * eps)
	}
	t.project(adv, x, eps)
}

// losses is the loss of each sample at x, or the batch loss as one value
// when the target has no per-sample loss.
func (t Target) losses(feeds map[tf.Output]*tf.Tensor, x []float32) ([]float64, error) {
	if t.PerSample.Op == nil {
		l, err := t.LossAt(feeds, x)
		return []float64{l}, err
	}
	out, err := t.run(feeds, x, t.PerSample)
	if err != nil {
		return nil, err
	}
	return tfrun.Float64s(tfrun.Floats(out[0])), nil
}
