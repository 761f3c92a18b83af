package acdc

import (
	"path/filepath"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
)

func TestLoadPairBinaryMask(t *testing.T) {
	dir := t.TempDir()
	const n = 40
	img := &nifti.Volume{Dim: []int{n, n, 2}, Spacing: []float64{1.5, 1.5, 10}, Data: make([]float64, n*n*2), Datatype: nifti.Int16}
	seg := &nifti.Volume{Dim: []int{n, n, 2}, Spacing: []float64{1.5, 1.5, 10}, Data: make([]float64, n*n*2), Datatype: nifti.Uint8}
	for i := range img.Data {
		img.Data[i] = float64(i % 97)
	}
	// A 10 x 10 square in slice 1 only.
	for y := 15; y < 25; y++ {
		for x := 15; x < 25; x++ {
			seg.Data[n*n+y*n+x] = 1
		}
	}
	ip, sp := filepath.Join(dir, "img.nii.gz"), filepath.Join(dir, "seg.nii.gz")
	if err := nifti.Write(ip, img); err != nil {
		t.Fatal(err)
	}
	if err := nifti.Write(sp, seg); err != nil {
		t.Fatal(err)
	}
	slices, err := LoadPair(ip, sp, Options{Size: 32, SpacingMM: 1.5, Percentiles: [2]float64{1, 99}})
	if err != nil {
		t.Fatal(err)
	}
	if len(slices) != 2 {
		t.Fatalf("%d slices, want both, the empty one too", len(slices))
	}
	count := func(m []uint8) (c int) {
		for _, v := range m {
			c += int(v)
		}
		return c
	}
	if count(slices[0].Mask) != 0 || count(slices[1].Mask) != 100 {
		t.Errorf("mask pixels %d and %d, want 0 and 100", count(slices[0].Mask), count(slices[1].Mask))
	}
	if _, err := LoadPair(ip, filepath.Join(dir, "missing.nii.gz"), Options{}); err == nil {
		t.Error("a missing segmentation was accepted")
	}
}
