package graphs_test

import (
	"math"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// softDiceLoss is 1 - (2 sum(p y) + 1) / (sum p + sum y + 1) over the
// given pixels, written out.
func softDiceLoss(p, y []float64) float64 {
	var inter, sp, sy float64
	for i := range p {
		inter += p[i] * y[i]
		sp += p[i]
		sy += y[i]
	}
	return 1 - (2*inter+1)/(sp+sy+1)
}

func bce(z, y float64) float64 {
	return math.Max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
}

// TestBatchDiceIsOneOverlapOfTheBatch: batchdice+bce gives every sample
// the batch's soft Dice loss (one overlap over all its pixels) plus its
// own mean BCE, which differs from dice+bce's per-sample Dice when the
// samples differ in size; its gradient matches finite differences.
func TestBatchDiceIsOneOverlapOfTheBatch(t *testing.T) {
	const n, px = 3, 4
	s := op.NewScope()
	z := op.Placeholder(s.SubScope("z"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1, px, px, 1)))
	y := op.Placeholder(s.SubScope("y"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1, px, px, 1)))
	p := op.Sigmoid(s, z)
	batch := graphs.PerSample(s.SubScope("batch"), graphs.BatchDiceBCE, z, p, y)
	each := graphs.PerSample(s.SubScope("each"), graphs.DiceBCE, z, p, y)
	loss := graphs.MeanAll(s, batch)
	grad := op.Gradients(s.SubScope("grad"), []tf.Output{loss}, []tf.Output{z})[0]
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	sess := session(t, s)

	r := rand.New(rand.NewPCG(3, 4))
	zv := randn(r, n*px*px, 2)
	yv := make([]float32, n*px*px)
	for i := range yv { // sample k has k+1 rows of foreground: sizes differ
		if (i%(px*px))/px <= i/(px*px) {
			yv[i] = 1
		}
	}
	feeds := func(zs []float32) map[tf.Output]*tf.Tensor {
		return map[tf.Output]*tf.Tensor{z: tfrun.MustFloat32(zs, n, px, px, 1), y: tfrun.MustFloat32(yv, n, px, px, 1)}
	}
	out := run(t, sess, feeds(zv), []tf.Output{batch, each, grad})
	gotBatch, gotEach, gotGrad := tfrun.Floats(out[0]), tfrun.Floats(out[1]), tfrun.Floats(out[2])

	pf, yf := make([]float64, len(zv)), make([]float64, len(zv))
	for i := range zv {
		pf[i], yf[i] = 1/(1+math.Exp(-float64(zv[i]))), float64(yv[i])
	}
	whole := softDiceLoss(pf, yf)
	var perSampleMean float64
	for k := range n {
		lo, hi := k*px*px, (k+1)*px*px
		var b float64
		for i := lo; i < hi; i++ {
			b += bce(float64(zv[i]), yf[i]) / (px * px)
		}
		if want := whole + b; math.Abs(float64(gotBatch[k])-want) > 1e-5 {
			t.Errorf("sample %d: batchdice+bce %.6f, want batch Dice %.6f + its BCE %.6f = %.6f", k, gotBatch[k], whole, b, want)
		}
		if want := softDiceLoss(pf[lo:hi], yf[lo:hi]) + b; math.Abs(float64(gotEach[k])-want) > 1e-5 {
			t.Errorf("sample %d: dice+bce %.6f, want %.6f", k, gotEach[k], want)
		}
		perSampleMean += (float64(gotEach[k]) - b) / n
	}
	if math.Abs(perSampleMean-whole) < 1e-3 {
		t.Fatalf("the batch's Dice loss %.4f equals the mean per-sample one %.4f: the test cannot tell them apart", whole, perSampleMean)
	}

	if rel, norm := gradientError(t, sess, loss, feeds, zv, gotGrad); rel > 0.02 || norm == 0 {
		t.Errorf("gradient of batchdice+bce: relative error %.4f against finite differences", rel)
	}
}
