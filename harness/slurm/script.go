package slurm

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/segqa/segqa/harness/config"
)

// Job is what the batch scripts run: where and with which segqa.
type Job struct {
	Sweep   string // the sweep directory, absolute
	Workdir string // where the tasks start (segqa sweep's working directory), absolute
	Segqa   string // the segqa binary, absolute
}

// Paths in a sweep directory.
func Dir(sweep string) string          { return filepath.Join(sweep, "slurm") }
func LogDir(sweep string) string       { return filepath.Join(Dir(sweep), "logs") }
func CellsScript(sweep string) string  { return filepath.Join(Dir(sweep), "cells.sbatch") }
func ReportScript(sweep string) string { return filepath.Join(Dir(sweep), "report.sbatch") }

// JobName is the Slurm job name of a sweep's cells: segqa-NAME, NAME the
// sweep directory's base name with anything but letters, digits and
// _ . + - replaced by _.
func JobName(sweep string) string {
	return "segqa-" + regexp.MustCompile(`[^A-Za-z0-9_.+-]`).ReplaceAllString(filepath.Base(sweep), "_")
}

// unsafePath matches what an #SBATCH line cannot hold.
var unsafePath = regexp.MustCompile(`[\s"'\\#%$` + "`" + `]`)

func (j Job) check() error {
	for _, p := range []struct{ what, path string }{{"sweep directory", j.Sweep}, {"working directory", j.Workdir}, {"segqa binary", j.Segqa}} {
		if !filepath.IsAbs(p.path) {
			return fmt.Errorf("slurm: %s %q is not an absolute path", p.what, p.path)
		}
		if unsafePath.MatchString(p.path) {
			return fmt.Errorf("slurm: %s %q holds a space, quote, #, %%, $ or backslash, which #SBATCH lines cannot hold; use a path without", p.what, p.path)
		}
	}
	return nil
}

// header writes the #SBATCH lines that both scripts share.
func header(b *bytes.Buffer, s config.Slurm, name string) {
	fmt.Fprintf(b, "#SBATCH --job-name=%s\n", name)
	if s.Partition != "" {
		fmt.Fprintf(b, "#SBATCH --partition=%s\n", s.Partition)
	}
	if s.Account != "" {
		fmt.Fprintf(b, "#SBATCH --account=%s\n", s.Account)
	}
	if s.Time != "" {
		fmt.Fprintf(b, "#SBATCH --time=%s\n", s.Time)
	}
	if s.Mem != "" {
		fmt.Fprintf(b, "#SBATCH --mem=%s\n", s.Mem)
	}
}

// Cells renders the array script: task I runs cell I of the sweep.
// Submit it with sbatch --array=ArraySpec(...).
func Cells(s config.Slurm, j Job) ([]byte, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "# The cells of the segqa sweep in\n#   %s\n", j.Sweep)
	b.WriteString("# one array task per cell: task I runs cell I of its sweep.json. Written by\n")
	b.WriteString("# segqa sweep --launcher slurm, which submits it with sbatch --array set to\n")
	b.WriteString("# the cells that are neither done nor queued or running.\n")
	header(&b, s, JobName(j.Sweep))
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", s.CPUsPerTask)
	if s.GPUs > 0 {
		fmt.Fprintf(&b, "#SBATCH --gres=gpu:%d\n", s.GPUs)
	}
	fmt.Fprintf(&b, "#SBATCH --chdir=%s\n", j.Workdir)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(LogDir(j.Sweep), "cell-%a-job-%A.out"))
	b.WriteString("#SBATCH --open-mode=append\n") // a requeued task adds to its log
	// A cell resumes wherever it stopped, so a task that is preempted or
	// whose node fails may start again, whatever the cluster's JobRequeue.
	b.WriteString("#SBATCH --requeue\n")
	for _, opt := range s.ExtraSbatch {
		fmt.Fprintf(&b, "#SBATCH %s\n", opt)
	}
	b.WriteString("set -euo pipefail\n")
	b.WriteString("# Threads follow SLURM_CPUS_PER_TASK. A task stopped by Slurm resumes from\n")
	b.WriteString("# its cell's last finished stage and epoch: requeued (preemption, node\n")
	b.WriteString("# failure) or resubmitted (time limit, scancel). A cell that fails exits 1.\n")
	fmt.Fprintf(&b, "exec %s sweep --out %s --cell \"$SLURM_ARRAY_TASK_ID\"\n", quote(j.Segqa), quote(j.Sweep))
	return b.Bytes(), nil
}

// Report renders the report job's script: segqa report on the sweep, on
// one CPU and no GPU. Submit it with sbatch --dependency=afterany:ARRAY:
// it reports whatever the cells' end, marking those that did not finish
// as missing, as a sweep run here does.
func Report(s config.Slurm, j Job) ([]byte, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "# The report of the segqa sweep in\n#   %s\n", j.Sweep)
	b.WriteString("# once its cells have ended, whether they finished or not: the report marks\n")
	b.WriteString("# those that did not as missing. Written by segqa sweep --launcher slurm,\n")
	b.WriteString("# which submits it with sbatch --dependency=afterany:ARRAY_JOB.\n")
	header(&b, s, JobName(j.Sweep)+"-report")
	b.WriteString("#SBATCH --cpus-per-task=1\n")
	fmt.Fprintf(&b, "#SBATCH --chdir=%s\n", j.Workdir)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(LogDir(j.Sweep), "report-job-%j.out"))
	for _, opt := range s.ExtraSbatch {
		fmt.Fprintf(&b, "#SBATCH %s\n", opt)
	}
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "%s sweep --status %s\n", quote(j.Segqa), quote(j.Sweep))
	fmt.Fprintf(&b, "exec %s report %s\n", quote(j.Segqa), quote(j.Sweep))
	return b.Bytes(), nil
}

// quote quotes s for bash when it needs it.
func quote(s string) string {
	if regexp.MustCompile(`^[A-Za-z0-9_./=:,+-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ArraySpec is sbatch's --array value for the cell indices: runs of
// consecutive indices as ranges ("0-3,7,9-10"), with "%N" when at most
// maxParallel tasks may run at once (0: no cap).
func ArraySpec(indices []int, maxParallel int) string {
	idx := slices.Clone(indices)
	slices.Sort(idx)
	idx = slices.Compact(idx)
	var parts []string
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(idx[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", idx[i], idx[j]))
		}
		i = j + 1
	}
	spec := strings.Join(parts, ",")
	if maxParallel > 0 {
		spec += "%" + strconv.Itoa(maxParallel)
	}
	return spec
}

// ParseArraySpec lists the indices of an --array value or of the bracketed
// part of an array job id as Slurm prints it ("0-3,7", "[2-5%2]",
// "1-7:2").
func ParseArraySpec(spec string) ([]int, error) {
	s := strings.TrimSuffix(strings.TrimPrefix(spec, "["), "]")
	s, _, _ = strings.Cut(s, "%")
	var out []int
	for _, part := range strings.Split(s, ",") {
		rng, stepText, hasStep := strings.Cut(part, ":")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("array %q: bad step %q", spec, stepText)
			}
			step = n
		}
		loText, hiText, isRange := strings.Cut(rng, "-")
		lo, err := strconv.Atoi(loText)
		if err != nil || lo < 0 {
			return nil, fmt.Errorf("array %q: bad index %q", spec, loText)
		}
		hi := lo
		if isRange {
			if hi, err = strconv.Atoi(hiText); err != nil || hi < lo {
				return nil, fmt.Errorf("array %q: bad range %q", spec, rng)
			}
		}
		if hi-lo > 1<<20 {
			return nil, fmt.Errorf("array %q: range %q is too large", spec, rng)
		}
		for i := lo; i <= hi; i += step {
			out = append(out, i)
		}
	}
	return out, nil
}
