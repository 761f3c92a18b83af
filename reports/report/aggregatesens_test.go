package report

import (
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// TestSensitivityOverSeeds: per network over seeds, the mean ± std of the
// replaced predictions' MAE and |Δ| and the seeds in which it was flagged;
// the network on s alone with its MAE and no image input; the agreement
// baseline, which has no measurement, left out.
func TestSensitivityOverSeeds(t *testing.T) {
	truth, pred := []float64{0.2, 0.8}, []float64{0.3, 0.7}
	seed := func(ds []float64) results.Table1 {
		uses := results.NewSensitivity("x", truth, pred, []float64{0.5, 0.5}, []float64{0.7, 0.3}, 0.03)
		flat := results.NewSensitivity("d", truth, pred, []float64{0.3, 0.7}, ds, 0.03)
		return results.Table1{Rows: []results.Table1Row{
			{ID: "xs", Method: results.MethodBaseline, Input: "x, s", MAE: 0.1, Sensitivity: &uses},
			{ID: "ds", Method: results.MethodProposed, Input: "d, s", MAE: 0.1, Sensitivity: &flat},
			{ID: "s", Method: results.MethodSegmentation, Input: "s", MAE: 0.2},
			{ID: results.Table1Agreement, Method: results.MethodAgreement, Input: "x, s (vote)", MAE: 0.3},
		}}
	}
	g := sensitivityOver([]results.Table1{seed([]float64{0.31, 0.71}), seed([]float64{0.5, 0.5})})
	if len(g.Rows) != 3 {
		t.Fatalf("rows %q, want (x, s), (d, s) and s alone", g.Rows)
	}
	want := [][]string{
		{"Robinson et al. (x, s)", "x", "2", "0.100 ± 0.000", "0.300 ± 0.000", "0.200 ± 0.000", "0.500 ± 0.000", "0.400 ± 0.000", "0 of 2"},
		{"proposed (d, s)", "d", "2", "0.100 ± 0.000", "0.100 ± 0.000", "0.000 ± 0.000", "0.200 ± 0.141", "0.105 ± 0.134", "1 of 2"},
		{"segmentation alone (s)", "—", "2", "0.200 ± 0.000", "—", "—", "—", "—", "no image"},
	}
	for i, row := range g.Rows {
		if strings.Join(row, "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, row, want[i])
		}
	}
	if g := sensitivityOver([]results.Table1{{Rows: []results.Table1Row{{ID: "s", Method: results.MethodSegmentation, Input: "s"}}}}); len(g.Rows) != 0 {
		t.Errorf("runs without a measurement give rows %q", g.Rows)
	}
}

// TestFlaggedText: the run report names the networks a run flagged.
func TestFlaggedText(t *testing.T) {
	flat := results.NewSensitivity("d", []float64{0.5}, []float64{0.4}, []float64{0.4}, []float64{0.41}, 0.03)
	uses := results.NewSensitivity("x", []float64{0.5}, []float64{0.4}, []float64{0.9}, []float64{0.1}, 0.03)
	t1 := results.Table1{Rows: []results.Table1Row{
		{ID: "xs", Method: results.MethodBaseline, Input: "x, s", Sensitivity: &uses},
		{ID: "ds", Method: results.MethodProposed, Input: "d, s", Sensitivity: &flat},
		{ID: "s", Method: results.MethodSegmentation, Input: "s"},
	}}
	if got, want := flaggedText(t1), " Flagged in this run: proposed (d, s)."; got != want {
		t.Errorf("flaggedText = %q, want %q", got, want)
	}
	t1.Rows = t1.Rows[:1]
	if got := flaggedText(t1); got != " No network of this run is flagged." {
		t.Errorf("flaggedText without a flag = %q", got)
	}
}
