package orchestrate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/segqa/segqa/harness/runner"
	"github.com/segqa/segqa/harness/shared/results"
)

// CellError is a cell of a sweep that did not finish, and why.
type CellError struct {
	Cell results.Cell
	Err  error // nil for a cell that never started
}

// LaunchError is a sweep launched here whose cells did not all finish:
// some failed on errors of their own, and, when the launch was stopped (a
// signal), the others are unfinished: stopped at a safe point, or never
// started. Launched again, the sweep runs the unfinished and the failed
// cells, and only those.
type LaunchError struct {
	Cells      int // cells in the sweep
	Failed     []CellError
	Unfinished []CellError
	Stopped    error // what stopped the launch (the context's cause), nil when nothing did
}

// Error lists the cells that did not finish, a line each.
func (e *LaunchError) Error() string {
	var b strings.Builder
	if e.Stopped != nil {
		fmt.Fprintf(&b, "sweep stopped (%v): %d of %d cells unfinished, %d failed", e.Stopped, len(e.Unfinished), e.Cells, len(e.Failed))
	} else {
		fmt.Fprintf(&b, "sweep: %d of %d cells failed, %d finished", len(e.Failed), e.Cells, e.Cells-len(e.Failed))
	}
	for _, c := range e.Unfinished {
		fmt.Fprintf(&b, "\n  %s: unfinished, %s", c.Cell.Name, whereStopped(c.Err))
	}
	for _, c := range e.Failed {
		fmt.Fprintf(&b, "\n  %s: failed: %v", c.Cell.Name, c.Err)
	}
	return b.String()
}

// Unwrap returns the errors of the cells.
func (e *LaunchError) Unwrap() []error {
	var errs []error
	for _, c := range slices.Concat(e.Failed, e.Unfinished) {
		if c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	return errs
}

// whereStopped says where an unfinished cell stopped: err is what it
// returned, nil if it never started.
func whereStopped(err error) string {
	var stop *runner.StoppedError
	switch {
	case err == nil:
		return "not started"
	case errors.As(err, &stop):
		return "stopped in stage " + stop.Stage
	}
	return "stopped"
}
