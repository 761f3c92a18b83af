package run

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TempPrefix begins the name of every temporary file or folder that becomes
// a finished one by a rename (here and in tfrun.Save).
const TempPrefix = ".tmp-"

// WriteAtomic writes what fn writes into path atomically, making missing
// parent folders first (see WriteAtomicFile).
func WriteAtomic(path string, fn func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteAtomicFile(path, func(f *os.File) error { return fn(f) })
}

// WriteAtomicFile makes path appear complete or not at all: fn fills a
// temporary file in path's folder, which is then given mode 0644, synced,
// closed and renamed over path. If fn or any later step fails, or fn
// panics, the temporary file is removed and path is left as it was.
// Errors read "write PATH: cause" and wrap the cause.
//
// fn gets the *os.File itself, for writers that need WriteAt or Seek.
// Unlike WriteAtomic, WriteAtomicFile does not make missing folders:
// writing into a folder that does not exist is an error.
func WriteAtomicFile(path string, fn func(f *os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), TempPrefix+filepath.Base(path)+"-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, renamed := f.Name(), false
	defer func() {
		if !renamed {
			f.Close() // a second Close only returns an error
			os.Remove(tmp)
		}
	}()
	if err := fn(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes 0600; Chmod is not subject to the umask.
	for _, step := range []func() error{func() error { return f.Chmod(0o644) }, f.Sync, f.Close} {
		if err := step(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed = true
	return nil
}

// WriteFile writes data into path atomically.
func WriteFile(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteJSON writes v as indented JSON into path atomically.
func WriteJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteFile(path, buf.Bytes())
}

// ReadJSON reads path into v.
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
