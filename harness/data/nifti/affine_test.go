package nifti

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

func TestAffine(t *testing.T) {
	// A quarter turn about z: (a, b, c, d) = (cos 45°, 0, 0, sin 45°).
	qform := &Volume{
		Dim: []int{4, 4, 4}, Spacing: []float64{2, 3, 4},
		QFormCode: 1, QuaternD: math.Sqrt2 / 2, Qfac: -1,
		QOffsetX: 10, QOffsetY: 20, QOffsetZ: 30,
	}
	sform := *qform
	sform.SFormCode = 1
	sform.SRow = [3][4]float64{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}
	neither := *qform
	neither.QFormCode = 0
	flat := &Volume{Dim: []int{5, 6}, Spacing: []float64{0.5, 0.25}}
	// b²+c²+d² = 1 exactly: a = 0, a half turn about x.
	halfTurn := &Volume{Dim: []int{1, 1, 1}, Spacing: []float64{1, 1, 1}, QFormCode: 2, QuaternB: 1}
	cases := []struct {
		name string
		v    *Volume
		want [4][4]float64
	}{
		{"qform", qform, [4][4]float64{{0, -3, 0, 10}, {2, 0, 0, 20}, {0, 0, -4, 30}, {0, 0, 0, 1}}},
		{"sform wins", &sform, [4][4]float64{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {0, 0, 0, 1}}},
		{"spacing only", &neither, [4][4]float64{{2, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 1}}},
		{"2-D", flat, [4][4]float64{{0.5, 0, 0, 0}, {0, 0.25, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}},
		{"half turn", halfTurn, [4][4]float64{{1, 0, 0, 0}, {0, -1, 0, 0}, {0, 0, -1, 0}, {0, 0, 0, 1}}},
	}
	for _, c := range cases {
		got := c.v.Affine()
		for i := range 4 {
			for j := range 4 {
				if math.Abs(got[i][j]-c.want[i][j]) > 1e-12 {
					t.Errorf("%s: Affine = %v, want %v", c.name, got, c.want)
					break
				}
			}
		}
	}
}

// TestAffineSurvivesV1 checks that the affine of a general volume survives
// NIfTI-1's float32 storage to float32 precision.
func TestAffineSurvivesV1(t *testing.T) {
	v := &Volume{
		Dim: []int{2, 2, 2}, Spacing: []float64{0.9375, 0.9375, 10}, Data: make([]float64, 8),
		QFormCode: 1, QuaternB: 0.1, QuaternC: -0.2, QuaternD: 0.3, Qfac: -1,
		QOffsetX: -117.3, QOffsetY: 95.1, QOffsetZ: 41.7,
	}
	got, err := Decode(bytes.NewReader(encoded(t, v, false)), "affine.nii")
	if err != nil {
		t.Fatal(err)
	}
	a, b := got.Affine(), v.Affine()
	for i := range 4 {
		for j := range 4 {
			if math.Abs(a[i][j]-b[i][j]) > 1e-5*(1+math.Abs(b[i][j])) {
				t.Fatalf("Affine after round trip = %v, want %v", a, b)
			}
		}
	}
}

func TestIndex(t *testing.T) {
	v := &Volume{Dim: []int{2, 3, 4, 5}, Data: make([]float64, 120)}
	for i := range v.Data {
		v.Data[i] = float64(i)
	}
	if v.Len() != 120 {
		t.Errorf("Len = %d, want 120", v.Len())
	}
	if got := v.At(1, 2, 3, 4); got != 1+2*2+3*6+4*24 {
		t.Errorf("At(1, 2, 3, 4) = %v, want %v", got, 1+2*2+3*6+4*24)
	}
	for _, idx := range [][]int{{1, 2, 3}, {2, 0, 0, 0}, {0, 0, -1, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("At(%v) did not panic", idx)
				}
			}()
			v.At(idx...)
		}()
	}
}

func ExampleVolume_Affine() {
	v := &Volume{
		Dim: []int{256, 256, 10}, Spacing: []float64{1.25, 1.25, 8},
		QFormCode: 1, Qfac: 1, QOffsetX: -160, QOffsetY: -160, QOffsetZ: -40,
	}
	for _, row := range v.Affine() {
		fmt.Println(row)
	}
	// Output:
	// [1.25 0 0 -160]
	// [0 1.25 0 -160]
	// [0 0 8 -40]
	// [0 0 0 1]
}
