package tfrun_test

import (
	"os"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/tfrun"
)

// osThreads counts this process's threads.
func osThreads(t *testing.T) int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("cannot count threads: %v", err)
	}
	return len(tasks)
}

// TestSessionsHaveThreadPoolsOfTheirOwn opens sessions one after the other
// with different thread counts: each must start the threads it asks for.
// With TensorFlow's default, one pool shared by the process, sized by the
// first session, the later sessions start none, and sessions meant to run
// side by side on a core each take turns on one thread.
func TestSessionsHaveThreadPoolsOfTheirOwn(t *testing.T) {
	open := func(threads int) *tf.Session {
		s := op.NewScope()
		op.Const(s, float32(1))
		sess, err := tfrun.Open(s, tfrun.Options{Threads: threads, Device: "cpu"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sess.Close() })
		return sess
	}
	open(1)
	for _, threads := range []int{3, 5} {
		before := osThreads(t)
		open(threads)
		if grown := osThreads(t) - before; grown < threads {
			t.Errorf("a session asking for %d threads after others started %d threads, want at least %d", threads, grown, threads)
		}
	}
}
