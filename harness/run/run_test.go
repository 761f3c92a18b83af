package run

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

func TestWriteAtomicKeepsOldFileOnFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "result.json")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomic(path, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return errors.New("killed")
	})
	if err == nil {
		t.Fatal("failure not reported")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("file is %q after a failed write, want the old content", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

func TestKeyDependsOnEverySetting(t *testing.T) {
	type cfg struct {
		LR     float64
		Epochs int
	}
	base := Key("recnet", "data-key", cfg{1e-3, 10})
	if Key("recnet", "data-key", cfg{1e-3, 10}) != base {
		t.Error("the same settings gave two keys")
	}
	for _, other := range []string{
		Key("recnet", "data-key", cfg{1e-3, 11}),
		Key("recnet", "other-data", cfg{1e-3, 10}),
		Key("regnet", "data-key", cfg{1e-3, 10}),
	} {
		if other == base {
			t.Error("a changed setting or input kept the key")
		}
	}
}

func TestStageFinishAndLock(t *testing.T) {
	st := NewStage(t.TempDir(), "zoo", 1)
	if st.Done() {
		t.Fatal("a new stage is done")
	}
	if err := st.Finish(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	m, err := st.Marker()
	if !st.Done() || err != nil || m.Seconds != 2 || m.Key != st.Key {
		t.Errorf("marker %+v, %v", m, err)
	}
	unlock, err := st.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var second atomic.Bool
	go func() {
		u, err := st.Lock(context.Background())
		if err == nil {
			second.Store(true)
			u()
		}
	}()
	time.Sleep(100 * time.Millisecond)
	if second.Load() {
		t.Fatal("a second holder took a held lock")
	}
	unlock()
	for i := 0; i < 200 && !second.Load(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if !second.Load() {
		t.Error("the lock was not handed over after unlock")
	}
}
