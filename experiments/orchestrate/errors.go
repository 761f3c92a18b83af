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
// some were refused, their settings being invalid, some failed on errors
// of their own, and, when the launch was stopped (a signal), the others
// are unfinished: stopped at a safe point, or never started. Launched
// again, the sweep runs the unfinished and the failed cells, and only
// those, and refuses the refused ones again.
type LaunchError struct {
	Cells      int // cells in the sweep
	Refused    []CellError
	Failed     []CellError
	Unfinished []CellError
	Stopped    error // what stopped the launch (the context's cause), nil when nothing did
}

// Error lists the cells that did not finish, a line each.
func (e *LaunchError) Error() string {
	var b strings.Builder
	switch {
	case e.Stopped != nil:
		fmt.Fprintf(&b, "sweep stopped (%v): %d of %d cells unfinished, %d failed", e.Stopped, len(e.Unfinished), e.Cells, len(e.Failed))
		if len(e.Refused) > 0 {
			fmt.Fprintf(&b, ", %d refused", len(e.Refused))
		}
	case len(e.Refused) > 0:
		fmt.Fprintf(&b, "sweep: %d of %d cells refused (invalid settings), %d failed, %d finished", len(e.Refused), e.Cells, len(e.Failed), e.Cells-len(e.Failed)-len(e.Refused))
	default:
		fmt.Fprintf(&b, "sweep: %d of %d cells failed, %d finished", len(e.Failed), e.Cells, e.Cells-len(e.Failed))
	}
	writeRefused(&b, e.Refused)
	for _, c := range e.Unfinished {
		fmt.Fprintf(&b, "\n  %s: unfinished, %s", c.Cell.Name, whereStopped(c.Err))
	}
	for _, c := range e.Failed {
		fmt.Fprintf(&b, "\n  %s: failed: %v", c.Cell.Name, c.Err)
	}
	return b.String()
}

// writeRefused lists the refused cells and why, a line each.
func writeRefused(b *strings.Builder, refused []CellError) {
	for _, c := range refused {
		fmt.Fprintf(b, "\n  %s: refused: %s", c.Cell.Name, oneLine(c.Err))
	}
}

// Unwrap returns the errors of the cells.
func (e *LaunchError) Unwrap() []error {
	var errs []error
	for _, c := range slices.Concat(e.Refused, e.Failed, e.Unfinished) {
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

// RefusedError is a sweep submitted to Slurm without the cells whose
// settings are invalid: they were not submitted, and are recorded as
// failed with why. Submitted again, the sweep refuses them again.
type RefusedError struct {
	Cells   int // cells in the sweep
	Refused []CellError
}

// Error lists the refused cells and why, a line each.
func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sweep: %d of %d cells refused (invalid settings), not submitted", len(e.Refused), e.Cells)
	writeRefused(&b, e.Refused)
	return b.String()
}

// Unwrap returns why the cells were refused.
func (e *RefusedError) Unwrap() []error {
	var errs []error
	for _, c := range e.Refused {
		errs = append(errs, c.Err)
	}
	return errs
}
