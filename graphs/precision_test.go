package graphs_test

import (
	"math"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
	"gonum.org/v1/gonum/diff/fd"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// diffModel builds the proposed pipeline (REC-Net, d, REG-Net) at precision
// p, with the gradients of its loss with respect to its trainable
// variables; the same seed gives the same float32 weights at every
// precision.
func diffModel(t *testing.T, p graphs.Precision, px int64) (*graphs.Model, []tf.Output, *tf.Session, *tf.Graph) {
	t.Helper()
	s := op.NewScope()
	rec := graphs.UNetSpec{Depth: 2, Filters: 4, Out: 1, Init: graphs.InitTorch, Precision: p}
	reg := graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8}, Dropout: 0.5, Init: graphs.InitTorch, Precision: p}
	m := graphs.DiffRegressor(s, rec, reg, px, graphs.DiffOptions{}, graphs.L2, 3, graphs.Adam{})
	var wrt []tf.Output
	for _, v := range m.Net.Trainable() {
		wrt = append(wrt, v.Value)
	}
	grads := op.Gradients(s.SubScope("weight_gradients"), []tf.Output{m.Loss}, wrt)
	g, err := s.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := tfrun.NewSession(g, tfrun.Options{Threads: 2, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	run(t, sess, nil, nil, m.Init)
	return m, grads, sess, g
}

// countBF16 counts the ops of type typ whose output is bfloat16.
func countBF16(g *tf.Graph, typ string) (n int) {
	for _, o := range g.Operations() {
		if o.Type() == typ && o.NumOutputs() > 0 && o.Output(0).DataType() == tf.Bfloat16 {
			n++
		}
	}
	return n
}

// TestBFloat16GradientsMatchFiniteDifferences checks the gradients of the
// mixed-precision pipeline, through REC-Net, the difference image and
// REG-Net, against central finite differences of the float32 pipeline with
// the same weights: with respect to the input image (what the attacks use)
// and to two trainable variables (what Adam uses).
//
// The tolerances: the input gradient crosses both networks, where a finite
// step of 1e-3 flips some ReLUs, so even float32's exact gradient is 4% from
// the finite differences here (5% allowed). bfloat16 keeps 8 bits of
// mantissa, a rounding error up to 2^-9 per value over about twenty layers
// forward and back: 10% from the finite differences and 5% from float32's
// gradient. A gradient path lost at a cast is off by its whole size.
func TestBFloat16GradientsMatchFiniteDifferences(t *testing.T) {
	const px = 8
	r := rand.New(rand.NewPCG(5, 6))
	xv := randn(r, 2*px*px, 0.5)
	sv := make([]float32, 2*px*px)
	for i := range sv {
		if r.Float64() < 0.3 {
			sv[i] = 1
		}
	}
	dice := []float32{0.2, 0.9}
	m32, _, sess32, _ := diffModel(t, graphs.Float32, px)
	m16, grads16, sess16, g16 := diffModel(t, graphs.BFloat16, px)
	for _, typ := range []string{"Conv2D", "MatMul", "Conv2DBackpropFilter", "Conv2DBackpropInput"} {
		if countBF16(g16, typ) == 0 {
			t.Errorf("the bfloat16 pipeline has no bfloat16 %s", typ)
		}
	}
	feeds := func(m *graphs.Model, x []float32) map[tf.Output]*tf.Tensor {
		return map[tf.Output]*tf.Tensor{
			m.Inputs[0]: tfrun.MustFloat32(x, 2, px, px, 1), m.Inputs[1]: tfrun.MustFloat32(sv, 2, px, px, 1),
			m.Target: tfrun.MustFloat32(dice, 2),
		}
	}
	// loss32 is the float32 loss with input x and, if k >= 0, trainable
	// variable k's value replaced by x.
	loss32 := func(k int) func(x []float64) float64 {
		return func(x []float64) float64 {
			v := make([]float32, len(x))
			for i := range x {
				v[i] = float32(x[i])
			}
			f := feeds(m32, xv)
			if k < 0 {
				f = feeds(m32, v)
			} else {
				f[m32.Net.Trainable()[k].Value] = tfrun.MustFloat32(v, m32.Net.Trainable()[k].Shape...)
			}
			return float64(tfrun.Scalar(run(t, sess32, f, []tf.Output{m32.Loss})[0]))
		}
	}
	settings := &fd.Settings{Formula: fd.Central, Step: 1e-3}
	want := fd.Gradient(nil, loss32(-1), float64s(xv), settings)
	got := tfrun.Floats(run(t, sess16, feeds(m16, xv), []tf.Output{m16.InputGrads[0]})[0])
	checkRel(t, "bfloat16 d loss / d x", got, want, 0.1)
	g32 := tfrun.Floats(run(t, sess32, feeds(m32, xv), []tf.Output{m32.InputGrads[0]})[0])
	checkRel(t, "float32 d loss / d x", g32, want, 0.05)
	checkRel(t, "bfloat16 against float32 d loss / d x", got, float64s(g32), 0.05)

	// The gradients Adam receives, in float32 through the casts, for the
	// first REG-Net convolution and the output layer.
	trainable := m16.Net.Trainable()
	for _, k := range []int{0, len(trainable) - 2} {
		value := tfrun.Floats(run(t, sess32, nil, []tf.Output{m32.Net.Trainable()[k].Value})[0])
		want := fd.Gradient(nil, loss32(k), float64s(value), settings)
		out := run(t, sess16, feeds(m16, xv), []tf.Output{grads16[k]})[0]
		if out.DataType() != tf.Float {
			t.Errorf("%s: gradient is %v, want float32", trainable[k].Name, out.DataType())
		}
		checkRel(t, "bfloat16 d loss / d "+trainable[k].Name, tfrun.Floats(out), want, 0.1)
	}
}

func float64s(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func checkRel(t *testing.T, name string, got []float32, want []float64, tol float64) {
	t.Helper()
	var num, den float64
	for i := range want {
		num += (float64(got[i]) - want[i]) * (float64(got[i]) - want[i])
		den += want[i] * want[i]
	}
	rel := math.Sqrt(num / den)
	t.Logf("%s: relative error %.2e (|grad| %.3g)", name, rel, math.Sqrt(den))
	if rel > tol || den == 0 {
		t.Errorf("%s: relative error %.4f, want below %g (|grad| %.3g)", name, rel, tol, math.Sqrt(den))
	}
}
