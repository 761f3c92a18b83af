package acdc

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// randomPatients makes patients with random slices of size*size pixels.
func randomPatients(n, size int, seed uint64) []Patient {
	r := rand.New(rand.NewPCG(seed, 1))
	pts := make([]Patient, n)
	for i := range pts {
		pts[i] = Patient{ID: ids(n)[i], Group: []string{"NOR", "DCM", ""}[i%3]}
		for k := range r.IntN(4) {
			s := Slice{Patient: pts[i].ID, Frame: []string{"ED", "ES"}[k%2], Z: r.IntN(10),
				Image: make([]float32, size*size), Mask: make([]uint8, size*size)}
			for j := range s.Image {
				s.Image[j] = float32(r.NormFloat64())
				s.Mask[j] = uint8(r.IntN(2))
			}
			pts[i].Slices = append(pts[i].Slices, s)
		}
	}
	return pts
}

func saved(t *testing.T, pts []Patient, size int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "slices.bin")
	if err := SaveCache(path, "key-1", pts, Options{Size: size}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCacheRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 7} {
		pts := randomPatients(n, 12, uint64(n))
		got, err := LoadCache(saved(t, pts, 12), "key-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || !samePatients(got, pts) {
			t.Errorf("%d patients: round trip differs", n)
		}
	}
	if err := SaveCache(filepath.Join(t.TempDir(), "x"), "k", randomPatients(3, 12, 1), Options{Size: 13}); err == nil {
		t.Error("slices of the wrong size were saved")
	}
}

func TestCacheStaleKey(t *testing.T) {
	path := saved(t, randomPatients(3, 8, 1), 8)
	_, err := LoadCache(path, "key-2")
	if !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), path) {
		t.Errorf("other key: %v", err)
	}
}

func TestCacheCorruption(t *testing.T) {
	path := saved(t, randomPatients(5, 8, 2), 8)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		pts, err := LoadCache(path, "key-1")
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) || pts != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	// Every single flipped byte, in the header or the payload, is caught.
	for i := range good {
		b := []byte(string(good))
		b[i] ^= 0x10
		check("flip", b)
	}
	for _, n := range []int{0, 7, 40, len(good) / 2, len(good) - 1} {
		check("truncate", good[:n])
	}
	check("trailing", append([]byte(string(good)), 0))
	_, err = LoadCache(path+"x", "key-1")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestCacheLyingHeaderDoesNotAllocate(t *testing.T) {
	path := saved(t, randomPatients(2, 8, 3), 8)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Claim 2^32-1 patients and 2^60 slices, and fix the header checksum
	// so that only the size checks stand in the way.
	h := cacheHeader{size: 8, patients: 1<<32 - 1, slices: 1 << 60, payload: uint64(len(b) - 52 - 5 - len(Options{Size: 8}.describe()) - 4),
		key: "key-1", description: Options{Size: 8}.describe()}
	copy(b, h.marshal())
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCache(path, "key-1"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "cannot fit") {
		t.Errorf("lying header: %v", err)
	}
}
