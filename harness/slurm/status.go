package slurm

import "fmt"

// State is what `segqa sweep --status` says of a cell.
type State string

const (
	CellDone    State = "done"    // every stage finished with the cell's settings
	CellRunning State = "running" // a segqa process runs it, or its task runs
	CellFailed  State = "failed"  // it stopped on an error of its own
	// CellUnfinished is a cell stopped (a signal) or killed before it
	// finished: it did not fail, and the same command resumes it.
	CellUnfinished State = "unfinished"
	CellPending    State = "pending" // not started yet, or queued
)

// CellInfo is what the run directory and Slurm say of one cell.
type CellInfo struct {
	Done    bool   // every stage of the cell's settings finished and is in its run directory
	Running bool   // a segqa process holds the cell's lock
	Started bool   // a run of the cell began (it has a manifest)
	Stage   string // the last stage it recorded
	Error   string // why its last run failed or stopped, if it recorded that
	Stopped string // what stopped its last run (a signal), if it recorded that
	Task    *Task  // its latest Slurm task, when squeue or sacct know it
}

// State decides the cell's state and says why: the run directory first
// (a finished cell is done whatever Slurm says), then Slurm.
func (c CellInfo) State() (State, string) {
	switch {
	case c.Done:
		return CellDone, ""
	case c.Running:
		if c.Task != nil {
			return CellRunning, fmt.Sprintf("task %s on %s, after stage %s", c.Task.ID(), c.Task.Node, orNone(c.Stage))
		}
		return CellRunning, "after stage " + orNone(c.Stage)
	}
	if t := c.Task; t != nil {
		switch t.Phase() {
		case TaskQueued:
			return CellPending, fmt.Sprintf("task %s %s%s%s", t.ID(), t.State, paren(t.Reason), c.resumes())
		case TaskActive:
			return CellRunning, fmt.Sprintf("task %s %s on %s", t.ID(), t.State, t.Node)
		case TaskFailed:
			return CellFailed, fmt.Sprintf("task %s %s%s%s", t.ID(), t.State, paren(t.Reason), c.after())
		case TaskSucceeded:
			return CellFailed, fmt.Sprintf("task %s COMPLETED but the cell is not finished%s", t.ID(), c.after())
		}
	}
	switch {
	case c.Stopped != "":
		return CellUnfinished, fmt.Sprintf("stopped (%s) after stage %s; the same command resumes it", c.Stopped, orNone(c.Stage))
	case c.Error != "" && c.Stage != "":
		return CellFailed, "after stage " + c.Stage + ": " + c.Error
	case c.Error != "":
		return CellFailed, c.Error
	case c.Started:
		return CellUnfinished, fmt.Sprintf("after stage %s, its process gone without an outcome (killed?); the same command resumes it", orNone(c.Stage))
	}
	return CellPending, "not started"
}

// resumes says, of a queued cell that ran before (requeued after a
// preemption, or resubmitted), where its next run resumes.
func (c CellInfo) resumes() string {
	if !c.Started {
		return ""
	}
	return "; resumes after stage " + orNone(c.Stage)
}

// after says where the cell stopped and why.
func (c CellInfo) after() string {
	s := ""
	if c.Started {
		s = " after stage " + orNone(c.Stage)
	}
	if c.Error != "" {
		s += ": " + c.Error
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none yet)"
	}
	return s
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
