package slurm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Task is one job, or one task of a job array, as squeue or sacct report
// it.
type Task struct {
	Job    string // the job id; for an array task, the array's job id
	Index  int    // the array task id; -1 for a job that is not an array
	State  string // PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
	Reason string // squeue: why it waits or ended ("None" dropped); sacct: the exit code
	Node   string // where it runs or ran, if anywhere
}

// ID is the task as Slurm names it: JOB_INDEX, or JOB.
func (t Task) ID() string {
	if t.Index < 0 {
		return t.Job
	}
	return fmt.Sprintf("%s_%d", t.Job, t.Index)
}

// Phase is where a task is in its life.
type Phase int

const (
	TaskQueued    Phase = iota // waiting to start, or requeued
	TaskActive                 // running, suspended or ending
	TaskSucceeded              // completed with exit code 0
	TaskFailed                 // ended otherwise: failed, cancelled, timed out, preempted, ...
)

func (p Phase) String() string {
	return [...]string{"queued", "active", "succeeded", "failed"}[p]
}

// Phase classifies the task's state. A state Slurm may add later counts as
// TaskActive, so that segqa never resubmits a cell that might still run.
func (t Task) Phase() Phase {
	switch t.State {
	case "PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD":
		return TaskQueued
	case "COMPLETED":
		return TaskSucceeded
	case "FAILED", "CANCELLED", "TIMEOUT", "PREEMPTED", "NODE_FAIL", "OUT_OF_MEMORY",
		"BOOT_FAIL", "DEADLINE", "REVOKED", "SPECIAL_EXIT":
		return TaskFailed
	}
	return TaskActive
}

// QueueFormat is the squeue --format that ParseQueue reads: job id (JOB or
// ARRAY_INDEX or ARRAY_[RANGE]), state, reason, nodes.
const QueueFormat = "%i|%T|%r|%N"

// ParseQueue reads squeue --noheader --format=QueueFormat output.
func ParseQueue(out string) ([]Task, error) {
	var tasks []Task
	for n, line := range lines(out) {
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return nil, fmt.Errorf("squeue line %d %q: want 4 fields separated by |", n+1, line)
		}
		reason := f[2]
		if reason == "None" || reason == "(null)" {
			reason = ""
		}
		ts, err := expand(f[0], Task{State: f[1], Reason: reason, Node: f[3]})
		if err != nil {
			return nil, fmt.Errorf("squeue line %d: %w", n+1, err)
		}
		tasks = append(tasks, ts...)
	}
	return tasks, nil
}

// AcctFormat is the sacct --format that ParseAcct reads.
const AcctFormat = "JobID,State,ExitCode,NodeList"

// ParseAcct reads sacct --noheader --parsable2 --allocations
// --format=AcctFormat output. A state such as "CANCELLED by 1000" keeps
// its first word; steps (JOB.batch, JOB.0) are skipped.
func ParseAcct(out string) ([]Task, error) {
	var tasks []Task
	for n, line := range lines(out) {
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return nil, fmt.Errorf("sacct line %d %q: want 4 fields separated by |", n+1, line)
		}
		if strings.Contains(f[0], ".") {
			continue // a step
		}
		state, _, _ := strings.Cut(f[1], " ")
		node := f[3]
		if node == "None assigned" {
			node = ""
		}
		reason := ""
		if f[2] != "" && f[2] != "0:0" {
			reason = "exit code " + f[2]
		}
		ts, err := expand(f[0], Task{State: state, Reason: reason, Node: node})
		if err != nil {
			return nil, fmt.Errorf("sacct line %d: %w", n+1, err)
		}
		tasks = append(tasks, ts...)
	}
	return tasks, nil
}

// expand turns a job id as Slurm prints it (123, 123_4, 123_[4-6%2]) into
// tasks like t.
func expand(id string, t Task) ([]Task, error) {
	job, index, isArray := strings.Cut(id, "_")
	if !digits(job) {
		return nil, fmt.Errorf("job id %q", id)
	}
	t.Job, t.Index = job, -1
	if !isArray {
		return []Task{t}, nil
	}
	if digits(index) {
		t.Index, _ = strconv.Atoi(index)
		return []Task{t}, nil
	}
	if !strings.HasPrefix(index, "[") {
		return nil, fmt.Errorf("job id %q", id)
	}
	idx, err := ParseArraySpec(index)
	if err != nil {
		return nil, fmt.Errorf("job id %q: %w", id, err)
	}
	out := make([]Task, len(idx))
	for i, x := range idx {
		out[i] = t
		out[i].Index = x
	}
	return out, nil
}

// ParseSubmit reads the job id from sbatch --parsable output ("123" or
// "123;cluster").
func ParseSubmit(out string) (string, error) {
	l := lines(out)
	if len(l) == 0 {
		return "", errors.New("sbatch --parsable printed no job id")
	}
	id, _, _ := strings.Cut(l[len(l)-1], ";")
	if !digits(id) {
		return "", fmt.Errorf("sbatch --parsable printed %q, not a job id", strings.TrimSpace(out))
	}
	return id, nil
}

func lines(out string) []string {
	var l []string
	for _, line := range strings.Split(out, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			l = append(l, line)
		}
	}
	return l
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
