package acdc

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
	"github.com/segqa/segqa/harness/data/phantom"
)

func TestWriteSyntheticFiles(t *testing.T) {
	root := t.TempDir()
	if err := WriteSynthetic(root, 3, 5, smallPhantoms, 3); err != nil {
		t.Fatal(err)
	}
	pt := phantom.Generate(smallPhantoms, 5, 2)
	dir := filepath.Join(root, "patient002")
	info, err := ReadInfo(filepath.Join(dir, "Info.cfg"))
	want := Info{ED: pt.ED, ES: pt.ES, NbFrame: pt.NbFrame, Group: pt.Group, Height: pt.Height, Weight: pt.Weight}
	if err != nil || info != want {
		t.Fatalf("Info.cfg %+v, %v; want %+v", info, err, want)
	}
	for _, fr := range []struct {
		n int
		f phantom.Frame
	}{{pt.ED, pt.EDFrame}, {pt.ES, pt.ESFrame}} {
		base := filepath.Join(dir, fmt.Sprintf("patient002_frame%02d", fr.n))
		img, err := nifti.Read(base + ".nii.gz")
		if err != nil {
			t.Fatal(err)
		}
		gt, err := nifti.Read(base + "_gt.nii.gz")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []*nifti.Volume{img, gt} {
			a := v.Affine()
			if len(v.Dim) != 3 || v.Dim[0] != pt.Nx || v.Dim[1] != pt.Ny || v.Dim[2] != pt.Nz ||
				v.QFormCode != 1 || v.SFormCode != 1 || v.XYZTUnits != unitsMM {
				t.Errorf("%s: dims %v qform %d sform %d units %d", base, v.Dim, v.QFormCode, v.SFormCode, v.XYZTUnits)
			}
			for i := range 3 {
				if math.Abs(v.Spacing[i]-pt.Spacing[i]) > 1e-5 || math.Abs(a[i][i]-pt.Spacing[i]) > 1e-5 {
					t.Errorf("%s: spacing %v, affine %v, want %v", base, v.Spacing, a, pt.Spacing)
				}
			}
		}
		if img.Datatype != nifti.Int16 || gt.Datatype != nifti.Uint8 {
			t.Errorf("datatypes %s and %s", img.Datatype, gt.Datatype)
		}
		for i := range fr.f.Image {
			if img.Data[i] != math.Round(float64(fr.f.Image[i])) || gt.Data[i] != float64(fr.f.Label[i]) {
				t.Fatalf("%s: voxel %d is %g/%g, want %g/%d", base, i, img.Data[i], gt.Data[i], fr.f.Image[i], fr.f.Label[i])
			}
		}
	}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if strings.HasPrefix(d.Name(), ".") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

func TestWriteSyntheticResumes(t *testing.T) {
	root := t.TempDir()
	if err := WriteSynthetic(root, 2, 5, smallPhantoms, 0); err != nil {
		t.Fatal(err)
	}
	// A complete patient is left alone, even if edited; an incomplete one
	// is written again, byte for byte as before.
	cfg1 := filepath.Join(root, "patient001", "Info.cfg")
	orig, err := os.ReadFile(cfg1)
	must(t, err)
	edited := string(orig) + "Note: edited\n"
	writeFile(t, cfg1, edited)
	info, _ := ReadInfo(filepath.Join(root, "patient002", "Info.cfg"))
	gone := filepath.Join(root, "patient002", fmt.Sprintf("patient002_frame%02d_gt.nii.gz", info.ES))
	before, err := os.ReadFile(gone)
	must(t, err)
	must(t, os.Remove(gone))
	if err := WriteSynthetic(root, 3, 5, smallPhantoms, 2); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(cfg1); string(b) != edited {
		t.Errorf("complete patient001 was rewritten: %q", b)
	}
	after, err := os.ReadFile(gone)
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("patient002's missing file: %v, same bytes %t", err, bytes.Equal(before, after))
	}
	if _, err := os.Stat(filepath.Join(root, "patient003", "Info.cfg")); err != nil {
		t.Errorf("patient003 not added: %v", err)
	}
}

func TestWriteSyntheticBadParams(t *testing.T) {
	if err := WriteSynthetic(t.TempDir(), 2, 1, phantom.Params{Size: 4}, 1); err == nil {
		t.Error("size 4 accepted")
	}
	if err := WriteSynthetic(t.TempDir(), -1, 1, phantom.Params{}, 1); err == nil {
		t.Error("-1 patients accepted")
	}
}
