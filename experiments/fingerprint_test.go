package experiments

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFingerprintFollowsTheFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.nii"), []byte("one"), 0o644)
	d := ciConfig(t, "data.source=acdc", "data.root="+dir).Data
	before, err := Fingerprint(d)
	if err != nil || before == "" {
		t.Fatalf("fingerprint %q, %v", before, err)
	}
	os.WriteFile(filepath.Join(dir, "b.nii"), []byte("two"), 0o644)
	if after, _ := Fingerprint(d); after == before {
		t.Error("a new file under data.root kept the fingerprint")
	}
	if _, err := Fingerprint(ciConfig(t, "data.source=acdc", "data.root="+filepath.Join(dir, "gone")).Data); err == nil {
		t.Error("a missing data.root was accepted")
	}
}
