package experiments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
)

// RunSweep runs every cell of sw under dir with a shared stage store, jobs
// cells at a time, each with its share of the cores. Finished stages of any
// cell are reused by every other cell with the same upstream settings, and a
// killed sweep started again resumes. render draws each cell's figures and
// tables.
func RunSweep(ctx context.Context, sw results.Sweep, cfgs []config.Config, dir string, jobs int, render Renderers, stdout, log io.Writer) error {
	if err := run.WriteJSON(filepath.Join(dir, "sweep.json"), sw); err != nil {
		return err
	}
	jobs = max(1, min(jobs, len(cfgs)))
	threads := max(1, runtime.NumCPU()/jobs)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, jobs)
	)
	for i, cfg := range cfgs {
		cell := sw.Cells[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			err := runTracked(ctx, cfg, cell, dir, threads, jobs, "", render, stdout, log, &mu)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("sweep cell %s: %w", cell.Name, err))
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func runCell(ctx context.Context, cfg config.Config, cell results.Cell, dir string, threads, jobs int, render Renderers, stdout, log io.Writer, mu *sync.Mutex) error {
	out := filepath.Join(dir, cell.Dir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cellLog, cellOut := log, stdout
	if jobs > 1 {
		f, err := os.OpenFile(filepath.Join(out, "log.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cellLog, cellOut = f, f
		cfg.Runtime.Progress = false
	}
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s starting (%d threads)\n", cell.Name, threads)
	mu.Unlock()
	start := time.Now()
	opts := tfrun.Options{Threads: threads, Device: cfg.Runtime.Device}
	devs, err := tfrun.Devices(opts)
	if err != nil {
		return err
	}
	man := run.NewManifest(filepath.Join(out, "manifest.json"), tfrun.Version(), cfg.Seed, threads, string(cfg.Runtime.Device), devs)
	err = Run(ctx, cfg, Env{Out: out, Store: filepath.Join(dir, "store"), Log: cellLog, Session: opts, Manifest: man, Render: render})
	if err == nil && render.Summary != nil {
		err = render.Summary(cellOut, out, nil)
	}
	mu.Lock()
	fmt.Fprintf(log, "sweep: cell %s finished in %s\n", cell.Name, time.Since(start).Round(time.Second))
	mu.Unlock()
	return err
}
