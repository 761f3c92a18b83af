package tfrun

// #include <stdlib.h>
import "C"

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"unsafe"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"
)

// first serialises the creation of the first session, when TensorFlow
// initialises CUDA and logs its lines that are no errors.
var first struct {
	sync.Mutex
	done bool
}

// noErrors are TensorFlow's lines of the first session that are no errors:
// the CUDA build without an NVIDIA driver logs "failed call to cuInit: ...
// UNKNOWN ERROR (303)" when it is created (NoGPUReason tells the same in
// words); the first graph run logs, through absl, which does not heed
// TF_CPP_MIN_LOG_LEVEL, absl's header line and the MLIR pass's INFO line,
// each once per process.
var noErrors = [][]byte{
	[]byte("failed call to cuInit"),
	[]byte("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"),
	[]byte("MLIR V1 optimization pass is not enabled"),
}

// newSession is tf.NewSession. At TF_CPP_MIN_LOG_LEVEL 2 or more (segqa's
// default; SEGQA_TF_LOG=1 sets 0), the first session is created, and a
// graph of one op run in a session of its own, with stderr held: the lines
// of noErrors are dropped and anything else printed meanwhile is let
// through.
func newSession(g *tf.Graph, opts *tf.SessionOptions) (*tf.Session, error) {
	first.Lock()
	if first.done {
		first.Unlock()
		return tf.NewSession(g, opts)
	}
	defer first.Unlock()
	first.done = true
	lookAtCUDA()
	if !quietLogs() {
		return tf.NewSession(g, opts)
	}
	stop := captureStderr()
	sess, err := tf.NewSession(g, opts)
	if err == nil {
		runOneOp(opts)
	}
	if stop != nil {
		for _, line := range bytes.SplitAfter(stop(), []byte("\n")) {
			if len(line) > 0 && !isNoError(line) {
				os.Stderr.Write(line)
			}
		}
	}
	return sess, err
}

// runOneOp runs a graph of one constant in a session of its own, for the
// lines TensorFlow logs at a process's first run; its errors are the next
// session's to report.
func runOneOp(opts *tf.SessionOptions) {
	s := op.NewScope()
	one := op.Const(s, float32(1))
	g, err := s.Finalize()
	if err != nil {
		return
	}
	sess, err := tf.NewSession(g, opts)
	if err != nil {
		return
	}
	defer sess.Close()
	sess.Run(nil, []tf.Output{one}, nil)
}

func isNoError(line []byte) bool {
	for _, s := range noErrors {
		if bytes.Contains(line, s) {
			return true
		}
	}
	return false
}

// quietLogs reports whether TF_CPP_MIN_LOG_LEVEL hides TensorFlow's
// warnings (2 or more). It reads the variable as TensorFlow does, through
// libc: segqa sets it before Go starts when it is unset, which os.Getenv
// does not see.
func quietLogs() bool {
	name := C.CString("TF_CPP_MIN_LOG_LEVEL")
	defer C.free(unsafe.Pointer(name))
	v := C.getenv(name)
	if v == nil {
		return false
	}
	n, err := strconv.Atoi(C.GoString(v))
	return err == nil && n >= 2
}

// captureStderr sends file descriptor 2 to an anonymous file until stop
// puts it back and returns what was written; nil if that cannot be done.
func captureStderr() (stop func() []byte) {
	f, err := os.CreateTemp("", "segqa-stderr-")
	if err != nil {
		return nil
	}
	os.Remove(f.Name())
	saved, err := syscall.Dup(2)
	if err != nil {
		f.Close()
		return nil
	}
	if err := syscall.Dup3(int(f.Fd()), 2, 0); err != nil {
		syscall.Close(saved)
		f.Close()
		return nil
	}
	return func() []byte {
		syscall.Dup3(saved, 2, 0)
		syscall.Close(saved)
		defer f.Close()
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil
		}
		b, _ := io.ReadAll(f)
		return b
	}
}
