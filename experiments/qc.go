package experiments

import (
	"fmt"
	"math"

	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/stats"
)

// qcOf measures predictions pred of truth for quality control: failure
// detection at failBelow, the share of true failures passed, the flip
// rate against the clean predictions (nil: not measured), and the
// coverage and mean width of intervals of half-width q.
func qcOf(pred, truth, clean []float64, q, failBelow float64) results.QC {
	qc := results.NoQC()
	qc.AUROC = stats.FailureAUROC(pred, truth, failBelow)
	qc.AUPRC = stats.FailureAUPRC(pred, truth, failBelow)
	qc.AURC, qc.AURCOptimal = stats.AURC(pred, truth)
	qc.MissedFailures = stats.MissedFailures(pred, truth, failBelow)
	if clean != nil {
		qc.FlipRate = stats.FlipRate(clean, pred, failBelow)
	}
	qc.Coverage = stats.Coverage(pred, truth, q)
	qc.IntervalWidth = stats.IntervalWidth(pred, q, 0, 1)
	qc.HalfWidth = q
	return qc
}

// conformal calibrates each REG-Net's split-conformal interval on the
// validation pool at miscoverage eval.alpha: the validation pool took no
// part in the REG-Nets' fitting beyond early stopping, and the test pool
// none at all.
func (ev *evaluation) conformal(inputs []results.Input) (results.Conformal, error) {
	c := results.Conformal{Alpha: ev.alpha, FailBelow: ev.failBelow, HalfWidth: map[results.Input]float64{}}
	val, err := ev.up.pool(results.Val)
	if err != nil {
		return c, err
	}
	c.Calibration = val.Len()
	for _, input := range inputs {
		pr, err := ev.predict(val, input)
		if err != nil {
			return c, fmt.Errorf("calibrate the interval of REG-Net %s: %w", input, err)
		}
		c.HalfWidth[input] = stats.ConformalHalfWidth(pr.dice, val.Dice, c.Alpha)
	}
	return c, nil
}

// table1QC adds the quality-control figures to each row of t (one per
// prediction, in order) and writes results/conformal.json.
func (ev *evaluation) table1QC(t *results.Table1, test *Pool, preds []prediction) error {
	var inputs []results.Input
	for _, pr := range preds {
		inputs = append(inputs, pr.input)
	}
	c, err := ev.conformal(inputs)
	if err != nil {
		return err
	}
	for i, pr := range preds {
		qc := qcOf(pr.dice, test.Dice, nil, c.HalfWidth[pr.input], ev.failBelow)
		t.Rows[i].QC = &qc
	}
	return run.WriteJSON(ev.w.file(results.ConformalFile), c)
}

// table2QC adds the quality-control figures to each row of t, made from
// rows (in the same order): at each ε against the true Dice and against
// the decisions of the row's network without attack (clean[0] the
// baseline's, clean[1] the proposed pipeline's); and draws the rows'
// risk-coverage curves near ε = 0.1, the agreement baseline's with them.
func (ev *evaluation) table2QC(t *results.Table2, eps []float64, rows []*attackRow, clean [][]float64, test *Pool, agree *agreementPreds) error {
	c, err := ev.conformal([]results.Input{results.InputXS, results.InputDS})
	if err != nil {
		return err
	}
	for _, r := range rows {
		row := t.Row(r.id)
		if row == nil {
			return fmt.Errorf("table 2 quality control: no row %s", r.id)
		}
		input, cl := results.InputDS, clean[1]
		if r.eval == baselineX {
			input, cl = results.InputXS, clean[0]
		}
		q := c.HalfWidth[input]
		cq := qcOf(cl, test.Dice, cl, q, ev.failBelow)
		row.CleanQC = &cq
		row.QC = make([]results.QC, len(r.pred))
		for k, pred := range r.pred {
			row.QC[k] = qcOf(pred, test.Dice, cl, q, ev.failBelow)
		}
	}
	if !ev.w.figures || len(rows) == 0 {
		return nil
	}
	return ev.w.figure("risk_coverage_attack.png", table2QCFigure(eps, rows, clean, test, agree))
}

// closestEps is the index of the ε of eps closest to e.
func closestEps(eps []float64, e float64) int {
	best := 0
	for i, x := range eps {
		if math.Abs(x-e) < math.Abs(eps[best]-e) {
			best = i
		}
	}
	return best
}
