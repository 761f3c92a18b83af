package experiments

import (
	"context"
	"fmt"
	"slices"
	"sort"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/shared/stats"
	"github.com/segqa/segqa/harness/tfrun"
)

// Prediction is one regressor's output on the test pool, with the
// difference images for the proposed pipeline.
type prediction struct {
	input results.Input
	dice  []float64
	recon [][]float32 // nil for xs
	diff  [][]float32
}

// runTable1 evaluates every REG-Net of regnet.inputs on the clean test
// pool, with its input sensitivity, and the agreement baseline when it is
// on.
func runTable1(ctx context.Context, w *worker, set table1Settings, up *upstream) error {
	ev, err := newEvaluation(w, up, set.qc(), set.Nets, set.Agreement)
	if err != nil {
		return err
	}
	prep := ev.prep
	test, err := ev.test()
	if err != nil {
		return err
	}
	var t results.Table1
	var preds []prediction
	perm := testDerangement(set.Seed, test.Len())
	for _, input := range set.Inputs {
		pr, err := ev.predict(test, input)
		if err != nil {
			return err
		}
		sens, err := ev.sensitivity(test, pr, perm, set.SensitivityMin)
		if err != nil {
			return err
		}
		preds = append(preds, pr)
		mae, std := stats.MAE(pr.dice, test.Dice)
		t.Rows = append(t.Rows, results.Table1Row{
			ID: input.Table1ID(), Method: input.Method(), Input: input.Channels(), MAE: mae, Std: std, N: test.Len(),
			Pearson: stats.Pearson(pr.dice, test.Dice), Accuracy07: stats.AccuracyBelow(pr.dice, test.Dice, 0.7),
			Sensitivity: sens,
		})
	}
	if err := ev.table1QC(&t, test, preds); err != nil {
		return err
	}
	agree, err := ev.table1Agreement(&t, test)
	if err != nil {
		return err
	}
	t = t.WithPaper(results.PaperTable1())
	if err := writePredictions(w.file(results.PredictionsFile), prep, test, preds); err != nil {
		return err
	}
	if err := w.writeTable(results.Table1File, t); err != nil {
		return err
	}
	if !w.figures {
		return nil
	}
	if err := ev.table1Figures(set.Inputs, test, preds); err != nil {
		return err
	}
	return ev.table1QCFigures(test, preds, agree)
}

// predict restores the best REG-Net of input and runs it on pool.
func (ev *evaluation) predict(pool *Pool, input results.Input) (prediction, error) {
	prep := ev.prep
	m, sess, closeFn, err := ev.nets.open(input, prep.Px)
	if err != nil {
		return prediction{}, err
	}
	defer closeFn()
	out := prediction{input: input, dice: make([]float64, pool.Len())}
	data := poolData(m, prep, pool, false, nil)
	fetch := []tf.Output{m.Output}
	if m.Diff.Op != nil {
		fetch = append(fetch, m.Recon, m.Diff)
	}
	const batch = 64
	for lo := 0; lo < pool.Len(); lo += batch {
		idx := make([]int, 0, batch)
		for i := lo; i < min(lo+batch, pool.Len()); i++ {
			idx = append(idx, i)
		}
		feeds, err := data.Feeds(idx, nil)
		if err != nil {
			return out, err
		}
		res, err := sess.Run(feeds, fetch, nil)
		if err != nil {
			return out, fmt.Errorf("REG-Net %s: predict: %w", input, err)
		}
		for j, v := range tfrun.Floats(res[0]) {
			out.dice[lo+j] = float64(v)
		}
		if len(res) > 1 {
			n := prep.Px * prep.Px
			r, d := tfrun.Floats(res[1]), tfrun.Floats(res[2])
			for j := range idx {
				out.recon = append(out.recon, r[j*n:(j+1)*n])
				out.diff = append(out.diff, d[j*n:(j+1)*n])
			}
		}
	}
	return out, nil
}

// table1Figures draws predicted against true Dice, and reconstructions with
// their difference images for segmentations of several qualities.
func (ev *evaluation) table1Figures(inputs []results.Input, test *Pool, preds []prediction) error {
	prep, w := ev.prep, ev.w
	var pr, tr [][]float64
	var names []string
	for _, x := range preds {
		pr, tr, names = append(pr, x.dice), append(tr, test.Dice), append(names, x.input.Channels())
	}
	sc := results.Scatter{Predicted: pr, Truth: tr, Names: names, Title: "Predicted against true Dice, test pool"}
	if err := w.figure("table1_scatter.png", sc); err != nil {
		return err
	}
	if err := w.figure("table1_predictions.png", predictionsFigure(prep, test, preds, w.samples)); err != nil {
		return err
	}
	if slices.Contains(inputs, results.InputDS) {
		gt, err := ev.groundTruthFigure()
		if err != nil {
			return err
		}
		if err := w.figure("reconstructions_gt.png", gt); err != nil {
			return err
		}
	}
	for _, x := range preds {
		if x.diff == nil {
			continue
		}
		var panels []results.Panel
		order := sortedByDice(test)
		for _, j := range evenly(len(order), 4) {
			i := order[j]
			sl := prep.Slices[test.Slices[i]]
			seg := unpackBits(test.Masks[i], prep.Px*prep.Px)
			contours := []results.Contour{{Mask: sl.Mask, Color: gtColor}, {Mask: seg, Color: segColor}}
			px := prep.Px
			panels = append(panels,
				results.Panel{Title: fmt.Sprintf("x, true Dice %.2f", test.Dice[i]), Img: sl.Image, W: px, H: px, Lo: -1, Hi: 1, Contours: contours},
				results.Panel{Title: "x · (1 − s)", Img: ev.nets.rec.mask(sl.Image, toFloat(seg)), W: px, H: px, Lo: -1, Hi: 1},
				results.Panel{Title: "reconstruction r", Img: x.recon[i], W: px, H: px, Lo: -1, Hi: 1},
				results.Panel{Title: fmt.Sprintf("d = |x − r|, predicted %.2f", x.dice[i]), Img: x.diff[i], W: px, H: px, Lo: 0, Hi: 1, Colormap: "hot"},
			)
		}
		if err := w.figure("reconstructions_"+string(x.input)+".png", results.ImageGrid{Panels: panels, Cols: 4}); err != nil {
			return err
		}
	}
	return nil
}

func sortedByDice(pool *Pool) []int {
	order := make([]int, pool.Len())
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pool.Dice[order[a]] < pool.Dice[order[b]] })
	return order
}

// predictionsFigure shows test samples with the ground truth and the
// segmentation outlined, the true Dice and every method's prediction
// (the paper's Fig. 6).
func predictionsFigure(prep *Prepared, test *Pool, preds []prediction, n int) results.Figure {
	order := sortedByDice(test)
	var panels []results.Panel
	for _, j := range evenly(len(order), max(n, 1)) {
		i := order[j]
		sl := prep.Slices[test.Slices[i]]
		title := fmt.Sprintf("true Dice %.2f", test.Dice[i])
		for _, x := range preds {
			title += fmt.Sprintf("\n%s: %.2f", x.input.Channels(), x.dice[i])
		}
		panels = append(panels, results.Panel{
			Title: title, Img: sl.Image, W: prep.Px, H: prep.Px, Lo: -1, Hi: 1,
			Contours: []results.Contour{{Mask: sl.Mask, Color: gtColor}, {Mask: unpackBits(test.Masks[i], prep.Px*prep.Px), Color: segColor}},
		})
	}
	return results.ImageGrid{Panels: panels, Cols: min(len(panels), 6)}
}

func writePredictions(path string, prep *Prepared, test *Pool, preds []prediction) error {
	out := results.Predictions{Sources: test.Sources, TrueDice: test.Dice, Predicted: map[results.Input][]float64{}}
	for _, s := range test.Slices {
		out.Patients = append(out.Patients, prep.Slices[s].Patient)
	}
	for _, x := range preds {
		out.Predicted[x.input] = x.dice
	}
	return run.WriteJSON(path, out)
}

// groundTruthFigure shows REC-Net conditioned on the ground truth (the
// paper's Fig. 3): x, x with the structure hidden, the reconstruction and
// d, for test slices spread over the split.
func (ev *evaluation) groundTruthFigure() (results.Figure, error) {
	prep := ev.prep
	m, sess, closeFn, err := ev.nets.open(results.InputDS, prep.Px)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	idx := prep.Index[results.Test]
	pick := evenly(len(idx), 4)
	px := prep.Px
	var xs, ss []float32
	for _, j := range pick {
		s := prep.Slices[idx[j]]
		xs, ss = append(xs, s.Image...), append(ss, toFloat(s.Mask)...)
	}
	res, err := sess.Run(map[tf.Output]*tf.Tensor{m.Inputs[0]: images(xs, len(pick), px), m.Inputs[1]: images(ss, len(pick), px)}, []tf.Output{m.Recon, m.Diff}, nil)
	if err != nil {
		return nil, err
	}
	r, d := tfrun.Floats(res[0]), tfrun.Floats(res[1])
	var panels []results.Panel
	n := px * px
	for k, j := range pick {
		s := prep.Slices[idx[j]]
		panels = append(panels,
			results.Panel{Title: fmt.Sprintf("x (%s %s z=%d)", s.Patient, s.Frame, s.Z), Img: s.Image, W: px, H: px, Lo: -1, Hi: 1, Contours: []results.Contour{{Mask: s.Mask, Color: gtColor}}},
			results.Panel{Title: "x · (1 − y)", Img: ev.nets.rec.mask(s.Image, toFloat(s.Mask)), W: px, H: px, Lo: -1, Hi: 1},
			results.Panel{Title: "reconstruction r", Img: r[k*n : (k+1)*n], W: px, H: px, Lo: -1, Hi: 1},
			results.Panel{Title: "d = |x − r|", Img: d[k*n : (k+1)*n], W: px, H: px, Lo: 0, Hi: 1, Colormap: "hot"},
		)
	}
	return results.ImageGrid{Panels: panels, Cols: 4}, nil
}
