package slurm

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/segqa/segqa/harness/run"
)

// Submission is one `segqa sweep --launcher slurm`: the job array of the
// cells it submitted and the report job.
type Submission struct {
	Submitted  time.Time `json:"submitted"`
	ArrayJob   string    `json:"array_job"`
	Array      string    `json:"array"` // sbatch --array
	Cells      []int     `json:"cells"` // = the array's task ids
	ReportJob  string    `json:"report_job,omitempty"`
	Dependency string    `json:"dependency,omitempty"` // the report job's
}

// Record is SWEEP/slurm/jobs.json: every submission of the sweep, oldest
// first.
type Record struct {
	Submissions []Submission `json:"submissions"`
}

// RecordFile is where a sweep's record is.
func RecordFile(sweep string) string { return filepath.Join(Dir(sweep), "jobs.json") }

// ReadRecord reads the sweep's record; a sweep never submitted has an
// empty one.
func ReadRecord(sweep string) (Record, error) {
	var r Record
	err := run.ReadJSON(RecordFile(sweep), &r)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, nil
	}
	return r, err
}

// Write saves the record atomically.
func (r Record) Write(sweep string) error {
	return run.WriteJSON(RecordFile(sweep), r)
}

// Jobs lists the array and report jobs of every submission.
func (r Record) Jobs() []string {
	var ids []string
	for _, s := range r.Submissions {
		ids = append(ids, s.ArrayJob)
		if s.ReportJob != "" {
			ids = append(ids, s.ReportJob)
		}
	}
	return ids
}

// Latest is the task of the most recent submission of cell that tasks
// (from squeue or sacct) know, and the submission.
func (r Record) Latest(tasks []Task, cell int) (Task, Submission, bool) {
	for _, s := range slices.Backward(r.Submissions) {
		if !slices.Contains(s.Cells, cell) {
			continue
		}
		for _, t := range tasks {
			if t.Job == s.ArrayJob && t.Index == cell {
				return t, s, true
			}
		}
		return Task{}, s, false
	}
	return Task{}, Submission{}, false
}

// Find is the task of tasks with the id (JOB or JOB_INDEX).
func Find(tasks []Task, id string) (Task, bool) {
	for _, t := range tasks {
		if t.ID() == id {
			return t, true
		}
	}
	return Task{}, false
}
