package tfrun

import (
	"errors"
	"fmt"
	"os"
	"strings"

	tf "github.com/wamuir/graft/tensorflow"
	configpb "github.com/wamuir/graft/tensorflow/core/protobuf/for_core_protos_go_proto"
	"github.com/wamuir/graft/tensorflow/op"
	"google.golang.org/protobuf/proto"

	"github.com/segqa/segqa/harness/config"
)

// ErrNoGPU is returned (wrapped, with NoGPUReason) when runtime.device is
// gpu but the library sees none.
var ErrNoGPU = errors.New("tfrun: runtime.device is gpu but this libtensorflow sees no GPU")

// Options configure a session. The zero value uses TensorFlow's defaults
// for threads and any device.
type Options struct {
	// Threads sets both intra-op and inter-op parallelism (0: TensorFlow's choice).
	Threads int
	// Device is auto, cpu or gpu; cpu hides every GPU from the session.
	Device config.Device
}

// Every session has thread pools of its own. TensorFlow's default shares
// one intra-op pool and one inter-op pool among all the sessions of a
// process, sized by whichever session was created first: sessions meant to
// run side by side on a core each (the cells of `segqa sweep --jobs 2`) then
// took turns on a single thread, and a later session's Threads was ignored.
// The intra-op pool is shared unless TF_OVERRIDE_GLOBAL_THREADPOOL is set
// before the first session creates its devices; the inter-op pool follows
// ConfigProto.use_per_session_threads.
func init() {
	if _, set := os.LookupEnv(overrideThreadPool); !set {
		os.Setenv(overrideThreadPool, "1")
	}
}

const overrideThreadPool = "TF_OVERRIDE_GLOBAL_THREADPOOL"

// NewSession opens a session on g configured by o, with thread pools of
// its own, after the rewrite of ReluGradsReadOutputs.
func NewSession(g *tf.Graph, o Options) (*tf.Session, error) {
	cfg := &configpb.ConfigProto{
		IntraOpParallelismThreads: int32(o.Threads),
		InterOpParallelismThreads: int32(min(o.Threads, 2)),
		UsePerSessionThreads:      true,
		AllowSoftPlacement:        true,
	}
	if o.Device == config.DeviceCPU {
		cfg.DeviceCount = map[string]int32{"GPU": 0}
	}
	raw, err := proto.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("tfrun: encode session config: %w", err)
	}
	if _, err := ReluGradsReadOutputs(g); err != nil {
		return nil, err
	}
	sess, err := newSession(g, &tf.SessionOptions{Config: raw})
	if err != nil {
		return nil, fmt.Errorf("tfrun: new session: %w", err)
	}
	if o.Device == config.DeviceGPU {
		devs, err := sess.ListDevices()
		if err != nil || !hasGPU(devs) {
			sess.Close()
			return nil, fmt.Errorf("%w: %s", ErrNoGPU, NoGPUReason())
		}
	}
	return sess, nil
}

func hasGPU(devs []tf.Device) bool {
	for _, d := range devs {
		if strings.EqualFold(d.Type, "GPU") {
			return true
		}
	}
	return false
}

// Devices lists the devices a session with options o sees, as "CPU:0" or
// "GPU:0 (memory MiB)".
func Devices(o Options) ([]string, error) {
	g := tf.NewGraph()
	sess, err := NewSession(g, o)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	devs, err := sess.ListDevices()
	if err != nil {
		return nil, fmt.Errorf("tfrun: list devices: %w", err)
	}
	out := make([]string, len(devs))
	for i, d := range devs {
		name := d.Name[strings.LastIndex(d.Name, "device:")+len("device:"):]
		out[i] = fmt.Sprintf("%s (%d MiB)", name, d.MemoryLimitBytes>>20)
	}
	return out, nil
}

// Version is the version string of the loaded libtensorflow.
func Version() string { return tf.Version() }

// Open finalises the graph of s and opens a session on it.
func Open(s *op.Scope, o Options) (*tf.Session, error) {
	g, err := s.Finalize()
	if err != nil {
		return nil, fmt.Errorf("tfrun: build graph: %w", err)
	}
	return NewSession(g, o)
}

// NativeBFloat16 reports whether this CPU computes in bfloat16 natively
// (the avx512_bf16 or amx_bf16 flag in /proc/cpuinfo), and why not.
func NativeBFloat16() (ok bool, why string) {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false, "cannot read /proc/cpuinfo: " + err.Error()
	}
	return hasBF16Flag(string(raw))
}

// hasBF16Flag reads the flags line of a /proc/cpuinfo.
func hasBF16Flag(cpuinfo string) (ok bool, why string) {
	for _, line := range strings.Split(cpuinfo, "\n") {
		if !strings.HasPrefix(line, "flags") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if f == "avx512_bf16" || f == "amx_bf16" {
				return true, ""
			}
		}
		return false, "this CPU has neither avx512_bf16 nor amx_bf16"
	}
	return false, "/proc/cpuinfo lists no CPU flags"
}

// Precision is the precision a run asking for p computes in: bfloat16 only
// on a CPU that has it natively (emulated, it is slower than float32), or
// on a GPU. note explains a fallback in one line, empty otherwise. auto is
// bfloat16 where the CPU has it natively and no GPU may be used, else
// float32, and never has a note.
func Precision(p config.Precision, o Options) (used config.Precision, note string) {
	return precision(p, o, NativeBFloat16, mayUseGPU)
}

func precision(p config.Precision, o Options, native func() (bool, string), gpu func(Options) bool) (config.Precision, string) {
	switch {
	case p == config.PrecisionAuto:
		if ok, _ := native(); ok && !gpu(o) {
			return config.BFloat16, ""
		}
		return config.Float32, ""
	case p != config.BFloat16 || o.Device == config.DeviceGPU:
		return p, ""
	}
	if ok, why := native(); !ok {
		return config.Float32, "precision: bfloat16 falls back to float32: " + why
	}
	return p, ""
}

// mayUseGPU reports whether sessions with options o may run on a GPU: they
// must (device gpu), or they may (device auto) and this libtensorflow is
// the CUDA build with a driver that loads.
func mayUseGPU(o Options) bool {
	if o.Device == config.DeviceGPU {
		return true
	}
	lookAtCUDA()
	return o.Device != config.DeviceCPU && cuda.build && cuda.noDrv == ""
}
