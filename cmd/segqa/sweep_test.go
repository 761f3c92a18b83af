package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/slurm"
)

func TestSweepFlagsThatDoNotGoTogether(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // never submit to a real cluster
	dir := t.TempDir()
	launcherFile := filepath.Join(dir, "l.yaml")
	os.WriteFile(launcherFile, []byte("launcher:\n  slurm:\n    cpus_per_task: 2\n"), 0o644)
	base := []string{"sweep", "--config", "../../configs/ci.yaml", "--grid", "regnet.loss=l1,l2", "--out", dir}
	cases := []struct {
		args []string
		want string
	}{
		{append(base, "--launcher", "slurm", "--jobs", "2"), "--jobs is for --launcher local"},
		{append(base, "--set", "launcher.slurm.partition=gpu"), "--set launcher.slurm.partition=gpu needs --launcher slurm"},
		{append(base, "--launcher-config", launcherFile), "--launcher-config needs --launcher slurm"},
		{append(base, "--launcher", "pbs"), `--launcher "pbs": want one of local, slurm`},
		{append(base, "--launcher", "slurm", "--set", "launcher.slurm.partion=gpu"), "launcher.slurm.partion"},
		{append(base, "--launcher", "slurm", "--set", "launcher.slurm.time=2h"), "launcher.slurm.time"},
		{append(base, "--launcher", "slurm", "--launcher-config", filepath.Join(dir, "none.yaml")), "none.yaml"},
		{append(base, "--launcher", "slurm", "--set", "regnet.dropout=2"), "regnet.dropout"},
		{[]string{"sweep", "--cell", "0"}, "--cell I needs --out"},
		{[]string{"sweep", "--cell", "0", "--out", dir, "--config", "../../configs/ci.yaml"}, "--config does not go with --cell"},
		{[]string{"sweep", "--status", dir, "--jobs", "2"}, "--jobs does not go with --status"},
		{[]string{"sweep", "--status", filepath.Join(dir, "nothing")}, "sweep.json"},
		{[]string{"sweep", "--cell", "0", "--out", filepath.Join(dir, "nothing")}, "sweep.json"},
		{[]string{"sweep", "--status", dir, "extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		err := runMain(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, c.args, nil)
		if err == nil {
			t.Errorf("%v: accepted", c.args)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %q does not say %q", c.args, err, c.want)
		}
	}
}

// TestSlurmSubmissionWithoutSlurm submits where sbatch is not installed:
// the error names it, and what segqa prepared is in the sweep directory,
// GPUs included.
func TestSlurmSubmissionWithoutSlurm(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := filepath.Join(t.TempDir(), "sweep")
	args := []string{"sweep", "--config", "../../configs/ci.yaml", "--grid", "regnet.loss=l1,l2", "--out", dir,
		"--launcher", "slurm", "--set", "launcher.slurm.gpus=1", "--set", "launcher.slurm.max_parallel=1"}
	var stdout bytes.Buffer
	err := runMain(context.Background(), &stdout, &bytes.Buffer{}, args, nil)
	if !errors.Is(err, slurm.ErrNoSlurm) || !strings.Contains(err.Error(), "sbatch") {
		t.Fatalf("error %v, want sbatch not found", err)
	}
	if !strings.Contains(stdout.String(), "2 cells; 0 done, 0 queued or running, 2 to submit") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	script, err := os.ReadFile(slurm.CellsScript(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#SBATCH --gres=gpu:1\n", "--cell \"$SLURM_ARRAY_TASK_ID\"", "--out " + dir} {
		if !strings.Contains(string(script), want) {
			t.Errorf("cells.sbatch lacks %q:\n%s", want, script)
		}
	}
	for _, cell := range []string{"regnet.loss=l1,seed=1", "regnet.loss=l2,seed=1"} {
		raw, err := os.ReadFile(filepath.Join(dir, "cells", cell, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), `"device": "gpu"`) {
			t.Errorf("cell %s does not run on the GPU:\n%s", cell, raw)
		}
	}

	stdout.Reset()
	if err := runMain(context.Background(), &stdout, &bytes.Buffer{}, []string{"sweep", "--status", dir}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "2 cells: 0 done, 0 running, 0 failed, 0 unfinished, 2 pending") {
		t.Errorf("status:\n%s", stdout.String())
	}
}

func TestCellThreadsFollowSlurm(t *testing.T) {
	cfg := config.Default()
	cfg.Runtime.Threads = 5
	cases := []struct {
		env     []string
		threads int
		from    string
	}{
		{[]string{"SLURM_CPUS_PER_TASK=3", "HOME=/root"}, 3, "SLURM_CPUS_PER_TASK"},
		{[]string{"SLURM_CPUS_PER_TASK=", "HOME=/root"}, 5, "runtime.threads"},
		{nil, 5, "runtime.threads"},
	}
	for _, c := range cases {
		if n, from := cellThreads(cfg, c.env); n != c.threads || from != c.from {
			t.Errorf("%v: %d threads from %s, want %d from %s", c.env, n, from, c.threads, c.from)
		}
	}
	cfg.Runtime.Threads = 0
	if n, from := cellThreads(cfg, nil); n != runtime.NumCPU() || from != "every core" {
		t.Errorf("no Slurm, runtime.threads 0: %d threads from %s", n, from)
	}
}
