package main

import (
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segqa/segqa/harness/shared/results"
)

// killSeeds is how many kill schedules TestSweepKilledResumes tries, one
// per seed from 1; make kill-test tries more.
var killSeeds = flag.Int("kill-seeds", 1, "kill schedules that TestSweepKilledResumes tries")

// killPoint is a moment to SIGKILL a sweep: delay after a cell's log says
// "stage STAGE: PHASE" in this run, PHASE running or finished.
type killPoint struct {
	stage results.StageName
	phase string
	delay time.Duration
}

// killSchedule draws from seed, in the pipeline's order, where a sweep is
// killed: at about a third of the stages, as the stage starts (up to a
// second in, both cells writing the store when it is their own) or as it
// finishes; at least one.
func killSchedule(seed uint64) []killPoint {
	rng := rand.New(rand.NewPCG(seed, 41))
	var ps []killPoint
	for len(ps) == 0 {
		for _, s := range results.Stages {
			if rng.IntN(3) > 0 {
				continue
			}
			p := killPoint{stage: s, phase: "running", delay: time.Duration(rng.IntN(1000)) * time.Millisecond}
			if rng.IntN(2) == 0 {
				p.phase, p.delay = "finished", 0
			}
			ps = append(ps, p)
		}
	}
	return ps
}

// cellLogs reads the log.txt of every cell of the sweep dir, past the
// sizes in from, by file.
func cellLogs(dir string, from map[string]int) (map[string]string, error) {
	logs, err := filepath.Glob(filepath.Join(dir, "cells", "*", "log.txt"))
	out := map[string]string{}
	for _, f := range logs {
		b, rerr := os.ReadFile(f)
		if rerr != nil {
			return nil, rerr
		}
		out[f] = string(b[min(from[f], len(b)):])
	}
	return out, err
}

// killAt starts the sweep args into dir and kills it with SIGKILL at p;
// it reports false when the sweep ended by itself before.
func killAt(t *testing.T, args []string, dir string, p killPoint) bool {
	t.Helper()
	before, err := cellLogs(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	from := map[string]int{}
	for f, text := range before {
		from[f] = len(text)
	}
	cmd, log := startSegqa(t, args...)
	ended := make(chan struct{})
	go func() { cmd.Wait(); close(ended) }()
	want := "stage " + string(p.stage) + ": " + p.phase
	deadline := time.Now().Add(2 * time.Minute)
	for seen := false; !seen; {
		logs, err := cellLogs(dir, from)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range logs {
			seen = seen || strings.Contains(text, want)
		}
		select {
		case <-ended:
			return false
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-ended
			t.Fatalf("no cell log says %q:\n%s", want, log)
		}
	}
	time.Sleep(p.delay)
	cmd.Process.Signal(syscall.SIGKILL)
	<-ended
	return true
}

// reportBody is the sweep's report.md without its title, which names the
// folder, and its timings.
func reportBody(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(b), "\n")
	body, _, _ = strings.Cut(body, "\n## Stage timings")
	return body
}

// TestSweepKilledResumes kills a two-cell sweep (--jobs 2) with SIGKILL at
// the points a seed draws, runs the same command after each kill and once
// more at the end, and compares its report with an uninterrupted sweep's:
// equal, timings aside. After each kill, --status calls no cell failed.
func TestSweepKilledResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sweeps")
	}
	sweep := func(dir string) []string { return append(ciSweep(dir, "--jobs", "2"), fastSets...) }
	whole := filepath.Join(t.TempDir(), "sweep")
	if text, code := segqaExit(t, sweep(whole)...); code != 0 {
		t.Fatalf("uninterrupted sweep: exit %d:\n%s", code, text)
	}
	want := reportBody(t, whole)
	for seed := uint64(1); seed <= uint64(*killSeeds); seed++ {
		dir := filepath.Join(t.TempDir(), "sweep")
		var kills []string
		for _, p := range killSchedule(seed) {
			if !killAt(t, sweep(dir), dir, p) {
				break
			}
			kills = append(kills, p.phase+" "+string(p.stage)+" +"+p.delay.String())
			if st := statusOf(t, dir); !strings.Contains(st, " 0 failed,") {
				t.Errorf("seed %d, killed at %s: --status:\n%s", seed, strings.Join(kills, ", "), st)
			}
		}
		if text, code := segqaExit(t, sweep(dir)...); code != 0 {
			t.Fatalf("seed %d, killed at %s: the resumed sweep exits %d:\n%s", seed, strings.Join(kills, ", "), code, text)
		}
		if got := reportBody(t, dir); got != want {
			writeGot(t, dir, got, want)
			t.Errorf("seed %d, killed at %s: the report differs from the uninterrupted sweep's", seed, strings.Join(kills, ", "))
		}
		t.Logf("seed %d: killed at %s", seed, strings.Join(kills, ", "))
	}
}

// writeGot keeps both reports of a failed comparison beside each other,
// out of the test's temporary folders.
func writeGot(t *testing.T, dir, got, want string) {
	t.Helper()
	keep, err := os.MkdirTemp("", "segqa-killed-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(keep, "got.md"), []byte(got), 0o644)
	os.WriteFile(filepath.Join(keep, "want.md"), []byte(want), 0o644)
	out, _ := exec.Command("diff", filepath.Join(keep, "want.md"), filepath.Join(keep, "got.md")).CombinedOutput()
	t.Logf("reports kept in %s:\n%s", keep, out)
}
