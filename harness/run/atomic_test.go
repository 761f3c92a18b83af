package run

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
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

// fsizeEnv names the file that TestFileSizeLimitHelper, run as a child
// process under a file size limit, writes.
const fsizeEnv = "SEGQA_TEST_FSIZE_PATH"

// TestFileSizeLimitHelper is the child of TestWriteAtomicPastFileSizeLimit:
// with SIGXFSZ ignored, as segqa ignores it, and a limit of 16 KiB, it
// writes 64 KiB and prints the error.
func TestFileSizeLimitHelper(t *testing.T) {
	path := os.Getenv(fsizeEnv)
	if path == "" {
		t.Skip("a child process of TestWriteAtomicPastFileSizeLimit")
	}
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 16 << 10, Max: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, make([]byte, 64<<10))
	fmt.Printf("WRITE ERROR: %v\n", err)
	if !errors.Is(err, syscall.EFBIG) {
		t.Errorf("err = %v, want EFBIG", err)
	}
}

// TestWriteAtomicPastFileSizeLimit writes past ulimit -f in a child
// process: the error names the file and the cause, and neither the file
// nor a temporary one is left.
func TestWriteAtomicPastFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "slices.bin")
	cmd := exec.Command(os.Args[0], "-test.run=^TestFileSizeLimitHelper$", "-test.v")
	cmd.Env = append(os.Environ(), fsizeEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "WRITE ERROR: write "+path+": ") || !strings.Contains(string(out), "file too large") {
		t.Errorf("the error does not name %s and the cause:\n%s", path, out)
	}
	checkOnly(t, dir)
}
