package tfrun_test

import (
	"errors"
	"strings"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"

	"github.com/segqa/segqa/harness/tfrun"
)

// TestGPUDeviceWithoutAGPUFailsAtOnce: where the library sees no GPU,
// runtime.device gpu fails when the session opens, saying why, and auto
// runs on the CPU.
func TestGPUDeviceWithoutAGPUFailsAtOnce(t *testing.T) {
	devs, err := tfrun.Devices(tfrun.Options{Device: "auto"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if strings.HasPrefix(d, "GPU:") {
			t.Skipf("this machine has a GPU: %v", devs)
		}
	}
	if len(devs) == 0 || !strings.HasPrefix(devs[0], "CPU:") {
		t.Errorf("runtime.device auto: devices %v, want the CPU", devs)
	}
	sess, err := tfrun.NewSession(tf.NewGraph(), tfrun.Options{Device: "gpu"})
	if err == nil {
		sess.Close()
		t.Fatal("runtime.device gpu opened a session without a GPU")
	}
	if !errors.Is(err, tfrun.ErrNoGPU) || !strings.HasSuffix(err.Error(), ": "+tfrun.NoGPUReason()) {
		t.Errorf("runtime.device gpu without a GPU: %v; want ErrNoGPU and the reason %q", err, tfrun.NoGPUReason())
	}
}
