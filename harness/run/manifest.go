package run

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Version is segqa's version.
const Version = "0.2.0"

// StageTiming is one stage's entry in the manifest.
type StageTiming struct {
	Key     string  `json:"key"`
	Seconds float64 `json:"seconds"`
	Skipped bool    `json:"skipped"` // finished by an earlier invocation
}

// Manifest records what a run needs to be reproduced and compared.
type Manifest struct {
	Segqa      string   `json:"segqa"`
	TensorFlow string   `json:"tensorflow"`
	Go         string   `json:"go"`
	GitRev     string   `json:"git_revision"`
	Seed       uint64   `json:"seed"`
	Host       string   `json:"host"`
	OS         string   `json:"os"`
	CPUs       int      `json:"cpus"`
	Threads    int      `json:"threads"`
	Device     string   `json:"device"`
	Devices    []string `json:"devices"`
	// Precision is what the networks computed in (runtime.precision, or
	// float32 where the CPU has no native bfloat16).
	Precision string                 `json:"precision,omitempty"`
	Started   time.Time              `json:"started"`
	Updated   time.Time              `json:"updated"`
	Stages    map[string]StageTiming `json:"stages"`
	Order     []string               `json:"stage_order"`
	// Keys are the keys of every stage the run selected, recorded as it
	// starts: the stage folders it refers to, even before it reaches them
	// (segqa gc keeps them).
	Keys map[string]string `json:"stage_keys,omitempty"`

	mu   sync.Mutex
	path string
}

// NewManifest describes this process; it is saved at path by Record.
func NewManifest(path, tfVersion string, seed uint64, threads int, device string, devices []string) *Manifest {
	host, _ := os.Hostname()
	return &Manifest{
		Segqa: Version, TensorFlow: tfVersion, Go: runtime.Version(), GitRev: gitRevision(),
		Seed: seed, Host: host, OS: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU(),
		Threads: threads, Device: device, Devices: devices,
		Started: time.Now().UTC(), Stages: map[string]StageTiming{}, path: path,
	}
}

// Record adds a stage's timing and saves the manifest atomically.
func (m *Manifest) Record(name string, t StageTiming) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, seen := m.Stages[name]; !seen {
		m.Order = append(m.Order, name)
	}
	m.Stages[name] = t
	m.Updated = time.Now().UTC()
	return WriteJSON(m.path, m)
}

// Start records the keys of the stages the run will use and saves the
// manifest atomically.
func (m *Manifest) Start(keys map[string]string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Keys = keys
	m.Updated = time.Now().UTC()
	return WriteJSON(m.path, m)
}

// gitRevision is the revision segqa was built from: the one go build
// stamped into the binary when it built in a git checkout (a binary copied
// elsewhere, or run while the checkout moves on, still names its own), else
// that of the checkout beside the executable, if known.
func gitRevision() string {
	if rev := builtRevision(); rev != "" {
		return rev
	}
	exe, err := os.Executable()
	dir := "."
	if err == nil {
		dir = filepath.Dir(exe)
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		out, err = exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
		if err != nil {
			return "unknown"
		}
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		rev += "-dirty"
	}
	return rev
}

// builtRevision is the vcs.revision go build stamped into the binary,
// shortened as gitRevision's, with "-dirty" for a modified tree; empty when
// the binary has none (go test, -buildvcs=false, no git).
func builtRevision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}
