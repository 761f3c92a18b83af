package run

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkOnly fails unless dir holds exactly the names want.
func checkOnly(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

// checkErr fails unless err reads "write PATH: ..." and wraps cause.
func checkErr(t *testing.T, err error, path string, cause error) {
	t.Helper()
	if !errors.Is(err, cause) || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("err = %v, want %v naming %s", err, cause, path)
	}
}

func TestWriteAtomicFailureLeavesNothing(t *testing.T) {
	boom := errors.New("boom")
	for name, write := range map[string]func(path string) error{
		"WriteAtomic": func(path string) error {
			return WriteAtomic(path, func(w io.Writer) error {
				io.WriteString(w, "partial")
				return boom
			})
		},
		"WriteAtomicFile": func(path string) error {
			return WriteAtomicFile(path, func(f *os.File) error {
				f.WriteString("partial")
				return boom
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.json")
			checkErr(t, write(path), path, boom)
			checkOnly(t, dir)
		})
	}
}

func TestWriteAtomicFilePanicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		WriteAtomicFile(filepath.Join(dir, "out"), func(f *os.File) error {
			f.WriteString("partial")
			panic("boom")
		})
	}()
	checkOnly(t, dir)
}

func TestWriteAtomicFileRenameFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteAtomicFile(path, func(f *os.File) error {
		_, err := f.WriteString("new")
		return err
	})
	if err == nil || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("err = %v, want a failure naming %s", err, path)
	}
	checkOnly(t, dir, "taken")
}

func TestWriteAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	err := WriteAtomicFile(path, func(f *os.File) error {
		if _, err := f.WriteString("..cd"); err != nil {
			return err
		}
		_, err := f.WriteAt([]byte("ab"), 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "abcd" {
		t.Errorf("file holds %q, want abcd", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	checkOnly(t, dir, "out.bin")
}

func TestWriteAtomicFolders(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "b", "out.txt")
	err := WriteAtomicFile(path, func(f *os.File) error { return nil })
	checkErr(t, err, path, os.ErrNotExist)
	checkOnly(t, dir)

	if err := WriteFile(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "x" {
		t.Errorf("file holds %q, want x", got)
	}
	checkOnly(t, filepath.Dir(path), "out.txt")

	file := filepath.Join(dir, "file")
	if err := WriteFile(file, nil); err != nil {
		t.Fatal(err)
	}
	under := filepath.Join(file, "out.txt")
	if err := WriteFile(under, []byte("x")); err == nil || !strings.HasPrefix(err.Error(), "write "+under+": ") {
		t.Errorf("err = %v, want a failure naming %s", err, under)
	}
}
