package experiments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/experiments/attack"
	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// tensorAttacked names a network and the tensor of it an attack perturbs.
type tensorAttacked int

const (
	baselineX tensorAttacked = iota // the image fed to the (x, s) REG-Net
	proposedD                       // the difference image of the (d, s) pipeline
	proposedX                       // the image fed to the (d, s) pipeline, through REC-Net
	nTensorsAttacked
)

// network is the REG-Net the tensor belongs to, named by its input kind:
// results.InputXS for the baseline, results.InputDS for the proposed
// pipeline (its d and, through REC-Net, its x).
func (t tensorAttacked) network() results.Input {
	if t == baselineX {
		return results.InputXS
	}
	return results.InputDS
}

// attackSpec is one row of Table 2: attack crafts the perturbation from
// source's gradient (or, for the gradient-free attacks, its loss), and the
// perturbed value is fed to eval, whose prediction is scored. source and
// eval differ for a transfer attack.
type attackSpec struct {
	id     results.RowID
	source tensorAttacked
	attack attack.Attack // nil for the worst-case rows
	eval   tensorAttacked
}

// attackSpecs are the rows of Table 2 that run an attack, with the
// settings of a, the paper's three first; the strong attacks (APGD,
// Square, SignHunter and APGD across failBelow) only with a.Strong. The
// worst-case rows of each network follow them (see worstRows).
func attackSpecs(a config.Attack, failBelow float64) []attackSpec {
	fgsm, pgd := attack.FGSM{}, pgdOf(a)
	specs := []attackSpec{
		{results.RowBaselineFGSMx, baselineX, fgsm, baselineX},
		{results.RowProposedFGSMd, proposedD, fgsm, proposedD},
		{results.RowProposedTransfer, baselineX, fgsm, proposedX},
		{results.RowBaselinePGDx, baselineX, pgd, baselineX},
		{results.RowProposedFGSMx, proposedX, fgsm, proposedX},
		{results.RowProposedPGDx, proposedX, pgd, proposedX},
	}
	if !a.Strong {
		return specs
	}
	apgd := attack.APGD{Steps: a.APGDSteps, Restarts: a.APGDRestarts}
	square := attack.Square{Queries: a.Queries}
	hunt := attack.SignHunter{Queries: a.HuntQueries}
	threshold := attack.Threshold{APGD: apgd, FailBelow: failBelow}
	return append(specs,
		attackSpec{results.RowBaselineAPGDx, baselineX, apgd, baselineX},
		attackSpec{results.RowProposedAPGDx, proposedX, apgd, proposedX},
		attackSpec{results.RowBaselineSquarex, baselineX, square, baselineX},
		attackSpec{results.RowProposedSquarex, proposedX, square, proposedX},
		attackSpec{results.RowBaselineHuntx, baselineX, hunt, baselineX},
		attackSpec{results.RowProposedHuntx, proposedX, hunt, proposedX},
		attackSpec{results.RowBaselineThresholdx, baselineX, threshold, baselineX},
		attackSpec{results.RowProposedThresholdx, proposedX, threshold, proposedX},
	)
}

// pgdOf is the PGD of attack.steps, step_size, restarts and random_start.
func pgdOf(a config.Attack) attack.PGD {
	return attack.PGD{Steps: a.Steps, StepSize: a.StepSize, Restarts: a.Restarts, RandomStart: a.RandomStart}
}

// attackStream is the random stream of Table 2's attacks and of the
// agreement baseline's, named "attack" after the stage that once ran them
// (now results.StageTable2): the name keeps their numbers as they were.
const attackStream stream = "attack"

// attackStreams are the attacks' random sources, by the attack's Name():
// PGD draws from attackStream itself; the attacks added later from parts
// of it of their own, so that they leave PGD's numbers as they were.
// FGSM draws nothing and has none.
func attackStreams(seed uint64) map[string]*rand.Rand {
	source := func(part ...string) *rand.Rand {
		return rand.New(rand.NewPCG(attackStream.seed(seed, part...), 0))
	}
	return map[string]*rand.Rand{
		attack.PGD{}.Name():        source(),
		attack.APGD{}.Name():       source("apgd"),
		attack.Square{}.Name():     source("square"),
		attack.SignHunter{}.Name(): source("hunt"),
		attack.Threshold{}.Name():  source("threshold"),
	}
}

// attackRow collects one row's predictions at every epsilon.
type attackRow struct {
	attackSpec
	pred [][]float64 // [eps][sample]
	// seconds is the time the row's attack took, over every epsilon; 0
	// for the worst-case rows, which run no attack of their own.
	seconds float64
	own     bool // the row runs an attack (it is not a worst case)
}

// rowOf is the row of rows with ID id, or nil.
func rowOf(rows []*attackRow, id results.RowID) *attackRow {
	for _, r := range rows {
		if r.id == id {
			return r
		}
	}
	return nil
}

// runTable2 attacks the baseline and the proposed pipeline on the test pool
// at every ε of attack.eps.
func runTable2(ctx context.Context, w *worker, set table2Settings, up *upstream) error {
	ev, err := newEvaluation(w, up, set.qc(), set.Nets, set.Agreement)
	if err != nil {
		return err
	}
	for _, in := range []results.Input{results.InputXS, results.InputDS} {
		if !ev.nets.trained(in) {
			return fmt.Errorf("regnet.inputs has no %s: Table 2 compares xs and ds, add both", in)
		}
	}
	prep := ev.prep
	test, err := ev.test()
	if err != nil {
		return err
	}
	test = evenlySpaced(test, set.Attack.Samples)
	base, baseSess, closeBase, err := ev.nets.open(results.InputXS, prep.Px)
	if err != nil {
		return err
	}
	defer closeBase()
	prop, propSess, closeProp, err := ev.nets.open(results.InputDS, prep.Px)
	if err != nil {
		return err
	}
	defer closeProp()

	a := set.Attack
	eps := a.Eps
	scale := prop.DScale
	sizes, err := attackSizes(propSess, prop, prep, test, a.EpsRelative)
	if err != nil {
		return err
	}
	var rows []*attackRow
	for _, spec := range attackSpecs(a, set.FailBelow) {
		rows = append(rows, &attackRow{attackSpec: spec, pred: make([][]float64, len(eps)), own: true})
	}
	px := int64(prep.Px)
	// clean is each network's predictions without attack, by its input
	// kind; both keys are there from the start, as Table 2's samples
	// write them.
	clean := map[results.Input][]float64{results.InputXS: nil, results.InputDS: nil}
	adv := adversaries{relative: sizes.relative, streams: attackStreams(set.Seed), seconds: map[madeKey]float64{}}
	bar := newBar(w.progress, "attack", test.Len(), "sample")
	fig := attackFigure{sample: closestDice(test, 0.8), px: prep.Px}
	for lo := 0; lo < test.Len(); lo += a.Batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		idx := make([]int, 0, a.Batch)
		for i := lo; i < min(lo+a.Batch, test.Len()); i++ {
			idx = append(idx, i)
		}
		shape := []int64{int64(len(idx)), px, px, 1}
		bf, err := poolData(base, prep, test, false, nil).Feeds(idx, nil)
		if err != nil {
			return err
		}
		pf, err := poolData(prop, prep, test, false, nil).Feeds(idx, nil)
		if err != nil {
			return err
		}
		x := tfrun.Floats(bf[base.Inputs[0]])
		dOut, err := propSess.Run(pf, []tf.Output{prop.Diff}, nil)
		if err != nil {
			return err
		}
		dice := make([]float64, len(idx))
		for j, i := range idx {
			dice[j] = test.Dice[i]
		}
		var on [nTensorsAttacked]probe
		on[baselineX] = probe{attack.Target{Sess: baseSess, X: base.Inputs[0], Grad: base.InputGrads[0], Loss: base.Loss, PerSample: base.PerSample, Shape: shape, Clip: a.Clip, Lo: -1, Hi: 1,
			Dice: base.Target, TrueDice: dice}, bf, x, base.Output}
		on[proposedD] = probe{attack.Target{Sess: propSess, X: prop.Diff, Grad: prop.DiffGrad, Loss: prop.Loss, Shape: shape, Clip: a.Clip, Lo: 0, Hi: dHi(scale),
			Dice: prop.Target, TrueDice: dice}, pf, tfrun.Floats(dOut[0]), prop.Output}
		on[proposedX] = probe{attack.Target{Sess: propSess, X: prop.Inputs[0], Grad: prop.InputGrads[0], Loss: prop.Loss, PerSample: prop.PerSample, Shape: shape, Clip: a.Clip, Lo: -1, Hi: 1,
			Dice: prop.Target, TrueDice: dice}, pf, x, prop.Output}
		for _, t := range []tensorAttacked{baselineX, proposedX} {
			pred, err := on[t].predict()
			if err != nil {
				return err
			}
			clean[t.network()] = append(clean[t.network()], pred...)
		}
		adv.on, adv.signs = &on, map[tensorAttacked][]float32{}
		for k, e := range eps {
			adv.atEpsilon(e)
			for _, r := range rows {
				v, err := adv.get(ctx, r.attackSpec)
				if err != nil {
					return err
				}
				pr := on[r.eval]
				pr.val = v
				pred, err := pr.predict()
				if err != nil {
					return err
				}
				r.pred[k] = append(r.pred[k], pred...)
			}
			if j := fig.sample - lo; j >= 0 && j < len(idx) {
				if err := fig.capture(ctx, propSess, prop, pf, &adv, shape, j, e, rows); err != nil {
					return err
				}
			}
		}
		bar.Add(len(idx), "")
	}
	bar.Done("")
	for _, r := range rows {
		r.seconds = adv.seconds[madeKey{r.attack, r.source}]
	}
	rows = append(rows, worstRows(rows, test.Dice, len(eps))...)
	if err := ev.writeTable2(ctx, set, test, rows, clean, sizes.spreads(eps)); err != nil {
		return err
	}
	return w.figure("table2_attack_example.png", fig.figure(prep, test))
}

// adversaries makes the perturbed values of one batch, each once: the FGSM
// direction of a tensor does not depend on epsilon, and an iterative
// attack's result at one epsilon serves every row that uses it.
type adversaries struct {
	on    *[nTensorsAttacked]probe
	signs map[tensorAttacked][]float32
	// relative multiplies the ε of the attacks on a tensor (1 where unset;
	// see attackSizes).
	relative map[tensorAttacked]float64
	// streams are the attacks' random sources, by the attack's Name()
	// (attackStreams).
	streams map[string]*rand.Rand
	// At the current epsilon: the epsilon, and the iterative attacks'
	// results by attack and source.
	eps  float64
	made map[madeKey][]float32
	// seconds is the time each attack took, over the whole run.
	seconds map[madeKey]float64
}

type madeKey struct {
	attack attack.Attack
	source tensorAttacked
}

// atEpsilon moves to epsilon eps.
func (a *adversaries) atEpsilon(eps float64) {
	a.eps, a.made = eps, map[madeKey][]float32{}
}

// get returns the value spec's source tensor takes under attack at the
// current epsilon.
func (a *adversaries) get(ctx context.Context, spec attackSpec) ([]float32, error) {
	src := a.on[spec.source]
	eps := a.eps
	if r, ok := a.relative[spec.source]; ok {
		eps *= r
	}
	if _, ok := spec.attack.(attack.FGSM); !ok {
		key := madeKey{spec.attack, spec.source}
		if v, ok := a.made[key]; ok {
			return v, nil
		}
		start := time.Now()
		v, err := spec.attack.Perturb(ctx, src.t, src.feeds, src.val, eps, a.streams[spec.attack.Name()])
		if err != nil {
			return nil, fmt.Errorf("row %s: %w", spec.id, err)
		}
		a.seconds[key] += time.Since(start).Seconds()
		a.made[key] = v
		return v, nil
	}
	dir, ok := a.signs[spec.source]
	if !ok {
		var err error
		if dir, err = src.t.Sign(src.feeds, src.val); err != nil {
			return nil, fmt.Errorf("row %s: %w", spec.id, err)
		}
		a.signs[spec.source] = dir
	}
	return src.t.Step(src.val, dir, eps), nil
}

// probe is one prediction under attack: the target's tensor fed val, the
// other feeds held, out fetched.
type probe struct {
	t     attack.Target
	feeds map[tf.Output]*tf.Tensor
	val   []float32
	out   tf.Output
}

func (pr probe) predict() ([]float64, error) {
	f := tfrun.With(pr.feeds, pr.t.X, tfrun.MustFloat32(pr.val, pr.t.Shape...))
	res, err := pr.t.Sess.Run(f, []tf.Output{pr.out}, nil)
	if err != nil {
		return nil, err
	}
	vals := tfrun.Floats(res[0])
	pred := make([]float64, len(vals))
	for i, v := range vals {
		pred[i] = float64(v)
	}
	return pred, nil
}

func (ev *evaluation) writeTable2(ctx context.Context, set table2Settings, test *Pool, rows []*attackRow, clean map[results.Input][]float64, spreads []results.Spread) error {
	eps := set.Attack.Eps
	extended := results.Table2{Spreads: spreads}
	base, prop := clean[results.InputXS], clean[results.InputDS]
	baseMAE, _ := stats.MAE(base, test.Dice)
	propMAE, _ := stats.MAE(prop, test.Dice)
	_, pValue := stats.Wilcoxon(stats.AbsErrors(base, test.Dice), stats.AbsErrors(prop, test.Dice))
	extended.Tie = &results.Tie{N: test.Len(), BaselineMAE: baseMAE, ProposedMAE: propMAE, P: pValue}
	for _, r := range rows {
		c := clean[r.eval.network()] // the row's network without attack
		row := r.id.Row()
		row.Eps, row.N = eps, test.Len()
		row.CleanMAE, row.CleanStd = stats.MAE(c, test.Dice)
		for k := range eps {
			mae, std := stats.MAE(r.pred[k], test.Dice)
			row.MAE, row.Std = append(row.MAE, mae), append(row.Std, std)
		}
		addBudget(&row, r)
		extended.Rows = append(extended.Rows, row)
	}
	extended.FailBelow = set.FailBelow
	extended.Masking = maskingChecks(rows, extended, set.Attack.Eps, ev.nets.set.RegNet.Adversarial == config.AdvNone)
	agree, err := ev.table2Agreement(ctx, &extended, test, set.Attack, set.Seed)
	if err != nil {
		return err
	}
	if err := ev.table2QC(&extended, eps, rows, clean, test, agree); err != nil {
		return err
	}
	if set.Segmentation {
		row, err := ev.segmentationRow(test, eps)
		if err != nil {
			return err
		}
		extended.Rows = append(extended.Rows, row)
	}
	extended.TieMargin, extended.Samples = set.TieMargin, table2Samples(test, rows, clean)
	extended = extended.Complete() // the paper's figures and the claims, once
	if err := ev.w.writeTable(results.Table2File, extended); err != nil {
		return err
	}
	if err := ev.w.figure("table2_mae_vs_eps.png", epsilonFigure(extended)); err != nil {
		return err
	}
	return ev.w.figure("table2_clean_vs_robust.png", robustFigure(extended))
}

// table2Samples are the per-sample predictions Table 2's claims pair: the
// test samples' true Dice, both networks' without attack (clean, by input
// kind) and results.SampledRows'.
func table2Samples(test *Pool, rows []*attackRow, clean map[results.Input][]float64) *results.Samples {
	s := &results.Samples{
		TrueDice: test.Dice,
		Clean:    clean,
		Rows:     map[results.RowID][][]float64{},
	}
	for _, id := range results.SampledRows {
		if r := rowOf(rows, id); r != nil {
			s.Rows[id] = r.pred
		}
	}
	return s
}

// attackFigure is the paper's Fig. 7 for one test sample: at each epsilon,
// the attacked image, its reconstruction, d' and both predictions.
type attackFigure struct {
	sample, px int
	panels     []results.Panel
}

func closestDice(pool *Pool, target float64) int {
	best := 0
	for i, d := range pool.Dice {
		if math.Abs(d-target) < math.Abs(pool.Dice[best]-target) {
			best = i
		}
	}
	return best
}

// The rows of the attack figure: FGSM on the baseline's image x_adv, and
// that image transferred to the proposed pipeline.
var (
	figureAttack   = results.RowBaselineFGSMx
	figureTransfer = results.RowProposedTransfer
)

// capture records sample j of the batch at epsilon e; rows hold the
// predictions made so far, adv the batch's attacks at e.
func (f *attackFigure) capture(ctx context.Context, sess *tf.Session, m *graphs.Model, feeds map[tf.Output]*tf.Tensor, adv *adversaries, shape []int64, j int, e float64, rows []*attackRow) error {
	base, prop := rowOf(rows, figureAttack), rowOf(rows, figureTransfer)
	if base == nil || prop == nil {
		return fmt.Errorf("attack figure: Table 2 lacks row %s or %s", figureAttack, figureTransfer)
	}
	xAdv, err := adv.get(ctx, base.attackSpec)
	if err != nil {
		return fmt.Errorf("attack figure: %w", err)
	}
	fed := tfrun.With(feeds, m.Inputs[0], tfrun.MustFloat32(xAdv, shape...))
	res, err := sess.Run(fed, []tf.Output{m.Recon, m.Diff}, nil)
	if err != nil {
		return err
	}
	n := f.px * f.px
	r, d := tfrun.Floats(res[0])[j*n:(j+1)*n], tfrun.Floats(res[1])[j*n:(j+1)*n]
	k := len(f.panels) / 3
	basePred, propPred := base.pred[k], prop.pred[k]
	at := len(basePred) - int(shape[0]) + j
	f.panels = append(f.panels,
		results.Panel{Title: fmt.Sprintf("x_adv, ε = %g\nbaseline predicts %.2f", e, basePred[at]), Img: xAdv[j*n : (j+1)*n], W: f.px, H: f.px, Lo: -1, Hi: 1},
		results.Panel{Title: "r(x_adv · (1 − s))", Img: r, W: f.px, H: f.px, Lo: -1, Hi: 1},
		results.Panel{Title: fmt.Sprintf("d'\nproposed predicts %.2f", propPred[at]), Img: d, W: f.px, H: f.px, Lo: 0, Hi: 1, Colormap: "hot"},
	)
	return nil
}

// figure is the captured panels, one row per ε; nil when none were.
func (f *attackFigure) figure(prep *Prepared, test *Pool) results.Figure {
	if len(f.panels) == 0 {
		return nil
	}
	sl := prep.Slices[test.Slices[f.sample]]
	first := results.Panel{
		Title: fmt.Sprintf("clean x, true Dice %.2f", test.Dice[f.sample]), Img: sl.Image, W: f.px, H: f.px, Lo: -1, Hi: 1,
		Contours: []results.Contour{{Mask: sl.Mask, Color: gtColor}, {Mask: unpackBits(test.Masks[f.sample], f.px*f.px), Color: segColor}},
	}
	// One row per epsilon: the clean image, then x_adv, r and d'.
	var panels []results.Panel
	for i := 0; i < len(f.panels); i += 3 {
		panels = append(panels, first)
		panels = append(panels, f.panels[i:i+3]...)
	}
	return results.ImageGrid{Panels: panels, Cols: 4, CellPx: 160}
}
