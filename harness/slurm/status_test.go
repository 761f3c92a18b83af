package slurm

import (
	"strings"
	"testing"
)

func TestCellState(t *testing.T) {
	task := func(state, reason string) *Task {
		return &Task{Job: "7", Index: 3, State: state, Reason: reason, Node: "n1"}
	}
	cases := []struct {
		name   string
		info   CellInfo
		state  State
		detail string
	}{
		{"never run", CellInfo{}, CellPending, "not started"},
		{"queued", CellInfo{Task: task("PENDING", "JobArrayTaskLimit")}, CellPending, "task 7_3 PENDING (JobArrayTaskLimit)"},
		{"requeued after preemption", CellInfo{Started: true, Stage: "zoo", Task: task("REQUEUED", "")}, CellPending, "7_3 REQUEUED; resumes after stage zoo"},
		{"requeued, held for its begin time", CellInfo{Started: true, Stage: "table1", Error: "stage table2: context canceled", Stopped: "SIGTERM", Task: task("PENDING", "BeginTime")},
			CellPending, "task 7_3 PENDING (BeginTime); resumes after stage table1"},
		{"task starting", CellInfo{Task: task("RUNNING", "")}, CellRunning, "task 7_3 RUNNING on n1"},
		{"running here", CellInfo{Running: true, Started: true, Stage: "pool"}, CellRunning, "after stage pool"},
		{"running in its task", CellInfo{Running: true, Started: true, Stage: "regnet", Task: task("RUNNING", "")}, CellRunning, "task 7_3 on n1, after stage regnet"},
		{"done", CellInfo{Done: true, Started: true, Stage: "table2", Task: task("COMPLETED", "")}, CellDone, ""},
		{"done though the task was cancelled later", CellInfo{Done: true, Started: true, Task: task("CANCELLED", "")}, CellDone, ""},
		{"time limit", CellInfo{Started: true, Stage: "recnet", Error: "stage regnet: context canceled", Task: task("TIMEOUT", "")},
			CellFailed, "task 7_3 TIMEOUT after stage recnet: stage regnet: context canceled"},
		{"cancelled before it started", CellInfo{Task: task("CANCELLED", "")}, CellFailed, "task 7_3 CANCELLED"},
		{"completed, not finished", CellInfo{Started: true, Stage: "data", Task: task("COMPLETED", "")}, CellFailed, "COMPLETED but the cell is not finished"},
		{"killed, Slurm forgot", CellInfo{Started: true, Stage: "zoo"}, CellUnfinished, "after stage zoo, its process gone without an outcome"},
		{"stopped by a signal here", CellInfo{Started: true, Stage: "data", Error: "stage zoo: stopped (SIGINT)", Stopped: "SIGINT"},
			CellUnfinished, "stopped (SIGINT) after stage data"},
		{"failed", CellInfo{Started: true, Stage: "data", Error: "stage zoo: write x: file too large"}, CellFailed, "after stage data: stage zoo: write x: file too large"},
		{"failed before its manifest", CellInfo{Error: "data.root: no such file"}, CellFailed, "data.root: no such file"},
	}
	for _, c := range cases {
		state, detail := c.info.State()
		if state != c.state || !strings.Contains(detail, c.detail) {
			t.Errorf("%s: %s, %q; want %s, %q", c.name, state, detail, c.state, c.detail)
		}
	}
}

func TestRecordLatest(t *testing.T) {
	dir := t.TempDir()
	r, err := ReadRecord(dir)
	if err != nil || len(r.Submissions) != 0 {
		t.Fatalf("a sweep never submitted: %+v, %v", r, err)
	}
	r.Submissions = []Submission{
		{ArrayJob: "10", Cells: []int{0, 1, 2, 3}, ReportJob: "11"},
		{ArrayJob: "20", Cells: []int{3}, ReportJob: "21"},
	}
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	if r, err = ReadRecord(dir); err != nil || len(r.Submissions) != 2 {
		t.Fatalf("read back %+v, %v", r, err)
	}
	if got := strings.Join(r.Jobs(), " "); got != "10 11 20 21" {
		t.Errorf("jobs %s", got)
	}
	tasks := []Task{
		{Job: "10", Index: 2, State: "COMPLETED"},
		{Job: "10", Index: 3, State: "CANCELLED"},
		{Job: "20", Index: 3, State: "RUNNING"},
	}
	if task, sub, ok := r.Latest(tasks, 3); !ok || task.State != "RUNNING" || sub.ArrayJob != "20" {
		t.Errorf("cell 3: %+v %+v %v, want the resubmitted task", task, sub, ok)
	}
	if task, _, ok := r.Latest(tasks, 2); !ok || task.State != "COMPLETED" {
		t.Errorf("cell 2: %+v %v", task, ok)
	}
	if _, sub, ok := r.Latest(tasks, 1); ok || sub.ArrayJob != "10" {
		t.Errorf("cell 1, forgotten by Slurm: %+v %v", sub, ok)
	}
	if _, _, ok := r.Latest(tasks[:2], 3); ok {
		t.Error("cell 3 took the older submission's task when Slurm forgot the newer one")
	}
	if _, sub, ok := r.Latest(tasks, 9); ok || sub.ArrayJob != "" {
		t.Errorf("cell 9, never submitted: %+v", sub)
	}
	if task, ok := Find(tasks, "10_3"); !ok || task.State != "CANCELLED" {
		t.Errorf("Find: %+v %v", task, ok)
	}
}
