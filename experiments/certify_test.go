package experiments

import (
	"math"
	"slices"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestCertifySettingsKeyTheirStage: every certify.* setting changes the
// certify stage's key and no other; regnet.noise_sigma changes the
// REG-Nets and everything below them, and at 0 no key at all.
func TestCertifySettingsKeyTheirStage(t *testing.T) {
	base := Keys(ciConfig(t), "")
	below := []string{results.StageRegNet, results.StageTable1, results.StageTable2, results.StageCertify}
	for set, changes := range map[string][]string{
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
	p0 := &pipeline{cfg: ciConfig(t)}
	if p0.trainingNoise(m, results.InputDS) != nil || thenPerturb(nil, nil) != nil {
		t.Fatal("noise_sigma 0 perturbs the training batches")
	}
	const sigma, n = 0.2, 20000
	p := &pipeline{cfg: ciConfig(t, "regnet.noise_sigma=0.2")}
	noisy := func(step int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 0.5
		}
		seg := tfrun.MustFloat32(x, n)
		feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: tfrun.MustFloat32(x, n), m.Inputs[1]: seg}
		if err := p.trainingNoise(m, results.InputDS)(nil, feeds, step); err != nil {
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
