package experiments

import (
	"math"
	"slices"
	"testing"

	"github.com/segqa/segqa/harness/shared/results"
)

// everyRow is a Table 2 with every row segqa computes and one it does
// not, at two ε.
func everyRow() results.Table2 {
	ids := []results.RowID{"custom_row"}
	for _, p := range epsilonPanels {
		for _, r := range p.rows {
			ids = append(ids, r.id)
		}
	}
	ids = append(ids, results.RowSegmentationNone)
	var t results.Table2
	for k, id := range ids {
		r := id.Row()
		r.Eps, r.N, r.CleanMAE, r.CleanStd = []float64{0.1, 0.2}, 10, 0.05, 0.05
		r.MAE, r.Std = []float64{0.1 + 0.01*float64(k), 0.2}, []float64{0.05, 0.05}
		t.Rows = append(t.Rows, r)
	}
	return t.WithPaper(results.PaperTable2())
}

// TestEpsilonFigurePanels: table2_mae_vs_eps.png draws every row once, in
// small multiples: the paper's protocol with the paper's figures, a panel
// per pipeline with the network on s alone as reference, and the rows no
// panel names in a panel of their own.
func TestEpsilonFigurePanels(t *testing.T) {
	f, ok := epsilonFigure(everyRow()).(results.SmallMultiples)
	if !ok {
		t.Fatalf("table2_mae_vs_eps.png is a %T, want small multiples", epsilonFigure(everyRow()))
	}
	if len(f.Panels) != len(epsilonPanels)+1 {
		t.Fatalf("%d panels, want %d and one for the other rows", len(f.Panels), len(epsilonPanels))
	}
	seen := map[string]int{}
	for i, p := range f.Panels {
		var paper, noImage int
		for _, s := range p.Series {
			seen[s.Name]++
			switch {
			case s.Dashed && s.Err == nil && slices.Contains(s.X, 0):
				noImage++
			case s.Dashed:
				paper++
			case len(s.Err) != len(s.X) || s.X[0] != 0 || math.IsNaN(s.Y[0]):
				t.Errorf("panel %q: series %q lacks its error bars or its clean MAE at ε = 0", p.Title, s.Name)
			}
		}
		if wantPaper := i == 0; (paper == 3) != wantPaper {
			t.Errorf("panel %q has %d series of the paper's figures", p.Title, paper)
		}
		if wantRef := i > 0 && i < len(epsilonPanels); (noImage == 1) != wantRef {
			t.Errorf("panel %q has the network on s alone %d times", p.Title, noImage)
		}
	}
	for name, n := range seen {
		if n > 1 && name != results.InputS.Name()+": no image to attack" {
			t.Errorf("series %q drawn %d times", name, n)
		}
	}
	if other := f.Panels[len(f.Panels)-1]; len(other.Series) != 1 || other.Series[0].Name != "custom_row" {
		t.Errorf("the other rows' panel holds %+v, want the custom row", other.Series)
	}
}
