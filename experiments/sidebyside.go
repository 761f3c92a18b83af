package experiments

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/segqa/segqa/harness/config"
)

// lanes is how many of n independent networks train side by side
// (runtime.side_by_side; 0: 2 on a CPU with 2 threads or more).
func (p *pipeline) lanes(n int) int {
	threads := p.env.Session.Threads
	lanes := p.cfg.Runtime.SideBySide
	if lanes == 0 {
		lanes = 1
		if threads >= 2 && !p.onGPU() {
			lanes = 2
		}
	}
	return max(1, min(lanes, n, max(threads, 1)))
}

// onGPU says whether the sessions may run on a GPU, where side by side
// gains nothing.
func (p *pipeline) onGPU() bool {
	switch p.env.Session.Device {
	case config.DeviceGPU:
		return true
	case config.DeviceCPU:
		return false
	}
	if p.env.Manifest == nil {
		return false
	}
	for _, d := range p.env.Manifest.Devices {
		if strings.HasPrefix(d, "GPU") {
			return true
		}
	}
	return false
}

// sideBySide runs job(ctx, q, i) for every i in [0, n), p.lanes(n) at a
// time, in order of i. With more than one lane each job gets its own copy q
// of p whose sessions have an equal share of the threads and whose
// messages and progress lines go through one lock; with one lane q is p.
// The first error cancels the jobs still running and is returned.
func (p *pipeline) sideBySide(ctx context.Context, n int, job func(ctx context.Context, q *pipeline, i int) error) error {
	lanes := p.lanes(n)
	if lanes == 1 {
		for i := range n {
			if err := job(ctx, p, i); err != nil {
				return err
			}
		}
		return nil
	}
	shared := *p
	shared.env.Session.Threads = max(1, p.env.Session.Threads/lanes)
	shared.env.Log = &lockedWriter{w: p.env.Log}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		free  = make(chan struct{}, lanes)
	)
	for i := range n {
		select {
		case free <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-free }()
			q := shared
			if err := job(ctx, &q, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// lockedWriter serialises the writes of jobs side by side. It is no
// terminal, so progress bars write whole lines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}
