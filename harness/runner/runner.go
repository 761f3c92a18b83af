// Package runner runs a pipeline's stages in a store: it holds each stage's
// lock, skips a stage that finished before once its files match its DONE
// record, checks that the stages it reads have finished, runs it, records
// its timing and publishes its results into the run's folder. It knows
// nothing of what a stage computes: experiments binds the stages.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// A Step is one stage as the runner runs it: the stage as stored (its
// folder, named by the stage's name), what it reads, and the function that
// computes it. The runner knows stages by name alone; what a stage is
// (its settings and how it runs) is its caller's (experiments' stageDef).
type Step struct {
	Stage *run.Stage
	// Reads names the stages whose outputs the stage reads.
	Reads []string
	// Run computes the stage into its folder.
	Run func(ctx context.Context) error
	// Complete, when set, says whether the finished stage holds all that
	// this run asks of it. One that does not is reopened (its files kept)
	// and runs again to finish what is missing.
	Complete func() bool
}

// Runner runs steps. Its zero value logs nothing and publishes nowhere.
type Runner struct {
	Out      string        // the run's folder, where Publish copies to
	Publish  []string      // folders of a stage copied into Out (for example "results")
	Log      io.Writer     // messages; nil for none
	Manifest *run.Manifest // timings are recorded here; nil for none
	// Verify checks the SHA-256 of every file of a finished stage, not
	// only its size, before the stage is reused or read.
	Verify bool
	// NoRecompute stops the run when a finished stage's files differ from
	// its DONE record, instead of running the stage again.
	NoRecompute bool
}

func (r *Runner) logf(format string, args ...any) {
	if r.Log != nil {
		fmt.Fprintf(r.Log, format, args...)
	}
}

// Run runs the steps whose stage names selected lists, in order, skipping
// those that finished before; the others must have finished before if a
// selected step reads them.
func (r *Runner) Run(ctx context.Context, steps []Step, selected []string) error {
	byName := map[string]*run.Stage{}
	for _, s := range steps {
		byName[s.Stage.Name] = s.Stage
	}
	for _, s := range steps {
		if !slices.Contains(selected, s.Stage.Name) {
			continue
		}
		if err := r.step(ctx, s, byName, selected); err != nil {
			return err
		}
	}
	return nil
}

// step runs one stage unless it finished before, holding the stage's lock
// so that sweep cells sharing it wait for one another. A finished stage is
// reused only once its files match its DONE record (see reuse).
func (r *Runner) step(ctx context.Context, s Step, stages map[string]*run.Stage, selected []string) error {
	st := s.Stage
	if ctx.Err() != nil { // stopped between stages: the safest point
		return &StoppedError{Stage: st.Name, Dir: st.Path, Cause: context.Cause(ctx), Err: ctx.Err()}
	}
	unlock, err := st.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	var before *run.Marker // the record of a stage found corrupt
	if st.Done() && s.Complete != nil && !s.Complete() {
		r.logf("stage %s: finished before, without all this run asks of it; running it again to finish the rest (%s)\n", st.Name, st.Path)
		if err := st.Reopen(); err != nil {
			return err
		}
	}
	if st.Done() {
		m, ok, err := r.reuse(st)
		if err != nil {
			return err
		}
		if ok {
			r.logf("stage %s: done before (%s), skipped\n", st.Name, st.Path)
			if err := r.publish(st); err != nil {
				return err
			}
			return r.record(st, 0, true)
		}
		before = &m
	}
	if err := r.requireUpstream(s, stages, selected); err != nil {
		return err
	}
	if err := st.RemoveTemporaries(); err != nil {
		return err
	}
	r.logf("stage %s: running in %s\n", st.Name, st.Path)
	start := time.Now()
	err = s.Run(ctx)
	if r.retryUnreadable(st, err) {
		err = s.Run(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return &StoppedError{Stage: st.Name, Dir: st.Path, Cause: context.Cause(ctx), Err: err}
		}
		return stageError(st, err)
	}
	took := time.Since(start)
	if err := st.Finish(took); err != nil {
		return err
	}
	if before != nil {
		r.compareRerun(st, *before)
	}
	if err := r.publish(st); err != nil {
		return err
	}
	if err := r.record(st, took, false); err != nil {
		return err
	}
	r.logf("stage %s: finished in %s\n", st.Name, took.Round(time.Millisecond))
	return nil
}

// requireUpstream checks that every stage s reads has finished with these
// settings, or runs in this invocation (before s), and that the files of
// those finished before still match their DONE records, so that s never
// reads a changed file.
func (r *Runner) requireUpstream(s Step, stages map[string]*run.Stage, selected []string) error {
	name := s.Stage.Name
	for _, up := range s.Reads {
		if slices.Contains(selected, up) {
			continue // it ran, or was checked, just before
		}
		st, ok := stages[up]
		if !ok {
			return fmt.Errorf("stage %s reads stage %s, which the pipeline has not", name, up)
		}
		if !st.Done() {
			return fmt.Errorf("stage %s needs stage %s, which has not run with these settings; run it too (--stages %s,%s)", name, up, up, name)
		}
		if _, err := st.Verify(r.Verify); err != nil {
			return fmt.Errorf("stage %s needs stage %s: %w; run it again (--stages %s,%s)", name, up, err, up, name)
		}
	}
	return nil
}

// record writes the stage's timing into the run's manifest.
func (r *Runner) record(st *run.Stage, took time.Duration, skipped bool) error {
	if r.Manifest == nil {
		return nil
	}
	if skipped {
		if m, err := st.Marker(); err == nil {
			took = m.Duration
		}
	}
	if err := r.Manifest.Record(st.Name, run.StageTiming{Key: st.Key, Seconds: took.Seconds(), Skipped: skipped}); err != nil {
		return fmt.Errorf("stage %s: manifest: %w", st.Name, err)
	}
	return nil
}

// publish copies the stage's Publish folders into the run's folder, so a
// run whose stages were finished by another run (a sweep sharing a store)
// still shows every result.
func (r *Runner) publish(st *run.Stage) error {
	if r.Out == "" {
		return nil
	}
	for _, dir := range r.Publish {
		if err := copyTree(st.File(dir), filepath.Join(r.Out, dir)); err != nil {
			return fmt.Errorf("stage %s: publish %s: %w", st.Name, dir, err)
		}
	}
	return nil
}

// copyTree copies the files under src to dst, each atomically.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && path == src {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		return run.WriteAtomic(filepath.Join(dst, rel), func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		})
	})
}

// reuse checks a finished stage's files against its DONE record (sizes,
// and SHA-256 with Verify) before the stage is reused. ok is true when they
// match. When they do not, the stage is reset to run again from scratch and
// its old record is returned, or, with NoRecompute, the run stops with the
// *run.CorruptError naming the file.
func (r *Runner) reuse(st *run.Stage) (before run.Marker, ok bool, err error) {
	m, err := st.Verify(r.Verify)
	if err == nil {
		return m, true, nil
	}
	if !errors.Is(err, run.ErrCorrupt) {
		return m, false, err
	}
	if r.NoRecompute {
		return m, false, fmt.Errorf("%w; --no-recompute: not running it again (without it the stage runs again from scratch)", err)
	}
	r.logf("%v: it differs from what the stage recorded when it finished; running stage %s again from scratch\n", err, st.Name)
	if err := st.Reset(); err != nil {
		return m, false, err
	}
	return m, false, nil
}

// ownCheckpoint returns the checkpoint of the stage's own that err says
// TensorFlow could not read, nil when err says nothing of one.
func ownCheckpoint(st *run.Stage, err error) *tfrun.CheckpointError {
	var ce *tfrun.CheckpointError
	if errors.As(err, &ce) && strings.HasPrefix(ce.Dir, st.Path+string(filepath.Separator)) {
		return ce
	}
	return nil
}

// retryUnreadable reports whether the stage failed on an unreadable
// checkpoint of its own (an unfinished stage resuming from changed bytes),
// after resetting it to run again from scratch; with NoRecompute it reports
// false and the run stops.
func (r *Runner) retryUnreadable(st *run.Stage, err error) bool {
	if r.NoRecompute || ownCheckpoint(st, err) == nil {
		return false
	}
	r.logf("stage %s: %v\nstage %s: its own checkpoint is unreadable; running it again from scratch\n", st.Name, err, st.Name)
	if rerr := st.Reset(); rerr != nil {
		r.logf("stage %s: %v\n", st.Name, rerr)
		return false
	}
	return true
}

// stageError is the error of a stage that failed, saying what to do when a
// checkpoint of its own is unreadable.
func stageError(st *run.Stage, err error) error {
	if ce := ownCheckpoint(st, err); ce != nil {
		return fmt.Errorf("stage %s: %w; the checkpoint is the stage's own: run without --no-recompute, or delete %s, to run the stage again from scratch", st.Name, err, st.Path)
	}
	return fmt.Errorf("stage %s: %w", st.Name, err)
}

// compareRerun says how much of a stage that ran again because its files
// had changed came out as it was recorded before: the stages downstream of
// it were computed from those bytes. Files holding timings (histories,
// event files, figures of them) differ from run to run.
func (r *Runner) compareRerun(st *run.Stage, before run.Marker) {
	after, err := st.Marker()
	if err != nil || before.Files == nil {
		return
	}
	was := map[string]string{}
	for _, f := range before.Files {
		was[f.Path] = f.SHA256
	}
	same := 0
	var differ []string
	for _, f := range after.Files {
		if was[f.Path] == f.SHA256 {
			same++
		} else {
			differ = append(differ, f.Path)
		}
	}
	msg := fmt.Sprintf("stage %s: ran again; %d of its %d files are bit for bit as recorded before", st.Name, same, len(after.Files))
	if len(differ) > 0 {
		if len(differ) > 6 {
			differ = append(differ[:6], "...")
		}
		msg += "; differing: " + strings.Join(differ, ", ")
	}
	r.logf("%s\n", msg)
}

// StoppedError is a run stopped by its context (a signal) inside a stage:
// what finished is kept and the same command resumes.
type StoppedError struct {
	Stage string // the stage that was running
	Dir   string // its folder
	Cause error  // the context's cause
	Err   error  // what the stage returned
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("stage %s: stopped (%v); %s", e.Stage, e.Cause, e.Resume())
}

func (e *StoppedError) Unwrap() error { return e.Err }

// Resume says where the same command resumes: the stage, and the last
// epoch each of its unfinished networks checkpointed.
func (e *StoppedError) Resume() string {
	var at []string
	for _, st := range train.Checkpointed(e.Dir) {
		if st.Stopped == "" {
			at = append(at, fmt.Sprintf("%s after epoch %d", st.Name, st.Epoch))
		}
	}
	s := "the same command resumes with stage " + e.Stage
	if len(at) > 0 {
		s += ", from its checkpoints (" + strings.Join(at, ", ") + ")"
	}
	return s
}
