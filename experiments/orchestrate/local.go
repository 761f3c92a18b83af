package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/segqa/segqa/experiments"
)

// Local runs a sweep's cells in this process, Jobs at a time, each with its
// share of the cores, with a shared stage store: finished stages of any
// cell are reused by every other cell with the same upstream settings, and
// a killed sweep launched again resumes.
type Local struct {
	Jobs   int                   // cells run side by side; 0 means 1
	Cores  int                   // cores the cells share; 0 means every core
	Render experiments.Renderers // each cell's figures and tables
	// Stdout takes the tables and Log the progress of a cell that runs
	// alone; with Jobs above 1 those go to each cell's log.txt, and Log
	// has when each cell starts and ends.
	Stdout, Log io.Writer
}

// Launch runs every cell of plan and returns once they all ended, with
// the errors of those that failed.
func (l Local) Launch(ctx context.Context, plan Plan) error {
	if err := plan.check(); err != nil {
		return err
	}
	log := orDiscard(l.Log)
	jobs := max(1, l.Jobs)
	fmt.Fprintf(log, "sweep: %d cells under %s, %d at a time\n", len(plan.Configs), plan.Dir, jobs)
	if err := writeSweep(plan.Dir, plan.Sweep); err != nil {
		return err
	}
	jobs = min(jobs, max(1, len(plan.Configs)))
	cores := l.Cores
	if cores <= 0 {
		cores = runtime.NumCPU()
	}
	env := CellEnv{Threads: max(1, cores/jobs), Render: l.Render, Stdout: l.Stdout, Log: log}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, jobs)
	)
	for i, cfg := range plan.Configs {
		cell := plan.Sweep.Cells[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			err := runTracked(ctx, plan.Dir, cell, cfg, env, jobs, &mu)
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
