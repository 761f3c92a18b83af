package report

import (
	"strconv"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/reports/figures"
	"github.com/segqa/segqa/reports/tables"
)

// robustFigureFile is the sweep's trade-off figure, relative to the sweep.
const robustFigureFile = "figures/robust_tradeoff.png"

// robustSection tabulates and plots, per setting, each network's clean MAE
// and its MAE under the worst case of the attacks on x at each ε, mean ±
// std over seeds: what robustness a setting buys and what clean accuracy
// it costs. It adds nothing when no cell has the worst-case rows (the
// strong attacks are off).
func robustSection(r *Report, groups []*group) error {
	type point struct {
		setting string
		group   int // the setting's place in the grid, its colour
		row     results.Table2Row
		seeds   int
	}
	pts := make([][]point, len(results.WorstOnX)) // [rows][settings]
	var eps []float64
	for gi, g := range groups {
		t2s := g.table2s()
		if len(t2s) == 0 {
			continue
		}
		t2, n := aggregate2(t2s)
		for k, row := range t2.Rows {
			for i, w := range results.WorstOnX {
				if row.ID == w.Row {
					pts[i] = append(pts[i], point{g.setting, gi, row, n[k]})
					if len(row.Eps) > len(eps) {
						eps = row.Eps
					}
				}
			}
		}
	}
	if len(pts[0])+len(pts[1]) == 0 {
		return nil
	}
	s := r.add("robust", "Robustness against clean accuracy", 2)
	s.para("Each setting's MAE without attack and under the per-sample worst case of every attack on the image x that its run made (FGSM, PGD and, with attack.strong, APGD, Square, SignHunter and APGD across the pass threshold; for the proposed pipeline through REC-Net, with the transferred FGSM), mean ± std over seeds. Lower is better in both; a setting that lowers the worst case at the price of its clean MAE is a trade-off, one that lowers both is a gain.")
	header := []string{"setting", "network", "seeds", "clean"}
	for _, e := range eps {
		header = append(header, "ε = "+strconv.FormatFloat(e, 'g', -1, 64))
	}
	t := tables.Generic{Header: header}
	var series []results.Series
	for i, w := range results.WorstOnX {
		for _, p := range pts[i] {
			row := []string{p.setting, w.Input.Name(), strconv.Itoa(p.seeds), tables.PM(p.row.CleanMAE, p.row.CleanStd, 3)}
			for _, e := range eps {
				cell := results.Dash
				if k := p.row.EpsIndex(e); k >= 0 {
					cell = tables.PM(p.row.MAE[k], p.row.Std[k], 3)
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
			series = append(series, results.Series{
				Name:   p.setting + ": " + w.Input.Name(),
				X:      append([]float64{0}, p.row.Eps...),
				Y:      append([]float64{p.row.CleanMAE}, p.row.MAE...),
				Err:    append([]float64{p.row.CleanStd}, p.row.Std...),
				Dashed: w.Input == results.InputXS,
				Color:  figures.Color(p.group),
			})
		}
	}
	s.table("Clean and worst-case MAE per setting, mean ± std over seeds", t)
	fig := results.Curves{Series: series, XLabel: "ε (0: clean)", YLabel: "MAE of predicted Dice, worst case over the attacks on x",
		Title: "Clean against robust MAE per setting (solid: proposed, dashed: baseline)", ErrorBars: true}
	f, err := drawn("trade-off", robustFigureFile, "Worst-case MAE against ε for every setting, from its clean MAE at ε = 0; the settings share a colour across the two networks.", fig)
	if err != nil {
		return err
	}
	s.blocks = append(s.blocks, f)
	return nil
}
