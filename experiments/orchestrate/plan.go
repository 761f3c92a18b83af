package orchestrate

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Plan is a sweep to launch: the grid that sweep.json records, the
// resolved config of each of its cells, and the sweep directory.
type Plan struct {
	Sweep   results.Sweep   // Sweep.Cells[i] runs with Configs[i]
	Configs []config.Config // as config.ExpandSweepCells resolved them
	// Refused[i], when not nil, is why the settings of cell i are invalid
	// (config.ExpandSweepCells): the launchers never run or submit it, say
	// so before any cell starts, and record it as failed with that error.
	// Nil when every cell is valid.
	Refused []error
	Dir     string // the sweep directory: sweep.json, the cells' run directories, the stage store
}

// check reports a plan whose cells, configs and refusals do not pair up.
func (p Plan) check() error {
	if len(p.Configs) != len(p.Sweep.Cells) {
		return fmt.Errorf("orchestrate: sweep %s: %d cells but %d configs", p.Dir, len(p.Sweep.Cells), len(p.Configs))
	}
	if p.Refused != nil && len(p.Refused) != len(p.Sweep.Cells) {
		return fmt.Errorf("orchestrate: sweep %s: %d cells but %d refusals", p.Dir, len(p.Sweep.Cells), len(p.Refused))
	}
	return nil
}

// refused is why cell i is refused, nil when its settings are valid.
func (p Plan) refused(i int) error {
	if p.Refused == nil {
		return nil
	}
	return p.Refused[i]
}

// refuse records the refused cells of the plan in their run directories
// (see refuseCell) and says in log, a line each, that they are refused and
// why, and that the rest goes on (rest, e.g. "running the other %d
// cell(s)", with the number of valid cells).
func (p Plan) refuse(log io.Writer, rest string) ([]CellError, error) {
	var refused []CellError
	for i, cell := range p.Sweep.Cells {
		if why := p.refused(i); why != nil {
			refused = append(refused, CellError{Cell: cell, Err: why})
		}
	}
	for _, c := range refused {
		fmt.Fprintf(orDiscard(log), "sweep: cell %s refused: %s; "+rest+"\n", c.Cell.Name, oneLine(c.Err), len(p.Sweep.Cells)-len(refused))
	}
	for _, c := range refused {
		if err := refuseCell(p.Dir, c.Cell, c.Err); err != nil {
			return refused, err
		}
	}
	return refused, nil
}

// A Launcher runs the cells of a plan, or has them run: its Launch
// returns once they ran (Local) or were submitted (Slurm).
type Launcher interface {
	Launch(ctx context.Context, plan Plan) error
}

// ReadSweep reads the sweep.json of the sweep directory dir.
func ReadSweep(dir string) (results.Sweep, error) {
	var sw results.Sweep
	err := run.ReadJSON(filepath.Join(dir, results.SweepFile), &sw)
	return sw, err
}

// writeSweep writes the sweep.json of the sweep directory dir.
func writeSweep(dir string, sw results.Sweep) error {
	return run.WriteJSON(filepath.Join(dir, results.SweepFile), sw)
}

// oneLine is err's message on one line: a config's problems, one per
// line, are joined by spaces.
func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// orDiscard is w, or io.Discard for nil.
func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
