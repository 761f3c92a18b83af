package tfrun

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

// segqa_has_symbol reports whether a loaded library defines name.
static int segqa_has_symbol(const char *name) { return dlsym(RTLD_DEFAULT, name) != NULL; }

// segqa_dlopen_error is NULL when the library name loads, else dlerror().
static const char *segqa_dlopen_error(const char *name) {
	void *h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
	if (h != NULL) {
		dlclose(h);
		return NULL;
	}
	return dlerror();
}
*/
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
)

// cuda is what the loaded libtensorflow can do with a GPU, looked at once.
var cuda struct {
	once  sync.Once
	build bool   // the library is TensorFlow's CUDA build
	noDrv string // why the NVIDIA driver (libcuda.so.1) does not load; empty when it does
}

func lookAtCUDA() {
	cuda.once.Do(func() {
		name := C.CString("cuInit") // the CUDA build carries a stub of the driver API
		defer C.free(unsafe.Pointer(name))
		cuda.build = C.segqa_has_symbol(name) != 0
		if !cuda.build {
			return
		}
		lib := C.CString("libcuda.so.1")
		defer C.free(unsafe.Pointer(lib))
		if e := C.segqa_dlopen_error(lib); e != nil {
			cuda.noDrv = C.GoString(e)
		}
	})
}

// NoGPUReason says in a few words why a session sees no GPU: the library is
// the CPU build, or there is no NVIDIA driver, or TensorFlow skipped the
// GPUs for a reason it logs as a warning.
func NoGPUReason() string {
	lookAtCUDA()
	switch {
	case !cuda.build:
		return "this libtensorflow is the CPU build (make setup TF_VARIANT=gpu fetches the CUDA one)"
	case cuda.noDrv != "":
		return "no NVIDIA driver: " + cuda.noDrv
	}
	return "the NVIDIA driver loads but TensorFlow registered no GPU: see its errors above, and its warnings " +
		"with TF_CPP_MIN_LOG_LEVEL=1 (CUDA 12 or cuDNN 9 libraries missing, a GPU below compute capability 6.0)"
}

// first serialises the creation of the first session, when TensorFlow
// initialises CUDA.
var first struct {
	sync.Mutex
	done bool
}

// newSession is tf.NewSession. The CUDA build without an NVIDIA driver logs
// "failed call to cuInit: ... UNKNOWN ERROR (303)" once, when the first
// session is created; at TF_CPP_MIN_LOG_LEVEL 2 or more that line is held
// back (NoGPUReason tells the same in words) and anything else printed then
// is let through. With a driver nothing is held back.
func newSession(g *tf.Graph, opts *tf.SessionOptions) (*tf.Session, error) {
	first.Lock()
	if first.done {
		first.Unlock()
		return tf.NewSession(g, opts)
	}
	defer first.Unlock()
	first.done = true
	lookAtCUDA()
	if !cuda.build || cuda.noDrv == "" || !quietLogs() {
		return tf.NewSession(g, opts)
	}
	stop := captureStderr()
	sess, err := tf.NewSession(g, opts)
	if stop != nil {
		for _, line := range bytes.SplitAfter(stop(), []byte("\n")) {
			if len(line) > 0 && !bytes.Contains(line, []byte("failed call to cuInit")) {
				os.Stderr.Write(line)
			}
		}
	}
	return sess, err
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
