package nifti

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRoundTrip writes and reads back every datatype in both byte orders,
// both versions, plain and gzip, 3-D and 4-D, through the file functions.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, dt := range allTypes {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			for version := 1; version <= 2; version++ {
				for _, ext := range []string{".nii", ".nii.gz"} {
					dim := []int{3, 4, 5}
					if version == 2 && ext == ".nii" {
						dim = []int{3, 2, 4, 2}
					}
					name := fmt.Sprintf("%s_%v_v%d%s", dt, order, version, ext)
					t.Run(name, func(t *testing.T) {
						want := sampleVolume(dt, dim, 7)
						want.ByteOrder, want.Version = order, version
						path := filepath.Join(dir, name)
						if err := Write(path, want); err != nil {
							t.Fatal(err)
						}
						got, err := Read(path)
						if err != nil {
							t.Fatal(err)
						}
						sameVolume(t, got, want)
					})
				}
			}
		}
	}
}

// TestWriteCompresses checks that the name, not the volume, picks gzip, and
// that Read finds gzip by content whatever the name.
func TestWriteCompresses(t *testing.T) {
	dir := t.TempDir()
	v := sampleVolume(Int16, []int{8, 8, 4}, 1)
	gz, plain := filepath.Join(dir, "a.nii.gz"), filepath.Join(dir, "a.nii")
	for _, p := range []string{gz, plain} {
		if err := Write(p, v); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(gz)
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("%s does not start with the gzip magic", gz)
	}
	b, _ = os.ReadFile(plain)
	if len(b) != 352+8*8*4*2 {
		t.Errorf("%s has %d bytes, want %d", plain, len(b), 352+8*8*4*2)
	}
	misnamed := filepath.Join(dir, "misnamed.nii")
	if err := os.Rename(gz, misnamed); err != nil {
		t.Fatal(err)
	}
	got, err := Read(misnamed)
	if err != nil {
		t.Fatal(err)
	}
	sameVolume(t, got, v)
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the output directory, want 2 (temporary files left behind?)", len(entries))
	}
}

// TestScaling checks that Write stores (v-inter)/slope and Read applies it.
func TestScaling(t *testing.T) {
	for _, dt := range []Datatype{Int16, Uint8, Float32, Int64} {
		t.Run(dt.String(), func(t *testing.T) {
			raw := []float64{0, 1, 2, 100, 7, 3}
			v := &Volume{Dim: []int{3, 2}, Datatype: dt, SclSlope: 0.5, SclInter: -3}
			for _, r := range raw {
				v.Data = append(v.Data, r*0.5-3)
			}
			b := encoded(t, v, false)
			stored := make([]float64, len(raw))
			dt.decode(stored, b[352:], binary.LittleEndian)
			if !slices.Equal(stored, raw) {
				t.Errorf("stored %v, want %v", stored, raw)
			}
			got, err := Decode(bytes.NewReader(b), "scaled.nii")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Data, v.Data) || got.SclSlope != 0.5 || got.SclInter != -3 {
				t.Errorf("read %v (slope %v, inter %v), want %v", got.Data, got.SclSlope, got.SclInter, v.Data)
			}
		})
	}
}

// TestWriteRounds checks rounding to integer types without scaling.
func TestWriteRounds(t *testing.T) {
	v := &Volume{Dim: []int{4}, Datatype: Int8, Data: []float64{1.4, 1.6, -2.5, -0.2}}
	got, err := Decode(bytes.NewReader(encoded(t, v, false)), "round.nii")
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 2, -3, 0}; !slices.Equal(got.Data, want) {
		t.Errorf("Data = %v, want %v", got.Data, want)
	}
}

// TestWriteDefaults checks the zero-value defaults: float32, NIfTI-1,
// little endian, spacing 1, qfac 1.
func TestWriteDefaults(t *testing.T) {
	v := &Volume{Dim: []int{2, 2}, Data: []float64{0.5, 1, 1.5, 2}}
	got, err := Decode(bytes.NewReader(encoded(t, v, true)), "defaults.nii.gz")
	if err != nil {
		t.Fatal(err)
	}
	if got.Datatype != Float32 || got.Version != 1 || got.ByteOrder != binary.LittleEndian ||
		!slices.Equal(got.Spacing, []float64{1, 1}) || got.Qfac != 1 || !slices.Equal(got.Data, v.Data) {
		t.Errorf("got %+v", got)
	}
}

// TestWriteRejects lists volumes Write must refuse, without touching disk.
func TestWriteRejects(t *testing.T) {
	base := func() *Volume { return sampleVolume(Uint8, []int{2, 2, 2}, 3) }
	cases := map[string]func(v *Volume){
		"no dims":          func(v *Volume) { v.Dim = nil },
		"8 dims":           func(v *Volume) { v.Dim = []int{1, 1, 1, 1, 1, 1, 1, 8}; v.Spacing = nil },
		"zero dim":         func(v *Volume) { v.Dim = []int{2, 0, 2} },
		"short data":       func(v *Volume) { v.Data = v.Data[:7] },
		"spacing length":   func(v *Volume) { v.Spacing = []float64{1, 1} },
		"negative spacing": func(v *Volume) { v.Spacing[1] = -1 },
		"NaN spacing":      func(v *Volume) { v.Spacing[1] = math.NaN() },
		"version 3":        func(v *Volume) { v.Version = 3 },
		"complex":          func(v *Volume) { v.Datatype = 32 },
		"uint8 overflow":   func(v *Volume) { v.Data[3] = 256 },
		"uint8 negative":   func(v *Volume) { v.Data[3] = -1 },
		"NaN value":        func(v *Volume) { v.Data[3] = math.NaN() },
		"float32 overflow": func(v *Volume) { v.Datatype = Float32; v.Data[3] = 1e39 },
		"v1 dim > 32767":   func(v *Volume) { v.Dim = []int{40000}; v.Spacing = nil; v.Data = make([]float64, 40000) },
		"descrip 81":       func(v *Volume) { v.Descrip = string(make([]byte, 81)) },
		"sform code 9":     func(v *Volume) { v.SFormCode = 9 },
		"v1 tiny slope":    func(v *Volume) { v.SclSlope = 1e-50 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			v := base()
			mutate(v)
			var buf bytes.Buffer
			err := Encode(&buf, v)
			if !errors.Is(err, ErrVolume) {
				t.Fatalf("Encode: %v, want ErrVolume", err)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes before failing", buf.Len())
			}
			path := filepath.Join(t.TempDir(), "bad.nii")
			if err := Write(path, v); !errors.Is(err, ErrVolume) || !strings.Contains(err.Error(), path) {
				t.Errorf("Write: %v, want ErrVolume naming %s", err, path)
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
				t.Errorf("Write left %d files behind", len(entries))
			}
		})
	}
}
