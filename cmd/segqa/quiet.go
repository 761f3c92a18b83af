package main

// segqa links libsegqa_quiet (quiet/quiet.c, built by the Makefile), whose
// constructor sets TF_CPP_MIN_LOG_LEVEL before TensorFlow initialises, so
// that no TensorFlow INFO line reaches segqa's output, and holds what
// TensorFlow prints while it loads until init below lets through all but
// the lines known to be no errors. It must come after both TensorFlow
// libraries among the needed libraries: libraries that do not depend on one
// another are initialised in the reverse of their load order.

// #cgo LDFLAGS: -Wl,--no-as-needed -ltensorflow -ltensorflow_framework -lsegqa_quiet -Wl,--as-needed
// void segqa_quiet_release(void);
import "C"

func init() { C.segqa_quiet_release() }
