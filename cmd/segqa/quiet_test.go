package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/harness/tfrun"
)

// sessionHelper names the variable under which this test binary, run again
// by TestNoTensorFlowLogLinesMidRun, runs a small graph and exits.
const sessionHelper = "SEGQA_TEST_SESSION_HELPER"

// TestSessionHelper runs a graph in a session, as a stage does, when this
// test binary is run again with sessionHelper set; otherwise it does
// nothing.
func TestSessionHelper(t *testing.T) {
	if os.Getenv(sessionHelper) == "" {
		t.Skip("runs only as TestNoTensorFlowLogLinesMidRun's child")
	}
	s := op.NewScope()
	x := op.Placeholder(s, tf.Float)
	y := op.MatMul(s, x, x)
	sess, err := tfrun.Open(s, tfrun.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	in, err := tf.NewTensor([][]float32{{1, 2}, {3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Run(map[tf.Output]*tf.Tensor{x: in}, []tf.Output{y}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestNoTensorFlowLogLinesMidRun runs a session in a child process, as
// the first stage of a run does: TensorFlow's lines of the first run (absl's
// "All log messages before absl::InitializeLog()" and the MLIR pass's)
// reach stderr only with SEGQA_TF_LOG=1.
func TestNoTensorFlowLogLinesMidRun(t *testing.T) {
	child := func(env ...string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSessionHelper$")
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "TF_CPP_MIN_LOG_LEVEL=") && !strings.HasPrefix(kv, "SEGQA_TF_LOG=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, append(env, sessionHelper+"=1")...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", env, err, stderr.String())
		}
		return stderr.String()
	}
	if got := child(); got != "" {
		t.Errorf("a session printed on stderr:\n%s", got)
	}
	if got := child("SEGQA_TF_LOG=1"); !strings.Contains(got, "mlir_graph_optimization_pass") {
		t.Errorf("with SEGQA_TF_LOG=1, TensorFlow's lines are missing; stderr:\n%s", got)
	}
}
