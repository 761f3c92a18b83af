package experiments

import (
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// segmentationRow is Table 2's row of the network on s alone
// (results.RowSegmentationNone), on test at the levels eps. It has no
// image input, so no attack on the image reaches it: its MAE at every ε
// is its MAE without attack, with the quality-control figures to match
// (no decision flips), the floor of what ignoring the image buys.
func (ev *evaluation) segmentationRow(test *Pool, eps []float64) (results.Table2Row, error) {
	pr, err := ev.predict(test, results.InputS)
	if err != nil {
		return results.Table2Row{}, err
	}
	ivs, _, err := ev.intervals([]results.Input{results.InputS})
	if err != nil {
		return results.Table2Row{}, err
	}
	row := results.RowSegmentationNone.Row()
	row.N = test.Len()
	row.CleanMAE, row.CleanStd = stats.MAE(pr.dice, test.Dice)
	qc := ev.judgeOf(test).qc(pr.dice, pr.dice, ivs[results.InputS])
	row.CleanQC = &qc
	for _, e := range eps {
		row.Eps = append(row.Eps, e)
		row.MAE, row.Std = append(row.MAE, row.CleanMAE), append(row.Std, row.CleanStd)
		row.QC = append(row.QC, qc)
	}
	return row, nil
}
