package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestBadConfigsAreRejectedNamingTheKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	cases := []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"run", "--config", write("unknown.yaml", "recnet:\n  depht: 3\n")}, nil, "recnet.depht"},
		{[]string{"run", "--config", write("type.yaml", "regnet:\n  epochs: ten\n")}, nil, "regnet.epochs"},
		{[]string{"run", "--config", write("neg.yaml", "recnet:\n  lr: -0.1\n")}, nil, "recnet.lr"},
		{[]string{"run", "--config", filepath.Join(dir, "missing.yaml")}, nil, "missing.yaml"},
		{[]string{"run", "--config", "../../configs/ci.yaml", "--set", "zoo.batchsize=3"}, nil, "zoo.batchsize"},
		{[]string{"run", "--config", "../../configs/ci.yaml"}, []string{"SEGQA_ZOO_BATCH=x"}, "zoo.batch"},
		{[]string{"run", "--config", "../../configs/ci.yaml", "--stages", "data,zoom"}, nil, "zoom"},
		{[]string{"sweep", "--config", "../../configs/ci.yaml", "--grid", "regnet.loss=l1,l4"}, nil, "regnet.loss"},
		{[]string{"frobnicate"}, nil, "unknown command"},
	}
	for _, c := range cases {
		var out, errs bytes.Buffer
		err := runMain(context.Background(), &out, &errs, c.args, c.env)
		if err == nil {
			t.Errorf("%v: accepted", c.args)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %q does not name %q", c.args, err, c.want)
		}
	}
}

// TestKilledRunResumes kills a real segqa process with SIGKILL while both
// REG-Nets train, kills the resumed process again once one of them has
// finished, starts the same command a third time, and checks that it ends
// with the same Table 1 as an uninterrupted run without redoing finished
// stages. The second kill checks that a network resumed alone trains with
// the threads it had beside the other: the last bits depend on them.
func TestKilledRunResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds segqa and trains networks twice")
	}
	bin := filepath.Join(t.TempDir(), "segqa")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := func(out string) []string {
		return []string{"run", "--config", "../../configs/ci.yaml", "--out", out, "--stages", "data,zoo,pool,agreement,recnet,regnet,table1",
			"--set", "runtime.progress=true"}
	}
	whole := t.TempDir()
	if out, err := exec.Command(bin, args(whole)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}

	killed := t.TempDir()
	killWhen := func(what string, ready func(log string) bool) {
		t.Helper()
		cmd := exec.Command(bin, args(killed)...)
		var log syncBuffer
		cmd.Stderr = &log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for !ready(log.String()) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("never reached %s:\n%s", what, log.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	killWhen("REG-Net (d, s) epoch 3", func(log string) bool { return strings.Contains(log, "regnet-ds epoch 3/") })
	killWhen("REG-Net (x, s) done and (d, s) training", func(log string) bool {
		done, _ := filepath.Glob(filepath.Join(killed, "stages", "regnet-*", "models", "xs", "done.json"))
		return len(done) > 0
	})
	if done, _ := filepath.Glob(filepath.Join(killed, "stages", "regnet-*", "models", "ds", "done.json")); len(done) > 0 {
		t.Fatal("REG-Net (d, s) finished before the second kill")
	}

	out, err := exec.Command(bin, args(killed)...).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	for _, stage := range []string{"data", "zoo", "pool", "recnet"} {
		if !strings.Contains(string(out), "stage "+stage+": done before") {
			t.Errorf("resumed run redid stage %s:\n%s", stage, out)
		}
	}
	if strings.Contains(string(out), "regnet-xs epoch") || strings.Contains(string(out), "regnet-ds epoch 1/") {
		t.Errorf("resumed run retrained a REG-Net it had finished or begun:\n%s", out)
	}
	a, _ := os.ReadFile(filepath.Join(whole, "results", "table1.json"))
	b, _ := os.ReadFile(filepath.Join(killed, "results", "table1.json"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("killed and resumed run ended with another Table 1:\n%s\n%s", a, b)
	}
}

// syncBuffer is a bytes.Buffer that a child process writes while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHelpAndBadFlags(t *testing.T) {
	for _, args := range [][]string{{"run", "--help"}, {"sweep", "-h"}, {"score", "--help"}, {"synth", "-h"}, {"report", "--help"}, {"help"}} {
		var out, errs bytes.Buffer
		err := runMain(context.Background(), &out, &errs, args, nil)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%v: %v, want usage and exit 0", args, err)
		}
		if !strings.Contains(out.String()+errs.String(), "sage") {
			t.Errorf("%v printed no usage", args)
		}
	}
	for _, args := range [][]string{{"run", "--bogus"}, {"sweep", "--jobs", "x"}, {}, {"frobnicate"}, {"report"}} {
		var out, errs bytes.Buffer
		err := runMain(context.Background(), &out, &errs, args, nil)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: %v, want a usage error (exit 2)", args, err)
		}
	}
}

func TestReportOnANonRunCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	var out, errs bytes.Buffer
	if err := runMain(context.Background(), &out, &errs, []string{"report", missing}, nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("report on a missing directory: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("report created the missing directory")
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if err := runMain(context.Background(), &out, &errs, []string{"report", empty}, nil); err == nil || !strings.Contains(err.Error(), "not a segqa run") {
		t.Errorf("report on an empty directory: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("report wrote %d files into a directory that is not a run", len(entries))
	}
}

// TestNoTensorFlowLogLines runs a built segqa without TF_CPP_MIN_LOG_LEVEL:
// TensorFlow's load-time INFO line, and the CUDA build's load-time and
// cuInit ERROR lines, must not reach its output, which is segqa's own lines
// only, with one line on the GPU when there is none.
func TestNoTensorFlowLogLines(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "segqa")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "version")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_CPP_MIN_LOG_LEVEL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("segqa version: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "tensorflow/") {
		t.Errorf("segqa version printed a TensorFlow log line:\n%s", out)
	}
	var gpu, hasGPU int
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "GPU: none found, "):
			gpu++
		case strings.HasPrefix(line, "devices: "):
			hasGPU = strings.Count(line, "GPU:")
		case strings.HasPrefix(line, "segqa "), strings.HasPrefix(line, "TensorFlow "):
		default:
			t.Errorf("segqa version printed a line of someone else's: %q\nall of it:\n%s", line, out)
		}
	}
	if (gpu == 1) == (hasGPU > 0) || gpu > 1 {
		t.Errorf("segqa version lists %d GPUs and says %d times that it found none:\n%s", hasGPU, gpu, out)
	}
}
