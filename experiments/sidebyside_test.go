package experiments

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segqa/segqa/harness/config"
	"github.com/segqa/segqa/harness/tfrun"
)

func sideBySidePipeline(threads, sideBySide int) *worker {
	var cfg config.Config
	cfg.Runtime.SideBySide = sideBySide
	return newWorker(nil, Env{Session: tfrun.Options{Threads: threads, Device: config.DeviceCPU}}, cfg)
}

func TestLanes(t *testing.T) {
	for _, c := range []struct{ threads, sideBySide, jobs, want int }{
		{2, 0, 4, 2}, // auto: 2 on 2 threads
		{8, 0, 4, 2},
		{1, 0, 4, 1}, // one thread: one at a time
		{2, 0, 1, 1}, // one job
		{2, 1, 4, 1},
		{8, 4, 4, 4},
		{8, 4, 3, 3},
		{2, 4, 4, 2}, // never more lanes than threads
	} {
		if got := sideBySidePipeline(c.threads, c.sideBySide).lanes(c.jobs); got != c.want {
			t.Errorf("threads %d, side_by_side %d, %d jobs: %d lanes, want %d", c.threads, c.sideBySide, c.jobs, got, c.want)
		}
	}
	gpu := sideBySidePipeline(8, 0)
	gpu.gpu = true
	if got := gpu.lanes(4); got != 1 {
		t.Errorf("on a GPU: %d lanes, want 1", got)
	}
}

// TestSideBySideRunsJobsTogether: two jobs that each wait for the other
// finish only when they run at the same time, each on half the threads.
func TestSideBySideRunsJobsTogether(t *testing.T) {
	p := sideBySidePipeline(4, 2)
	arrived := make(chan int, 2)
	release := make(chan struct{})
	go func() {
		<-arrived
		<-arrived
		close(release)
	}()
	err := p.sideBySide(context.Background(), 2, func(ctx context.Context, q *worker, i int) error {
		if q == p || q.session.Threads != 2 {
			t.Errorf("job %d: its own pipeline with 2 threads expected, got the shared one (%v) with %d", i, q == p, q.session.Threads)
		}
		arrived <- i
		select {
		case <-release:
			return nil
		case <-time.After(30 * time.Second):
			return errors.New("the other job never ran alongside")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.session.Threads != 4 {
		t.Errorf("the caller's pipeline changed: %d threads", p.session.Threads)
	}
}

// TestSideBySideStopsAtTheFirstError: a failing job's error is returned,
// the job running beside it is cancelled and later jobs never start.
func TestSideBySideStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	err := sideBySidePipeline(2, 2).sideBySide(context.Background(), 6, func(ctx context.Context, q *worker, i int) error {
		started.Add(1)
		if i == 0 {
			return boom
		}
		<-ctx.Done()
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
	if n := started.Load(); n > 3 {
		t.Errorf("%d of 6 jobs started after the first failed, want at most 3", n)
	}
}

// TestOneLaneRunsInOrderOnThePipeline: with one lane the jobs run one
// after the other, in order, on the caller's pipeline.
func TestOneLaneRunsInOrderOnThePipeline(t *testing.T) {
	p := sideBySidePipeline(2, 1)
	var order []int
	err := p.sideBySide(context.Background(), 3, func(ctx context.Context, q *worker, i int) error {
		if q != p {
			t.Errorf("job %d: a copy of the pipeline, want the pipeline itself", i)
		}
		order = append(order, i)
		return nil
	})
	if err != nil || len(order) != 3 || order[0] != 0 || order[2] != 2 {
		t.Errorf("order %v, error %v", order, err)
	}
}
