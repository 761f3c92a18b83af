package attack_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/experiments/attack"
)

// perSample is the loss of each sample of tg at v.
func perSample(t *testing.T, tg attack.Target, f map[tf.Output]*tf.Tensor, v []float32) []float64 {
	t.Helper()
	out, err := tg.Sess.Run(withFeed(f, tg.X, v, tg.Shape), []tf.Output{tg.PerSample}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ls []float64
	for _, l := range out[0].Value().([]float32) {
		ls = append(ls, float64(l))
	}
	return ls
}

func withFeed(f map[tf.Output]*tf.Tensor, k tf.Output, v []float32, shape []int64) map[tf.Output]*tf.Tensor {
	g := map[tf.Output]*tf.Tensor{}
	for a, b := range f {
		g[a] = b
	}
	t, err := tf.NewTensor(v)
	if err != nil {
		panic(err)
	}
	if err := t.Reshape(shape); err != nil {
		panic(err)
	}
	g[k] = t
	return g
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func inBall(t *testing.T, name string, adv, x []float32, eps float64) {
	t.Helper()
	for i := range adv {
		if d := math.Abs(float64(adv[i] - x[i])); d > eps+1e-6 || adv[i] < -1 || adv[i] > 1 {
			t.Fatalf("%s eps %g: pixel %d moved %g to %v", name, eps, i, d, adv[i])
		}
	}
}

// TestSquareFindsWorseInputs: on a trained regressor, the gradient-free
// attack, with forward passes only, finds inputs in the eps-ball whose loss
// is clearly above the clean one, and at eps 0 it changes nothing.
func TestSquareFindsWorseInputs(t *testing.T) {
	m, sess := trainedBaseline(t)
	xs, ss, dice := samples(32, 2)
	f := feeds(m, xs, ss, dice)
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, PerSample: m.PerSample, Shape: []int64{32, px, px, 1}, Clip: true, Lo: -1, Hi: 1}
	clean := perSample(t, tg, f, xs)
	rng := rand.New(rand.NewPCG(4, 4))
	same, err := attack.Square{Queries: 5}.Perturb(context.Background(), tg, f, xs, 0, rng)
	if err != nil {
		t.Fatal(err)
	}
	if i := sameBits(same, xs); i >= 0 {
		t.Errorf("Square at eps 0 moved pixel %d", i)
	}
	for _, eps := range []float64{0.1, 0.3} {
		adv, err := attack.Square{Queries: 100, P: attack.SquareP}.Perturb(context.Background(), tg, f, xs, eps, rng)
		if err != nil {
			t.Fatal(err)
		}
		inBall(t, "Square", adv, xs, eps)
		got := perSample(t, tg, f, adv)
		worse := 0
		for i := range got {
			if got[i] > clean[i] {
				worse++
			}
		}
		t.Logf("eps %.2f: clean loss %.4f, Square %.4f, worse on %d of %d samples", eps, mean(clean), mean(got), worse, len(got))
		if !(mean(got) > mean(clean)+0.01) || worse < len(got)*3/4 {
			t.Errorf("eps %g: Square loss %.4f against clean %.4f, worse on %d of %d samples", eps, mean(got), mean(clean), worse, len(got))
		}
	}
}

// TestAPGDIsAtLeastAsStrongAsFGSM: APGD's first run starts at x and keeps
// each sample's best point, so no sample ends below its clean loss; it
// stays in the ball, and on a trained regressor its mean loss is at least
// FGSM's. At eps 0 it changes nothing.
func TestAPGDIsAtLeastAsStrongAsFGSM(t *testing.T) {
	m, sess := trainedBaseline(t)
	xs, ss, dice := samples(32, 3)
	f := feeds(m, xs, ss, dice)
	tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, PerSample: m.PerSample, Shape: []int64{32, px, px, 1}, Clip: true, Lo: -1, Hi: 1}
	clean := perSample(t, tg, f, xs)
	rng := rand.New(rand.NewPCG(5, 5))
	same, err := attack.APGD{Steps: 5, Restarts: 2}.Perturb(context.Background(), tg, f, xs, 0, rng)
	if err != nil {
		t.Fatal(err)
	}
	if i := sameBits(same, xs); i >= 0 {
		t.Errorf("APGD at eps 0 moved pixel %d", i)
	}
	dir := sign(t, tg, f, xs)
	for _, eps := range []float64{0.05, 0.2} {
		adv, err := attack.APGD{Steps: 20, Restarts: 2}.Perturb(context.Background(), tg, f, xs, eps, rng)
		if err != nil {
			t.Fatal(err)
		}
		inBall(t, "APGD", adv, xs, eps)
		got, fgsm := perSample(t, tg, f, adv), perSample(t, tg, f, tg.Step(xs, dir, eps))
		for i := range got {
			if got[i] < clean[i]-1e-6 {
				t.Errorf("eps %g: sample %d has loss %.4f under APGD, %.4f clean", eps, i, got[i], clean[i])
			}
		}
		t.Logf("eps %.2f: clean loss %.4f, FGSM %.4f, APGD %.4f", eps, mean(clean), mean(fgsm), mean(got))
		if mean(got) < mean(fgsm)-1e-4 {
			t.Errorf("eps %g: APGD loss %.4f below FGSM's %.4f", eps, mean(got), mean(fgsm))
		}
	}
}
