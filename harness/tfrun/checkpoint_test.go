package tfrun_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// TestPythonReadsCheckpoints saves a model and reads it back with Python
// TensorFlow's tf.train.load_checkpoint. It runs where a Python with
// TensorFlow is found (SEGQA_PYTHON, else python3) and skips elsewhere.
func TestPythonReadsCheckpoints(t *testing.T) {
	py := os.Getenv("SEGQA_PYTHON")
	if py == "" {
		py = "python3"
	}
	if err := exec.Command(py, "-c", "import tensorflow").Run(); err != nil {
		t.Skipf("%s has no tensorflow: %v", py, err)
	}
	s := op.NewScope()
	m := graphs.Reconstructor(s, graphs.UNetSpec{Depth: 1, Filters: 2, Out: 1}, 8, 3, graphs.Adam{})
	g, err := s.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := tfrun.NewSession(g, tfrun.Options{Threads: 1, Device: "cpu"})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := tfrun.Save(sess, m.Saver, dir, nil); err != nil {
		t.Fatal(err)
	}
	v := m.Net.Variables()[0]
	out, err := sess.Run(nil, []tf.Output{v.Value}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := tfrun.Floats(out[0])
	script := "import sys, tensorflow as tf\n" +
		"r = tf.train.load_checkpoint(sys.argv[1])\n" +
		"print(len(r.get_variable_to_shape_map()))\n" +
		"print(' '.join(repr(float(x)) for x in r.get_tensor(sys.argv[2]).ravel()))\n"
	cmd := exec.Command(py, "-c", script, filepath.Join(dir, tfrun.CheckpointPrefix), v.Name)
	cmd.Env = append(os.Environ(), "TF_CPP_MIN_LOG_LEVEL=3")
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if n, _ := strconv.Atoi(lines[0]); n != len(m.Net.Variables()) {
		t.Errorf("python sees %s variables, want %d", lines[0], len(m.Net.Variables()))
	}
	got := strings.Fields(lines[len(lines)-1])
	if len(got) != len(want) {
		t.Fatalf("python read %d values of %s, want %d", len(got), v.Name, len(want))
	}
	for i := range want {
		if f, _ := strconv.ParseFloat(got[i], 64); float32(f) != want[i] {
			t.Errorf("%s[%d]: python %s, Go %v", v.Name, i, got[i], want[i])
		}
	}
}
