package orchestrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/segqa/segqa/experiments"
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
	// cellConfig is the cell's resolved config, which RunCell runs.
	cellConfig = "config.json"
)

// ErrCellRunning is returned when another process runs the cell.
var ErrCellRunning = errors.New("orchestrate: cell is running in another process")

// Outcome is a cell's outcome.json: how its last run ended.
type Outcome struct {
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	Host     string    `json:"host"`
	// SlurmJob is the Slurm task that ran it (JOB_INDEX), if any.
	SlurmJob string `json:"slurm_job,omitempty"`
	// Keys are the stage keys of the settings it ran with, as
	// experiments.Keys computes them from the config alone, to compare
	// with other settings (see InspectCell).
	Keys map[string]string `json:"keys,omitempty"`
}

// CellEnv is where a cell's output goes and what it runs with; like
// experiments.Env, it never changes results.
type CellEnv struct {
	Threads int // TensorFlow threads
	// SlurmJob names the Slurm task running the cell (JOB_INDEX), empty
	// elsewhere; the outcome records it.
	SlurmJob string
	Render   experiments.Renderers // its figures and tables
	Stdout   io.Writer             // its tables
	Log      io.Writer             // its progress and messages
}

// RunCell runs one cell of the sweep in dir with cfg (see ReadCellConfig):
// the stages it shares with other cells come from, or go to, the sweep's
// stage store, whichever process runs those cells, and a cell killed
// before resumes from its last finished stage and epoch.
func RunCell(ctx context.Context, dir string, cell results.Cell, cfg config.Config, env CellEnv) error {
	return runTracked(ctx, dir, cell, cfg, env, 1, &sync.Mutex{})
}

// runTracked runs a cell holding its lock, and records its outcome. jobs
// is how many cells this process runs side by side, and mu serialises
// their lines in env.Log.
func runTracked(ctx context.Context, dir string, cell results.Cell, cfg config.Config, env CellEnv, jobs int, mu *sync.Mutex) error {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	unlock, err := lockCell(out)
	if err != nil {
		return err
	}
	defer unlock()
	start := time.Now()
	keys, err := settingsKeys(cfg)
	if err == nil {
		err = runCell(ctx, dir, cell, cfg, env, jobs, mu)
	}
	host, _ := os.Hostname()
	o := Outcome{OK: err == nil, Finished: time.Now().UTC(), Seconds: time.Since(start).Seconds(), Host: host, SlurmJob: env.SlurmJob, Keys: keys}
	if err != nil {
		o.Error = err.Error()
	}
	if werr := run.WriteJSON(filepath.Join(out, OutcomeFile), o); werr != nil {
		return errors.Join(err, fmt.Errorf("cell %s: %w", cell.Name, werr))
	}
	return err
}

// runCell runs the pipeline of cfg in the cell's run directory, with the
// sweep's stage store. With other cells running side by side (jobs > 1),
// the cell's tables and progress go to its log.txt instead.
func runCell(ctx context.Context, dir string, cell results.Cell, cfg config.Config, env CellEnv, jobs int, mu *sync.Mutex) error {
	out := filepath.Join(dir, cell.Dir)
	log := orDiscard(env.Log)
	cellLog, cellOut := log, env.Stdout
	if jobs > 1 {
		f, err := os.OpenFile(filepath.Join(out, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("cell %s: %w", cell.Name, err)
		}
		defer f.Close()
		cellLog, cellOut = f, f
		cfg.Runtime.Progress = false
	}
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s starting (%d threads)\n", cell.Name, env.Threads)
	mu.Unlock()
	start := time.Now()
	renv, err := experiments.NewEnv(cfg, out, env.Threads)
	if err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	renv.Store, renv.Log, renv.Render = filepath.Join(dir, "store"), cellLog, env.Render
	err = experiments.Run(ctx, cfg, renv)
	if err == nil && env.Render.Summary != nil {
		err = env.Render.Summary(cellOut, out, nil)
	}
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s finished in %s\n", cell.Name, time.Since(start).Round(time.Second))
	mu.Unlock()
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
	if err := run.WriteFile(filepath.Join(dir, cell.Dir, cellConfig), cfg.JSON()); err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	return nil
}

// ReadCellConfig reads and validates the cell's config.json.
func ReadCellConfig(dir string, cell results.Cell) (config.Config, error) {
	path := filepath.Join(dir, cell.Dir, cellConfig)
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
