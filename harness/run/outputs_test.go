package run

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// finishedStage is a finished stage with two files, one in a subfolder.
func finishedStage(t *testing.T) *Stage {
	t.Helper()
	st := NewStage(t.TempDir(), "pool", 1)
	if err := WriteFile(st.File("test.bin"), []byte("0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(st.File("results", "pool.json"), []byte(`{"n": 1}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(time.Second); err != nil {
		t.Fatal(err)
	}
	return st
}

// checkCorrupt fails unless err is a CorruptError naming file and saying why.
func checkCorrupt(t *testing.T, err error, file, why string) {
	t.Helper()
	var c *CorruptError
	if !errors.As(err, &c) || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want a CorruptError", err)
	}
	if c.File != file || c.Stage != "pool" || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), file) {
		t.Errorf("err = %v (file %s), want one naming stage pool, %s and %q", err, c.File, file, why)
	}
}

func TestFinishRecordsEveryFile(t *testing.T) {
	st := finishedStage(t)
	m, err := st.Verify(true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range m.Files {
		got = append(got, f.Path)
	}
	if strings.Join(got, ",") != "results/pool.json,test.bin" {
		t.Errorf("DONE lists %v", got)
	}
	// sha256 of "0123456789abcdef"
	if f := m.Files[1]; f.Size != 16 || f.SHA256 != "9f9f5111f7b27a781f1f1ddde5ebc2dd2b796bfc7365c9c28b548e564176929f" {
		t.Errorf("test.bin recorded as %+v", f)
	}
}

func TestVerifyNamesTheChangedFile(t *testing.T) {
	st := finishedStage(t)
	path := st.File("test.bin")
	data, _ := os.ReadFile(path)
	data[7] ^= 0x10 // a flipped bit keeps the size
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Verify(false); err != nil {
		t.Errorf("sizes only: %v, want no error for a file of the same size", err)
	}
	_, err := st.Verify(true)
	checkCorrupt(t, err, path, "content changed")

	if err := os.WriteFile(path, data[:10], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = st.Verify(false)
	checkCorrupt(t, err, path, "10 bytes, recorded 16")

	os.Remove(path)
	_, err = st.Verify(false)
	checkCorrupt(t, err, path, "missing")
}

func TestVerifyUnreadableRecord(t *testing.T) {
	st := finishedStage(t)
	if err := os.WriteFile(st.File("DONE"), []byte(`{"stage": "pool", "files": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := st.Verify(false)
	checkCorrupt(t, err, st.File("DONE"), "unreadable record")

	if _, err := NewStage(t.TempDir(), "pool", 1).Verify(true); err == nil || errors.Is(err, ErrCorrupt) {
		t.Errorf("an unfinished stage verifies as %v, want not finished", err)
	}
}

func TestVerifyOldRecordChecksNothing(t *testing.T) {
	st := finishedStage(t)
	// A DONE of a segqa before checksums: no files listed.
	if err := WriteJSON(st.File("DONE"), map[string]any{"stage": "pool", "key": st.Key}); err != nil {
		t.Fatal(err)
	}
	os.Remove(st.File("test.bin"))
	m, err := st.Verify(true)
	if err != nil || m.Files != nil {
		t.Errorf("old record: %v, files %v; want nothing checked", err, m.Files)
	}
}

func TestResetLeavesNoFinishedStage(t *testing.T) {
	st := finishedStage(t)
	if err := st.Reset(); err != nil {
		t.Fatal(err)
	}
	if st.Done() {
		t.Error("done after Reset")
	}
	if _, err := os.Stat(st.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stage folder is still there: %v", err)
	}
	checkOnly(t, filepath.Dir(st.Path))
}
