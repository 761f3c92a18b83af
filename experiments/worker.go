package experiments

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/progress"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/tensorboard"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// A worker is how a stage runs, never what it computes: the stage's
// folder, where its messages, progress bars and rendered copies go, and the
// sessions' threads and device. Every setting a worker holds comes from
// runtime.* and report.*, which no stage's key covers: they change how a
// run goes and which figures and event files it draws, not its results
// (runtime.threads and side_by_side change their last bits, as documented).
// What a stage computes comes in its settings, which its key covers (see
// stageDefs).
type worker struct {
	st       *run.Stage
	log      io.Writer
	progress io.Writer // progress bars; nil for none
	render   Renderers
	session  tfrun.Options
	// figures and samples are report.figures and report.samples; events is
	// report.tensorboard.
	figures bool
	samples int
	events  bool
	// lanesAsked is runtime.side_by_side; gpu says the sessions may run on
	// a GPU.
	lanesAsked int
	gpu        bool
}

// newWorker is the worker of stage st in env with the runtime and report
// settings of c.
func newWorker(st *run.Stage, env Env, c config.Config) *worker {
	w := &worker{
		st: st, log: env.Log, render: env.Render, session: env.Session,
		figures: c.Report.Figures, samples: c.Report.Samples, events: c.Report.TensorBoard,
		lanesAsked: c.Runtime.SideBySide, gpu: onGPU(env),
	}
	if c.Runtime.Progress {
		w.progress = env.Log
	}
	return w
}

// newBar is a progress bar on w, a worker's progress writer (nil for
// none); the stages call it where a variable named progress hides the
// package.
func newBar(w io.Writer, label string, total int, unit string) *progress.Bar {
	return progress.New(w, label, total, unit)
}

// file is a path in the stage's folder.
func (w *worker) file(elem ...string) string { return w.st.File(elem...) }

// logf writes a message.
func (w *worker) logf(format string, args ...any) { fmt.Fprintf(w.log, format, args...) }

// figure draws f into the stage's results/figures as name, when
// report.figures is on and there is a figure renderer; nil draws nothing.
func (w *worker) figure(name string, f results.Figure) error {
	if !w.figures || f == nil {
		return nil
	}
	return w.draw(w.file(results.FiguresDir, name), f)
}

// draw writes f to path as a PNG, if there is a figure renderer.
func (w *worker) draw(path string, f results.Figure) error { return w.render.draw(path, f) }

// writeTable writes t as file (a run's results file, such as
// results.Table1File) in the stage's folder, with its rendered copies
// beside it (see Renderers.writeTable).
func (w *worker) writeTable(file string, t results.Tabular) error {
	dir, name := filepath.Split(w.file(file))
	return w.render.writeTable(dir, strings.TrimSuffix(name, ".json"), t)
}

// withSession finalises the graph of s, opens a session, runs fn and
// closes the session.
func (w *worker) withSession(s *op.Scope, fn func(*tf.Session) error) error {
	sess, err := tfrun.Open(s, w.session)
	if err != nil {
		return err
	}
	defer sess.Close()
	return fn(sess)
}

// The folder of a stage that holds its networks' TensorBoard event files;
// the run publishes it to RUN/tensorboard.
const tensorboardDir = "tensorboard"

// trainNet trains spec's network in the stage and, with report.tensorboard
// on, writes its event file: loss, metric, learning rate and throughput per
// epoch, and what images adds (nil: nothing) on top of the writer.
func (w *worker) trainNet(ctx context.Context, sess *tf.Session, spec train.Spec, images func(*tensorboard.Writer) (train.Observer, error)) (hist train.State, err error) {
	spec.Progress = w.progress
	if w.events {
		ev, err := tensorboard.Open(w.file(tensorboardDir, spec.Name), tensorboard.Options{})
		if err != nil {
			return train.State{}, fmt.Errorf("%s: TensorBoard: %w", spec.Name, err)
		}
		spec.Observer = ev
		if images != nil {
			if spec.Observer, err = images(ev); err != nil {
				ev.Close()
				return train.State{}, fmt.Errorf("%s: TensorBoard: %w", spec.Name, err)
			}
		}
		defer func() {
			if cerr := ev.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("%s: TensorBoard: %w", spec.Name, cerr)
			}
		}()
	}
	return train.Run(ctx, sess, spec)
}

// onGPU says whether the sessions may run on a GPU, where side by side
// gains nothing.
func onGPU(env Env) bool {
	switch env.Session.Device {
	case config.DeviceGPU:
		return true
	case config.DeviceCPU:
		return false
	}
	if env.Manifest == nil {
		return false
	}
	for _, d := range env.Manifest.Devices {
		if strings.HasPrefix(d, "GPU") {
			return true
		}
	}
	return false
}

// lanes is how many of n independent networks train side by side
// (runtime.side_by_side; 0: 2 on a CPU with 2 threads or more).
func (w *worker) lanes(n int) int {
	threads := w.session.Threads
	lanes := w.lanesAsked
	if lanes == 0 {
		lanes = 1
		if threads >= 2 && !w.gpu {
			lanes = 2
		}
	}
	return max(1, min(lanes, n, max(threads, 1)))
}

// sideBySide runs job(ctx, v, i) for every i in [0, n), w.lanes(n) at a
// time, in order of i. With more than one lane each job gets its own copy v
// of w whose sessions have an equal share of the threads and whose messages
// and progress lines go through one lock; with one lane v is w. The first
// error cancels the jobs still running and is returned.
func (w *worker) sideBySide(ctx context.Context, n int, job func(ctx context.Context, v *worker, i int) error) error {
	lanes := w.lanes(n)
	if lanes == 1 {
		for i := range n {
			if err := job(ctx, w, i); err != nil {
				return err
			}
		}
		return nil
	}
	shared := *w
	shared.session.Threads = max(1, w.session.Threads/lanes)
	locked := &lockedWriter{w: w.log}
	shared.log = locked
	if shared.progress != nil {
		shared.progress = locked
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		free  = make(chan struct{}, lanes)
	)
	for i := range n {
		select {
		case free <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-free }()
			v := shared
			if err := job(ctx, &v, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// lockedWriter serialises the writes of jobs side by side. It is no
// terminal, so progress bars write whole lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
