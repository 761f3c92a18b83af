package attack_test

import (
	"context"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/train"
)

// masked is a trained tiny regressor with two gradients that hide its
// own: the zero gradient that a stop-gradient (or a quantising step) in
// front of the network gives, and its gradient with a random sign per
// element, the shattered gradient of a randomised front. The network, and
// so its loss, is the undefended one: only what a gradient attack sees
// changes.
type masked struct {
	m               *graphs.Model
	sess            *tf.Session
	zero, shattered tf.Output
}

func trainedMasked(t *testing.T) masked {
	t.Helper()
	s := op.NewScope()
	m := graphs.Regressor(s, tinyReg, px, []string{"image", "seg"}, graphs.L1, 4, graphs.Adam{})
	ms := s.SubScope("masking")
	zero := op.ZerosLike(ms.SubScope("zero"), m.InputGrads[0])
	coin := op.RandomUniform(ms.SubScope("coin"), op.Shape(ms, m.InputGrads[0]), tf.Float, op.RandomUniformSeed(7), op.RandomUniformSeed2(7))
	flip := op.Sign(ms, op.Sub(ms, coin, op.Const(ms.SubScope("half"), float32(0.5))))
	shattered := op.Mul(ms.SubScope("shattered"), m.InputGrads[0], flip)
	sess := session(t, s)
	if _, err := train.Run(context.Background(), sess, train.Spec{Name: "tiny", Model: m, Train: sampleData(m, 64), Epochs: 20, Batch: 16, LR: 3e-3, Seed: 1, Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	return masked{m: m, sess: sess, zero: zero, shattered: shattered}
}

func (k masked) target(grad tf.Output, n int) attack.Target {
	return attack.Target{Sess: k.sess, X: k.m.Inputs[0], Grad: grad, Loss: k.m.Loss, PerSample: k.m.PerSample, Shape: []int64{int64(n), px, px, 1}, Clip: true, Lo: -1, Hi: 1}
}

// predictions is the network's predicted Dice with X fed v.
func predictions(t *testing.T, tg attack.Target, m *graphs.Model, f map[tf.Output]*tf.Tensor, v []float32) []float64 {
	t.Helper()
	out, err := tg.Sess.Run(withFeed(f, tg.X, v, tg.Shape), []tf.Output{m.Output}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p []float64
	for _, x := range out[0].Value().([]float32) {
		p = append(p, float64(x))
	}
	return p
}

// TestSignHuntDamageGrowsWithBudget: on a trained regressor the
// gradient-free search stays in the ball, changes nothing at eps 0, and
// with ten times the queries raises the loss clearly more.
func TestSignHuntDamageGrowsWithBudget(t *testing.T) {
	k := trainedMasked(t)
	xs, ss, dice := samples(32, 2)
	f := feeds(k.m, xs, ss, dice)
	tg := k.target(k.m.InputGrads[0], 32)
	clean := mean(perSample(t, tg, f, xs))
	same, err := attack.SignHunter{Queries: 5}.Perturb(context.Background(), tg, f, xs, 0, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if i := sameBits(same, xs); i >= 0 {
		t.Errorf("SignHunt at eps 0 moved pixel %d", i)
	}
	const eps = 0.1
	var damage []float64
	for _, q := range []int{6, 60} {
		adv, err := attack.SignHunter{Queries: q}.Perturb(context.Background(), tg, f, xs, eps, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		inBall(t, "SignHunt", adv, xs, eps)
		damage = append(damage, mean(perSample(t, tg, f, adv))-clean)
	}
	t.Logf("eps %g: clean loss %.4f; damage with 6 queries %+.4f, with 60 %+.4f", eps, clean, damage[0], damage[1])
	if !(damage[1] > damage[0]+0.005) || !(damage[1] > 0.01) {
		t.Errorf("damage with 60 queries %+.4f, with 6 %+.4f: want clearly more with more", damage[1], damage[0])
	}
}

// TestThresholdAttackFlipsMoreDecisions: APGD across the pass threshold
// flips at least as many pass/fail decisions as APGD on the error, at the
// same eps and budget, and more samples end on the wrong side.
func TestThresholdAttackFlipsMoreDecisions(t *testing.T) {
	k := trainedMasked(t)
	xs, ss, dice := samples(48, 3)
	f := feeds(k.m, xs, ss, dice)
	tg := k.target(k.m.InputGrads[0], 48)
	truth := make([]float64, len(dice))
	for i, d := range dice {
		truth[i] = float64(d)
	}
	const failBelow = 0.7
	tg.Dice, tg.TrueDice = k.m.Target, truth
	apgd := attack.APGD{Steps: 10, Restarts: 2}
	clean := predictions(t, tg, k.m, f, xs)
	for _, eps := range []float64{0.05, 0.2} {
		onError, err := apgd.Perturb(context.Background(), tg, f, xs, eps, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		onThreshold, err := attack.Threshold{APGD: apgd, FailBelow: failBelow}.Perturb(context.Background(), tg, f, xs, eps, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		inBall(t, "threshold APGD", onThreshold, xs, eps)
		e, th := predictions(t, tg, k.m, f, onError), predictions(t, tg, k.m, f, onThreshold)
		fe, fth := stats.FlipRate(clean, e, failBelow), stats.FlipRate(clean, th, failBelow)
		we, wth := wrong(truth, e, failBelow), wrong(truth, th, failBelow)
		t.Logf("eps %g: flipped %.3f (on the error) and %.3f (across the threshold); wrong decisions %.3f, %.3f (clean %.3f)", eps, fe, fth, we, wth, wrong(truth, clean, failBelow))
		if fth < fe || wth < we {
			t.Errorf("eps %g: the threshold attack flips %.3f and leaves %.3f wrong, APGD on the error %.3f and %.3f", eps, fth, wth, fe, we)
		}
	}
}

// wrong is the share of samples whose decision at pred differs from the
// one their true Dice calls for.
func wrong(truth, pred []float64, failBelow float64) float64 {
	n := 0
	for i := range truth {
		if (truth[i] >= failBelow) != (pred[i] >= failBelow) {
			n++
		}
	}
	return float64(n) / float64(len(truth))
}

// TestVerdictCatchesMaskedGradients: the network's own gradient gives
// the gradient attacks more damage than the gradient-free search, and the
// check suspects no masking; behind a zero or a shattered gradient the
// gradient attacks fall below the search, and the check says so.
func TestVerdictCatchesMaskedGradients(t *testing.T) {
	k := trainedMasked(t)
	xs, ss, dice := samples(32, 4)
	f := feeds(k.m, xs, ss, dice)
	const eps = 0.1
	free := k.target(k.m.InputGrads[0], 32)
	clean := mean(perSample(t, free, f, xs))
	adv, err := attack.SignHunter{Queries: 60}.Perturb(context.Background(), free, f, xs, eps, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	freeDamage := mean(perSample(t, free, f, adv)) - clean
	// gradientDamage is the damage of the strongest of FGSM and APGD
	// guided by grad.
	gradientDamage := func(grad tf.Output) float64 {
		tg := k.target(grad, 32)
		var worst float64
		fgsm := tg.Step(xs, sign(t, tg, f, xs), eps)
		apgd, err := attack.APGD{Steps: 10, Restarts: 2}.Perturb(context.Background(), tg, f, xs, eps, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range [][]float32{fgsm, apgd} {
			worst = max(worst, mean(perSample(t, tg, f, v))-clean)
		}
		return worst
	}
	// The undefended network is the one with its own gradient.
	own := gradientDamage(k.m.InputGrads[0])
	for _, c := range []struct {
		name    string
		grad    tf.Output
		masking bool
	}{{"own gradient", k.m.InputGrads[0], false}, {"zero gradient", k.zero, true}, {"shattered gradient", k.shattered, true}} {
		m := results.Masking{Network: results.InputXS, Eps: eps, FreeAttack: "SignHunt", FreeDamage: freeDamage, GradientDamage: gradientDamage(c.grad),
			UndefendedFreeDamage: freeDamage, UndefendedGradientDamage: own}
		m.Judge()
		t.Log(c.name + ": " + m.Evidence())
		if (m.Verdict == results.VerdictMasking) != c.masking {
			t.Errorf("%s: %s", c.name, m.Evidence())
		}
	}
}
