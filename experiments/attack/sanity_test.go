package attack_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// The sanity checks of an adversarial evaluation (Carlini et al. 2019): an
// attack of size 0 changes nothing, attacked inputs stay in their range,
// evaluation is deterministic with dropout configured, PGD of one step is
// FGSM, and an input the loss ignores gets no gradient.

// pipeline is an untrained proposed pipeline (d, s) with dropout, fed n
// samples; its REC-Net starts from its random weights, which is all the
// checks need.
type pipeline struct {
	m     *graphs.Model
	sess  *tf.Session
	feeds map[tf.Output]*tf.Tensor
	x     []float32
	shape []int64
}

func newPipeline(t *testing.T, n int, loss graphs.Loss) pipeline {
	t.Helper()
	s := op.NewScope()
	rec := graphs.UNetSpec{Depth: 1, Filters: 4, Out: 1}
	m := graphs.DiffRegressor(s, rec, graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{16, 8}, Dropout: 0.5}, px, graphs.DiffOptions{}, loss, 3, graphs.Adam{})
	sess := session(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	xs, ss, dice := samples(n, 11)
	return pipeline{m: m, sess: sess, feeds: feeds(m, xs, ss, dice), x: xs, shape: []int64{int64(n), px, px, 1}}
}

// targets are the three attacked tensors of Table 2: x for the direct and
// adaptive attacks (through REC-Net), d for the attack on the difference.
func (p pipeline) targets() (onX, onD attack.Target) {
	onX = attack.Target{Sess: p.sess, X: p.m.Inputs[0], Grad: p.m.InputGrads[0], Loss: p.m.Loss, PerSample: p.m.PerSample, Shape: p.shape, Clip: true, Lo: -1, Hi: 1}
	onD = attack.Target{Sess: p.sess, X: p.m.Diff, Grad: p.m.DiffGrad, Loss: p.m.Loss, PerSample: p.m.PerSample, Shape: p.shape, Clip: true, Lo: 0, Hi: 2}
	return onX, onD
}

// attacked are the two tensors Table 2 attacks directly, by name, with
// their clean values: x (whose gradient goes through REC-Net) and d.
func (p pipeline) attacked(t *testing.T) map[string]struct {
	tg   attack.Target
	from []float32
} {
	onX, onD := p.targets()
	return map[string]struct {
		tg   attack.Target
		from []float32
	}{"x": {onX, p.x}, "d": {onD, p.diff(t)}}
}

func (p pipeline) predict(t *testing.T, tg attack.Target, v []float32) []float32 {
	t.Helper()
	f := map[tf.Output]*tf.Tensor{}
	for k, val := range p.feeds {
		f[k] = val
	}
	f[tg.X] = tfrun.MustFloat32(v, p.shape...)
	out, err := p.sess.Run(f, []tf.Output{p.m.Output}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tfrun.Floats(out[0])
}

func (p pipeline) diff(t *testing.T) []float32 {
	t.Helper()
	out, err := p.sess.Run(p.feeds, []tf.Output{p.m.Diff}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tfrun.Floats(out[0])
}

// sign is the FGSM direction of tg at v, the other feeds held.
func sign(t *testing.T, tg attack.Target, feeds map[tf.Output]*tf.Tensor, v []float32) []float32 {
	t.Helper()
	dir, err := tg.Sign(feeds, v)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func sameBits(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

func TestZeroEpsilonReproducesCleanPredictions(t *testing.T) {
	p := newPipeline(t, 8, graphs.L2)
	onX, _ := p.targets()
	clean := p.predict(t, onX, p.x)
	rng := rand.New(rand.NewPCG(1, 1))
	for name, c := range p.attacked(t) {
		dir := sign(t, c.tg, p.feeds, c.from)
		pgd, err := attack.PGD{Steps: 5, Restarts: 2, RandomStart: true}.Perturb(context.Background(), c.tg, p.feeds, c.from, 0, rng)
		if err != nil {
			t.Fatal(err)
		}
		for kind, adv := range map[string][]float32{"FGSM": c.tg.Step(c.from, dir, 0), "PGD": pgd} {
			if i := sameBits(adv, c.from); i >= 0 {
				t.Errorf("%s on %s at eps 0 moved element %d", kind, name, i)
			}
			if i := sameBits(p.predict(t, c.tg, adv), clean); i >= 0 {
				t.Errorf("%s on %s at eps 0: prediction %d differs from the clean one", kind, name, i)
			}
		}
	}
}

func TestAttacksStayInTheirRange(t *testing.T) {
	p := newPipeline(t, 8, graphs.L2)
	onX, onD := p.targets()
	d := p.diff(t)
	rng := rand.New(rand.NewPCG(2, 2))
	for _, eps := range []float64{0.05, 0.3, 1.5} {
		for name, c := range map[string]struct {
			tg     attack.Target
			from   []float32
			lo, hi float32
		}{"x": {onX, p.x, -1, 1}, "d": {onD, d, 0, 2}} {
			dir, err := c.tg.Sign(p.feeds, c.from)
			if err != nil {
				t.Fatal(err)
			}
			pgd, err := attack.PGD{Steps: 3, StepSize: 0.25, Restarts: 1, RandomStart: true}.Perturb(context.Background(), c.tg, p.feeds, c.from, eps, rng)
			if err != nil {
				t.Fatal(err)
			}
			for kind, adv := range map[string][]float32{"FGSM": c.tg.Step(c.from, dir, eps), "PGD": pgd} {
				for i, v := range adv {
					if v < c.lo || v > c.hi || math.Abs(float64(v-c.from[i])) > eps+1e-6 {
						t.Fatalf("%s on %s, eps %g: element %d is %v (clean %v), outside [%g, %g] or the eps-ball", kind, name, eps, i, v, c.from[i], c.lo, c.hi)
					}
				}
			}
		}
	}
}

// TestAttackedEvaluationIsDeterministic: dropout is configured (rate 0.5)
// but off outside training, so the gradient and the prediction of one
// attacked batch are the same every time.
func TestAttackedEvaluationIsDeterministic(t *testing.T) {
	p := newPipeline(t, 8, graphs.L2)
	onX, _ := p.targets()
	dir1, dir2 := sign(t, onX, p.feeds, p.x), sign(t, onX, p.feeds, p.x)
	if i := sameBits(dir1, dir2); i >= 0 {
		t.Fatalf("two gradient passes disagree at element %d", i)
	}
	adv := onX.Step(p.x, dir1, 0.1)
	if i := sameBits(p.predict(t, onX, adv), p.predict(t, onX, adv)); i >= 0 {
		t.Fatalf("two evaluations of one attacked batch differ at sample %d", i)
	}
	// With dropout switched on the predictions do change: the check above
	// would see it.
	f := map[tf.Output]*tf.Tensor{}
	for k, v := range p.feeds {
		f[k] = v
	}
	f[p.m.Net.Training], _ = tf.NewTensor(true)
	f[p.m.Net.DropSeed], _ = tf.NewTensor([]int64{5, 6})
	out, err := p.sess.Run(f, []tf.Output{p.m.Output}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sameBits(tfrun.Floats(out[0]), p.predict(t, onX, p.x)) < 0 {
		t.Error("dropout in training mode did not change any prediction: the determinism check cannot fail")
	}
}

// TestOneStepPGDIsFGSM: one step from x, of eps or of PGD's default size
// (2.5 eps, which the ball clips to eps, as adversarial training's FGSM
// takes it), is FGSM bit for bit.
func TestOneStepPGDIsFGSM(t *testing.T) {
	p := newPipeline(t, 8, graphs.L2)
	for name, c := range p.attacked(t) {
		dir := sign(t, c.tg, p.feeds, c.from)
		for _, eps := range []float64{0.05, 0.3} {
			fgsm, err := attack.FGSM{}.Perturb(context.Background(), c.tg, p.feeds, c.from, eps, nil)
			if err != nil {
				t.Fatal(err)
			}
			if i := sameBits(fgsm, c.tg.Step(c.from, dir, eps)); i >= 0 {
				t.Errorf("%s, eps %g: FGSM.Perturb differs from Step(Sign) at element %d", name, eps, i)
			}
			for _, step := range []float64{1, 0} {
				pgd, err := attack.PGD{Steps: 1, StepSize: step, Restarts: 1}.Perturb(context.Background(), c.tg, p.feeds, c.from, eps, nil)
				if err != nil {
					t.Fatal(err)
				}
				if i := sameBits(pgd, fgsm); i >= 0 {
					t.Errorf("%s, eps %g, step size %g: one-step PGD differs from FGSM at element %d", name, eps, step, i)
				}
			}
		}
	}
}

// TestIgnoredInputGetsZeroGradient zeroes the first convolution's weights
// on the image channel of an (x, s) regressor: its loss then does not depend
// on x, its gradient must be exactly zero and FGSM must leave x unchanged.
func TestIgnoredInputGetsZeroGradient(t *testing.T) {
	s := op.NewScope()
	m := graphs.Regressor(s, tinyReg, px, []string{"image", "seg"}, graphs.L2, 4, graphs.Adam{})
	k := m.Net.Variables()[0] // block1 kernel [3, 3, 2, filters]
	mask := make([]float32, 3*3*2*k.Shape[3])
	for i := range mask {
		if (i/int(k.Shape[3]))%2 == 1 { // input channel 1: the segmentation
			mask[i] = 1
		}
	}
	zeroX := op.AssignVariableOp(s.SubScope("zero_x"), k.Handle, op.Mul(s.SubScope("mul"), k.Value, op.Const(s.SubScope("mask"), mask4(mask, k.Shape))))
	sess := session(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	xs, ss, dice := samples(8, 5)
	f := feeds(m, xs, ss, dice)
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, Shape: []int64{8, px, px, 1}, Clip: true, Lo: -1, Hi: 1}
	before, err := tg.Sign(f, xs)
	if err != nil {
		t.Fatal(err)
	}
	if nonzero(before) == 0 {
		t.Fatal("the intact model has a zero gradient: the check cannot fail")
	}
	if _, err := sess.Run(nil, nil, []*tf.Operation{zeroX}); err != nil {
		t.Fatal(err)
	}
	after, err := tg.Sign(f, xs)
	if err != nil {
		t.Fatal(err)
	}
	if n := nonzero(after); n != 0 {
		t.Errorf("%d non-zero gradient elements for an input the loss ignores", n)
	}
	if i := sameBits(tg.Step(xs, after, 0.3), xs); i >= 0 {
		t.Errorf("FGSM moved pixel %d of an ignored input", i)
	}
}

func mask4(v []float32, shape []int64) [][][][]float32 {
	out := make([][][][]float32, shape[0])
	i := 0
	for a := range out {
		out[a] = make([][][]float32, shape[1])
		for b := range out[a] {
			out[a][b] = make([][]float32, shape[2])
			for c := range out[a][b] {
				out[a][b][c] = v[i : i+int(shape[3])]
				i += int(shape[3])
			}
		}
	}
	return out
}

func nonzero(v []float32) int {
	n := 0
	for _, x := range v {
		if x != 0 {
			n++
		}
	}
	return n
}

// TestAttackDirectionIgnoresLossAndBatching: FGSM takes the sign of the
// gradient, so an L1 or an L2 loss on Dice, and the gradient of the batch
// mean or of each sample alone, give the same attack. This rules the
// attack's loss and reduction out as causes of a difference between
// implementations.
func TestAttackDirectionIgnoresLossAndBatching(t *testing.T) {
	const n = 8
	l1, l2 := newPipeline(t, n, graphs.L1), newPipeline(t, n, graphs.L2)
	x1, _ := l1.targets()
	x2, _ := l2.targets()
	dir1, dir2 := sign(t, x1, l1.feeds, l1.x), sign(t, x2, l2.feeds, l2.x)
	if nonzero(dir1) < len(dir1)/2 {
		t.Fatalf("only %d of %d gradient elements are non-zero", nonzero(dir1), len(dir1))
	}
	if i := sameBits(dir1, dir2); i >= 0 {
		t.Errorf("L1 and L2 losses give different FGSM directions at element %d", i)
	}
	// One sample at a time.
	xs, ss, dice := samples(n, 11)
	per := px * px
	for j := range n {
		f := feeds(l2.m, xs[j*per:(j+1)*per], ss[j*per:(j+1)*per], dice[j:j+1])
		one := x2
		one.Shape = []int64{1, px, px, 1}
		d, err := one.Sign(f, xs[j*per:(j+1)*per])
		if err != nil {
			t.Fatal(err)
		}
		if i := sameBits(d, dir2[j*per:(j+1)*per]); i >= 0 {
			t.Errorf("sample %d: its own gradient and the batch's differ in sign at pixel %d", j, i)
		}
	}
}
