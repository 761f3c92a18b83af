package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/segqa/segqa/experiments"
	"github.com/segqa/segqa/harness/run"
	"github.com/segqa/segqa/harness/shared/results"
)

// findStages lists the stage folders under dir, which must exist.
func findStages(cmd, dir string) ([]*run.Stage, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	stages, err := run.FindStages(dir, results.StageNames(experiments.Stages))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return stages, nil
}

// verifyCmd checks every stage folder under a run, a sweep or a store
// against its DONE record, hashes included, and fails when one differs.
func verifyCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: segqa verify RUN_SWEEP_OR_STORE") }
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("usage: segqa verify RUN_SWEEP_OR_STORE")}
	}
	dir := fs.Arg(0)
	stages, err := findStages("verify", dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tSTATE\tDETAIL")
	var ok, corrupt, unfinished int
	for _, st := range stages {
		state, detail := "ok", ""
		switch m, err := st.Verify(true); {
		case !st.Done():
			state, unfinished = "unfinished", unfinished+1
			if st.Locked() {
				detail = "running"
			}
		case errors.Is(err, run.ErrCorrupt):
			var c *run.CorruptError
			errors.As(err, &c)
			state, detail, corrupt = "corrupt", run.Rel(dir, c.File)+": "+c.Why, corrupt+1
		case err != nil:
			return fmt.Errorf("verify: %w", err)
		case m.Files == nil:
			detail, ok = "no checksums: finished by a segqa before 0.3", ok+1
		default:
			detail, ok = fmt.Sprintf("%d files", len(m.Files)), ok+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", run.Rel(dir, st.Path), state, detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d stages: %d ok, %d corrupt, %d unfinished\n", len(stages), ok, corrupt, unfinished)
	if corrupt > 0 {
		return fmt.Errorf("verify: %d corrupt stages under %s; a run that uses one runs it again", corrupt, dir)
	}
	return nil
}

// gcCmd lists, and with --delete removes, the stage folders under dir that
// no run or sweep under dir refers to; locked stages are never touched.
func gcCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("gc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	del := fs.Bool("delete", false, "remove them (default: only list them)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: segqa gc [--delete] RUN_SWEEP_OR_FOLDER")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("usage: segqa gc [--delete] RUN_SWEEP_OR_FOLDER")}
	}
	dir := fs.Arg(0)
	stages, err := findStages("gc", dir)
	if err != nil {
		return err
	}
	refs, err := gcReferences(dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tBYTES\tACTION")
	var kept, locked, unused int
	var free int64
	for _, st := range stages {
		if refs.Refers(st) {
			kept++
			continue
		}
		// The lock is held while the folder goes, so that no run starts
		// the stage meanwhile; a run that comes later runs it again.
		unlock, err := run.TryLockFile(st.Path + ".lock")
		if errors.Is(err, run.ErrLocked) {
			locked++
			fmt.Fprintf(tw, "%s\t-\tkept: locked by a running process\n", run.Rel(dir, st.Path))
			continue
		}
		if err != nil {
			return fmt.Errorf("gc: %w", err)
		}
		n, err := st.Size()
		if err == nil && *del {
			err = st.Reset()
		}
		unlock()
		if err != nil {
			return fmt.Errorf("gc: %w", err)
		}
		unused++
		free += n
		action := "unused"
		if *del {
			action = "deleted"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", run.Rel(dir, st.Path), n, action)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verb := "would free"
	if *del {
		verb = "freed"
	}
	fmt.Fprintf(stdout, "%d stages: %d referred to, %d locked, %d unused; %s %s\n", len(stages), kept, locked, unused, verb, bytesText(free))
	if !*del && unused > 0 {
		fmt.Fprintf(stdout, "segqa gc --delete %s removes them\n", dir)
	}
	return nil
}

// gcReferences are the stage keys that the runs and sweeps that own dir
// refer to: those under dir, or, when dir is a store (RUN/stages,
// SWEEP/store), those under the run or sweep that holds it. A folder with
// no run in or above it is an error: every stage would look unused.
func gcReferences(dir string) (run.References, error) {
	root := dir
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		parent := filepath.Dir(filepath.Clean(dir))
		for _, owner := range []string{"manifest.json", results.SweepFile} {
			if _, err := os.Stat(filepath.Join(parent, owner)); err == nil {
				root = parent
			}
		}
	}
	refs, err := run.FindReferences(root, results.StageNames(experiments.Stages))
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("gc: no run or sweep in %s or above it refers to any stage (no manifest.json); give the run or sweep directory, or a folder of them", dir)
	}
	return refs, nil
}

// bytesText is n bytes in the largest unit that keeps it above 1.
func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, suffix := float64(n), "B"
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return fmt.Sprintf("%.1f %s", f, suffix)
}
