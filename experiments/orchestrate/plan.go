package orchestrate

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// Plan is a sweep to launch: the grid that sweep.json records, the
// resolved config of each of its cells, and the sweep directory.
type Plan struct {
	Sweep   results.Sweep   // Sweep.Cells[i] runs with Configs[i]
	Configs []config.Config // as config.ExpandSweep resolved them
	Dir     string          // the sweep directory: sweep.json, the cells' run directories, the stage store
}

// check reports a plan whose cells and configs do not pair up.
func (p Plan) check() error {
	if len(p.Configs) != len(p.Sweep.Cells) {
		return fmt.Errorf("orchestrate: sweep %s: %d cells but %d configs", p.Dir, len(p.Sweep.Cells), len(p.Configs))
	}
	return nil
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

// orDiscard is w, or io.Discard for nil.
func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
