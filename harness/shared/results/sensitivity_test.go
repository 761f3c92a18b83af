package results_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// TestSensitivityFlag: a network is flagged only when neither replacement
// of its image input moves its predictions by eval.sensitivity_min on
// average; the MAE and mean |Δ| are those of the replaced predictions.
func TestSensitivityFlag(t *testing.T) {
	truth := []float64{0.1, 0.5, 0.9}
	pred := []float64{0.2, 0.5, 0.8}
	near := func(d float64) []float64 { return []float64{0.2 + d, 0.5 - d, 0.8 + d} }
	for _, c := range []struct {
		name             string
		zeroed, shuffled []float64
		flagged          bool
	}{
		{"neither moves", near(0.01), near(0.02), true},
		{"shuffling moves it", near(0.01), near(0.1), false},
		{"zeroing moves it", near(0.1), near(0.01), false},
		{"not shuffled (one test sample)", near(0.01), nil, false},
	} {
		s := results.NewSensitivity("d", truth, pred, c.zeroed, c.shuffled, 0.03)
		if s.IgnoresImage != c.flagged {
			t.Errorf("%s: flagged %v, want %v (%+v)", c.name, s.IgnoresImage, c.flagged, s)
		}
	}
	s := results.NewSensitivity("x", truth, pred, near(0.1), []float64{0.9, 0.1, 0.5}, 0.03)
	// zeroed: |Δ| 0.1 each, MAE (0.2 + 0.1 + 0) / 3; shuffled: |Δ| (0.7 + 0.4 + 0.3) / 3, MAE (0.8 + 0.4 + 0.4) / 3.
	for _, c := range []struct{ got, want float64 }{
		{s.Zeroed.MeanAbsDelta, 0.1}, {s.Zeroed.MAE, 0.1}, {s.Shuffled.MeanAbsDelta, 1.4 / 3}, {s.Shuffled.MAE, 1.6 / 3}, {s.Moved(), 1.4 / 3},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("got %g, want %g (%+v)", c.got, c.want, s)
		}
	}
}

// TestSensitivityRoundTrip: a Table 1 row's input sensitivity is written
// to table1.json and read back; a row without one (the network on s
// alone) has none.
func TestSensitivityRoundTrip(t *testing.T) {
	sens := results.NewSensitivity("d", []float64{0.5}, []float64{0.4}, []float64{0.41}, []float64{0.42}, 0.03)
	in := results.Table1{Rows: []results.Table1Row{
		{ID: results.InputDS.Table1ID(), Method: results.MethodProposed, Input: "d, s", MAE: 0.1, N: 1, Sensitivity: &sens},
		{ID: results.InputS.Table1ID(), Method: results.MethodSegmentation, Input: "s", MAE: 0.2, N: 1},
	}}
	var b bytes.Buffer
	if err := in.JSON(&b); err != nil {
		t.Fatal(err)
	}
	got, err := results.ReadTable1(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Rows[0].Sensitivity; s == nil || *s != sens || !s.IgnoresImage || got.Rows[1].Sensitivity != nil || !got.HasSensitivity() {
		t.Errorf("read back %+v, sensitivity %+v", got.Rows, got.Rows[0].Sensitivity)
	}
}
