package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLayersApplyInOrder(t *testing.T) {
	path := writeFile(t, "seed: 5\nrecnet:\n  lr: 0.01\n  epochs: 7\nzoo:\n  epochs: [1, 2]\n")
	env := []string{"SEGQA_RECNET_LR=0.02", "SEGQA_REGNET_EPOCHS=9", "HOME=/root", "SEGQA_TF_LOG=1"}
	c, err := Load(path, env, []string{"recnet.lr=0.03", "zoo.depths=2,3", "data.keep_empty=true"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Seed != 5 || c.RecNet.Epochs != 7 || c.RegNet.Epochs != 9 || c.RecNet.LR != 0.03 {
		t.Errorf("got seed %d recnet.epochs %d regnet.epochs %d recnet.lr %g", c.Seed, c.RecNet.Epochs, c.RegNet.Epochs, c.RecNet.LR)
	}
	if len(c.Zoo.Epochs) != 2 || c.Zoo.Epochs[1] != 2 || len(c.Zoo.Depths) != 2 || c.Zoo.Depths[1] != 3 || !c.Data.KeepEmpty {
		t.Errorf("got zoo %+v keep_empty %v", c.Zoo, c.Data.KeepEmpty)
	}
	if c.Data.Size != Default().Data.Size {
		t.Errorf("untouched data.size changed to %d", c.Data.Size)
	}
}

func TestBadConfigsNameTheKey(t *testing.T) {
	cases := []struct {
		name, yaml string
		env, sets  []string
		want       string
	}{
		{"unknown key in file", "recnet:\n  learning_rate: 0.1\n", nil, nil, "recnet.learning_rate"},
		{"unknown top-level key", "sed: 1\n", nil, nil, "sed"},
		{"wrong type", "zoo:\n  batch: many\n", nil, nil, "batch"},
		{"wrong bool", "data:\n  keep_empty: maybe\n", nil, nil, "keep_empty"},
		{"negative learning rate", "regnet:\n  lr: -0.001\n", nil, nil, "regnet.lr"},
		{"unknown --set", "", nil, []string{"recnet.lr_rate=1"}, "recnet.lr_rate"},
		{"unknown env", "", []string{"SEGQA_RECNET_SPEED=3"}, nil, "SEGQA_RECNET_SPEED"},
		{"size not divisible", "data:\n  size: 40\n", nil, nil, "data.size"},
		{"pool not multiple of bins", "pool:\n  test: 15\n", nil, nil, "pool.test"},
		{"bad device", "runtime:\n  device: tpu\n", nil, nil, "runtime.device"},
		{"bad network precision", "", nil, []string{"regnet.precision=float16"}, "regnet.precision"},
		{"bad zoo precision", "zoo:\n  precision: half\n", nil, nil, "zoo.precision"},
		{"broken yaml", "zoo: [\n", nil, nil, "c.yaml"},
		{"unknown attack key", "attack:\n  apgd_step: 5\n", nil, nil, "attack.apgd_step"},
		{"no APGD steps", "", nil, []string{"attack.apgd_steps=0"}, "attack.apgd_steps"},
		{"no APGD restarts", "", nil, []string{"attack.apgd_restarts=-1"}, "attack.apgd_restarts"},
		{"no queries", "attack:\n  queries: 0\n", nil, nil, "attack.queries"},
		{"fail_below of 1", "eval:\n  fail_below: 1\n", nil, nil, "eval.fail_below"},
		{"alpha of 0", "", nil, []string{"eval.alpha=0"}, "eval.alpha"},
		{"tie margin of 0", "", nil, []string{"eval.tie_margin=0"}, "eval.tie_margin"},
		{"tie margin of 0.5", "eval:\n  tie_margin: 0.5\n", nil, nil, "eval.tie_margin"},
		{"NaN tie margin", "", nil, []string{"eval.tie_margin=nan"}, "eval.tie_margin"},
		{"unknown eval key", "eval:\n  alfa: 0.1\n", nil, nil, "eval.alfa"},
		{"no hunt queries", "", nil, []string{"attack.hunt_queries=0"}, "attack.hunt_queries"},
		{"negative samples", "", nil, []string{"attack.samples=-1"}, "attack.samples"},
		{"NaN fail_below", "", nil, []string{"eval.fail_below=nan"}, "eval.fail_below"},
		{"bad adversarial", "regnet:\n  adversarial: madry\n", nil, nil, "regnet.adversarial"},
		{"bad adv_through", "", nil, []string{"regnet.adv_through=s"}, "regnet.adv_through"},
		{"negative adv_eps", "", nil, []string{"regnet.adv_eps=0.1,-0.1"}, "regnet.adv_eps"},
		{"NaN adv_eps", "", nil, []string{"regnet.adv_eps=nan"}, "regnet.adv_eps"},
		{"empty adv_eps", "regnet:\n  adversarial: pgd\n  adv_eps: []\n", nil, nil, "regnet.adv_eps"},
		{"adv_mix above 1", "", []string{"SEGQA_REGNET_ADV_MIX=1.5"}, nil, "regnet.adv_mix"},
		{"no adv_steps", "", nil, []string{"regnet.adv_steps=0"}, "regnet.adv_steps"},
		{"negative trades_beta", "", nil, []string{"regnet.trades_beta=-1"}, "regnet.trades_beta"},
		{"negative calib_patients", "", nil, []string{"data.calib_patients=-1"}, "data.calib_patients"},
		{"too few calibration patients", "", nil, []string{"data.calib_patients=8", "eval.conformal=patient"}, "needs at least 9 calibration patients"},
		{"bad conformal", "eval:\n  conformal: cluster\n", nil, nil, "eval.conformal"},
		{"calib pool not multiple of bins", "", nil, []string{"pool.calib=15"}, "pool.calib"},
		{"band upside down", "", nil, []string{"eval.band=0.9,0.5"}, "eval.band"},
		{"band of one value", "eval:\n  band: [0.5]\n", nil, nil, "eval.band"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.yaml != "" {
				path = writeFile(t, tc.yaml)
			}
			_, err := Load(path, tc.env, tc.sets)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// TestRobustSettingsDecode: the adversarial settings of both stages decode
// into their typed fields from a file and from --set.
func TestRobustSettingsDecode(t *testing.T) {
	path := writeFile(t, "regnet:\n  adversarial: trades\n  adv_eps: [0, 0.1]\n  adv_through: d\nattack:\n  apgd_steps: 7\n")
	c, err := Load(path, nil, []string{"regnet.adv_mix=0.25", "attack.queries=50", "regnet.trades_beta=6"})
	if err != nil {
		t.Fatal(err)
	}
	r := c.RegNet.Robust
	if r.Adversarial != AdvTRADES || len(r.AdvEps) != 2 || r.AdvEps[1] != 0.1 || r.AdvThrough != ThroughD || r.AdvMix != 0.25 || r.TradesBeta != 6 {
		t.Errorf("regnet robust settings %+v", r)
	}
	if c.Attack.APGDSteps != 7 || c.Attack.Queries != 50 || c.Attack.APGDRestarts != Default().Attack.APGDRestarts {
		t.Errorf("attack settings %+v", c.Attack)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load("/nonexistent/segqa.yaml", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/segqa.yaml") {
		t.Fatalf("error %v does not name the file", err)
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	c := Default()
	c.RecNet.LR = -1
	c.Zoo.Batch = 0
	err := c.Validate()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	for _, key := range []string{"recnet.lr", "zoo.batch"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("%q missing from %v", key, err)
		}
	}
}

func TestShippedConfigsLoad(t *testing.T) {
	paths, _ := filepath.Glob("../../configs/*.yaml")
	if len(paths) < 3 {
		t.Fatalf("found %d configs, want paper, quick and ci at least", len(paths))
	}
	for _, p := range paths {
		if _, err := Load(p, nil, nil); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
