package acdc

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
)

// sphereTemplate is a 1 mm template of a sphere of radius 50: white matter
// inside radius 35, grey matter in the shell, T1 brighter in white matter.
func sphereTemplate() *Template {
	const n = 120
	mk := func() *nifti.Volume {
		return &nifti.Volume{Dim: []int{n, n, n}, Spacing: []float64{1, 1, 1}, Data: make([]float64, n*n*n)}
	}
	t1, gm, wm := mk(), mk(), mk()
	for z := range n {
		for y := range n {
			for x := range n {
				r := math.Sqrt(float64((x-n/2)*(x-n/2) + (y-n/2)*(y-n/2) + (z-n/2)*(z-n/2)))
				i := (z*n+y)*n + x
				switch {
				case r < 35:
					wm.Data[i], t1.Data[i] = 255, 200
				case r < 50:
					gm.Data[i], t1.Data[i] = 255, 120
				}
			}
		}
	}
	return &Template{T1: t1, GM: gm, WM: wm}
}

func TestWriteBrains(t *testing.T) {
	tpl := sphereTemplate()
	root := t.TempDir()
	if err := WriteBrains(root, tpl, 3, 7); err != nil {
		t.Fatal(err)
	}
	patients, _, err := LoadACDC(root, Options{Label: []int{BrainGM}, Size: 64, SpacingMM: 3, Percentiles: [2]float64{1, 99}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(patients) != 3 {
		t.Fatalf("%d patients, want 3", len(patients))
	}
	for _, p := range patients {
		if p.Group != "LOW" && p.Group != "MID" && p.Group != "HIGH" {
			t.Errorf("%s: group %q", p.ID, p.Group)
		}
		if len(p.Slices) == 0 {
			t.Errorf("%s: no slice holds grey matter", p.ID)
		}
	}
	// Grey matter is the shell: brighter white matter inside it, and in
	// each frame the labels and the image agree on where the shell is.
	gt, err := nifti.Read(filepath.Join(root, "patient002", "patient002_frame01_gt.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := nifti.Read(filepath.Join(root, "patient002", "patient002_frame01.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var sum [4]float64
	var cnt [4]int
	for i, l := range gt.Data {
		sum[int(l)] += img.Data[i]
		cnt[int(l)]++
	}
	if cnt[BrainGM] == 0 || cnt[BrainWM] == 0 {
		t.Fatalf("label counts %v: want both tissues", cnt)
	}
	bg, grey, white := sum[0]/float64(cnt[0]), sum[BrainGM]/float64(cnt[BrainGM]), sum[BrainWM]/float64(cnt[BrainWM])
	if !(white > grey && grey > bg) {
		t.Errorf("mean intensity background %.0f, grey %.0f, white %.0f: want white > grey > background", bg, grey, white)
	}
}

func TestWriteBrainsDeterministicAndDistinct(t *testing.T) {
	tpl := sphereTemplate()
	a, b := t.TempDir(), t.TempDir()
	for _, root := range []string{a, b} {
		if err := WriteBrains(root, tpl, 2, 3); err != nil {
			t.Fatal(err)
		}
	}
	read := func(root, id string) []byte {
		raw, err := os.ReadFile(filepath.Join(root, id, id+"_frame01.nii.gz"))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	if !bytes.Equal(read(a, "patient001"), read(b, "patient001")) {
		t.Error("the same seed wrote different files")
	}
	if bytes.Equal(read(a, "patient001"), read(a, "patient002")) {
		t.Error("two pseudo-patients are identical")
	}
	ed, _ := nifti.Read(filepath.Join(a, "patient001", "patient001_frame01.nii.gz"))
	es, _ := nifti.Read(filepath.Join(a, "patient001", "patient001_frame02.nii.gz"))
	same := true
	for i := range ed.Data {
		same = same && ed.Data[i] == es.Data[i]
	}
	if same {
		t.Error("ED and ES frames are identical")
	}
}

func TestWriteBrainsResumes(t *testing.T) {
	tpl := sphereTemplate()
	root := t.TempDir()
	if err := WriteBrains(root, tpl, 2, 1); err != nil {
		t.Fatal(err)
	}
	// A patient whose Info.cfg is missing was interrupted: it is written
	// again; a complete one is kept as it is.
	keep := filepath.Join(root, "patient001", "patient001_frame01.nii.gz")
	before, _ := os.Stat(keep)
	if err := os.Remove(filepath.Join(root, "patient002", "Info.cfg")); err != nil {
		t.Fatal(err)
	}
	if err := WriteBrains(root, tpl, 2, 1); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(keep)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("a complete patient was written again")
	}
	if _, err := ReadInfo(filepath.Join(root, "patient002", "Info.cfg")); err != nil {
		t.Errorf("the interrupted patient was not completed: %v", err)
	}
}

func TestReadTemplateMismatch(t *testing.T) {
	dir := t.TempDir()
	tpl := sphereTemplate()
	paths := []string{filepath.Join(dir, "t1.nii.gz"), filepath.Join(dir, "gm.nii.gz"), filepath.Join(dir, "wm.nii.gz")}
	small := &nifti.Volume{Dim: []int{40, 40, 40}, Spacing: []float64{1, 1, 1}, Data: make([]float64, 40*40*40)}
	for i, v := range []*nifti.Volume{tpl.T1, tpl.GM, small} {
		if err := nifti.Write(paths[i], v); err != nil {
			t.Fatal(err)
		}
	}
	_, err := ReadTemplate(paths[0], paths[1], paths[2])
	if err == nil || !strings.Contains(err.Error(), "wm.nii.gz") {
		t.Fatalf("err %v: want a mismatch naming wm.nii.gz", err)
	}
}
