package experiments

import (
	"image/color"
	"slices"

	"github.com/segqa/segqa/harness/shared/results"
)

// epsilonPanel is a panel of table2_mae_vs_eps.png: its title and its
// rows, each with its colour; paper draws the rows' paper figures beside
// them, dashed.
type epsilonPanel struct {
	title string
	rows  []panelRow
	paper bool
}

// panelRow is a row of a panel and its colour, an index into slotColors.
type panelRow struct {
	id     results.RowID
	colour int
}

// epsilonPanels are the panels of table2_mae_vs_eps.png: the paper's
// protocol, where d is attacked directly, apart (the worst case over x and
// d with it); then each pipeline under the attacks on its image x, end to
// end, a colour per kind of attack across them (slotColors).
var epsilonPanels = []epsilonPanel{
	{"The paper's protocol: d attacked directly", []panelRow{
		{results.RowBaselineFGSMx, 0}, {results.RowProposedFGSMd, 1}, {results.RowProposedTransfer, 2}, {results.RowProposedWorstxd, 7}}, true},
	{results.InputXS.Name() + ": attacks on x", []panelRow{
		{results.RowBaselinePGDx, 1}, {results.RowBaselineAPGDx, 2}, {results.RowBaselineSquarex, 3}, {results.RowBaselineHuntx, 4},
		{results.RowBaselineThresholdx, 5}, {results.RowBaselineWorstx, 6}}, false},
	{results.InputDS.Name() + ": attacks on x, end to end", []panelRow{
		{results.RowProposedFGSMx, 0}, {results.RowProposedPGDx, 1}, {results.RowProposedAPGDx, 2}, {results.RowProposedSquarex, 3},
		{results.RowProposedHuntx, 4}, {results.RowProposedThresholdx, 5}, {results.RowProposedWorstx, 6}}, false},
	{results.MethodAgreement + ": attacks on x", []panelRow{
		{results.RowAgreementFGSMx, 0}, {results.RowAgreementPGDx, 1}}, false},
}

// slotColors are Tableau 10's colours, the figures' palette, but for
// yellow: in the pipelines' panels FGSM, PGD, APGD, Square, SignHunter,
// the threshold attack and the worst case; pink for the worst case over x
// and d.
var slotColors = []color.Color{
	color.RGBA{0x4e, 0x79, 0xa7, 0xff}, color.RGBA{0xf2, 0x8e, 0x2b, 0xff}, color.RGBA{0xe1, 0x57, 0x59, 0xff},
	color.RGBA{0x59, 0xa1, 0x4f, 0xff}, color.RGBA{0xb0, 0x7a, 0xa1, 0xff}, color.RGBA{0x76, 0xb7, 0xb2, 0xff},
	color.RGBA{0x9c, 0x75, 0x5f, 0xff}, color.RGBA{0xff, 0x9d, 0xa7, 0xff},
}

// epsilonFigure plots MAE against ε as small multiples (epsilonPanels), a
// panel per pipeline with its rows' error bars of one standard deviation;
// ε = 0 is the clean MAE of the row's network. The network on s alone,
// which no attack reaches, is a dashed reference in the pipelines'
// panels; rows no panel names have a panel of their own.
func epsilonFigure(t results.Table2) results.Figure {
	f := results.SmallMultiples{Title: "MAE of the predicted Dice under attack, mean ± std (ε = 0: no attack)", Cols: 2}
	panel := func(title string) results.Curves {
		return results.Curves{Title: title, XLabel: "ε", YLabel: "MAE of predicted Dice", ErrorBars: true}
	}
	drawn := []results.RowID{results.RowSegmentationNone}
	for _, p := range epsilonPanels {
		c := panel(p.title)
		for _, pr := range p.rows {
			r := t.Row(pr.id)
			if r == nil {
				continue
			}
			name, colour := r.Attack, slotColors[pr.colour]
			if p.paper {
				name = r.Method + ": " + r.Attack
			}
			c.Series = append(c.Series, maeSeries(*r, name, colour))
			if p.paper && r.PaperMAE != nil {
				c.Series = append(c.Series, results.Series{Name: name + ", the paper's", X: r.Eps, Y: r.PaperMAE,
					Dashed: true, Color: colour})
			}
			drawn = append(drawn, pr.id)
		}
		if len(c.Series) == 0 {
			continue
		}
		if s, ok := noImageSeries(t); ok && !p.paper {
			c.Series = append(c.Series, s)
		}
		f.Panels = append(f.Panels, c)
	}
	other := panel("Other rows")
	for _, r := range t.Rows {
		if !slices.Contains(drawn, r.ID) {
			name := r.Attack
			if r.Method != "" {
				name = r.Method + ": " + name
			}
			other.Series = append(other.Series, maeSeries(r, name, slotColors[len(other.Series)%len(slotColors)]))
		}
	}
	if len(other.Series) > 0 {
		f.Panels = append(f.Panels, other)
	}
	return f
}

// maeSeries is row r's MAE from its clean MAE at ε = 0, ± its std.
func maeSeries(r results.Table2Row, name string, c color.Color) results.Series {
	return results.Series{Name: name, X: append([]float64{0}, r.Eps...), Y: append([]float64{r.CleanMAE}, r.MAE...),
		Err: append([]float64{r.CleanStd}, r.Std...), Color: c}
}

// noImageSeries is the MAE of the network on s alone, dashed, flat over
// ε, if t has its row.
func noImageSeries(t results.Table2) (results.Series, bool) {
	r := t.Row(results.RowSegmentationNone)
	if r == nil {
		return results.Series{}, false
	}
	x := append([]float64{0}, r.Eps...)
	y := make([]float64, len(x))
	for j := range y {
		y[j] = r.CleanMAE
	}
	return results.Series{Name: results.InputS.Name() + ": no image to attack", X: x, Y: y, Dashed: true,
		Color: networkColors[results.InputS]}, true
}
