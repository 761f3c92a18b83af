package acdc

import (
	"flag"
	"runtime"
	"testing"

	"github.com/segqa/segqa/harness/data/phantom"
)

var benchPatients = flag.Int("bench.patients", 20, "phantom patients for BenchmarkLoadSynthetic")

// BenchmarkLoadSynthetic loads and preprocesses -bench.patients default-size
// phantom patients (224 x 224 pixels, 6 to 10 slices, ED and ES; writing
// them is not timed) at the default settings with every slice kept,
// reporting slices per second and the live heap after a load (the slices
// plus the runtime's own).
func BenchmarkLoadSynthetic(b *testing.B) {
	root := b.TempDir()
	if err := WriteSynthetic(root, *benchPatients, 1, phantom.Params{}, 0); err != nil {
		b.Fatal(err)
	}
	opt := Options{Size: 128, SpacingMM: 1.5, Percentiles: [2]float64{1, 99}, KeepEmpty: true}
	var (
		slices int
		heap   uint64
	)
	b.ResetTimer()
	for b.Loop() {
		pts, st, err := LoadACDC(root, opt, nil)
		if err != nil {
			b.Fatal(err)
		}
		slices += st.Slices
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapAlloc)
		runtime.KeepAlive(pts)
		b.StartTimer()
	}
	b.ReportMetric(float64(slices)/b.Elapsed().Seconds(), "slices/s")
	b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
}
