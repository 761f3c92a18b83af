package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
	"github.com/segqa/segqa/harness/slurm"
)

// Slurm submits the cells of a sweep that are neither done nor queued or
// running to a Slurm cluster, as one job array (task I runs cell I with
// `segqa sweep --out DIR --cell I`), and a report job after them.
// Submitting again resumes: finished cells are skipped, and the new
// report job waits for the cells still running from before.
type Slurm struct {
	Settings config.Slurm // launcher.slurm.*
	Workdir  string       // where the tasks start: the submitter's working directory, absolute
	Segqa    string       // the segqa binary the tasks run, absolute
	// Stdout takes what was submitted and how to follow it; Stderr what
	// could not be cleaned up.
	Stdout, Stderr io.Writer
}

// Launch submits plan's unfinished cells and returns once Slurm took them.
// A refused cell (invalid settings) is not submitted: it is named, with
// why, before anything is submitted, recorded as failed, and the error is
// then a *RefusedError.
func (s Slurm) Launch(ctx context.Context, plan Plan) error {
	if err := plan.check(); err != nil {
		return err
	}
	dir, err := filepath.Abs(plan.Dir)
	if err != nil {
		return fmt.Errorf("sweep directory %s: %w", plan.Dir, err)
	}
	job := slurm.Job{Sweep: dir, Workdir: s.Workdir, Segqa: s.Segqa}
	cellsScript, err := slurm.Cells(s.Settings, job)
	if err != nil {
		return err
	}
	reportScript, err := slurm.Report(s.Settings, job)
	if err != nil {
		return err
	}
	// Two submissions of one sweep at once would submit the same cells twice.
	unlock, err := run.LockFile(ctx, filepath.Join(slurm.Dir(dir), "submit.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	q, err := readQueue(ctx, dir)
	if err != nil {
		return err
	}
	if err := q.checkSameCells(dir, plan.Sweep); err != nil {
		return err
	}
	t, err := q.triage(dir, plan)
	if err != nil {
		return err
	}
	if err := writeSweep(dir, plan.Sweep); err != nil {
		return err
	}
	plan.Dir = dir
	refused, err := plan.refuse(s.Stderr, "the other %d cell(s) go on")
	if err != nil {
		return err
	}
	var refusal error
	if len(refused) > 0 {
		refusal = &RefusedError{Cells: len(plan.Configs), Refused: refused}
	}
	stdout := orDiscard(s.Stdout)
	fmt.Fprintf(stdout, "sweep %s: %d cells; %d done, %d queued or running, %d to submit", dir, len(plan.Configs), len(t.done), len(t.queued), len(t.submit))
	if len(refused) > 0 {
		fmt.Fprintf(stdout, ", %d refused", len(refused))
	}
	fmt.Fprintln(stdout)
	if len(t.submit) == 0 {
		switch {
		case len(t.queued) > 0:
			fmt.Fprintf(stdout, "nothing to submit; follow them with: segqa sweep --status %s\n", dir)
		case len(refused) > 0:
			fmt.Fprintf(stdout, "every other cell is done, nothing to submit; segqa report %s writes the report\n", dir)
		default:
			fmt.Fprintf(stdout, "every cell is done, nothing to submit; segqa report %s writes the report\n", dir)
		}
		return refusal
	}
	if err := s.prepare(dir, plan, t.submit, cellsScript, reportScript); err != nil {
		return err
	}
	if err := s.submit(ctx, dir, q, t.submit); err != nil {
		return errors.Join(err, refusal)
	}
	return refusal
}

// queue is what Slurm knows of a sweep: the record of its submissions,
// and the tasks of those that squeue still knows.
type queue struct {
	rec   slurm.Record
	tasks []slurm.Task
}

// readQueue reads the sweep's record and asks squeue about its jobs.
func readQueue(ctx context.Context, dir string) (queue, error) {
	rec, err := slurm.ReadRecord(dir)
	if err != nil {
		return queue{}, err
	}
	tasks, err := slurm.Queue(ctx, rec.Jobs())
	if err != nil {
		return queue{}, fmt.Errorf("sweep: cannot tell which cells are still queued or running: %w", err)
	}
	return queue{rec: rec, tasks: tasks}, nil
}

// live reports whether a task is queued or running.
func live(t slurm.Task) bool {
	p := t.Phase()
	return p == slurm.TaskQueued || p == slurm.TaskActive
}

// checkSameCells refuses to submit a sweep whose cells differ from the
// sweep.json in dir while tasks of the latter are queued or running: such
// a task would run the cell of the same index in the new sweep.json.
func (q queue) checkSameCells(dir string, sw results.Sweep) error {
	before, err := ReadSweep(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if sameCells(before, sw) {
		return nil
	}
	var ids []string
	for _, t := range q.tasks {
		if live(t) {
			ids = append(ids, t.ID())
		}
	}
	if len(ids) > 0 {
		return fmt.Errorf("sweep: %s has tasks of another grid queued or running (%s); wait for them or scancel them before submitting a different sweep there", dir, strings.Join(ids, " "))
	}
	return nil
}

// sameCells reports whether two sweeps list the same cells in the same
// order (a sweep never written before has none).
func sameCells(a, b results.Sweep) bool {
	if len(a.Cells) == 0 {
		return true
	}
	return slices.EqualFunc(a.Cells, b.Cells, func(x, y results.Cell) bool { return x.Name == y.Name && x.Dir == y.Dir })
}

// triage sorts the cells of a plan by what a submission does with them.
type triage struct {
	done   []int // finished with their settings: skipped
	queued []int // queued or running: left alone
	submit []int // the others
}

// triage sorts plan's cells by their run directories and their latest
// tasks; refused cells are in none of its lists.
func (q queue) triage(dir string, plan Plan) (triage, error) {
	var t triage
	for i, cfg := range plan.Configs {
		if plan.refused(i) != nil {
			continue
		}
		p, err := InspectCell(dir, plan.Sweep.Cells[i], &cfg)
		if err != nil {
			return t, err
		}
		task, _, known := q.rec.Latest(q.tasks, i)
		switch {
		case p.Done:
			t.done = append(t.done, i)
		case p.Running || known && live(task):
			t.queued = append(t.queued, i)
		default:
			t.submit = append(t.submit, i)
		}
	}
	return t, nil
}

// prepare writes what the tasks of cells read: each cell's config (on the
// GPU when the tasks get GPUs), the two batch scripts and the log folder.
func (s Slurm) prepare(dir string, plan Plan, cells []int, cellsScript, reportScript []byte) error {
	for _, i := range cells {
		cfg := plan.Configs[i]
		if s.Settings.GPUs > 0 {
			cfg.Runtime.Device = config.DeviceGPU
		}
		if err := WriteCellConfig(dir, plan.Sweep.Cells[i], cfg); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(slurm.LogDir(dir), 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := run.WriteFile(slurm.CellsScript(dir), cellsScript); err != nil {
		return err
	}
	return run.WriteFile(slurm.ReportScript(dir), reportScript)
}

// submit submits cells as a job array and the report job after it,
// recording both in the sweep's record as soon as Slurm took them.
func (s Slurm) submit(ctx context.Context, dir string, q queue, cells []int) error {
	stdout := orDiscard(s.Stdout)
	array := slurm.ArraySpec(cells, s.Settings.MaxParallel)
	sub := slurm.Submission{Submitted: time.Now().UTC(), Array: array, Cells: cells}
	var err error
	if sub.ArrayJob, err = slurm.Submit(ctx, slurm.CellsScript(dir), "--array="+array); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "array job %s: cells %s (%s)\n", sub.ArrayJob, array, slurm.CellsScript(dir))

	deps, stale := q.reportDependency(sub.ArrayJob)
	sub.Dependency = deps
	rec := q.rec
	rec.Submissions = append(rec.Submissions, sub)
	if err := rec.Write(dir); err != nil {
		return err
	}
	if err := slurm.Cancel(ctx, stale...); err != nil {
		fmt.Fprintf(orDiscard(s.Stderr), "sweep: could not cancel the superseded report jobs %s: %v\n", strings.Join(stale, " "), err)
	} else if len(stale) > 0 {
		fmt.Fprintf(stdout, "cancelled the superseded report job %s\n", strings.Join(stale, " "))
	}
	if sub.ReportJob, err = slurm.Submit(ctx, slurm.ReportScript(dir), "--dependency="+sub.Dependency); err != nil {
		return fmt.Errorf("sweep: cells submitted as array job %s, but the report job was not (run segqa report %s when they are done): %w", sub.ArrayJob, dir, err)
	}
	rec.Submissions[len(rec.Submissions)-1] = sub
	if err := rec.Write(dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report job %s: --dependency=%s (%s)\n", sub.ReportJob, sub.Dependency, slurm.ReportScript(dir))
	fmt.Fprintf(stdout, "logs in %s; follow with: segqa sweep --status %s\n", slurm.LogDir(dir), dir)
	return nil
}

// reportDependency is the report job's --dependency once arrayJob is
// submitted: it waits for that array, and for earlier arrays still
// running cells, to end, whatever their end (afterany), so that a failed
// cell is marked missing in the report as a sweep run here marks it, not
// left without a report. A requeued task (preemption) has not ended.
// stale lists the report jobs of earlier submissions still waiting,
// which the new one supersedes.
func (q queue) reportDependency(arrayJob string) (dependency string, stale []string) {
	deps := []string{"afterany:" + arrayJob}
	for _, old := range q.rec.Submissions {
		if t, ok := slurm.Find(q.tasks, old.ReportJob); ok && t.Phase() == slurm.TaskQueued {
			stale = append(stale, old.ReportJob)
		}
		if slices.ContainsFunc(q.tasks, func(t slurm.Task) bool { return t.Job == old.ArrayJob && live(t) }) {
			deps = append(deps, "afterany:"+old.ArrayJob)
		}
	}
	return strings.Join(deps, ","), stale
}
