package score

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestTableSaysCoverage: segqa score's table names how the run calibrated
// its intervals and how often they held on its test pool, with the
// interval over its patients, and that they hold without attack only; a
// run that recorded none of it gets the interval alone.
func TestTableSaysCoverage(t *testing.T) {
	dir := t.TempDir()
	c := results.Conformal{Alpha: 0.1, Method: "patient", Pool: results.Calib, Patients: []string{"patient041", "patient042"},
		HalfWidth: map[results.Input]float64{results.InputXS: 0.15},
		Networks: map[results.Input]results.ConformalNetwork{results.InputXS: {Pool: results.Calib, HalfWidth: 0.15, Coverage: 0.893,
			CoverageCI: [2]results.Number{0.84, 0.94}, TestPatients: 10}}}
	if err := run.WriteJSON(filepath.Join(dir, filepath.FromSlash(results.ConformalFile)), c); err != nil {
		t.Fatal(err)
	}
	r := &Result{Inputs: []results.Input{results.InputXS}, Slices: []Slice{{Z: 0, SegPixels: 10, Predicted: map[results.Input]float64{results.InputXS: 0.5}}}}
	if err := r.addIntervals(dir); err != nil {
		t.Fatal(err)
	}
	title := r.Table().Title
	for _, want := range []string{"90% conformal interval (patient conformal on 2 calibration patients", "held 0.89 [0.84, 0.94] of x, s's true Dice", "without attack only"} {
		if !strings.Contains(title, want) {
			t.Errorf("the title %q lacks %q", title, want)
		}
	}
	if iv := r.Slices[0].Interval[results.InputXS]; iv != [2]float64{0.35, 0.65} {
		t.Errorf("interval %v, want [0.35, 0.65]", iv)
	}
	old := results.Conformal{Alpha: 0.1, HalfWidth: map[results.Input]float64{results.InputXS: 0.15}}
	if err := run.WriteJSON(filepath.Join(dir, filepath.FromSlash(results.ConformalFile)), old); err != nil {
		t.Fatal(err)
	}
	if err := r.addIntervals(dir); err != nil {
		t.Fatal(err)
	}
	if title := r.Table().Title; strings.Contains(title, "held") || !strings.HasSuffix(title, "90% conformal interval") {
		t.Errorf("a run without the record: title %q", title)
	}
}
