package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fastSets make a cell of ci.yaml finish in seconds: fewer epochs, no
// agreement baseline, no strong attacks.
var fastSets = []string{"--set", "zoo.epochs=1,2", "--set", "recnet.epochs=3", "--set", "regnet.epochs=5",
	"--set", "eval.agreement_members=0", "--set", "attack.strong=false", "--set", "report.tensorboard=false"}

// statusLine is the line of --status output st for the cell named name.
func statusLine(st, name string) string {
	for _, line := range strings.Split(st, "\n") {
		if f := strings.Fields(line); len(f) > 2 && (f[2] == name || f[1] == "not" && f[3] == name) {
			return line
		}
	}
	return ""
}

// segqaExit runs segqa with args to its end and returns its output and
// exit status.
func segqaExit(t *testing.T, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(segqaBin(t), args...).CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if err != nil {
		return string(out), ee.ExitCode()
	}
	return string(out), 0
}

// TestSweepFailingCell runs a sweep of two data folders, one with a
// truncated image. A sweep whose every cell is invalid is refused before
// anything runs. The cell of the bad folder fails in its data stage and the other goes on: a
// SIGINT then exits 130 naming the failed cell; run to the end, the other
// cell finishes, segqa exits 1 naming the failed cell and its error, the
// report marks it missing and --status says why it failed; run again,
// only the failed cell runs.
func TestSweepFailingCell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep cell")
	}
	tmp := t.TempDir()
	good, bad := filepath.Join(tmp, "good"), filepath.Join(tmp, "bad")
	var out bytes.Buffer
	if err := runMain(context.Background(), &out, &out, []string{"synth", "--out", good, "--patients", "16"}, nil); err != nil {
		t.Fatalf("synth: %v\n%s", err, out.String())
	}
	if out, err := exec.Command("cp", "-a", good, bad).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	if err := os.Truncate(filepath.Join(bad, "patient003", "patient003_frame01.nii.gz"), 1000); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "sweep")
	args := append([]string{"sweep", "--config", "../../configs/ci.yaml", "--set", "data.source=acdc",
		"--grid", "data.root=" + good + "," + bad, "--jobs", "2", "--out", dir}, fastSets...)
	goodCell, badCell := "data.root="+good+",seed=1", "data.root="+bad+",seed=1"

	invalid := append(slices.Clone(args), "--grid", "regnet.dropout=2")
	if err := runMain(context.Background(), &out, &out, invalid, nil); err == nil || !strings.Contains(err.Error(), "sweep cell data.root="+good+",regnet.dropout=2") {
		t.Errorf("a sweep of invalid cells alone: %v, want it refused naming a cell", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a sweep refused made its directory: %v", err)
	}

	cmd, log := startSegqa(t, args...)
	waitFor(t, cmd, log, "sweep: cell "+badCell+" failed")
	cmd.Process.Signal(os.Interrupt)
	if code := exitCode(t, cmd); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130:\n%s", code, log)
	}
	wantLines(t, "segqa's output after SIGINT", log.String(), "sweep stopped (SIGINT): 1 of 2 cells unfinished, 1 failed",
		"\n  "+goodCell+": unfinished", "\n  "+badCell+": failed: stage data: ", "patient003_frame01.nii.gz", "unexpected EOF",
		"the same command resumes, and retries the failed cells: segqa sweep ")
	st := statusOf(t, dir)
	if !strings.Contains(statusLine(st, goodCell), "unfinished") || !strings.Contains(statusLine(st, badCell), "failed") {
		t.Errorf("--status after SIGINT:\n%s", st)
	}

	text, code := segqaExit(t, args...)
	if code != 1 {
		t.Fatalf("exit %d with a failed cell, want 1:\n%s", code, text)
	}
	wantLines(t, "segqa's output", text, "sweep: cell "+goodCell+" finished in", "sweep: 1 of 2 cells failed, 1 finished",
		"\n  "+badCell+": failed: stage data: acdc: load patient003", "the same command retries the failed cells: segqa sweep ",
		"report: "+filepath.Join(dir, "report.html"))
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "report.md", string(report), "**Missing: 1 of 2 cells did not finish**",
		"| "+badCell+" | 1 | failed | stage data: acdc: load patient003 ED: nifti: read "+bad, "| Table 1 and Table 2 |")
	st = statusOf(t, dir)
	if line := statusLine(st, badCell); !strings.Contains(line, " failed ") || !strings.Contains(line, "unexpected EOF") {
		t.Errorf("--status does not say the cell failed and why:\n%s", st)
	}
	wantLines(t, "--status", st, "2 cells: 1 done, 0 running, 1 failed, 0 unfinished, 0 pending")

	text, code = segqaExit(t, args...)
	if code != 1 || strings.Contains(text, "cell "+goodCell+" starting") {
		t.Errorf("exit %d, want 1, and the finished cell not run again:\n%s", code, text)
	}
	wantLines(t, "segqa's output", text, "sweep: cell "+goodCell+" done before, skipped", "sweep: cell "+badCell+" starting")
}

// TestSweepRefusesInvalidCell runs a two-cell sweep of ci.yaml whose
// second cell has an invalid setting: that cell is refused before the
// other starts, naming it and the key, and never runs; the other
// finishes; the error names the refused cell and why; --status lists it
// as failed and why, and the report marks it missing. Run again from a
// sweep file of the same grid, it is refused again and the finished cell
// is reused.
func TestSweepRefusesInvalidCell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep cell")
	}
	dir := filepath.Join(t.TempDir(), "sweep")
	args := append([]string{"sweep", "--config", "../../configs/ci.yaml", "--grid", "regnet.loss=l1,bogus", "--seeds", "1", "--jobs", "1", "--out", dir}, fastSets...)
	good, bad := "regnet.loss=l1,seed=1", "regnet.loss=bogus,seed=1"
	const why = `regnet.loss: must be one of l1, l2, got "bogus"`
	refused := "sweep: cell " + bad + " refused: config ../../configs/ci.yaml: config: invalid settings: " + why + "; running the other 1 cell(s)\n"
	sweep := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		err := runMain(context.Background(), &out, &out, args, nil)
		var u usageError
		if err == nil || errors.As(err, &u) {
			t.Fatalf("a sweep with a refused cell: %v, want it to fail (exit 1)\n%s", err, out.String())
		}
		wantLines(t, "the sweep's error", err.Error(), "sweep: 1 of 2 cells refused (invalid settings), 0 failed, 1 finished",
			"\n  "+bad+": refused: config ", why)
		if strings.Contains(out.String(), "cell "+bad+" starting") {
			t.Errorf("the refused cell started:\n%s", out.String())
		}
		return out.String()
	}

	text := sweep(args...)
	at, starts := strings.Index(text, refused), strings.Index(text, "sweep: cell "+good+" starting")
	if at < 0 || starts < 0 || at > starts {
		t.Errorf("the cell is not refused before the other starts:\n%s", text)
	}
	wantLines(t, "segqa's output", text, "sweep: cell "+good+" finished in", "report: "+filepath.Join(dir, "report.html"))
	if _, err := os.Stat(filepath.Join(dir, "cells", good, "results", "table2.json")); err != nil {
		t.Errorf("the valid cell did not finish: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cells", bad, "manifest.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused cell ran: %v", err)
	}
	st := statusOf(t, dir)
	if line := statusLine(st, bad); !strings.Contains(line, " failed ") || !strings.Contains(line, "refused: config") || !strings.Contains(line, why) {
		t.Errorf("--status does not say the refused cell failed and why:\n%s", st)
	}
	wantLines(t, "--status", st, "2 cells: 1 done, 0 running, 1 failed, 0 unfinished, 0 pending")
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "report.md", string(report), "**Missing: 1 of 2 cells did not finish**", "| "+bad+" | 1 | failed | refused: config ")

	base, err := filepath.Abs("../../configs/ci.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "sweep.yaml")
	yaml := "config: " + base + "\ngrid:\n  regnet.loss: [l1, bogus]\nseeds: [1]\nset:\n" + // fastSets
		"  zoo.epochs: [1, 2]\n  recnet.epochs: 3\n  regnet.epochs: 5\n  eval.agreement_members: 0\n  attack.strong: false\n  report.tensorboard: false\n"
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	text = sweep("sweep", "--sweep", file, "--jobs", "1", "--out", dir)
	wantLines(t, "segqa's output, run again", text, "sweep: cell "+good+" done before, skipped", "sweep: cell "+bad+" refused: ")
}

// TestSweepFileSizeLimit fills the store of a sweep whose data stage is
// done: under ulimit -f 200 (the zoo's checkpoints are about 350 KB) both
// cells fail naming the checkpoint, no temporary file is left and the zoo
// is not done; with room, the same command reuses the data stage and
// finishes.
func TestSweepFileSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep")
	}
	dir := filepath.Join(t.TempDir(), "sweep")
	args := append(ciSweep(dir, "--jobs", "2"), fastSets...)
	cmd, log := startSegqa(t, args...)
	waitForCellLog(t, cmd, log, dir, "stage data: finished")
	cmd.Process.Signal(os.Interrupt)
	if code := exitCode(t, cmd); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130:\n%s", code, log)
	}

	limited := append([]string{"-c", `ulimit -f 200 && exec "$0" "$@"`, segqaBin(t)}, args...)
	out, err := exec.Command("bash", limited...).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("under ulimit -f: %v, want exit 1:\n%s", err, out)
	}
	for _, cell := range []string{"regnet.loss=l1,seed=1", "regnet.loss=l2,seed=1"} {
		want := "\n  " + cell + ": failed: stage zoo: save checkpoint " + filepath.Join(dir, "store", "zoo-")
		if !strings.Contains(string(out), want) {
			t.Errorf("segqa's output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(string(out), "File too large") {
		t.Errorf("the error does not say why:\n%s", out)
	}
	if temps := tempFiles(dir); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	if done, _ := filepath.Glob(filepath.Join(dir, "store", "zoo-*", "DONE")); len(done) > 0 {
		t.Errorf("the zoo is done after a failed write: %v", done)
	}
	st := statusOf(t, dir)
	if !strings.Contains(statusLine(st, "regnet.loss=l1,seed=1"), "File too large") || strings.Count(st, "\n") != 4 {
		t.Errorf("--status does not say on one line per cell why they failed:\n%s", st)
	}
	wantLines(t, "--status", st, "2 cells: 0 done, 0 running, 2 failed, 0 unfinished, 0 pending")

	text, code := segqaExit(t, args...)
	if code != 0 {
		t.Fatalf("with room: exit %d:\n%s", code, text)
	}
	var logs string
	for _, cell := range []string{"regnet.loss=l1,seed=1", "regnet.loss=l2,seed=1"} {
		b, err := os.ReadFile(filepath.Join(dir, "cells", cell, "log.txt"))
		if err != nil {
			t.Fatal(err)
		}
		logs += string(b)
	}
	if n := strings.Count(logs, "stage data: running"); n != 1 {
		t.Errorf("the data stage ran %d times, want once:\n%s", n, logs)
	}
	if n := strings.Count(logs, "stage zoo: finished"); n != 1 {
		t.Errorf("the zoo finished %d times, want once:\n%s", n, logs)
	}
}
