package orchestrate

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/shared/results"
)

// Local runs a sweep's cells in this process, Jobs at a time, each with its
// share of the cores, with a shared stage store: finished stages of any
// cell are reused by every other cell with the same upstream settings, and
// a sweep stopped or killed and launched again resumes.
type Local struct {
	Jobs   int                   // cells run side by side; 0 means 1
	Cores  int                   // cores the cells share; 0 means every core
	Render experiments.Renderers // each cell's figures and tables
	// Stdout takes the tables and Log the progress of a cell that runs
	// alone; with Jobs above 1 those go to each cell's log.txt, and Log
	// has when each cell starts and ends.
	Stdout, Log io.Writer
}

// Launch runs the cells of plan that are not done yet and returns once
// they all ended. A refused cell (invalid settings) is named, with why,
// before any cell starts, recorded as failed and never run. A cell that
// fails does not stop the others. Once ctx is done (a signal), the
// running cells stop at their next safe point and no other cell starts.
// When a cell did not finish, the error is a *LaunchError.
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
	refused, err := plan.refuse(log, "running the other %d cell(s)")
	if err != nil {
		return err
	}
	todo, err := l.notDone(plan)
	if err != nil {
		return err
	}
	// The threads a cell gets depend on the sweep, not on how many of its
	// cells are left: a cell resumed alone computes what it would have
	// beside the others.
	jobs = min(jobs, max(1, len(plan.Configs)))
	cores := l.Cores
	if cores <= 0 {
		cores = runtime.NumCPU()
	}
	env := CellEnv{Threads: max(1, cores/jobs), Render: l.Render, Stdout: l.Stdout, Log: log}
	ends := make([]cellEnd, len(todo))
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, jobs)
	)
	for k, i := range todo {
		if !acquire(ctx, sem) {
			break
		}
		ends[k].started = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ends[k].outcome, ends[k].err = runTracked(ctx, plan.Dir, plan.Sweep.Cells[i], plan.Configs[i], env, jobs, &mu)
		}()
	}
	wg.Wait()
	return launchError(ctx, plan, refused, todo, ends)
}

// notDone lists the cells of plan that are not done with their settings,
// refused ones aside, and says in Log which are.
func (l Local) notDone(plan Plan) ([]int, error) {
	var todo []int
	for i, cfg := range plan.Configs {
		if plan.refused(i) != nil {
			continue
		}
		cell := plan.Sweep.Cells[i]
		p, err := InspectCell(plan.Dir, cell, &cfg)
		if err != nil {
			return nil, err
		}
		if p.Done {
			fmt.Fprintf(orDiscard(l.Log), "sweep: cell %s done before, skipped\n", cell.Name)
			continue
		}
		todo = append(todo, i)
	}
	return todo, nil
}

// acquire takes a place in sem, unless ctx is done first.
func acquire(ctx context.Context, sem chan struct{}) bool {
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	if ctx.Err() != nil { // both were ready
		<-sem
		return false
	}
	return true
}

// cellEnd is how a cell of a launch ended.
type cellEnd struct {
	started bool
	outcome *results.Outcome // nil when it did not start, or could not
	err     error
}

// launchError is the *LaunchError of a launch that refused the cells
// refused and whose cells todo ended as ends say, nil when they all
// finished.
func launchError(ctx context.Context, plan Plan, refused []CellError, todo []int, ends []cellEnd) error {
	e := &LaunchError{Cells: len(plan.Configs), Refused: refused}
	if ctx.Err() != nil {
		e.Stopped = context.Cause(ctx)
	}
	for k, i := range todo {
		c, end := plan.Sweep.Cells[i], ends[k]
		switch {
		case !end.started || end.outcome != nil && end.outcome.Stopped != "":
			e.Unfinished = append(e.Unfinished, CellError{Cell: c, Err: end.err})
		case end.err != nil:
			e.Failed = append(e.Failed, CellError{Cell: c, Err: end.err})
		}
	}
	if len(e.Refused) == 0 && len(e.Failed) == 0 && len(e.Unfinished) == 0 {
		return nil
	}
	return e
}
