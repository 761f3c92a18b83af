package train

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/progress"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tfrun"
)

// Data is a set of samples the loop can batch. Feeds builds the feeds of
// the samples idx; rng is nil for evaluation and seeds augmentation in
// training.
type Data interface {
	Len() int
	Feeds(idx []int, rng *rand.Rand) (map[tf.Output]*tf.Tensor, error)
}

// Spec is one training job.
type Spec struct {
	Name   string
	Model  *graphs.Model
	Train  Data
	Val    Data // may be nil: the last epoch is then the best
	Epochs int
	Batch  int
	LR     float64
	// Schedule is "constant" (or empty) or "cosine": the rate of epoch e of
	// E is LR (0.05 + 0.95 (1 + cos(π (e-1) / E)) / 2), from LR down to LR/20.
	Schedule string
	Seed     uint64
	Dir      string // checkpoints and state
	// Keep lists epochs whose checkpoints are kept as DIR/epoch-NNNN.
	Keep []int
	// Metric is what validation selects on (lower is better); zero means Model.Loss.
	Metric tf.Output
	// Patience stops training once the validation metric has not improved
	// for this many epochs (early stopping); 0 trains all Epochs, which are
	// then the maximum.
	Patience int
	Progress io.Writer // nil: silent
	// AfterInit runs once after the variables are initialised on a fresh
	// start (not on resume), e.g. to restore a frozen sub-network.
	AfterInit func(*tf.Session) error
	// Observer, when not nil, is told about every finished epoch once its
	// checkpoints are saved, e.g. a *tensorboard.Writer writing the
	// network's event file. Its error stops training.
	Observer Observer
	// Perturb, when not nil, may change a training batch's feeds before its
	// step, e.g. to replace samples by adversarial examples: it runs in sess
	// with the weights of that step, in evaluation mode (the feeds hold the
	// data alone), and step, the index of the step over the whole training,
	// is the same in every run, for seeding. Its error stops training.
	Perturb func(sess *tf.Session, feeds map[tf.Output]*tf.Tensor, step int) error
}

// Observer watches training epoch by epoch: row is the epoch's history row
// (losses, validation metric, images per second of training) and lr the
// learning rate it trained with. An observer holding the training session
// (to write reconstructions, say) may run it and sees the weights of the
// end of the epoch; it must not change them.
type Observer interface {
	Epoch(row Epoch, lr float64) error
}

// Epoch is one row of the training history.
type Epoch = results.Epoch

// State is stored with every checkpoint: the history so far and why
// training stopped.
type State = results.History

// Why training ends.
const (
	StopConverged = results.StopConverged
	StopMaxEpochs = results.StopMaxEpochs
)

// Paths of the checkpoints in a training directory.
func LastDir(dir string) string         { return filepath.Join(dir, "last") }
func BestDir(dir string) string         { return filepath.Join(dir, "best") }
func EpochDir(dir string, e int) string { return filepath.Join(dir, fmt.Sprintf("epoch-%04d", e)) }

// Run trains spec.Model in sess, which must hold spec.Model's graph, and
// returns the final state. It resumes from DIR/last when present.
func Run(ctx context.Context, sess *tf.Session, spec Spec) (State, error) {
	if spec.Train.Len() == 0 {
		return State{}, fmt.Errorf("train %s: no training samples", spec.Name)
	}
	if spec.Metric.Op == nil {
		spec.Metric = spec.Model.Loss
	}
	st, err := resume(sess, spec)
	if err != nil {
		return st, err
	}
	// Why a resumed run stopped is decided again: the same state may go on
	// under more epochs or a longer patience.
	st.Stopped = spec.stop(st)
	for epoch := st.Epoch + 1; st.Stopped == ""; epoch++ {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		lr, _ := tf.NewTensor(float32(spec.rate(epoch)))
		row, err := runEpoch(ctx, sess, spec, epoch, lr)
		if err != nil {
			return st, err
		}
		st.Epoch = epoch
		st.History = append(st.History, row)
		improved := spec.Val == nil || row.ValMetric < st.Best || st.BestEpoch == 0
		if improved {
			st.Best, st.BestEpoch = row.ValMetric, epoch
			if err := save(sess, spec, BestDir(spec.Dir), st); err != nil {
				return st, err
			}
		}
		st.Stopped = spec.stop(st)
		for _, k := range spec.Keep {
			if k == epoch {
				if err := save(sess, spec, EpochDir(spec.Dir, epoch), st); err != nil {
					return st, err
				}
			}
		}
		if err := save(sess, spec, LastDir(spec.Dir), st); err != nil {
			return st, err
		}
		if spec.Observer != nil {
			if err := spec.Observer.Epoch(row, spec.rate(epoch)); err != nil {
				return st, fmt.Errorf("train %s epoch %d: observer: %w", spec.Name, epoch, err)
			}
		}
	}
	return st, nil
}

// stop says why training ends after the state's last epoch, or "" when it
// goes on.
func (spec Spec) stop(st State) string {
	switch {
	case spec.Patience > 0 && spec.Val != nil && st.BestEpoch > 0 && st.Epoch-st.BestEpoch >= spec.Patience:
		return StopConverged
	case st.Epoch >= spec.Epochs:
		return StopMaxEpochs
	}
	return ""
}

// rate is the learning rate of epoch (1-based).
func (spec Spec) rate(epoch int) float64 {
	if spec.Schedule != "cosine" || spec.Epochs <= 1 {
		return spec.LR
	}
	frac := float64(epoch-1) / float64(spec.Epochs)
	return spec.LR * (0.05 + 0.95*(1+math.Cos(math.Pi*frac))/2)
}

func resume(sess *tf.Session, spec Spec) (State, error) {
	st := State{Name: spec.Name, Best: math.Inf(1)}
	raw, err := os.ReadFile(filepath.Join(LastDir(spec.Dir), "state.json"))
	if os.IsNotExist(err) {
		if _, err := os.Stat(LastDir(spec.Dir) + ".old"); err == nil {
			raw, err = os.ReadFile(filepath.Join(LastDir(spec.Dir)+".old", "state.json"))
		}
	}
	if err != nil {
		if _, err := sess.Run(nil, nil, []*tf.Operation{spec.Model.Init}); err != nil {
			return st, fmt.Errorf("train %s: initialise: %w", spec.Name, err)
		}
		if spec.AfterInit != nil {
			if err := spec.AfterInit(sess); err != nil {
				return st, fmt.Errorf("train %s: %w", spec.Name, err)
			}
		}
		return st, nil
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("train %s: state in %s: %w", spec.Name, LastDir(spec.Dir), err)
	}
	if err := tfrun.Restore(sess, spec.Model.Saver, LastDir(spec.Dir)); err != nil {
		return st, fmt.Errorf("train %s: %w", spec.Name, err)
	}
	return st, nil
}

func save(sess *tf.Session, spec Spec, dir string, st State) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return tfrun.Save(sess, spec.Model.Saver, dir, map[string][]byte{"state.json": raw})
}

// runEpoch trains one epoch and evaluates. Shuffling and augmentation use a
// generator seeded by (seed, epoch); the dropout seed of step k is (seed, k).
func runEpoch(ctx context.Context, sess *tf.Session, spec Spec, epoch int, lr *tf.Tensor) (Epoch, error) {
	start := time.Now()
	rng := rand.New(rand.NewPCG(spec.Seed, uint64(epoch)))
	order := rng.Perm(spec.Train.Len())
	steps := (len(order) + spec.Batch - 1) / spec.Batch
	bar := progress.New(spec.Progress, fmt.Sprintf("%s epoch %d/%d", spec.Name, epoch, spec.Epochs), len(order), "img")
	m := spec.Model
	var sum float64
	training, _ := tf.NewTensor(true)
	for k := range steps {
		if err := ctx.Err(); err != nil {
			return Epoch{}, err
		}
		idx := order[k*spec.Batch : min((k+1)*spec.Batch, len(order))]
		feeds, err := spec.Train.Feeds(idx, rng)
		if err != nil {
			return Epoch{}, fmt.Errorf("train %s: batch: %w", spec.Name, err)
		}
		step := (epoch-1)*steps + k
		if spec.Perturb != nil {
			if err := spec.Perturb(sess, feeds, step); err != nil {
				return Epoch{}, fmt.Errorf("train %s epoch %d: perturb: %w", spec.Name, epoch, err)
			}
		}
		seed, _ := tf.NewTensor([]int64{int64(spec.Seed), int64(step)})
		feeds[m.LR], feeds[m.Net.Training], feeds[m.Net.DropSeed] = lr, training, seed
		out, err := sess.Run(feeds, []tf.Output{trainLoss(m)}, []*tf.Operation{m.Train})
		if err != nil {
			return Epoch{}, fmt.Errorf("train %s epoch %d: %w", spec.Name, epoch, err)
		}
		loss := float64(tfrun.Scalar(out[0]))
		sum += loss * float64(len(idx))
		bar.Add(len(idx), fmt.Sprintf("loss %.4f", loss))
	}
	row := Epoch{Epoch: epoch, TrainLoss: sum / float64(len(order))}
	row.ImagesPS = float64(len(order)) / time.Since(start).Seconds()
	if spec.Val != nil && spec.Val.Len() > 0 {
		vals, err := Evaluate(sess, spec.Val, spec.Batch, m.Loss, spec.Metric)
		if err != nil {
			return Epoch{}, fmt.Errorf("train %s epoch %d: validate: %w", spec.Name, epoch, err)
		}
		row.ValLoss, row.ValMetric = vals[0], vals[1]
	}
	row.Seconds = time.Since(start).Seconds()
	bar.Done(fmt.Sprintf("loss %.4f val %.4f metric %.4f", row.TrainLoss, row.ValLoss, row.ValMetric))
	return row, nil
}

// trainLoss is what m's Train minimises, its Loss unless it says otherwise.
func trainLoss(m *graphs.Model) tf.Output {
	if m.TrainLoss.Op != nil {
		return m.TrainLoss
	}
	return m.Loss
}

// Evaluate returns the sample-weighted means of scalar fetches over data,
// in evaluation mode (no dropout, no augmentation).
func Evaluate(sess *tf.Session, data Data, batch int, fetches ...tf.Output) ([]float64, error) {
	sums := make([]float64, len(fetches))
	n := data.Len()
	idx := make([]int, 0, batch)
	for lo := 0; lo < n; lo += batch {
		idx = idx[:0]
		for i := lo; i < min(lo+batch, n); i++ {
			idx = append(idx, i)
		}
		feeds, err := data.Feeds(idx, nil)
		if err != nil {
			return nil, err
		}
		out, err := sess.Run(feeds, fetches, nil)
		if err != nil {
			return nil, err
		}
		for i, t := range out {
			sums[i] += float64(tfrun.Scalar(t)) * float64(len(idx))
		}
	}
	for i := range sums {
		sums[i] /= float64(n)
	}
	return sums, nil
}

// Checkpointed lists the training states saved under root (each network's
// DIR/last/state.json, however deep), in path order: where training
// resumes. Unreadable states are left out.
func Checkpointed(root string) []State {
	var states []State
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "state.json" || filepath.Base(filepath.Dir(path)) != "last" {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		var st State
		if json.Unmarshal(raw, &st) == nil {
			states = append(states, st)
		}
		return nil
	})
	return states
}
