package score

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/data/phantom"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// testRender draws figures and tables as segqa's command does.
var testRender = experiments.Renderers{Figure: figures.Draw, Table: tables.Write}

// trainedRun runs configs/ci.yaml through the stages that score reads: the
// REG-Nets and what they are trained on, and Table 1 for the conformal
// intervals. The agreement baseline, which none of them reads, is left
// out; the certify settings are those the certify stage's check in
// experiments runs with (σ 0.25, 40 draws, α 0.05).
func trainedRun(t *testing.T) (out, store string) {
	t.Helper()
	cfg, err := config.Load("../../configs/ci.yaml", nil, []string{"eval.agreement_members=0",
		"certify.sigma=0.25", "certify.samples=40", "certify.alpha=0.05", "certify.batch=64"})
	if err != nil {
		t.Fatal(err)
	}
	out, store = t.TempDir(), t.TempDir()
	var log strings.Builder
	stages := []results.StageName{results.StageData, results.StageZoo, results.StagePool, results.StageRecNet, results.StageRegNet, results.StageTable1}
	err = experiments.Run(context.Background(), cfg, experiments.Env{
		Out: out, Store: store, Stages: stages, Log: &log,
		Session: tfrun.Options{Threads: 2, Device: "cpu"}, Render: testRender,
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	return out, store
}

// TestScore scores phantoms with a trained ci run: a right and a wrong
// segmentation, then with --certify.
func TestScore(t *testing.T) {
	if testing.Short() {
		t.Skip("trains REC-Net and the REG-Nets")
	}
	out, store := trainedRun(t)
	checkScore(t, out, store)
	checkCertify(t, out, store)
}

// TestScoreNeedsATrainedRun: a folder that is no run, and a run whose
// REG-Nets never finished, are refused, naming the folder.
func TestScoreNeedsATrainedRun(t *testing.T) {
	dir := t.TempDir()
	o := Options{Run: dir, Out: filepath.Join(dir, "out")}
	if _, err := Run(context.Background(), "img.nii.gz", "seg.nii.gz", o); err == nil || !strings.Contains(err.Error(), "is not a segqa run directory") {
		t.Errorf("no run: %v", err)
	}
	cfg, err := config.Load("../../configs/ci.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), cfg.JSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), "img.nii.gz", "seg.nii.gz", o); err == nil || !strings.Contains(err.Error(), "has no trained REG-Nets") {
		t.Errorf("untrained run: %v", err)
	}
}

// TestCertifyOptions: σ and radius 0 take the run's first; settings that
// cannot certify are refused.
func TestCertifyOptions(t *testing.T) {
	sc, err := certifyOptions(Options{}, 100, 0.05, []float64{0.12, 0.25}, []float64{0.05, 0.1})
	if err != nil || sc != (Certification{Sigma: 0.12, Radius: 0.05, Samples: 100, Alpha: 0.05}) {
		t.Errorf("the run's defaults: %+v, %v", sc, err)
	}
	sc, err = certifyOptions(Options{Sigma: 0.5, Radius: 0.2}, 100, 0.05, []float64{0.12}, []float64{0.05})
	if err != nil || sc.Sigma != 0.5 || sc.Radius != 0.2 {
		t.Errorf("asked σ and radius: %+v, %v", sc, err)
	}
	for _, bad := range []struct {
		samples int
		alpha   float64
		sigmas  []float64
	}{{2, 0.05, []float64{0.1}}, {100, 0, []float64{0.1}}, {100, 0.05, nil}} {
		if _, err := certifyOptions(Options{}, bad.samples, bad.alpha, bad.sigmas, nil); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
}

// ciAlpha is eval.alpha of configs/ci.yaml, which the scored run used.
const ciAlpha = 0.1

// checkScore scores a new phantom's ground truth and, as a wrong
// segmentation of the myocardium, its LV cavity, with the trained run.
func checkScore(t *testing.T, out, store string) {
	t.Helper()
	dir := t.TempDir()
	if err := acdc.WriteSynthetic(dir, 1, 99, phantom.Params{}, 2); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "patient001", "patient001_frame01.nii.gz")
	gt := filepath.Join(dir, "patient001", "patient001_frame01_gt.nii.gz")
	mean := func(label int) map[string]float64 {
		res, err := Run(context.Background(), img, gt, Options{Run: out, Store: store, Label: label, Out: filepath.Join(dir, fmt.Sprint(label)), Session: tfrun.Options{Threads: 2, Device: "cpu"}, Render: testRender})
		if err != nil {
			t.Fatal(err)
		}
		if res.ErrorMap == "" || len(res.Slices) == 0 {
			t.Fatalf("score wrote no error map or slices: %+v", res)
		}
		if res.Alpha != ciAlpha {
			t.Errorf("score: intervals at miscoverage %g, want the run's %g", res.Alpha, ciAlpha)
		}
		for _, s := range res.Slices {
			for in, p := range s.Predicted {
				if iv, ok := s.Interval[in]; !ok || !(iv[0] <= p && p <= iv[1] && iv[0] >= 0 && iv[1] <= 1) {
					t.Errorf("slice %d, %s: predicted %.3f, interval %v", s.Z, in, p, iv)
				}
			}
		}
		for _, f := range []string{res.ErrorMap, res.PreprocessedImage, filepath.Join(dir, fmt.Sprint(label), ResultFile), filepath.Join(dir, fmt.Sprint(label), FigureFile)} {
			if _, err := os.Stat(f); err != nil {
				t.Error(err)
			}
		}
		m, n := map[string]float64{}, 0.0
		for _, s := range res.Slices {
			if s.SegPixels == 0 {
				continue
			}
			n++
			for k, v := range s.Predicted {
				m[string(k)] += v
			}
			m["d"] += s.MeanD
		}
		for k := range m {
			m[k] /= n
		}
		return m
	}
	right, wrong := mean(2), mean(3)
	t.Logf("score: ground truth %v, LV cavity as myocardium %v", right, wrong)
	// The error map must flag the wrong segmentation, and the proposed
	// REG-Net rank it below the ground truth. This out-of-distribution
	// failure (a filled disc where a ring belongs) is where d helps: the
	// baseline (x, s) is logged, not asserted; on the tiny ci model it can
	// rank the two the wrong way round.
	if !(wrong["d"] > 1.5*right["d"]) {
		t.Errorf("mean d in the segmentation: ground truth %.3f, wrong %.3f; want the wrong one far higher", right["d"], wrong["d"])
	}
	if !(right[string(results.InputDS)] > wrong[string(results.InputDS)]) {
		t.Errorf("(d, s) scores the ground truth (%.3f) no higher than a wrong segmentation (%.3f)", right[string(results.InputDS)], wrong[string(results.InputDS)])
	}
}

// checkCertify: segqa score --certify gives every slice of a phantom
// a certified interval from each REG-Net at the radius asked for, around
// its smoothed prediction, and the table shows them.
func checkCertify(t *testing.T, out, store string) {
	t.Helper()
	dir := t.TempDir()
	if err := acdc.WriteSynthetic(dir, 1, 99, phantom.Params{}, 2); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "patient001", "patient001_frame01.nii.gz")
	gt := filepath.Join(dir, "patient001", "patient001_frame01_gt.nii.gz")
	res, err := Run(context.Background(), img, gt, Options{Run: out, Store: store, Out: filepath.Join(dir, "score"), Session: tfrun.Options{Threads: 2, Device: "cpu"}, Certify: true, Radius: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Certify; c == nil || c.Radius != 0.1 || c.Sigma != 0.25 || c.Samples != 40 {
		t.Fatalf("score --certify: %+v, want radius 0.1 at the run's σ 0.25 and 40 draws", c)
	}
	for _, s := range res.Slices {
		for _, in := range experiments.CertifiedInputs() {
			c, ok := s.Certified[in]
			if !ok || (!c.Abstain && !(float64(c.Lo) <= c.Median && c.Median <= float64(c.Hi))) {
				t.Errorf("slice %d, %s: certified %+v", s.Z, in, c)
			}
		}
	}
	if tab := res.Table(); !slices.Contains(tab.Header, results.InputDS.Name()+" certified") {
		t.Errorf("the score table has no certified column: %v", tab.Header)
	}
}
