package experiments

import (
	"fmt"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// Does a REG-Net use its image? Table 1 runs each network on the test pool
// twice more with its image input replaced and its segmentation kept: by
// zeros, and by the image input of another test sample, sample i getting
// that of sample perm[i] for a derangement perm drawn once per run. The
// image input is x for (x, s), d for (d, s) and both for (x, d, s); the
// network on s alone has none. A network whose predictions barely move
// under either is flagged (results.NewSensitivity, eval.sensitivity_min).

// derangementStream is the part of Table 1's random stream the derangement
// is drawn from.
const derangementStream = "derangement"

// testDerangement is the derangement of the n test samples of the run
// with seed seed: the same for the same seed and pool size.
func testDerangement(seed uint64, n int) []int {
	return derangement(n, rand.New(rand.NewPCG(streamSeed(seed, results.StageTable1, derangementStream), 0)))
}

// derangement is a permutation of [0, n) without a fixed point, drawn
// from rng by Sattolo's algorithm (a uniformly random n-cycle); nil for
// n < 2, which has none.
func derangement(n int, rng *rand.Rand) []int {
	if n < 2 {
		return nil
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := rng.IntN(i) // j < i: no element stays where it is
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// imageChannels says which of a REG-Net's inputs are its image input: x
// (fed to its first input) and d (fed to Diff, which overrides the d REC-Net
// computes).
func imageChannels(in results.Input) (x, d bool) {
	return in == results.InputXS || in == results.InputXDS, in == results.InputDS || in == results.InputXDS
}

// sensitivity measures how the REG-Net that made pr moves on test when its
// image input is replaced by zeros and by that of sample perm[i] (nil perm:
// not measured); nil for a network without an image input. threshold is
// eval.sensitivity_min.
func (ev *evaluation) sensitivity(test *Pool, pr prediction, perm []int, threshold float64) (*results.Sensitivity, error) {
	if pr.input.ImageInputs() == "" {
		return nil, nil
	}
	m, sess, closeFn, err := ev.nets.open(pr.input, ev.prep.Px)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	zeroed, err := ev.predictReplaced(sess, m, test, pr, func(int) int { return -1 })
	if err != nil {
		return nil, err
	}
	var shuffled []float64
	if perm != nil {
		if shuffled, err = ev.predictReplaced(sess, m, test, pr, func(i int) int { return perm[i] }); err != nil {
			return nil, err
		}
	}
	s := results.NewSensitivity(pr.input.ImageInputs(), test.Dice, pr.dice, zeroed, shuffled, threshold)
	return &s, nil
}

// predictReplaced runs m, open in sess, on test with sample i's image input
// replaced by sample from(i)'s, or by zeros where from(i) is negative;
// pr holds the network's difference images d, when it has them.
func (ev *evaluation) predictReplaced(sess *tf.Session, m *graphs.Model, test *Pool, pr prediction, from func(i int) int) ([]float64, error) {
	prep := ev.prep
	n := prep.Px * prep.Px
	onX, onD := imageChannels(pr.input)
	if onD && len(pr.diff) != test.Len() {
		return nil, fmt.Errorf("REG-Net %s: %d difference images for %d test samples", pr.input, len(pr.diff), test.Len())
	}
	data := poolData(m, prep, test, false, nil)
	out := make([]float64, 0, test.Len())
	const batch = 64
	for lo := 0; lo < test.Len(); lo += batch {
		var idx []int
		for i := lo; i < min(lo+batch, test.Len()); i++ {
			idx = append(idx, i)
		}
		feeds, err := data.Feeds(idx, nil)
		if err != nil {
			return nil, err
		}
		xs, ds := make([]float32, len(idx)*n), make([]float32, len(idx)*n)
		for j, i := range idx {
			if k := from(i); k >= 0 {
				copy(xs[j*n:], prep.Slices[test.Slices[k]].Image)
				if onD {
					copy(ds[j*n:], pr.diff[k])
				}
			}
		}
		if onX {
			feeds[m.Inputs[0]] = images(xs, len(idx), prep.Px)
		}
		if onD {
			feeds[m.Diff] = images(ds, len(idx), prep.Px)
		}
		res, err := sess.Run(feeds, []tf.Output{m.Output}, nil)
		if err != nil {
			return nil, fmt.Errorf("REG-Net %s: predict with its image input replaced: %w", pr.input, err)
		}
		for _, v := range tfrun.Floats(res[0]) {
			out = append(out, float64(v))
		}
	}
	return out, nil
}
