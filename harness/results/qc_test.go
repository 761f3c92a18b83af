package results_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/results"
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
