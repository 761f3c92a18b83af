package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
)

// Files of a sweep cell's run directory besides the run's own.
const (
	// cellLock is locked (run.LockFile) by the process that runs the cell, so that a
	// cell never runs twice at once and --status can tell it runs.
	cellLock = "cell.lock"
	// OutcomeFile records how the cell's last run ended.
	OutcomeFile = "outcome.json"
)

// ErrCellRunning is returned when another process runs the cell.
var ErrCellRunning = errors.New("cell is running in another process")

// Outcome is a cell's outcome.json: how its last run ended.
type Outcome struct {
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	Host     string    `json:"host"`
	// SlurmJob is the Slurm task that ran it (JOB_INDEX), if any.
	SlurmJob string `json:"slurm_job,omitempty"`
	// Keys are the stage keys of the settings it ran with, as Keys
	// computes them from the config alone, to compare with other settings
	// (see InspectCell).
	Keys map[string]string `json:"keys,omitempty"`
}

// RunCell runs one cell of the sweep in dir with cfg (see ReadCellConfig):
// the stages it shares with other cells come from, or go to, the sweep's
// stage store, whichever process runs those cells, and a cell killed
// before resumes from its last finished stage and epoch. render draws its
// figures and tables; its tables and progress go to stdout and log.
// slurmJob names the Slurm task running it (JOB_INDEX), empty elsewhere;
// the outcome records it.
func RunCell(ctx context.Context, cfg config.Config, cell results.Cell, dir string, threads int, slurmJob string, render Renderers, stdout, log io.Writer) error {
	return runTracked(ctx, cfg, cell, dir, threads, 1, slurmJob, render, stdout, log, &sync.Mutex{})
}

// runTracked runs a cell holding its lock, and records its outcome.
func runTracked(ctx context.Context, cfg config.Config, cell results.Cell, dir string, threads, jobs int, slurmJob string, render Renderers, stdout, log io.Writer, mu *sync.Mutex) error {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	unlock, err := lockCell(out)
	if err != nil {
		return err
	}
	defer unlock()
	start := time.Now()
	keys, err := settingsKeys(cfg)
	if err == nil {
		err = runCell(ctx, cfg, cell, dir, threads, jobs, render, stdout, log, mu)
	}
	host, _ := os.Hostname()
	o := Outcome{OK: err == nil, Finished: time.Now().UTC(), Seconds: time.Since(start).Seconds(), Host: host, Keys: keys}
	if err != nil {
		o.Error = err.Error()
	}
	o.SlurmJob = slurmJob
	if werr := run.WriteJSON(filepath.Join(out, OutcomeFile), o); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

// lockCell takes the cell's lock, waiting a moment for a --status that
// looks at it, and fails with ErrCellRunning while another process holds
// it.
func lockCell(out string) (unlock func(), err error) {
	path := filepath.Join(out, cellLock)
	for try := 0; ; try++ {
		unlock, err = run.TryLockFile(path)
		if !errors.Is(err, run.ErrLocked) {
			return unlock, err
		}
		if try == 20 {
			return nil, fmt.Errorf("%s: %w", out, ErrCellRunning)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cellLocked reports whether a process holds the cell's lock.
func cellLocked(out string) bool { return run.Locked(filepath.Join(out, cellLock)) }

// WriteCellConfig saves the cell's resolved config as its run directory's
// config.json, for RunCell to run later elsewhere (a Slurm task) exactly
// as it was resolved now; the run rewrites it as it starts.
func WriteCellConfig(dir string, cell results.Cell, cfg config.Config) error {
	return run.WriteFile(filepath.Join(dir, cell.Dir, "config.json"), cfg.JSON())
}

// ReadCellConfig reads and validates the cell's config.json.
func ReadCellConfig(dir string, cell results.Cell) (config.Config, error) {
	path := filepath.Join(dir, cell.Dir, "config.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return config.Config{}, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var cfg config.Config
	if err := dec.Decode(&cfg); err != nil {
		return config.Config{}, fmt.Errorf("cell %s: %s: %w", cell.Name, path, err)
	}
	if err := cfg.Validate(); err != nil {
		return config.Config{}, fmt.Errorf("cell %s: %s: %w", cell.Name, path, err)
	}
	return cfg, nil
}

// CellProgress is what a cell's run directory says of it.
type CellProgress struct {
	Done    bool   // its last run finished with the settings asked about, and the store holds its stages
	Running bool   // a process holds its lock
	Started bool   // a run of it began (it has a manifest)
	Stage   string // the last stage its manifest records
	Error   string // why its last run failed, from outcome.json
}

// settingsKeys are the stage keys of cfg.
func settingsKeys(cfg config.Config) (map[string]string, error) {
	fp, err := Fingerprint(cfg.Data)
	if err != nil {
		return nil, err
	}
	return Keys(cfg, fp), nil
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
	var o Outcome
	switch err := run.ReadJSON(filepath.Join(out, OutcomeFile), &o); {
	case err == nil:
		if !o.OK {
			p.Error = o.Error
		}
	case !errors.Is(err, fs.ErrNotExist):
		return p, err
	}
	var man run.Manifest
	switch err := run.ReadJSON(filepath.Join(out, "manifest.json"), &man); {
	case errors.Is(err, fs.ErrNotExist):
		return p, nil
	case err != nil:
		return p, err
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
	for _, name := range Stages {
		timing, ok := man.Stages[name]
		st := run.Stage{Name: name, Key: timing.Key, Path: filepath.Join(store, name+"-"+timing.Key)}
		if !ok || !st.Done() {
			p.Done = false
		}
	}
	return p, nil
}
