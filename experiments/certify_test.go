package experiments

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestCertifySettingsKeyTheirStage: every certify.* setting changes the
// certify stage's key and no other; regnet.noise_sigma changes the
// REG-Nets and everything below them, and at 0 no key at all.
func TestCertifySettingsKeyTheirStage(t *testing.T) {
	base := Keys(ciConfig(t), "")
	below := []results.StageName{results.StageRegNet, results.StageTable1, results.StageTable2, results.StageCertify}
	for set, changes := range map[string][]results.StageName{
		"certify.enabled=true":   {results.StageCertify},
		"certify.sigma=0.5":      {results.StageCertify},
		"certify.samples=7":      {results.StageCertify},
		"certify.alpha=0.2":      {results.StageCertify},
		"certify.radii=0.01,0.2": {results.StageCertify},
		"certify.batch=3":        {results.StageCertify},
		"regnet.noise_sigma=0.1": below,
		"regnet.noise_sigma=0":   nil,
	} {
		k := Keys(ciConfig(t, set), "")
		for _, name := range results.Stages {
			if changed := k[name] != base[name]; changed != slices.Contains(changes, name) {
				t.Errorf("%s: stage %s key changed %v", set, name, changed)
			}
		}
	}
}

// TestNoiseSigmaZeroTrainsAsBefore: at regnet.noise_sigma 0 the REG-Net's
// training spec gets no perturbation (trainRegNet then builds the spec it
// built before the setting existed, diff cache included); above 0 each
// step's noise is the same in every run, differs between steps, changes x
// alone and has the asked standard deviation.
func TestNoiseSigmaZeroTrainsAsBefore(t *testing.T) {
	s := op.NewScope()
	m := &graphs.Model{Inputs: []tf.Output{op.Placeholder(s.SubScope("x"), tf.Float), op.Placeholder(s.SubScope("s"), tf.Float)}}
	if trainingNoise(regnetOf(ciConfig(t), ""), m, results.InputDS) != nil || thenPerturb(nil, nil) != nil {
		t.Fatal("noise_sigma 0 perturbs the training batches")
	}
	const sigma, n = 0.2, 20000
	set := regnetOf(ciConfig(t, "regnet.noise_sigma=0.2"), "")
	noisy := func(step int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 0.5
		}
		seg := tfrun.MustFloat32(x, n)
		feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: tfrun.MustFloat32(x, n), m.Inputs[1]: seg}
		if err := trainingNoise(set, m, results.InputDS)(nil, feeds, step); err != nil {
			t.Fatal(err)
		}
		if feeds[m.Inputs[1]] != seg {
			t.Error("the noise changed the segmentation")
		}
		return tfrun.Floats(feeds[m.Inputs[0]])
	}
	a, b, c := noisy(3), noisy(3), noisy(4)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Error("the noise of a step is not the same in every run, or repeats between steps")
	}
	var sum, sq float64
	for _, v := range a {
		d := float64(v) - 0.5
		sum, sq = sum+d, sq+d*d
	}
	mean, sd := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n))
	if math.Abs(mean) > 0.01 || math.Abs(sd-sigma) > 0.01 {
		t.Errorf("noise mean %.4f, sd %.4f; want 0, %g", mean, sd, sigma)
	}
}

// checkCertify runs the certify stage on the networks TestPipelineEndToEnd
// trained, then checks its certificates on them: for random
// perturbations δ of L2 norm r, and for δ along the loss gradient (both
// signs), the smoothed prediction at x + δ, estimated from fresh noise,
// stays inside the interval certified at x.
func checkCertify(t *testing.T, cfg config.Config, out, store string) {
	t.Helper()
	cfg.Certify = config.Certify{Enabled: true, Sigma: []float64{0.25}, Samples: 40, Alpha: 0.05, Radii: []float64{0, 0.1, 0.25}, Batch: 64}
	stdout, log, err := runPipeline(t, cfg, out, store, results.StageCertify)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if !strings.Contains(stdout, "Certified") {
		t.Errorf("stdout lacks the certified table:\n%s", stdout)
	}
	var cert results.Certified
	readJSON(t, filepath.Join(out, "results", "certified.json"), &cert)
	for _, in := range certifiedInputs {
		for _, r := range cfg.Certify.Radii {
			row := cert.Row(in, 0.25, r)
			if row == nil || row.N != cfg.Pool.Test || !(row.SmoothedMAE < 0.5) || !(row.Abstain >= 0 && row.Abstain <= 1) || !(row.Decisions >= row.CorrectDecisions) {
				t.Errorf("certified.json: %s at radius %g: %+v", in, r, row)
			}
		}
		if w0, w := cert.Row(in, 0.25, 0).Width, cert.Row(in, 0.25, 0.25).Width; !(w0 <= w) {
			t.Errorf("%s: intervals narrower at radius 0.25 (%g) than at 0 (%g)", in, w, w0)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "results", "figures", "certified_decisions.png")); err != nil {
		t.Error(err)
	}

	up, prep := trainedUpstream(t, cfg, store)
	test, err := up.pool(results.Test)
	if err != nil {
		t.Fatal(err)
	}
	const sigma, r, alpha, n, samples = 0.25, 0.25, 0.01, 300, 10
	lo, hi, ok := stats.SmoothingIndices(n, sigma, r, alpha)
	if !ok {
		t.Fatal("abstains")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	checks, violations, moved := 0, 0, 0.0
	for _, in := range certifiedInputs {
		m, sess, closeFn, err := up.regNets(netsOf(cfg)).open(in, prep.Px)
		if err != nil {
			t.Fatal(err)
		}
		sm := smoother{sess: sess, m: m, px: prep.Px, batch: 100}
		npx := prep.Px * prep.Px
		for i := range samples {
			img, mask := poolPair(prep, test)(i * test.Len() / samples)
			s := toFloat(mask)
			g, err := sess.Run(map[tf.Output]*tf.Tensor{
				m.Inputs[0]: images(img, 1, prep.Px), m.Inputs[1]: images(s, 1, prep.Px), m.Target: tfrun.MustFloat32([]float32{0.5}, 1),
			}, []tf.Output{m.InputGrads[0]}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var deltas [][]float32
			for range 2 {
				d := make([]float32, npx)
				for q := range d {
					d[q] = float32(rng.NormFloat64())
				}
				deltas = append(deltas, d)
			}
			grad := tfrun.Floats(g[0])
			deltas = append(deltas, grad, scaled(grad, -1))
			xs, ss := [][]float32{img}, [][]float32{s}
			for _, d := range deltas {
				d = scaled(d, r/norm(d))
				shifted := make([]float32, npx)
				for q := range shifted {
					shifted[q] = img[q] + d[q]
				}
				xs, ss = append(xs, shifted), append(ss, s)
			}
			ys, err := sm.outputs(context.Background(), xs, ss, n, sigma, rng, nil)
			if err != nil {
				t.Fatal(err)
			}
			c := stats.Certify(ys[0], lo, hi, ok)
			for _, y := range ys[1:] {
				med := stats.SmoothedMedian(y)
				checks++
				moved = math.Max(moved, math.Abs(med-c.Median))
				if med < c.Lo || med > c.Hi {
					violations++
					t.Logf("%s sample %d: smoothed prediction %.4f at x + δ outside [%.4f, %.4f] certified at x", in, i, med, c.Lo, c.Hi)
				}
			}
		}
		closeFn()
	}
	// Each interval fails with probability at most α; the median at x + δ
	// is itself estimated from n draws. A few misses at most.
	if violations > 1+checks/50 {
		t.Errorf("%d of %d smoothed predictions at x + δ left their certified interval", violations, checks)
	}
	if moved == 0 {
		t.Error("no perturbation moved a smoothed prediction: the check is vacuous")
	}
	t.Logf("certify: %d of %d perturbed smoothed predictions outside their interval; the largest move %.4f", violations, checks, moved)
}

func norm(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func scaled(v []float32, k float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) * k)
	}
	return out
}

// TestCertifiedRowCounts: on made-up outputs, the row's figures are what
// their definitions give: a constant network certifies every decision,
// right or wrong; a sample with too few draws for the radius abstains.
func TestCertifiedRowCounts(t *testing.T) {
	constant := func(v float64, n int) certifiedSample {
		s := make(certifiedSample, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	samples := []certifiedSample{constant(0.9, 50), constant(0.5, 50), constant(0.8, 50)}
	dice := []float64{0.95, 0.4, 0.6} // the third decision is certified and wrong
	row := certifiedRow(results.InputXS, 0.25, 0.1, samples, dice, 0.05, 0.7)
	want := results.CertifiedRow{Input: results.InputXS, Method: results.InputXS.Name(), Sigma: 0.25, Radius: 0.1, N: 3,
		SmoothedMAE: results.Number((0.05 + 0.1 + 0.2) / 3), ErrorBound: results.Number((0.05 + 0.1 + 0.2) / 3),
		Decisions: 1, CorrectDecisions: results.Number(2.0 / 3), Width: 0, Abstain: 0}
	if math.Abs(float64(row.SmoothedMAE-want.SmoothedMAE)) > 1e-12 || math.Abs(float64(row.ErrorBound-want.ErrorBound)) > 1e-12 {
		t.Errorf("MAE %g, error bound %g; want %g", row.SmoothedMAE, row.ErrorBound, want.SmoothedMAE)
	}
	row.SmoothedMAE, row.ErrorBound = want.SmoothedMAE, want.ErrorBound
	if row != want {
		t.Errorf("row %+v, want %+v", row, want)
	}
	// 50 draws cannot certify r/σ = 4 at α 0.05: (1 − Φ(−4))^50 > 0.025.
	if r := certifiedRow(results.InputDS, 0.25, 1, samples, dice, 0.05, 0.7); r.Abstain != 1 || r.Decisions != 0 || !math.IsNaN(float64(r.ErrorBound)) {
		t.Errorf("beyond what 50 draws certify: %+v", r)
	}
}
