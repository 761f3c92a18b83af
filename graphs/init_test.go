package graphs_test

import (
	"math"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestInitSchemes checks the two ways a network can start: He (truncated
// normal kernels with std sqrt(2/fanIn), zero biases) and PyTorch's
// defaults (kernels and biases uniform on ±1/sqrt(fanIn)).
func TestInitSchemes(t *testing.T) {
	for _, scheme := range []graphs.InitScheme{graphs.InitHe, graphs.InitTorch} {
		s := op.NewScope()
		spec := graphs.RegNetSpec{Blocks: 2, Filters: 16, Dense: []int64{64}, Init: scheme}
		m := graphs.Regressor(s, spec, 16, []string{"image", "seg"}, graphs.L2, 9, graphs.Adam{})
		sess := session(t, s)
		run(t, sess, nil, nil, m.Init)
		vars := m.Net.Trainable()
		fetch := make([]tf.Output, len(vars))
		for i, v := range vars {
			fetch[i] = v.Value
		}
		out := run(t, sess, nil, fetch)
		for i, v := range vars {
			vals := tfrun.Floats(out[i])
			fanIn := int64(1)
			for _, d := range v.Shape[:len(v.Shape)-1] {
				fanIn *= d
			}
			if len(v.Shape) == 1 { // a bias: the fan-in of its kernel
				fanIn = 1
				for _, d := range vars[i-1].Shape[:len(vars[i-1].Shape)-1] {
					fanIn *= d
				}
			}
			bound := 1 / math.Sqrt(float64(fanIn))
			var sum, sq, maxAbs float64
			for _, x := range vals {
				sum += float64(x)
				sq += float64(x) * float64(x)
				maxAbs = max(maxAbs, math.Abs(float64(x)))
			}
			std := math.Sqrt(sq/float64(len(vals)) - (sum/float64(len(vals)))*(sum/float64(len(vals))))
			isBias := len(v.Shape) == 1
			switch {
			case scheme == graphs.InitHe && isBias:
				if maxAbs != 0 {
					t.Errorf("he: %s is not zero (max |b| %g)", v.Name, maxAbs)
				}
			case scheme == graphs.InitTorch && maxAbs > bound:
				t.Errorf("torch: %s has |w| %g beyond 1/sqrt(%d) = %g", v.Name, maxAbs, fanIn, bound)
			case scheme == graphs.InitTorch && len(vals) >= 256 && math.Abs(std-bound/math.Sqrt(3)) > 0.1*bound/math.Sqrt(3):
				t.Errorf("torch: %s has std %g, want %g (uniform)", v.Name, std, bound/math.Sqrt(3))
			case scheme == graphs.InitHe && !isBias && len(vals) >= 256 && v.Shape[len(v.Shape)-1] > 1:
				if want := math.Sqrt(2 / float64(fanIn)); math.Abs(std-want) > 0.1*want {
					t.Errorf("he: %s has std %g, want %g", v.Name, std, want)
				}
			}
			if scheme == graphs.InitTorch && isBias && maxAbs == 0 {
				t.Errorf("torch: %s is zero", v.Name)
			}
		}
	}
}
