package experiments

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestDerangement: the derangement of the test pool moves every sample,
// is a permutation, and is the same for the same seed.
func TestDerangement(t *testing.T) {
	for _, n := range []int{2, 3, 7, 100, 1000} {
		p := testDerangement(1, n)
		if len(p) != n {
			t.Fatalf("n %d: %d entries", n, len(p))
		}
		seen := make([]bool, n)
		for i, j := range p {
			if i == j {
				t.Errorf("n %d: sample %d keeps its own image", n, i)
			}
			if seen[j] {
				t.Errorf("n %d: sample %d's image given twice", n, j)
			}
			seen[j] = true
		}
		if !slices.Equal(p, testDerangement(1, n)) {
			t.Errorf("n %d: the same seed drew two derangements", n)
		}
		if n > 3 && slices.Equal(p, testDerangement(2, n)) {
			t.Errorf("n %d: seeds 1 and 2 drew the same derangement", n)
		}
	}
	if testDerangement(1, 1) != nil || testDerangement(1, 0) != nil {
		t.Error("a pool of fewer than two samples has a derangement")
	}
	for seed := range uint64(50) {
		if p := derangement(2, rand.New(rand.NewPCG(seed, 0))); p[0] != 1 || p[1] != 0 {
			t.Errorf("seed %d: derangement of two is %v", seed, p)
		}
	}
}

// TestSensitivityMinKeysTable1Alone: eval.sensitivity_min changes Table 1's
// key and no other; the inputs' s changes Table 2's too (its row of the
// network on s alone), not the REG-Net stage's, where each input trains
// in its own folder.
func TestSensitivityMinKeysTable1Alone(t *testing.T) {
	base := Keys(ciConfig(t), "")
	for set, changes := range map[string][]results.StageName{
		"eval.sensitivity_min=0.05": {results.StageTable1},
		"regnet.inputs=xs,ds,s":     {results.StageTable1, results.StageTable2},
	} {
		k := Keys(ciConfig(t, set), "")
		for _, name := range results.Stages {
			if changed := k[name] != base[name]; changed != slices.Contains(changes, name) {
				t.Errorf("%s: stage %s key changed %v", set, name, changed)
			}
		}
	}
}

// TestSegmentationAloneAndInputSensitivity trains the REG-Nets on (x, s),
// (d, s) and s alone on ci.yaml and runs Table 1. The network on s alone
// has no image input, so its predictions do not move when every image of
// the data set is replaced; Table 1 records the input sensitivity of the
// others and none for it. The (x, s) network, which uses its image, is not
// flagged; the same network fed a constant image (every slice's image
// zero) is.
func TestSegmentationAloneAndInputSensitivity(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three REG-Nets")
	}
	cfg := ciConfig(t, "regnet.inputs=xs,ds,s", "eval.agreement_members=0", "recnet.epochs=3", "report.figures=false", "report.tensorboard=false")
	out, store := t.TempDir(), t.TempDir()
	stages := []results.StageName{results.StageData, results.StageZoo, results.StagePool, results.StageRecNet, results.StageRegNet, results.StageTable1}
	if _, log, err := runPipeline(t, cfg, out, store, stages...); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	var t1 results.Table1
	readJSON(t, filepath.Join(out, "results", "table1.json"), &t1)
	for _, in := range cfg.RegNet.Inputs {
		r := t1.Row(in.Table1ID())
		if r == nil {
			t.Fatalf("Table 1 has no row %s: %+v", in, t1.Rows)
		}
		s := r.Sensitivity
		if in == results.InputS {
			if s != nil || r.Method != results.MethodSegmentation {
				t.Errorf("the network on s alone: %+v, sensitivity %+v", *r, s)
			}
			t.Logf("s alone: MAE %.3f", r.MAE)
			continue
		}
		if s == nil || s.Image != in.ImageInputs() || s.Min != cfg.Eval.SensitivityMin || math.IsNaN(s.Moved()) {
			t.Errorf("%s: sensitivity %+v", in, s)
			continue
		}
		t.Logf("%s: MAE %.3f; zeroed MAE %.3f, |Δ| %.3f; shuffled MAE %.3f, |Δ| %.3f; flagged %v",
			in, r.MAE, s.Zeroed.MAE, s.Zeroed.MeanAbsDelta, s.Shuffled.MAE, s.Shuffled.MeanAbsDelta, s.IgnoresImage)
	}
	if s := t1.Row(results.InputXS.Table1ID()).Sensitivity; s == nil || s.IgnoresImage {
		t.Errorf("the (x, s) network, which uses its image, is flagged: %+v", s)
	}

	up, prep := trainedUpstream(t, cfg, store)
	ev := &evaluation{up: up, prep: prep, nets: up.regNets(netsOf(cfg))}
	test, err := ev.test()
	if err != nil {
		t.Fatal(err)
	}
	m, err := ev.nets.model(op.NewScope(), results.InputS, prep.Px)
	if err != nil || len(m.Inputs) != 1 {
		t.Fatalf("the network on s alone has inputs %v (%v), want s alone", m.Inputs, err)
	}
	own, err := ev.predict(test, results.InputS)
	if err != nil {
		t.Fatal(err)
	}
	noise := rand.New(rand.NewPCG(3, 4))
	other := *ev
	other.prep = withImages(prep, func([]float32) []float32 {
		x := make([]float32, prep.Px*prep.Px)
		for i := range x {
			x[i] = float32(2*noise.Float64() - 1)
		}
		return x
	})
	moved, err := other.predict(test, results.InputS)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(own.dice, moved.dice) {
		t.Error("the network on s alone predicts otherwise when every image is replaced by noise")
	}

	other.prep = withImages(prep, func(x []float32) []float32 { return make([]float32, len(x)) })
	fed, err := other.predict(test, results.InputXS)
	if err != nil {
		t.Fatal(err)
	}
	s, err := other.sensitivity(test, fed, testDerangement(cfg.Seed, test.Len()), cfg.Eval.SensitivityMin)
	if err != nil {
		t.Fatal(err)
	}
	if s == nil || !s.IgnoresImage || s.Moved() != 0 {
		t.Errorf("the (x, s) network fed a constant image is not flagged: %+v", s)
	}
	checkSegmentationRow(t, cfg, store)
}

// checkSegmentationRow runs Table 2, with the attacks that need no
// gradient-free checks, on the REG-Nets trained in store: its row of the
// network on s alone is its MAE without attack at every ε, with no
// decision flipped, and no claim compares it.
func checkSegmentationRow(t *testing.T, cfg config.Config, store string) {
	t.Helper()
	cfg.Attack.Strong, cfg.Attack.Samples = false, 30
	out := t.TempDir()
	if _, log, err := runPipeline(t, cfg, out, store, results.StageTable2); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	var t2 results.Table2
	readJSON(t, filepath.Join(out, "results", "table2.json"), &t2)
	r := t2.Row(results.RowSegmentationNone)
	if r == nil {
		t.Fatal("Table 2 has no row of the network on s alone")
	}
	if len(r.MAE) != len(cfg.Attack.Eps) || len(r.QC) != len(cfg.Attack.Eps) || r.N != cfg.Attack.Samples || r.Attack != results.AttackNone {
		t.Fatalf("row of the network on s alone: %+v", *r)
	}
	for k := range r.Eps {
		if r.MAE[k] != r.CleanMAE || r.Std[k] != r.CleanStd || r.QC[k].FlipRate != 0 {
			t.Errorf("ε %g: MAE %g ± %g, flips %g; without attack %g ± %g", r.Eps[k], r.MAE[k], r.Std[k], r.QC[k].FlipRate, r.CleanMAE, r.CleanStd)
		}
	}
	for _, c := range t2.Claims() {
		if strings.Contains(c.Evidence, results.AttackNone) || c.Paired != nil && (c.Paired.Baseline == r.ID || c.Paired.Proposed == r.ID) {
			t.Errorf("claim %s uses the network on s alone: %+v", c.ID, c)
		}
	}
}

// withImages is prep with every slice's image replaced by image(old).
func withImages(prep *Prepared, image func(old []float32) []float32) *Prepared {
	out := *prep
	out.Slices = slices.Clone(prep.Slices)
	for i := range out.Slices {
		out.Slices[i].Image = image(out.Slices[i].Image)
	}
	return &out
}
