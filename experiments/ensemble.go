package experiments

import (
	"image/color"
	"math"

	"github.com/segqa/segqa/harness/shared/results"
)

// worstSpec is a worst-case row: the per-sample worst over the rows it
// covers.
type worstSpec struct {
	attackSpec
	covers func(attackSpec) bool
}

// worstSpecs are the worst-case rows: the baseline's over every attack on
// it; the proposed pipeline's over every attack on it, d included; and its
// worst over the attacks on the image x alone, which pass through REC-Net:
// the threat of an attacker who can change the image but not what the
// pipeline computes from it, the one the baseline's row measures too.
var worstSpecs = []worstSpec{
	{attackSpec{id: results.RowBaselineWorstx, eval: baselineX},
		func(r attackSpec) bool { return r.eval.network() == baselineX.network() }},
	{attackSpec{id: results.RowProposedWorstxd, eval: proposedX},
		func(r attackSpec) bool { return r.eval.network() == proposedX.network() }},
	{attackSpec{id: results.RowProposedWorstx, eval: proposedX},
		func(r attackSpec) bool { return r.eval == proposedX }},
}

// worstRows returns the worstSpecs rows: at each of nEps epsilons, each
// sample's prediction furthest from its true Dice among the rows a spec
// covers (the attack ensemble).
func worstRows(rows []*attackRow, dice []float64, nEps int) []*attackRow {
	var out []*attackRow
	for _, spec := range worstSpecs {
		w := &attackRow{attackSpec: spec.attackSpec, pred: make([][]float64, nEps)}
		for k := range nEps {
			var preds [][]float64
			for _, r := range rows {
				if spec.covers(r.attackSpec) {
					preds = append(preds, r.pred[k])
				}
			}
			w.pred[k] = worstCase(dice, preds...)
		}
		out = append(out, w)
	}
	return out
}

// worstCase returns, for each sample, the prediction of preds (one slice
// per attack, each aligned with truth) with the largest absolute error; the
// first attack wins ties.
func worstCase(truth []float64, preds ...[]float64) []float64 {
	out := make([]float64, len(truth))
	for i, t := range truth {
		worst := math.Inf(-1)
		for _, p := range preds {
			if e := math.Abs(p[i] - t); e > worst {
				worst, out[i] = e, p[i]
			}
		}
	}
	return out
}

// networkColors give each network's two lines of robustFigure one colour
// (Tableau's blue and orange, and grey for the network on s alone).
var networkColors = map[results.Input]color.Color{
	results.InputXS: color.RGBA{0x4e, 0x79, 0xa7, 0xff},
	results.InputDS: color.RGBA{0xf2, 0x8e, 0x2b, 0xff},
	results.InputS:  color.RGBA{0x79, 0x70, 0x6e, 0xff},
}

// robustFigure plots each network's MAE under its worst-case attack on x
// against ε, from its clean MAE at ε = 0, over a dashed line at the clean
// MAE: how far the network is from what it does without attack; and, when
// the table has it, the network on s alone, which no attack reaches.
func robustFigure(t results.Table2) results.Curves {
	var series []results.Series
	for _, w := range results.WorstOnX {
		r := t.Row(w.Row)
		if r == nil {
			continue
		}
		x := append([]float64{0}, r.Eps...)
		clean := make([]float64, len(x))
		for j := range clean {
			clean[j] = r.CleanMAE
		}
		name, c := w.Input.Name(), networkColors[w.Input]
		series = append(series,
			results.Series{Name: name + ": worst case", X: x, Y: append([]float64{r.CleanMAE}, r.MAE...), Err: append([]float64{r.CleanStd}, r.Std...), Color: c},
			results.Series{Name: name + ": clean", X: x, Y: clean, Dashed: true, Color: c},
		)
	}
	if s, ok := noImageSeries(t); ok {
		series = append(series, s)
	}
	return results.Curves{Series: series, XLabel: "ε", YLabel: "MAE of predicted Dice", Title: "Clean against robust MAE (worst case over the attacks on x)", ErrorBars: true}
}
