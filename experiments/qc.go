package experiments

import (
	"fmt"
	"math"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/stats"
)

// qcOf measures predictions pred of truth for quality control: failure
// detection at e.FailBelow, the share of true failures passed, the flip
// rate against the clean predictions (nil: not measured), and the
// coverage and mean width of intervals of half-width q.
func qcOf(pred, truth, clean []float64, q float64, e config.Eval) results.QC {
	qc := results.NoQC()
	qc.AUROC = stats.FailureAUROC(pred, truth, e.FailBelow)
	qc.AUPRC = stats.FailureAUPRC(pred, truth, e.FailBelow)
	qc.AURC, qc.AURCOptimal = stats.AURC(pred, truth)
	qc.MissedFailures = stats.MissedFailures(pred, truth, e.FailBelow)
	if clean != nil {
		qc.FlipRate = stats.FlipRate(clean, pred, e.FailBelow)
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
func (p *pipeline) conformal(prep *Prepared, inputs []results.Input) (results.Conformal, error) {
	c := results.Conformal{Alpha: p.cfg.Eval.Alpha, FailBelow: p.cfg.Eval.FailBelow, HalfWidth: map[results.Input]float64{}}
	val, err := p.loadPool(results.Val)
	if err != nil {
		return c, err
	}
	c.Calibration = val.Len()
	for _, input := range inputs {
		pr, err := p.predict(prep, val, input)
		if err != nil {
			return c, fmt.Errorf("calibrate the interval of REG-Net %s: %w", input, err)
		}
		c.HalfWidth[input] = stats.ConformalHalfWidth(pr.dice, val.Dice, c.Alpha)
	}
	return c, nil
}

// table1QC adds the quality-control figures to each row of t (one per
// prediction, in order) and writes results/conformal.json.
func (p *pipeline) table1QC(st *run.Stage, t *results.Table1, prep *Prepared, test *Pool, preds []prediction) error {
	var inputs []results.Input
	for _, pr := range preds {
		inputs = append(inputs, pr.input)
	}
	c, err := p.conformal(prep, inputs)
	if err != nil {
		return err
	}
	for i, pr := range preds {
		qc := qcOf(pr.dice, test.Dice, nil, c.HalfWidth[pr.input], p.cfg.Eval)
		t.Rows[i].QC = &qc
	}
	return run.WriteJSON(st.File("results", "conformal.json"), c)
}

// table2QC adds the quality-control figures to each row of t, made from
// rows (in the same order): at each ε against the true Dice and against
// the decisions of the row's network without attack (clean[0] the
// baseline's, clean[1] the proposed pipeline's); and draws the rows'
// risk-coverage curves near ε = 0.1, the agreement baseline's with them.
func (p *pipeline) table2QC(st *run.Stage, t *results.Table2, rows []*attackRow, clean [][]float64, test *Pool, agree *agreementPreds) error {
	prep, err := p.loadPrepared()
	if err != nil {
		return err
	}
	c, err := p.conformal(prep, []results.Input{results.InputXS, results.InputDS})
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
		cq := qcOf(cl, test.Dice, cl, q, p.cfg.Eval)
		row.CleanQC = &cq
		row.QC = make([]results.QC, len(r.pred))
		for k, pred := range r.pred {
			row.QC[k] = qcOf(pred, test.Dice, cl, q, p.cfg.Eval)
		}
	}
	if !p.cfg.Report.Figures || len(rows) == 0 {
		return nil
	}
	return p.table2QCFigure(st, p.cfg.Attack.Eps, rows, clean, test, agree)
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
