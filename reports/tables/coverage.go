package tables

import (
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
)

// Coverage is Table 1's intervals: for each row whose coverage has an
// interval, the share of the test pool's true Dice inside the conformal
// interval with its 95% interval from a bootstrap over the test patients,
// the intervals' mean width and the calibrated half-width. Rows without
// the interval (the runs before segqa measured it) are left out.
func Coverage(t results.Table1) Generic {
	g := Generic{
		Title:  "Table 1, intervals: coverage of the test pool, its 95% interval over test patients, mean width, half-width",
		Header: []string{"network", "coverage", "95% interval", "width", "half-width"},
	}
	for _, r := range t.Rows {
		q := r.QC
		if q == nil || q.CoverageCI == nil {
			continue
		}
		g.Rows = append(g.Rows, []string{rowName(r), Fixed(q.Coverage, 3), ciText(*q.CoverageCI), Fixed(q.IntervalWidth, 3), Fixed(q.HalfWidth, 3)})
	}
	return g
}

// CoverageGroups is Table 1's coverage per group of patients (Info.cfg's
// Group): for each row and group, its test patients and samples, the share
// covered with its 95% interval over the group's patients, and the
// half-width its samples got.
func CoverageGroups(t results.Table1) Generic {
	g := Generic{
		Title:  "Table 1, coverage per group of patients, 95% interval over the group's test patients",
		Header: []string{"network", "group", "patients", "samples", "coverage", "95% interval", "half-width"},
	}
	for _, r := range t.Rows {
		if r.QC == nil {
			continue
		}
		for _, gc := range r.QC.Groups {
			name := gc.Group
			if name == "" {
				name = results.Dash
			}
			g.Rows = append(g.Rows, []string{rowName(r), name, strconv.Itoa(gc.Patients), strconv.Itoa(gc.Samples),
				Fixed(gc.Coverage, 3), ciText(gc.CI), Fixed(gc.HalfWidth, 3)})
		}
	}
	return g
}

// HasCoverage reports whether a row of t has its coverage's interval.
func HasCoverage(t results.Table1) bool { return len(Coverage(t).Rows) > 0 }

// HasGroups reports whether a row of t has its coverage per group.
func HasGroups(t results.Table1) bool { return len(CoverageGroups(t).Rows) > 0 }

// rowName is a Table 1 row as "method (input)".
func rowName(r results.Table1Row) string { return r.Method + " (" + r.Input + ")" }

// ciText is an interval as "[0.81, 0.93]".
func ciText(c results.CI) string { return "[" + Fixed(c.Lo, 2) + ", " + Fixed(c.Hi, 2) + "]" }

// table1Calibration is what Table 1 measured of its intervals and on
// eval.band, for the terminal: the tables among Coverage, CoverageGroups
// and Band that have rows.
func table1Calibration(t results.Table1) []terminalTable {
	var out []terminalTable
	for _, g := range []Generic{Coverage(t), CoverageGroups(t), Band(t)} {
		if len(g.Rows) > 0 {
			out = append(out, g)
		}
	}
	return out
}
