package graphs

import (
	"fmt"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// UNetSpec describes a U-Net: Depth poolings (and as many up-sampling
// steps), Filters at the first level doubling per level, Out output
// channels. The input size must be divisible by 2^Depth.
type UNetSpec struct {
	Depth   int
	Filters int64
	Out     int64
	Init    InitScheme // how the weights start; zero is InitHe
	// Precision is what the layers compute in; the logits are float32
	// whatever it is. Zero is Float32.
	Precision Precision
}

// UNet returns the logits [N, H, W, Out] of a U-Net applied to x [N, H, W, C]:
// an encoder of ConvBlocks and 2x2 max pooling, a bottleneck ConvBlock, and a
// decoder of 2x2 stride-2 up-convolutions, skip concatenations and
// ConvBlocks, closed by a 1x1 convolution.
func (n *Net) UNet(s *op.Scope, x tf.Output, spec UNetSpec) tf.Output {
	defer n.withScheme(spec.Init)()
	defer n.withPrecision(spec.Precision)()
	skips := make([]tf.Output, spec.Depth)
	f := spec.Filters
	for i := range spec.Depth {
		level := s.SubScope(fmt.Sprintf("enc%d", i+1))
		skips[i] = n.ConvBlock(level, x, f)
		x = MaxPool2(level, skips[i])
		f *= 2
	}
	x = n.ConvBlock(s.SubScope("bottleneck"), x, f)
	for i := spec.Depth - 1; i >= 0; i-- {
		f /= 2
		level := s.SubScope(fmt.Sprintf("dec%d", i+1))
		up := n.UpConv2(level.SubScope("up"), x, f)
		x = n.ConvBlock(level, Concat(level, skips[i], up), f)
	}
	return float32Of(s, n.Conv1x1(s.SubScope("head"), x, spec.Out))
}
