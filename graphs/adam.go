package graphs

import (
	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// Adam holds the hyper-parameters of the Adam optimiser; the zero value
// means beta1 0.9, beta2 0.999, epsilon 1e-7 (TensorFlow's defaults).
type Adam struct {
	Beta1, Beta2, Epsilon float32
}

func (a Adam) withDefaults() Adam {
	if a.Beta1 == 0 {
		a.Beta1 = 0.9
	}
	if a.Beta2 == 0 {
		a.Beta2 = 0.999
	}
	if a.Epsilon == 0 {
		a.Epsilon = 1e-7
	}
	return a
}

// Minimize adds the gradients of loss with respect to every trainable
// variable of n and one ResourceApplyAdam per variable, then increments the
// step counter. The moments and the step are variables of n, so they are
// checkpointed with the weights and a resumed run continues exactly.
func (a Adam) Minimize(s *op.Scope, n *Net, loss, lr tf.Output) *tf.Operation {
	a = a.withDefaults()
	vars := n.Trainable()
	xs := make([]tf.Output, len(vars))
	for i, v := range vars {
		xs[i] = v.Value
	}
	grads := op.Gradients(s.SubScope("gradients"), []tf.Output{loss}, xs)
	s = s.SubScope("adam")
	step := n.newVar(s, "step", []int64{}, Zeros, 0, false)
	t := op.Add(s.SubScope("add"), step.Value, op.Const(s.SubScope("const"), float32(1)))
	b1, b2 := op.Const(s.SubScope("const"), a.Beta1), op.Const(s.SubScope("const"), a.Beta2)
	b1p, b2p := op.Pow(s.SubScope("pow"), b1, t), op.Pow(s.SubScope("pow"), b2, t)
	eps := op.Const(s.SubScope("const"), a.Epsilon)
	applies := make([]*tf.Operation, len(vars))
	for i, v := range vars {
		slot := s.SubScope(v.Name)
		m := n.newVar(slot, "m", v.Shape, Zeros, 0, false)
		vv := n.newVar(slot, "v", v.Shape, Zeros, 0, false)
		applies[i] = op.ResourceApplyAdam(slot.SubScope("resource_apply_adam"), v.Handle, m.Handle, vv.Handle, b1p, b2p, lr, b1, b2, eps, grads[i])
	}
	inc := op.AssignAddVariableOp(s.WithControlDependencies(applies...), step.Handle, op.Const(s.SubScope("const"), float32(1)))
	return op.NoOp(s.WithControlDependencies(inc))
}
