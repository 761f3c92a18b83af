package run

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrCorrupt is wrapped by every CorruptError: a finished stage's folder no
// longer holds the bytes its DONE record lists.
var ErrCorrupt = errors.New("run: stage output differs from its DONE record")

// Output is one file of a finished stage, as DONE records it.
type Output struct {
	Path   string `json:"path"` // inside the stage folder, slash-separated
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// CorruptError names the stage and the file that differ from its record.
type CorruptError struct {
	Stage string // stage name
	Dir   string // stage folder
	File  string // path of the file (DONE itself when that is unreadable)
	Why   string // what differs
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("stage %s: %s: %s", e.Stage, e.File, e.Why)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// doneFile is the stage's DONE record; it is the one file not listed in
// itself.
const doneFile = "DONE"

// outputs lists every file under the stage folder but DONE, in path order,
// with its size and SHA-256.
func (s *Stage) outputs() ([]Output, error) {
	files := []Output{}
	err := filepath.WalkDir(s.Path, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == s.Path {
			return nil // a stage that wrote nothing
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(s.Path, path)
		if err != nil {
			return err
		}
		if rel == doneFile {
			return nil
		}
		size, sum, err := hashFile(path)
		if err != nil {
			return err
		}
		files = append(files, Output{Path: filepath.ToSlash(rel), Size: size, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stage %s: checksums: %w", s.Name, err)
	}
	return files, nil // WalkDir's order: lexical, so the record is stable
}

// hashFile returns the size and hex SHA-256 of the file at path.
func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Verify checks a finished stage against its DONE record: that every file
// it lists is there with its size and, with hashes, its SHA-256. It
// returns the record; a difference is a *CorruptError (errors.Is
// ErrCorrupt) naming the first file that differs. A record written before
// segqa recorded files (Marker.Files nil) checks nothing.
func (s *Stage) Verify(hashes bool) (Marker, error) {
	m, err := s.Marker()
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return m, fmt.Errorf("stage %s: not finished: %w", s.Name, err)
		}
		return m, &CorruptError{Stage: s.Name, Dir: s.Path, File: s.File(doneFile), Why: "unreadable record: " + err.Error()}
	}
	if m.Key != "" && m.Key != s.Key {
		return m, &CorruptError{Stage: s.Name, Dir: s.Path, File: s.File(doneFile), Why: fmt.Sprintf("records key %s, the folder is %s", m.Key, s.Key)}
	}
	for _, o := range m.Files {
		path := s.File(filepath.FromSlash(o.Path))
		corrupt := func(format string, a ...any) error {
			return &CorruptError{Stage: s.Name, Dir: s.Path, File: path, Why: fmt.Sprintf(format, a...)}
		}
		info, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return m, corrupt("missing")
		case err != nil:
			return m, fmt.Errorf("stage %s: %w", s.Name, err)
		case info.Size() != o.Size:
			return m, corrupt("%d bytes, recorded %d", info.Size(), o.Size)
		case !hashes:
			continue
		}
		_, sum, err := hashFile(path)
		if err != nil {
			return m, fmt.Errorf("stage %s: %w", s.Name, err)
		}
		if sum != o.SHA256 {
			return m, corrupt("content changed (sha256 %.12s..., recorded %.12s...)", sum, o.SHA256)
		}
	}
	return m, nil
}

// Size is the number of bytes the stage's folder holds.
func (s *Stage) Size() (int64, error) {
	var n int64
	err := filepath.WalkDir(s.Path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// RemoveTemporaries deletes the temporary files and folders (.tmp-*) that
// a writer killed before it renamed them left in the stage folder. The
// caller holds the stage's lock, so no one else writes there.
func (s *Stage) RemoveTemporaries() error {
	var temps []string
	err := filepath.WalkDir(s.Path, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == s.Path {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), TempPrefix) {
			temps = append(temps, path)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	for _, t := range temps {
		if err == nil {
			err = os.RemoveAll(t)
		}
	}
	if err != nil {
		return fmt.Errorf("stage %s: remove temporary files: %w", s.Name, err)
	}
	return nil
}

// Reopen marks a finished stage unfinished, keeping its files, so that it
// runs again and finishes what a run asks of it beyond what it holds (a
// REG-Net stage asked for another input kind). The caller holds the
// stage's lock.
func (s *Stage) Reopen() error {
	if err := os.Remove(s.File(doneFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reopen stage %s: %w", s.Name, err)
	}
	return nil
}

// Reset deletes what the stage wrote, so that it runs again from scratch:
// DONE first, so that a reset cut short leaves an unfinished stage, never
// a finished one with files missing. The caller holds the stage's lock.
func (s *Stage) Reset() error {
	if err := os.Remove(s.File(doneFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reset stage %s: %w", s.Name, err)
	}
	if err := os.RemoveAll(s.Path); err != nil {
		return fmt.Errorf("reset stage %s: %w", s.Name, err)
	}
	return nil
}
