package nifti

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestReadNibabelGolden reads files written by nibabel
// (testdata/make_nibabel_golden.py) and checks them against the formulas
// that made them.
func TestReadNibabelGolden(t *testing.T) {
	cases := []struct {
		file     string
		want     Volume
		voxel    func(i int) float64
		affine   [4][4]float64
		checkRaw func(v *Volume) error
	}{
		{
			file: "nibabel_v1_int16_scaled.nii.gz",
			want: Volume{Dim: []int{4, 3, 2}, Spacing: []float64{2, 3, 4}, Datatype: Int16, SclSlope: 0.5, SclInter: -3,
				QFormCode: 1, SFormCode: 2, Qfac: -1, XYZTUnits: 2 | 8, Descrip: "golden v1", Version: 1, ByteOrder: binary.LittleEndian},
			voxel:  func(i int) float64 { return float64(i*37%101-50)*0.5 - 3 },
			affine: [4][4]float64{{0, -3, 0, 10}, {2, 0, 0, 20}, {0, 0, -4, 30}, {0, 0, 0, 1}},
		},
		{
			file: "nibabel_v2_be_float64.nii",
			want: Volume{Dim: []int{3, 2, 2, 2}, Spacing: []float64{1.5, 1.5, 2, 0.8}, Datatype: Float64, SclSlope: 1,
				QFormCode: 1, Qfac: 1, Version: 2, ByteOrder: binary.BigEndian},
			voxel:  func(i int) float64 { return float64(i)*0.25 - 1.5 },
			affine: [4][4]float64{{1.5, 0, 0, -7}, {0, 1.5, 0, 8}, {0, 0, 2, -9}, {0, 0, 0, 1}},
		},
		{
			file: "nibabel_v1_int8.nii",
			want: Volume{Dim: []int{5, 3, 2}, Spacing: []float64{0.5, 0.5, 1}, Datatype: Int8, SclSlope: 1,
				SFormCode: 2, Qfac: 1, Version: 1, ByteOrder: binary.LittleEndian},
			voxel:  func(i int) float64 { return float64(i%7 - 3) },
			affine: [4][4]float64{{0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got, err := Read(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			w := c.want
			if !slices.Equal(got.Dim, w.Dim) || !slices.Equal(got.Spacing, w.Spacing) || got.Datatype != w.Datatype ||
				got.SclSlope != w.SclSlope || got.SclInter != w.SclInter || got.QFormCode != w.QFormCode ||
				got.SFormCode != w.SFormCode || got.Qfac != w.Qfac || got.XYZTUnits != w.XYZTUnits ||
				got.Descrip != w.Descrip || got.Version != w.Version || got.ByteOrder != w.ByteOrder {
				t.Errorf("header:\n got %+v\nwant %+v", *got, w)
			}
			if d := maxDiff(got.Affine(), c.affine); d > 1e-6 {
				t.Errorf("Affine = %v, want %v", got.Affine(), c.affine)
			}
			for i, x := range got.Data {
				if x != c.voxel(i) {
					t.Fatalf("Data[%d] = %v, want %v", i, x, c.voxel(i))
				}
			}
		})
	}
}

func maxDiff(a, b [4][4]float64) float64 {
	d := 0.0
	for i := range 4 {
		for j := range 4 {
			d = math.Max(d, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return d
}

// nibabelScript prints, for each file, what nibabel makes of it.
const nibabelScript = `
import json, sys
import nibabel as nib
out = []
for path in sys.argv[1:]:
    img = nib.load(path)
    with nib.openers.ImageOpener(path) as f:
        raw = type(img.header).from_fileobj(f, check=False)
    out.append({"problems": raw.diagnose_binaryblock(raw.binaryblock),
                "offset": int(img.dataobj.offset),
                "scaling": [float(img.dataobj.slope), float(img.dataobj.inter)],
                "codes": [int(raw["qform_code"]), int(raw["sform_code"])],
                "dtype": img.get_data_dtype().name, "shape": list(img.shape),
                "zooms": [float(z) for z in img.header.get_zooms()],
                "affine": img.affine.tolist(),
                "data": img.get_fdata().flatten(order="F").tolist()})
json.dump(out, sys.stdout)
`

// TestNibabelReadsOurFiles has nibabel load what Write produced; it skips
// itself when python3 with nibabel is not installed.
func TestNibabelReadsOurFiles(t *testing.T) {
	if err := exec.Command("python3", "-c", "import nibabel").Run(); err != nil {
		t.Skip("python3 with nibabel not available:", err)
	}
	dir := t.TempDir()
	var paths []string
	var vols []*Volume
	for i, dt := range allTypes {
		v := sampleVolume(dt, []int{3, 4, 2, 2}[:3+i%2], uint64(i))
		v.Version = 1 + i%2
		v.ByteOrder = []binary.ByteOrder{binary.LittleEndian, binary.BigEndian}[i/2%2]
		if i%4 == 1 {
			v.SFormCode = 0 // nibabel's affine is then the qform
		}
		if dt == Int16 || dt == Uint8 {
			v.SclSlope, v.SclInter = 0.25, 10
			for j := range v.Data {
				v.Data[j] = v.Data[j]*0.25 + 10
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("%s_v%d.nii", dt, v.Version))
		if i%3 == 0 {
			path += ".gz"
		}
		if err := Write(path, v); err != nil {
			t.Fatal(err)
		}
		paths, vols = append(paths, path), append(vols, v)
	}
	out, err := exec.Command("python3", append([]string{"-c", nibabelScript}, paths...)...).Output()
	if err != nil {
		t.Fatalf("nibabel: %v", err)
	}
	var seen []struct {
		Problems string
		Offset   int
		Scaling  [2]float64
		Codes    [2]int
		Dtype    string
		Shape    []int
		Zooms    []float64
		Affine   [4][4]float64
		Data     []float64
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatal(err)
	}
	for i, s := range seen {
		v := vols[i]
		name := filepath.Base(paths[i])
		if s.Dtype != v.Datatype.String() || !slices.Equal(s.Shape, v.Dim) || !slices.Equal(s.Zooms, v.Spacing) {
			t.Errorf("%s: nibabel sees %s %v zooms %v, want %s %v zooms %v",
				name, s.Dtype, s.Shape, s.Zooms, v.Datatype, v.Dim, v.Spacing)
		}
		slope, inter, _ := scaling(v.SclSlope, v.SclInter)
		offset := map[int]int{1: 352, 2: 544}[v.Version]
		if s.Problems != "" || s.Offset != offset || s.Scaling != [2]float64{slope, inter} ||
			s.Codes != [2]int{v.QFormCode, v.SFormCode} {
			t.Errorf("%s: nibabel sees problems %q, offset %d, scaling %v, codes %v", name, s.Problems, s.Offset, s.Scaling, s.Codes)
		}
		if d := maxDiff(s.Affine, v.Affine()); d > 1e-6 {
			t.Errorf("%s: nibabel affine %v, want %v", name, s.Affine, v.Affine())
		}
		for j := range s.Data {
			if s.Data[j] != v.Data[j] {
				t.Errorf("%s: nibabel Data[%d] = %v, want %v", name, j, s.Data[j], v.Data[j])
				break
			}
		}
	}
}
