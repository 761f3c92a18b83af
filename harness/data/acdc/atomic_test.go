package acdc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Info.cfg")
	boom := errors.New("boom")
	err := writeAtomic(path, func(f *os.File) error {
		f.WriteString("partial")
		return boom
	})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "acdc: write "+path+": ") {
		t.Errorf("err = %v, want boom naming %s", err, path)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed write left %v", entries)
	}

	missing := filepath.Join(dir, "nope", "Info.cfg")
	if err := writeAtomic(missing, func(*os.File) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("write into a missing folder: %v, want ErrNotExist", err)
	}

	if err := writeAtomic(path, func(f *os.File) error { _, err := f.WriteString("ED: 1\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "ED: 1\n" {
		t.Errorf("file holds %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
