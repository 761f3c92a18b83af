package slurm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNoSlurm is wrapped when a Slurm command is not installed.
var ErrNoSlurm = errors.New("slurm: command not found; is this a Slurm login node?")

// ErrNoAccounting is wrapped when sacct answers that the cluster keeps no
// accounting (no slurmdbd).
var ErrNoAccounting = errors.New("slurm: accounting storage is disabled")

// command runs a Slurm command and returns what it printed, or an error
// with its message.
func command(ctx context.Context, name string, args ...string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, ErrNoSlurm)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		return stdout.String(), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, msg)
	}
	return stdout.String(), nil
}

// Submit submits a batch script with sbatch --parsable and the given
// options and returns the job id.
func Submit(ctx context.Context, script string, options ...string) (string, error) {
	out, err := command(ctx, "sbatch", append(append([]string{"--parsable"}, options...), script)...)
	if err != nil {
		return "", err
	}
	return ParseSubmit(out)
}

// Queue asks squeue about the jobs, every array task on its own, including
// those that ended recently (the controller keeps them for MinJobAge). Jobs
// the controller no longer knows are left out.
func Queue(ctx context.Context, jobs []string) ([]Task, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	out, err := command(ctx, "squeue", "--noheader", "--array", "--states=all",
		"--jobs="+strings.Join(jobs, ","), "--format="+QueueFormat)
	if err != nil {
		// squeue fails when none of the jobs is known any more.
		if strings.Contains(err.Error(), "Invalid job id") {
			return nil, nil
		}
		return nil, err
	}
	return ParseQueue(out)
}

// Acct asks sacct about the jobs, which it knows long after they ended
// when the cluster keeps accounting; otherwise the error wraps
// ErrNoAccounting.
func Acct(ctx context.Context, jobs []string) ([]Task, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	out, err := command(ctx, "sacct", "--noheader", "--parsable2", "--allocations",
		"--jobs="+strings.Join(jobs, ","), "--format="+AcctFormat)
	if err != nil {
		if strings.Contains(err.Error(), "accounting storage is disabled") {
			return nil, ErrNoAccounting
		}
		return nil, err
	}
	return ParseAcct(out)
}

// Cancel cancels jobs or array tasks (JOB or JOB_INDEX) with scancel.
func Cancel(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := command(ctx, "scancel", ids...)
	return err
}
