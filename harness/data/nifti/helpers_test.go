package nifti

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

var allTypes = []Datatype{Uint8, Int8, Int16, Uint16, Int32, Uint32, Int64, Uint64, Float32, Float64}

// sampleVolume returns a volume whose every header field survives NIfTI-1's
// float32 storage exactly, with values spanning dt's range, extremes included.
func sampleVolume(dt Datatype, dim []int, seed uint64) *Volume {
	v := &Volume{
		Dim:       dim,
		Spacing:   []float64{1.25, 0.75, 2.5, 0.5, 3, 4, 5}[:len(dim)],
		Datatype:  dt,
		QFormCode: 1, SFormCode: 2,
		QuaternB: 0.5, QuaternC: 0.5, QuaternD: 0.5,
		QOffsetX: -10.5, QOffsetY: 20.25, QOffsetZ: 30,
		Qfac:      -1,
		SRow:      [3][4]float64{{1.25, 0, 0, -10.5}, {0, 0.75, 0.125, 20.25}, {0, -0.5, 2.5, 30}},
		XYZTUnits: 2 | 8,
		Descrip:   "segqa test volume",
		Version:   1,
		ByteOrder: binary.LittleEndian,
	}
	v.Data = sampleValues(dt, v.Len(), seed)
	return v
}

func sampleValues(dt Datatype, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, uint64(dt)))
	lo, hi := dt.limits()
	data := make([]float64, n)
	for i := range data {
		switch {
		case dt == Float64:
			data[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		case dt == Float32:
			data[i] = float64(float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))))
		default:
			data[i] = math.Min(hi, math.Max(lo, math.Trunc(lo+(hi-lo)*r.Float64())))
		}
	}
	extremes := []float64{lo, hi, 0}
	switch dt {
	case Float64:
		extremes = []float64{-math.MaxFloat64, math.MaxFloat64, math.SmallestNonzeroFloat64}
	case Float32:
		extremes = []float64{-math.MaxFloat32, math.MaxFloat32, math.SmallestNonzeroFloat32}
	}
	copy(data, extremes)
	return data
}

// sameVolume reports the first field in which got differs from want; values
// are compared bit for bit.
func sameVolume(t *testing.T, got, want *Volume) {
	t.Helper()
	switch {
	case !slices.Equal(got.Dim, want.Dim):
		t.Errorf("Dim = %v, want %v", got.Dim, want.Dim)
	case !slices.Equal(got.Spacing, want.Spacing):
		t.Errorf("Spacing = %v, want %v", got.Spacing, want.Spacing)
	case got.Datatype != want.Datatype:
		t.Errorf("Datatype = %v, want %v", got.Datatype, want.Datatype)
	case got.Version != want.Version || got.ByteOrder != want.ByteOrder:
		t.Errorf("Version, ByteOrder = %d, %v, want %d, %v", got.Version, got.ByteOrder, want.Version, want.ByteOrder)
	case got.QFormCode != want.QFormCode || got.SFormCode != want.SFormCode:
		t.Errorf("codes = %d, %d, want %d, %d", got.QFormCode, got.SFormCode, want.QFormCode, want.SFormCode)
	case got.Affine() != want.Affine() || got.SRow != want.SRow:
		t.Errorf("Affine = %v, want %v", got.Affine(), want.Affine())
	case got.QuaternB != want.QuaternB || got.QuaternC != want.QuaternC || got.QuaternD != want.QuaternD,
		got.QOffsetX != want.QOffsetX || got.QOffsetY != want.QOffsetY || got.QOffsetZ != want.QOffsetZ,
		got.Qfac != want.Qfac:
		t.Errorf("qform = %v, want %v", qform(got), qform(want))
	case got.SclSlope != want.SclSlope || got.SclInter != want.SclInter:
		t.Errorf("scaling = %v, %v, want %v, %v", got.SclSlope, got.SclInter, want.SclSlope, want.SclInter)
	case got.XYZTUnits != want.XYZTUnits || got.Descrip != want.Descrip:
		t.Errorf("units, descrip = %d, %q, want %d, %q", got.XYZTUnits, got.Descrip, want.XYZTUnits, want.Descrip)
	case len(got.Data) != len(want.Data):
		t.Errorf("len(Data) = %d, want %d", len(got.Data), len(want.Data))
	default:
		for i := range got.Data {
			if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
				t.Errorf("Data[%d] = %v, want %v", i, got.Data[i], want.Data[i])
				return
			}
		}
	}
}

func qform(v *Volume) []float64 {
	return []float64{v.QuaternB, v.QuaternC, v.QuaternD, v.QOffsetX, v.QOffsetY, v.QOffsetZ, v.Qfac}
}

// encoded returns v as file bytes, gzip-compressed if gz.
func encoded(t testing.TB, v *Volume, gz bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, v); err != nil {
		t.Fatal(err)
	}
	if !gz {
		return buf.Bytes()
	}
	return gzipped(buf.Bytes())
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// allocated returns the bytes f allocates (all goroutines, so an upper bound).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
