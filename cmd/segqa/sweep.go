package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/results"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/slurm"
)

// sweepCmd runs a sweep's cells here (--launcher local, --jobs at a time),
// submits them to Slurm (--launcher slurm), runs one cell of a sweep
// directory (--cell, what each Slurm task does) or tells how far a sweep
// got (--status).
func sweepCmd(ctx context.Context, stdout, stderr io.Writer, args, environ []string) error {
	flags := flag.NewFlagSet("sweep", flag.ContinueOnError)
	flags.SetOutput(stderr)
	cfgPath := flags.String("config", "", "base YAML config")
	sweepPath := flags.String("sweep", "", "sweep YAML (config, set, grid, seeds)")
	out := flags.String("out", "", "sweep directory (default runs/sweep-NAME)")
	seeds := flags.String("seeds", "", "comma-separated seeds (default the config's seed)")
	jobs := flags.Int("jobs", 1, "cells run side by side; the cores are shared among them (--launcher local)")
	launcher := flags.String("launcher", "local", "where the cells run: local (here) or slurm (one job array task per cell)")
	launcherPath := flags.String("launcher-config", "", "YAML file of launcher settings (launcher.slurm.*), see configs/launcher/slurm.yaml")
	cell := flags.Int("cell", -1, "run only cell `I` (its index in OUT/sweep.json) of the sweep directory --out, with the config saved there")
	status := flags.String("status", "", "list each cell of the sweep directory `DIR` as done, running, failed or pending")
	var grid, sets multi
	flags.Var(&grid, "grid", "key=v1,v2,... grid axis, repeatable")
	flags.Var(&sets, "set", "key=value override for every cell, repeatable; launcher.slurm.KEY=VALUE sets the launcher")
	if err := parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usageError{fmt.Errorf("sweep: unexpected argument %q", flags.Arg(0))}
	}
	given := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { given[f.Name] = true })
	only := func(mode string, allowed ...string) error {
		var err error
		flags.Visit(func(f *flag.Flag) { // in lexical order
			if err == nil && f.Name != mode && !slices.Contains(allowed, f.Name) {
				err = usageError{fmt.Errorf("sweep: --%s does not go with --%s", f.Name, mode)}
			}
		})
		return err
	}
	switch {
	case given["status"]:
		if err := only("status"); err != nil {
			return err
		}
		return sweepStatus(ctx, stdout, stderr, *status)
	case given["cell"]:
		if err := only("cell", "out"); err != nil {
			return err
		}
		if *out == "" {
			return usageError{errors.New("sweep: --cell I needs --out SWEEP_DIR")}
		}
		return sweepCell(ctx, stdout, stderr, *out, *cell, environ)
	}
	if !slices.Contains(config.Launchers, *launcher) {
		return usageError{fmt.Errorf("sweep: --launcher %q: want one of %s", *launcher, strings.Join(config.Launchers, ", "))}
	}
	var cellSets, launcherSets []string
	for _, s := range sets {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), config.LauncherPrefix) {
			launcherSets = append(launcherSets, s)
		} else {
			cellSets = append(cellSets, s)
		}
	}
	if *launcher != "slurm" {
		if len(launcherSets) > 0 {
			return usageError{fmt.Errorf("sweep: --set %s needs --launcher slurm", launcherSets[0])}
		}
		if *launcherPath != "" {
			return usageError{errors.New("sweep: --launcher-config needs --launcher slurm")}
		}
	} else if given["jobs"] {
		return usageError{errors.New("sweep: --jobs is for --launcher local; with --launcher slurm, launcher.slurm.max_parallel caps the cells running at once")}
	}

	var sw results.Sweep
	if *sweepPath != "" {
		var err error
		if sw, err = config.ReadSweepFile(*sweepPath); err != nil {
			return err
		}
	}
	if *cfgPath != "" {
		sw.BaseConfig = *cfgPath
	}
	sw.Sets = append(sw.Sets, cellSets...)
	for _, g := range grid {
		ax, err := config.ParseAxis(g)
		if err != nil {
			return err
		}
		sw.Grid = append(sw.Grid, ax)
	}
	if *seeds != "" {
		s, err := config.ParseSeeds(*seeds)
		if err != nil {
			return err
		}
		sw.Seeds = s
	}
	if *jobs < 1 {
		return fmt.Errorf("sweep: --jobs %d must be at least 1", *jobs)
	}
	var lset config.Launcher
	if *launcher == "slurm" {
		var err error
		if lset, err = config.LoadLauncher(*launcherPath, launcherSets); err != nil {
			return err
		}
	}
	cfgs, err := config.ExpandSweep(&sw, environ)
	if err != nil {
		return err
	}
	if *out == "" {
		name := *sweepPath
		if name == "" {
			name = sw.BaseConfig
		}
		*out = filepath.Join("runs", "sweep-"+strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	}
	if *launcher == "slurm" {
		return submitSweep(ctx, stdout, stderr, sw, cfgs, *out, lset.Slurm)
	}
	fmt.Fprintf(stderr, "sweep: %d cells under %s, %d at a time\n", len(cfgs), *out, *jobs)
	if err := experiments.RunSweep(ctx, sw, cfgs, *out, *jobs, renderers, stdout, stderr); err != nil {
		return err
	}
	return writeReport(stdout, *out)
}

// submitSweep submits the cells of the sweep that are neither done nor
// queued or running to Slurm, as one job array, and a report job after
// them.
func submitSweep(ctx context.Context, stdout, stderr io.Writer, sw results.Sweep, cfgs []config.Config, out string, s config.Slurm) error {
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return fmt.Errorf("sweep: where is segqa itself? %w", err)
	}
	job := slurm.Job{Sweep: dir, Workdir: wd, Segqa: exe}
	cellsScript, err := slurm.Cells(s, job)
	if err != nil {
		return err
	}
	reportScript, err := slurm.Report(s, job)
	if err != nil {
		return err
	}
	// Two submissions of one sweep at once would submit the same cells twice.
	unlock, err := run.LockFile(ctx, filepath.Join(slurm.Dir(dir), "submit.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	rec, err := slurm.ReadRecord(dir)
	if err != nil {
		return err
	}
	tasks, err := slurm.Queue(ctx, rec.Jobs())
	if err != nil {
		return fmt.Errorf("sweep: cannot tell which cells are still queued or running: %w", err)
	}

	// A task queued for the sweep as it was would run the cell of the same
	// index in the new sweep.json.
	var before results.Sweep
	if err := run.ReadJSON(filepath.Join(dir, results.SweepFile), &before); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if !sameCells(before, sw) {
		var live []string
		for _, t := range tasks {
			if p := t.Phase(); p == slurm.TaskQueued || p == slurm.TaskActive {
				live = append(live, t.ID())
			}
		}
		if len(live) > 0 {
			return fmt.Errorf("sweep: %s has tasks of another grid queued or running (%s); wait for them or scancel them before submitting a different sweep there", dir, strings.Join(live, " "))
		}
	}

	var submit, done, queued []int
	for i, cfg := range cfgs {
		p, err := experiments.InspectCell(dir, sw.Cells[i], &cfg)
		if err != nil {
			return err
		}
		t, _, known := rec.Latest(tasks, i)
		switch {
		case p.Done:
			done = append(done, i)
		case p.Running || known && (t.Phase() == slurm.TaskQueued || t.Phase() == slurm.TaskActive):
			queued = append(queued, i)
		default:
			submit = append(submit, i)
		}
	}
	if err := run.WriteJSON(filepath.Join(dir, results.SweepFile), sw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sweep %s: %d cells; %d done, %d queued or running, %d to submit\n", dir, len(cfgs), len(done), len(queued), len(submit))
	if len(submit) == 0 {
		if len(queued) == 0 {
			fmt.Fprintf(stdout, "every cell is done, nothing to submit; segqa report %s writes the report\n", dir)
		} else {
			fmt.Fprintf(stdout, "nothing to submit; follow them with: segqa sweep --status %s\n", dir)
		}
		return nil
	}
	for _, i := range submit {
		cfg := cfgs[i]
		if s.GPUs > 0 {
			cfg.Runtime.Device = config.DeviceGPU
		}
		if err := experiments.WriteCellConfig(dir, sw.Cells[i], cfg); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(slurm.LogDir(dir), 0o755); err != nil {
		return err
	}
	if err := run.WriteFile(slurm.CellsScript(dir), cellsScript); err != nil {
		return err
	}
	if err := run.WriteFile(slurm.ReportScript(dir), reportScript); err != nil {
		return err
	}

	array := slurm.ArraySpec(submit, s.MaxParallel)
	sub := slurm.Submission{Submitted: time.Now().UTC(), Array: array, Cells: submit}
	if sub.ArrayJob, err = slurm.Submit(ctx, slurm.CellsScript(dir), "--array="+array); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "array job %s: cells %s (%s)\n", sub.ArrayJob, array, slurm.CellsScript(dir))

	// The report waits for this array, and for earlier ones still running
	// cells, whatever their end; report jobs of earlier submissions
	// waiting still are superseded.
	deps := []string{"afterok:" + sub.ArrayJob}
	var stale []string
	for _, old := range rec.Submissions {
		if t, ok := slurm.Find(tasks, old.ReportJob); ok && t.Phase() == slurm.TaskQueued {
			stale = append(stale, old.ReportJob)
		}
		for _, t := range tasks {
			if t.Job == old.ArrayJob && (t.Phase() == slurm.TaskQueued || t.Phase() == slurm.TaskActive) {
				deps = append(deps, "afterany:"+old.ArrayJob)
				break
			}
		}
	}
	sub.Dependency = strings.Join(deps, ",")
	rec.Submissions = append(rec.Submissions, sub)
	if err := rec.Write(dir); err != nil {
		return err
	}
	if err := slurm.Cancel(ctx, stale...); err != nil {
		fmt.Fprintf(stderr, "sweep: could not cancel the superseded report jobs %s: %v\n", strings.Join(stale, " "), err)
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

// sameCells reports whether two sweeps list the same cells in the same
// order (a sweep never written before has none).
func sameCells(a, b results.Sweep) bool {
	if len(a.Cells) == 0 {
		return true
	}
	return slices.EqualFunc(a.Cells, b.Cells, func(x, y results.Cell) bool { return x.Name == y.Name && x.Dir == y.Dir })
}

// sweepCell runs cell i of the sweep directory with the config saved in
// its run directory, with as many threads as Slurm gave the task.
func sweepCell(ctx context.Context, stdout, stderr io.Writer, out string, i int, environ []string) error {
	var sw results.Sweep
	if err := run.ReadJSON(filepath.Join(out, results.SweepFile), &sw); err != nil {
		return fmt.Errorf("sweep: --cell %d: %w", i, err)
	}
	if i < 0 || i >= len(sw.Cells) {
		return fmt.Errorf("sweep: --cell %d: %s has cells 0 to %d", i, out, len(sw.Cells)-1)
	}
	cell := sw.Cells[i]
	cfg, err := experiments.ReadCellConfig(out, cell)
	if err != nil {
		return err
	}
	threads, from := cellThreads(cfg, environ)
	where, slurmJob := "", ""
	if job := getenv(environ, "SLURM_ARRAY_JOB_ID"); job != "" {
		slurmJob = job + "_" + getenv(environ, "SLURM_ARRAY_TASK_ID")
		where = fmt.Sprintf(" as Slurm task %s on %s", slurmJob, getenv(environ, "SLURMD_NODENAME"))
	}
	fmt.Fprintf(stderr, "sweep: cell %d (%s) of %s%s, %d threads (%s)\n", i, cell.Name, out, where, threads, from)
	return experiments.RunCell(ctx, cfg, cell, out, threads, slurmJob, renderers, stdout, stderr)
}

// cellThreads is how many threads a cell runs with, and why: as many as
// Slurm gave its task, else runtime.threads, else every core.
func cellThreads(cfg config.Config, environ []string) (int, string) {
	if n, err := strconv.Atoi(getenv(environ, "SLURM_CPUS_PER_TASK")); err == nil && n > 0 {
		return n, "SLURM_CPUS_PER_TASK"
	}
	if cfg.Runtime.Threads > 0 {
		return cfg.Runtime.Threads, "runtime.threads"
	}
	return runtime.NumCPU(), "every core"
}

// sweepStatus prints each cell of the sweep directory as done, running,
// failed or pending, from the run directories and from Slurm when it
// knows the cells.
func sweepStatus(ctx context.Context, stdout, stderr io.Writer, dir string) error {
	var sw results.Sweep
	if err := run.ReadJSON(filepath.Join(dir, results.SweepFile), &sw); err != nil {
		return fmt.Errorf("sweep: --status %s: %w", dir, err)
	}
	rec, err := slurm.ReadRecord(dir)
	if err != nil {
		return err
	}
	var tasks []slurm.Task
	if len(rec.Submissions) > 0 {
		if tasks, err = slurm.Queue(ctx, rec.Jobs()); err != nil {
			fmt.Fprintf(stderr, "sweep: squeue: %v\n", err)
		}
		// sacct knows the tasks that the controller has forgotten.
		var forgotten []string
		for i := range sw.Cells {
			if _, sub, ok := rec.Latest(tasks, i); !ok && sub.ArrayJob != "" && !slices.Contains(forgotten, sub.ArrayJob) {
				forgotten = append(forgotten, sub.ArrayJob)
			}
		}
		acct, err := slurm.Acct(ctx, forgotten)
		switch {
		case errors.Is(err, slurm.ErrNoAccounting):
		case err != nil:
			fmt.Fprintf(stderr, "sweep: sacct: %v\n", err)
		}
		tasks = append(tasks, acct...)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CELL\tSTATE\tNAME\tDETAIL")
	count := map[slurm.State]int{}
	for i, cell := range sw.Cells {
		p, err := experiments.InspectCell(dir, cell, nil)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		info := slurm.CellInfo{Done: p.Done, Running: p.Running, Started: p.Started, Stage: p.Stage, Error: p.Error}
		if t, _, ok := rec.Latest(tasks, i); ok {
			info.Task = &t
		}
		state, detail := info.State()
		count[state]++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i, state, cell.Name, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d cells: %d done, %d running, %d failed, %d pending\n", len(sw.Cells),
		count[slurm.CellDone], count[slurm.CellRunning], count[slurm.CellFailed], count[slurm.CellPending])
	if n := len(rec.Submissions); n > 0 {
		last := rec.Submissions[n-1]
		if t, ok := slurm.Find(tasks, last.ReportJob); ok {
			fmt.Fprintf(stdout, "report job %s: %s%s\n", last.ReportJob, t.State, parenthesised(t.Reason))
		}
	}
	return nil
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// getenv looks a variable up in environ.
func getenv(environ []string, name string) string {
	for _, kv := range slices.Backward(environ) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}
