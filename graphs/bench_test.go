package graphs_test

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// benchStep times one training step (or one inference pass) of m on a
// batch, and reports images/s and achieved GFLOP/s.
func benchStep(b *testing.B, sess *tf.Session, m *graphs.Model, feeds map[tf.Output]*tf.Tensor, batch int, flops float64, trainStep bool) {
	b.Helper()
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		b.Fatal(err)
	}
	fetch, targets := []tf.Output{m.Output}, []*tf.Operation(nil)
	if trainStep {
		fetch, targets = []tf.Output{m.Loss}, []*tf.Operation{m.Train}
		flops *= 3
	}
	if _, err := sess.Run(feeds, fetch, targets); err != nil { // warm-up: graph optimisation, allocations
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := sess.Run(feeds, fetch, targets); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(batch)/sec, "img/s")
	b.ReportMetric(flops*float64(batch)/sec/1e9, "GFLOP/s")
}

func noise(n int) []float32 {
	r := rand.New(rand.NewPCG(1, 1))
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(r.Float64()*2 - 1)
	}
	return out
}

func BenchmarkUNet(b *testing.B) {
	for _, c := range []struct {
		depth   int
		filters int64
		px      int64
		batch   int
	}{{4, 32, 128, 16}, {3, 16, 64, 16}, {4, 16, 64, 16}, {2, 8, 64, 32}} {
		for _, mode := range []string{"train", "infer"} {
			for _, prec := range graphs.Precisions {
				spec := graphs.UNetSpec{Depth: c.depth, Filters: c.filters, Out: 1, Precision: prec}
				b.Run(fmt.Sprintf("d%d_f%d_%dpx_b%d/%s/%s", c.depth, c.filters, c.px, c.batch, mode, prec), func(b *testing.B) {
					s := op.NewScope()
					m := graphs.Reconstructor(s, spec, c.px, 1, graphs.Adam{})
					sess := session(b, s)
					n := int64(c.batch)
					x := tfrun.MustFloat32(noise(c.batch*int(c.px*c.px)), n, c.px, c.px, 1)
					feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Target: x}
					benchStep(b, sess, m, feeds, c.batch, spec.FLOPs(c.px, 1), mode == "train")
				})
			}
		}
	}
}

func BenchmarkRegNet(b *testing.B) {
	for _, c := range []struct {
		blocks int
		dense  []int64
		px     int64
	}{{5, []int64{256, 64}, 128}, {4, []int64{128, 64}, 64}} {
		for _, prec := range graphs.Precisions {
			spec := graphs.RegNetSpec{Blocks: c.blocks, Filters: 16, Dense: c.dense, Dropout: 0.5, Precision: prec}
			b.Run(fmt.Sprintf("b%d_%dpx_b16/train/%s", c.blocks, c.px, prec), func(b *testing.B) {
				s := op.NewScope()
				m := graphs.Regressor(s, spec, c.px, []string{"a", "b"}, graphs.L1, 1, graphs.Adam{})
				sess := session(b, s)
				x := tfrun.MustFloat32(noise(16*int(c.px*c.px)), 16, c.px, c.px, 1)
				feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Inputs[1]: x, m.Target: tfrun.MustFloat32(noise(16), 16)}
				benchStep(b, sess, m, feeds, 16, spec.FLOPs(c.px, 2), true)
			})
		}
	}
}

// BenchmarkDiffRegNet measures the proposed pipeline's training step as
// quick.yaml trains it: the frozen REC-Net (depth 3, 16 filters) forward,
// d, and a REG-Net (4 blocks) forward and backward, 64 px, batch 16.
func BenchmarkDiffRegNet(b *testing.B) {
	const px = 64
	for _, prec := range graphs.Precisions {
		rec := graphs.UNetSpec{Depth: 3, Filters: 16, Out: 1, Precision: prec}
		reg := graphs.RegNetSpec{Blocks: 4, Filters: 16, Dense: []int64{128, 64}, Dropout: 0.5, Precision: prec}
		b.Run(fmt.Sprintf("rec_d3_f16_b4_%dpx_b16/train/%s", px, prec), func(b *testing.B) {
			s := op.NewScope()
			m := graphs.DiffRegressor(s, rec, reg, px, graphs.DiffOptions{}, graphs.L1, 1, graphs.Adam{})
			sess := session(b, s)
			x := tfrun.MustFloat32(noise(16*px*px), 16, px, px, 1)
			feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Inputs[1]: x, m.Target: tfrun.MustFloat32(noise(16), 16)}
			benchStep(b, sess, m, feeds, 16, rec.FLOPs(px, 1)/3+reg.FLOPs(px, 2), true)
		})
	}
}

// BenchmarkMatMul measures a large matrix product in the same TensorFlow,
// in float32 and in bfloat16 (cast in the graph, a negligible share of the
// work): the machine's practical peaks for dense work.
func BenchmarkMatMul(b *testing.B) {
	const n = 2048
	for _, dt := range []tf.DataType{tf.Float, tf.Bfloat16} {
		b.Run(typeName(dt), func(b *testing.B) {
			s := op.NewScope()
			a := op.Placeholder(s.SubScope("a"), tf.Float, op.PlaceholderShape(tf.MakeShape(n, n)))
			ac := op.Cast(s.SubScope("cast"), a, dt)
			y := op.Sum(s, op.Cast(s.SubScope("cast_back"), op.MatMul(s, ac, ac), tf.Float), op.Const(s.SubScope("axes"), []int32{0, 1}))
			sess := session(b, s)
			feeds := map[tf.Output]*tf.Tensor{a: tfrun.MustFloat32(noise(n*n), n, n)}
			peak(b, sess, feeds, y, 2*n*n*n)
		})
	}
}

func typeName(dt tf.DataType) string {
	if dt == tf.Bfloat16 {
		return string(graphs.BFloat16)
	}
	return string(graphs.Float32)
}

// peak times sess fetching y and reports GFLOP/s for flops per run.
func peak(b *testing.B, sess *tf.Session, feeds map[tf.Output]*tf.Tensor, y tf.Output, flops float64) {
	b.Helper()
	if _, err := sess.Run(feeds, []tf.Output{y}, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := sess.Run(feeds, []tf.Output{y}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(flops/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOP/s")
}

// BenchmarkZoo measures the U-Nets of the quick config's zoo: training
// steps at batch 16 and the batched inference that segments every slice.
func BenchmarkZoo(b *testing.B) {
	for _, c := range []struct {
		depth   int
		filters int64
	}{{3, 8}, {2, 4}} {
		for _, mode := range []struct {
			name  string
			batch int
		}{{"train", 16}, {"infer", 64}} {
			for _, prec := range graphs.Precisions {
				spec := graphs.UNetSpec{Depth: c.depth, Filters: c.filters, Out: 1, Precision: prec}
				b.Run(fmt.Sprintf("d%d_f%d_64px/%s_b%d/%s", c.depth, c.filters, mode.name, mode.batch, prec), func(b *testing.B) {
					s := op.NewScope()
					m := graphs.Segmenter(s, spec, 64, graphs.DiceBCE, 1, graphs.Adam{})
					sess := session(b, s)
					n := int64(mode.batch)
					x := tfrun.MustFloat32(noise(mode.batch*64*64), n, 64, 64, 1)
					feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Target: x}
					benchStep(b, sess, m, feeds, mode.batch, spec.FLOPs(64, 1), mode.name == "train")
				})
			}
		}
	}
}

// BenchmarkConvPeak measures one large 3x3 convolution (256 to 256 channels
// on 32x32, batch 16), the kernel that dominates the U-Nets, in float32 and
// bfloat16, for comparison with BenchmarkMatMul: TensorFlow runs
// convolutions through oneDNN.
func BenchmarkConvPeak(b *testing.B) {
	const n, hw, c = 16, 32, 256
	for _, dt := range []tf.DataType{tf.Float, tf.Bfloat16} {
		b.Run(typeName(dt), func(b *testing.B) {
			s := op.NewScope()
			x := op.Placeholder(s.SubScope("x"), tf.Float, op.PlaceholderShape(tf.MakeShape(n, hw, hw, c)))
			w := op.Placeholder(s.SubScope("w"), tf.Float, op.PlaceholderShape(tf.MakeShape(3, 3, c, c)))
			conv := op.Conv2D(s, op.Cast(s.SubScope("cx"), x, dt), op.Cast(s.SubScope("cw"), w, dt), []int64{1, 1, 1, 1}, "SAME")
			y := op.Sum(s, op.Cast(s.SubScope("back"), conv, tf.Float), op.Const(s.SubScope("axes"), []int32{0, 1, 2, 3}))
			sess := session(b, s)
			feeds := map[tf.Output]*tf.Tensor{
				x: tfrun.MustFloat32(noise(n*hw*hw*c), n, hw, hw, c),
				w: tfrun.MustFloat32(noise(9*c*c), 3, 3, c, c),
			}
			peak(b, sess, feeds, y, 2.0*n*hw*hw*9*c*c)
		})
	}
}

// BenchmarkConvPasses times the three passes of a 3x3 convolution that a
// training step runs, each alone: forward, the input's gradient and the
// filter's gradient, in float32 and bfloat16, on the peak's shape and on
// the two largest layers of the paper's REC-Net (128 px). The operands are
// variables already in the compute type, so no cast is timed.
func BenchmarkConvPasses(b *testing.B) {
	for _, c := range []graphs.ConvShape{{Size: 32, K: 3, In: 256, Out: 256}, {Size: 128, K: 3, In: 32, Out: 32}, {Size: 128, K: 3, In: 64, Out: 32}} {
		for _, pass := range []string{"forward", "input_grad", "filter_grad"} {
			for _, dt := range []tf.DataType{tf.Float, tf.Bfloat16} {
				b.Run(fmt.Sprintf("%dpx_%dto%d/%s/%s", c.Size, c.In, c.Out, pass, typeName(dt)), func(b *testing.B) {
					s := op.NewScope()
					y, init := convPass(s, pass, dt, 16, c)
					runTargets(b, session(b, s), init, []*tf.Operation{y.Op}, 16*c.FLOPs())
				})
			}
		}
	}
}

// BenchmarkUNetConvPasses runs every convolution pass of a training step of
// the paper's REC-Net (U-Net depth 4, 32 filters, 128 px, batch 16) and
// nothing else: the forward pass and the filter's gradient of each layer,
// the input's gradient of all but the first, on operands held in variables
// and free to run side by side, as in the step. Its images/s bound the
// step's from above for TensorFlow's convolution kernels on this machine.
func BenchmarkUNetConvPasses(b *testing.B) {
	const batch = 16
	spec := graphs.UNetSpec{Depth: 4, Filters: 32, Out: 1}
	for _, dt := range []tf.DataType{tf.Float, tf.Bfloat16} {
		b.Run(typeName(dt), func(b *testing.B) {
			s := op.NewScope()
			var inits, passes []*tf.Operation
			for i, c := range graphs.UNetConvs(spec, 128, 1) {
				for _, pass := range []string{"forward", "input_grad", "filter_grad"} {
					if i == 0 && pass == "input_grad" {
						continue // the image needs no gradient
					}
					y, init := convPass(s.SubScope(fmt.Sprintf("layer%d_%s", i, pass)), pass, dt, batch, c)
					inits, passes = append(inits, init...), append(passes, y.Op)
				}
			}
			runTargets(b, session(b, s), inits, passes, 3*spec.FLOPs(128, 1)*batch)
			b.ReportMetric(batch/(b.Elapsed().Seconds()/float64(b.N)), "img/s")
		})
	}
}

// convPass builds one pass of convolution c on a batch of n in type dt, on
// operands in variables, and the operations that fill those.
func convPass(s *op.Scope, pass string, dt tf.DataType, n int64, c graphs.ConvShape) (tf.Output, []*tf.Operation) {
	x, initX := variableOf(s, "x", dt, n, c.Size, c.Size, c.In)
	w, initW := variableOf(s, "w", dt, c.K, c.K, c.In, c.Out)
	dy, initDy := variableOf(s, "dy", dt, n, c.Size, c.Size, c.Out)
	strides := []int64{1, 1, 1, 1}
	var y tf.Output
	switch pass {
	case "forward":
		y = op.Conv2D(s, x, w, strides, "SAME")
	case "input_grad":
		y = op.Conv2DBackpropInput(s, op.Const(s.SubScope("sizes"), []int32{int32(n), int32(c.Size), int32(c.Size), int32(c.In)}), w, dy, strides, "SAME")
	case "filter_grad":
		y = op.Conv2DBackpropFilter(s, x, op.Const(s.SubScope("sizes"), []int32{int32(c.K), int32(c.K), int32(c.In), int32(c.Out)}), dy, strides, "SAME")
	default:
		panic("convPass: unknown pass " + pass)
	}
	return y, []*tf.Operation{initX, initW, initDy}
}

// runTargets runs init once, then times running targets and reports
// GFLOP/s for flops per run.
func runTargets(b *testing.B, sess *tf.Session, init, targets []*tf.Operation, flops float64) {
	b.Helper()
	if _, err := sess.Run(nil, nil, init); err != nil {
		b.Fatal(err)
	}
	run := func() {
		if _, err := sess.Run(nil, nil, targets); err != nil {
			b.Fatal(err)
		}
	}
	run() // warm-up: graph optimisation, oneDNN primitives
	b.ResetTimer()
	for b.Loop() {
		run()
	}
	b.ReportMetric(flops/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOP/s")
}

// variables numbers the benchmarks' variables: each needs a shared name of
// its own, since the variables of a session share one resource container.
var variables atomic.Int64

// variableOf returns the value of a variable of type dt and the given
// shape, and the operation that fills it with uniform noise in [-1, 1).
func variableOf(s *op.Scope, name string, dt tf.DataType, shape ...int64) (tf.Output, *tf.Operation) {
	s = s.SubScope(name)
	v := op.VarHandleOp(s, dt, tf.MakeShape(shape...), op.VarHandleOpSharedName(fmt.Sprintf("%s_%d", name, variables.Add(1))))
	noise := op.StatelessRandomUniform(s.SubScope("noise"), op.Const(s.SubScope("shape"), shape), op.Const(s.SubScope("seed"), []int64{1, 2}))
	noise = op.Sub(s.SubScope("centre"), op.Mul(s.SubScope("scale"), noise, op.Const(s.SubScope("two"), float32(2))), op.Const(s.SubScope("one"), float32(1)))
	init := op.AssignVariableOp(s.SubScope("init"), v, op.Cast(s.SubScope("cast"), noise, dt))
	return op.ReadVariableOp(s.SubScope("read"), v, dt), init
}
