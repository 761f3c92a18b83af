package experiments

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// qcSettings are what an evaluation judges predictions by: eval.*'s
// failure threshold, miscoverage, conformal method, Mondrian switch and
// band, and the seed and stage that name the streams of the bootstrap over
// test patients (stage/coverage/...).
type qcSettings struct {
	FailBelow, Alpha float64
	Conformal        config.ConformalMethod
	Groups           bool
	Band             []float64
	Seed             uint64
	Stage            results.StageName
}

// conformalCovers is what a table's key adds for eval.conformal,
// eval.conformal_groups and eval.band: nothing at their defaults, so that
// table stages from before them stay valid (their rows lack the band and
// the coverage's interval, which the reports then leave out).
func conformalCovers(m config.ConformalMethod, groups bool, band []float64) []any {
	var out []any
	if m != config.ConformalSplit {
		out = append(out, "conformal "+string(m))
	}
	if groups {
		out = append(out, "conformal per group")
	}
	if !slices.Equal(band, results.DefaultBand[:]) {
		out = append(out, band)
	}
	return out
}

// labelled is a pool with the patient and the group of each sample.
type labelled struct {
	*Pool
	patients, groups []string
}

// label finds the patient and the group of every sample of pool.
func (ev *evaluation) label(pool *Pool) labelled {
	l := labelled{Pool: pool, patients: make([]string, pool.Len()), groups: make([]string, pool.Len())}
	for i, s := range pool.Slices {
		id := ev.prep.Slices[s].Patient
		l.patients[i], l.groups[i] = id, ev.prep.Groups[id]
	}
	return l
}

// calibration is the pool the intervals are calibrated on: the
// calibration patients' when data.calib_patients set some aside, else the
// validation pool, which also chose each REG-Net's best epoch.
func (ev *evaluation) calibration() (labelled, error) {
	split := results.Val
	if len(ev.prep.Split.Calib) > 0 {
		split = results.Calib
	}
	pool, err := ev.up.pool(split)
	if err != nil {
		return labelled{}, err
	}
	return ev.label(pool), nil
}

// interval is a calibrated conformal interval: its half-width and, with
// eval.conformal_groups, one per group of patients (a Mondrian interval).
type interval struct {
	q      float64
	groups map[string]float64 // nil without eval.conformal_groups
}

// halfWidths is the half-width each sample of groups gets: its group's,
// 1 (the whole [0, 1]) for a group the calibration did not see.
func (iv interval) halfWidths(groups []string) []float64 {
	out := make([]float64, len(groups))
	for i, g := range groups {
		out[i] = iv.q
		if iv.groups != nil {
			q, ok := iv.groups[g]
			if !ok {
				q = 1
			}
			out[i] = q
		}
	}
	return out
}

// calibrate calibrates the interval of predictions pred of cal, by
// eval.conformal: split conformal on the samples, or hierarchical
// conformal on the patients (stats.PatientHalfWidth); with
// eval.conformal_groups, each group apart as well. A calibration too
// small for eval.alpha gives 1, the whole [0, 1], and says so in the log.
func (ev *evaluation) calibrate(name string, pred []float64, cal labelled) interval {
	iv := interval{q: ev.halfWidth(name, pred, cal.Dice, cal.patients)}
	if !ev.qc.Groups {
		return iv
	}
	iv.groups = map[string]float64{}
	for _, g := range slices.Sorted(maps.Keys(setOf(cal.groups))) {
		var p, t []float64
		var ids []string
		for i := range pred {
			if cal.groups[i] == g {
				p, t, ids = append(p, pred[i]), append(t, cal.Dice[i]), append(ids, cal.patients[i])
			}
		}
		iv.groups[g] = ev.halfWidth(name+", group "+g, p, t, ids)
	}
	return iv
}

// halfWidth is one calibration by eval.conformal, at most 1.
func (ev *evaluation) halfWidth(name string, pred, truth []float64, patients []string) float64 {
	var q float64
	if ev.qc.Conformal == config.ConformalPatient {
		q = stats.PatientHalfWidth(pred, truth, patients, ev.qc.Alpha)
	} else {
		q = stats.ConformalHalfWidth(pred, truth, ev.qc.Alpha)
	}
	if q >= 1 || math.IsNaN(q) {
		units, have := "samples", len(pred)
		if ev.qc.Conformal == config.ConformalPatient {
			units, have = "patients", len(setOf(patients))
		}
		// Two lines, each within a terminal's 100 columns.
		if need := stats.MinPatients(ev.qc.Alpha); have < need {
			ev.w.logf("conformal: %s: %d %s are too few for a %s interval\n  at alpha %g (it needs %d %s); the interval is [0, 1]\n",
				name, have, units, ev.qc.Conformal, ev.qc.Alpha, need, units)
		} else {
			ev.w.logf("conformal: %s: the calibration errors' quantile at alpha %g is 1\n  (%d %s); the interval is [0, 1]\n",
				name, ev.qc.Alpha, have, units)
		}
		return 1
	}
	return q
}

func setOf(xs []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range xs {
		out[x] = true
	}
	return out
}

// intervals calibrates the interval of every REG-Net of inputs on the
// calibration pool.
func (ev *evaluation) intervals(inputs []results.Input) (map[results.Input]interval, labelled, error) {
	cal, err := ev.calibration()
	if err != nil {
		return nil, cal, err
	}
	out := map[results.Input]interval{}
	for _, input := range inputs {
		pr, err := ev.predict(cal.Pool, input)
		if err != nil {
			return nil, cal, fmt.Errorf("calibrate the interval of REG-Net %s: %w", input, err)
		}
		out[input] = ev.calibrate("REG-Net "+string(input), pr.dice, cal)
	}
	return out, cal, nil
}

// conformalFile is results/conformal.json: how the intervals of the
// REG-Nets of rows were calibrated, on which patients, and how they
// covered the test pool (each row's QC).
func (ev *evaluation) conformalFile(ivs map[results.Input]interval, cal labelled, rows map[results.Input]results.QC, testPatients int) results.Conformal {
	c := results.Conformal{Alpha: ev.qc.Alpha, FailBelow: ev.qc.FailBelow, Calibration: cal.Len(), Method: string(ev.qc.Conformal),
		Pool: cal.Split, Patients: slices.Sorted(maps.Keys(setOf(cal.patients))),
		HalfWidth: map[results.Input]float64{}, Networks: map[results.Input]results.ConformalNetwork{}}
	for in, iv := range ivs {
		c.HalfWidth[in] = iv.q
		n := results.ConformalNetwork{Pool: cal.Split, HalfWidth: results.Number(iv.q), TestPatients: testPatients}
		if iv.groups != nil {
			n.GroupHalfWidth = map[string]results.Number{}
			for g, q := range iv.groups {
				n.GroupHalfWidth[g] = results.Number(q)
			}
		}
		qc, ok := rows[in]
		n.Coverage, n.CoverageCI = results.Number(math.NaN()), [2]results.Number{results.Number(math.NaN()), results.Number(math.NaN())}
		if ok {
			n.Coverage = results.Number(qc.Coverage)
			if qc.CoverageCI != nil {
				n.CoverageCI = [2]results.Number{results.Number(qc.CoverageCI.Lo), results.Number(qc.CoverageCI.Hi)}
			}
		}
		c.Networks[in] = n
	}
	return c
}
