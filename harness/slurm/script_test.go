package slurm

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/testkit/golden"
)

var testJob = Job{Sweep: "/scratch/ana/runs/sweep-dropout", Workdir: "/home/ana/segqa", Segqa: "/home/ana/segqa/bin/segqa"}

func TestScriptsGolden(t *testing.T) {
	full := config.Slurm{
		Partition: "gpu", Account: "proj-42", Time: "1-12:00:00", Mem: "16G", CPUsPerTask: 8, GPUs: 2,
		MaxParallel: 4, ExtraSbatch: []string{"--qos=long", "--constraint=a100|h100"},
	}
	cases := []struct {
		name string
		s    config.Slurm
	}{
		{"defaults", config.DefaultLauncher().Slurm},
		{"full", full},
	}
	for _, c := range cases {
		cells, err := Cells(c.s, testJob)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", c.name+".cells.sbatch"), cells)
		report, err := Report(c.s, testJob)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", c.name+".report.sbatch"), report)
	}
}

func TestScriptsFollowTheSettings(t *testing.T) {
	s := config.DefaultLauncher().Slurm
	s.CPUsPerTask, s.GPUs = 3, 1
	cells, _ := Cells(s, testJob)
	report, _ := Report(s, testJob)
	for _, want := range []string{"#SBATCH --cpus-per-task=3\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --requeue\n", "--cell \"$SLURM_ARRAY_TASK_ID\"\n"} {
		if !strings.Contains(string(cells), want) {
			t.Errorf("cells script lacks %q:\n%s", want, cells)
		}
	}
	if strings.Contains(string(report), "--gres") || !strings.Contains(string(report), "#SBATCH --cpus-per-task=1\n") {
		t.Errorf("the report job asks for a GPU or more than one CPU:\n%s", report)
	}
	for _, text := range [][]byte{cells, report} {
		if strings.Contains(string(text), "--partition") || strings.Contains(string(text), "--time") || strings.Contains(string(text), "--mem") {
			t.Errorf("unset settings written:\n%s", text)
		}
	}
}

func TestScriptsRefuseUnsafePaths(t *testing.T) {
	for _, j := range []Job{
		{Sweep: "runs/sweep", Workdir: "/w", Segqa: "/bin/segqa"},
		{Sweep: "/scratch/my runs/x", Workdir: "/w", Segqa: "/bin/segqa"},
		{Sweep: "/x", Workdir: "/w#1", Segqa: "/bin/segqa"},
		{Sweep: "/x", Workdir: "/w", Segqa: "/opt/$HOME/segqa"},
	} {
		if _, err := Cells(config.DefaultLauncher().Slurm, j); err == nil {
			t.Errorf("%+v: accepted", j)
		}
		if _, err := Report(config.DefaultLauncher().Slurm, j); err == nil {
			t.Errorf("%+v: accepted by Report", j)
		}
	}
}

func TestArraySpec(t *testing.T) {
	cases := []struct {
		idx  []int
		max  int
		want string
	}{
		{[]int{0, 1, 2, 3}, 2, "0-3%2"},
		{[]int{3}, 0, "3"},
		{[]int{1, 3}, 1, "1,3%1"},
		{[]int{9, 0, 1, 2, 5, 6, 2}, 0, "0-2,5-6,9"},
	}
	for _, c := range cases {
		got := ArraySpec(c.idx, c.max)
		if got != c.want {
			t.Errorf("ArraySpec(%v, %d) = %q, want %q", c.idx, c.max, got, c.want)
		}
		back, err := ParseArraySpec(got)
		want := slices.Compact(slices.Sorted(slices.Values(c.idx)))
		if err != nil || !slices.Equal(back, want) {
			t.Errorf("ParseArraySpec(%q) = %v, %v; want %v", got, back, err, want)
		}
	}
	if got, err := ParseArraySpec("[1-7:3%2]"); err != nil || !slices.Equal(got, []int{1, 4, 7}) {
		t.Errorf("ParseArraySpec with a step: %v, %v", got, err)
	}
	for _, bad := range []string{"", "a", "3-1", "1-", "-2", "1:0", "0-99999999"} {
		if got, err := ParseArraySpec(bad); err == nil {
			t.Errorf("ParseArraySpec(%q) = %v, want an error", bad, got)
		}
	}
}

func TestJobName(t *testing.T) {
	if got := JobName("/runs/sweep-a b(1)"); got != "segqa-sweep-a_b_1_" {
		t.Errorf("JobName = %q", got)
	}
}
