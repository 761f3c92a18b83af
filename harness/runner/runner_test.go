package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/run"
)

// pipeline is two stages, a and b reading a, in a fresh store; each writes
// one file and counts its runs.
func pipeline(t *testing.T) (steps []Step, runs map[string]int) {
	t.Helper()
	store := t.TempDir()
	runs = map[string]int{}
	for _, name := range []string{"a", "b"} {
		st := run.NewStageAt(store, name, "k"+name)
		s := Step{Stage: st, Run: func(context.Context) error {
			runs[name]++
			return run.WriteFile(st.File("results", name+".txt"), []byte(name))
		}}
		if name == "b" {
			s.Reads = []string{"a"}
		}
		steps = append(steps, s)
	}
	return steps, runs
}

// TestRunnerSkipsFinishedStagesAndPublishes: a second run runs nothing
// and still publishes each stage's results into the run folder.
func TestRunnerSkipsFinishedStagesAndPublishes(t *testing.T) {
	steps, runs := pipeline(t)
	var log bytes.Buffer
	r := Runner{Out: t.TempDir(), Publish: []string{"results"}, Log: &log}
	for range 2 {
		if err := r.Run(context.Background(), steps, []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
	}
	if runs["a"] != 1 || runs["b"] != 1 {
		t.Errorf("runs %v, want each stage once", runs)
	}
	if !strings.Contains(log.String(), "stage b: done before") {
		t.Errorf("log does not say b was skipped:\n%s", log.String())
	}
	if b, err := os.ReadFile(filepath.Join(r.Out, "results", "b.txt")); err != nil || string(b) != "b" {
		t.Errorf("b's result not published: %q, %v", b, err)
	}
}

// TestRunnerRefusesAnUnfinishedUpstream: b alone, before a ran, is refused
// naming the stage to run, and runs nothing.
func TestRunnerRefusesAnUnfinishedUpstream(t *testing.T) {
	steps, runs := pipeline(t)
	err := (&Runner{}).Run(context.Background(), steps, []string{"b"})
	if err == nil || !strings.Contains(err.Error(), "stage b needs stage a") {
		t.Fatalf("error %v, want one naming stage a", err)
	}
	if runs["b"] != 0 {
		t.Error("b ran without a")
	}
}

// TestRunnerReopensAnIncompleteStage: a finished stage that does not hold
// what this run asks runs again, and keeps its files.
func TestRunnerReopensAnIncompleteStage(t *testing.T) {
	steps, runs := pipeline(t)
	r := Runner{}
	if err := r.Run(context.Background(), steps, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	steps[0].Complete = func() bool { return runs["a"] >= 2 }
	if err := r.Run(context.Background(), steps, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if runs["a"] != 2 || !steps[0].Stage.Done() {
		t.Errorf("a ran %d times, done %v; want it reopened once and finished", runs["a"], steps[0].Stage.Done())
	}
}

// TestRunnerStoppedBetweenStages: a cancelled run stops before the next
// stage with a StoppedError that says where the same command resumes.
func TestRunnerStoppedBetweenStages(t *testing.T) {
	steps, runs := pipeline(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	steps[0].Run = func(context.Context) error {
		runs["a"]++
		cancel(errors.New("interrupt"))
		return nil
	}
	err := (&Runner{}).Run(ctx, steps, []string{"a", "b"})
	var stop *StoppedError
	if !errors.As(err, &stop) || stop.Stage != "b" || !strings.Contains(err.Error(), "resumes with stage b") {
		t.Fatalf("error %v, want a stop before stage b", err)
	}
	if runs["b"] != 0 || !steps[0].Stage.Done() {
		t.Errorf("b ran %d times, a done %v", runs["b"], steps[0].Stage.Done())
	}
}

// TestRunnerReRunsAChangedStage: a finished stage whose file changed size
// runs again from scratch.
func TestRunnerReRunsAChangedStage(t *testing.T) {
	steps, runs := pipeline(t)
	r := Runner{}
	if err := r.Run(context.Background(), steps, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(steps[0].Stage.File("results", "a.txt"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), steps, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if runs["a"] != 2 {
		t.Errorf("a ran %d times, want again after its file changed", runs["a"])
	}
	r.NoRecompute = true
	if err := os.WriteFile(steps[0].Stage.File("results", "a.txt"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), steps, []string{"a"}); !errors.Is(err, run.ErrCorrupt) {
		t.Errorf("with NoRecompute: %v, want run.ErrCorrupt", err)
	}
}
