package acdc

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segqa/segqa/harness/data/nifti"
	"github.com/segqa/segqa/harness/data/phantom"
)

var smallPhantoms = phantom.Params{Size: 64, MinSlices: 2, MaxSlices: 4}

func TestLoadSynthetic(t *testing.T) {
	root := t.TempDir()
	if err := WriteSynthetic(root, 4, 7, smallPhantoms, 2); err != nil {
		t.Fatal(err)
	}
	opt := Options{Size: 48, SpacingMM: 1.5}
	var warn bytes.Buffer
	pts, st, err := LoadACDC(root, opt, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if warn.Len() != 0 {
		t.Errorf("warnings: %s", warn.String())
	}
	all, stAll, err := LoadACDC(root, Options{Size: 48, SpacingMM: 1.5, KeepEmpty: true, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Patients != 4 || len(pts) != 4 || stAll.DroppedEmpty != 0 {
		t.Fatalf("stats %+v / %+v, %d patients", st, stAll, len(pts))
	}
	total := 0
	for i, p := range all {
		g := phantom.Generate(smallPhantoms, 7, i+1)
		if p.ID != g.ID || p.Group != g.Group || len(p.Slices) != 2*g.Nz {
			t.Errorf("patient %d: %s %s %d slices, want %s %s %d", i, p.ID, p.Group, len(p.Slices), g.ID, g.Group, 2*g.Nz)
		}
		total += len(p.Slices)
	}
	if st.Slices+st.DroppedEmpty != total || st.Slices == 0 {
		t.Errorf("kept %d + dropped %d != %d slices in all", st.Slices, st.DroppedEmpty, total)
	}
	n := 0
	for _, p := range pts {
		for _, s := range p.Slices {
			n++
			checkSlice(t, s, 48, p.ID, true)
		}
	}
	if n != st.Slices {
		t.Errorf("Stats.Slices %d, counted %d", st.Slices, n)
	}
	again, _, err := LoadACDC(root, opt, nil)
	if err != nil || !samePatients(pts, again) {
		t.Errorf("second load differs (err %v)", err)
	}
}

// checkSlice checks a slice's shape, range, binary mask and naming.
func checkSlice(t *testing.T, s Slice, size int, id string, nonEmpty bool) {
	t.Helper()
	if s.Patient != id || (s.Frame != "ED" && s.Frame != "ES") || len(s.Image) != size*size || len(s.Mask) != size*size {
		t.Fatalf("slice %s %s z=%d: %d pixels, %d mask", s.Patient, s.Frame, s.Z, len(s.Image), len(s.Mask))
	}
	lo, hi := slices.Min(s.Image), slices.Max(s.Image)
	if lo < -1 || hi > 1 || hi-lo < 0.5 {
		t.Errorf("%s %s z=%d: image range [%g, %g]", id, s.Frame, s.Z, lo, hi)
	}
	ones := 0
	for _, m := range s.Mask {
		if m > 1 {
			t.Fatalf("mask value %d", m)
		}
		ones += int(m)
	}
	if nonEmpty && ones == 0 {
		t.Errorf("%s %s z=%d: empty mask kept", id, s.Frame, s.Z)
	}
}

func samePatients(a, b []Patient) bool {
	return slices.EqualFunc(a, b, func(p, q Patient) bool {
		return p.ID == q.ID && p.Group == q.Group && slices.EqualFunc(p.Slices, q.Slices, func(s, r Slice) bool {
			return s.Patient == r.Patient && s.Frame == r.Frame && s.Z == r.Z &&
				slices.Equal(s.Image, r.Image) && slices.Equal(s.Mask, r.Mask)
		})
	})
}

func TestLoadSkipsPatientWithoutGT(t *testing.T) {
	root := t.TempDir()
	fr := plainFrame(20, 16, 2)
	writeHand(t, root, "patient001", "", ".nii.gz", fr, fr)
	writeHand(t, root, "patient002", "", ".nii.gz", fr, handFrame{img: fr.img})
	writeHand(t, root, "patient003", "", ".nii", fr, fr) // uncompressed files
	var warn bytes.Buffer
	pts, st, err := LoadACDC(root, Options{Size: 16}, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if st.SkippedNoGT != 1 || st.Patients != 2 || len(pts) != 2 || pts[0].ID != "patient001" || pts[1].ID != "patient003" {
		t.Errorf("stats %+v, patients %v", st, pts)
	}
	if w := warn.String(); !strings.Contains(w, "patient002") || !strings.Contains(w, "patient002_frame02_gt.nii.gz") || strings.Count(w, "\n") != 1 {
		t.Errorf("warning %q", w)
	}
	if !samePatients(pts[:1], []Patient{{ID: "patient001", Group: "NOR", Slices: pts[0].Slices}}) {
		t.Errorf("patient %+v", pts[0])
	}
	if !slices.EqualFunc(pts[0].Slices, pts[1].Slices, func(a, b Slice) bool { return slices.Equal(a.Image, b.Image) }) {
		t.Error(".nii and .nii.gz copies of the same data load differently")
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	fr := plainFrame(20, 16, 2)
	shifted := plainFrame(20, 16, 3)
	stretched := plainFrame(20, 16, 2)
	stretched.gt.dx = 1.6
	badLabel := plainFrame(20, 16, 2)
	badLabel.gt.set(3, 4, 1, 4)
	fractional := plainFrame(20, 16, 2)
	fractional.gt.dt = nifti.Float32
	fractional.gt.set(5, 5, 0, 2.5)
	cases := []struct {
		name  string
		cfg   string
		es    handFrame
		file  string // the file the error must name
		isErr error
	}{
		{"no Info.cfg", "-", fr, "Info.cfg", os.ErrNotExist},
		{"Info.cfg without ES", "ED: 1\nGroup: NOR\n", fr, "Info.cfg", nil},
		{"shape", "", handFrame{fr.img, shifted.gt}, "patient002_frame02_gt.nii.gz", ErrData},
		{"spacing", "", stretched, "patient002_frame02_gt.nii.gz", ErrData},
		{"label 4", "", badLabel, "patient002_frame02_gt.nii.gz", ErrData},
		{"label 2.5", "", fractional, "patient002_frame02_gt.nii.gz", ErrData},
		{"missing image", "ED: 1\nES: 3\n", fr, "patient002_frame03.nii.gz", os.ErrNotExist},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeHand(t, root, "patient001", "", ".nii.gz", fr, fr)
			dir := writeHand(t, root, "patient002", c.cfg, ".nii.gz", fr, c.es)
			if c.name == "missing image" {
				must(t, os.Rename(filepath.Join(dir, "patient002_frame02_gt.nii.gz"), filepath.Join(dir, "patient002_frame03_gt.nii.gz")))
			}
			_, _, err := LoadACDC(root, Options{Size: 16}, nil)
			t.Log(err)
			wantErrNaming(t, err, filepath.Join(dir, c.file))
			if c.isErr != nil && !errors.Is(err, c.isErr) {
				t.Errorf("error %v does not wrap %v", err, c.isErr)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoadCorruptGzip(t *testing.T) {
	fr := plainFrame(20, 16, 2)
	for _, name := range []string{"patient001_frame01.nii.gz", "patient001_frame02_gt.nii.gz"} {
		for _, damage := range []string{"truncate", "flip"} {
			root := t.TempDir()
			dir := writeHand(t, root, "patient001", "", ".nii.gz", fr, fr)
			path := filepath.Join(dir, name)
			b, err := os.ReadFile(path)
			must(t, err)
			if damage == "truncate" {
				b = b[:len(b)/2]
			} else {
				b[len(b)/2] ^= 0xff
			}
			must(t, os.WriteFile(path, b, 0o644))
			_, _, err = LoadACDC(root, Options{Size: 16}, nil)
			t.Log(err)
			wantErrNaming(t, err, path)
		}
	}
}

func TestLoadEmptyRoot(t *testing.T) {
	root := t.TempDir()
	if _, _, err := LoadACDC(root, Options{}, nil); !errors.Is(err, ErrNoPatients) {
		t.Errorf("empty root: %v", err)
	}
	if _, _, err := LoadACDC(filepath.Join(root, "nope"), Options{}, nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing root: %v", err)
	}
	if _, _, err := LoadACDC(root, Options{Size: -1, Percentiles: [2]float64{50, 10}}, nil); !errors.Is(err, ErrOptions) {
		t.Errorf("bad options: %v", err)
	}
}
