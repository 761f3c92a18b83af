package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/slurm"
)

// CellStatus is one cell of a sweep as `segqa sweep --status` lists it.
type CellStatus struct {
	Cell   results.Cell
	State  slurm.State
	Detail string // why, in a few words: the task, the stage, the error
}

// Status is how far a sweep got.
type Status struct {
	Cells []CellStatus // in the order of sweep.json
	// ReportJob is the report job of the last submission to Slurm, and
	// Report what Slurm says of it; nil when Slurm does not know it (or
	// there was no submission).
	ReportJob string
	Report    *slurm.Task
	// Warnings say what Slurm could not be asked (squeue or sacct
	// failed); the states then rest on the run directories alone.
	Warnings []error
}

// Count is the number of cells in state.
func (s Status) Count(state slurm.State) int {
	n := 0
	for _, c := range s.Cells {
		if c.State == state {
			n++
		}
	}
	return n
}

// SweepStatus says of each cell of sw, the sweep in dir, whether it is
// done, running, failed, unfinished or pending, from its run directory
// and, when the sweep was submitted to Slurm, from squeue and sacct.
func SweepStatus(ctx context.Context, dir string, sw results.Sweep) (Status, error) {
	var st Status
	rec, err := slurm.ReadRecord(dir)
	if err != nil {
		return st, err
	}
	var tasks []slurm.Task
	if len(rec.Submissions) > 0 {
		tasks, st.Warnings = slurmTasks(ctx, rec, len(sw.Cells))
	}
	for i, cell := range sw.Cells {
		p, err := InspectCell(dir, cell, nil)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, err
		}
		info := slurm.CellInfo{Done: p.Done, Running: p.Running, Started: p.Started, Stage: p.Stage, Error: p.Error, Stopped: p.Stopped}
		if t, _, ok := rec.Latest(tasks, i); ok {
			info.Task = &t
		}
		state, detail := info.State()
		st.Cells = append(st.Cells, CellStatus{Cell: cell, State: state, Detail: detail})
	}
	if n := len(rec.Submissions); n > 0 {
		st.ReportJob = rec.Submissions[n-1].ReportJob
		if t, ok := slurm.Find(tasks, st.ReportJob); ok {
			st.Report = &t
		}
	}
	return st, nil
}

// slurmTasks asks squeue, then sacct, about the jobs of the record of a
// sweep of n cells: sacct knows the tasks that the controller has
// forgotten. What cannot be asked is a warning.
func slurmTasks(ctx context.Context, rec slurm.Record, n int) (tasks []slurm.Task, warnings []error) {
	tasks, err := slurm.Queue(ctx, rec.Jobs())
	if err != nil {
		warnings = append(warnings, fmt.Errorf("squeue: %w", err))
	}
	var forgotten []string
	for i := range n {
		if _, sub, ok := rec.Latest(tasks, i); !ok && sub.ArrayJob != "" && !slices.Contains(forgotten, sub.ArrayJob) {
			forgotten = append(forgotten, sub.ArrayJob)
		}
	}
	acct, err := slurm.Acct(ctx, forgotten)
	switch {
	case errors.Is(err, slurm.ErrNoAccounting):
	case err != nil:
		warnings = append(warnings, fmt.Errorf("sacct: %w", err))
	}
	return append(tasks, acct...), warnings
}
