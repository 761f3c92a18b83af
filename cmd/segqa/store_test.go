package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segqa/segqa/harness/run"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error

	preparedOnce sync.Once
	preparedDir  string
	preparedErr  error
)

// TestMain removes what the tests of this file share.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	if preparedDir != "" {
		os.RemoveAll(preparedDir)
	}
	os.Exit(code)
}

// segqaBin builds segqa once for the tests that run it as a process.
func segqaBin(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "segqa-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "segqa")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// ciArgs runs configs/ci.yaml into out with the stages given.
func ciArgs(out, stages string, more ...string) []string {
	return append([]string{"run", "--config", "../../configs/ci.yaml", "--out", out, "--stages", stages,
		"--set", "runtime.progress=true", "--set", "runtime.threads=2"}, more...)
}

// preparedRun is a copy of a run of ci.yaml's data, zoo and pool stages,
// made once.
func preparedRun(t *testing.T) string {
	t.Helper()
	bin := segqaBin(t)
	preparedOnce.Do(func() {
		if preparedDir, preparedErr = os.MkdirTemp("", "segqa-prepared-"); preparedErr != nil {
			return
		}
		if out, err := exec.Command(bin, ciArgs(preparedDir, "data,zoo,pool")...).CombinedOutput(); err != nil {
			preparedErr = errors.New("data, zoo and pool: " + err.Error() + "\n" + string(out))
		}
	})
	if preparedErr != nil {
		t.Fatal(preparedErr)
	}
	dir := filepath.Join(t.TempDir(), "run")
	if out, err := exec.Command("cp", "-a", preparedDir, dir).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	return dir
}

// startSegqa starts segqa with args; its stderr (and stdout) go to log.
func startSegqa(t *testing.T, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(segqaBin(t), args...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, log
}

// waitFor waits until log holds want, for a minute at most.
func waitFor(t *testing.T, cmd *exec.Cmd, log *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(log.String(), want) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("never printed %q:\n%s", want, log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exitCode waits for cmd and returns its exit status.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode()
}

// tempFiles lists the temporary files and folders under dir.
func tempFiles(dir string) []string {
	var found []string
	filepath.Walk(dir, func(path string, _ os.FileInfo, err error) error {
		if err == nil && (strings.HasPrefix(filepath.Base(path), run.TempPrefix) || strings.Contains(path, "tempstate")) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// TestSIGTERMStopsAndResumes sends SIGTERM, what Slurm sends at its time
// limit, while REC-Net trains: segqa exits 143 saying where it resumes,
// and the same command resumes there.
func TestSIGTERMStopsAndResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo and REC-Net")
	}
	dir := preparedRun(t)
	args := ciArgs(dir, "data,zoo,pool,recnet", "--set", "recnet.epochs=8")
	cmd, log := startSegqa(t, args...)
	waitFor(t, cmd, log, "recnet epoch 3/")
	cmd.Process.Signal(syscall.SIGTERM)
	if code := exitCode(t, cmd); code != 143 {
		t.Fatalf("exit %d after SIGTERM, want 143:\n%s", code, log)
	}
	at := regexp.MustCompile(`segqa: stage recnet: stopped \(SIGTERM\); the same command resumes with stage recnet, from its checkpoints \(recnet after epoch (\d+)\)`).FindStringSubmatch(log.String())
	if at == nil || !strings.Contains(log.String(), "segqa: SIGTERM: stopping at the next safe point") {
		t.Fatalf("no line saying where the run resumes:\n%s", log)
	}
	if temps := tempFiles(dir); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	epoch, _ := strconv.Atoi(at[1])
	out, err := exec.Command(segqaBin(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "stage pool: done before") || strings.Contains(string(out), "recnet epoch 1/") ||
		!strings.Contains(string(out), "recnet epoch "+strconv.Itoa(epoch+1)+"/") {
		t.Errorf("the rerun did not resume REC-Net after epoch %d:\n%s", epoch, out)
	}
}

// TestSIGINTStopsBetweenStagesAndTwiceAtOnce interrupts the data stage,
// which has no safe point inside: one SIGINT lets it finish and stops
// before the zoo; a second one stops at once, leaving no stage done.
func TestSIGINTStopsBetweenStagesAndTwiceAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the data stage twice")
	}
	once := t.TempDir()
	cmd, log := startSegqa(t, ciArgs(once, "data,zoo")...)
	waitFor(t, cmd, log, "stage data: running")
	cmd.Process.Signal(os.Interrupt)
	if code := exitCode(t, cmd); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130:\n%s", code, log)
	}
	if !strings.Contains(log.String(), "stage zoo: stopped (SIGINT); the same command resumes with stage zoo") ||
		!strings.Contains(log.String(), "stage data: finished") {
		t.Errorf("one SIGINT in the data stage should stop the run before the zoo:\n%s", log)
	}

	twice := t.TempDir()
	cmd, log = startSegqa(t, ciArgs(twice, "data,zoo")...)
	waitFor(t, cmd, log, "stage data: running")
	cmd.Process.Signal(os.Interrupt)
	waitFor(t, cmd, log, "stopping at the next safe point")
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	if code := exitCode(t, cmd); code != 130 {
		t.Fatalf("exit %d after two SIGINTs, want 130:\n%s", code, log)
	}
	if took := time.Since(start); took > 2*time.Second || !strings.Contains(log.String(), "SIGINT again: stopping now") {
		t.Errorf("a second SIGINT took %s to stop segqa:\n%s", took, log)
	}
	if strings.Contains(log.String(), "stage data: finished") {
		t.Errorf("the data stage finished although stopped at once:\n%s", log)
	}
	if done, _ := filepath.Glob(filepath.Join(twice, "stages", "*", "DONE")); len(done) > 0 {
		t.Errorf("a stage stopped at once is done: %v", done)
	}
}

// TestFileSizeLimit runs REC-Net under ulimit -f smaller than its
// checkpoint: segqa stops with one error naming the file and the cause,
// leaves no temporary file, and a run with room finishes the stage.
func TestFileSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo and REC-Net")
	}
	dir := preparedRun(t)
	// bash's ulimit -f counts 1024-byte blocks; REC-Net's checkpoint is
	// about 350 KB.
	cmdArgs := ciArgs(dir, "data,zoo,pool,recnet", "--set", "recnet.epochs=2")
	args := append([]string{"-c", `ulimit -f 200 && exec "$0" "$@"`, segqaBin(t)}, cmdArgs...)
	out, err := exec.Command("bash", args...).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("under ulimit -f: %v, want exit 1:\n%s", err, out)
	}
	last := regexp.MustCompile(`(?m)^segqa: (.*)$`).FindStringSubmatch(string(out))
	if last == nil || !strings.Contains(last[1], "stage recnet: save checkpoint "+filepath.Join(dir, "stages")) ||
		!strings.Contains(strings.ToLower(last[1]), "file too large") {
		t.Errorf("the error does not name the checkpoint and the cause:\n%s", out)
	}
	if temps := tempFiles(dir); len(temps) > 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	if done, _ := filepath.Glob(filepath.Join(dir, "stages", "recnet-*", "DONE")); len(done) > 0 {
		t.Error("REC-Net is done after a failed write")
	}
	if out, err := exec.Command(segqaBin(t), cmdArgs...).CombinedOutput(); err != nil {
		t.Fatalf("rerun with room: %v\n%s", err, out)
	}
}

// TestVerifyAndGC runs segqa verify on a run before and after a byte of
// it changes, and segqa gc on a store with a stage no run refers to and
// one a process holds.
func TestVerifyAndGC(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the zoo")
	}
	dir := preparedRun(t)
	verify := func() (string, error) {
		var out bytes.Buffer
		err := runMain(context.Background(), &out, &out, []string{"verify", dir}, nil)
		return out.String(), err
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "3 stages: 3 ok, 0 corrupt, 0 unfinished") {
		t.Fatalf("verify on a finished run: %v\n%s", err, out)
	}
	masks, _ := filepath.Glob(filepath.Join(dir, "stages", "pool-*", "test.bin"))
	if len(masks) != 1 {
		t.Fatalf("pool masks: %v", masks)
	}
	data, _ := os.ReadFile(masks[0])
	data[len(data)/2] ^= 1
	os.WriteFile(masks[0], data, 0o644)
	out, err := verify()
	var u usageError
	if err == nil || errors.As(err, &u) || !regexp.MustCompile(`pool-\w+ +corrupt +stages/pool-\w+/test.bin: content changed`).MatchString(out) {
		t.Errorf("verify on a changed test.bin: %v (want exit 1)\n%s", err, out)
	}

	// Two stages no run refers to, one of them locked by a running process.
	pool := filepath.Dir(masks[0])
	unused := filepath.Join(dir, "stages", "pool-000000000000")
	locked := filepath.Join(dir, "stages", "zoo-000000000000")
	for _, d := range []string{unused, locked} {
		if out, err := exec.Command("cp", "-a", pool, d).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v\n%s", err, out)
		}
	}
	unlock, err := run.LockFile(context.Background(), locked+".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	gc := func(args ...string) string {
		var out bytes.Buffer
		if err := runMain(context.Background(), &out, &out, append([]string{"gc"}, args...), nil); err != nil {
			t.Fatalf("gc %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	out = gc(dir)
	for _, want := range []string{`stages/pool-000000000000 +` + strconv.Itoa(sizeOf(t, pool)) + ` +unused`, `stages/zoo-000000000000 +- +kept: locked`, `5 stages: 3 referred to, 1 locked, 1 unused; would free`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("gc lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(unused); err != nil {
		t.Error("gc without --delete deleted")
	}
	// The store alone: its run, one folder up, still refers to its stages.
	if out := gc(filepath.Join(dir, "stages")); !strings.Contains(out, "5 stages: 3 referred to, 1 locked, 1 unused") {
		t.Errorf("gc of the run's store:\n%s", out)
	}
	var none bytes.Buffer
	if err := runMain(context.Background(), &none, &none, []string{"gc", "--delete", t.TempDir()}, nil); err == nil || !strings.Contains(err.Error(), "no manifest.json") {
		t.Errorf("gc of a folder without runs: %v", err)
	}
	out = gc("--delete", dir)
	if !strings.Contains(out, "deleted") {
		t.Errorf("gc --delete:\n%s", out)
	}
	if _, err := os.Stat(unused); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("gc --delete left %s", unused)
	}
	for _, kept := range []string{locked, pool} {
		if _, err := os.Stat(filepath.Join(kept, "DONE")); err != nil {
			t.Errorf("gc --delete touched %s: %v", kept, err)
		}
	}
}

// sizeOf is the number of bytes in the files under dir.
func sizeOf(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += int(info.Size())
		}
		return nil
	})
	return n
}
