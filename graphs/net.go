package graphs

import (
	"fmt"
	"math"
	"strings"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Init selects how a variable is initialised.
type Init int

const (
	// Zeros fills the variable with 0.
	Zeros Init = iota
	// He draws from a truncated normal with std sqrt(2/fanIn), for ReLU layers.
	He
	// Glorot draws from a truncated normal with std sqrt(2/(fanIn+fanOut)),
	// for linear, tanh and sigmoid layers.
	Glorot
)

// InitScheme selects how a network's kernels and biases start. The zero
// value is InitHe.
type InitScheme string

const (
	// InitHe draws kernels from a truncated normal (He for ReLU layers,
	// Glorot for heads) and sets biases to zero, as Keras does for ReLU
	// networks.
	InitHe InitScheme = "he"
	// InitTorch is PyTorch's default for Conv2d, ConvTranspose2d and Linear:
	// kaiming_uniform with a = sqrt(5), that is kernels from
	// U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and biases from the same range. Its
	// kernels have a standard deviation sqrt(6) times smaller than He's.
	InitTorch InitScheme = "torch"
)

// InitSchemes lists the schemes the builders know.
var InitSchemes = []InitScheme{InitHe, InitTorch}

// Variable is a float32 resource variable and the one read of it that the
// forward graph uses.
type Variable struct {
	Name   string    // checkpoint key, the scope path of the variable
	Shape  []int64   // static shape
	Handle tf.Output // resource handle
	Value  tf.Output // ReadVariableOp; gradients are taken with respect to it
	Init   *tf.Operation
	// Trainable is false for optimiser slots and counters.
	Trainable bool
}

// Net carries what the blocks of one network share: the seed of its
// initialisers, the train/eval switch of dropout, the per-step dropout seed,
// and the variables the blocks create.
type Net struct {
	Seed int64
	// Scheme is how the variables the blocks create start; the builders
	// (UNet, RegNet) set it from their spec.
	Scheme   InitScheme
	Training tf.Output // bool scalar, defaults to false (evaluation)
	DropSeed tf.Output // int64 [2], fed per step; defaults to [0, 0]
	vars     []*Variable
	compute  tf.DataType // what the layers compute in; 0 is float32
	// pairs gives the two halves of a batch the same dropout masks, so that
	// TRADES compares a clean sample and its adversarial example through
	// the same network.
	pairs bool
}

// NewNet returns a Net whose switches are placeholders with defaults in s.
func NewNet(s *op.Scope, seed int64) *Net {
	s = s.SubScope("switches")
	return &Net{
		Seed:     seed,
		Training: op.PlaceholderWithDefault(s.SubScope("training"), op.Const(s.SubScope("const"), false), tf.ScalarShape()),
		DropSeed: op.PlaceholderWithDefault(s.SubScope("drop_seed"), op.Const(s.SubScope("const"), []int64{0, 0}), tf.MakeShape(2)),
	}
}

// Variables returns every variable created so far, in creation order.
func (n *Net) Variables() []*Variable { return n.vars }

// Trainable returns the trainable variables, in creation order.
func (n *Net) Trainable() []*Variable {
	var out []*Variable
	for _, v := range n.vars {
		if v.Trainable {
			out = append(out, v)
		}
	}
	return out
}

// Var adds a trainable variable named name under s.
func (n *Net) Var(s *op.Scope, name string, shape []int64, init Init) tf.Output {
	return n.newVar(s, name, shape, init, 0, true).Value
}

// Kernel adds a trainable kernel whose layer has the given fan-in (0: the
// kernel's own, from its shape).
func (n *Net) Kernel(s *op.Scope, shape []int64, init Init, fanIn int64) tf.Output {
	return n.newVar(s, "kernel", shape, init, fanIn, true).Value
}

// Bias adds a trainable bias of size units for a layer with the given
// fan-in: zero under InitHe, U(-1/sqrt(fanIn), 1/sqrt(fanIn)) under
// InitTorch.
func (n *Net) Bias(s *op.Scope, units, fanIn int64) tf.Output {
	return n.newVar(s, "bias", []int64{units}, Zeros, fanIn, true).Value
}

// withScheme sets n.Scheme to sc and returns the function that restores it.
func (n *Net) withScheme(sc InitScheme) func() {
	old := n.Scheme
	n.Scheme = sc
	return func() { n.Scheme = old }
}

func (n *Net) newVar(s *op.Scope, name string, shape []int64, init Init, fanIn int64, trainable bool) *Variable {
	vs := s.SubScope(name)
	// The scope's path names the variable: learn it from a marker op, then
	// give it to the handle as its shared name (an empty shared name lets
	// handles of one graph alias each other).
	marker := op.NoOp(vs)
	if vs.Err() != nil {
		return &Variable{}
	}
	path := strings.TrimSuffix(marker.Name(), "/NoOp")
	h := op.VarHandleOp(vs, tf.Float, tf.MakeShape(shape...), op.VarHandleOpSharedName(path))
	v := &Variable{Name: path, Shape: shape, Handle: h, Trainable: trainable}
	v.Init = op.AssignVariableOp(vs.SubScope("assign_variable_op"), h, n.initValue(vs, shape, init, fanIn, trainable, len(n.vars)))
	v.Value = op.ReadVariableOp(vs.SubScope("read_variable_op"), h, tf.Float)
	n.vars = append(n.vars, v)
	return v
}

// initValue draws the initial value from a stateless generator seeded by
// (Net.Seed, index), so weights depend only on the seed and the order in
// which the network was built. Optimiser state (not trainable) always
// starts at zero.
func (n *Net) initValue(s *op.Scope, shape []int64, init Init, fanIn int64, trainable bool, index int) tf.Output {
	inFan, fanOut := fans(shape)
	if fanIn <= 0 {
		fanIn = inFan
	}
	seed := op.Const(s.SubScope("const"), []int64{n.Seed, int64(index)})
	if n.Scheme == InitTorch && trainable {
		bound := float32(1 / math.Sqrt(float64(fanIn)))
		u := op.StatelessRandomUniform(s.SubScope("stateless_random_uniform"), op.Const(s.SubScope("const"), shape), seed)
		// 2 bound u - bound is uniform on [-bound, bound).
		return op.Sub(s.SubScope("sub"), op.Mul(s.SubScope("mul"), u, op.Const(s.SubScope("const"), 2*bound)), op.Const(s.SubScope("const"), bound))
	}
	if init == Zeros {
		return op.Fill(s.SubScope("fill"), op.Const(s.SubScope("const"), shape), op.Const(s.SubScope("const"), float32(0)))
	}
	std := math.Sqrt(2 / float64(fanIn))
	if init == Glorot {
		std = math.Sqrt(2 / float64(fanIn+fanOut))
	}
	// A truncated normal at +-2 std has variance 0.774 of the untruncated one.
	std /= 0.87962566103423978
	z := op.StatelessTruncatedNormal(s.SubScope("stateless_truncated_normal"), op.Const(s.SubScope("const"), shape), seed)
	return op.Mul(s.SubScope("mul"), z, op.Const(s.SubScope("const"), float32(std)))
}

// fans returns fan-in and fan-out of a dense [in, out] or conv [kh, kw, in, out] kernel.
func fans(shape []int64) (in, out int64) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return shape[0], shape[0]
	}
	field := int64(1)
	for _, d := range shape[:len(shape)-2] {
		field *= d
	}
	return field * shape[len(shape)-2], field * shape[len(shape)-1]
}

// rank returns the static rank of x, or -1 when the scope has already
// failed or the rank is unknown.
func rank(s *op.Scope, x tf.Output) int {
	if s.Err() != nil || x.Op == nil {
		return -1
	}
	return x.Shape().NumDimensions()
}

// channels returns the static size of the last dimension of x.
func channels(s *op.Scope, x tf.Output) int64 {
	if s.Err() != nil || x.Op == nil {
		return 1
	}
	shape := x.Shape()
	if shape.NumDimensions() < 1 {
		s.UpdateErr("channels", fmt.Errorf("graphs: %s has unknown rank", x.Op.Name()))
		return 1
	}
	c := shape.Size(shape.NumDimensions() - 1)
	if c < 1 {
		s.UpdateErr("channels", fmt.Errorf("graphs: %s has unknown channel count", x.Op.Name()))
		return 1
	}
	return c
}
