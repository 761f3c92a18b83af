package experiments

import (
	"fmt"
	"os"
	"slices"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// dScalePercentile is the percentile of d over the training pool that
// regnet.d_scale pool divides d by.
const dScalePercentile = 99

// DScale is models/d_scale.json in the REG-Net stage: the constant the
// (d, s) networks divide d by when regnet.d_scale is not raw.
type DScale struct {
	Kind  config.DScale `json:"kind,omitempty"` // pool or std (empty: pool, as first written)
	Scale float64       `json:"scale"`          // what d is divided by
	// Percentile (pool) is the percentile of every pixel of d over the
	// pool that Scale is; DStd and XStd (std) are the standard deviations
	// over every pixel of the pool whose ratio it is.
	Percentile float64 `json:"percentile,omitempty"`
	DStd       float64 `json:"d_std,omitempty"`
	XStd       float64 `json:"x_std,omitempty"`
	Samples    int     `json:"samples"` // training-pool samples, unaugmented
}

// dScaleFile is where the REG-Net stage keeps its DScale.
func (r regNets) dScaleFile() string { return r.st.File("models", "d_scale.json") }

// dScale is what the (d, s) networks divide d by: 0 (d as it is) when
// regnet.d_scale is raw, else the REG-Net stage's stored constant. Only
// model reads it: the built network carries it on (graphs.Model.DScale).
func (r regNets) dScale() (float32, error) {
	kind := r.set.RegNet.DScale
	if kind == config.DScaleRaw {
		return 0, nil
	}
	var s DScale
	if err := run.ReadJSON(r.dScaleFile(), &s); err != nil {
		return 0, fmt.Errorf("regnet.d_scale %s: %w", kind, err)
	}
	if !(s.Scale > 0) {
		return 0, fmt.Errorf("regnet.d_scale %s: %s: scale %g is not positive", kind, r.dScaleFile(), s.Scale)
	}
	return float32(s.Scale), nil
}

// dHi is the largest value the attacked d can take: d = |x − r| ≤ 2, over
// the scale the network sees it on.
func dHi(scale float32) float32 {
	if scale > 0 {
		return 2 / scale
	}
	return 2
}

// ensureDScale computes and stores the REG-Net stage's DScale when
// regnet.d_scale is not raw and the stage has none yet, over every pixel of
// the unaugmented training pool: d's 99th percentile (pool) or std(d) /
// std(x) (std). It runs before the REG-Nets, so that they all see one
// constant and a resumed stage reads the one it began with.
func ensureDScale(w *worker, nets regNets, prep *Prepared, pool *Pool) error {
	kind := nets.set.RegNet.DScale
	if kind == config.DScaleRaw {
		return nil
	}
	if _, err := os.Stat(nets.dScaleFile()); err == nil {
		return nil
	}
	s := op.NewScope()
	m := graphs.DiffRegressor(s, nets.rec.spec, nets.spec(), int64(prep.Px), graphs.DiffOptions{MaskBackground: nets.rec.masking == config.MaskBackground}, graphs.Loss(nets.set.RegNet.Loss), graphSeed(streamSeed(nets.set.Seed, results.StageRegNet)), graphs.Adam{})
	var d []float32
	err := w.withSession(s, func(sess *tf.Session) error {
		if err := tfrun.Restore(sess, m.RecSaver, nets.rec.best()); err != nil {
			return fmt.Errorf("regnet.d_scale %s: restore REC-Net: %w", kind, err)
		}
		all := make([]int, pool.Len())
		for i := range all {
			all[i] = i
		}
		var err error
		d, err = newDiffCache(sess, m, prep.Px, pool.Len(), poolPair(prep, pool)).get(all, make([]int, len(all)))
		return err
	})
	if err != nil {
		return err
	}
	rec := DScale{Kind: kind, Samples: pool.Len()}
	switch kind {
	case config.DScalePool:
		rec.Percentile = dScalePercentile
		rec.Scale = stats.Quantile(tfrun.Float64s(d), dScalePercentile/100.0)
	case config.DScaleStd:
		xs := make([]float32, 0, len(d))
		for b := range pool.Len() {
			img, _ := poolPair(prep, pool)(b)
			xs = append(xs, img...)
		}
		rec.DStd, rec.XStd = spread(d), spread(xs)
		rec.Scale = rec.DStd / rec.XStd
	}
	if !(rec.Scale > 0) {
		return fmt.Errorf("regnet.d_scale %s: d over the training pool gives scale %g: REC-Net reconstructs every pixel exactly, nothing to scale by", kind, rec.Scale)
	}
	return run.WriteJSON(nets.dScaleFile(), rec)
}

// spread is the standard deviation of every pixel of vals.
func spread(vals []float32) float64 {
	_, std := stats.MeanStd(tfrun.Float64s(vals))
	return std
}

// inputSizes are the standard deviations of the attacked inputs over the
// test pool, and what attack.eps_relative makes of them.
type inputSizes struct {
	x, d float64 // x and d as the (d, s) network is fed it
	// relative multiplies the ε of the attacks on a tensor; empty unless
	// attack.eps_relative, then d's attacks get std(d) / std(x).
	relative map[tensorAttacked]float64
}

// attackSizes measures x and d (through m, the (d, s) pipeline in sess)
// over every pixel of the test pool.
func attackSizes(sess *tf.Session, m *graphs.Model, prep *Prepared, test *Pool, relative bool) (inputSizes, error) {
	all := make([]int, test.Len())
	xs := make([]float32, 0, test.Len()*prep.Px*prep.Px)
	for i := range all {
		all[i] = i
		xs = append(xs, prep.Slices[test.Slices[i]].Image...)
	}
	d, err := newDiffCache(sess, m, prep.Px, test.Len(), poolPair(prep, test)).get(all, make([]int, len(all)))
	if err != nil {
		return inputSizes{}, fmt.Errorf("attack sizes: d over the test pool: %w", err)
	}
	s := inputSizes{x: spread(xs), d: spread(d)}
	if relative {
		s.relative = map[tensorAttacked]float64{proposedD: s.d / s.x}
	}
	return s, nil
}

// spreads are the Table 2 record of s at the levels eps.
func (s inputSizes) spreads(eps []float64) []results.Spread {
	dEps := slices.Clone(eps)
	if r, ok := s.relative[proposedD]; ok {
		for i := range dEps {
			dEps[i] *= r
		}
	}
	return []results.Spread{results.NewSpread(results.SpreadX, s.x, eps), results.NewSpread(results.SpreadD, s.d, dEps)}
}
