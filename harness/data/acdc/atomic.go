package acdc

import (
	"fmt"
	"os"

	"github.com/segqa/segqa/harness/run"
)

// writeAtomic makes path appear complete or not at all (see
// run.WriteAtomicFile, which does the work); path's folder must exist.
// Errors read "acdc: write PATH: cause".
func writeAtomic(path string, fn func(f *os.File) error) error {
	if err := run.WriteAtomicFile(path, fn); err != nil {
		return fmt.Errorf("acdc: %w", err)
	}
	return nil
}
