package attack_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
	"gonum.org/v1/gonum/diff/fd"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

const px = 16

func session(t *testing.T, s *op.Scope) *tf.Session {
	t.Helper()
	sess, err := tfrun.Open(s, tfrun.Options{Threads: 2, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// samples are squares of varying size on noise; the segmentation is a
// shifted copy of the square and the target its Dice.
func samples(n int, seed uint64) (xs, ss, dice []float32) {
	r := rand.New(rand.NewPCG(seed, 9))
	for range n {
		x0, y0, w := 3+r.IntN(4), 3+r.IntN(4), 4+r.IntN(4)
		shift := r.IntN(w + 1)
		var inter, sum float32
		for y := range px {
			for x := range px {
				in := x >= x0 && x < x0+w && y >= y0 && y < y0+w
				seg := x >= x0+shift && x < x0+w+shift && y >= y0 && y < y0+w
				v := float32(max(-1, min(1, -0.5+0.2*r.NormFloat64())))
				if in {
					v = 0.6
				}
				xs = append(xs, v)
				s := float32(0)
				if seg {
					s = 1
				}
				ss = append(ss, s)
				if in && seg {
					inter++
				}
				if in {
					sum++
				}
				if seg {
					sum++
				}
			}
		}
		dice = append(dice, 2*inter/sum)
	}
	return xs, ss, dice
}

// sampleData feeds n samples (seed 1) to m's inputs and target.
func sampleData(m *graphs.Model, n int) train.Data {
	xs, ss, dice := samples(n, 1)
	return train.FuncData{N: n, F: func(idx []int, _ *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		var bx, bs, bd []float32
		for _, i := range idx {
			bx = append(bx, xs[i*px*px:(i+1)*px*px]...)
			bs = append(bs, ss[i*px*px:(i+1)*px*px]...)
			bd = append(bd, dice[i])
		}
		return feeds(m, bx, bs, bd), nil
	}}
}

func feeds(m *graphs.Model, xs, ss, dice []float32) map[tf.Output]*tf.Tensor {
	n := int64(len(dice))
	return map[tf.Output]*tf.Tensor{
		m.Inputs[0]: tfrun.MustFloat32(xs, n, px, px, 1),
		m.Inputs[1]: tfrun.MustFloat32(ss, n, px, px, 1),
		m.Target:    tfrun.MustFloat32(dice, n),
	}
}

var tinyReg = graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{16}, Dropout: 0.5}

func trainedBaseline(t *testing.T) (*graphs.Model, *tf.Session) {
	s := op.NewScope()
	m := graphs.Regressor(s, tinyReg, px, []string{"image", "seg"}, graphs.L1, 4, graphs.Adam{})
	sess := session(t, s)
	data := sampleData(m, 64)
	if _, err := train.Run(context.Background(), sess, train.Spec{Name: "tiny", Model: m, Train: data, Epochs: 20, Batch: 16, LR: 3e-3, Seed: 1, Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	return m, sess
}

func TestAttacksStayInBoundsAndHurt(t *testing.T) {
	m, sess := trainedBaseline(t)
	xs, ss, dice := samples(32, 2)
	f := feeds(m, xs, ss, dice)
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, PerSample: m.PerSample, Shape: []int64{32, px, px, 1}, Clip: true, Lo: -1, Hi: 1}
	clean, err := tg.LossAt(f, xs)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := tg.Sign(f, xs)
	if err != nil {
		t.Fatal(err)
	}
	same := tg.Step(xs, dir, 0)
	for i := range xs {
		if math.Float32bits(same[i]) != math.Float32bits(xs[i]) {
			t.Fatalf("epsilon 0 changed pixel %d from %v to %v", i, xs[i], same[i])
		}
	}
	if l0, _ := tg.LossAt(f, same); l0 != clean {
		t.Errorf("epsilon 0 loss %v, clean %v", l0, clean)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, eps := range []float64{0.05, 0.1, 0.3} {
		fgsm := tg.Step(xs, dir, eps)
		pgd, err := attack.PGD{Steps: 10, StepSize: 0.25, Restarts: 2, RandomStart: true}.Perturb(context.Background(), tg, f, xs, eps, rng)
		if err != nil {
			t.Fatal(err)
		}
		for name, adv := range map[string][]float32{"fgsm": fgsm, "pgd": pgd} {
			for i := range adv {
				if d := math.Abs(float64(adv[i] - xs[i])); d > eps+1e-6 || adv[i] < -1 || adv[i] > 1 {
					t.Fatalf("%s eps %g: pixel %d moved %g to %v", name, eps, i, d, adv[i])
				}
			}
		}
		lf, _ := tg.LossAt(f, fgsm)
		lp, _ := tg.LossAt(f, pgd)
		t.Logf("eps %.2f: clean loss %.4f, FGSM %.4f, PGD %.4f", eps, clean, lf, lp)
		if !(lf > clean) {
			t.Errorf("eps %g: FGSM loss %.4f does not exceed clean %.4f", eps, lf, clean)
		}
		if lp < lf-1e-4 {
			t.Errorf("eps %g: PGD loss %.4f below FGSM %.4f", eps, lp, lf)
		}
	}
}

// TestAdaptiveGradientMatchesFiniteDifferences checks the gradient of the
// proposed pipeline's loss with respect to the image, through REC-Net and
// d = |x - r(x (1 - s))|, against central differences.
func TestAdaptiveGradientMatchesFiniteDifferences(t *testing.T) {
	s := op.NewScope()
	rec := graphs.UNetSpec{Depth: 1, Filters: 2, Out: 1}
	m := graphs.DiffRegressor(s, rec, graphs.RegNetSpec{Blocks: 1, Filters: 2, Dense: []int64{4}}, px, graphs.DiffOptions{}, graphs.L2, 5, graphs.Adam{})
	sess := session(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	xs, ss, _ := samples(1, 7)
	// Distinct values everywhere: a flat region (clipped noise) makes max
	// pooling ties, where the loss has no derivative to check.
	r := rand.New(rand.NewPCG(8, 8))
	for i := range xs {
		xs[i] += float32(0.05 * r.NormFloat64())
	}
	// The finite differences must step less than the distance to the kinks
	// of |x - r| and ReLU (1e-4), and float32 rounding of the loss then
	// dominates unless the loss is small against its gradient: the target
	// is near the output.
	f := feeds(m, xs, ss, []float32{1})
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, Shape: []int64{1, px, px, 1}}
	out, err := sess.Run(f, []tf.Output{m.InputGrads[0], m.DiffGrad, m.Recon}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := tfrun.Floats(out[0])
	// The gradient a transfer-style shortcut would use: through d alone,
	// holding the reconstruction fixed (dd/dx = sign(x - r)).
	dd, recon := tfrun.Floats(out[1]), tfrun.Floats(out[2])
	shortcut := make([]float64, len(dd))
	for i := range dd {
		shortcut[i] = float64(dd[i])
		if xs[i] < recon[i] {
			shortcut[i] = -shortcut[i]
		}
	}
	p := make([]float64, len(xs))
	for i, v := range xs {
		p[i] = float64(v)
	}
	loss := func(q []float64) float64 {
		x := make([]float32, len(q))
		for i := range q {
			x[i] = float32(q[i])
		}
		l, err := tg.LossAt(f, x)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// Pixels whose central differences at two step sizes disagree sit near
	// a kink of |x - r|, ReLU or max pooling, where there is no derivative
	// to compare; they are left out (and counted).
	want := fd.Gradient(nil, loss, p, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	wide := fd.Gradient(nil, loss, p, &fd.Settings{Formula: fd.Central, Step: 3e-4})
	var num, den, numShort float64
	kinks := 0
	for i := range want {
		if math.Abs(want[i]-wide[i]) > 0.1*math.Abs(wide[i])+1e-3 {
			kinks++
			continue
		}
		num += (float64(got[i]) - want[i]) * (float64(got[i]) - want[i])
		den += want[i] * want[i]
		numShort += (shortcut[i] - want[i]) * (shortcut[i] - want[i])
	}
	rel, relShort := math.Sqrt(num/den), math.Sqrt(numShort/den)
	t.Logf("relative error %.2e (ignoring REC-Net's path: %.2e), |grad| %.3g, %d of %d pixels near a kink", rel, relShort, math.Sqrt(den), kinks, len(want))
	// float32 rounding of the loss bounds what the differences resolve to a
	// few percent; the gradient must be well inside that and far closer than
	// one that ignores the path through REC-Net.
	if relShort < 4*rel {
		t.Errorf("the check cannot tell the full gradient (error %.3f) from one without REC-Net's path (%.3f)", rel, relShort)
	}
	if kinks > len(want)/10 {
		t.Errorf("%d of %d pixels near a kink: the check says little", kinks, len(want))
	}
	if den == 0 || rel > 0.05 {
		t.Errorf("adaptive gradient relative error %.4f", rel)
	}
}
