package graphs_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
	"gonum.org/v1/gonum/diff/fd"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

func session(t testing.TB, s *op.Scope) *tf.Session {
	t.Helper()
	sess, err := tfrun.Open(s, tfrun.Options{Threads: 2, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

func run(t testing.TB, sess *tf.Session, feeds map[tf.Output]*tf.Tensor, fetches []tf.Output, targets ...*tf.Operation) []*tf.Tensor {
	t.Helper()
	out, err := sess.Run(feeds, fetches, targets)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func randn(r *rand.Rand, n int, scale float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(r.NormFloat64() * scale)
	}
	return out
}

// gradientError compares got, the gradient of the scalar loss at x, with
// central finite differences (step 1e-3), feeding feeds(x') for each x':
// their relative L2 error, and the norm of the finite-difference gradient.
func gradientError(t testing.TB, sess *tf.Session, loss tf.Output, feeds func([]float32) map[tf.Output]*tf.Tensor, x, got []float32) (rel, norm float64) {
	t.Helper()
	f := func(p []float64) float64 {
		v := make([]float32, len(p))
		for i := range p {
			v[i] = float32(p[i])
		}
		return float64(tfrun.Scalar(run(t, sess, feeds(v), []tf.Output{loss})[0]))
	}
	p := make([]float64, len(x))
	for i, v := range x {
		p[i] = float64(v)
	}
	want := fd.Gradient(nil, f, p, &fd.Settings{Formula: fd.Central, Step: 1e-3})
	var num, den float64
	for i := range want {
		num += (float64(got[i]) - want[i]) * (float64(got[i]) - want[i])
		den += want[i] * want[i]
	}
	return math.Sqrt(num / den), math.Sqrt(den)
}

// TestGradientsMatchFiniteDifferences builds a tiny network from every block
// (conv + ReLU, max pooling, up-convolution, skip concatenation, 1x1 conv,
// flatten, dense, dropout in evaluation, sigmoid, the L2 loss) and checks
// op.Gradients against central finite differences, for a weight tensor and
// for the input.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	s := op.NewScope()
	n := graphs.NewNet(s, 7)
	x := op.Placeholder(s.SubScope("x"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1, 4, 4, 2)))
	y := op.Placeholder(s.SubScope("y"), tf.Float, op.PlaceholderShape(tf.MakeShape(-1)))
	h := n.ConvReLU(s.SubScope("c1"), x, 3)
	p := graphs.MaxPool2(s, h)
	u := n.UpConv2(s.SubScope("up"), p, 2)
	c := graphs.Concat(s, h, u)
	c = op.Tanh(s.SubScope("t1"), n.Conv1x1(s.SubScope("head"), c, 2))
	f := graphs.Flatten(s, c)
	d := n.Dropout(s, op.Tanh(s.SubScope("t2"), n.Dense(s.SubScope("fc"), f, 5, graphs.Glorot)), 0.5)
	out := op.Sigmoid(s, op.Reshape(s, n.Dense(s.SubScope("out"), d, 1, graphs.Glorot), op.Const(s, []int64{-1})))
	loss := graphs.MeanAll(s, graphs.PerSample(s, graphs.L2, out, out, y))
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	vars := n.Variables()
	wrt := []tf.Output{x, vars[0].Value, vars[2].Value} // input, first conv kernel, up-conv kernel
	grads := op.Gradients(s.SubScope("grad"), []tf.Output{loss}, wrt)
	init := make([]*tf.Operation, len(vars))
	for i, v := range vars {
		init[i] = v.Init
	}
	sess := session(t, s)
	run(t, sess, nil, nil, init...)

	r := rand.New(rand.NewPCG(1, 2))
	xv := randn(r, 2*4*4*2, 1)
	yv := []float32{0.3, 0.8}
	base := run(t, sess, nil, wrt[1:])
	values := [][]float32{xv, tfrun.Floats(base[0]), tfrun.Floats(base[1])}
	shapes := [][]int64{{2, 4, 4, 2}, vars[0].Shape, vars[2].Shape}
	feeds := func(k int, val []float32) map[tf.Output]*tf.Tensor {
		m := map[tf.Output]*tf.Tensor{y: tfrun.MustFloat32(yv, 2), x: tfrun.MustFloat32(xv, 2, 4, 4, 2)}
		m[wrt[k]] = tfrun.MustFloat32(val, shapes[k]...)
		return m
	}
	for k := range wrt {
		got := tfrun.Floats(run(t, sess, feeds(k, values[k]), []tf.Output{grads[k]})[0])
		rel, norm := gradientError(t, sess, loss, func(v []float32) map[tf.Output]*tf.Tensor { return feeds(k, v) }, values[k], got)
		t.Logf("gradient %d (%s): relative error %.2e", k, wrt[k].Op.Name(), rel)
		if rel > 0.02 || norm == 0 {
			t.Errorf("gradient %d (%s): relative error %.4f (|grad| %.3g)", k, wrt[k].Op.Name(), rel, norm)
		}
	}
}

func TestUNetOutputShapes(t *testing.T) {
	for _, depth := range []int{2, 4} {
		for _, px := range []int64{64, 128} {
			s := op.NewScope()
			m := graphs.Segmenter(s, graphs.UNetSpec{Depth: depth, Filters: 4, Out: 1}, px, graphs.Dice, 1, graphs.Adam{})
			sess := session(t, s)
			run(t, sess, nil, nil, m.Init)
			img := tfrun.MustFloat32(make([]float32, 2*px*px), 2, px, px, 1)
			out := run(t, sess, map[tf.Output]*tf.Tensor{m.Inputs[0]: img}, []tf.Output{m.Output})[0]
			if got, want := out.Shape(), []int64{2, px, px, 1}; !slices.Equal(got, want) {
				t.Errorf("depth %d, %d px: output shape %v, want %v", depth, px, got, want)
			}
		}
	}
}

func TestRegNetOutputShape(t *testing.T) {
	s := op.NewScope()
	spec := graphs.RegNetSpec{Blocks: 4, Filters: 4, Dense: []int64{16, 8}, Dropout: 0.5}
	m := graphs.Regressor(s, spec, 64, []string{"image", "seg"}, graphs.L1, 1, graphs.Adam{})
	sess := session(t, s)
	run(t, sess, nil, nil, m.Init)
	img := tfrun.MustFloat32(make([]float32, 3*64*64), 3, 64, 64, 1)
	out := run(t, sess, map[tf.Output]*tf.Tensor{m.Inputs[0]: img, m.Inputs[1]: img}, []tf.Output{m.Output})[0]
	if got := out.Shape(); !slices.Equal(got, []int64{3}) {
		t.Errorf("output shape %v, want [3]", got)
	}
	for _, v := range tfrun.Floats(out) {
		if v <= 0 || v >= 1 {
			t.Errorf("sigmoid output %v outside (0, 1)", v)
		}
	}
}

// With DScale, the (d, s) pipeline feeds its REG-Net |x − r| / DScale,
// checked against the reconstruction fetched in the same run.
func TestDiffRegressorScalesD(t *testing.T) {
	const px, scale = 16, 0.25
	s := op.NewScope()
	rec := graphs.UNetSpec{Depth: 2, Filters: 4, Out: 1}
	reg := graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8}}
	m := graphs.DiffRegressor(s, rec, reg, px, graphs.DiffOptions{DScale: scale}, graphs.L1, 3, graphs.Adam{})
	sess := session(t, s)
	run(t, sess, nil, nil, m.Init)
	r := rand.New(rand.NewPCG(1, 2))
	x := randn(r, 2*px*px, 0.5)
	seg := make([]float32, len(x))
	for i := range seg {
		seg[i] = float32(i % 2)
	}
	out := run(t, sess, map[tf.Output]*tf.Tensor{m.Inputs[0]: tfrun.MustFloat32(x, 2, px, px, 1), m.Inputs[1]: tfrun.MustFloat32(seg, 2, px, px, 1)}, []tf.Output{m.Recon, m.Diff})
	recon, d := tfrun.Floats(out[0]), tfrun.Floats(out[1])
	var nonzero int
	for i := range x {
		want := math.Abs(float64(x[i]-recon[i])) / scale
		if math.Abs(float64(d[i])-want) > 1e-5*math.Max(1, want) {
			t.Fatalf("d[%d] = %g, want |x − r| / %g = %g", i, d[i], scale, want)
		}
		nonzero += btoi(d[i] != 0)
	}
	if nonzero == 0 {
		t.Fatal("d is zero everywhere: the test checks nothing")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
