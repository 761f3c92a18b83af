package graphs

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// RegNetSpec describes the light AlexNet-like regressor of the paper:
// Blocks of 3x3 conv + ReLU and 2x2 max pooling with Filters doubling per
// block (capped at 8x), then fully connected ReLU layers of the sizes in
// Dense, each followed by dropout at rate Dropout, then one output unit.
type RegNetSpec struct {
	Blocks  int
	Filters int64
	Dense   []int64
	Dropout float32
	Init    InitScheme // how the weights start; zero is InitHe
	// Precision is what the layers compute in; the logit is float32
	// whatever it is. Zero is Float32.
	Precision Precision
	// TradesBeta, when positive, makes the regressor's Train minimise
	// TRADES's objective (Model.TrainLoss) on batches of clean samples
	// followed by their adversarial examples, whose two halves RegNet's
	// dropout then gives the same masks.
	TradesBeta float32
}

// RegNet returns the logit [N] of the regressor applied to x [N, H, W, C].
func (n *Net) RegNet(s *op.Scope, x tf.Output, spec RegNetSpec) tf.Output {
	defer n.withScheme(spec.Init)()
	defer n.withPrecision(spec.Precision)()
	pairs := n.pairs
	n.pairs = spec.TradesBeta > 0
	defer func() { n.pairs = pairs }()
	f := spec.Filters
	for i := range spec.Blocks {
		block := s.SubScope(fmt.Sprintf("block%d", i+1))
		x = n.ConvReLU(block, x, f)
		x = MaxPool2(block, x)
		if i < 3 {
			f *= 2
		}
	}
	x = Flatten(s, x)
	for i, units := range spec.Dense {
		fc := s.SubScope(fmt.Sprintf("fc%d", i+1))
		x = op.Relu(fc.SubScope("relu"), n.Dense(fc, x, units, He))
		x = n.Dropout(fc, x, spec.Dropout)
	}
	out := s.SubScope("out")
	logit := n.Dense(out, x, 1, Glorot)
	return float32Of(out, op.Reshape(out.SubScope("reshape"), logit, op.Const(out.SubScope("const"), []int64{-1})))
}
