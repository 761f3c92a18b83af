package tfrun_test

import (
	"slices"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/tfrun"
)

// reluGradFeatures names, for each ReluGrad of g, the type of the op whose
// output it reads as features (its input 1).
func reluGradFeatures(g *tf.Graph) []string {
	var types []string
	for _, p := range g.Operations() {
		for i := range p.NumOutputs() {
			for _, c := range p.Output(i).Consumers() {
				if c.Op.Type() == "ReluGrad" && c.Index == 1 {
					types = append(types, p.Type())
				}
			}
		}
	}
	slices.Sort(types)
	return types
}

// TestReluGradsReadOutputs builds conv, bias and ReLU twice over (the
// pattern grappler fuses when the bias has no other reader), takes the
// gradient of a weighted sum, and checks that the session's graph has every
// ReluGrad reading its Relu's output and that the gradient is still exact:
// zero where the pre-activation is negative or exactly zero.
func TestReluGradsReadOutputs(t *testing.T) {
	s := op.NewScope()
	x := op.Placeholder(s.SubScope("x"), tf.Float, op.PlaceholderShape(tf.MakeShape(1, 1, 5, 1)))
	layer := func(s *op.Scope, in tf.Output) tf.Output {
		conv := op.Conv2D(s, in, op.Const(s.SubScope("w"), [][][][]float32{{{{1.5}}}}), []int64{1, 1, 1, 1}, "SAME")
		return op.Relu(s, op.BiasAdd(s, conv, op.Const(s.SubScope("b"), []float32{-0.75})))
	}
	y := layer(s.SubScope("second"), layer(s.SubScope("first"), x))
	weights := op.Const(s.SubScope("c"), [][][][]float32{{{{1}, {2}, {3}, {4}, {5}}}})
	loss := op.Sum(s, op.Mul(s, y, weights), op.Const(s.SubScope("axes"), []int32{0, 1, 2, 3}))
	dx := op.Gradients(s.SubScope("grad"), []tf.Output{loss}, []tf.Output{x})[0]
	g, err := s.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	if got := reluGradFeatures(g); !slices.Equal(got, []string{"BiasAdd", "BiasAdd"}) {
		t.Fatalf("before the session, the ReluGrads read %v; the C++ gradient should read the BiasAdds", got)
	}
	sess, err := tfrun.NewSession(g, tfrun.Options{Threads: 1, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if got := reluGradFeatures(g); !slices.Equal(got, []string{"Relu", "Relu"}) {
		t.Errorf("after the session opened, the ReluGrads read %v, want both Relu outputs", got)
	}
	if n, err := tfrun.ReluGradsReadOutputs(g); n != 0 || err != nil {
		t.Errorf("a second rewrite changed %d edges (%v), want none", n, err)
	}
	// first: 1.5x - 0.75 = -3.75, -1.5, -0.75, 0, 2.25 for x = -2, -0.5, 0,
	// 0.5, 2; second: 1.5*relu - 0.75 is positive only for the last. So
	// dloss/dx = 5 * 1.5 * 1.5 there and 0 elsewhere.
	in, err := tf.NewTensor([][][][]float32{{{{-2}, {-0.5}, {0}, {0.5}, {2}}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.Run(map[tf.Output]*tf.Tensor{x: in}, []tf.Output{dx}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := out[0].Value().([][][][]float32)[0][0]
	want := []float32{0, 0, 0, 0, 11.25}
	for i := range want {
		if got[i][0] != want[i] {
			t.Errorf("dloss/dx[%d] = %v, want %v (all: %v)", i, got[i][0], want[i], got)
		}
	}
}
