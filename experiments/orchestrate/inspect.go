package orchestrate

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// CellProgress is what a cell's run directory says of it.
type CellProgress struct {
	Done    bool   // its last run finished with the settings asked about, and the store holds its stages
	Running bool   // a process holds its lock
	Started bool   // a run of it began (it has a manifest)
	Stage   string // the last stage its manifest records
	Error   string // why its last run failed or stopped, from its outcome
	Stopped string // what stopped its last run (a signal), from its outcome
}

// settingsKeys are the stage keys of cfg.
func settingsKeys(cfg config.Config) (map[string]string, error) {
	fp, err := experiments.Fingerprint(cfg.Data)
	if err != nil {
		return nil, err
	}
	keys := map[string]string{}
	for name, key := range experiments.Keys(cfg, fp) {
		keys[string(name)] = key
	}
	return keys, nil
}

// InspectCell reads the cell's run directory in dir. The cell is done when
// its last run succeeded with settings that give the same stage keys as
// cfg's (with cfg nil, as those of the cell's config.json), its manifest
// records every stage, and the store still holds them. Settings are
// compared by the keys that both sides compute from their config, not by
// the store's keys, which may also depend on the machine that ran them.
func InspectCell(dir string, cell results.Cell, cfg *config.Config) (CellProgress, error) {
	out := filepath.Join(dir, cell.Dir)
	p := CellProgress{Running: cellLocked(out)}
	var o results.Outcome
	switch err := run.ReadJSON(filepath.Join(out, results.OutcomeFile), &o); {
	case err == nil:
		if !o.OK {
			p.Error, p.Stopped = o.Error, o.Stopped
		}
	case !errors.Is(err, fs.ErrNotExist):
		return p, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	var man run.Manifest
	switch err := run.ReadJSON(filepath.Join(out, "manifest.json"), &man); {
	case errors.Is(err, fs.ErrNotExist):
		return p, nil
	case err != nil:
		return p, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	p.Started = true
	if n := len(man.Order); n > 0 {
		p.Stage = man.Order[n-1]
	}
	if !o.OK {
		return p, nil
	}
	if cfg == nil {
		c, err := ReadCellConfig(dir, cell)
		if err != nil {
			return p, err
		}
		cfg = &c
	}
	want, err := settingsKeys(*cfg)
	if err != nil {
		return p, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	store := filepath.Join(dir, "store")
	p.Done = maps.Equal(want, o.Keys)
	for _, name := range experiments.Stages {
		timing, ok := man.Stages[string(name)]
		st := run.NewStageAt(store, string(name), timing.Key)
		if !ok || !st.Done() {
			p.Done = false
		}
	}
	return p, nil
}
