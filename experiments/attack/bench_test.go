package attack_test

import (
	"context"
	"math/rand/v2"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// BenchmarkSignHunter measures the gradient-free check's queries on
// quick.yaml's networks (64 px, attack.batch 64, random weights): the
// baseline's REG-Net on (x, s) and the proposed pipeline on x through
// REC-Net (in bfloat16, as quick.yaml runs it on a CPU with native
// bfloat16). "forward" is the per-sample loss alone, fed the same batch
// again and again: the ceiling of a search whose every query is one
// forward pass; "hunt" is SignHunter, whose queries/s against forward's
// img/s is what its Go side (proposals, bookkeeping, tensors) costs.
func BenchmarkSignHunter(b *testing.B) {
	const px, batch, queries = 64, 64, 50
	rec := graphs.UNetSpec{Depth: 3, Filters: 16, Out: 1, Precision: graphs.BFloat16}
	reg := graphs.RegNetSpec{Blocks: 4, Filters: 16, Dense: []int64{128, 64}, Dropout: 0.5}
	rng := rand.New(rand.NewPCG(1, 2))
	xs, ss := make([]float32, batch*px*px), make([]float32, batch*px*px)
	for i := range xs {
		xs[i] = float32(rng.Float64()*2 - 1)
		if rng.IntN(4) == 0 {
			ss[i] = 1
		}
	}
	dice := make([]float32, batch)
	for i := range dice {
		dice[i] = float32(rng.Float64())
	}
	for _, in := range []string{"xs", "ds"} {
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
		if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
			b.Fatal(err)
		}
		f := map[tf.Output]*tf.Tensor{
			m.Inputs[0]: tfrun.MustFloat32(xs, batch, px, px, 1),
			m.Inputs[1]: tfrun.MustFloat32(ss, batch, px, px, 1),
			m.Target:    tfrun.MustFloat32(dice, batch),
		}
		if _, err := sess.Run(f, []tf.Output{m.PerSample}, nil); err != nil { // warm-up: the first run optimises the graph
			b.Fatal(err)
		}
		tg := attack.Target{Sess: sess, X: m.Inputs[0], Grad: m.InputGrads[0], Loss: m.Loss, PerSample: m.PerSample,
			Shape: []int64{batch, px, px, 1}, Clip: true, Lo: -1, Hi: 1}
		b.Run(in+"/forward", func(b *testing.B) {
			for b.Loop() {
				if _, err := sess.Run(f, []tf.Output{m.PerSample}, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
		})
		b.Run(in+"/hunt", func(b *testing.B) {
			h := attack.SignHunter{Queries: queries}
			for b.Loop() {
				if _, err := h.Perturb(context.Background(), tg, f, xs, 0.1, rand.New(rand.NewPCG(3, 4))); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(batch*queries*b.N)/b.Elapsed().Seconds(), "queries/s")
		})
		sess.Close()
	}
}
