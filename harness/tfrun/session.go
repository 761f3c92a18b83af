package tfrun

import (
	"errors"
	"fmt"
	"strings"

	tf "github.com/wamuir/graft/tensorflow"
	configpb "github.com/wamuir/graft/tensorflow/core/protobuf/for_core_protos_go_proto"
	"github.com/wamuir/graft/tensorflow/op"
	"google.golang.org/protobuf/proto"

	"github.com/segqa/segqa/harness/config"
)

// ErrNoGPU is returned when runtime.device is gpu but the library sees none.
var ErrNoGPU = errors.New("tfrun: runtime.device is gpu but this libtensorflow sees no GPU")

// Options configure a session. The zero value uses TensorFlow's defaults
// for threads and any device.
type Options struct {
	// Threads sets both intra-op and inter-op parallelism (0: TensorFlow's choice).
	Threads int
	// Device is auto, cpu or gpu; cpu hides every GPU from the session.
	Device config.Device
}

// NewSession opens a session on g configured by o.
func NewSession(g *tf.Graph, o Options) (*tf.Session, error) {
	cfg := &configpb.ConfigProto{
		IntraOpParallelismThreads: int32(o.Threads),
		InterOpParallelismThreads: int32(min(o.Threads, 2)),
		AllowSoftPlacement:        true,
	}
	if o.Device == config.DeviceCPU {
		cfg.DeviceCount = map[string]int32{"GPU": 0}
	}
	raw, err := proto.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("tfrun: encode session config: %w", err)
	}
	sess, err := tf.NewSession(g, &tf.SessionOptions{Config: raw})
	if err != nil {
		return nil, fmt.Errorf("tfrun: new session: %w", err)
	}
	if o.Device == config.DeviceGPU {
		devs, err := sess.ListDevices()
		if err != nil || !hasGPU(devs) {
			sess.Close()
			return nil, ErrNoGPU
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
