package experiments

import (
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
)

// TestStageTable checks the declared stages against the run order and the
// keys against the formulas of stage keys before the table existed, so
// that existing runs keep their stage folders.
func TestStageTable(t *testing.T) {
	var names []string
	for _, s := range stageSpecs {
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
		want := map[string]string{}
		want["data"] = run.Key("data", run.Version, cfg.Seed, cfg.Data, "fp")
		want["zoo"] = run.Key("zoo", want["data"], cfg.Seed, cfg.Zoo)
		want["pool"] = run.Key("pool", want["zoo"], cfg.Seed, cfg.Pool)
		recOn := want["data"]
		if trainOn != "gt" {
			recOn = want["pool"]
		}
		want["recnet"] = run.Key("recnet", recOn, cfg.Seed, cfg.RecNet)
		reg := cfg.RegNet
		reg.Inputs = nil
		want["regnet"] = run.Key("regnet", want["pool"], want["recnet"], cfg.Seed, reg)
		want["table1"] = run.Key("table1", want["regnet"], cfg.RegNet.Inputs)
		want["table2"] = run.Key("table2", want["regnet"], cfg.Seed, cfg.Attack)
		got := Keys(cfg, "fp")
		for name, k := range want {
			if got[name] != k {
				t.Errorf("train_on %s: stage %s key %s, want %s", trainOn, name, got[name], k)
			}
		}
	}
}
