package experiments

import (
	"context"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// BenchmarkSmoother measures the certify stage's noisy forward passes
// (noise drawn, batches fed, outputs gathered) on ci.yaml's networks with
// random weights, batch 128: the figure to set beside graphs'
// BenchmarkInfer/ci, which feeds one fixed batch (docs/certify.md).
func BenchmarkSmoother(b *testing.B) {
	const px, batch, images, draws = 32, 128, 16, 64
	rec := graphs.UNetSpec{Depth: 2, Filters: 8, Out: 1}
	reg := graphs.RegNetSpec{Blocks: 3, Filters: 8, Dense: []int64{32, 16}, Dropout: 0.5}
	for _, in := range []string{"xs", "ds"} {
		b.Run(in, func(b *testing.B) {
			s := op.NewScope()
			var m *graphs.Model
			if in == "xs" {
				m = graphs.Regressor(s, reg, px, []string{"image", "seg"}, graphs.L1, 1, graphs.Adam{})
			} else {
				m = graphs.DiffRegressor(s, rec, reg, px, graphs.DiffOptions{}, graphs.L1, 1, graphs.Adam{})
			}
			sess, err := tfrun.Open(s, tfrun.Options{Threads: 2, Device: "cpu"})
			if err != nil {
				b.Fatal(err)
			}
			defer sess.Close()
			if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			xs, ss := make([][]float32, images), make([][]float32, images)
			for i := range xs {
				xs[i], ss[i] = make([]float32, px*px), make([]float32, px*px)
				for q := range xs[i] {
					xs[i][q] = float32(rng.Float64()*2 - 1)
				}
			}
			sm := smoother{sess: sess, m: m, px: px, batch: batch}
			if _, err := sm.outputs(context.Background(), xs[:2], ss[:2], batch/2, 0.25, rng, nil); err != nil { // warm-up
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := sm.outputs(context.Background(), xs, ss, draws, 0.25, rng, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(images*draws)*float64(b.N)/b.Elapsed().Seconds(), "img/s")
		})
	}
}
