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
	"sync"
	"unsafe"
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
