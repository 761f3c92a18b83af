package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/stats"
)

// ScoreCertify is how segqa score --certify smoothed the predictions:
// Samples noise draws of standard deviation Sigma on x, intervals that
// hold for every change of the image up to L2 norm Radius (on the
// preprocessed grid, x in [-1, 1]) with probability at least 1 − Alpha.
type ScoreCertify struct {
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
func certifyOptions(c ScoreOptions, samples int, alpha float64, sigmas, radii []float64) (ScoreCertify, error) {
	sc := ScoreCertify{Sigma: c.Sigma, Radius: c.Radius, Samples: samples, Alpha: alpha}
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
// one image of px² pixels each) and certifies it (see the certify stage).
// batch is certify.batch.
func certifySlices(ctx context.Context, nets regNets, batch int, res *ScoreResult, xs, ss []float32, px int, sc ScoreCertify) error {
	npx := px * px
	var xi, si [][]float32
	for i := range res.Slices {
		xi, si = append(xi, xs[i*npx:(i+1)*npx]), append(si, ss[i*npx:(i+1)*npx])
	}
	lo, hi, ok := stats.SmoothingIndices(sc.Samples, sc.Sigma, sc.Radius, sc.Alpha)
	for _, in := range res.Inputs {
		if !slices.Contains(certifiedInputs, in) {
			continue
		}
		m, sess, closeFn, err := nets.open(in, px)
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(streamSeed(nets.set.Seed, results.StageCertify, "score", "sigma"+strconv.FormatFloat(sc.Sigma, 'g', -1, 64)), 0))
		sm := smoother{sess: sess, m: m, px: px, batch: batch}
		ys, err := sm.outputs(ctx, xi, si, sc.Samples, sc.Sigma, rng, nil)
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

// certifiedText is a slice's certified interval of input: "0.81 [0.78,
// 0.85]", "0.81 (abstains)", or "" when not certified.
func (s SliceScore) certifiedText(in results.Input, decimals int) string {
	c, ok := s.Certified[in]
	if !ok {
		return ""
	}
	if c.Abstain {
		return fmt.Sprintf("%.*f (abstains)", decimals, c.Median)
	}
	return fmt.Sprintf("%.*f [%.*f, %.*f]", decimals, c.Median, decimals, float64(c.Lo), decimals, float64(c.Hi))
}
