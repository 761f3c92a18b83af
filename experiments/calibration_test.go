package experiments

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/data/acdc"
	"github.com/segqa/segqa/harness/shared/results"
)

// patientsOf makes n patients named as the phantoms are, the groups in
// turn as the phantoms' are.
func patientsOf(n int) []acdc.Patient {
	out := make([]acdc.Patient, n)
	for i := range out {
		out[i] = acdc.Patient{ID: acdc.SyntheticID(i + 1), Group: []string{"DCM", "HCM", "MINF", "NOR", "RV"}[i%5]}
	}
	return out
}

// TestSplitPatientsSetsAsideCalibration: phantoms set aside for
// calibration are those after data.patients, and the other three splits
// are what they are without them; from ACDC they are drawn evenly over the
// groups; without them the split is the one segqa always made.
func TestSplitPatientsSetsAsideCalibration(t *testing.T) {
	d := config.Default().Data
	d.Patients, d.Split = 16, []float64{0.6, 0.2, 0.2}
	before, err := splitPatients(patientsOf(16), d, 3)
	if err != nil {
		t.Fatal(err)
	}
	if before.Calib != nil {
		t.Errorf("without calibration patients: calib %v", before.Calib)
	}
	d.CalibPatients = 9
	with, err := splitPatients(patientsOf(25), d, 3)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 17; i <= 25; i++ {
		want = append(want, acdc.SyntheticID(i))
	}
	if !slices.Equal(with.Calib, want) {
		t.Errorf("calibration phantoms %v, want %v", with.Calib, want)
	}
	if !slices.Equal(with.Train, before.Train) || !slices.Equal(with.Val, before.Val) || !slices.Equal(with.Test, before.Test) {
		t.Errorf("the calibration phantoms moved the split: %+v, before %+v", with, before)
	}

	d.Source, d.CalibPatients = config.SourceACDC, 10
	acdcSplit, err := splitPatients(patientsOf(25), d, 3)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, id := range acdcSplit.Calib {
		n := 0
		fmt.Sscanf(strings.TrimPrefix(id, "patient"), "%d", &n)
		per[[]string{"DCM", "HCM", "MINF", "NOR", "RV"}[(n-1)%5]]++
	}
	if len(acdcSplit.Calib) != 10 || len(per) != 5 || per["DCM"] != 2 {
		t.Errorf("ACDC calibration patients %v (%v per group), want 2 of each group", acdcSplit.Calib, per)
	}
	all := slices.Concat(acdcSplit.Train, acdcSplit.Val, acdcSplit.Test, acdcSplit.Calib)
	if slices.Sort(all); len(slices.Compact(all)) != 25 {
		t.Errorf("the splits do not partition the 25 patients: %+v", acdcSplit)
	}
	d.CalibPatients = 23
	if _, err := splitPatients(patientsOf(25), d, 3); err == nil {
		t.Error("23 calibration patients of 25 leave no patient per split, and no error")
	}
}

// calibrationPool is 40 samples of 4 patients of groups A, A, B, B: true
// Dice spread over [0, 1), predictions off by 0.05 in group A and 0.2 in
// group B.
func calibrationPool() (labelled, []float64) {
	l := labelled{Pool: &Pool{Split: results.Calib}}
	var pred []float64
	for i := range 40 {
		p, g := i/10, "A"
		off := 0.05
		if p >= 2 {
			g, off = "B", 0.2
		}
		d := float64(i%10)/10 + 0.05
		l.Dice, l.Slices = append(l.Dice, d), append(l.Slices, i)
		l.patients, l.groups = append(l.patients, fmt.Sprint("p", p)), append(l.groups, g)
		pred = append(pred, d+off*float64(1-2*(i%2)))
	}
	return l, pred
}

// TestCalibrateAndJudge: split conformal on the samples, a Mondrian
// interval per group, an interval of [0, 1] (and a line in the log) where
// four patients are too few for the patient method; the judge's band holds
// the samples of true Dice in it, and the coverage's interval and groups
// come with Table 1's figures.
func TestCalibrateAndJudge(t *testing.T) {
	cal, pred := calibrationPool()
	var log bytes.Buffer
	ev := &evaluation{w: &worker{log: &log}, qc: qcSettings{FailBelow: 0.5, Alpha: 0.1, Conformal: config.ConformalSplit, Band: []float64{0.3, 0.7}, Seed: 1, Stage: results.StageTable1}}
	if iv := ev.calibrate("split", pred, cal); math.Abs(iv.q-0.2) > 1e-9 || iv.groups != nil {
		t.Errorf("split: %+v, want q 0.2 (rank 37 of 40) and no groups", iv)
	}
	ev.qc.Groups = true
	iv := ev.calibrate("mondrian", pred, cal)
	if math.Abs(iv.groups["A"]-0.05) > 1e-9 || math.Abs(iv.groups["B"]-0.2) > 1e-9 {
		t.Errorf("Mondrian: %+v, want 0.05 for A and 0.2 for B", iv)
	}
	if q := iv.halfWidths([]string{"A", "B", "C"}); q[0] != iv.groups["A"] || q[1] != iv.groups["B"] || q[2] != 1 {
		t.Errorf("half-widths %v: a group unseen in calibration gets 1", q)
	}
	ev.qc.Groups, ev.qc.Conformal = false, config.ConformalPatient
	if iv := ev.calibrate("patient", pred, cal); iv.q != 1 || !strings.Contains(log.String(), "it needs 9 patients") {
		t.Errorf("patient on 4 patients: %+v, log %q", iv, log.String())
	}

	j := judge{pool: cal, set: ev.qc}
	qc := j.qc(pred, nil, interval{q: 0.1})
	if b := qc.Band; b == nil || b.N != 16 || b.Failures != 8 || math.IsNaN(b.AUROC) {
		t.Errorf("band %+v, want the 16 samples of true Dice in [0.3, 0.7), 8 below 0.5", qc.Band)
	}
	if math.Abs(qc.Coverage-0.5) > 1e-9 {
		t.Errorf("coverage %v, want 0.5 (group A only)", qc.Coverage)
	}
	j.withCoverage(&qc, pred, interval{q: 0.1}, "xs")
	if ci := qc.CoverageCI; ci == nil || !(ci.Lo <= 0.5 && 0.5 <= ci.Hi) || ci.Lo == ci.Hi {
		t.Errorf("coverage interval %+v", ci)
	}
	if len(qc.Groups) != 2 || qc.Groups[0].Coverage != 1 || qc.Groups[1].Coverage != 0 || qc.Groups[0].Patients != 2 || qc.Groups[1].Samples != 20 {
		t.Errorf("groups %+v", qc.Groups)
	}
}
