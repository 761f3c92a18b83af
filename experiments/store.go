package experiments

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/tfrun"
	"github.com/segqa/segqa/harness/train"
)

// reuse checks a finished stage's files against its DONE record (sizes,
// and SHA-256 with runtime.verify) before the stage is reused. ok is true
// when they match. When they do not, the stage is reset to run again from
// scratch and its old record is returned, or, with Env.NoRecompute, the
// run stops with the *run.CorruptError naming the file.
func (p *pipeline) reuse(st *run.Stage) (before run.Marker, ok bool, err error) {
	m, err := st.Verify(p.cfg.Runtime.Verify)
	if err == nil {
		return m, true, nil
	}
	if !errors.Is(err, run.ErrCorrupt) {
		return m, false, err
	}
	if p.env.NoRecompute {
		return m, false, fmt.Errorf("%w; --no-recompute: not running it again (without it the stage runs again from scratch)", err)
	}
	fmt.Fprintf(p.env.Log, "%v: it differs from what the stage recorded when it finished; running stage %s again from scratch\n", err, st.Name)
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
// after resetting it to run again from scratch; with Env.NoRecompute it
// reports false and the run stops.
func (p *pipeline) retryUnreadable(st *run.Stage, err error) bool {
	if p.env.NoRecompute || ownCheckpoint(st, err) == nil {
		return false
	}
	fmt.Fprintf(p.env.Log, "stage %s: %v\nstage %s: its own checkpoint is unreadable; running it again from scratch\n", st.Name, err, st.Name)
	if rerr := st.Reset(); rerr != nil {
		fmt.Fprintf(p.env.Log, "stage %s: %v\n", st.Name, rerr)
		return false
	}
	return true
}

// stageError is the error of a stage that failed, saying what to do when
// a checkpoint of its own is unreadable.
func (p *pipeline) stageError(st *run.Stage, err error) error {
	if ce := ownCheckpoint(st, err); ce != nil {
		return fmt.Errorf("stage %s: %w; the checkpoint is the stage's own: run without --no-recompute, or delete %s, to run the stage again from scratch", st.Name, err, st.Path)
	}
	return fmt.Errorf("stage %s: %w", st.Name, err)
}

// compareRerun says how much of a stage that ran again because its files
// had changed came out as it was recorded before: the stages downstream of
// it were computed from those bytes. Files holding timings (histories,
// event files, figures of them) differ from run to run.
func (p *pipeline) compareRerun(st *run.Stage, before run.Marker) {
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
	fmt.Fprintf(p.env.Log, "stage %s: ran again; %d of its %d files are bit for bit as recorded before", st.Name, same, len(after.Files))
	if len(differ) > 0 {
		if len(differ) > 6 {
			differ = append(differ[:6], "...")
		}
		fmt.Fprintf(p.env.Log, "; differing: %s", strings.Join(differ, ", "))
	}
	fmt.Fprintln(p.env.Log)
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
