package graphs

import (
	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Conv3x3 is a 3x3 convolution, stride 1, padding 1 (SAME), plus bias.
func (n *Net) Conv3x3(s *op.Scope, x tf.Output, filters int64) tf.Output {
	return n.conv(s, x, 3, filters, He)
}

// Conv1x1 is a 1x1 convolution plus bias, used for output heads.
func (n *Net) Conv1x1(s *op.Scope, x tf.Output, filters int64) tf.Output {
	return n.conv(s, x, 1, filters, Glorot)
}

func (n *Net) conv(s *op.Scope, x tf.Output, k, filters int64, init Init) tf.Output {
	in := channels(s, x)
	w := n.cast(s, n.Kernel(s, []int64{k, k, in, filters}, init, 0))
	b := n.cast(s, n.Bias(s, filters, k*k*in))
	y := op.Conv2D(s.SubScope("conv2d"), n.cast(s, x), w, []int64{1, 1, 1, 1}, "SAME")
	return op.BiasAdd(s.SubScope("bias_add"), y, b)
}

// ConvReLU is Conv3x3 followed by ReLU.
func (n *Net) ConvReLU(s *op.Scope, x tf.Output, filters int64) tf.Output {
	return op.Relu(s.SubScope("relu"), n.Conv3x3(s, x, filters))
}

// ConvBlock is two ConvReLU layers, the unit of every U-Net level.
func (n *Net) ConvBlock(s *op.Scope, x tf.Output, filters int64) tf.Output {
	x = n.ConvReLU(s.SubScope("conv1"), x, filters)
	return n.ConvReLU(s.SubScope("conv2"), x, filters)
}

// MaxPool2 is 2x2 max pooling with stride 2.
func MaxPool2(s *op.Scope, x tf.Output) tf.Output {
	return op.MaxPool(s.SubScope("max_pool"), x, []int64{1, 2, 2, 1}, []int64{1, 2, 2, 1}, "VALID")
}

// UpConv2 is a 2x2 transposed convolution with stride 2, plus bias. Because
// the kernel and the stride are equal the output windows do not overlap, so
// it is exactly a 1x1 convolution to 4*filters channels followed by
// DepthToSpace, which is cheaper on CPU than Conv2DBackpropInput and has
// registered gradients.
func (n *Net) UpConv2(s *op.Scope, x tf.Output, filters int64) tf.Output {
	// PyTorch's ConvTranspose2d takes its fan-in from the output side
	// (filters x 2 x 2); InitTorch follows it.
	in := channels(s, x)
	fanIn := in
	if n.Scheme == InitTorch {
		fanIn = 4 * filters
	}
	w := n.cast(s, n.Kernel(s, []int64{1, 1, in, 4 * filters}, He, fanIn))
	b := n.cast(s, n.Bias(s, filters, fanIn))
	y := op.Conv2D(s.SubScope("conv2d"), n.cast(s, x), w, []int64{1, 1, 1, 1}, "VALID")
	y = op.DepthToSpace(s.SubScope("depth_to_space"), y, 2)
	return op.BiasAdd(s.SubScope("bias_add"), y, b)
}

// Concat joins a and b along the channel axis (the U-Net skip connection).
func Concat(s *op.Scope, a, b tf.Output) tf.Output {
	return op.ConcatV2(s.SubScope("concatv2"), []tf.Output{a, b}, op.Const(s.SubScope("const"), int32(3)))
}

// Flatten reshapes [N, H, W, C] with static H, W, C into [N, H*W*C].
func Flatten(s *op.Scope, x tf.Output) tf.Output {
	if rank(s, x) < 2 {
		return x
	}
	shape := x.Shape()
	size := int64(1)
	for i := 1; i < shape.NumDimensions(); i++ {
		size *= shape.Size(i)
	}
	return op.Reshape(s.SubScope("reshape"), x, op.Const(s.SubScope("const"), []int64{-1, size}))
}

// Dense is a fully connected layer, x [N, in] times [in, units] plus bias.
func (n *Net) Dense(s *op.Scope, x tf.Output, units int64, init Init) tf.Output {
	in := channels(s, x)
	w := n.cast(s, n.Kernel(s, []int64{in, units}, init, 0))
	b := n.cast(s, n.Bias(s, units, in))
	return op.BiasAdd(s.SubScope("bias_add"), op.MatMul(s.SubScope("mat_mul"), n.cast(s, x), w), b)
}

// Dropout zeroes each element with probability rate and scales the rest by
// 1/(1-rate) when n.Training is true; otherwise it is the identity. The mask
// comes from a stateless op seeded by n.DropSeed and a per-layer offset.
func (n *Net) Dropout(s *op.Scope, x tf.Output, rate float32) tf.Output {
	if rate <= 0 {
		return x
	}
	layer := op.Const(s.SubScope("const"), []int64{0, int64(len(n.vars)) + 1_000_003})
	seed := op.Add(s.SubScope("add"), n.DropSeed, layer)
	u := op.StatelessRandomUniform(s.SubScope("stateless_random_uniform"), op.Shape(s.SubScope("shape"), x), seed)
	if n.pairs {
		u = pairRows(s.SubScope("pairs"), u)
	}
	keep := op.Cast(s.SubScope("cast"), op.GreaterEqual(s.SubScope("greater_equal"), u, op.Const(s.SubScope("const"), rate)), tf.Float)
	keep = op.Mul(s.SubScope("mul"), keep, op.Const(s.SubScope("const"), 1/(1-rate)))
	// train*keep + (1-train): the mask in training, ones in evaluation.
	train := op.Cast(s.SubScope("cast"), n.Training, tf.Float)
	mask := op.Add(s.SubScope("add"), op.Mul(s.SubScope("mul"), keep, train), op.Sub(s.SubScope("sub"), op.Const(s.SubScope("const"), float32(1)), train))
	return op.Mul(s.SubScope("mul"), x, castTo(s, mask, x.DataType()))
}

// pairRows returns the rows of u [N, ...] in the order 0, 1, ..., h-1,
// 0, 1, ... with h = ceil(N/2): the two halves of an even batch get the
// same rows.
func pairRows(s *op.Scope, u tf.Output) tf.Output {
	rows := op.Reshape(s.SubScope("rows"), op.Slice(s.SubScope("slice"), op.Shape(s.SubScope("shape"), u), op.Const(s.SubScope("begin"), []int32{0}), op.Const(s.SubScope("size"), []int32{1})), op.Const(s.SubScope("scalar"), []int32{}))
	one := op.Const(s.SubScope("one"), int32(1))
	half := op.FloorDiv(s.SubScope("half"), op.Add(s.SubScope("add"), rows, one), op.Const(s.SubScope("two"), int32(2)))
	idx := op.FloorMod(s.SubScope("mod"), op.Range(s.SubScope("range"), op.Const(s.SubScope("zero"), int32(0)), rows, one), half)
	return op.GatherV2(s.SubScope("gather"), u, idx, op.Const(s.SubScope("axis"), int32(0)))
}
