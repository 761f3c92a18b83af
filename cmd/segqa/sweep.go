package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/segqa/segqa/experiments/orchestrate"
	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/shared/results"
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
	status := flags.String("status", "", "list each cell of the sweep directory `DIR` as done, running, failed, unfinished or pending")
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
	// Every cell is validated before any runs: the invalid ones are
	// refused, and the others run without them, unless none is valid.
	cfgs, refused, err := config.ExpandSweepCells(&sw, environ)
	if err != nil {
		return err
	}
	if len(refused) > 0 && !slices.ContainsFunc(refused, func(err error) bool { return err == nil }) {
		return fmt.Errorf("sweep cell %s: %w", sw.Cells[0].Name, refused[0])
	}
	if *out == "" {
		name := *sweepPath
		if name == "" {
			name = sw.BaseConfig
		}
		*out = filepath.Join("runs", "sweep-"+strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	}
	plan := orchestrate.Plan{Sweep: sw, Configs: cfgs, Refused: refused, Dir: *out}
	if *launcher == "slurm" {
		l, err := slurmLauncher(lset.Slurm, stdout, stderr)
		if err != nil {
			return err
		}
		return l.Launch(ctx, plan)
	}
	l := orchestrate.Local{Jobs: *jobs, Render: renderers, Stdout: stdout, Log: stderr}
	err = l.Launch(ctx, plan)
	var unfinished *orchestrate.LaunchError
	switch {
	case errors.As(err, &unfinished):
		err = sweepError{unfinished, "segqa sweep " + commandLine(args)}
		if unfinished.Stopped == nil { // the report marks the failed cells missing
			err = errors.Join(err, writeReport(stdout, *out))
		}
		return err
	case err != nil:
		return err
	}
	return writeReport(stdout, *out)
}

// sweepError is a sweep run here whose cells did not all finish, with the
// command that resumes it.
type sweepError struct {
	*orchestrate.LaunchError
	command string
}

func (e sweepError) Error() string {
	switch {
	case e.Stopped == nil && len(e.Failed) == 0: // refused cells alone
		return fmt.Sprintf("%v\nthe refused cells run once their settings are valid; the finished cells are kept", e.LaunchError)
	case e.Stopped == nil:
		return fmt.Sprintf("%v\nthe same command retries the failed cells: %s", e.LaunchError, e.command)
	case len(e.Failed) > 0:
		return fmt.Sprintf("%v\nfinished stages and epochs are kept; the same command resumes, and retries the failed cells: %s", e.LaunchError, e.command)
	}
	return fmt.Sprintf("%v\nfinished stages and epochs are kept; the same command resumes: %s", e.LaunchError, e.command)
}

// commandLine is args quoted for a POSIX shell where they need it.
func commandLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if !plainWord.MatchString(a) {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

// plainWord is a word that a shell reads back as it is.
var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./=,:@%+-]+$`)

// slurmLauncher submits to Slurm with the settings s; its tasks start in
// the working directory and run this segqa binary.
func slurmLauncher(s config.Slurm, stdout, stderr io.Writer) (orchestrate.Slurm, error) {
	wd, err := os.Getwd()
	if err != nil {
		return orchestrate.Slurm{}, fmt.Errorf("sweep: working directory: %w", err)
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return orchestrate.Slurm{}, fmt.Errorf("sweep: where is segqa itself? %w", err)
	}
	return orchestrate.Slurm{Settings: s, Workdir: wd, Segqa: exe, Stdout: stdout, Stderr: stderr}, nil
}

// sweepCell runs cell i of the sweep directory with the config saved in
// its run directory, with as many threads as Slurm gave the task.
func sweepCell(ctx context.Context, stdout, stderr io.Writer, out string, i int, environ []string) error {
	sw, err := orchestrate.ReadSweep(out)
	if err != nil {
		return fmt.Errorf("sweep: --cell %d: %w", i, err)
	}
	if i < 0 || i >= len(sw.Cells) {
		return fmt.Errorf("sweep: --cell %d: %s has cells 0 to %d", i, out, len(sw.Cells)-1)
	}
	cell := sw.Cells[i]
	cfg, err := orchestrate.ReadCellConfig(out, cell)
	if err != nil {
		return err
	}
	threads, from := cellThreads(cfg, environ)
	where, slurmJob := "", ""
	if job := getenv(environ, "SLURM_ARRAY_JOB_ID"); job != "" {
		slurmJob = job + "_" + getenv(environ, "SLURM_ARRAY_TASK_ID")
		where = fmt.Sprintf(" as Slurm task %s on %s", slurmJob, getenv(environ, "SLURMD_NODENAME"))
		// Slurm requeued the task (preemption, node failure): it resumes.
		if n, err := strconv.Atoi(getenv(environ, "SLURM_RESTART_COUNT")); err == nil && n > 0 {
			where += fmt.Sprintf(" (requeued, restart %d)", n)
		}
	}
	fmt.Fprintf(stderr, "sweep: cell %d (%s) of %s%s, %d threads (%s)\n", i, cell.Name, out, where, threads, from)
	return orchestrate.RunCell(ctx, out, cell, cfg, orchestrate.CellEnv{Threads: threads, SlurmJob: slurmJob, Render: renderers, Stdout: stdout, Log: stderr})
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
// failed, unfinished or pending, from the run directories and from Slurm
// when it knows the cells.
func sweepStatus(ctx context.Context, stdout, stderr io.Writer, dir string) error {
	sw, err := orchestrate.ReadSweep(dir)
	if err != nil {
		return fmt.Errorf("sweep: --status %s: %w", dir, err)
	}
	st, err := orchestrate.SweepStatus(ctx, dir, sw)
	if err != nil {
		return err
	}
	for _, w := range st.Warnings {
		fmt.Fprintf(stderr, "sweep: %v\n", w)
	}
	return writeStatus(stdout, st)
}

// writeStatus prints a sweep's status: a line per cell (a TensorFlow
// error of several lines on one), the count of each state, and the
// report job's state when Slurm knows it.
func writeStatus(w io.Writer, st orchestrate.Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CELL\tSTATE\tNAME\tDETAIL")
	for i, c := range st.Cells {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", i, c.State, c.Cell.Name, strings.Join(strings.Fields(c.Detail), " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d cells: %d done, %d running, %d failed, %d unfinished, %d pending\n", len(st.Cells),
		st.Count(slurm.CellDone), st.Count(slurm.CellRunning), st.Count(slurm.CellFailed), st.Count(slurm.CellUnfinished), st.Count(slurm.CellPending))
	if t := st.Report; t != nil {
		fmt.Fprintf(w, "report job %s: %s%s\n", st.ReportJob, t.State, parenthesised(t.Reason))
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
