package graphs_test

import (
	"fmt"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// BenchmarkInfer measures the forward pass of the networks the certify
// stage smooths, in float32 at certify.batch's default of 128 images: the
// baseline's REG-Net on (x, s) and the proposed pipeline end to end (REC-Net,
// d and the (d, s) REG-Net), with the shapes of ci.yaml and quick.yaml,
// the latter also as quick.yaml's runtime.precision auto runs it on a CPU
// with native bfloat16 (REC-Net in bfloat16, the REG-Net in float32). It
// is the ceiling the stage's reported throughput is compared with
// (docs/certify.md).
func BenchmarkInfer(b *testing.B) {
	const batch = 128
	for _, c := range []struct {
		name     string
		px       int64
		recDepth int
		recF     int64
		blocks   int
		filters  int64
		dense    []int64
		recPrec  graphs.Precision
	}{
		{"ci", 32, 2, 8, 3, 8, []int64{32, 16}, graphs.Float32},
		{"quick", 64, 3, 16, 4, 16, []int64{128, 64}, graphs.Float32},
		{"quick_recnet_bf16", 64, 3, 16, 4, 16, []int64{128, 64}, graphs.BFloat16},
	} {
		rec := graphs.UNetSpec{Depth: c.recDepth, Filters: c.recF, Out: 1, Precision: c.recPrec}
		reg := graphs.RegNetSpec{Blocks: c.blocks, Filters: c.filters, Dense: c.dense, Dropout: 0.5}
		x := tfrun.MustFloat32(noise(batch*int(c.px*c.px)), batch, c.px, c.px, 1)
		b.Run(fmt.Sprintf("%s/xs_%dpx_b%d", c.name, c.px, batch), func(b *testing.B) {
			s := op.NewScope()
			m := graphs.Regressor(s, reg, c.px, []string{"image", "seg"}, graphs.L1, 1, graphs.Adam{})
			sess := session(b, s)
			benchStep(b, sess, m, map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Inputs[1]: x}, batch, reg.FLOPs(c.px, 2), false)
		})
		b.Run(fmt.Sprintf("%s/ds_%dpx_b%d", c.name, c.px, batch), func(b *testing.B) {
			s := op.NewScope()
			m := graphs.DiffRegressor(s, rec, reg, c.px, graphs.DiffOptions{}, graphs.L1, 1, graphs.Adam{})
			sess := session(b, s)
			benchStep(b, sess, m, map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Inputs[1]: x}, batch, rec.FLOPs(c.px, 1)/3+reg.FLOPs(c.px, 2), false)
		})
	}
}
