package orchestrate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Files of a sweep cell's run directory besides the run's own and its
// results.OutcomeFile.
const (
	// cellLock is locked (run.LockFile) by the process that runs the cell, so that a
	// cell never runs twice at once and --status can tell it runs.
	cellLock = "cell.lock"
	// cellConfig is the cell's resolved config, which RunCell runs.
	cellConfig = "config.json"
)

// ErrCellRunning is returned when another process runs the cell.
var ErrCellRunning = errors.New("orchestrate: cell is running in another process")

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
	_, err := runTracked(ctx, dir, cell, cfg, env, 1, &sync.Mutex{})
	return err
}

// runTracked runs a cell holding its lock, and records and returns its
// outcome: it finished, it failed, or its context stopped it (a signal)
// and it resumes; a cell that could not start has none. The outcome of
// its previous run goes as it starts, so that a run killed midway leaves
// none. jobs is how many cells this process runs side by side, and mu
// serialises their lines in env.Log.
func runTracked(ctx context.Context, dir string, cell results.Cell, cfg config.Config, env CellEnv, jobs int, mu *sync.Mutex) (*results.Outcome, error) {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	unlock, err := lockCell(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	outcome := filepath.Join(out, results.OutcomeFile)
	if err := os.Remove(outcome); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	start := time.Now()
	keys, err := settingsKeys(cfg)
	if err == nil {
		err = runCell(ctx, dir, cell, cfg, env, jobs, mu)
	}
	took := time.Since(start)
	host, _ := os.Hostname()
	o := results.Outcome{OK: err == nil, Finished: time.Now().UTC(), Seconds: took.Seconds(), Host: host, SlurmJob: env.SlurmJob, Keys: keys}
	if err != nil {
		o.Error = err.Error()
		if ctx.Err() != nil {
			o.Stopped = context.Cause(ctx).Error()
		}
	}
	logEnd(env.Log, mu, cell, o, took)
	if werr := run.WriteJSON(outcome, o); werr != nil {
		err = errors.Join(err, fmt.Errorf("cell %s: %w", cell.Name, werr))
	}
	return &o, err
}

// Refused begins the error that the outcome of a refused cell records.
const Refused = "refused: "

// refuseCell records in the cell's outcome that it did not run, its
// settings being invalid (why): --status then lists it as failed and why,
// and the sweep's report marks it missing, as they do a cell that failed
// as it ran. A cell that another process runs is left to it.
func refuseCell(dir string, cell results.Cell, why error) error {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	unlock, err := lockCell(out)
	switch {
	case errors.Is(err, ErrCellRunning):
		return nil
	case err != nil:
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	defer unlock()
	host, _ := os.Hostname()
	o := results.Outcome{Error: Refused + oneLine(why), Finished: time.Now().UTC(), Host: host}
	if err := run.WriteJSON(filepath.Join(out, results.OutcomeFile), o); err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	return nil
}

// logEnd says in log how the cell's run ended.
func logEnd(log io.Writer, mu *sync.Mutex, cell results.Cell, o results.Outcome, took time.Duration) {
	mu.Lock()
	defer mu.Unlock()
	took = took.Round(time.Second)
	switch {
	case o.OK:
		fmt.Fprintf(orDiscard(log), "sweep: cell %s finished in %s\n", cell.Name, took)
	case o.Stopped != "":
		fmt.Fprintf(orDiscard(log), "sweep: cell %s stopped (%s) after %s, unfinished; it resumes from its last finished stage and epoch\n", cell.Name, o.Stopped, took)
	default:
		fmt.Fprintf(orDiscard(log), "sweep: cell %s failed after %s: %s\n", cell.Name, took, o.Error)
	}
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
	renv, err := experiments.NewEnv(cfg, out, env.Threads)
	if err != nil {
		return fmt.Errorf("cell %s: %w", cell.Name, err)
	}
	renv.Store, renv.Log, renv.Render = filepath.Join(dir, "store"), cellLog, env.Render
	if err := experiments.Run(ctx, cfg, renv); err != nil {
		return err
	}
	if env.Render.Summary != nil {
		return env.Render.Summary(cellOut, out, nil)
	}
	return nil
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
