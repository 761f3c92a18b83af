package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// TestRobustSection: a sweep whose cells have the worst-case rows gets the
// trade-off table, with each setting's means over seeds, and Write saves
// its figure as a PNG; a sweep without them gets no such section.
func TestRobustSection(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "sweep"))
	if r, err := Build(dir); err != nil {
		t.Fatal(err)
	} else if hasSection(r, "robust") {
		t.Fatal("a sweep without worst-case rows has a robustness section")
	}
	type cellRows struct {
		worst [2]float64
		clean float64
	}
	for cell, v := range map[string]cellRows{
		"regnet.loss=l1,seed=1": {[2]float64{0.10, 0.20}, 0.05},
		"regnet.loss=l1,seed=2": {[2]float64{0.12, 0.24}, 0.07},
		"regnet.loss=l2,seed=1": {[2]float64{0.40, 0.50}, 0.05},
		"regnet.loss=l2,seed=2": {[2]float64{0.42, 0.54}, 0.07},
	} {
		path := filepath.Join(dir, "cells", cell, "results", "table2.json")
		var t2 results.Table2 // one cell of the fixture has no Table 2 yet
		if raw, err := os.ReadFile(path); err == nil {
			if t2, err = results.ReadTable2(bytes.NewReader(raw)); err != nil {
				t.Fatal(err)
			}
		}
		t2.Rows = append(t2.Rows,
			results.Table2Row{ID: results.RowProposedWorstx, Method: results.MethodProposed, Input: results.TransferredDS, Attack: results.AttackWorstAdaptive,
				Eps: []float64{0.05, 0.1}, MAE: v.worst[:], Std: []float64{0.1, 0.1}, N: 50, CleanMAE: v.clean},
			results.Table2Row{ID: results.RowBaselineWorstx, Method: results.MethodBaseline, Input: results.AttackedXS, Attack: results.AttackWorstBaseline,
				Eps: []float64{0.05, 0.1}, MAE: []float64{0.3, 0.4}, Std: []float64{0.1, 0.1}, N: 50, CleanMAE: 0.2})
		if err := run.WriteAtomic(path, t2.JSON); err != nil {
			t.Fatal(err)
		}
	}
	md := render(t, dir, false)
	for _, want := range []string{
		"## Robustness against clean accuracy",
		"| regnet.loss=l1 | proposed (d, s) | 2 | 0.060 ± 0.014 | 0.110 ± 0.014 | 0.220 ± 0.028 |",
		"| regnet.loss=l2 | proposed (d, s) | 2 | 0.060 ± 0.014 | 0.410 ± 0.014 | 0.520 ± 0.028 |",
		"| regnet.loss=l1 | Robinson et al. (x, s) | 2 | 0.200 ± 0.000 | 0.300 ± 0.000 | 0.400 ± 0.000 |",
		robustFigureFile,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if _, _, err := Write(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(robustFigureFile)))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width < 200 {
		t.Errorf("the trade-off figure is not a PNG of a readable size: %v, %+v", err, cfg)
	}
}

func hasSection(r *Report, id string) bool {
	for _, s := range r.sections {
		if s.id == id {
			return true
		}
	}
	return false
}
