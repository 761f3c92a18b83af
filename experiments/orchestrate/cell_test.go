package orchestrate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

func TestCellLockKeepsASecondRunOut(t *testing.T) {
	out := t.TempDir()
	if cellLocked(out) {
		t.Fatal("a cell never run is locked")
	}
	unlock, err := lockCell(out)
	if err != nil {
		t.Fatal(err)
	}
	if !cellLocked(out) {
		t.Error("a running cell is not seen as locked")
	}
	if _, err := lockCell(out); !errors.Is(err, ErrCellRunning) {
		t.Errorf("second lock: %v, want ErrCellRunning", err)
	}
	unlock()
	if cellLocked(out) {
		t.Error("still locked after unlock")
	}
	unlock, err = lockCell(out)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock()
}

// TestInspectCell builds a cell's run directory stage by stage, as a run
// leaves it, without training anything.
func TestInspectCell(t *testing.T) {
	dir := t.TempDir()
	cfg := ciConfig(t)
	cell := results.Cell{Name: "regnet.loss=l1,seed=1", Dir: filepath.Join("cells", "regnet.loss=l1,seed=1")}
	// inspect judges the cell by its config.json, or by cfg.
	inspect := func(byCfg bool) CellProgress {
		t.Helper()
		c := &cfg
		if !byCfg {
			c = nil
		}
		p, err := InspectCell(dir, cell, c)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := inspect(false); p.Started || p.Done || p.Running || p.Error != "" {
		t.Fatalf("nothing there: %+v", p)
	}
	if err := WriteCellConfig(dir, cell, cfg); err != nil {
		t.Fatal(err)
	}
	if back, err := ReadCellConfig(dir, cell); err != nil || string(back.JSON()) != string(cfg.JSON()) {
		t.Fatalf("config read back differs (%v):\n%s\n%s", err, back.JSON(), cfg.JSON())
	}

	out := filepath.Join(dir, cell.Dir)
	man := run.NewManifest(filepath.Join(out, "manifest.json"), "test", cfg.Seed, 1, "cpu", nil)
	fp, _ := experiments.Fingerprint(cfg.Data)
	keys := experiments.Keys(cfg, fp)
	// The store's keys may differ from those the config gives (Run may
	// resolve a setting for the machine first): the cell is judged by its
	// settings' keys and only looks the stored ones up.
	stored := func(name results.StageName) string { return "m" + keys[name] }
	for _, name := range experiments.Stages {
		st := run.NewStageAt(filepath.Join(dir, "store"), string(name), stored(name))
		if err := st.Finish(time.Second); err != nil {
			t.Fatal(err)
		}
		if err := man.Record(string(name), run.StageTiming{Key: stored(name), Seconds: 1}); err != nil {
			t.Fatal(err)
		}
		if p := inspect(false); !p.Started || p.Stage != string(name) || p.Done {
			t.Fatalf("after stage %s: %+v", name, p)
		}
	}
	// A run killed after its last stage, before it recorded its outcome.
	if p := inspect(false); p.Done {
		t.Errorf("done without an outcome: %+v", p)
	}
	if err := run.WriteJSON(filepath.Join(out, results.OutcomeFile), results.Outcome{OK: true, Keys: keyNames(keys)}); err != nil {
		t.Fatal(err)
	}
	if p := inspect(false); !p.Done {
		t.Errorf("judged by its config.json, the finished cell is not done: %+v", p)
	}
	if p := inspect(true); !p.Done {
		t.Errorf("judged by its own settings, the finished cell is not done: %+v", p)
	}

	// Other settings: not done, even when another cell finished their
	// stages in the store.
	cfg.RegNet.Loss = "l2"
	for name, key := range experiments.Keys(cfg, fp) {
		if err := run.NewStageAt(filepath.Join(dir, "store"), string(name), key).Finish(time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if p := inspect(true); p.Done {
		t.Error("a cell is done under settings it never ran with")
	}
	cfg.RegNet.Loss = "l1"

	// A store that lost a stage: not done.
	last := experiments.Stages[len(experiments.Stages)-1]
	if err := os.Remove(filepath.Join(dir, "store", string(last)+"-"+stored(last), "DONE")); err != nil {
		t.Fatal(err)
	}
	if p := inspect(false); p.Done {
		t.Errorf("done without stage %s in the store", last)
	}

	// A later run of the same settings that failed.
	if err := run.NewStageAt(filepath.Join(dir, "store"), string(last), stored(last)).Finish(time.Second); err != nil {
		t.Fatal(err)
	}
	if p := inspect(false); !p.Done {
		t.Fatalf("stage %s back in the store, not done: %+v", last, p)
	}
	if err := run.WriteJSON(filepath.Join(out, results.OutcomeFile), results.Outcome{Error: "stage regnet: context canceled", Keys: keyNames(keys)}); err != nil {
		t.Fatal(err)
	}
	if p := inspect(false); p.Error != "stage regnet: context canceled" || p.Done {
		t.Errorf("after a failed run: %+v", p)
	}
	unlock, err := lockCell(out)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if p := inspect(false); !p.Running {
		t.Error("a locked cell is not running")
	}
}

func TestReadCellConfigRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	cell := results.Cell{Name: "c", Dir: "c"}
	if _, err := ReadCellConfig(dir, cell); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing config.json: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "c"), 0o755)
	for _, text := range []string{`{"seed": 1, "recnet": {"depht": 3}}`, `{"seed": "one"}`, `{}`} {
		os.WriteFile(filepath.Join(dir, "c", "config.json"), []byte(text), 0o644)
		if _, err := ReadCellConfig(dir, cell); err == nil {
			t.Errorf("%s: accepted", text)
		}
	}
}

// keyNames are keys by stage name.
func keyNames(keys map[results.StageName]string) map[string]string {
	out := map[string]string{}
	for name, key := range keys {
		out[string(name)] = key
	}
	return out
}
