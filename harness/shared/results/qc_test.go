package results_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

func TestQCRoundTrip(t *testing.T) {
	qc := results.QC{AUROC: 0.9, AUPRC: 0.8, AURC: 0.2, AURCOptimal: 0.1, MissedFailures: 0.05, FlipRate: math.NaN(), Coverage: 0.91, IntervalWidth: 0.3, HalfWidth: 0.15}
	t1 := results.Table1{Rows: []results.Table1Row{{Method: "m", Input: "x, s", MAE: 0.1, N: 3, QC: &qc}, {Method: "old", Input: "d, s", MAE: 0.2, N: 3}}}
	var b bytes.Buffer
	if err := t1.JSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"auroc": 0.9`) || strings.Contains(b.String(), "flip_rate") {
		t.Errorf("Table 1 JSON lacks auroc or writes an unmeasured flip rate:\n%s", b.String())
	}
	got, err := results.ReadTable1(&b)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Rows[0].QC; g == nil || g.AUROC != 0.9 || g.Coverage != 0.91 || !math.IsNaN(g.FlipRate) || g.HalfWidth != 0.15 {
		t.Errorf("Table 1 QC read back as %+v", g)
	}
	if got.Rows[1].QC != nil {
		t.Errorf("a row without QC reads back with %+v", got.Rows[1].QC)
	}

	at := []results.QC{qc, qc}
	at[1].FlipRate, at[1].Coverage = 0.25, 0.5
	t2 := results.Table2{Rows: []results.Table2Row{{ID: "m_a", Method: "m", Input: "i", Attack: "a", Eps: []float64{0.1, 0.2}, MAE: []float64{1, 2}, Std: []float64{0, 0}, N: 3, CleanMAE: 0.1, QC: at, CleanQC: &qc}}}
	b.Reset()
	if err := t2.JSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"flip_rate": [
        null,
        0.25
      ]`) {
		t.Errorf("Table 2 JSON's flip_rate is not one value per ε:\n%s", b.String())
	}
	r2, err := results.ReadTable2(&b)
	if err != nil {
		t.Fatal(err)
	}
	row := r2.Rows[0]
	if len(row.QC) != 2 || row.QC[1].Coverage != 0.5 || row.QC[1].FlipRate != 0.25 || row.CleanQC == nil || row.CleanQC.AUROC != 0.9 {
		t.Errorf("Table 2 QC read back as %+v, clean %+v", row.QC, row.CleanQC)
	}

	bad := `{"rows":[{"method":"m","input":"i","attack":"a","eps":[0.1,0.2],"mae":[1,2],"std":[0,0],"n":1,"coverage":[0.9]}]}`
	if _, err := results.ReadTable2(strings.NewReader(bad)); !errors.Is(err, results.ErrShape) {
		t.Errorf("a coverage list shorter than eps reads with error %v, want ErrShape", err)
	}
}

// TestQCBandAndCoverageRoundTrip: the band's failure detection, the
// coverage's interval and the groups' coverage survive Table 1's JSON, the
// band Table 2's per ε; an unmeasured band figure stays NaN.
func TestQCBandAndCoverageRoundTrip(t *testing.T) {
	qc := results.NoQC()
	qc.Coverage, qc.CoverageCI = 0.88, &results.CI{Lo: 0.81, Hi: 0.93}
	qc.Band = &results.BandQC{Lo: 0.5, Hi: 0.9, N: 120, Failures: 48, AUROC: 0.81, AURC: 0.22, AURCOptimal: 0.2, MissedFailures: math.NaN()}
	qc.Groups = []results.GroupCoverage{{Group: "DCM", Samples: 40, Patients: 2, Coverage: 0.9, CI: results.CI{Lo: 0.85, Hi: 0.95}, HalfWidth: 0.2}}
	t1 := results.Table1{Rows: []results.Table1Row{{ID: "xs", Method: "m", Input: "x, s", N: 3, QC: &qc}}}
	var b bytes.Buffer
	if err := t1.JSON(&b); err != nil {
		t.Fatal(err)
	}
	got, err := results.ReadTable1(&b)
	if err != nil {
		t.Fatal(err)
	}
	g := got.Rows[0].QC
	if g == nil || g.CoverageCI == nil || *g.CoverageCI != *qc.CoverageCI || g.Band == nil || g.Band.N != 120 || g.Band.AUROC != 0.81 ||
		!math.IsNaN(g.Band.MissedFailures) || len(g.Groups) != 1 || g.Groups[0] != qc.Groups[0] {
		t.Errorf("Table 1 QC read back as %+v", g)
	}

	plain := results.NoQC()
	at := []results.QC{plain, qc}
	t2 := results.Table2{Rows: []results.Table2Row{{ID: "m_a", Method: "m", Input: "i", Attack: "a", Eps: []float64{0.1, 0.2}, MAE: []float64{1, 2}, Std: []float64{0, 0}, N: 3, CleanMAE: 0.1, QC: at}}}
	b.Reset()
	if err := t2.JSON(&b); err != nil {
		t.Fatal(err)
	}
	r2, err := results.ReadTable2(&b)
	if err != nil {
		t.Fatal(err)
	}
	if row := r2.Rows[0]; len(row.QC) != 2 || row.QC[0].Band != nil || row.QC[1].Band == nil || row.QC[1].Band.AURC != 0.22 {
		t.Errorf("Table 2 bands read back as %+v", row.QC)
	}
}
