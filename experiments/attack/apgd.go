package attack

import (
	"fmt"
	"math/rand/v2"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/tfrun"
)

// APGD's constants, as Croce and Hein (2020) set them: the weight of the
// new step against the last one (momentum 0.75), and the share of
// improving steps below which a checkpoint halves the step size.
const (
	apgdAlpha = 0.75
	apgdRho   = 0.75
)

// apgd is Auto-PGD with the L∞ sign step (Croce and Hein 2020): each run
// starts with step 2 eps, moves with momentum, and at checkpoints (after
// 22 % of the steps, then at intervals shrinking by 3 % down to 6 %) halves
// a sample's step and returns it to its best point when fewer than 75 % of
// its steps since the last checkpoint raised its loss, or when its step was
// not halved there and its best loss has not moved. The first of restarts
// runs starts at x, the others at uniform random points of the eps-ball;
// each sample keeps the highest-loss point of any run. Every step is one
// gradient evaluation.
func (t Target) apgd(feeds map[tf.Output]*tf.Tensor, x []float32, eps float64, steps, restarts int, rng *rand.Rand) ([]float32, error) {
	var best []float32
	var bestLoss []float64
	for r := range max(restarts, 1) {
		start := append([]float32(nil), x...)
		if r > 0 {
			t.randomStart(start, x, eps, rng)
		}
		adv, loss, err := t.apgdRun(feeds, x, start, eps, steps)
		if err != nil {
			return nil, err
		}
		best, bestLoss = keepBest(best, bestLoss, adv, loss)
	}
	return best, nil
}

// keepBest moves into best the groups of adv (one per loss value) whose
// loss beats bestLoss; with best nil it takes adv whole.
func keepBest(best []float32, bestLoss []float64, adv []float32, loss []float64) ([]float32, []float64) {
	if best == nil {
		return adv, loss
	}
	per := len(adv) / len(loss)
	for s, l := range loss {
		if l > bestLoss[s] {
			bestLoss[s] = l
			copy(best[s*per:(s+1)*per], adv[s*per:(s+1)*per])
		}
	}
	return best, bestLoss
}

// apgdState is one APGD run's per-sample bookkeeping.
type apgdState struct {
	eta            []float64 // step size
	loss, bestLoss []float64 // at the current point, and the best so far
	best, bestGrad []float32 // the best point and its gradient
	improved       []int     // steps that raised the loss since the last checkpoint
	lastBest       []float64 // bestLoss at the last checkpoint
	halved         []bool    // whether the last checkpoint halved eta
}

func (t Target) apgdRun(feeds map[tf.Output]*tf.Tensor, x, start []float32, eps float64, steps int) ([]float32, []float64, error) {
	cur := start
	g, loss, err := t.gradLosses(feeds, cur)
	if err != nil {
		return nil, nil, err
	}
	n, per := len(loss), len(x)/len(loss)
	st := apgdState{
		eta: make([]float64, n), loss: loss, bestLoss: append([]float64(nil), loss...),
		best: append([]float32(nil), cur...), bestGrad: append([]float32(nil), g...),
		improved: make([]int, n), lastBest: append([]float64(nil), loss...), halved: make([]bool, n),
	}
	for s := range st.eta {
		st.eta[s] = 2 * eps
	}
	prev := append([]float32(nil), cur...)
	interval, minInterval, shrink := max(steps*22/100, 1), max(steps*6/100, 1), max(steps*3/100, 1)
	sinceCheck := 0
	for k := range steps {
		next := make([]float32, len(cur))
		for i := range cur {
			eta := float32(st.eta[i/per])
			next[i] = cur[i] + eta*signOf(g[i])
		}
		t.project(next, x, eps)
		if k > 0 { // momentum: z = next, then cur + α (z − cur) + (1 − α) (cur − prev)
			for i := range next {
				next[i] = cur[i] + apgdAlpha*(next[i]-cur[i]) + (1-apgdAlpha)*(cur[i]-prev[i])
			}
			t.project(next, x, eps)
		}
		prev, cur = cur, next
		if g, loss, err = t.gradLosses(feeds, cur); err != nil {
			return nil, nil, err
		}
		for s, l := range loss {
			if l > st.loss[s] {
				st.improved[s]++
			}
			if l > st.bestLoss[s] {
				st.bestLoss[s] = l
				copy(st.best[s*per:(s+1)*per], cur[s*per:(s+1)*per])
				copy(st.bestGrad[s*per:(s+1)*per], g[s*per:(s+1)*per])
			}
		}
		st.loss = loss
		if sinceCheck++; sinceCheck == interval && k < steps-1 {
			st.checkpoint(cur, prev, g, per, interval)
			sinceCheck, interval = 0, max(interval-shrink, minInterval)
		}
	}
	return st.best, st.bestLoss, nil
}

// checkpoint halves the step of the samples that stalled over the last
// interval steps and moves them back to their best point (and its
// gradient, with no momentum).
func (st *apgdState) checkpoint(cur, prev, g []float32, per, interval int) {
	for s := range st.eta {
		stalled := float64(st.improved[s]) < apgdRho*float64(interval)
		flat := !st.halved[s] && st.lastBest[s] >= st.bestLoss[s]
		st.halved[s] = stalled || flat
		if stalled || flat {
			st.eta[s] /= 2
			lo, hi := s*per, (s+1)*per
			copy(cur[lo:hi], st.best[lo:hi])
			copy(prev[lo:hi], st.best[lo:hi])
			copy(g[lo:hi], st.bestGrad[lo:hi])
			st.loss[s] = st.bestLoss[s]
		}
		st.improved[s], st.lastBest[s] = 0, st.bestLoss[s]
	}
}

func signOf(v float32) float32 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// gradLosses returns dLoss/dX at x and the loss of each sample (of the
// batch as one value when t has no per-sample loss), in one run.
func (t Target) gradLosses(feeds map[tf.Output]*tf.Tensor, x []float32) ([]float32, []float64, error) {
	fetch := t.PerSample
	if fetch.Op == nil {
		fetch = t.Loss
	}
	out, err := t.run(feeds, x, t.Grad, fetch)
	if err != nil {
		return nil, nil, fmt.Errorf("attack gradient: %w", err)
	}
	return tfrun.Floats(out[0]), tfrun.Float64s(tfrun.Floats(out[1])), nil
}
