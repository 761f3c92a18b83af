package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/segqa/segqa/harness/runner"
)

// signalCause is the cause of the context that a signal cancelled.
type signalCause struct{ sig os.Signal }

func (c signalCause) Error() string { return signalName(c.sig) }

// onSignals returns a context that SIGINT or SIGTERM (what Slurm sends at
// its time limit and on preemption) cancels: the run stops at its next
// safe point (between two training steps or stages; finished epochs and
// stages are kept). A second signal exits at once. stopped returns the
// first signal, nil before one.
//
// SIGXFSZ is ignored, so that a write past the file size limit (ulimit -f)
// fails with EFBIG, which names the file, instead of killing segqa where
// it stands.
func onSignals(log io.Writer) (ctx context.Context, stopped func() os.Signal) {
	signal.Ignore(syscall.SIGXFSZ)
	ctx, cancel := context.WithCancelCause(context.Background())
	var first atomic.Value
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		first.Store(sig)
		fmt.Fprintf(log, "segqa: %s: stopping at the next safe point (a second signal stops at once)\n", signalName(sig))
		cancel(signalCause{sig})
		sig = <-sigs
		fmt.Fprintf(log, "segqa: %s again: stopping now; finished stages and epochs are kept, and the same command resumes\n", signalName(sig))
		os.Exit(signalExit(sig))
	}()
	return ctx, func() os.Signal {
		sig, _ := first.Load().(os.Signal)
		return sig
	}
}

// signalExit is the shell's exit status for a process stopped by sig:
// 130 for SIGINT, 143 for SIGTERM.
func signalExit(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// resumeLine says where a run stopped by a signal resumes.
func resumeLine(err error) string {
	var stop *runner.StoppedError
	var sweep sweepError
	switch {
	case errors.As(err, &stop), errors.As(err, &sweep):
		return err.Error()
	case err == nil:
		return "stopped after finishing"
	}
	return err.Error() + "; the same command resumes"
}
