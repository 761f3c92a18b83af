package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// agreementInput labels the agreement baseline's rows: what it looks at.
func (ev *evaluation) agreementInput(attacked bool) string {
	x := "x"
	if attacked {
		x = "x_adv"
	}
	return fmt.Sprintf("%s, s (vote of %d U-Nets)", x, ev.agree.members)
}

// agreementInterval calibrates the baseline's conformal interval on the
// calibration pool, as the REG-Nets' are.
func (ev *evaluation) agreementInterval(a *agreementNet) (interval, error) {
	cal, err := ev.calibration()
	if err != nil {
		return interval{}, err
	}
	pred, err := a.predictPool(ev.prep, cal.Pool)
	if err != nil {
		return interval{}, err
	}
	return ev.calibrate("the agreement baseline", pred, cal), nil
}

// table1Agreement adds the agreement baseline's row to t and returns its
// predictions on the test pool; nothing when the baseline is off.
func (ev *evaluation) table1Agreement(t *results.Table1, test *Pool) ([]float64, error) {
	if ev.agree.members == 0 {
		return nil, nil
	}
	prep := ev.prep
	a, err := ev.agree.open(prep.Px)
	if err != nil {
		return nil, err
	}
	defer a.sess.Close()
	pred, err := a.predictPool(prep, test)
	if err != nil {
		return nil, err
	}
	iv, err := ev.agreementInterval(a)
	if err != nil {
		return nil, err
	}
	mae, std := stats.MAE(pred, test.Dice)
	j := ev.judgeOf(test)
	qc := j.qc(pred, nil, iv)
	j.withCoverage(&qc, pred, iv, string(results.Table1Agreement))
	t.Rows = append(t.Rows, results.Table1Row{
		ID: results.Table1Agreement, Method: results.MethodAgreement, Input: ev.agreementInput(false), MAE: mae, Std: std, N: test.Len(),
		Pearson: stats.Pearson(pred, test.Dice), Accuracy07: stats.AccuracyBelow(pred, test.Dice, 0.7), QC: &qc,
	})
	return pred, nil
}

// agreementPreds are the agreement baseline's predictions on the test
// pool, without attack and under PGD on x at each ε, for the figures.
type agreementPreds struct {
	clean []float64
	pgd   [][]float64
}

// table2Agreement adds the agreement baseline's rows under FGSM and PGD on
// x to t: the attacks climb |soft Dice of s against the members' mean
// probability − true Dice| through the members' gradients, and the
// attacked image is then judged by the members' majority vote. nil when
// the baseline is off.
func (ev *evaluation) table2Agreement(ctx context.Context, t *results.Table2, test *Pool, a config.Attack, seed uint64) (*agreementPreds, error) {
	if ev.agree.members == 0 {
		return nil, nil
	}
	prep := ev.prep
	an, err := ev.agree.open(prep.Px)
	if err != nil {
		return nil, err
	}
	defer an.sess.Close()
	rng := rand.New(rand.NewPCG(attackStream.seed(seed, "agreement"), 0))
	pgd := pgdOf(a)
	var clean []float64
	fgsmPred, pgdPred := make([][]float64, len(a.Eps)), make([][]float64, len(a.Eps))
	bar := newBar(ev.w.progress, "attack agreement", test.Len(), "sample")
	px := prep.Px
	for lo := 0; lo < test.Len(); lo += a.Batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+a.Batch, test.Len())
		x, s, segs, dice := agreementBatch(prep, test, lo, hi)
		feeds := an.feeds(x, s, dice, px)
		tg := attack.Target{Sess: an.sess, X: an.m.Image, Grad: an.m.Grad, Loss: an.m.Loss, PerSample: an.m.PerSample,
			Shape: []int64{int64(hi - lo), int64(px), int64(px), 1}, Clip: a.Clip, Lo: -1, Hi: 1}
		pr, err := an.predict(x, segs, px)
		if err != nil {
			return nil, err
		}
		clean = append(clean, pr...)
		dir, err := tg.Sign(feeds, x)
		if err != nil {
			return nil, err
		}
		for k, e := range a.Eps {
			adv, err := pgd.Perturb(ctx, tg, feeds, x, e, rng)
			if err != nil {
				return nil, fmt.Errorf("agreement baseline: %w", err)
			}
			for _, r := range []struct {
				adv  []float32
				pred *[]float64
			}{{tg.Step(x, dir, e), &fgsmPred[k]}, {adv, &pgdPred[k]}} {
				v, err := an.predict(r.adv, segs, px)
				if err != nil {
					return nil, err
				}
				*r.pred = append(*r.pred, v...)
			}
		}
		bar.Add(hi-lo, "")
	}
	bar.Done("")
	iv, err := ev.agreementInterval(an)
	if err != nil {
		return nil, err
	}
	j := ev.judgeOf(test)
	cq := j.qc(clean, clean, iv)
	cleanMAE, cleanStd := stats.MAE(clean, test.Dice)
	for _, r := range []struct {
		id     results.RowID
		attack attack.Attack
		pred   [][]float64
	}{{results.RowAgreementFGSMx, attack.FGSM{}, fgsmPred}, {results.RowAgreementPGDx, pgd, pgdPred}} {
		row := r.id.Row()
		row.Input, row.Eps, row.N = ev.agreementInput(true), a.Eps, test.Len()
		row.CleanMAE, row.CleanStd, row.CleanQC = cleanMAE, cleanStd, &cq
		row.Queries, row.Oracle = r.attack.Budget()
		for _, pred := range r.pred {
			m, sd := stats.MAE(pred, test.Dice)
			row.MAE, row.Std = append(row.MAE, m), append(row.Std, sd)
			row.QC = append(row.QC, j.qc(pred, clean, iv))
		}
		t.Rows = append(t.Rows, row)
	}
	return &agreementPreds{clean: clean, pgd: pgdPred}, nil
}
