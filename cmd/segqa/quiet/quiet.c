// libsegqa_quiet: TensorFlow logs while its shared library is being loaded,
// before any Go code runs: an INFO line ("oneDNN custom operations are on")
// unless TF_CPP_MIN_LOG_LEVEL is already set, and, in the CUDA build, three
// ERROR lines that are no errors ("Unable to register cuFFT factory:
// Attempting to register factory for plugin cuFFT when one has already been
// registered", the same for cuDNN and cuBLAS, the last two through absl with
// absl's "All log messages before absl::InitializeLog()" header; absl does
// not heed TF_CPP_MIN_LOG_LEVEL). This library's constructor sets
// TF_CPP_MIN_LOG_LEVEL (without overriding a user's value) and, while the
// level is 2 or more, sends stderr to an anonymous file until segqa's Go code
// calls segqa_quiet_release, which puts stderr back and writes to it what was
// printed meanwhile, less those known lines. Should TensorFlow abort while
// loading (LOG(FATAL), a failed CHECK), the capture is written out whole
// before the process dies.
//
// SEGQA_TF_LOG=1 (any value but 0) asks for every line TensorFlow logs: the
// constructor then sets TF_CPP_MIN_LOG_LEVEL to 0, whatever its value, and
// holds nothing back; harness/tfrun holds back the lines of the first
// session run only at level 2 or more.
//
// The Makefile builds it into .libtensorflow/quiet and links it into segqa
// and its tests after libtensorflow_cc and libtensorflow_framework:
// libraries that do not depend on one another are initialised in the
// reverse of their load order, so this constructor runs after libc's and
// before TensorFlow's.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int real_stderr = -1; // the real stderr while capturing, else -1
static FILE *capture;        // what was written to stderr meanwhile
static int capture_fd = -1;  // its descriptor, for on_abort

// copy_capture writes the whole capture to fd; async-signal-safe.
static void copy_capture(int fd) {
	char buf[4096];
	ssize_t n;
	if (lseek(capture_fd, 0, SEEK_SET) < 0)
		return;
	while ((n = read(capture_fd, buf, sizeof buf)) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, n - off);
			if (w <= 0)
				return;
			off += w;
		}
	}
}

// on_abort runs when TensorFlow aborts while it loads. Once Go's runtime
// has started it handles SIGABRT and SIGILL itself and never forwards them
// here, but should it, nothing is being captured any more.
static void on_abort(int sig) {
	if (real_stderr >= 0) {
		dup2(real_stderr, 2);
		copy_capture(2);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

__attribute__((constructor)) static void segqa_quiet_tensorflow(void) {
	const char *all = getenv("SEGQA_TF_LOG");
	if (all != NULL && all[0] != '\0' && strcmp(all, "0") != 0)
		setenv("TF_CPP_MIN_LOG_LEVEL", "0", 1); // every line TensorFlow logs
	else
		setenv("TF_CPP_MIN_LOG_LEVEL", "2", 0); // unless the user chose a level
	const char *v = getenv("TF_CPP_MIN_LOG_LEVEL");
	char *end;
	long level = strtol(v, &end, 10);
	if (end == v || *end != '\0' || level < 2)
		return; // the user asked for TensorFlow's INFO or WARNING lines
	capture = tmpfile();
	if (capture == NULL)
		return;
	capture_fd = fileno(capture);
	fflush(stderr);
	real_stderr = dup(2);
	if (real_stderr < 0 || dup2(capture_fd, 2) < 0) {
		if (real_stderr >= 0)
			close(real_stderr);
		real_stderr = -1;
		fclose(capture);
		capture = NULL;
		return;
	}
	signal(SIGABRT, on_abort);
	signal(SIGILL, on_abort);
}

// benign reports whether line is one of TensorFlow's load-time lines that
// are no errors.
static int benign(const char *line) {
	return (strstr(line, "Attempting to register factory for plugin ") != NULL &&
	        strstr(line, " when one has already been registered") != NULL) ||
	       strstr(line, "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR") != NULL;
}

// segqa_quiet_release ends the capture the constructor began: stderr is
// the real one again, and what TensorFlow wrote to it meanwhile follows,
// less the benign lines. Calling it again does nothing.
void segqa_quiet_release(void) {
	if (real_stderr < 0)
		return;
	fflush(stderr);
	int fd = real_stderr;
	dup2(fd, 2);
	real_stderr = -1; // on_abort: nothing is being captured
	close(fd);
	rewind(capture);
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, capture) > 0) {
		if (!benign(line))
			fputs(line, stderr);
	}
	free(line);
	fflush(stderr);
	fclose(capture);
	capture = NULL;
	capture_fd = -1;
}
