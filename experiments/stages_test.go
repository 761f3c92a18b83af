package experiments

import (
	"maps"
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestStageTable checks the declared stages against the run order and the
// keys against their formulas written out by hand: what each stage's key
// covers, and which upstream keys enter it.
func TestStageTable(t *testing.T) {
	var names []results.StageName
	for _, s := range stageDefs {
		names = append(names, s.name)
		for _, up := range s.reads(config.Default()) {
			if slices.Index(results.Stages, up) >= slices.Index(results.Stages, s.name) {
				t.Errorf("stage %s reads %s, which runs after it", s.name, up)
			}
		}
	}
	if !slices.Equal(names, results.Stages) {
		t.Fatalf("stage table %v, run order %v", names, results.Stages)
	}
	for _, trainOn := range []string{"gt", "gt+zoo"} {
		cfg, err := config.Load("../configs/ci.yaml", nil, []string{"recnet.train_on=" + trainOn})
		if err != nil {
			t.Fatal(err)
		}
		want := map[results.StageName]string{}
		want["data"] = run.Key("data", run.Version, cfg.Seed, cfg.Data, "fp")
		want["zoo"] = run.Key("zoo", want["data"], cfg.Seed, cfg.Zoo, cfg.Runtime.Precision)
		want["pool"] = run.Key("pool", want["zoo"], cfg.Seed, cfg.Pool)
		recOn := want["data"]
		if trainOn != "gt" {
			recOn = want["pool"]
		}
		want["recnet"] = run.Key("recnet", recOn, cfg.Seed, cfg.RecNet, cfg.Runtime.Precision)
		reg := cfg.RegNet
		reg.Inputs = nil
		reg.DScale = ""     // raw, the paper's d, keeps the keys it had before d_scale existed
		reg.Checkpoint = "" // best, likewise before checkpoint existed
		want["regnet"] = run.Key("regnet", want["pool"], want["recnet"], cfg.Seed, reg, cfg.Runtime.Precision)
		e := cfg.Eval
		want["agreement"] = run.Key("agreement", want["data"], cfg.Seed, cfg.Zoo, cfg.Runtime.Precision, e.AgreementMembers, e.AgreementEpochs, e.AgreementPatience)
		want["table1"] = run.Key("table1", want["regnet"], want["agreement"], cfg.Seed, cfg.RegNet.Inputs, e.FailBelow, e.Alpha, e.SensitivityMin)
		want["table2"] = run.Key("table2", want["regnet"], want["agreement"], cfg.Seed, cfg.Attack, e.FailBelow, e.Alpha)
		want["certify"] = run.Key("certify", want["regnet"], cfg.Seed, cfg.Certify, e.FailBelow)
		got := Keys(cfg, "fp")
		for name, k := range want {
			if got[name] != k {
				t.Errorf("train_on %s: stage %s key %s, want %s", trainOn, name, got[name], k)
			}
		}
	}
}

// TestPrecisionKeysTheNetworks: bfloat16 changes every stage that trains or
// runs a network, and not the data.
func TestPrecisionKeysTheNetworks(t *testing.T) {
	cfg, err := config.Load("../configs/ci.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f32 := Keys(cfg, "")
	cfg.Runtime.Precision = config.BFloat16
	bf16 := Keys(cfg, "")
	for _, name := range results.Stages {
		if same := f32[name] == bf16[name]; same != (name == results.StageData) {
			t.Errorf("stage %s: float32 key %s, bfloat16 key %s", name, f32[name], bf16[name])
		}
	}
}

// TestNetworkPrecisionKeysItsStage: a network's own precision keys its
// stage and what is downstream, never upstream; asking for the precision it
// would inherit anyway keeps every key.
func TestNetworkPrecisionKeysItsStage(t *testing.T) {
	bf16 := Keys(ciConfig(t, "runtime.precision=bfloat16"), "")
	for _, set := range []string{"zoo.precision=bfloat16", "recnet.precision=bfloat16", "regnet.precision=bfloat16"} {
		if k := Keys(ciConfig(t, "runtime.precision=bfloat16", set), ""); !maps.Equal(k, bf16) {
			t.Errorf("%s on runtime.precision=bfloat16 changed the keys", set)
		}
	}
	tables := []results.StageName{results.StageRegNet, results.StageTable1, results.StageTable2, results.StageCertify}
	for net, changes := range map[string][]results.StageName{
		"zoo":    append([]results.StageName{results.StageZoo, results.StagePool, results.StageAgreement}, tables...), // the REC-Net trains on the ground truth
		"recnet": append([]results.StageName{results.StageRecNet}, tables...),
		"regnet": tables,
	} {
		k := Keys(ciConfig(t, "runtime.precision=bfloat16", net+".precision=float32"), "")
		for _, name := range results.Stages {
			if changed := k[name] != bf16[name]; changed != slices.Contains(changes, name) {
				t.Errorf("%s.precision=float32: stage %s key changed %v", net, name, changed)
			}
		}
	}
}

// TestAutoPrecisionKeepsTheRegNetsInFloat32: auto gives the zoo and
// REC-Net what this machine's auto is (bfloat16 where the CPU has it
// natively) and the REG-Nets float32, unless regnet.precision asks for
// another; float32 and bfloat16 reach every network alike.
func TestAutoPrecisionKeepsTheRegNetsInFloat32(t *testing.T) {
	o := tfrun.Options{Device: config.DeviceCPU}
	auto, _ := tfrun.Precision(config.PrecisionAuto, o)
	bf16, _ := tfrun.Precision(config.BFloat16, o)
	for _, c := range []struct {
		sets                []string
		zoo, recnet, regnet config.Precision
	}{
		{[]string{"runtime.precision=auto"}, auto, auto, config.Float32},
		{[]string{"runtime.precision=auto", "regnet.precision=bfloat16"}, auto, auto, bf16},
		{[]string{"runtime.precision=auto", "recnet.precision=float32"}, auto, config.Float32, config.Float32},
		{[]string{"runtime.precision=bfloat16"}, bf16, bf16, bf16},
		{[]string{"runtime.precision=float32"}, config.Float32, config.Float32, config.Float32},
	} {
		cfg, _ := resolvePrecisions(ciConfig(t, c.sets...), o)
		if cfg.Zoo.Precision != c.zoo || cfg.RecNet.Precision != c.recnet || cfg.RegNet.Precision != c.regnet {
			t.Errorf("%v: zoo %s, recnet %s, regnet %s; want %s, %s, %s", c.sets,
				cfg.Zoo.Precision, cfg.RecNet.Precision, cfg.RegNet.Precision, c.zoo, c.recnet, c.regnet)
		}
		if cfg.Runtime.Precision == config.PrecisionAuto {
			t.Errorf("%v: runtime.precision stays auto after resolving", c.sets)
		}
	}
}

// TestAdversarialTrainingKeysTheRegNets: every adversarial training
// setting changes the REG-Nets' key (and so Tables 1 and 2), never what is
// upstream of them.
func TestAdversarialTrainingKeysTheRegNets(t *testing.T) {
	base := Keys(ciConfig(t), "")
	for _, set := range []string{
		"regnet.adversarial=pgd", "regnet.adv_eps=0.1", "regnet.adv_steps=7", "regnet.adv_mix=0.2",
		"regnet.adv_through=d", "regnet.trades_beta=3",
	} {
		k := Keys(ciConfig(t, set), "")
		for _, name := range results.Stages {
			downstream := slices.Index(results.Stages, name) >= slices.Index(results.Stages, results.StageRegNet)
			if changed := k[name] != base[name]; changed != downstream {
				t.Errorf("%s: stage %s key changed %v", set, name, changed)
			}
		}
	}
}

// TestRuntimeSettingsLeaveKeys: settings that change how a run goes, not
// what it computes, never enter a stage key.
func TestRuntimeSettingsLeaveKeys(t *testing.T) {
	base := Keys(ciConfig(t), "")
	for _, set := range []string{"runtime.verify=false", "runtime.verify=true", "runtime.progress=true", "runtime.device=auto"} {
		if k := Keys(ciConfig(t, set), ""); !maps.Equal(k, base) {
			t.Errorf("%s changed the stage keys", set)
		}
	}
}

// TestEvalKeysTheTables: the quality-control settings change the keys of
// Tables 1 and 2, which read them (the tie's margin Table 2's alone, and
// not at its default), and of no stage that trains a network;
// the agreement baseline's change its stage's and the tables'; without
// the baseline the tables do not depend on its stage.
func TestEvalKeysTheTables(t *testing.T) {
	base := Keys(ciConfig(t), "")
	tables := []results.StageName{results.StageTable1, results.StageTable2}
	for set, changes := range map[string][]results.StageName{
		"eval.fail_below=0.5":       append([]results.StageName{results.StageCertify}, tables...), // certify's decision threshold
		"eval.alpha=0.2":            tables,
		"eval.agreement_members=2":  append([]results.StageName{results.StageAgreement}, tables...),
		"eval.agreement_epochs=7":   append([]results.StageName{results.StageAgreement}, tables...),
		"eval.agreement_patience=1": append([]results.StageName{results.StageAgreement}, tables...),
		"eval.tie_margin=0.02":      {results.StageTable2},
		"eval.tie_margin=0.01":      nil, // the default keys nothing: earlier Table 2 stages stay valid
	} {
		k := Keys(ciConfig(t, set), "")
		for _, name := range results.Stages {
			if changed := k[name] != base[name]; changed != slices.Contains(changes, name) {
				t.Errorf("%s: stage %s key changed %v", set, name, changed)
			}
		}
	}
	off := ciConfig(t, "eval.agreement_members=0")
	if slices.Contains(tableReads(off), results.StageAgreement) || slices.Contains(tableKeyOn(off), results.StageAgreement) {
		t.Error("without the agreement baseline the tables still read its stage")
	}
}

// TestScaleSettingsKeyTheirStages: regnet.d_scale pool changes the
// REG-Nets and the tables below them, attack.eps_relative Table 2 alone;
// at their defaults neither enters a key, so that earlier stores stay valid.
func TestScaleSettingsKeyTheirStages(t *testing.T) {
	base := Keys(ciConfig(t), "")
	for set, changes := range map[string][]results.StageName{
		"regnet.d_scale=pool":       {results.StageRegNet, results.StageTable1, results.StageTable2, results.StageCertify},
		"attack.eps_relative=true":  {results.StageTable2},
		"regnet.d_scale=raw":        nil,
		"attack.eps_relative=false": nil,
	} {
		k := Keys(ciConfig(t, set), "")
		for _, name := range results.Stages {
			if changed := k[name] != base[name]; changed != slices.Contains(changes, name) {
				t.Errorf("%s: stage %s key changed %v", set, name, changed)
			}
		}
	}
}

// TestCalibrationSettingsKeys: eval.conformal, eval.conformal_groups and
// eval.band key Tables 1 and 2 and nothing at their defaults;
// data.calib_patients keys every stage (it changes the data), and
// pool.calib the pool and what is below it only with calibration patients.
func TestCalibrationSettingsKeys(t *testing.T) {
	tables := []results.StageName{results.StageTable1, results.StageTable2}
	below := func(s results.StageName) []results.StageName {
		i := slices.Index(results.Stages, s)
		return slices.DeleteFunc(slices.Clone(results.Stages[i:]), func(x results.StageName) bool {
			return x == results.StageAgreement || x == results.StageRecNet // they read the data stage, not the pool
		})
	}
	for _, c := range []struct {
		base    []string
		set     string
		changes []results.StageName
	}{
		{nil, "eval.conformal=patient", tables},
		{nil, "eval.conformal_groups=true", tables},
		{nil, "eval.band=0.6,0.8", tables},
		{nil, "eval.conformal=split", nil},
		{nil, "eval.conformal_groups=false", nil},
		{nil, "eval.band=0.5,0.9", nil},
		{nil, "pool.calib=50", nil},
		{nil, "data.calib_patients=9", results.Stages},
		{[]string{"data.calib_patients=9"}, "pool.calib=50", below(results.StagePool)},
	} {
		base := Keys(ciConfig(t, c.base...), "")
		k := Keys(ciConfig(t, append(slices.Clone(c.base), c.set)...), "")
		for _, name := range results.Stages {
			if changed := k[name] != base[name]; changed != slices.Contains(c.changes, name) {
				t.Errorf("%v + %s: stage %s key changed %v", c.base, c.set, name, changed)
			}
		}
	}
}
