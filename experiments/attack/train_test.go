package attack_test

import (
	"context"
	"math"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// tinyModels are the two kinds of REG-Net adversarial training sees: the
// baseline on (x, s) and the proposed pipeline (its REC-Net left at its
// random weights, which is all the tests need) on (d, s).
var tinyModels = map[string]func(s *op.Scope, spec graphs.RegNetSpec) *graphs.Model{
	"baseline": func(s *op.Scope, spec graphs.RegNetSpec) *graphs.Model {
		return graphs.Regressor(s, spec, px, []string{"image", "seg"}, graphs.L1, 4, graphs.Adam{})
	},
	"proposed": func(s *op.Scope, spec graphs.RegNetSpec) *graphs.Model {
		return graphs.DiffRegressor(s, graphs.UNetSpec{Depth: 1, Filters: 2, Out: 1}, spec, px, graphs.DiffOptions{}, graphs.L1, 4, graphs.Adam{})
	},
}

// trainTiny trains a tiny model of kind for epochs, adversarially when
// adversary returns a trainer, and returns its weights and history.
func trainTiny(t *testing.T, kind string, spec graphs.RegNetSpec, epochs int, adversary func(*graphs.Model) *attack.Trainer) ([]float32, train.State) {
	t.Helper()
	s := op.NewScope()
	m := tinyModels[kind](s, spec)
	sess := session(t, s)
	data := sampleData(m, 48)
	ts := train.Spec{Name: "tiny", Model: m, Train: data, Epochs: epochs, Batch: 16, LR: 3e-3, Seed: 1, Dir: t.TempDir()}
	if adversary != nil {
		ts.Perturb = adversary(m).Perturb
	}
	st, err := train.Run(context.Background(), sess, ts)
	if err != nil {
		t.Fatal(err)
	}
	var w []float32
	for _, v := range m.Net.Trainable() {
		out, err := sess.Run(nil, []tf.Output{v.Value}, nil)
		if err != nil {
			t.Fatal(err)
		}
		w = append(w, tfrun.Floats(out[0])...)
	}
	return w, st
}

// onImage attacks the image (through REC-Net for the proposed pipeline),
// onDiff the difference image.
func onImage(m *graphs.Model) *attack.Trainer {
	return &attack.Trainer{X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, Lo: -1, Hi: 1, Steps: 3, RandomStart: true, Mix: 0.5, Seed: 9}
}

func onDiff(m *graphs.Model) *attack.Trainer {
	return &attack.Trainer{X: m.Diff, Grad: m.DiffGrad, Loss: m.Loss, Lo: 0, Hi: 2, Steps: 3, RandomStart: true, Mix: 0.5, Seed: 9}
}

func withEps(make func(*graphs.Model) *attack.Trainer, fgsm bool, eps ...float64) func(*graphs.Model) *attack.Trainer {
	return func(m *graphs.Model) *attack.Trainer {
		tr := make(m)
		tr.Eps = eps
		if fgsm {
			tr.Steps, tr.RandomStart = 1, false
		}
		return tr
	}
}

// TestZeroEpsilonTrainingIsCleanTraining: adversarial training at eps 0
// (FGSM and PGD, on the image and on the difference image) runs every
// attack step and ends with the weights and losses of clean training, bit
// for bit; at eps 0.1 the weights differ, so the comparison can fail.
func TestZeroEpsilonTrainingIsCleanTraining(t *testing.T) {
	spec := tinyReg
	for kind := range tinyModels {
		clean, cleanHist := trainTiny(t, kind, spec, 2, nil)
		ways := map[string]func(*graphs.Model) *attack.Trainer{
			"PGD on x": withEps(onImage, false, 0), "FGSM on x": withEps(onImage, true, 0, 0),
		}
		if kind == "proposed" {
			ways["PGD on d"] = withEps(onDiff, false, 0)
		}
		for name, adv := range ways {
			w, hist := trainTiny(t, kind, spec, 2, adv)
			if i := sameBits(w, clean); i >= 0 {
				t.Errorf("%s, %s at eps 0: weight %d is %v, %v after clean training", kind, name, i, w[i], clean[i])
			}
			for e := range hist.History {
				if a, b := hist.History[e].TrainLoss, cleanHist.History[e].TrainLoss; math.Float64bits(a) != math.Float64bits(b) {
					t.Errorf("%s, %s at eps 0: epoch %d loss %v, clean %v", kind, name, e+1, a, b)
				}
			}
		}
		w, _ := trainTiny(t, kind, spec, 2, withEps(onImage, false, 0.1))
		if sameBits(w, clean) < 0 {
			t.Errorf("%s: PGD training at eps 0.1 left the weights of clean training: the check cannot fail", kind)
		}
	}
}

// TestTrainingAttackRaisesTheBatchLoss: on a trained regressor, the batch
// a Trainer makes has a higher loss than the clean one, less so when half
// of it stays clean, and FGSM as well as PGD raise it.
func TestTrainingAttackRaisesTheBatchLoss(t *testing.T) {
	m, sess := trainedBaseline(t)
	xs, ss, dice := samples(32, 6)
	lossOf := func(f map[tf.Output]*tf.Tensor) float64 {
		out, err := sess.Run(f, []tf.Output{m.Loss}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return float64(tfrun.Scalar(out[0]))
	}
	clean := lossOf(feeds(m, xs, ss, dice))
	for name, tr := range map[string]*attack.Trainer{
		"PGD": withEps(onImage, false, 0.1)(m), "FGSM": withEps(onImage, true, 0.1)(m),
	} {
		attacked := map[float64]float64{}
		for _, mix := range []float64{0, 0.5} {
			tr.Mix = mix
			f := feeds(m, xs, ss, dice)
			if err := tr.Perturb(sess, f, 3); err != nil {
				t.Fatal(err)
			}
			adv := tfrun.Floats(f[m.Inputs[0]])
			inBall(t, name, adv, xs, 0.1)
			unchanged := 0
			for s := range 32 {
				if sameBits(adv[s*px*px:(s+1)*px*px], xs[s*px*px:(s+1)*px*px]) < 0 {
					unchanged++
				}
			}
			if unchanged != int(mix*32) {
				t.Errorf("%s, mix %g: %d of 32 samples left clean", name, mix, unchanged)
			}
			attacked[mix] = lossOf(f)
			t.Logf("%s, mix %g: batch loss %.4f, clean %.4f", name, mix, attacked[mix], clean)
			if !(attacked[mix] > clean+0.01) {
				t.Errorf("%s, mix %g: batch loss %.4f not above the clean %.4f", name, mix, attacked[mix], clean)
			}
		}
		if !(attacked[0.5] < attacked[0]) {
			t.Errorf("%s: half clean, batch loss %.4f; all attacked, %.4f", name, attacked[0.5], attacked[0])
		}
	}
}

// TestTradesObjective: a TRADES regressor's TrainLoss on the paired batch
// a Trainer makes is the clean half's loss plus beta times the mean gap
// between the halves' predictions; the clean half is the clean batch, and
// at eps 0 the objective is the clean loss. A short TRADES training runs.
func TestTradesObjective(t *testing.T) {
	spec := tinyReg
	spec.TradesBeta = 2
	s := op.NewScope()
	m := tinyModels["baseline"](s, spec)
	sess := session(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	xs, ss, dice := samples(8, 7)
	for _, eps := range []float64{0, 0.2} {
		tr := withEps(onImage, false, eps)(m)
		tr.Pairs = true
		f := feeds(m, xs, ss, dice)
		if err := tr.Perturb(sess, f, 0); err != nil {
			t.Fatal(err)
		}
		x := tfrun.Floats(f[m.Inputs[0]])
		if len(x) != 2*len(xs) || sameBits(x[:len(xs)], xs) >= 0 || sameBits(tfrun.Floats(f[m.Inputs[1]]), append(append([]float32(nil), ss...), ss...)) >= 0 {
			t.Fatalf("eps %g: the paired batch is not the clean one followed by its attacked copy", eps)
		}
		out, err := sess.Run(f, []tf.Output{m.TrainLoss, m.PerSample, m.Output}, nil)
		if err != nil {
			t.Fatal(err)
		}
		per, pred := tfrun.Floats(out[1]), tfrun.Floats(out[2])
		var cleanLoss, gap float64
		for i := range 8 {
			cleanLoss += float64(per[i]) / 8
			gap += math.Abs(float64(pred[8+i]-pred[i])) / 8
		}
		got, want := float64(tfrun.Scalar(out[0])), cleanLoss+2*gap
		t.Logf("eps %g: TRADES loss %.5f = clean %.5f + 2 × gap %.5f", eps, got, cleanLoss, gap)
		if math.Abs(got-want) > 1e-5 || (eps == 0 && gap != 0) || (eps > 0 && gap == 0) {
			t.Errorf("eps %g: TRADES loss %.6f, want %.6f (clean %.6f, gap %.6f)", eps, got, want, cleanLoss, gap)
		}
		if eps > 0 {
			continue
		}
		// In training, dropout gives a sample and its copy the same mask:
		// at eps 0 the halves still agree, where they would differ by the
		// dropout noise alone.
		f[m.Net.Training], _ = tf.NewTensor(true)
		f[m.Net.DropSeed], _ = tf.NewTensor([]int64{3, 4})
		out, err = sess.Run(f, []tf.Output{m.Output}, nil)
		if err != nil {
			t.Fatal(err)
		}
		train := tfrun.Floats(out[0])
		if i := sameBits(train[:8], train[8:]); i >= 0 {
			t.Errorf("training mode at eps 0: sample %d's two predictions differ: %v", i, train)
		}
		if sameBits(train[:8], pred[:8]) < 0 {
			t.Error("training mode predicts what evaluation does: dropout is off and the check cannot fail")
		}
	}
	w, hist := trainTiny(t, "proposed", spec, 2, func(m *graphs.Model) *attack.Trainer {
		tr := withEps(onImage, false, 0.1)(m)
		tr.Pairs = true
		return tr
	})
	if len(w) == 0 || math.IsNaN(hist.History[1].TrainLoss) {
		t.Errorf("TRADES training: %d weights, history %+v", len(w), hist.History)
	}
}
