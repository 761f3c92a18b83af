package report

import (
	"fmt"
	"strings"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/tables"
)

// withoutAttackOnly is what the report says of the intervals under
// attack: segqa calibrates none that holds there.
const withoutAttackOnly = "**The conformal intervals hold without attack only.** " +
	"Their guarantee assumes the test samples come from the same patients' population as the calibration samples and are fed as they are; " +
	"an attacked input breaks that, and their coverage under attack (Table 2's quality-control table) is no guarantee of anything. " +
	"segqa has no interval valid under attack; the certify stage's certified intervals are another kind, for the smoothed predictor."

// calibrationText says how a run's intervals were calibrated, from its
// conformal.json (nil: a run before segqa recorded it).
func calibrationText(c *results.Conformal) string {
	if c == nil {
		return "The intervals were calibrated on the validation pool by split conformal (this run's `conformal.json` does not say more)."
	}
	method, pool := c.Method, c.Pool
	if method == "" {
		method = "split"
	}
	if pool == "" {
		pool = results.Val
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The intervals are %s conformal at miscoverage %g, calibrated on the %s pool: %d samples", method, c.Alpha, poolName(pool), c.Calibration)
	if len(c.Patients) > 0 {
		fmt.Fprintf(&b, " of %d patients (%s)", len(c.Patients), shortList(c.Patients, 8))
	}
	b.WriteString(". ")
	if pool == results.Calib {
		b.WriteString("These patients serve nothing else: no network trained, stopped early or was selected on them. ")
	} else {
		b.WriteString("The validation pool also stopped each REG-Net's and REC-Net's training and chose their best epochs, so its residuals are not exchangeable with the test pool's (data.calib_patients sets patients aside for calibration alone). ")
	}
	if method == "patient" {
		b.WriteString("Each calibration patient is one unit (hierarchical conformal, docs/qc.md): a slice of a new patient of the same population is in its interval with probability at least 1 − α. ")
	} else {
		b.WriteString("Each calibration sample is one unit (split conformal): the guarantee holds if test samples are exchangeable with calibration samples, which slices of a few patients are not (docs/qc.md). ")
	}
	b.WriteString("Coverage is the share of the test pool's true Dice inside its interval, with a 95% interval from 2000 resamples of the test patients (each bringing all its samples); a run's coverage varies with its test patients, and the interval says by how much.")
	return b.String()
}

// poolName is a pool as the report names it.
func poolName(s results.Split) string {
	if s == results.Calib {
		return "calibration"
	}
	if s == results.Val {
		return "validation"
	}
	return string(s)
}

// table1Calibration adds to s how the intervals were calibrated and their
// coverage with its interval and per group, and failure detection on
// eval.band, where Table 1 measured them.
func (d *runData) table1Calibration(s *section) {
	t := *d.table1
	if tables.HasCoverage(t) {
		s.para("%s %s", calibrationText(d.conformal), withoutAttackOnly)
		s.table("", tables.Coverage(t))
	}
	if tables.HasGroups(t) {
		s.para("Coverage per group of patients (Info.cfg's Group), each with a 95%% interval from resampling the group's test patients; " +
			"with eval.conformal_groups each group has an interval of its own (a Mondrian interval), else all share one.")
		s.table("", tables.CoverageGroups(t))
	}
	if b := tables.Band(t); len(b.Rows) > 0 {
		s.para("A Dice-uniform pool holds many failures far below eval.fail_below and passes far above it, which any predictor tells apart. " +
			"The band of true Dice around the threshold (eval.band) holds the cases a QC user worries about: AUROC, AURC (with the best ordering's) and the share of failures passed, there and on the whole pool.")
		s.table("", b)
	}
}

// table2Calibration adds to s what the intervals mean under attack and
// failure detection on eval.band at each ε, where Table 2 measured it.
func table2Calibration(s *section, t results.Table2) {
	if t.HasQC() {
		s.para("%s", withoutAttackOnly)
	}
	if b := tables.Table2Band(t); len(b.Rows) > 0 {
		s.table("", b)
	}
}
