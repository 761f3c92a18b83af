package slurm

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// testdata/squeue.txt is squeue --noheader --array --states=all
// --format=QueueFormat as Slurm 22.05 (Debian 12) printed it on the
// one-node cluster of .ci/slurm-test: an array of four tasks, two at a
// time, task 1 cancelled, and a job that depends on the array.
func TestParseQueue(t *testing.T) {
	tasks, err := ParseQueue(readTestdata(t, "squeue.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Task{
		{Job: "1", Index: 1, State: "CANCELLED", Node: "localhost"},
		{Job: "1", Index: 0, State: "COMPLETED", Node: "localhost"},
		{Job: "1", Index: 3, State: "PENDING", Reason: "JobArrayTaskLimit"},
		{Job: "2", Index: -1, State: "PENDING", Reason: "Dependency"},
		{Job: "1", Index: 2, State: "RUNNING", Node: "localhost"},
	}
	if !reflect.DeepEqual(tasks, want) {
		t.Errorf("got  %+v\nwant %+v", tasks, want)
	}
	phases := []Phase{TaskFailed, TaskSucceeded, TaskQueued, TaskQueued, TaskActive}
	for i, task := range tasks {
		if task.Phase() != phases[i] {
			t.Errorf("%s %s: phase %s, want %s", task.ID(), task.State, task.Phase(), phases[i])
		}
	}
	if tasks[0].ID() != "1_1" || tasks[3].ID() != "2" {
		t.Errorf("ids %s, %s", tasks[0].ID(), tasks[3].ID())
	}
}

func TestParseQueueExpandsPendingRanges(t *testing.T) {
	tasks, err := ParseQueue("12_[4-6%2]|PENDING|JobArrayTaskLimit|\n12_[8,10]|PENDING|Priority|\n")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, task := range tasks {
		ids = append(ids, task.ID())
	}
	if strings.Join(ids, " ") != "12_4 12_5 12_6 12_8 12_10" {
		t.Errorf("ids %v", ids)
	}
}

// testdata/sacct.txt is sacct --noheader --parsable2 --allocations
// --format=AcctFormat as Slurm prints it (the test cluster keeps no
// accounting, so this one is written from Slurm's documentation): a step
// line, a task cancelled by a user, one timed out, a pending range.
func TestParseAcct(t *testing.T) {
	tasks, err := ParseAcct(readTestdata(t, "sacct.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Task{
		{Job: "4100", Index: 0, State: "COMPLETED", Node: "node07"},
		{Job: "4100", Index: 1, State: "CANCELLED", Reason: "exit code 0:15", Node: "node08"},
		{Job: "4100", Index: 2, State: "TIMEOUT", Reason: "exit code 0:1", Node: "node07"},
		{Job: "4100", Index: 3, State: "OUT_OF_MEMORY", Reason: "exit code 0:125", Node: "node09"},
		{Job: "4100", Index: 4, State: "PENDING"},
		{Job: "4100", Index: 5, State: "PENDING"},
		{Job: "4106", Index: -1, State: "PENDING"},
	}
	if !reflect.DeepEqual(tasks, want) {
		t.Errorf("got  %+v\nwant %+v", tasks, want)
	}
	for _, i := range []int{1, 2, 3} {
		if tasks[i].Phase() != TaskFailed {
			t.Errorf("%s %s: phase %s", tasks[i].ID(), tasks[i].State, tasks[i].Phase())
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, out := range []string{"7_1|RUNNING|None\n", "x_1|RUNNING|None|n\n", "7_a|RUNNING|None|n\n", "7_[3-1]|PENDING|None|\n"} {
		if got, err := ParseQueue(out); err == nil {
			t.Errorf("ParseQueue(%q) = %+v, want an error", out, got)
		}
	}
	if got, err := ParseAcct("123|COMPLETED|0:0\n"); err == nil {
		t.Errorf("ParseAcct with three fields = %+v", got)
	}
}

func TestUnknownStatesMayStillRun(t *testing.T) {
	if p := (Task{State: "SOME_NEW_STATE"}).Phase(); p != TaskActive {
		t.Errorf("an unknown state is %s, want active (never resubmitted)", p)
	}
}

func TestParseSubmit(t *testing.T) {
	for out, want := range map[string]string{"42\n": "42", "42;cluster2\n": "42", "sbatch: warning: x\n43\n": "43"} {
		if got, err := ParseSubmit(out); err != nil || got != want {
			t.Errorf("ParseSubmit(%q) = %q, %v; want %q", out, got, err, want)
		}
	}
	for _, out := range []string{"", "Submitted batch job 42\n"} {
		if got, err := ParseSubmit(out); err == nil {
			t.Errorf("ParseSubmit(%q) = %q, want an error", out, got)
		}
	}
}
