package acdc

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
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

func TestLabelEnclosed(t *testing.T) {
	// A ring of tissue around two background pixels, and a bay open to the
	// edge: only the ring's inside is enclosed.
	const nx, ny = 6, 5
	lab := []float64{
		0, 0, 0, 0, 0, 0,
		0, 2, 2, 2, 2, 0,
		0, 2, 0, 0, 3, 0,
		0, 2, 2, 2, 3, 2,
		0, 2, 0, 0, 0, 0,
	}
	want := append([]float64(nil), lab...)
	want[2*nx+2], want[2*nx+3] = BrainCSF, BrainCSF
	labelEnclosed(lab, nx, ny)
	if !slices.Equal(lab, want) {
		t.Errorf("labels %v, want %v", lab, want)
	}
}

func TestWriteBrainsLabelsEnclosedFluid(t *testing.T) {
	// The sphere with a fluid-filled core of radius 12 (no tissue, dark T1):
	// slices through the core hold BrainCSF inside the white matter; the
	// solid sphere holds none.
	count := func(tpl *Template) (csf, total int) {
		root := t.TempDir()
		if err := WriteBrains(root, tpl, 2, 5); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"patient001", "patient002"} {
			gt, err := nifti.Read(filepath.Join(root, id, id+"_frame01_gt.nii.gz"))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range gt.Data {
				if l == BrainCSF {
					csf++
				}
			}
			total += len(gt.Data)
		}
		return csf, total
	}
	if csf, _ := count(sphereTemplate()); csf != 0 {
		t.Errorf("solid sphere: %d fluid voxels, want none", csf)
	}
	hollow := sphereTemplate()
	const n = 120
	for z := range n {
		for y := range n {
			for x := range n {
				if (x-n/2)*(x-n/2)+(y-n/2)*(y-n/2)+(z-n/2)*(z-n/2) < 12*12 {
					i := (z*n+y)*n + x
					hollow.WM.Data[i], hollow.T1.Data[i] = 0, 0
				}
			}
		}
	}
	csf, total := count(hollow)
	if csf == 0 || float64(csf) > 0.05*float64(total) {
		t.Errorf("hollow sphere: %d fluid voxels of %d, want some and under 5 %%", csf, total)
	}
}
