package orchestrate

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/slurm"
)

// fakeSlurm puts sbatch, squeue, sacct and scancel on PATH that answer from
// files in the returned folder: sbatch hands out job ids from 100 on and
// logs its arguments to sbatch.log, squeue prints squeue.txt, scancel logs
// to scancel.log, sacct says the cluster keeps no accounting.
func fakeSlurm(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	scripts := map[string]string{
		"sbatch":  `n=$(cat "$FAKE_SLURM/next" 2>/dev/null || echo 100); echo $((n + 1)) > "$FAKE_SLURM/next"; echo "$*" >> "$FAKE_SLURM/sbatch.log"; echo "$n"`,
		"squeue":  `cat "$FAKE_SLURM/squeue.txt" 2>/dev/null; true`,
		"scancel": `echo "$*" >> "$FAKE_SLURM/scancel.log"`,
		"sacct":   `echo "sacct: error: Slurm accounting storage is disabled" >&2; exit 1`,
	}
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir+":/usr/bin:/bin") // no real Slurm command, whatever the machine has
	t.Setenv("FAKE_SLURM", dir)
	return dir
}

func twoCellPlan(t *testing.T, dir string, losses ...string) Plan {
	t.Helper()
	sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: losses}}}
	cfgs, err := config.ExpandSweep(&sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Plan{Sweep: sw, Configs: cfgs, Dir: dir}
}

// TestSlurmSubmitsWhatIsNotQueued submits a sweep of two cells, then
// again while Slurm runs one and queues the other (nothing to submit),
// then once one failed: only that cell goes again, the report job waits
// for the array still running, and the report job it supersedes is
// cancelled.
func TestSlurmSubmitsWhatIsNotQueued(t *testing.T) {
	fake := fakeSlurm(t)
	dir := filepath.Join(t.TempDir(), "sweep")
	plan := twoCellPlan(t, dir, "l1", "l2")
	var stdout, stderr bytes.Buffer
	l := Slurm{Settings: config.Slurm{CPUsPerTask: 1, MaxParallel: 1}, Workdir: t.TempDir(), Segqa: filepath.Join(t.TempDir(), "segqa"), Stdout: &stdout, Stderr: &stderr}
	launch := func(squeue string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(fake, "squeue.txt"), []byte(squeue), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout.Reset()
		if err := l.Launch(context.Background(), plan); err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		return stdout.String()
	}
	wantLines := func(got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("output lacks %q:\n%s", w, got)
			}
		}
	}

	got := launch("")
	wantLines(got, "2 cells; 0 done, 0 queued or running, 2 to submit", "array job 100: cells 0-1%1", "report job 101: --dependency=afterany:100")
	for _, cell := range plan.Sweep.Cells {
		if _, err := ReadCellConfig(dir, cell); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(slurm.LogDir(dir)); err != nil {
		t.Error(err)
	}

	got = launch("100_0|RUNNING|None|node1\n100_1|PENDING|JobArrayTaskLimit|\n101|PENDING|Dependency|\n")
	wantLines(got, "0 done, 2 queued or running, 0 to submit", "nothing to submit; follow them with")

	got = launch("100_0|FAILED|NonZeroExitCode|node1\n100_1|RUNNING|None|node1\n101|PENDING|Dependency|\n")
	wantLines(got, "0 done, 1 queued or running, 1 to submit", "array job 102: cells 0%1",
		"cancelled the superseded report job 101", "report job 103: --dependency=afterany:102,afterany:100")
	cancelled, _ := os.ReadFile(filepath.Join(fake, "scancel.log"))
	if string(cancelled) != "101\n" {
		t.Errorf("scancel got %q, want the superseded report job 101", cancelled)
	}
	rec, err := slurm.ReadRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Submissions); n != 2 || rec.Submissions[1].ArrayJob != "102" || rec.Submissions[1].ReportJob != "103" {
		t.Errorf("record: %+v", rec)
	}

	// The status of what Slurm says now.
	squeue := "100_1|RUNNING|None|node1\n102_0|PENDING|Priority|\n103|PENDING|Dependency|\n"
	if err := os.WriteFile(filepath.Join(fake, "squeue.txt"), []byte(squeue), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := SweepStatus(context.Background(), dir, plan.Sweep)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Cells) != 2 || st.Cells[0].State != slurm.CellPending || st.Cells[1].State != slurm.CellRunning || len(st.Warnings) != 0 {
		t.Errorf("status: %+v", st)
	}
	if st.ReportJob != "103" || st.Report == nil || st.Report.State != "PENDING" {
		t.Errorf("report job %s: %+v", st.ReportJob, st.Report)
	}

	// Another grid while tasks of this one are live.
	other := twoCellPlan(t, dir, "l2", "l1") // the same cells, other indices
	if err := l.Launch(context.Background(), other); err == nil || !strings.Contains(err.Error(), "tasks of another grid queued or running (100_1 102_0 103)") {
		t.Errorf("another grid over live tasks: %v", err)
	}
}

// TestSlurmRefusesInvalidCells submits a sweep of a valid cell and one of
// invalid settings: the invalid cell is named with why before anything is
// submitted, not submitted (no config.json, no array task), recorded as
// failed with why, and the error names it; submitted again, it is
// refused again and the valid cell, queued, is left alone.
func TestSlurmRefusesInvalidCells(t *testing.T) {
	fake := fakeSlurm(t)
	dir := filepath.Join(t.TempDir(), "sweep")
	sw := results.Sweep{BaseConfig: "../../configs/ci.yaml", Grid: []results.Axis{{Key: "regnet.loss", Values: []string{"l1", "bogus"}}}}
	cfgs, refused, err := config.ExpandSweepCells(&sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Sweep: sw, Configs: cfgs, Refused: refused, Dir: dir}
	var stdout, stderr bytes.Buffer
	l := Slurm{Settings: config.Slurm{CPUsPerTask: 1}, Workdir: t.TempDir(), Segqa: filepath.Join(t.TempDir(), "segqa"), Stdout: &stdout, Stderr: &stderr}
	const why = `regnet.loss: must be one of l1, l2, got "bogus"`
	launch := func() {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		err := l.Launch(context.Background(), plan)
		var re *RefusedError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "\n  regnet.loss=bogus,seed=1: refused: ") || !strings.Contains(err.Error(), why) {
			t.Errorf("error %v, want the cell refused and why", err)
		}
		if want := "sweep: cell regnet.loss=bogus,seed=1 refused: "; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), why+"; the other 1 cell(s) go on") {
			t.Errorf("stderr lacks %q and why:\n%s", want, stderr.String())
		}
	}

	launch()
	if !strings.Contains(stdout.String(), "2 cells; 0 done, 0 queued or running, 1 to submit, 1 refused") || !strings.Contains(stdout.String(), "array job 100: cells 0 ") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(dir, sw.Cells[1].Dir, "config.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused cell has a config.json: %v", err)
	}
	st, err := SweepStatus(context.Background(), dir, sw)
	if err != nil {
		t.Fatal(err)
	}
	if c := st.Cells[1]; c.State != slurm.CellFailed || !strings.HasPrefix(c.Detail, Refused) || !strings.Contains(c.Detail, why) {
		t.Errorf("status of the refused cell: %+v", c)
	}
	if c := st.Cells[0]; c.State != slurm.CellPending {
		t.Errorf("status of the submitted cell: %+v", c)
	}

	if err := os.WriteFile(filepath.Join(fake, "squeue.txt"), []byte("100_0|PENDING|Priority|\n101|PENDING|Dependency|\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	launch()
	if !strings.Contains(stdout.String(), "2 cells; 0 done, 1 queued or running, 0 to submit, 1 refused") || strings.Contains(stdout.String(), "array job") {
		t.Errorf("stdout, resubmitted:\n%s", stdout.String())
	}
}
