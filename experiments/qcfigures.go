package experiments

import (
	"fmt"
	"math"

	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// reliabilityBins is the number of equal bins of predicted Dice in a
// reliability diagram.
const reliabilityBins = 10

// table1QCFigures draws the risk-coverage curves and the reliability
// diagram of every method on the clean test pool.
// agree, if not nil, is the agreement baseline's predictions.
func (ev *evaluation) table1QCFigures(test *Pool, preds []prediction, agree []float64) error {
	var names []string
	var ps [][]float64
	for _, x := range preds {
		names, ps = append(names, x.input.Name()), append(ps, x.dice)
	}
	if agree != nil {
		names, ps = append(names, ev.agreementInput(false)), append(ps, agree)
	}
	rc := riskCoverageFigure("Risk-coverage on the test pool, no attack", names, ps, test.Dice)
	if err := ev.w.figure("risk_coverage_clean.png", rc); err != nil {
		return err
	}
	return ev.w.figure("reliability.png", reliabilityFigure(names, ps, test.Dice))
}

// table2QCFigure draws, at the ε closest to 0.1, the risk-coverage curve
// of each network under the worst of the attacks on the image x (through
// REC-Net for the proposed pipeline: the same threat for both), beside its
// curve without attack, and the agreement baseline's under PGD on x.
func table2QCFigure(eps []float64, rows []*attackRow, clean map[results.Input][]float64, test *Pool, agree *agreementPreds) results.Figure {
	if len(eps) == 0 {
		return nil
	}
	k := closestEps(eps, 0.1)
	var names []string
	var ps [][]float64
	for _, in := range []results.Input{results.InputXS, results.InputDS} {
		names, ps = append(names, in.Name()+", no attack"), append(ps, clean[in])
	}
	for _, id := range []results.RowID{results.RowBaselineWorstx, results.RowProposedWorstx} {
		if r := rowOf(rows, id); r != nil {
			l := id.Labels()
			names, ps = append(names, l.Method+": "+l.Attack), append(ps, r.pred[k])
		}
	}
	if agree != nil {
		l := results.RowAgreementPGDx.Labels()
		names = append(names, results.MethodAgreement+", no attack", l.Method+": "+l.Attack)
		ps = append(ps, agree.clean, agree.pgd[k])
	}
	title := fmt.Sprintf("Risk-coverage on the test pool, ε = %g", eps[k])
	return riskCoverageFigure(title, names, ps, test.Dice)
}

// riskCoverageFigure is each prediction's risk-coverage curve and the best
// possible one (samples ordered by true Dice), dashed.
func riskCoverageFigure(title string, names []string, preds [][]float64, truth []float64) results.Curves {
	var series []results.Series
	for i, pr := range preds {
		cov, risk := stats.RiskCoverage(pr, truth)
		a, _ := stats.AURC(pr, truth)
		series = append(series, results.Series{Name: fmt.Sprintf("%s (AURC %.3f)", names[i], a), X: cov, Y: risk})
	}
	cov, risk := stats.RiskCoverage(truth, truth)
	_, o := stats.AURC(truth, truth)
	series = append(series, results.Series{Name: fmt.Sprintf("best ordering (AURC %.3f)", o), X: cov, Y: risk, Dashed: true})
	return results.Curves{Series: series, XLabel: "coverage (share accepted, highest predicted Dice first)", YLabel: "risk (mean 1 − true Dice accepted)", Title: title}
}

// reliabilityFigure bins the predicted Dice in reliabilityBins equal bins
// and plots, per method, the mean true Dice of each bin against its mean
// prediction, with one standard deviation, beside the diagonal.
func reliabilityFigure(names []string, preds [][]float64, truth []float64) results.Curves {
	series := []results.Series{{Name: "predicted = true", X: []float64{0, 1}, Y: []float64{0, 1}, Dashed: true}}
	for i, pr := range preds {
		x, y, e := reliability(pr, truth, reliabilityBins)
		series = append(series, results.Series{Name: names[i], X: x, Y: y, Err: e})
	}
	return results.Curves{Series: series, XLabel: "predicted Dice (bin mean)", YLabel: "true Dice (bin mean ± std)", Title: "Reliability on the test pool, no attack", ErrorBars: true}
}

// reliability returns, for each of bins equal bins of pred in [0, 1], the
// mean prediction, the mean truth and the truth's std; NaN for an empty
// bin.
func reliability(pred, truth []float64, bins int) (x, y, e []float64) {
	group := make([][2][]float64, bins)
	for i, p := range pred {
		b := min(bins-1, max(0, int(p*float64(bins))))
		group[b][0] = append(group[b][0], p)
		group[b][1] = append(group[b][1], truth[i])
	}
	for _, g := range group {
		if len(g[0]) == 0 {
			x, y, e = append(x, math.NaN()), append(y, math.NaN()), append(e, math.NaN())
			continue
		}
		mx, _ := stats.MeanStd(g[0])
		my, sy := stats.MeanStd(g[1])
		x, y, e = append(x, mx), append(y, my), append(e, sy)
	}
	return x, y, e
}
