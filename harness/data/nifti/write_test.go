package nifti

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteErrors checks that Write's errors name path once, that a bad
// volume or a missing folder leaves nothing behind, and that the old file
// survives a failed write.
func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.nii.gz")
	good := &Volume{Dim: []int{2, 2}, Data: []float64{1, 2, 3, 4}}
	bad := &Volume{Dim: []int{2, 2}, Data: []float64{1, 2, 3}}

	err := Write(path, bad)
	if !errors.Is(err, ErrVolume) || !strings.HasPrefix(err.Error(), "nifti: write "+path+": ") ||
		strings.Count(err.Error(), path) != 1 {
		t.Errorf("Write(bad) = %v, want ErrVolume naming %s once", err, path)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed write left %v", entries)
	}

	missing := filepath.Join(dir, "nope", "x.nii")
	err = Write(missing, good)
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "nifti: write "+missing+": ") {
		t.Errorf("Write into a missing folder = %v, want ErrNotExist naming %s", err, missing)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write made the missing folder: %v", err)
	}

	if err := Write(path, good); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, bad); err == nil {
		t.Fatal("Write(bad) succeeded")
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Data, good.Data) {
		t.Errorf("after a failed write the file holds %v, want %v", got.Data, good.Data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
