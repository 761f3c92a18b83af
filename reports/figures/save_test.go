package figures

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSavePNGFailureLeavesNothing checks that a failed render into a new
// path leaves neither the file nor a temporary one, and that the error
// names the path.
func TestSavePNGFailureLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figures")
	path := filepath.Join(dir, "fig.png")
	boom := errors.New("boom")
	err := SavePNG(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "figures: ") || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want boom naming %s", err, path)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("failed save left %v (%v)", entries, err)
	}
}
