package experiments

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
)

// coverageBootstrap is how many resamples of the test patients give a
// coverage its 95% interval.
const coverageBootstrap = 2000

// judge is what predictions on one pool are judged against: the pool,
// with each sample's patient and group, and eval.*'s settings.
type judge struct {
	pool labelled
	set  qcSettings
}

func (ev *evaluation) judgeOf(pool *Pool) judge { return judge{ev.label(pool), ev.qc} }

// qc measures predictions pred of the pool for quality control: failure
// detection at eval.fail_below over the whole pool and on eval.band, the
// share of true failures passed, the flip rate against the clean
// predictions (nil: not measured), and the coverage and mean width of the
// intervals iv.
func (j judge) qc(pred, clean []float64, iv interval) results.QC {
	truth, thr := j.pool.Dice, j.set.FailBelow
	qc := results.NoQC()
	qc.AUROC = stats.FailureAUROC(pred, truth, thr)
	qc.AUPRC = stats.FailureAUPRC(pred, truth, thr)
	qc.AURC, qc.AURCOptimal = stats.AURC(pred, truth)
	qc.MissedFailures = stats.MissedFailures(pred, truth, thr)
	if clean != nil {
		qc.FlipRate = stats.FlipRate(clean, pred, thr)
	}
	qs := iv.halfWidths(j.pool.groups)
	qc.Coverage = mean(stats.Covered(pred, truth, qs))
	widths := make([]float64, len(pred))
	for i, p := range pred {
		lo, hi := stats.Interval(p, qs[i], 0, 1)
		widths[i] = math.Max(0, hi-lo)
	}
	qc.IntervalWidth, qc.HalfWidth = mean(widths), iv.q
	qc.Band = j.band(pred)
	return qc
}

// band is failure detection on the samples whose true Dice is in
// eval.band; nil without a band.
func (j judge) band(pred []float64) *results.BandQC {
	if len(j.set.Band) != 2 {
		return nil
	}
	thr := j.set.FailBelow
	b := &results.BandQC{Lo: j.set.Band[0], Hi: j.set.Band[1]}
	var p, t []float64
	for i, d := range j.pool.Dice {
		if d >= b.Lo && d < b.Hi {
			p, t = append(p, pred[i]), append(t, d)
			if d < thr {
				b.Failures++
			}
		}
	}
	b.N = len(t)
	b.AUROC = stats.FailureAUROC(p, t, thr)
	b.AURC, b.AURCOptimal = stats.AURC(p, t)
	b.MissedFailures = stats.MissedFailures(p, t, thr)
	return b
}

// withCoverage adds to qc the 95% interval of the coverage of the
// intervals iv over the pool, from a bootstrap over its patients, and the
// coverage of each group with its own interval; the resamples come from
// the stream stage/coverage/name.
func (j judge) withCoverage(qc *results.QC, pred []float64, iv interval, name string) {
	covered := stats.Covered(pred, j.pool.Dice, iv.halfWidths(j.pool.groups))
	rng := rand.New(rand.NewPCG(streamSeed(j.set.Seed, j.set.Stage, "coverage", name), 0))
	_, lo, hi := stats.ClusterBootstrap(covered, j.pool.patients, coverageBootstrap, rng, 0.95)
	qc.CoverageCI = &results.CI{Lo: lo, Hi: hi}
	for _, g := range slices.Sorted(maps.Keys(setOf(j.pool.groups))) {
		var c []float64
		var ids []string
		for i := range covered {
			if j.pool.groups[i] == g {
				c, ids = append(c, covered[i]), append(ids, j.pool.patients[i])
			}
		}
		m, lo, hi := stats.ClusterBootstrap(c, ids, coverageBootstrap, rng, 0.95)
		q := iv.halfWidths([]string{g})[0]
		qc.Groups = append(qc.Groups, results.GroupCoverage{Group: g, Samples: len(c), Patients: len(setOf(ids)), Coverage: m, CI: results.CI{Lo: lo, Hi: hi}, HalfWidth: q})
	}
}

func mean(xs []float64) float64 {
	m, _ := stats.MeanStd(xs)
	return m
}

// table1QC adds the quality-control figures to each row of t (one per
// prediction, in order), each coverage with its interval over the test
// patients and per group, and writes results/conformal.json.
func (ev *evaluation) table1QC(t *results.Table1, test *Pool, preds []prediction) error {
	var inputs []results.Input
	for _, pr := range preds {
		inputs = append(inputs, pr.input)
	}
	ivs, cal, err := ev.intervals(inputs)
	if err != nil {
		return err
	}
	j := ev.judgeOf(test)
	rows := map[results.Input]results.QC{}
	for i, pr := range preds {
		qc := j.qc(pr.dice, nil, ivs[pr.input])
		j.withCoverage(&qc, pr.dice, ivs[pr.input], string(pr.input))
		t.Rows[i].QC, rows[pr.input] = &qc, qc
	}
	c := ev.conformalFile(ivs, cal, rows, len(setOf(j.pool.patients)))
	ev.w.logf("conformal: %s intervals, alpha %g, calibrated on the %s pool: %d samples, %d patients\n",
		c.Method, c.Alpha, c.Pool, c.Calibration, len(c.Patients))
	return run.WriteJSON(ev.w.file(results.ConformalFile), c)
}

// table2QC adds the quality-control figures to each row of t, made from
// rows (in the same order): at each ε against the true Dice and against
// the decisions of the row's network without attack (clean, by the
// network's input kind); and draws the rows' risk-coverage curves near
// ε = 0.1, the agreement baseline's with them.
func (ev *evaluation) table2QC(t *results.Table2, eps []float64, rows []*attackRow, clean map[results.Input][]float64, test *Pool, agree *agreementPreds) error {
	ivs, _, err := ev.intervals([]results.Input{results.InputXS, results.InputDS})
	if err != nil {
		return err
	}
	j := ev.judgeOf(test)
	for _, r := range rows {
		row := t.Row(r.id)
		if row == nil {
			return fmt.Errorf("table 2 quality control: no row %s", r.id)
		}
		input := r.eval.network()
		cl := clean[input]
		iv := ivs[input]
		cq := j.qc(cl, cl, iv)
		row.CleanQC = &cq
		row.QC = make([]results.QC, len(r.pred))
		for k, pred := range r.pred {
			row.QC[k] = j.qc(pred, cl, iv)
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
