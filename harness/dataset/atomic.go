package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeAtomic makes path appear complete or not at all: fn fills a
// temporary file in the same folder, which is then synced and renamed over
// path. Errors name path.
func writeAtomic(path string, fn func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := fn(f); err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	for _, step := range []func() error{func() error { return f.Chmod(0o644) }, f.Sync, f.Close} {
		if err := step(); err != nil {
			return fmt.Errorf("dataset: write %s: %w", path, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	return nil
}
