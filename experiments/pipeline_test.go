package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tensorboard"
	"github.com/segqa/segqa/harness/tfrun"
)

func ciConfig(t *testing.T, sets ...string) config.Config {
	t.Helper()
	cfg, err := config.Load("../configs/ci.yaml", nil, sets)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runPipeline(t *testing.T, cfg config.Config, out, store string, stages ...results.StageName) (stdout, log string, err error) {
	t.Helper()
	var so, lg bytes.Buffer
	err = Run(context.Background(), cfg, Env{
		Out: out, Store: store, Stages: stages, Log: &lg,
		Session: tfrun.Options{Threads: 2, Device: "cpu"}, Render: testRender,
	})
	if err == nil && testRender.Summary != nil {
		err = testRender.Summary(&so, out, stages)
	}
	return so.String(), lg.String(), err
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestPipelineEndToEnd runs the ci config through every stage, checks what a
// user reads (dataset.json, pool.json, Tables 1 and 2), then checks that a
// second run skips everything and that a downstream-only change re-runs
// only the stages below it.
func TestPipelineEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("trains every network of the pipeline")
	}
	// Nine phantoms more calibrate patient-level intervals (the fewest at
	// alpha 0.1), on a pool of their own.
	cfg := ciConfig(t, "data.calib_patients=9", "pool.calib=50", "eval.conformal=patient")
	out, store := t.TempDir(), t.TempDir()
	stdout, log, err := runPipeline(t, cfg, out, store)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	for _, want := range []string{"Table 1", "Table 2", "Robinson et al.", "proposed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}

	var ds results.Dataset
	readJSON(t, filepath.Join(out, "results", "dataset.json"), &ds)
	seen := map[string]results.Split{}
	for _, split := range splitsAndCalib() {
		s := ds.Splits[split]
		if s.Patients == 0 || s.Slices == 0 {
			t.Errorf("dataset.json: split %s has %d patients, %d slices", split, s.Patients, s.Slices)
		}
		for _, id := range s.IDs {
			if other, ok := seen[id]; ok {
				t.Errorf("patient %s in splits %s and %s", id, other, split)
			}
			seen[id] = split
		}
	}

	var pool results.Pool
	readJSON(t, filepath.Join(out, "results", "pool.json"), &pool)
	totals := map[results.Split]int{results.Train: cfg.Pool.Train, results.Val: cfg.Pool.Val, results.Test: cfg.Pool.Test, results.Calib: cfg.Pool.Calib}
	for split, want := range totals {
		s := pool[split]
		sum := 0
		for _, b := range s.Bins {
			if b.Sampled != want/cfg.Pool.Bins {
				t.Errorf("pool %s bin [%.1f, %.1f): %d samples, want %d", split, b.Lo, b.Hi, b.Sampled, want/cfg.Pool.Bins)
			}
			sum += b.Sampled
		}
		if sum != want || len(s.Bins) != cfg.Pool.Bins {
			t.Errorf("pool %s: %d samples in %d bins, want %d in %d", split, sum, len(s.Bins), want, cfg.Pool.Bins)
		}
	}

	var t1 struct {
		Rows []struct {
			Method string  `json:"method"`
			MAE    float64 `json:"mae"`
			N      int     `json:"n"`
		} `json:"rows"`
	}
	readJSON(t, filepath.Join(out, "results", "table1.json"), &t1)
	if len(t1.Rows) != 3 || t1.Rows[0].N != cfg.Pool.Test || t1.Rows[2].Method != results.MethodAgreement {
		t.Errorf("table1.json rows %+v, want the two REG-Nets and the agreement baseline", t1.Rows)
	}
	// Predicting 0.5 everywhere scores 0.25 on a Dice-uniform pool. The
	// agreement baseline's members are far from converged on ci.yaml: its
	// MAE is logged, not asserted.
	for _, r := range t1.Rows {
		t.Logf("Table 1: %s MAE %.3f", r.Method, r.MAE)
		if r.Method != results.MethodAgreement && !(r.MAE < 0.2) {
			t.Errorf("%s: MAE %.3f does not clearly beat the blind predictor's 0.25", r.Method, r.MAE)
		}
	}
	var t2 struct {
		Rows []struct {
			ID     results.RowID `json:"id"`
			Attack string        `json:"attack"`
			Eps    []float64     `json:"eps"`
			MAE    []float64     `json:"mae"`
		} `json:"rows"`
	}
	readJSON(t, filepath.Join(out, "results", "table2.json"), &t2)
	if len(t2.Rows) != len(attackSpecs(cfg.Attack, cfg.Eval.FailBelow))+len(worstSpecs)+2 || len(t2.Rows[0].MAE) != len(cfg.Attack.Eps) { // +2: the agreement baseline under FGSM and PGD
		t.Fatalf("table2.json rows %+v", t2.Rows)
	}
	byID := map[results.RowID][]float64{}
	for _, r := range t2.Rows {
		byID[r.ID] = r.MAE
		for k := 1; k < len(r.MAE); k++ {
			if r.MAE[k] < r.MAE[k-1]-0.02 {
				t.Errorf("%s: MAE falls from %.3f to %.3f as epsilon grows", r.Attack, r.MAE[k-1], r.MAE[k])
			}
		}
	}
	for k := range cfg.Attack.Eps {
		adaptive, transfer := byID[results.RowProposedFGSMx][k], byID[results.RowProposedTransfer][k]
		if adaptive < transfer-0.02 {
			t.Errorf("eps %g: the adaptive attack (MAE %.3f) is weaker than the transfer attack (%.3f)", cfg.Attack.Eps[k], adaptive, transfer)
		}
	}
	checkWorstCase(t, cfg, out)
	checkClaims(t, cfg, out)
	checkQC(t, cfg, out)
	checkDifferenceImages(t, cfg, out, store)
	checkCheckpoints(t, cfg, store)
	checkCertify(t, cfg, t.TempDir(), store)
	checkEventFiles(t, cfg, out)
	for _, f := range []string{"data_samples.png", "pool_histograms.png", "table1_scatter.png", "table2_mae_vs_eps.png", "table2_clean_vs_robust.png",
		"risk_coverage_clean.png", "reliability.png", "risk_coverage_attack.png"} {
		if _, err := os.Stat(filepath.Join(out, "results", "figures", f)); err != nil {
			t.Errorf("figure %s: %v", f, err)
		}
	}

	// The same command again: every stage is skipped, results are the same.
	stdout2, log2, err := runPipeline(t, cfg, out, store)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log2, "running") {
		t.Errorf("second run re-ran stages:\n%s", log2)
	}
	if stdout2 != stdout {
		t.Errorf("the rerun printed other tables:\n%s\nfirst run:\n%s", stdout2, stdout)
	}

	// A REG-Net setting changes: data, zoo, pool and recnet are reused.
	cfg.RegNet.Epochs = 2
	_, log3, err := runPipeline(t, cfg, t.TempDir(), store, "data", "zoo", "pool", "recnet", "regnet")
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"data", "zoo", "pool", "recnet"} {
		if !strings.Contains(log3, "stage "+stage+": done before") {
			t.Errorf("stage %s was not reused after a regnet-only change:\n%s", stage, log3)
		}
	}
	if !strings.Contains(log3, "stage regnet: running") {
		t.Errorf("regnet did not re-run after its setting changed:\n%s", log3)
	}
}

// checkClaims: the run's Table 2 records every claim by ID; the tie is an
// equivalence test with eval.tie_margin and the claim on the worst cases on
// x is checked at every ε, from per-sample predictions that give each
// sampled row's MAE.
func checkClaims(t *testing.T, cfg config.Config, out string) {
	t.Helper()
	var t2 results.Table2
	readJSON(t, filepath.Join(out, "results", "table2.json"), &t2)
	for _, id := range results.ClaimIDs {
		if _, ok := t2.Claim(id); !ok {
			t.Errorf("table2.json lacks the claim %s", id)
		}
	}
	if tie, _ := t2.Claim(results.ClaimTie); tie.Equivalence == nil || tie.Equivalence.Margin != cfg.Eval.TieMargin {
		t.Errorf("tie claim %+v, want an equivalence test with margin %g", tie, cfg.Eval.TieMargin)
	}
	if w, _ := t2.Claim(results.ClaimWorstX); w.Unchecked || w.Paired == nil || len(w.Paired.At) != len(cfg.Attack.Eps) {
		t.Errorf("claim on the worst cases on x: %+v, want a paired test at each of %d ε", w, len(cfg.Attack.Eps))
	}
	if t2.Samples == nil {
		t.Fatal("table2.json stores no per-sample predictions")
	}
	for _, id := range results.SampledRows {
		r := t2.Row(id)
		for k := range r.Eps {
			if mae, _ := stats.MAE(t2.Samples.Rows[id][k], t2.Samples.TrueDice); math.Abs(mae-r.MAE[k]) > 1e-12 {
				t.Errorf("%s at ε %g: the stored predictions' MAE %g, the row's %g", id, r.Eps[k], mae, r.MAE[k])
			}
		}
	}
}

// checkWorstCase: in the run's Table 2, each worst-case row is at no
// epsilon below any attack it covers.
func checkWorstCase(t *testing.T, cfg config.Config, out string) {
	t.Helper()
	var t2 results.Table2
	readJSON(t, filepath.Join(out, "results", "table2.json"), &t2)
	for _, w := range worstSpecs {
		worst := t2.Row(w.id)
		if worst == nil {
			t.Fatalf("table2.json has no row %q", w.id)
		}
		for _, spec := range attackSpecs(cfg.Attack, cfg.Eval.FailBelow) {
			if !w.covers(spec) {
				continue
			}
			r := t2.Row(spec.id)
			for k, e := range worst.Eps {
				if worst.MAE[k] < r.MAE[k] {
					t.Errorf("eps %g: %s MAE %.4f below %s's %.4f", e, w.id, worst.MAE[k], spec.id, r.MAE[k])
				}
			}
		}
		t.Logf("%s: MAE %v (clean %.3f)", w.id, worst.MAE, worst.CleanMAE)
	}
}

func TestPoolFillErrorNamesSplitAndBin(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo")
	}
	cfg := ciConfig(t, "pool.fill=error", "zoo.epochs=1", "pool.test=500", "pool.bins=10")
	_, _, err := runPipeline(t, cfg, t.TempDir(), t.TempDir(), "data", "zoo", "pool")
	if err == nil {
		t.Fatal("a pool the zoo cannot fill was accepted")
	}
	for _, want := range []string{"split", "bin", "short by"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestDice(t *testing.T) {
	cases := []struct {
		a, b []uint8
		want float64
	}{
		{[]uint8{0, 0}, []uint8{0, 0}, 1},
		{[]uint8{1, 0}, []uint8{0, 0}, 0},
		{[]uint8{1, 1}, []uint8{1, 1}, 1},
		{[]uint8{1, 1, 0, 0}, []uint8{0, 1, 1, 0}, 0.5},
		{[]uint8{1, 0}, []uint8{0, 1}, 0},
	}
	for _, c := range cases {
		if got := Dice(c.a, c.b); got != c.want {
			t.Errorf("Dice(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestPackBitsRoundTrip(t *testing.T) {
	m := []uint8{1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1}
	got := unpackBits(packBits(m), len(m))
	if !bytes.Equal(got, m) {
		t.Errorf("round trip %v -> %v", m, got)
	}
}

// trainedUpstream opens the stages a pipeline test trained in store, with
// its prepared slices.
func trainedUpstream(t *testing.T, cfg config.Config, store string) (*upstream, *Prepared) {
	t.Helper()
	up := storeUpstream(Keys(cfg, ""), store, tfrun.Options{Threads: 2, Device: "cpu"})
	prep, err := up.prepared()
	if err != nil {
		t.Fatal(err)
	}
	return up, prep
}

// checkDifferenceImages checks the premise of the method on the trained
// pipeline: the difference image is smaller for ground-truth masks than for
// shifted or eroded ones.
func checkDifferenceImages(t *testing.T, cfg config.Config, out, store string) {
	t.Helper()
	up, prep := trainedUpstream(t, cfg, store)
	m, sess, closeFn, err := up.regNets(netsOf(cfg)).open(results.InputDS, prep.Px)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	idx := prep.Index["test"]
	px := prep.Px
	// d is averaged over the pixels the segmentation hides, the ones REC-Net
	// has to infer. Over the whole image a smaller mask always wins, as less
	// has to be reconstructed.
	meanD := func(mask func(gt []uint8) []uint8) float64 {
		var x, s []float32
		var roi []uint8
		for _, i := range idx {
			seg := mask(prep.Slices[i].Mask)
			x = append(x, prep.Slices[i].Image...)
			s = append(s, toFloat(seg)...)
			roi = append(roi, seg...)
		}
		n := int64(len(idx))
		res, err := sess.Run(map[tf.Output]*tf.Tensor{
			m.Inputs[0]: tfrun.MustFloat32(x, n, int64(px), int64(px), 1),
			m.Inputs[1]: tfrun.MustFloat32(s, n, int64(px), int64(px), 1),
		}, []tf.Output{m.Diff}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sum, n2 float64
		for k, v := range tfrun.Floats(res[0]) {
			if roi[k] != 0 {
				sum += float64(v)
				n2++
			}
		}
		return sum / n2
	}
	gt := meanD(func(m []uint8) []uint8 { return m })
	shifted := meanD(func(m []uint8) []uint8 { return shift(m, px, 3, 2) })
	dilated := meanD(func(m []uint8) []uint8 { return morph(m, px, true) })
	// Erosion leaves the rim of the structure visible, which REC-Net then
	// copies: d does not single it out (the REG-Net sees s for that). It is
	// logged, not asserted.
	eroded := meanD(func(m []uint8) []uint8 { return morph(m, px, false) })
	t.Logf("mean d over hidden pixels: ground truth %.4f, shifted %.4f, dilated %.4f, eroded %.4f", gt, shifted, dilated, eroded)
	if !(gt < shifted && gt < dilated) {
		t.Errorf("mean d for ground truth %.4f is not below shifted %.4f and dilated %.4f", gt, shifted, dilated)
	}
}

func TestSameSeedSamePool(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo")
	}
	cfg := ciConfig(t, "zoo.epochs=1,2")
	var pools [2][]byte
	for i := range pools {
		out := t.TempDir()
		if _, log, err := runPipeline(t, cfg, out, filepath.Join(out, "stages"), "data", "zoo", "pool"); err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		key := Keys(cfg, "")["pool"]
		raw, err := os.ReadFile(filepath.Join(out, "stages", "pool-"+key, "test.bin"))
		if err != nil {
			t.Fatal(err)
		}
		pools[i] = raw
	}
	if !bytes.Equal(pools[0], pools[1]) {
		t.Error("the same config and seed gave two different test pools")
	}
}

// checkEventFiles reads the TensorBoard event files of a run back, record
// by record, and compares REC-Net's scalars with its history.
func checkEventFiles(t *testing.T, cfg config.Config, out string) {
	t.Helper()
	var hist results.History
	readJSON(t, filepath.Join(out, results.RecNetHistoryFile), &hist)
	events, err := tensorboard.ReadDir(filepath.Join(out, "tensorboard", "recnet"))
	if err != nil {
		t.Fatal(err)
	}
	scalars := tensorboard.Scalars(events)
	for tag, value := range map[string]func(results.Epoch) float64{
		tensorboard.TagTrainLoss:  func(e results.Epoch) float64 { return e.TrainLoss },
		tensorboard.TagValLoss:    func(e results.Epoch) float64 { return e.ValLoss },
		tensorboard.TagThroughput: func(e results.Epoch) float64 { return e.ImagesPS },
	} {
		points := scalars[tag]
		if len(points) != len(hist.History) {
			t.Errorf("recnet %s: %d points for %d epochs", tag, len(points), len(hist.History))
			continue
		}
		for i, e := range hist.History {
			if points[i].Step != int64(e.Epoch) || float32(points[i].Value) != float32(value(e)) {
				t.Errorf("recnet %s at step %d: %v, history epoch %d: %v", tag, points[i].Step, points[i].Value, e.Epoch, value(e))
			}
		}
	}
	if len(tensorboard.Images(events)) == 0 {
		t.Error("recnet's event file has no reconstructions")
	}
	for _, in := range cfg.RegNet.Inputs {
		events, err := tensorboard.ReadDir(filepath.Join(out, "tensorboard", "regnet-"+string(in)))
		if err != nil || len(tensorboard.Scalars(events)[tensorboard.TagValMetric]) == 0 {
			t.Errorf("regnet-%s: no validation metric in its event files (%v)", in, err)
		}
	}
}

// checkQC: every row of Tables 1 and 2 carries the quality-control
// figures, in range, one per ε in Table 2; AURC is never below the best
// ordering's; an ε's flip rate is 0 only if its predictions keep every
// decision.
func checkQC(t *testing.T, cfg config.Config, out string) {
	t.Helper()
	in01 := func(x float64) bool { return x >= 0 && x <= 1 }
	var t1 results.Table1
	readJSON(t, filepath.Join(out, "results", "table1.json"), &t1)
	for _, r := range t1.Rows {
		q := r.QC
		if q == nil {
			t.Errorf("Table 1 %s (%s): no quality-control figures", r.Method, r.Input)
			continue
		}
		t.Logf("Table 1 %s (%s): AUROC %.3f, AURC %.3f (best %.3f), missed %.3f, coverage %.3f, width %.3f", r.Method, r.Input, q.AUROC, q.AURC, q.AURCOptimal, q.MissedFailures, q.Coverage, q.IntervalWidth)
		if !in01(q.AUROC) || !in01(q.AUPRC) || !in01(q.Coverage) || !in01(q.IntervalWidth) || !in01(q.MissedFailures) || q.AURC < q.AURCOptimal-1e-12 {
			t.Errorf("Table 1 %s (%s): figures out of range: %+v", r.Method, r.Input, *q)
		}
		if q.CoverageCI == nil || !(q.CoverageCI.Lo <= q.Coverage && q.Coverage <= q.CoverageCI.Hi) {
			t.Errorf("Table 1 %s (%s): coverage %.3f, interval %+v", r.Method, r.Input, q.Coverage, q.CoverageCI)
		}
		if b := q.Band; b == nil || b.Lo != cfg.Eval.Band[0] || b.N == 0 || b.N > r.N || (!math.IsNaN(b.AUROC) && !in01(b.AUROC)) {
			t.Errorf("Table 1 %s (%s): band %+v", r.Method, r.Input, q.Band)
		}
		samples := 0
		for _, g := range q.Groups {
			samples += g.Samples
		}
		if len(q.Groups) == 0 || samples != r.N {
			t.Errorf("Table 1 %s (%s): groups %+v cover %d of %d samples", r.Method, r.Input, q.Groups, samples, r.N)
		}
	}
	var t2 results.Table2
	readJSON(t, filepath.Join(out, "results", "table2.json"), &t2)
	for _, r := range t2.Rows {
		if len(r.QC) != len(cfg.Attack.Eps) || r.CleanQC == nil || r.CleanQC.FlipRate != 0 {
			t.Errorf("Table 2 %s: %d QCs for %d ε, clean %+v", r.Attack, len(r.QC), len(cfg.Attack.Eps), r.CleanQC)
			continue
		}
		for k, q := range r.QC {
			if !in01(q.FlipRate) || !in01(q.MissedFailures) || !in01(q.Coverage) || q.Band == nil {
				t.Errorf("Table 2 %s, ε %g: %+v", r.Attack, r.Eps[k], q)
			}
		}
	}
	var c results.Conformal
	readJSON(t, filepath.Join(out, filepath.FromSlash(results.ConformalFile)), &c)
	if c.Alpha != cfg.Eval.Alpha || c.Calibration != cfg.Pool.Calib || len(c.HalfWidth) != len(cfg.RegNet.Inputs) || c.Method != string(config.ConformalPatient) {
		t.Errorf("conformal.json %+v", c)
	}
	var ds results.Dataset
	readJSON(t, filepath.Join(out, filepath.FromSlash(results.DatasetFile)), &ds)
	if c.Pool != results.Calib || !slices.Equal(c.Patients, ds.Splits[results.Calib].IDs) || len(c.Patients) != cfg.Data.CalibPatients {
		t.Errorf("conformal.json calibrated on the %s pool of %v, want the calibration patients %v", c.Pool, c.Patients, ds.Splits[results.Calib].IDs)
	}
	for _, in := range cfg.RegNet.Inputs {
		n, ok := c.Networks[in]
		if !ok || n.Pool != results.Calib || n.TestPatients != ds.Splits[results.Test].Patients || !(n.CoverageCI[0] <= n.Coverage && n.Coverage <= n.CoverageCI[1]) {
			t.Errorf("conformal.json: network %s: %+v", in, n)
		}
	}
}
