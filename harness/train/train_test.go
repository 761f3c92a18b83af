package train_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tensorboard"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

const px = 32

// discs makes n images of a bright disc inside a darker ring on noise, and
// masks of the ring, at random positions and sizes.
func discs(n int, seed uint64) (imgs, masks [][]float32) {
	r := rand.New(rand.NewPCG(seed, 0))
	for range n {
		cx, cy := 10+r.Float64()*12, 10+r.Float64()*12
		inner := 3 + r.Float64()*3
		outer := inner + 2 + r.Float64()*2
		img, mask := make([]float32, px*px), make([]float32, px*px)
		for y := range px {
			for x := range px {
				d := math.Hypot(float64(x)-cx, float64(y)-cy)
				v := -0.6
				switch {
				case d < inner:
					v = 0.8
				case d < outer:
					v = -0.1
					mask[y*px+x] = 1
				}
				img[y*px+x] = float32(v + 0.1*r.NormFloat64())
			}
		}
		imgs, masks = append(imgs, img), append(masks, mask)
	}
	return imgs, masks
}

func stack(list [][]float32, idx []int) []float32 {
	out := make([]float32, 0, len(idx)*px*px)
	for _, i := range idx {
		out = append(out, list[i]...)
	}
	return out
}

// segData feeds image and mask, augmented together.
func segData(m *graphs.Model, imgs, masks [][]float32) train.Data {
	return train.FuncData{N: len(imgs), F: func(idx []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		xs, ys := make([][]float32, len(idx)), make([][]float32, len(idx))
		for j, i := range idx {
			a := train.Dihedral(rng, px, imgs[i], masks[i])
			xs[j], ys[j] = a[0], a[1]
		}
		all := make([]int, len(idx))
		for j := range all {
			all[j] = j
		}
		n := int64(len(idx))
		return map[tf.Output]*tf.Tensor{
			m.Inputs[0]: tfrun.MustFloat32(stack(xs, all), n, px, px, 1),
			m.Target:    tfrun.MustFloat32(stack(ys, all), n, px, px, 1),
		}, nil
	}}
}

func newSession(t testing.TB, s *op.Scope) *tf.Session {
	t.Helper()
	sess, err := tfrun.Open(s, tfrun.Options{Threads: 2, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

func dice(pred, truth []float32) float64 {
	var inter, sum float64
	for i := range pred {
		p := 0.0
		if pred[i] >= 0.5 {
			p = 1
		}
		inter += p * float64(truth[i])
		sum += p + float64(truth[i])
	}
	if sum == 0 {
		return 1
	}
	return 2 * inter / sum
}

func TestUNetLearnsToSegment(t *testing.T) {
	s := op.NewScope()
	m := graphs.Segmenter(s, graphs.UNetSpec{Depth: 2, Filters: 8, Out: 1}, px, graphs.DiceBCE, 3, graphs.Adam{})
	sess := newSession(t, s)
	imgs, masks := discs(48, 1)
	vimgs, vmasks := discs(16, 2)
	spec := train.Spec{
		Name: "unet", Model: m, Train: segData(m, imgs, masks), Val: segData(m, vimgs, vmasks),
		Epochs: 25, Batch: 8, LR: 3e-3, Seed: 1, Dir: t.TempDir(),
	}
	st, err := train.Run(context.Background(), sess, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := tfrun.Restore(sess, m.Saver, train.BestDir(spec.Dir)); err != nil {
		t.Fatal(err)
	}
	feeds, _ := spec.Val.Feeds([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, nil)
	out, err := sess.Run(feeds, []tf.Output{m.Output}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pred := tfrun.Floats(out[0])
	var mean float64
	for i := range vimgs {
		mean += dice(pred[i*px*px:(i+1)*px*px], vmasks[i]) / float64(len(vimgs))
	}
	t.Logf("validation Dice %.3f after %d epochs (best epoch %d, val loss %.3f)", mean, st.Epoch, st.BestEpoch, st.Best)
	if mean < 0.9 {
		t.Errorf("validation Dice %.3f, want > 0.9", mean)
	}
}

func TestRecNetLowersL1(t *testing.T) {
	s := op.NewScope()
	m := graphs.Reconstructor(s, graphs.UNetSpec{Depth: 2, Filters: 8, Out: 1}, px, 5, graphs.Adam{})
	sess := newSession(t, s)
	imgs, masks := discs(32, 3)
	data := train.FuncData{N: len(imgs), F: func(idx []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		x, y := stack(imgs, idx), stack(masks, idx)
		masked := make([]float32, len(x))
		for i := range x {
			masked[i] = x[i] * (1 - y[i])
		}
		n := int64(len(idx))
		return map[tf.Output]*tf.Tensor{m.Inputs[0]: tfrun.MustFloat32(masked, n, px, px, 1), m.Target: tfrun.MustFloat32(x, n, px, px, 1)}, nil
	}}
	spec := train.Spec{Name: "recnet", Model: m, Train: data, Val: data, Epochs: 15, Batch: 8, LR: 2e-3, Seed: 1, Dir: t.TempDir()}
	st, err := train.Run(context.Background(), sess, spec)
	if err != nil {
		t.Fatal(err)
	}
	first, last := st.History[0].ValLoss, st.History[len(st.History)-1].ValLoss
	t.Logf("L1 %.4f -> %.4f", first, last)
	if !(last < 0.6*first) {
		t.Errorf("L1 went from %.4f to %.4f, want it at least 40%% lower", first, last)
	}
}

// weights returns every variable of m, flattened.
func weights(t *testing.T, sess *tf.Session, m *graphs.Model) []float32 {
	var fetch []tf.Output
	for _, v := range m.Net.Variables() {
		fetch = append(fetch, v.Value)
	}
	out, err := sess.Run(nil, fetch, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []float32
	for _, o := range out {
		all = append(all, tfrun.Floats(o)...)
	}
	return all
}

func shortRun(t *testing.T, dir string, epochs int) ([]float32, train.State) {
	w, st, err := observedRun(t, dir, epochs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w, st
}

// observedRun is shortRun with an observer and a cosine schedule when obs
// is not nil; it returns Run's error.
func observedRun(t *testing.T, dir string, epochs int, obs train.Observer) ([]float32, train.State, error) {
	s := op.NewScope()
	m := graphs.Regressor(s, graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8, 8}, Dropout: 0.5}, px, []string{"image", "seg"}, graphs.L1, 9, graphs.Adam{})
	sess := newSession(t, s)
	imgs, masks := discs(12, 4)
	data := regData(m, imgs, masks, func(i int) float32 { return float32(i) / 12 })
	spec := train.Spec{Name: "reg", Model: m, Train: data, Val: data, Epochs: epochs, Batch: 5, LR: 1e-3, Seed: 2, Dir: dir}
	if obs != nil {
		spec.Observer, spec.Schedule = obs, "cosine"
	}
	st, err := train.Run(context.Background(), sess, spec)
	return weights(t, sess, m), st, err
}

// regData feeds a regressor (image, mask) pairs with the target dice(i) of
// sample i.
func regData(m *graphs.Model, imgs, masks [][]float32, dice func(i int) float32) train.Data {
	return train.FuncData{N: len(imgs), F: func(idx []int, _ *rand.Rand) (map[tf.Output]*tf.Tensor, error) {
		d := make([]float32, len(idx))
		for j, i := range idx {
			d[j] = dice(i)
		}
		n := int64(len(idx))
		return map[tf.Output]*tf.Tensor{
			m.Inputs[0]: tfrun.MustFloat32(stack(imgs, idx), n, px, px, 1),
			m.Inputs[1]: tfrun.MustFloat32(stack(masks, idx), n, px, px, 1),
			m.Target:    tfrun.MustFloat32(d, n),
		}, nil
	}}
}

func sameFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

func TestSameSeedSameWeightsAndLosses(t *testing.T) {
	w1, s1 := shortRun(t, t.TempDir(), 3)
	w2, s2 := shortRun(t, t.TempDir(), 3)
	if !sameFloats(w1, w2) {
		t.Error("same seed gave different weights")
	}
	for i := range s1.History {
		if s1.History[i].TrainLoss != s2.History[i].TrainLoss {
			t.Errorf("epoch %d: losses %v and %v", i+1, s1.History[i].TrainLoss, s2.History[i].TrainLoss)
		}
	}
}

func TestInterruptedRunResumesToSameWeights(t *testing.T) {
	whole, _ := shortRun(t, t.TempDir(), 4)
	dir := t.TempDir()
	shortRun(t, dir, 2) // "killed" after epoch 2: a new process starts over with the same command
	resumed, st := shortRun(t, dir, 4)
	if st.Epoch != 4 || len(st.History) != 4 {
		t.Fatalf("resumed state at epoch %d with %d history rows", st.Epoch, len(st.History))
	}
	if !sameFloats(whole, resumed) {
		t.Error("resumed run ended with different weights than an uninterrupted one")
	}
}

func TestCheckpointRoundTripIsBitIdentical(t *testing.T) {
	dir := t.TempDir()
	want, _ := shortRun(t, dir, 1)
	s := op.NewScope()
	m := graphs.Regressor(s, graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8, 8}, Dropout: 0.5}, px, []string{"image", "seg"}, graphs.L1, 123, graphs.Adam{})
	sess := newSession(t, s)
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	if sameFloats(weights(t, sess, m), want) {
		t.Fatal("a differently seeded model starts with the trained weights")
	}
	if err := tfrun.Restore(sess, m.Saver, filepath.Join(dir, "last")); err != nil {
		t.Fatal(err)
	}
	if !sameFloats(weights(t, sess, m), want) {
		t.Error("restored weights differ from saved ones")
	}
}

// TestEarlyStopping trains on data whose validation metric cannot improve
// for long (random targets): training stops Patience epochs after the
// best, says why, and a resumed run does not train further.
func TestEarlyStopping(t *testing.T) {
	s := op.NewScope()
	m := graphs.Regressor(s, graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8}}, px, []string{"image", "seg"}, graphs.L1, 9, graphs.Adam{})
	sess := newSession(t, s)
	imgs, masks := discs(10, 5)
	r := rand.New(rand.NewPCG(1, 1))
	target := make([]float32, len(imgs))
	for i := range target {
		target[i] = float32(r.Float64())
	}
	// Validation: other targets for the same images.
	data := func(shift int) train.Data {
		return regData(m, imgs, masks, func(i int) float32 { return target[(i+shift)%len(target)] })
	}
	dir := t.TempDir()
	spec := train.Spec{Name: "stop", Model: m, Train: data(0), Val: data(3), Epochs: 60, Patience: 3, Batch: 5, LR: 1e-2, Seed: 2, Dir: dir}
	st, err := train.Run(context.Background(), sess, spec)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stopped != train.StopConverged || st.Epoch != st.BestEpoch+3 || st.Epoch >= 60 {
		t.Fatalf("stopped %q at epoch %d, best %d: want converged 3 epochs after the best, before 60", st.Stopped, st.Epoch, st.BestEpoch)
	}
	again, err := train.Run(context.Background(), sess, spec)
	if err != nil {
		t.Fatal(err)
	}
	if again.Epoch != st.Epoch || again.Stopped != train.StopConverged {
		t.Errorf("a resumed converged run went on to epoch %d (%q)", again.Epoch, again.Stopped)
	}
	spec.Patience = 0
	spec.Epochs = st.Epoch + 1
	longer, err := train.Run(context.Background(), sess, spec)
	if err != nil {
		t.Fatal(err)
	}
	if longer.Epoch != st.Epoch+1 || longer.Stopped != train.StopMaxEpochs {
		t.Errorf("without patience the run should go on one epoch to the maximum: epoch %d, %q", longer.Epoch, longer.Stopped)
	}
}

// TestEventFileFollowsHistory trains with a TensorBoard writer as the
// observer, stopped after epoch 2 by an observer error (a kill) and resumed
// to 4 with a new writer in the same directory, then reads the event files
// back: every tag holds one point per epoch of the returned history, at
// step = epoch, equal to the history's value rounded to float32 (what the
// event file stores), and the learning rate follows the cosine schedule.
func TestEventFileFollowsHistory(t *testing.T) {
	dir, events := t.TempDir(), tensorboard.Dir(t.TempDir(), "reg")
	for sitting := range 2 {
		w, err := tensorboard.Open(events, tensorboard.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var obs train.Observer = w
		if sitting == 0 {
			obs = killAfter{w, 2}
		}
		_, _, err = observedRun(t, dir, 4, obs)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if sitting == 0 && errors.Is(err, errKilled) {
			err = nil
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	_, st, err := observedRun(t, dir, 4, nil) // resumes the finished run: its state
	if err != nil {
		t.Fatal(err)
	}
	if len(st.History) != 4 {
		t.Fatalf("history of %d epochs, want 4", len(st.History))
	}
	if files, err := tensorboard.Files(events); err != nil || len(files) != 2 {
		t.Fatalf("event files %v (%v), want one per sitting", files, err)
	}
	ev, err := tensorboard.ReadDir(events)
	if err != nil {
		t.Fatal(err)
	}
	got := tensorboard.Scalars(ev)
	for _, tag := range []string{tensorboard.TagTrainLoss, tensorboard.TagValLoss, tensorboard.TagValMetric, tensorboard.TagLR, tensorboard.TagThroughput} {
		if len(got[tag]) != len(st.History) {
			t.Errorf("%s: %d points, want one per epoch (%d): %v", tag, len(got[tag]), len(st.History), got[tag])
		}
	}
	for i, row := range st.History {
		lr := 1e-3 * (0.05 + 0.95*(1+math.Cos(math.Pi*float64(i)/4))/2)
		for tag, want := range map[string]float64{
			tensorboard.TagTrainLoss: row.TrainLoss, tensorboard.TagValLoss: row.ValLoss, tensorboard.TagValMetric: row.ValMetric,
			tensorboard.TagLR: lr, tensorboard.TagThroughput: row.ImagesPS,
		} {
			if i >= len(got[tag]) {
				continue
			}
			if p := got[tag][i]; p.Step != int64(row.Epoch) || p.Value != float64(float32(want)) {
				t.Errorf("%s point %d = %+v, want step %d value %v", tag, i, p, row.Epoch, float32(want))
			}
		}
		if row.ImagesPS <= 0 {
			t.Errorf("epoch %d: %v images per second", row.Epoch, row.ImagesPS)
		}
	}
}

var errKilled = errors.New("killed")

// killAfter passes epochs on to an observer and then fails after epoch n.
type killAfter struct {
	train.Observer
	n int
}

func (k killAfter) Epoch(row train.Epoch, lr float64) error {
	if err := k.Observer.Epoch(row, lr); err != nil {
		return err
	}
	if row.Epoch == k.n {
		return errKilled
	}
	return nil
}

type failAt int

func (f failAt) Epoch(row train.Epoch, _ float64) error {
	if row.Epoch == int(f) {
		return errors.New("disk full")
	}
	return nil
}

// TestObserverErrorStopsTraining: an observer's error ends Run with it,
// after the epoch's checkpoint is saved.
func TestObserverErrorStopsTraining(t *testing.T) {
	dir := t.TempDir()
	_, st, err := observedRun(t, dir, 4, failAt(2))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the observer's", err)
	}
	if st.Epoch != 2 {
		t.Errorf("stopped at epoch %d, want 2", st.Epoch)
	}
	if _, err := os.Stat(filepath.Join(train.LastDir(dir), "state.json")); err != nil {
		t.Errorf("epoch 2 not checkpointed: %v", err)
	}
}

// TestPerturbSeesEveryStep: Perturb is called before each training step
// with the batch's data feeds alone and the step's index over the whole
// run, what it feeds is what the step trains on, and its error stops Run.
func TestPerturbSeesEveryStep(t *testing.T) {
	s := op.NewScope()
	m := graphs.Regressor(s, graphs.RegNetSpec{Blocks: 2, Filters: 4, Dense: []int64{8}}, px, []string{"image", "seg"}, graphs.L1, 9, graphs.Adam{})
	sess := newSession(t, s)
	imgs, masks := discs(12, 4)
	data := regData(m, imgs, masks, func(i int) float32 { return float32(i) / 12 })
	var steps []int
	spec := train.Spec{Name: "reg", Model: m, Train: data, Epochs: 3, Batch: 5, LR: 1e-3, Seed: 2, Dir: t.TempDir()}
	spec.Perturb = func(_ *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error {
		if len(feeds) != 3 {
			t.Errorf("step %d: %d feeds, want the batch's image, segmentation and target", step, len(feeds))
		}
		steps = append(steps, step)
		// A target of 2, out of the sigmoid's reach: the loss is at least 1.
		n := feeds[m.Target].Shape()[0]
		feeds[m.Target] = tfrun.MustFloat32(slices.Repeat([]float32{2}, int(n)), n)
		if step == 7 {
			return errors.New("no adversary")
		}
		return nil
	}
	st, err := train.Run(context.Background(), sess, spec)
	if err == nil || !strings.Contains(err.Error(), "no adversary") {
		t.Fatalf("error %v, want Perturb's", err)
	}
	if !slices.Equal(steps, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("Perturb saw steps %v, want 0 to 7 (3 a epoch)", steps)
	}
	for _, e := range st.History {
		if e.TrainLoss < 1 {
			t.Errorf("epoch %d: loss %.3f, so the step did not train on the perturbed feeds", e.Epoch, e.TrainLoss)
		}
	}
}
