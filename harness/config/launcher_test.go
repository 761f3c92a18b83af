package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultLauncherIsValid(t *testing.T) {
	if err := DefaultLauncher().Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := LoadLauncher("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Slurm.CPUsPerTask != 4 || l.Slurm.Partition != "" || l.Slurm.ExtraSbatch == nil {
		t.Errorf("no file, no sets: %+v", l)
	}
}

func TestLauncherFileThenSets(t *testing.T) {
	path := writeFile(t, `launcher:
  slurm:
    partition: gpu
    account: proj-1
    time: "1-12"
    mem: 16G
    cpus_per_task: 8
    gpus: 1
    max_parallel: 10
    extra_sbatch: [--qos=long, "--constraint=a100|h100"]
`)
	l, err := LoadLauncher(path, []string{"launcher.slurm.partition=debug", "launcher.slurm.max_parallel=2"})
	if err != nil {
		t.Fatal(err)
	}
	want := Slurm{Partition: "debug", Account: "proj-1", Time: "1-12", Mem: "16G", CPUsPerTask: 8, GPUs: 1, MaxParallel: 2,
		ExtraSbatch: []string{"--qos=long", "--constraint=a100|h100"}}
	if got := l.Slurm; got.Partition != want.Partition || got.Account != want.Account || got.Time != want.Time ||
		got.Mem != want.Mem || got.CPUsPerTask != want.CPUsPerTask || got.GPUs != want.GPUs ||
		got.MaxParallel != want.MaxParallel || !slices.Equal(got.ExtraSbatch, want.ExtraSbatch) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	l, err = LoadLauncher("", []string{"launcher.slurm.extra_sbatch=--qos=long,--nice=10"})
	if err != nil || !slices.Equal(l.Slurm.ExtraSbatch, []string{"--qos=long", "--nice=10"}) {
		t.Errorf("extra_sbatch from --set: %q, %v", l.Slurm.ExtraSbatch, err)
	}
}

func TestBadLauncherSettingsNameTheKey(t *testing.T) {
	cases := []struct {
		name, yaml string
		sets       []string
		want       string
	}{
		{"unknown key", "launcher:\n  slurm:\n    partion: gpu\n", nil, "launcher.slurm.partion"},
		{"unknown launcher", "launcher:\n  pbs:\n    queue: q\n", nil, "launcher.pbs.queue"},
		{"run config given", "seed: 3\n", nil, "unknown key: seed"},
		{"unknown --set", "", []string{"launcher.slurm.qos=long"}, "launcher.slurm.qos"},
		{"--set without value", "", []string{"launcher.slurm.partition"}, "want key=value"},
		{"wrong type", "launcher:\n  slurm:\n    cpus_per_task: four\n", nil, "cpus_per_task"},
		{"wrong type by --set", "", []string{"launcher.slurm.gpus=one"}, "gpus"},
		{"zero cpus", "", []string{"launcher.slurm.cpus_per_task=0"}, "launcher.slurm.cpus_per_task: must be 1 to 1024"},
		{"negative gpus", "", []string{"launcher.slurm.gpus=-1"}, "launcher.slurm.gpus"},
		{"negative max_parallel", "", []string{"launcher.slurm.max_parallel=-2"}, "launcher.slurm.max_parallel"},
		{"bad time", "launcher:\n  slurm:\n    time: 2h\n", nil, "launcher.slurm.time: must be a Slurm time limit"},
		{"zero time", "", []string{"launcher.slurm.time=0:00:00"}, "launcher.slurm.time: must be a positive"},
		{"bad mem", "", []string{"launcher.slurm.mem=16GB"}, "launcher.slurm.mem"},
		{"partition with a space", "", []string{"launcher.slurm.partition=gpu long"}, "launcher.slurm.partition"},
		{"account injecting a line", "launcher:\n  slurm:\n    account: \"a\\n#SBATCH --x\"\n", nil, "launcher.slurm.account"},
		{"extra not an option", "", []string{"launcher.slurm.extra_sbatch=qos=long"}, "launcher.slurm.extra_sbatch: \"qos=long\": must be an sbatch option"},
		{"extra with #SBATCH", "launcher:\n  slurm:\n    extra_sbatch: ['#SBATCH --qos=long']\n", nil, "segqa adds #SBATCH"},
		{"extra sets the array", "", []string{"launcher.slurm.extra_sbatch=--array=0-3"}, "launcher.slurm.extra_sbatch: \"--array=0-3\": not allowed here"},
		{"extra sets the time", "launcher:\n  slurm:\n    extra_sbatch: [-t 10]\n", nil, "use launcher.slurm.time"},
		{"extra sets the cpus", "launcher:\n  slurm:\n    extra_sbatch: [-c4]\n", nil, "use launcher.slurm.cpus_per_task"},
		{"extra with a newline", "launcher:\n  slurm:\n    extra_sbatch: [\"--qos=a\\nexit 1\"]\n", nil, "one line"},
		{"broken yaml", "launcher: [\n", nil, "c.yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.yaml != "" {
				path = writeFile(t, tc.yaml)
			}
			_, err := LoadLauncher(path, tc.sets)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

func TestBadLauncherValuesAreAllExplained(t *testing.T) {
	_, err := LoadLauncher("", []string{"launcher.slurm.mem=lots", "launcher.slurm.gpus=100"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v does not wrap ErrInvalid", err)
	}
	for _, key := range []string{"launcher.slurm.mem", "launcher.slurm.gpus"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
	_, err = LoadLauncher("", []string{"launcher.slurm.parttion=x"})
	if !errors.Is(err, ErrUnknownKey) {
		t.Errorf("error %v does not wrap ErrUnknownKey", err)
	}
}

func TestSlurmMinutes(t *testing.T) {
	good := map[string]int{
		"90": 90, "5:30": 6, "2:00:00": 120, "0:00:01": 1, "1-0": 1440, "1-12": 2160,
		"2-03:04": 2*1440 + 3*60 + 4, "0-0:0:30": 1, "1-00:00:00": 1440,
	}
	for in, want := range good {
		if got, err := SlurmMinutes(in); err != nil || got != want {
			t.Errorf("SlurmMinutes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "2h", "1:2:3:4", "1-2:3:4:5", "-1", "1-", ":30", "1.5", "+5", "1--2", "99999999"} {
		if got, err := SlurmMinutes(in); err == nil {
			t.Errorf("SlurmMinutes(%q) = %d, want an error", in, got)
		}
	}
}

func TestShippedLauncherExamplesLoad(t *testing.T) {
	paths, _ := filepath.Glob("../../configs/launcher/*.yaml")
	if len(paths) == 0 {
		t.Fatal("no launcher examples in configs/launcher")
	}
	for _, p := range paths {
		if _, err := LoadLauncher(p, nil); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
}
