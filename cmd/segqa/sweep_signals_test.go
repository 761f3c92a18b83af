package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ciSweep is a two-cell sweep of ci.yaml into dir: the cells share every
// stage up to REC-Net.
func ciSweep(dir string, more ...string) []string {
	return append([]string{"sweep", "--config", "../../configs/ci.yaml", "--grid", "regnet.loss=l1,l2", "--seeds", "1", "--out", dir}, more...)
}

// statusOf is what segqa sweep --status prints of dir.
func statusOf(t *testing.T, dir string) string {
	t.Helper()
	var out bytes.Buffer
	if err := runMain(context.Background(), &out, &out, []string{"sweep", "--status", dir}, nil); err != nil {
		t.Fatalf("sweep --status: %v\n%s", err, out.String())
	}
	return out.String()
}

// waitForCellLog waits until a cell's log.txt in the sweep dir holds want,
// for a minute at most.
func waitForCellLog(t *testing.T, cmd *exec.Cmd, log *syncBuffer, dir, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		logs, _ := filepath.Glob(filepath.Join(dir, "cells", "*", "log.txt"))
		for _, f := range logs {
			if b, _ := os.ReadFile(f); strings.Contains(string(b), want) {
				return
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no cell log says %q:\n%s", want, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cellFinished is the line of a sweep cell that finished.
var cellFinished = regexp.MustCompile(`(?m)^sweep: cell \S+ finished in`)

// wantLines fails the test for each of want that text lacks.
func wantLines(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// TestSweepSIGINTStopsEveryCell interrupts two cells running side by
// side once they left the data stage: both stop, neither is logged as
// finished, segqa prints the command that resumes and exits 130, and
// --status lists both as unfinished.
func TestSweepSIGINTStopsEveryCell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep's data stage")
	}
	dir := filepath.Join(t.TempDir(), "sweep")
	args := ciSweep(dir, "--jobs", "2")
	cmd, log := startSegqa(t, args...)
	waitForCellLog(t, cmd, log, dir, "stage data: finished")
	cmd.Process.Signal(os.Interrupt)
	if code := exitCode(t, cmd); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130:\n%s", code, log)
	}
	if cellFinished.MatchString(log.String()) {
		t.Errorf("a cell stopped by SIGINT is logged as finished:\n%s", log)
	}
	wantLines(t, "segqa's output", log.String(),
		"sweep: cell regnet.loss=l1,seed=1 stopped (SIGINT)", "sweep: cell regnet.loss=l2,seed=1 stopped (SIGINT)",
		"sweep stopped (SIGINT): 2 of 2 cells unfinished, 0 failed",
		"the same command resumes: segqa "+strings.Join(args, " ")+"\n")
	// The cell that ran the data stage stopped after it; the other one
	// after it too, or before, waiting for it.
	st := statusOf(t, dir)
	wantLines(t, "--status", st, "0     unfinished  regnet.loss=l1,seed=1  stopped (SIGINT) after stage ",
		"1     unfinished  regnet.loss=l2,seed=1  stopped (SIGINT) after stage ", "stopped (SIGINT) after stage data;",
		"2 cells: 0 done, 0 running, 0 failed, 2 unfinished, 0 pending")
	if temps := tempFiles(dir); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
}

// TestSweepSIGTERMStartsNoCell runs the cells one at a time and sends
// SIGTERM in the data stage, which has no safe point inside: twice, and
// segqa exits at once, the stage unfinished; once, and the stage finishes,
// the cell stops before the zoo and the second cell never starts.
func TestSweepSIGTERMStartsNoCell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep's data stage")
	}
	dir := filepath.Join(t.TempDir(), "sweep")
	args := ciSweep(dir, "--jobs", "1")

	cmd, log := startSegqa(t, args...)
	waitFor(t, cmd, log, "stage data: running")
	cmd.Process.Signal(syscall.SIGTERM)
	waitFor(t, cmd, log, "stopping at the next safe point")
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	if code := exitCode(t, cmd); code != 143 {
		t.Fatalf("exit %d after two SIGTERMs, want 143:\n%s", code, log)
	}
	if took := time.Since(start); took > 2*time.Second || !strings.Contains(log.String(), "SIGTERM again: stopping now") {
		t.Errorf("a second SIGTERM took %s to stop segqa:\n%s", took, log)
	}
	if done, _ := filepath.Glob(filepath.Join(dir, "store", "*", "DONE")); len(done) > 0 {
		t.Errorf("a stage stopped at once is done: %v", done)
	}
	wantLines(t, "--status after two SIGTERMs", statusOf(t, dir),
		"0     unfinished  regnet.loss=l1,seed=1  after stage (none yet), its process gone without an outcome",
		"2 cells: 0 done, 0 running, 0 failed, 1 unfinished, 1 pending")

	cmd, log = startSegqa(t, args...)
	waitFor(t, cmd, log, "stage data: running")
	cmd.Process.Signal(syscall.SIGTERM)
	if code := exitCode(t, cmd); code != 143 {
		t.Fatalf("exit %d after SIGTERM, want 143:\n%s", code, log)
	}
	if strings.Contains(log.String(), "cell regnet.loss=l2,seed=1 starting") || cellFinished.MatchString(log.String()) {
		t.Errorf("after SIGTERM a cell started, or one is logged as finished:\n%s", log)
	}
	wantLines(t, "segqa's output", log.String(), "stage data: finished",
		"sweep stopped (SIGTERM): 2 of 2 cells unfinished, 0 failed",
		"regnet.loss=l1,seed=1: unfinished, stopped in stage zoo", "regnet.loss=l2,seed=1: unfinished, not started")
	wantLines(t, "--status after one SIGTERM", statusOf(t, dir),
		"0     unfinished  regnet.loss=l1,seed=1  stopped (SIGTERM) after stage data",
		"1     pending     regnet.loss=l2,seed=1  not started",
		"2 cells: 0 done, 0 running, 0 failed, 1 unfinished, 1 pending")
}
