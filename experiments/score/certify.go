package score

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// Certification is how segqa score --certify smoothed the predictions:
// Samples noise draws of standard deviation Sigma on x, intervals that
// hold for every change of the image up to L2 norm Radius (on the
// preprocessed grid, x in [-1, 1]) with probability at least 1 − Alpha.
type Certification struct {
	Sigma   float64 `json:"sigma"`
	Radius  float64 `json:"radius"`
	Samples int     `json:"samples"`
	Alpha   float64 `json:"alpha"`
}

// CertifiedInterval is one slice's smoothed prediction and its certified
// interval; Abstain when the interval cannot be given at 1 − Alpha.
type CertifiedInterval struct {
	Median  float64        `json:"smoothed_dice"`
	Lo      results.Number `json:"low"`
	Hi      results.Number `json:"high"`
	Abstain bool           `json:"abstain,omitempty"`
}

// certifyOptions resolves o's σ and radius against the run's certify.*
// settings: 0 takes certify.sigma's first and certify.radii's first.
func certifyOptions(o Options, samples int, alpha float64, sigmas, radii []float64) (Certification, error) {
	sc := Certification{Sigma: o.Sigma, Radius: o.Radius, Samples: samples, Alpha: alpha}
	if sc.Sigma == 0 && len(sigmas) > 0 {
		sc.Sigma = sigmas[0]
	}
	if sc.Radius == 0 && len(radii) > 0 {
		sc.Radius = radii[0]
	}
	if !(sc.Sigma > 0) || !(sc.Radius >= 0) || sc.Samples < 3 || !(sc.Alpha > 0 && sc.Alpha < 1) {
		return sc, fmt.Errorf("score --certify: σ %g, radius %g, %d draws, α %g: the run's certify.* settings do not give a certificate", sc.Sigma, sc.Radius, sc.Samples, sc.Alpha)
	}
	return sc, nil
}

// certifySlices smooths each REG-Net's prediction of every slice (xs, ss:
// one image of px² pixels each) and certifies it, as the certify stage
// does.
func (tr *trained) certifySlices(ctx context.Context, res *Result, xs, ss []float32, px int, sc Certification) error {
	npx := px * px
	var xi, si [][]float32
	for i := range res.Slices {
		xi, si = append(xi, xs[i*npx:(i+1)*npx]), append(si, ss[i*npx:(i+1)*npx])
	}
	lo, hi, ok := stats.SmoothingIndices(sc.Samples, sc.Sigma, sc.Radius, sc.Alpha)
	certified := experiments.CertifiedInputs()
	for _, in := range res.Inputs {
		if !slices.Contains(certified, in) {
			continue
		}
		m, sess, closeFn, err := tr.openRegNet(in, px)
		if err != nil {
			return fmt.Errorf("score --certify: %w", err)
		}
		seed := experiments.StreamSeed(tr.cfg, results.StageCertify, "score", "sigma"+strconv.FormatFloat(sc.Sigma, 'g', -1, 64))
		rng := rand.New(rand.NewPCG(seed, 0))
		ys, err := experiments.SmoothedOutputs(ctx, sess, m, px, max(tr.cfg.Certify.Batch, 1), xi, si, sc.Samples, sc.Sigma, rng)
		closeFn()
		if err != nil {
			return fmt.Errorf("score --certify %s: %w", in, err)
		}
		for i, y := range ys {
			c := stats.Certify(y, lo, hi, ok)
			s := &res.Slices[i]
			if s.Certified == nil {
				s.Certified = map[results.Input]CertifiedInterval{}
			}
			s.Certified[in] = CertifiedInterval{Median: c.Median, Lo: results.Number(c.Lo), Hi: results.Number(c.Hi), Abstain: c.Abstain}
		}
	}
	res.Certify = &sc
	return nil
}
