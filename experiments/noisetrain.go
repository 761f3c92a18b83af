package experiments

import (
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// perturbFunc changes a training batch's feeds before its step (see
// train.Spec.Perturb).
type perturbFunc = func(sess *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error

// trainingNoise is the Gaussian noise regnet.noise_sigma adds to x before
// each training step of m, the REG-Net of input, or nil when it is 0 (the
// training is then exactly the one before noise_sigma existed). The noise
// is not clipped, as smoothing's is not. For the (d, s) network d is then
// computed in the graph from the noisy x, through REC-Net; the network on
// s alone has no x and trains without. Each step's noise comes from its
// own stream, so a resumed training draws the same.
func trainingNoise(set regnetSettings, m *graphs.Model, input results.Input) perturbFunc {
	sigma := set.RegNet.NoiseSigma
	if sigma == 0 || input == results.InputS {
		return nil
	}
	seed := streamSeed(set.Seed, results.StageRegNet, "noise", string(input))
	return func(_ *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error {
		x := feeds[m.Inputs[0]]
		clean := tfrun.Floats(x)
		rng := rand.New(rand.NewPCG(seed, uint64(step)))
		noisy := make([]float32, len(clean))
		for i, v := range clean {
			noisy[i] = v + float32(sigma*rng.NormFloat64())
		}
		feeds[m.Inputs[0]] = tfrun.MustFloat32(noisy, x.Shape()...)
		return nil
	}
}

// thenPerturb runs first, then second; either may be nil.
func thenPerturb(first, second perturbFunc) perturbFunc {
	if first == nil {
		return second
	}
	if second == nil {
		return first
	}
	return func(sess *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error {
		if err := first(sess, feeds, step); err != nil {
			return err
		}
		return second(sess, feeds, step)
	}
}
