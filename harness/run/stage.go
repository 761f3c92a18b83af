package run

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Stage is a stage as stored: its folder in a store of stage outputs and
// the DONE record in it. Name is the stage's name (results.StageName, as a
// string); the runner runs a stage as a runner.Step on its Stage.
type Stage struct {
	Name string // data, zoo, pool, agreement, recnet, regnet, table1, table2, certify
	Key  string // hash of the stage's settings and its inputs' keys
	Path string // STORE/NAME-KEY
}

// Key hashes a stage name and everything its outputs depend on (typed
// config sections and upstream keys), as JSON.
func Key(name string, deps ...any) string {
	h := sha256.New()
	h.Write([]byte(name))
	for _, d := range deps {
		b, err := json.Marshal(d)
		if err != nil {
			panic("run.Key: unhashable dependency: " + err.Error())
		}
		h.Write([]byte{0})
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// NewStage returns the stage folder for name in store, keyed by deps.
func NewStage(store, name string, deps ...any) *Stage {
	return NewStageAt(store, name, Key(name, deps...))
}

// NewStageAt is the folder of stage name with key key in store.
func NewStageAt(store, name, key string) *Stage {
	return &Stage{Name: name, Key: key, Path: filepath.Join(store, name+"-"+key)}
}

// File is a path inside the stage folder.
func (s *Stage) File(elem ...string) string {
	return filepath.Join(append([]string{s.Path}, elem...)...)
}

// Marker is what DONE records.
type Marker struct {
	Stage    string        `json:"stage"`
	Key      string        `json:"key"`
	Finished time.Time     `json:"finished"`
	Duration time.Duration `json:"duration_ns"`
	Seconds  float64       `json:"seconds"`
	// Files lists every file the stage wrote into its folder, with size
	// and SHA-256; nil in a record of a segqa that did not record them.
	Files []Output `json:"files"`
	// HashSeconds is how long hashing the files took when the stage
	// finished, what a full Verify costs.
	HashSeconds float64 `json:"hash_seconds"`
}

// Done reports whether the stage finished before.
func (s *Stage) Done() bool {
	_, err := os.Stat(s.File(doneFile))
	return err == nil
}

// Finish marks the stage done, recording each file in its folder; DONE is
// the last file a stage writes.
func (s *Stage) Finish(d time.Duration) error {
	start := time.Now()
	files, err := s.outputs()
	if err != nil {
		return err
	}
	return WriteJSON(s.File(doneFile), Marker{
		Stage: s.Name, Key: s.Key, Finished: time.Now().UTC(), Duration: d, Seconds: d.Seconds(),
		Files: files, HashSeconds: time.Since(start).Seconds(),
	})
}

// Marker reads the DONE marker of a finished stage.
func (s *Stage) Marker() (Marker, error) {
	var m Marker
	err := ReadJSON(s.File(doneFile), &m)
	return m, err
}

// Stream is the seed of the random stream name of a run seeded with seed:
// a hash of both, so that streams never collide, and adding a stream, a
// zoo member or a split changes no other stream's numbers.
func Stream(seed uint64, name string) uint64 {
	h := sha256.New()
	fmt.Fprintf(h, "segqa stream %d %s", seed, name)
	return binary.LittleEndian.Uint64(h.Sum(nil))
}
