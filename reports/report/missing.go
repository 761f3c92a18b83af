package report

import (
	"fmt"
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/slurm"
	"github.com/segqa/segqa/reports/tables"
)

// state is what segqa sweep --status says of the cell, as far as its
// run directory tells: done, failed, unfinished (stopped by a signal, or
// killed) or pending (not started), and after which stage and why.
func (c sweepCell) state() (slurm.State, string) {
	info := slurm.CellInfo{Started: c.run.manifest != nil}
	if m := c.run.manifest; m != nil && len(m.Order) > 0 {
		info.Stage = m.Order[len(m.Order)-1]
	}
	if o := c.outcome; o != nil {
		info.Done = o.OK
		if !o.OK {
			info.Error, info.Stopped = o.Error, o.Stopped
		}
	}
	return info.State()
}

// missingSection lists the cells that did not finish, why, and which
// tables they lack, so that no figure over seeds leaves a cell out
// silently; a line under the title says how many. Nothing when every
// cell finished.
func missingSection(r *Report, groups []*group) {
	t := tables.Generic{Header: []string{"cell", "seed", "state", "where and why", "without"}}
	cells := 0
	for _, g := range groups {
		cells += len(g.cells)
		for _, c := range g.cells {
			state, detail := c.state()
			if state == slurm.CellDone {
				continue
			}
			var lacks []string
			if c.run.table1 == nil {
				lacks = append(lacks, "Table 1")
			}
			if c.run.table2 == nil {
				lacks = append(lacks, "Table 2")
			}
			without := results.Dash
			if len(lacks) > 0 {
				without = joinAnd(lacks)
			}
			t.Rows = append(t.Rows, []string{c.name, strconv.FormatUint(c.seed, 10), string(state), orDash(detail), without})
		}
	}
	if len(t.Rows) == 0 {
		return
	}
	r.intro = append(r.intro, para(fmt.Sprintf("**Missing: %d of %d cells did not finish**; the figures over seeds leave them out (see Missing cells).", len(t.Rows), cells)))
	s := r.add("missing", "Missing cells", 2)
	s.para("These cells did not finish. Every figure over seeds in this report is over the cells that have its table, and leaves these out where they lack it. The sweep's command, run again, runs them; a cell refused for invalid settings runs once its settings are valid.")
	s.table("", t)
}

func orDash(s string) string {
	if s == "" {
		return results.Dash
	}
	return s
}

// readOutcome reads a cell's outcome.json, nil when it has none.
func readOutcome(dir string) (*results.Outcome, error) {
	var o results.Outcome
	found, err := readJSON(dir, results.OutcomeFile, &o)
	if !found || err != nil {
		return nil, err
	}
	return &o, nil
}
