package nifti

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// cardiacSlab is a 256x256x10 int16 volume like a short-axis cine frame:
// smooth anatomy plus noise, so that gzip ratios are realistic.
func cardiacSlab() *Volume {
	r := rand.New(rand.NewPCG(1, 2))
	v := &Volume{Dim: []int{256, 256, 10}, Spacing: []float64{1.37, 1.37, 10}, Datatype: Int16}
	v.Data = make([]float64, v.Len())
	for i := range v.Data {
		x, y, z := float64(i%256-128), float64(i/256%256-128), float64(i/65536)
		v.Data[i] = math.Round(800*math.Exp(-(x*x+y*y)/(2000+100*z)) + 40*r.NormFloat64() + 100)
	}
	return v
}

func BenchmarkReadGz(b *testing.B) {
	v := cardiacSlab()
	gz := encoded(b, v, true)
	b.SetBytes(int64(2 * v.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(gz), "bench.nii.gz"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(gz)), "gz-bytes")
}

func BenchmarkRead(b *testing.B) {
	v := cardiacSlab()
	plain := encoded(b, v, false)
	b.SetBytes(int64(2 * v.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(plain), "bench.nii"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	v := cardiacSlab()
	var buf bytes.Buffer
	b.SetBytes(int64(2 * v.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
}
