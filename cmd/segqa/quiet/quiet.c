// libsegqa_quiet: TensorFlow logs an INFO line ("oneDNN custom operations
// are on") while its shared library is being loaded, before any Go code
// runs, unless TF_CPP_MIN_LOG_LEVEL is already set. This library's
// constructor sets it (without overriding a user's value). The Makefile
// builds it into .libtensorflow/quiet and links it into segqa and its tests
// after libtensorflow_cc and libtensorflow_framework: libraries that do not
// depend on one another are initialised in the reverse of their load order,
// so this constructor runs after libc's and before TensorFlow's.
#include <stdlib.h>

__attribute__((constructor)) static void segqa_quiet_tensorflow(void) {
	setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0);
}
