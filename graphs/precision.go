package graphs

import (
	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Precision is the type a network's convolutions, transposed convolutions
// and matrix products compute in.
type Precision string

const (
	// Float32 computes everything in float32 (also the zero value).
	Float32 Precision = "float32"
	// BFloat16 is mixed precision as Keras's mixed_bfloat16 policy does it:
	// variables, optimiser state, the heads, losses and metrics stay
	// float32; each layer casts its input and its float32 weights to
	// bfloat16, and the network's logits are cast back to float32. The
	// gradients of the casts carry float32 gradients to the variables.
	BFloat16 Precision = "bfloat16"
)

// Precisions lists the precisions the builders know.
var Precisions = []Precision{Float32, BFloat16}

func (p Precision) dtype() tf.DataType {
	if p == BFloat16 {
		return tf.Bfloat16
	}
	return tf.Float
}

// withPrecision makes the layers built until the returned function runs
// compute in p.
func (n *Net) withPrecision(p Precision) func() {
	old := n.compute
	n.compute = p.dtype()
	return func() { n.compute = old }
}

// computeType is the type the layers of n compute in now.
func (n *Net) computeType() tf.DataType {
	if n.compute == 0 {
		return tf.Float
	}
	return n.compute
}

// cast converts x to the layers' compute type, if it is not already.
func (n *Net) cast(s *op.Scope, x tf.Output) tf.Output {
	return castTo(s, x, n.computeType())
}

// float32 converts x back to float32, if it is not already.
func float32Of(s *op.Scope, x tf.Output) tf.Output { return castTo(s, x, tf.Float) }

func castTo(s *op.Scope, x tf.Output, t tf.DataType) tf.Output {
	if s.Err() != nil || x.Op == nil || x.DataType() == t {
		return x
	}
	return op.Cast(s.SubScope("cast"), x, t)
}
